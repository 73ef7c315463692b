package kyc

import "strconv"

// Reason explains a rejection, a review or a pending state. The set is closed:
// every vendor package maps each of its documented codes onto one of these,
// in a table tested row by row.
type Reason string

// The reasons every provider maps onto.
const (
	// ReasonFaceMismatch: the selfie does not match the document's photo.
	ReasonFaceMismatch Reason = "face_mismatch"
	// ReasonLivenessFailed: the selfie may not be of a live person (a photo
	// of a photo, a screen, a mask).
	ReasonLivenessFailed Reason = "liveness_failed"
	// ReasonDocumentExpired: the document is past its expiry date.
	ReasonDocumentExpired Reason = "document_expired"
	// ReasonDocumentForged: the document shows signs of tampering or forgery.
	ReasonDocumentForged Reason = "document_forged"
	// ReasonLowQualityImage: an image is blurred, dark, glared, cropped or too
	// small to read; the person may capture again.
	ReasonLowQualityImage Reason = "low_quality_image"
	// ReasonNoDocument: no document was found in the image.
	ReasonNoDocument Reason = "no_document"
	// ReasonNoFace: no face was found in the image.
	ReasonNoFace Reason = "no_face"
	// ReasonUnsupportedDocument: the document type or issuer is not supported.
	ReasonUnsupportedDocument Reason = "unsupported_document"
	// ReasonUnderage: the person is younger than the allowed age.
	ReasonUnderage Reason = "underage"
	// ReasonDocumentNumberMismatch: the document number, or the holder's
	// name in a registry, does not match what was given.
	ReasonDocumentNumberMismatch Reason = "document_number_mismatch"
	// ReasonFrontBackMismatch: the front and back belong to different
	// documents.
	ReasonFrontBackMismatch Reason = "front_back_mismatch"
	// ReasonNameMismatch: the name on the document, or in a registry, does
	// not match the name given (Person.FullName).
	ReasonNameMismatch Reason = "name_mismatch"
	// ReasonDifferentPerson: the person verified is not the one expected.
	ReasonDifferentPerson Reason = "different_person"
	// ReasonNotFinished: the person has not finished the flow yet.
	ReasonNotFinished Reason = "not_finished"
	// ReasonOther: a vendor reason with no closer match; Result.Raw has it.
	ReasonOther Reason = "other"
)

var reasonText = map[Reason]string{
	ReasonFaceMismatch:           "the selfie does not match the document photo",
	ReasonLivenessFailed:         "the selfie may not be of a live person",
	ReasonDocumentExpired:        "the document has expired",
	ReasonDocumentForged:         "the document shows signs of forgery",
	ReasonLowQualityImage:        "an image is too poor to read",
	ReasonNoDocument:             "no document found in the image",
	ReasonNoFace:                 "no face found in the image",
	ReasonUnsupportedDocument:    "the document is not supported",
	ReasonUnderage:               "the person is under age",
	ReasonDocumentNumberMismatch: "the document number or holder does not match",
	ReasonFrontBackMismatch:      "front and back are of different documents",
	ReasonNameMismatch:           "the name does not match the one given",
	ReasonDifferentPerson:        "the person is not the one expected",
	ReasonNotFinished:            "the person has not finished the flow",
	ReasonOther:                  "another reason given by the provider",
}

// Reasons returns every Reason, in a stable order.
func Reasons() []Reason {
	return []Reason{
		ReasonFaceMismatch, ReasonLivenessFailed, ReasonDocumentExpired,
		ReasonDocumentForged, ReasonLowQualityImage, ReasonNoDocument, ReasonNoFace,
		ReasonUnsupportedDocument, ReasonUnderage, ReasonDocumentNumberMismatch,
		ReasonFrontBackMismatch, ReasonNameMismatch, ReasonDifferentPerson, ReasonNotFinished, ReasonOther,
	}
}

// Valid reports whether r is one of the defined reasons.
func (r Reason) Valid() bool { _, ok := reasonText[r]; return ok }

// Description is a short English sentence for r, fit for an operator's
// screen.
func (r Reason) Description() string {
	if s, ok := reasonText[r]; ok {
		return s
	}
	return "unknown reason " + strconv.Quote(string(r))
}
