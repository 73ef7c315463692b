package ekycid

import (
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// The vendor documents three authentication failures in words ("Missing API
// key", "Invalid or expired API key", "Insufficient permissions for the
// requested operation") and no code list; the reply envelope's error.code is
// a string. The codes below are therefore this package's names for those
// failures, matched exactly, and every code is also classified by the words
// in it and in its message (keywordKinds), so the vendor's real spelling is
// caught as long as it says what it means. The ekycidtest fake answers with
// these codes.
var codeKinds = map[string]error{
	"MISSING_API_KEY":          kyc.ErrUnauthorized,
	"INVALID_API_KEY":          kyc.ErrUnauthorized,
	"EXPIRED_API_KEY":          kyc.ErrUnauthorized,
	"UNAUTHORIZED":             kyc.ErrUnauthorized,
	"INSUFFICIENT_PERMISSIONS": kyc.ErrForbidden,
	"FORBIDDEN":                kyc.ErrForbidden,
	"NOT_FOUND":                kyc.ErrNotFound,
	"DUPLICATE_IDEMPOTENT_ID":  kyc.ErrInvalidRequest,
	"INVALID_REQUEST":          kyc.ErrInvalidRequest,
	"RATE_LIMITED":             kyc.ErrRateLimited,
	"INSUFFICIENT_CREDIT":      kyc.ErrInsufficientCredit,
	"INTERNAL_ERROR":           kyc.ErrUnavailable,
	"SERVICE_UNAVAILABLE":      kyc.ErrUnavailable,
	"TIMEOUT":                  kyc.ErrTimeout,
	"FILE_TOO_LARGE":           kyc.ErrInvalidRequest,
}

// codeTexts are this package's safe texts for the codes above; they become
// Error.Message (printed by Error), while the vendor's own text stays in
// Error.VendorMessage. The authentication texts are the vendor's documented
// wording.
var codeTexts = map[string]string{
	"MISSING_API_KEY":          "missing API key",
	"INVALID_API_KEY":          "invalid or expired API key",
	"EXPIRED_API_KEY":          "invalid or expired API key",
	"INSUFFICIENT_PERMISSIONS": "insufficient permissions for the requested operation",
	"NOT_FOUND":                "no such request or endpoint",
	"DUPLICATE_IDEMPOTENT_ID":  "the idempotent_id was already used for a different request",
	"FILE_TOO_LARGE":           "a file of the form is larger than the server accepts",
}

// apiError is tc.APIError with this package's safe text for known codes.
func (c *Client) apiError(op string, resp *transport.Response, kind error, code, vendorMsg string) *kyc.Error {
	e := c.tc.APIError(op, resp, kind, code, vendorMsg)
	if t, ok := codeTexts[strings.ToUpper(strings.TrimSpace(code))]; ok {
		e.Message = t
	}
	return e
}

// keywordKinds classifies a code or message by its words, in order: the
// first rule whose words all appear wins.
var keywordKinds = []struct {
	words []string
	kind  error
}{
	{[]string{"permission"}, kyc.ErrForbidden},
	{[]string{"forbidden"}, kyc.ErrForbidden},
	{[]string{"idempoten"}, kyc.ErrInvalidRequest}, // before "key": an idempotency key is not a credential
	{[]string{"duplicate"}, kyc.ErrInvalidRequest},
	{[]string{"key"}, kyc.ErrUnauthorized}, // missing, invalid or expired API key
	{[]string{"unauthori"}, kyc.ErrUnauthorized},
	{[]string{"token"}, kyc.ErrUnauthorized},
	{[]string{"not", "found"}, kyc.ErrNotFound},
	{[]string{"rate", "limit"}, kyc.ErrRateLimited},
	{[]string{"too", "many"}, kyc.ErrRateLimited},
	{[]string{"credit"}, kyc.ErrInsufficientCredit},
	{[]string{"quota"}, kyc.ErrInsufficientCredit},
	{[]string{"internal"}, kyc.ErrUnavailable},
	{[]string{"unavailable"}, kyc.ErrUnavailable},
	{[]string{"timeout"}, kyc.ErrTimeout},
	{[]string{"timed", "out"}, kyc.ErrTimeout},
}

// codeReasons are reply errors that describe the person's input, not a
// failed call: Verify turns them into a rejection with the reason, and
// Resubmit says whether capturing again can help. Inferred, like codeKinds;
// reasonKeywords catches other spellings.
var codeReasons = map[string]struct {
	reason   kyc.Reason
	resubmit bool
}{
	"OCR_FAILED":              {kyc.ReasonLowQualityImage, true},
	"UNREADABLE_DOCUMENT":     {kyc.ReasonLowQualityImage, true},
	"LOW_QUALITY_IMAGE":       {kyc.ReasonLowQualityImage, true},
	"DOCUMENT_NOT_DETECTED":   {kyc.ReasonNoDocument, true},
	"ID_NOT_DETECTED":         {kyc.ReasonNoDocument, true},
	"FACE_NOT_DETECTED":       {kyc.ReasonNoFace, true},
	"NO_FACE":                 {kyc.ReasonNoFace, true},
	"LIVENESS_FAILED":         {kyc.ReasonLivenessFailed, false},
	"FACE_MISMATCH":           {kyc.ReasonFaceMismatch, false},
	"UNSUPPORTED_OBJECT_TYPE": {kyc.ReasonUnsupportedDocument, false},
	"DOCUMENT_EXPIRED":        {kyc.ReasonDocumentExpired, false},
}

var reasonKeywords = []struct {
	words    []string
	reason   kyc.Reason
	resubmit bool
}{
	{[]string{"face", "not", "detect"}, kyc.ReasonNoFace, true},
	{[]string{"no", "face"}, kyc.ReasonNoFace, true},
	{[]string{"liveness"}, kyc.ReasonLivenessFailed, false},
	{[]string{"mismatch"}, kyc.ReasonFaceMismatch, false},
	{[]string{"expired"}, kyc.ReasonDocumentExpired, false},
	{[]string{"unsupported"}, kyc.ReasonUnsupportedDocument, false},
	{[]string{"not", "detect"}, kyc.ReasonNoDocument, true},
	{[]string{"no", "document"}, kyc.ReasonNoDocument, true},
	{[]string{"cannot", "extract"}, kyc.ReasonLowQualityImage, true},
	{[]string{"invalid", "national", "id"}, kyc.ReasonLowQualityImage, true},
	{[]string{"ocr"}, kyc.ReasonLowQualityImage, true},
	{[]string{"unreadable"}, kyc.ReasonLowQualityImage, true},
	{[]string{"blur"}, kyc.ReasonLowQualityImage, true},
}

// codeKind classifies a vendor code and message: the exact table, then the
// words; nil when neither says anything (the HTTP status decides then).
func codeKind(code, msg string) error {
	if k, ok := codeKinds[strings.ToUpper(strings.TrimSpace(code))]; ok {
		return k
	}
	for _, text := range []string{code, msg} {
		if k := byWords(text); k != nil {
			return k
		}
	}
	return nil
}

func byWords(text string) error {
	t := normalize(text)
	if t == "" {
		return nil
	}
	for _, r := range keywordKinds {
		if hasAll(t, r.words) {
			return r.kind
		}
	}
	return nil
}

// reasonFor returns the rejection reason for a reply error, if it is one.
func reasonFor(e *ReplyError) (kyc.Reason, bool, bool) {
	if e == nil {
		return "", false, false
	}
	if r, ok := codeReasons[strings.ToUpper(strings.TrimSpace(e.Code))]; ok {
		return r.reason, r.resubmit, true
	}
	if codeKind(e.Code, "") != nil {
		return "", false, false
	}
	for _, text := range []string{e.Code, e.Message} {
		t := normalize(text)
		for _, r := range reasonKeywords {
			if t != "" && hasAll(t, r.words) {
				return r.reason, r.resubmit, true
			}
		}
	}
	return "", false, false
}

func normalize(s string) string {
	s = strings.ToLower(s)
	return " " + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return ' '
	}, s) + " "
}

func hasAll(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, " "+w) {
			return false
		}
	}
	return true
}

// check is the answer check of every call (transport.Params.Check): an
// error body wins over the status (the vendor could send one with 200),
// then the status. It returns nil for a 2xx answer that carries no error,
// and for every 2xx reply: a reply carries the operation's own error in its
// envelope, which Reply decodes as the reply's outcome, not as a failed
// call.
func (c *Client) check(op kyc.Operation, resp *transport.Response) error {
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	if ok && op.Name == opReply.Name {
		return nil
	}
	e := errorBody(resp.Body)
	if ok && (e == nil || e.Code == "") {
		return nil
	}
	if e == nil {
		return c.apiError(op.Name, resp, nil, "", "")
	}
	kind := codeKind(e.Code, e.Message)
	if kind == nil && ok {
		kind = kyc.ErrInvalidRequest
	}
	return c.apiError(op.Name, resp, kind, e.Code, e.Message)
}

// errorBody reads an error answer: {"error": {code, message}} like a reply,
// {"error": "text", "message": …} like a Fastify or Express server, or
// {code, message} at the top level. Bodies with a result are not errors.
func errorBody(body []byte) *ReplyError {
	m := objectOf(transport.StripBOM(body))
	if m == nil {
		return nil
	}
	if raw, ok := m["error"]; ok && !isNull(raw) {
		if inner := objectOf(raw); inner != nil {
			return decodeError(raw)
		}
		e := &ReplyError{Code: field(m, "code", "error_code", "errorCode"), Message: field(m, "message")}
		if e.Message == "" {
			e.Message = scalarString(raw)
		}
		return e
	}
	if _, hasID := m["id"]; hasID {
		return nil
	}
	e := &ReplyError{Code: field(m, "code", "error_code", "errorCode"), Message: field(m, "message", "msg")}
	if e.Code == "" && e.Message == "" {
		return nil
	}
	if _, hasResult := m["result"]; hasResult {
		return nil
	}
	return e
}
