package incode

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
	"github.com/kyc-go/kyc/internal/transport"
)

// ScoreStatus is a score's verdict. The set is open: OK, WARN and FAIL are
// documented for the overall status; UNKNOWN, MANUAL, MANUAL_OK,
// MANUAL_FAIL and MANUAL_PENDING appear in Incode's other products. Empty
// means not computed yet.
type ScoreStatus string

// Known score statuses.
const (
	ScoreOK            ScoreStatus = "OK"
	ScoreWarn          ScoreStatus = "WARN"
	ScoreFail          ScoreStatus = "FAIL"
	ScoreUnknown       ScoreStatus = "UNKNOWN"
	ScoreManual        ScoreStatus = "MANUAL"
	ScoreManualOK      ScoreStatus = "MANUAL_OK"
	ScoreManualFail    ScoreStatus = "MANUAL_FAIL"
	ScoreManualPending ScoreStatus = "MANUAL_PENDING"
)

// ScoreItem is one leaf of the score tree. Value is a string as Incode sends
// it ("99.9", "PASSED", ""); Incode advises against relying on it.
type ScoreItem struct {
	Key    string      `json:"key,omitempty"`
	Value  string      `json:"value"`
	Status ScoreStatus `json:"status"`
}

type itemWire struct {
	Key    tolerant.String `json:"key"`
	Value  tolerant.String `json:"value"`
	Status tolerant.String `json:"status"`
}

// UnmarshalJSON accepts a leaf whose fields may be null or numbers.
func (it *ScoreItem) UnmarshalJSON(b []byte) error {
	var w itemWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*it = ScoreItem{Key: string(w.Key), Value: string(w.Value), Status: ScoreStatus(strings.ToUpper(strings.TrimSpace(string(w.Status))))}
	return nil
}

// Fraction reads Value as a 0..1 score: percentages are divided by 100.
// ok is false when Value is not a decimal number from 0 to 100 ("99.9",
// "100", "1.0E-4"): text such as "PASSED", and numbers out of range or in
// another form ("-1", "1e308", "NaN", "Inf", "0x1p6"), give no score.
func (it ScoreItem) Fraction() (float64, bool) {
	v, _, ok := tolerant.Percent(it.Value)
	if !ok {
		return 0, false
	}
	if v > 1 {
		v /= 100
	}
	return v, true
}

// ScoreItems is a list of leaves. Incode sends it as an array of keyed
// leaves; an object of leaves by key is accepted too, in key order.
type ScoreItems []ScoreItem

// UnmarshalJSON accepts an array, an object of leaves, or null.
func (s *ScoreItems) UnmarshalJSON(b []byte) error {
	t := bytes.TrimSpace(b)
	switch {
	case len(t) == 0 || string(t) == "null":
		*s = nil
		return nil
	case t[0] == '[':
		var items []ScoreItem
		if err := json.Unmarshal(t, &items); err != nil {
			return err
		}
		*s = items
		return nil
	case t[0] == '{':
		var m map[string]ScoreItem
		if err := json.Unmarshal(t, &m); err != nil {
			return err
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(ScoreItems, 0, len(keys))
		for _, k := range keys {
			it := m[k]
			if it.Key == "" {
				it.Key = k
			}
			out = append(out, it)
		}
		*s = out
		return nil
	}
	return errors.New("incode: a score list is an array or an object")
}

// IDValidationScores are the document checks. CustomFields holds the
// checks the flow adds, such as the firstNameMatch and lastNameMatch of the
// name given at start against the name read from the ID.
type IDValidationScores struct {
	PhotoSecurityAndQuality ScoreItems      `json:"photoSecurityAndQuality"`
	IDSpecific              ScoreItems      `json:"idSpecific"`
	CustomFields            ScoreItems      `json:"customFields"`
	AppliedRule             json.RawMessage `json:"appliedRule,omitempty"`
	Overall                 ScoreItem       `json:"overall"`
}

// LivenessScores are the selfie liveness checks.
type LivenessScores struct {
	LivenessScore ScoreItem `json:"livenessScore"`
	PhotoQuality  ScoreItem `json:"photoQuality"`
	Overall       ScoreItem `json:"overall"`
}

// FaceRecognitionScores are the face match and 1:N checks.
type FaceRecognitionScores struct {
	ExistingUser        bool            `json:"existingUser" wire:"existingUser"`
	ExistingInterviewID string          `json:"existingInterviewId" wire:"existingInterviewId"`
	ExistingExternalID  string          `json:"existingExternalId" wire:"existingExternalId"`
	MaskCheck           ScoreItem       `json:"maskCheck" wire:"maskCheck"`
	LensesCheck         ScoreItem       `json:"lensesCheck" wire:"lensesCheck"`
	FaceBrightness      ScoreItem       `json:"faceBrightness" wire:"faceBrightness"`
	NameMatch           ScoreItem       `json:"nameMatch" wire:"nameMatch"`
	AppliedRule         json.RawMessage `json:"appliedRule,omitempty" wire:"appliedRule"`
	Overall             ScoreItem       `json:"overall" wire:"overall"`
}

// UnmarshalJSON accepts fields that are null, numbers or strings where
// Incode is loose about their types.
func (f *FaceRecognitionScores) UnmarshalJSON(b []byte) error { return unmarshalWire(b, f) }

// unmarshalWire is the UnmarshalJSON of a type with wire tags: *v is reset
// and filled from b by tolerant.Decode (which reads its ScoreItem fields
// through their own UnmarshalJSON); null leaves it zero, as encoding/json
// does.
func unmarshalWire[T any](b []byte, v *T) error {
	*v = *new(T)
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	return tolerant.Decode(b, v)
}

// OCRConfidenceScores is Incode's confidence in its reading of the ID.
type OCRConfidenceScores struct {
	OverallConfidence ScoreItem `json:"overallConfidence"`
}

// ScoreResult is the answer to Score
// (https://developer.incode.com/docs/fetch-scores). Sections Incode did not
// run are nil; sections this type does not name stay in Raw.
type ScoreResult struct {
	IDValidation      *IDValidationScores    `json:"idValidation" wire:"idValidation"`
	Liveness          *LivenessScores        `json:"liveness" wire:"liveness"`
	FaceRecognition   *FaceRecognitionScores `json:"faceRecognition" wire:"faceRecognition"`
	IDOCRConfidence   *OCRConfidenceScores   `json:"idOcrConfidence" wire:"idOcrConfidence"`
	Overall           ScoreItem              `json:"overall" wire:"overall"`
	ReasonMsg         string                 `json:"reasonMsg" wire:"reasonMsg"`
	NeedsReviewReason string                 `json:"needsReviewReason" wire:"needsReviewReason"`
	// Raw is the body as Incode sent it. It is personal data.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON accepts texts that are null or numbers.
func (r *ScoreResult) UnmarshalJSON(b []byte) error { return unmarshalWire(b, r) }

// DecodeScore decodes a /omni/get/score body. A body whose named leaves
// (every section's overall, livenessScore, photoQuality, the face checks,
// overallConfidence) hold a number that is not a decimal from 0 to 100 —
// "-1", "100.1", "1e308", "NaN", "Inf", "0x1p6" — is refused with an
// error, which Score returns as a *kyc.Error of kind kyc.ErrBadResponse:
// a score out of its range never reaches a verdict. Text values ("PASSED",
// "", null) are accepted and give no number.
func DecodeScore(b []byte) (*ScoreResult, error) {
	b = transport.StripBOM(b)
	if t := bytes.TrimSpace(b); len(t) == 0 || t[0] != '{' {
		return nil, errors.New("incode: the score body is not a JSON object")
	}
	var r ScoreResult
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	if err := r.checkRanges(); err != nil {
		return nil, err
	}
	r.Raw = json.RawMessage(b)
	return &r, nil
}

// overallStatuses maps the overall status onto kyc statuses. A status not
// listed but not empty is a Review: someone must look.
var overallStatuses = map[ScoreStatus]kyc.Status{
	"":                 kyc.StatusPending,
	ScoreOK:            kyc.StatusApproved,
	ScoreManualOK:      kyc.StatusApproved,
	ScoreFail:          kyc.StatusRejected,
	ScoreManualFail:    kyc.StatusRejected,
	ScoreWarn:          kyc.StatusReview,
	ScoreManual:        kyc.StatusReview,
	ScoreManualPending: kyc.StatusReview,
	ScoreUnknown:       kyc.StatusReview,
}

// Status maps the overall verdict: OK → approved, FAIL → rejected,
// WARN/MANUAL → review, empty → pending.
func (r *ScoreResult) Status() kyc.Status {
	if st, ok := overallStatuses[r.Overall.Status]; ok {
		return st
	}
	return kyc.StatusReview
}

// leafReasons maps score leaves, by key, onto reasons.
var leafReasons = map[string]kyc.Reason{
	"tamperCheck":            kyc.ReasonDocumentForged,
	"screenIdLiveness":       kyc.ReasonDocumentForged,
	"paperIdLiveness":        kyc.ReasonDocumentForged,
	"visiblePhotoFeatures":   kyc.ReasonDocumentForged,
	"fullNameCrosscheck":     kyc.ReasonDocumentForged,
	"expirationDateValidity": kyc.ReasonDocumentExpired,
	"documentExpired":        kyc.ReasonDocumentExpired,
	"documentClassification": kyc.ReasonUnsupportedDocument,
	"balancedLightFront":     kyc.ReasonLowQualityImage,
	"balancedLightBack":      kyc.ReasonLowQualityImage,
	"sharpnessFront":         kyc.ReasonLowQualityImage,
	"sharpnessBack":          kyc.ReasonLowQualityImage,
	"idAlreadyUsedCheck":     kyc.ReasonDifferentPerson,
	"birthDateValidity":      kyc.ReasonOther,
	"livenessScore":          kyc.ReasonLivenessFailed,
	"photoQuality":           kyc.ReasonLowQualityImage,
	"maskCheck":              kyc.ReasonLivenessFailed,
	"lensesCheck":            kyc.ReasonLowQualityImage,
	"faceBrightness":         kyc.ReasonLowQualityImage,
	"nameMatch":              kyc.ReasonNameMismatch,
	"firstNameMatch":         kyc.ReasonNameMismatch,
	"lastNameMatch":          kyc.ReasonNameMismatch,
}

// Reasons lists the reasons behind failing leaves (and warning leaves when
// warn is set), without repeats: the specific ID checks (a FAIL in the
// customFields firstNameMatch or lastNameMatch is ReasonNameMismatch), then liveness →
// ReasonLivenessFailed and face recognition → ReasonFaceMismatch. A failing
// section with no failing leaf Incode names gives ReasonOther.
func (r *ScoreResult) Reasons(warn bool) []kyc.Reason {
	bad := func(st ScoreStatus) bool {
		return st == ScoreFail || st == ScoreManualFail || (warn && st == ScoreWarn)
	}
	var out []kyc.Reason
	add := func(x kyc.Reason) {
		for _, y := range out {
			if y == x {
				return
			}
		}
		out = append(out, x)
	}
	leaf := func(key string, it ScoreItem) bool {
		if !bad(it.Status) {
			return false
		}
		if it.Key != "" {
			key = it.Key
		}
		if x, ok := leafReasons[key]; ok {
			add(x)
		} else {
			add(kyc.ReasonOther)
		}
		return true
	}
	if v := r.IDValidation; v != nil {
		found := false
		for _, list := range []ScoreItems{v.PhotoSecurityAndQuality, v.IDSpecific, v.CustomFields} {
			for _, it := range list {
				found = leaf("", it) || found
			}
		}
		if !found && bad(v.Overall.Status) {
			add(kyc.ReasonOther)
		}
	}
	if v := r.Liveness; v != nil && (bad(v.Overall.Status) || bad(v.LivenessScore.Status)) {
		add(kyc.ReasonLivenessFailed)
	}
	if v := r.FaceRecognition; v != nil {
		if bad(v.Overall.Status) {
			add(kyc.ReasonFaceMismatch)
		}
		for _, it := range []struct {
			key string
			it  ScoreItem
		}{{"maskCheck", v.MaskCheck}, {"lensesCheck", v.LensesCheck}, {"faceBrightness", v.FaceBrightness}} {
			leaf(it.key, it.it)
		}
	}
	if len(out) == 0 && bad(r.Overall.Status) {
		add(kyc.ReasonOther)
	}
	return out
}

// Scores converts the section verdicts into 0..1 kyc scores, from the
// overall values Incode sends as percentages.
func (r *ScoreResult) Scores() kyc.Scores {
	var s kyc.Scores
	set := func(dst *kyc.Score, items ...ScoreItem) {
		for _, it := range items {
			if v, ok := it.Fraction(); ok {
				*dst = kyc.NewScore(v)
				return
			}
		}
	}
	if v := r.IDValidation; v != nil {
		set(&s.Document, v.Overall)
	}
	if v := r.Liveness; v != nil {
		set(&s.Liveness, v.Overall, v.LivenessScore)
	}
	if v := r.FaceRecognition; v != nil {
		set(&s.FaceMatch, v.Overall)
	}
	return s
}

// OCRName is the name read from the ID.
type OCRName struct {
	FullName                string `json:"fullName,omitempty"`
	FirstName               string `json:"firstName,omitempty"`
	GivenName               string `json:"givenName,omitempty"`
	MiddleName              string `json:"middleName,omitempty"`
	PaternalLastName        string `json:"paternalLastName,omitempty"`
	MaternalLastName        string `json:"maternalLastName,omitempty"`
	NameSuffix              string `json:"nameSuffix,omitempty"`
	MachineReadableFullName string `json:"machineReadableFullName,omitempty"`
	GivenNameMrz            string `json:"givenNameMrz,omitempty"`
	LastNameMrz             string `json:"lastNameMrz,omitempty"`
}

// OCRAddress is the structured address read from the ID.
type OCRAddress struct {
	Street     string `json:"street,omitempty"`
	Colony     string `json:"colony,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"`
}

// OCRResult is the answer to OCRData
// (https://developer.incode.com/docs/fetch-extracted-ocr): the common
// fields typed, the rest in Raw. Incode sends only the fields the detected
// document has. This is personal data: it never appears in logs or errors.
type OCRResult struct {
	Name          OCRName    `wire:"name"`
	Address       string     `wire:"address"`
	AddressFields OCRAddress `wire:"addressFields"`
	TypeOfID      string     `wire:"typeOfId"`
	FrontSubtype  string     `wire:"documentFrontSubtype"`
	BackSubtype   string     `wire:"documentBackSubtype"`
	// BirthDate is in milliseconds since the epoch, UTC (negative before
	// 1970); HasBirthDate says whether Incode sent one.
	BirthDate    int64 `wire:"birthDate,valid=HasBirthDate"`
	HasBirthDate bool
	Gender       string `wire:"gender"`
	// DocumentNumber, PersonalNumber, RefNumber and TaxIDNumber are the
	// document's numbers, as printed.
	DocumentNumber string `wire:"documentNumber"`
	PersonalNumber string `wire:"personalNumber"`
	RefNumber      string `wire:"refNumber"`
	TaxIDNumber    string `wire:"taxIdNumber"`
	// IssuedAt and ExpireAt are epoch milliseconds sent as strings.
	IssuedAt string `wire:"issuedAt"`
	ExpireAt string `wire:"expireAt"`
	// IssueDate and ExpirationDate are years.
	IssueDate        int    `wire:"issueDate"`
	ExpirationDate   int    `wire:"expirationDate"`
	IssuingCountry   string `wire:"issuingCountry"`
	IssuingState     string `wire:"issuingState"`
	IssuingAuthority string `wire:"issuingAuthority"`
	Nationality      string `wire:"nationality"`
	NationalityMrz   string `wire:"nationalityMrz"`
	MRZ1             string `wire:"mrz1"`
	MRZ2             string `wire:"mrz2"`
	MRZ3             string `wire:"mrz3"`
	// Confidence holds ocrDataConfidence: per-field confidences, 0..1; a
	// value outside 0..1 (or NaN) is left out.
	Confidence map[string]float64
	// Raw is the body as Incode sent it.
	Raw json.RawMessage
}

// DecodeOCR decodes a /omni/get/ocr-data body.
func DecodeOCR(b []byte) (*OCRResult, error) {
	b = transport.StripBOM(b)
	// ocrDataConfidence is read beside the result, then range-checked.
	w := struct {
		*OCRResult
		Confidence map[string]tolerant.Float `wire:"ocrDataConfidence"`
	}{OCRResult: &OCRResult{Raw: json.RawMessage(b)}}
	if err := tolerant.Decode(b, &w); err != nil {
		return nil, err
	}
	d := w.OCRResult
	for k, v := range w.Confidence {
		if v.Valid && unit(v) {
			if d.Confidence == nil {
				d.Confidence = map[string]float64{}
			}
			d.Confidence[k] = v.Value
		}
	}
	return d, nil
}

// DateOfBirth is BirthDate as a date at midnight UTC, or zero.
func (d *OCRResult) DateOfBirth() time.Time {
	if !d.HasBirthDate {
		return time.Time{}
	}
	y, m, day := time.UnixMilli(d.BirthDate).UTC().Date()
	return time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
}

// Expiry is ExpireAt as a date at midnight UTC, or zero.
func (d *OCRResult) Expiry() time.Time { return tolerant.EpochMillis(d.ExpireAt) }

// Issued is IssuedAt as a date at midnight UTC, or zero.
func (d *OCRResult) Issued() time.Time { return tolerant.EpochMillis(d.IssuedAt) }

// documentTypes maps typeOfId onto kyc document types.
var documentTypes = map[string]kyc.DocumentType{
	"Passport":            kyc.DocumentPassport,
	"DriversLicense":      kyc.DocumentDriverLicense,
	"IdentificationCard":  kyc.DocumentIDCard,
	"FederalID":           kyc.DocumentIDCard,
	"VoterIdentification": kyc.DocumentIDCard,
	"ResidenceDocument":   kyc.DocumentResidencePermit,
	"Permit":              kyc.DocumentResidencePermit,
}

// Document converts the OCR fields into kyc.DocumentData. Fields with no
// place there (typeOfId, issuing state, personal number, gender as sent)
// go in Extra.
func (d *OCRResult) Document() *kyc.DocumentData {
	first := d.Name.FirstName
	if first == "" {
		first = d.Name.GivenName
	}
	last := strings.TrimSpace(d.Name.PaternalLastName + " " + d.Name.MaternalLastName)
	full := strings.TrimSpace(d.Name.FullName)
	if full == "" {
		full = strings.TrimSpace(first + " " + last)
	}
	out := &kyc.DocumentData{
		Type: documentTypes[d.TypeOfID], Number: strings.TrimSpace(d.DocumentNumber),
		FullName: full, FirstName: strings.TrimSpace(first), LastName: last,
		DateOfBirth: d.DateOfBirth(), IssueDate: d.Issued(), ExpiryDate: d.Expiry(),
		Sex: d.Gender, Nationality: d.Nationality, IssuingCountry: d.IssuingCountry,
		Address: d.Address,
	}
	extra := map[string]string{
		"typeOfId": d.TypeOfID, "issuingState": d.IssuingState, "issuingAuthority": d.IssuingAuthority,
		"personalNumber": d.PersonalNumber, "refNumber": d.RefNumber, "taxIdNumber": d.TaxIDNumber,
		"documentFrontSubtype": d.FrontSubtype, "documentBackSubtype": d.BackSubtype,
	}
	for k, v := range extra {
		if v == "" {
			delete(extra, k)
		}
	}
	if len(extra) > 0 {
		out.Extra = extra
	}
	return out
}
