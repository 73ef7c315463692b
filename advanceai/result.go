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
	Image string
	// CroppedImage is a signed link to the image cropped to the card's
	// edges, valid for 24 hours. Personal data.
	CroppedImage string
	// ImageType is SCAN or MANUAL (captured or uploaded).
	ImageType string
	// IDVCode is the verdict: IDVSuccess, IDVForgeryDetected… Empty while
	// the person has not finished.
	IDVCode string
	// IDVResult details the verdict.
	IDVResult IDVResult
	// OCRCode is SUCCESS, OCR_NO_RESULT or ERROR; the vendor sets it only
	// when IDVCode is SUCCESS or FORGERY_DETECTED.
	OCRCode string
	// OCRResult holds the card's fields; nil when the vendor sent none.
	// Personal data.
	OCRResult *OCRResult
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
	IsLowQuality bool
	// ForgeryLabels says why the card is considered forged, when IDVCode is
	// FORGERY_DETECTED: retake, colorPhotocopied, cutoffCorner, pastedPhoto,
	// b&wPhotocopied, modifiedNIK, oldKTP (and, in the vendor's example,
	// screenshot, scan).
	ForgeryLabels []string
	// QualityLabels says why the image is of low quality, when IDVCode is
	// LOW_QUALITY_IMAGE (the vendor's example: blur, dim).
	QualityLabels []string
}

// OCRResult holds the fields read from a KTP, each as the card prints it,
// empty when the vendor could not read it. It is personal data (the NIK,
// name, birth date and address); LogValue logs only which fields are there.
type OCRResult struct {
	IDNumber           string `json:"idNumber"` // NIK
	Name               string `json:"name"`
	BloodType          string `json:"bloodType"`
	Religion           string `json:"religion"`
	Gender             string `json:"gender"`
	BirthPlaceBirthday string `json:"birthPlaceBirthday"` // "Place, DD-MM-YYYY"
	Province           string `json:"province"`
	City               string `json:"city"`
	District           string `json:"district"`
	Village            string `json:"village"`
	RTRW               string `json:"rtrw"`
	Occupation         string `json:"occupation"`
	ExpiryDate         string `json:"expiryDate"` // a date, or text such as "SEUMUR HIDUP" (for life)
	Nationality        string `json:"nationality"`
	MaritalStatus      string `json:"maritalStatus"`
	Address            string `json:"address"`
	PlaceOfBirth       string `json:"placeOfBirth"`
	Birthday           string `json:"birthday"` // "YYYY/MM/DD"
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

// wireOCR decodes every field tolerantly: the vendor sends null for a
// field it could not read.
type wireOCR struct {
	IDNumber           tolerant.String `json:"idNumber"`
	Name               tolerant.String `json:"name"`
	BloodType          tolerant.String `json:"bloodType"`
	Religion           tolerant.String `json:"religion"`
	Gender             tolerant.String `json:"gender"`
	BirthPlaceBirthday tolerant.String `json:"birthPlaceBirthday"`
	Province           tolerant.String `json:"province"`
	City               tolerant.String `json:"city"`
	District           tolerant.String `json:"district"`
	Village            tolerant.String `json:"village"`
	RTRW               tolerant.String `json:"rtrw"`
	Occupation         tolerant.String `json:"occupation"`
	ExpiryDate         tolerant.String `json:"expiryDate"`
	Nationality        tolerant.String `json:"nationality"`
	MaritalStatus      tolerant.String `json:"maritalStatus"`
	Address            tolerant.String `json:"address"`
	PlaceOfBirth       tolerant.String `json:"placeOfBirth"`
	Birthday           tolerant.String `json:"birthday"`
}

type wireResult struct {
	Image        tolerant.String `json:"image"`
	CroppedImage tolerant.String `json:"croppedImage"`
	ImageType    tolerant.String `json:"imageType"`
	IDVCode      tolerant.String `json:"idvCode"`
	IDVResult    *struct {
		IsLowQuality  tolerant.Bool `json:"isLowQuality"`
		ForgeryLabels []string      `json:"forgeryLabels"`
		QualityLabels []string      `json:"qualityLabels"`
	} `json:"idvResult"`
	OCRCode   tolerant.String `json:"ocrCode"`
	OCRResult *wireOCR        `json:"ocrResult"`
}

// decodeResult builds a VerificationResult from a SUCCESS envelope. Null
// data is taken as "not finished yet" (inferred).
func decodeResult(env Envelope) (*VerificationResult, error) {
	r := &VerificationResult{Meta: env.Meta}
	if isNull(env.Data) {
		return r, nil
	}
	var w wireResult
	if err := json.Unmarshal(bytes.TrimSpace(env.Data), &w); err != nil {
		return nil, err
	}
	r.Image, r.CroppedImage, r.ImageType = string(w.Image), string(w.CroppedImage), string(w.ImageType)
	r.IDVCode, r.OCRCode = string(w.IDVCode), string(w.OCRCode)
	if w.IDVResult != nil {
		r.IDVResult = IDVResult{
			IsLowQuality:  bool(w.IDVResult.IsLowQuality),
			ForgeryLabels: w.IDVResult.ForgeryLabels,
			QualityLabels: w.IDVResult.QualityLabels,
		}
	}
	if o := w.OCRResult; o != nil {
		r.OCRResult = &OCRResult{
			IDNumber: string(o.IDNumber), Name: string(o.Name), BloodType: string(o.BloodType),
			Religion: string(o.Religion), Gender: string(o.Gender), BirthPlaceBirthday: string(o.BirthPlaceBirthday),
			Province: string(o.Province), City: string(o.City), District: string(o.District),
			Village: string(o.Village), RTRW: string(o.RTRW), Occupation: string(o.Occupation),
			ExpiryDate: string(o.ExpiryDate), Nationality: string(o.Nationality),
			MaritalStatus: string(o.MaritalStatus), Address: string(o.Address),
			PlaceOfBirth: string(o.PlaceOfBirth), Birthday: string(o.Birthday),
		}
	}
	return r, nil
}
