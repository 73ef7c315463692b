package ekycid

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
	"github.com/kyc-go/kyc/internal/transport"
)

// ReplyResult is the vendor's reply to a submission, from GET
// v0/api-request-reply/{id}: {result, error{code, message}, service_usage}
// as the vendor's Node SDK types it (ApiResultResponse). The shape of result
// is not published; Document, FaceMatch, Liveness and Outcome decode it
// tolerantly, and Result keeps it as it came.
type ReplyResult struct {
	// ID is the submission's id, as passed to Reply.
	ID string
	// Result is the operation's result; empty until the reply is ready, and
	// when the vendor reports an error.
	Result json.RawMessage
	// Error is the vendor's error for the operation, nil when none.
	Error *ReplyError
	// Usage is the vendor's record of the call, when it sends one.
	Usage *ServiceUsage
	// Raw is the whole body. It is personal data: the OCR of the person's
	// document and their scores.
	Raw json.RawMessage
}

// ReplyError is the error object of a reply.
type ReplyError struct {
	Code    string
	Message string
}

// ServiceUsage is the service_usage object of a reply. Times are zero when
// absent or unreadable.
type ServiceUsage struct {
	ID         string
	StartTime  time.Time
	EndTime    time.Time
	InsertedAt time.Time
	// IsSuccess is the vendor's is_success flag.
	IsSuccess bool
}

// Done reports whether the reply is final: it carries a result or an error.
func (r *ReplyResult) Done() bool {
	return r != nil && (r.Error != nil || len(r.Result) > 0)
}

// DecodeReply decodes a reply body. A body that is not a JSON object is an
// error; unknown fields and loose types are tolerated.
func DecodeReply(body []byte) (*ReplyResult, error) {
	var w struct {
		Result       json.RawMessage `json:"result"`
		Error        json.RawMessage `json:"error"`
		ServiceUsage json.RawMessage `json:"service_usage"`
	}
	t := bytes.TrimSpace(transport.StripBOM(body))
	if len(t) == 0 || t[0] != '{' {
		return nil, errors.New("ekycid: the reply is not a JSON object")
	}
	if err := json.Unmarshal(t, &w); err != nil {
		return nil, err
	}
	r := &ReplyResult{Raw: json.RawMessage(body)}
	if !isNull(w.Result) {
		r.Result = w.Result
	}
	if e := decodeError(w.Error); e != nil {
		r.Error = e
		r.Result = nil
	}
	if u := objectOf(w.ServiceUsage); u != nil {
		r.Usage = &ServiceUsage{
			ID:         field(u, "id"),
			StartTime:  instant(field(u, "start_time")),
			EndTime:    instant(field(u, "end_time")),
			InsertedAt: instant(field(u, "inserted_at")),
			IsSuccess:  flag(u, "is_success") == DecisionPass,
		}
	}
	return r, nil
}

// decodeError reads an error given as {code, message} or as a bare string.
// An error with neither code nor message is no error.
func decodeError(raw json.RawMessage) *ReplyError {
	if isNull(raw) {
		return nil
	}
	if s := scalarString(raw); s != "" {
		return &ReplyError{Message: s}
	}
	m := objectOf(raw)
	if m == nil {
		return nil
	}
	e := &ReplyError{Code: field(m, "code", "error_code", "errorCode"), Message: field(m, "message", "msg", "detail")}
	if e.Code == "" && e.Message == "" {
		return nil
	}
	return e
}

// Decision is a pass or fail the vendor stated, or its absence.
type Decision int

// Decisions.
const (
	DecisionNone Decision = iota
	DecisionPass
	DecisionFail
)

// Verdict is the outcome of one check as the vendor gave it: a score, a
// decision, either or both.
type Verdict struct {
	Score    kyc.Score
	Decision Decision
	// outOfRange is set when the score the vendor sent is a number that
	// is not a decimal from 0 to 100; Score is then not given.
	outOfRange bool
}

// Given reports whether the vendor said anything about the check.
func (v Verdict) Given() bool { return v.Score.Given() || v.Decision != DecisionNone }

// OutOfRange reports that the vendor's score is a number that is not a
// decimal from 0 to 100 ("-1", "150", 1e308, "NaN", "Inf"): the check is
// then undecided whatever the decision says, and Verify and Result refuse
// the reply (ErrBadResponse).
func (v Verdict) OutOfRange() bool { return v.outOfRange }

// Passed decides the check: the vendor's decision when it gave one, else the
// score against threshold. ok is false when neither was given, and when the
// score is out of range (OutOfRange).
func (v Verdict) Passed(threshold float64) (pass, ok bool) {
	if v.outOfRange {
		return false, false
	}
	switch v.Decision {
	case DecisionPass:
		return true, true
	case DecisionFail:
		return false, true
	}
	if s, given := v.Score.Value(); given {
		return s >= threshold, true
	}
	return false, false
}

// Outcome is a KYC result decoded: the document fields, the face match and
// the liveness verdicts. Fields the result lacks are nil or not given.
type Outcome struct {
	Document  *kyc.DocumentData
	FaceMatch Verdict
	Liveness  Verdict
}

// Keys under which a combined (express or manual KYC) result is expected to
// hold each part. All inferred: the vendor does not publish the result.
var (
	ocrKeys      = []string{"ocr", "document", "id_card", "national_id", "ocr_result"}
	faceKeys     = []string{"face_compare", "face_match", "faceCompare", "face_comparison", "face"}
	livenessKeys = []string{"liveness", "liveness_detection", "livenessDetection"}
)

// Outcome decodes a result of any operation. A combined result (express or
// manual KYC) holds each part under its own key (ocr, face_compare,
// liveness and their variants). A result with none of those keys is one
// operation's: document fields, and either a liveness verdict (when it has
// is_live, liveness_score or sequences) or a face comparison.
func (r *ReplyResult) Outcome() Outcome {
	m := objectOf(r.resultObject())
	var o Outcome
	if m == nil {
		return o
	}
	ocr, face, live := firstObject(m, ocrKeys...), firstObject(m, faceKeys...), firstObject(m, livenessKeys...)
	if ocr != nil {
		o.Document = documentFrom(ocr)
	} else {
		o.Document = documentFrom(m)
	}
	switch {
	case face != nil || live != nil:
		if face != nil {
			o.FaceMatch = faceVerdict(face)
		}
		if live != nil {
			o.Liveness = livenessVerdict(live)
		}
	case hasAny(m, "is_live", "is_liveness", "liveness_score", "sequences"):
		o.Liveness = livenessVerdict(m)
	default:
		o.FaceMatch = faceVerdict(m)
	}
	return o
}

func hasAny(m map[string]json.RawMessage, keys ...string) bool {
	for _, k := range keys {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

// Document decodes an OCR result into document fields, or nil when the
// result has none. Read from the vendor's Flutter SDK model of a Cambodian
// national ID ({"ENG": {first_name, last_name, full_name, birth_date
// (YYYYMMDD), expiry_date, sex, nationality, document_number…}, "KHM":
// {NAME_KH, ADDRESS_KH…}}) and from a customer demo's flat form
// ({firstName, lastName, idCardNumber, dateOfBirth, expireDate, gender,
// address}); both are inferred for this API.
func (r *ReplyResult) Document() *kyc.DocumentData {
	m := r.section(ocrKeys)
	if m == nil {
		return nil
	}
	return documentFrom(m)
}

// FaceMatch decodes a face comparison result: a score (score, similarity,
// confidence; percentages are scaled to 0..1) and a decision (is_match,
// matched). Inferred: the vendor's Flutter app reads a score only.
func (r *ReplyResult) FaceMatch() Verdict {
	m := r.section(faceKeys)
	if m == nil {
		return Verdict{}
	}
	return faceVerdict(m)
}

// Liveness decodes a liveness result: a score and a decision (is_live,
// is_success), or per-sequence decisions, all of which must pass. Inferred.
func (r *ReplyResult) Liveness() Verdict {
	m := r.section(livenessKeys)
	if m == nil {
		return Verdict{}
	}
	return livenessVerdict(m)
}

// section returns the reply's result object, or its first sub-object
// under one of keys when it has one ({"face_compare": {…}}); nil when the
// result is not an object.
func (r *ReplyResult) section(keys []string) map[string]json.RawMessage {
	m := objectOf(r.resultObject())
	if m == nil {
		return nil
	}
	if sub := firstObject(m, keys...); sub != nil {
		return sub
	}
	return m
}

// resultObject unwraps a result held in a string or under "data".
func (r *ReplyResult) resultObject() json.RawMessage {
	if r == nil || len(r.Result) == 0 {
		return nil
	}
	raw := r.Result
	if s := bytes.TrimSpace(raw); len(s) > 0 && s[0] == '"' {
		var inner json.RawMessage
		if tolerant.Nested(raw, &inner) == nil && len(inner) > 0 {
			raw = inner
		}
	}
	if m := objectOf(raw); m != nil {
		if d, ok := m["data"]; ok && objectOf(d) != nil && len(m) <= 3 {
			return d
		}
	}
	return raw
}

func faceVerdict(m map[string]json.RawMessage) Verdict {
	sc, bad := score(m, "score", "similarity", "confidence", "face_compare_score", "match_score")
	return Verdict{Score: sc, outOfRange: bad, Decision: flag(m, "is_match", "matched", "is_same_person", "match", "is_success")}
}

func livenessVerdict(m map[string]json.RawMessage) Verdict {
	sc, bad := score(m, "score", "liveness_score", "confidence")
	v := Verdict{Score: sc, outOfRange: bad, Decision: flag(m, "is_live", "is_liveness", "live", "is_success", "passed")}
	if v.Decision != DecisionNone {
		return v
	}
	var seqs []json.RawMessage
	if raw, ok := m["sequences"]; ok && json.Unmarshal(raw, &seqs) == nil && len(seqs) > 0 {
		v.Decision = DecisionPass
		for _, s := range seqs {
			sm := objectOf(s)
			switch flag(sm, "is_live", "is_success", "passed", "success") {
			case DecisionFail:
				v.Decision = DecisionFail
			case DecisionNone:
				if v.Decision == DecisionPass {
					v.Decision = DecisionNone
				}
			}
		}
	}
	return v
}

// Date layouts seen or expected in OCR output: ISO dates and instants
// (customer demo), YYYYMMDD (Flutter model), day-first forms (the card).
var dateLayouts = []string{
	"2006-01-02", time.RFC3339Nano, "2006-01-02T15:04:05", "20060102", "02/01/2006", "02.01.2006", "02-01-2006",
}

func documentFrom(m map[string]json.RawMessage) *kyc.DocumentData {
	eng, khm := objectOf(m["ENG"]), objectOf(m["KHM"])
	if eng == nil {
		eng = m
	}
	d := &kyc.DocumentData{
		Number:         field(eng, "document_number", "id_number", "idCardNumber", "id_card_number", "documentNumber", "number"),
		FirstName:      field(eng, "first_name", "firstName", "given_name"),
		LastName:       field(eng, "last_name", "lastName", "surname"),
		FullName:       field(eng, "full_name", "fullName", "name"),
		DateOfBirth:    tolerant.Date(field(eng, "birth_date", "date_of_birth", "dateOfBirth", "dob"), dateLayouts...),
		ExpiryDate:     tolerant.Date(field(eng, "expiry_date", "expireDate", "expiryDate", "expiration_date", "date_of_expiry"), dateLayouts...),
		IssueDate:      tolerant.Date(field(eng, "issue_date", "issueDate", "date_of_issue"), dateLayouts...),
		Sex:            strings.ToUpper(field(eng, "sex", "gender")),
		Nationality:    field(eng, "nationality"),
		IssuingCountry: field(eng, "country", "issuing_country"),
		Address:        field(eng, "address"),
	}
	if d.FullName == "" && (d.LastName != "" || d.FirstName != "") {
		// Khmer names, like the card's MRZ, put the family name first.
		d.FullName = strings.TrimSpace(d.LastName + " " + d.FirstName)
	}
	if khm != nil {
		d.Extra = map[string]string{}
		for k := range khm {
			if v := field(khm, k); v != "" {
				d.Extra[k] = v
			}
		}
		if d.Address == "" {
			d.Address = field(khm, "ADDRESS_KH")
		}
	}
	if d.Number == "" && d.FullName == "" && d.DateOfBirth.IsZero() && d.ExpiryDate.IsZero() && len(d.Extra) == 0 {
		return nil
	}
	if t := field(m, "object_type", "doc"); t == "" || t == string(NationalID) || strings.HasPrefix(strings.ToUpper(t), "I") {
		d.Type = kyc.DocumentIDCard
	}
	return d
}

// field returns the first key's value that is a non-empty scalar, or a
// {"value": …} object holding one.
func field(m map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		raw, ok := m[k]
		if !ok {
			continue
		}
		if s := scalarString(raw); s != "" {
			return s
		}
		if inner := objectOf(raw); inner != nil {
			if s := scalarString(inner["value"]); s != "" {
				return s
			}
		}
	}
	return ""
}

// score reads the first of keys that holds a number as a 0..1 score
// (values above 1 are percentages; a decimal comma is read as a point).
// outOfRange is set, and the score not given, when that number is not a
// decimal from 0 to 100. A value that is not a number is skipped.
func score(m map[string]json.RawMessage, keys ...string) (s kyc.Score, outOfRange bool) {
	for _, k := range keys {
		var t tolerant.String
		if raw, ok := m[k]; !ok || json.Unmarshal(raw, &t) != nil {
			continue
		}
		v, number, ok := tolerant.Percent(strings.Replace(string(t), ",", ".", 1))
		switch {
		case !number:
			continue
		case !ok:
			return kyc.Score{}, true
		}
		if v > 1 { // a percentage
			v /= 100
		}
		return kyc.NewScore(v), false
	}
	return kyc.Score{}, false
}

func flag(m map[string]json.RawMessage, keys ...string) Decision {
	for _, k := range keys {
		raw, ok := m[k]
		if !ok || isNull(raw) {
			continue
		}
		var s tolerant.String
		if json.Unmarshal(raw, &s) != nil || s == "" {
			continue
		}
		var b tolerant.Bool
		_ = b.UnmarshalJSON(raw)
		if b {
			return DecisionPass
		}
		return DecisionFail
	}
	return DecisionNone
}

func firstObject(m map[string]json.RawMessage, keys ...string) map[string]json.RawMessage {
	for _, k := range keys {
		if o := objectOf(m[k]); o != nil {
			return o
		}
	}
	return nil
}

func objectOf(raw json.RawMessage) map[string]json.RawMessage {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(t, &m) != nil {
		return nil
	}
	return m
}

// scalarString returns a string, number or boolean as trimmed text, and ""
// for anything else.
func scalarString(raw json.RawMessage) string {
	var s tolerant.String
	if len(raw) == 0 || s.UnmarshalJSON(raw) != nil {
		return ""
	}
	return strings.TrimSpace(string(s))
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

func instant(s string) time.Time {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC()
	}
	return time.Time{}
}
