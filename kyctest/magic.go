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

// FictionPhone returns the n-th number (0 to 999; others wrap) of the UK's
// drama range, +447700900000 to +447700900999, which Ofcom reserves for
// fiction: no call or SMS to it reaches a real person. The fakes' magic
// phones are in it (verificartest.PhoneNotActivated, PhoneGeneralError and
// SamplePhone, in Mensatek's form without the '+'), but for
// verificartest.PhoneServerError, which a Verify must be able to send. libphonenumber, and so kyc.IsPhone,
// does not count the range as allocated, so a Request that must pass
// IsPhone cannot carry one; such a Request needs a real-looking number,
// which must go to a fake only, never to a live vendor.
func FictionPhone(n int) string {
	return fmt.Sprintf("+447700900%03d", (n%1000+1000)%1000)
}
