package kyctest

import "fmt"

// The magic inputs: one vocabulary of markers that every vendor fake
// understands, like a payment API's test card numbers. Put one in an image
// with MagicImage (the selfie for face outcomes, the document front for
// document outcomes) and every fake answers with its own vendor's body for
// that outcome. Where a vendor cannot produce an outcome, its fake's
// package doc says so and answers as for ImageApproved.
//
// Each vendor's outcome for each input is listed in the table of the
// package doc, and a test drives every cell of it through every fake.
const (
	// ImageApproved: everything matches; the verification is approved.
	ImageApproved = "approved"
	// ImageNoFace: no face is found in the selfie (or the face image).
	ImageNoFace = "no_face"
	// ImageFaceMismatch: the selfie does not match the document's photo.
	ImageFaceMismatch = "face_mismatch"
	// ImageFaceBorderline: the face match is between the review and the
	// match thresholds, so the verification goes to review.
	ImageFaceBorderline = "face_borderline"
	// ImageLivenessFailed: the selfie is not of a live person (a spoof).
	ImageLivenessFailed = "liveness_failed"
	// ImageLowQuality: the image is too dark, blurred or glared to read.
	ImageLowQuality = "low_quality"
	// ImageExpired: the document has expired.
	ImageExpired = "expired"
	// ImageForged: the document shows signs of tampering.
	ImageForged = "forged"
	// ImageUnderage: the holder is under age.
	ImageUnderage = "underage"
	// ImageNoDocument: no document is found in the image.
	ImageNoDocument = "no_document"
	// ImageReview: the vendor sends the verification to manual review.
	ImageReview = "review"
	// ImageNotFinished: the vendor's processing has not finished when it is
	// first read; it finishes on a later read.
	ImageNotFinished = "not_finished"
	// ImageServerError: the vendor fails on its side (HTTP 500) for the
	// call that receives this image.
	ImageServerError = "server_error"
)

// MagicInputs lists every magic input, in the order of the package doc's
// table.
func MagicInputs() []string {
	return []string{
		ImageApproved, ImageNoFace, ImageFaceMismatch, ImageFaceBorderline,
		ImageLivenessFailed, ImageLowQuality, ImageExpired, ImageForged,
		ImageUnderage, ImageNoDocument, ImageReview, ImageNotFinished,
		ImageServerError,
	}
}

// fictionNPAs are North American area codes whose 555-01xx numbers
// libphonenumber (and so kyc.IsPhone and verificar) accepts as valid.
var fictionNPAs = [...]string{"201", "202", "203", "205", "206", "207", "208", "209", "210", "212",
	"213", "214", "215", "216", "217", "218", "219", "224", "225", "228"}

// FictionPhones is how many distinct numbers FictionPhone gives before it
// repeats.
const FictionPhones = len(fictionNPAs) * 100

// FictionPhone returns the n-th of FictionPhones phone numbers in E.164
// form ("+12015550104") from the North American range reserved for
// fiction, 555-0100 to 555-0199, over twenty area codes: numbers that
// kyc.IsPhone and Verificar's strict check accept, and that never reach a
// real person, should one be copied into a live test. n wraps around. The
// first hundred (area code 201) are the fakes' magic phones
// (verificartest.PhoneNotActivated, PhoneGeneralError, PhoneServerError,
// SamplePhone); the test world (kycworld) uses the others. (The UK's drama
// range, +44 7700 900xxx, is reserved for fiction too, but libphonenumber
// counts it unallocated, so no Verify could carry one.)
func FictionPhone(n int) string {
	n %= FictionPhones
	if n < 0 {
		n += FictionPhones
	}
	return "+1" + fictionNPAs[n/100] + fmt.Sprintf("55501%02d", n%100)
}
