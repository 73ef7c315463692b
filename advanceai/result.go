package advanceai

import (
	"bytes"
	"encoding/json"
	"log/slog"

	"github.com/kyc-go/kyc/internal/tolerant"
)

// VerificationResult is the answer of Get Result: the verdict on the
// captured KTP, its OCR and links to the captured images. It was named
// Result before; Client.Result returns the provider-neutral *kyc.Result.
//
// It is personal data: OCRResult holds the card's fields, and Image,
// CroppedImage and Raw hold signed URLs of the card's photos that anyone
// may open for 24 hours. Store and log it as you would the card itself;
// LogValue logs only its codes.
type VerificationResult struct {
	Meta
	// Image is a signed link to the full captured image, valid for a day
	// (call GetResult again for a fresh one). Personal data.
	Image string `wire:"image"`
	// CroppedImage is a signed link to the image cropped to the card's
	// edges, valid for 24 hours. Personal data.
	CroppedImage string `wire:"croppedImage"`
	// ImageType is SCAN or MANUAL (captured or uploaded).
	ImageType string `wire:"imageType"`
	// IDVCode is the verdict: IDVSuccess, IDVForgeryDetected… Empty while
	// the person has not finished.
	IDVCode string `wire:"idvCode"`
	// IDVResult details the verdict.
	IDVResult IDVResult `wire:"idvResult"`
	// OCRCode is SUCCESS, OCR_NO_RESULT or ERROR; the vendor sets it only
	// when IDVCode is SUCCESS or FORGERY_DETECTED.
	OCRCode string `wire:"ocrCode"`
	// OCRResult holds the card's fields; nil when the vendor sent none.
	// Personal data.
	OCRResult *OCRResult `wire:"ocrResult"`
	// Raw is the whole response body: the OCR and the signed image links
	// (valid 24 h) included. Personal data.
	Raw json.RawMessage
}

// Finished reports whether the vendor has a verdict.
func (r *VerificationResult) Finished() bool { return r != nil && r.IDVCode != "" }

// LogValue implements slog.LogValuer without the OCR fields or image links,
// which identify the person.
func (r *VerificationResult) LogValue() slog.Value {
	if r == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(
		slog.String("code", r.Code),
		slog.String("transaction_id", r.TransactionID),
		slog.String("idv_code", r.IDVCode),
		slog.String("ocr_code", r.OCRCode),
		slog.Bool("ocr", r.OCRResult != nil),
	)
}

// IDVResult details an idvCode.
type IDVResult struct {
	// IsLowQuality reports an image considered low quality.
	IsLowQuality bool `wire:"isLowQuality"`
	// ForgeryLabels says why the card is considered forged, when IDVCode is
	// FORGERY_DETECTED: retake, colorPhotocopied, cutoffCorner, pastedPhoto,
	// b&wPhotocopied, modifiedNIK, oldKTP (and, in the vendor's example,
	// screenshot, scan).
	ForgeryLabels []string `wire:"forgeryLabels"`
	// QualityLabels says why the image is of low quality, when IDVCode is
	// LOW_QUALITY_IMAGE (the vendor's example: blur, dim).
	QualityLabels []string `wire:"qualityLabels"`
}

// OCRResult holds the fields read from a KTP, each as the card prints it,
// empty when the vendor could not read it. It is personal data (the NIK,
// name, birth date and address); LogValue logs only which fields are there.
type OCRResult struct {
	IDNumber           string `json:"idNumber" wire:"idNumber"` // NIK
	Name               string `json:"name" wire:"name"`
	BloodType          string `json:"bloodType" wire:"bloodType"`
	Religion           string `json:"religion" wire:"religion"`
	Gender             string `json:"gender" wire:"gender"`
	BirthPlaceBirthday string `json:"birthPlaceBirthday" wire:"birthPlaceBirthday"` // "Place, DD-MM-YYYY"
	Province           string `json:"province" wire:"province"`
	City               string `json:"city" wire:"city"`
	District           string `json:"district" wire:"district"`
	Village            string `json:"village" wire:"village"`
	RTRW               string `json:"rtrw" wire:"rtrw"`
	Occupation         string `json:"occupation" wire:"occupation"`
	ExpiryDate         string `json:"expiryDate" wire:"expiryDate"` // a date, or text such as "SEUMUR HIDUP" (for life)
	Nationality        string `json:"nationality" wire:"nationality"`
	MaritalStatus      string `json:"maritalStatus" wire:"maritalStatus"`
	Address            string `json:"address" wire:"address"`
	PlaceOfBirth       string `json:"placeOfBirth" wire:"placeOfBirth"`
	Birthday           string `json:"birthday" wire:"birthday"` // "YYYY/MM/DD"
}

// LogValue implements slog.LogValuer: the OCR is personal data, so only
// which fields are present is logged.
func (o *OCRResult) LogValue() slog.Value {
	if o == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(
		slog.Bool("id_number", o.IDNumber != ""),
		slog.Bool("name", o.Name != ""),
		slog.Bool("birthday", o.Birthday != "" || o.BirthPlaceBirthday != ""),
	)
}

// decodeResult builds a VerificationResult from a SUCCESS envelope. Null
// data is taken as "not finished yet" (inferred). Every field is read
// tolerantly: the vendor sends null for an OCR field it could not read.
func decodeResult(env Envelope) (*VerificationResult, error) {
	r := &VerificationResult{Meta: env.Meta}
	if isNull(env.Data) {
		return r, nil
	}
	if err := tolerant.Decode(bytes.TrimSpace(env.Data), r); err != nil {
		return nil, err
	}
	return r, nil
}
