package incode

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
	"github.com/kyc-go/kyc/internal/transport"
)

// ErrRestartSession is wrapped by the errors Incode reports with code 6000
// ("Processing error"): the session is stuck and a new one must be started
// (errors.Is(err, incode.ErrRestartSession)). Verify never restarts a
// session by itself, since a new session may be billed again.
var ErrRestartSession = errors.New("incode: processing error, the session must be restarted")

// codeKinds classifies Incode's own error codes, the body's "status" field
// (not the HTTP status). Codes not listed fall back to the HTTP status.
var codeKinds = map[string]error{
	"100":  kyc.ErrInvalidRequest, // too dark
	"101":  kyc.ErrInvalidRequest, // take off your glasses
	"1001": kyc.ErrInvalidRequest, // face cropping failure
	"1003": kyc.ErrInvalidRequest, // face cropping failure
	"3002": kyc.ErrInvalidRequest, // face cropping failure
	"3004": kyc.ErrInvalidRequest, // face cropping failure (center the face)
	"3005": kyc.ErrInvalidRequest, // face cropping failure (move closer)
	"3006": kyc.ErrInvalidRequest, // blurry
	"3007": kyc.ErrInvalidRequest, // glare or too dark
	"3008": kyc.ErrInvalidRequest, // image size unsupported
	"3009": kyc.ErrInvalidRequest, // orientation incorrect
	"3010": kyc.ErrInvalidRequest, // bad compression
	"4005": kyc.ErrInvalidRequest, // spoof attempt detected (docs' error example)
	"4010": kyc.ErrInvalidRequest, // not the only face in the frame
	"4019": kyc.ErrInvalidRequest, // face not found
	"500":  kyc.ErrUnavailable,    // unexpected error
	"6000": kyc.ErrUnavailable,    // processing error: restart the session
}

// codeReasons says which error codes are a verdict on the person's capture
// rather than a failed call. Verify turns them into a StatusRejected Result
// with Resubmit set; ErrorReason exposes the same table.
var codeReasons = map[string]kyc.Reason{
	"100":  kyc.ReasonLowQualityImage,
	"101":  kyc.ReasonLowQualityImage,
	"1001": kyc.ReasonLowQualityImage,
	"1003": kyc.ReasonLowQualityImage,
	"3002": kyc.ReasonLowQualityImage,
	"3004": kyc.ReasonLowQualityImage,
	"3005": kyc.ReasonLowQualityImage,
	"3006": kyc.ReasonLowQualityImage,
	"3007": kyc.ReasonLowQualityImage,
	"3008": kyc.ReasonLowQualityImage,
	"3009": kyc.ReasonLowQualityImage,
	"3010": kyc.ReasonLowQualityImage,
	"4005": kyc.ReasonLivenessFailed,
	"4010": kyc.ReasonNoFace,
	"4019": kyc.ReasonNoFace,
}

// httpKinds classifies HTTP statuses Incode documents with a meaning of its
// own: 401 is an invalid or missing session token, 403 an invalid or
// missing API key. Both are credentials refused.
var httpKinds = map[int]error{
	http.StatusUnauthorized: kyc.ErrUnauthorized,
	http.StatusForbidden:    kyc.ErrUnauthorized,
}

var httpMessages = map[int]string{
	http.StatusUnauthorized: "invalid or missing session token",
	http.StatusForbidden:    "invalid or missing API key",
}

// failReasons maps the documented failReason values of the front and back
// ID uploads, which arrive inside HTTP 200 answers.
var failReasons = map[string]kyc.Reason{
	"UNKNOWN_DOCUMENT_TYPE":           kyc.ReasonUnsupportedDocument,
	"WRONG_DOCUMENT_SIDE":             kyc.ReasonFrontBackMismatch,
	"WRONG_ONE_SIDED_DOCUMENT":        kyc.ReasonFrontBackMismatch,
	"WRONG_UNFOLDED_DOCUMENT":         kyc.ReasonFrontBackMismatch,
	"UNFOLDED_DOCUMENT_PAGE_MISMATCH": kyc.ReasonFrontBackMismatch,
	"DOCUMENT_NOT_READABLE":           kyc.ReasonLowQualityImage,
	"UNABLE_TO_ALIGN_DOCUMENT":        kyc.ReasonLowQualityImage,
	"ID_TYPE_UNACCEPTABLE":            kyc.ReasonUnsupportedDocument,
	"UNEXPECTED_ERROR_OCCURRED":       kyc.ReasonOther,
}

// ReasonForFailure maps an ID upload's failReason onto a kyc.Reason:
// "" for none, ReasonOther for a value Incode has not documented.
func ReasonForFailure(failReason string) kyc.Reason {
	if failReason == "" {
		return ""
	}
	if r, ok := failReasons[failReason]; ok {
		return r
	}
	return kyc.ReasonOther
}

// ErrorReason reports the kyc.Reason behind an Incode error that judges the
// person's capture (no face, blurred, glare, spoof…), as opposed to a call
// that failed. Verify uses it to return a rejection instead of an error.
func ErrorReason(err error) (kyc.Reason, bool) {
	var kerr *kyc.Error
	if !errors.As(err, &kerr) || kerr.Provider != kyc.Incode {
		return "", false
	}
	r, ok := codeReasons[kerr.Code]
	return r, ok
}

// errorBody is Incode's error shape. "status" is Incode's own code (4019,
// 6000) or an HTTP status; message and path are often missing. Timestamp
// and Path are unused, but a body where they are not scalars is not taken
// for the error shape.
type errorBody struct {
	Timestamp int64  `wire:"timestamp"`
	Status    int    `wire:"status"`
	Error     string `wire:"error"`
	Message   string `wire:"message"`
	Path      string `wire:"path"`
}

// rawBody carries the vendor's error body as the cause of a *kyc.Error, so
// Verify can keep it as Result.Raw. Its text holds nothing from the body.
type rawBody struct{ raw json.RawMessage }

func (*rawBody) Error() string { return "incode error body" }

// check is the answer check (transport.Params.Check), run on every answer:
// any non-2xx status, or a 2xx body in Incode's error shape (an "error"
// text with a numeric "status"), is an error.
func (c *Client) check(op kyc.Operation, resp *transport.Response) error {
	var eb errorBody
	decoded := false
	if t := bytes.TrimSpace(transport.StripBOM(resp.Body)); len(t) > 0 && t[0] == '{' {
		decoded = tolerant.Decode(t, &eb) == nil
	}
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	if ok && !(decoded && eb.Error != "" && eb.Status != 0) {
		return nil
	}
	return c.apiError(op, resp, eb, decoded)
}

// apiError builds the *kyc.Error of an Incode error answer.
func (c *Client) apiError(op kyc.Operation, resp *transport.Response, eb errorBody, decoded bool) error {
	code := ""
	if decoded && eb.Status != 0 {
		code = strconv.FormatInt(int64(eb.Status), 10)
	}
	kind, ok := codeKinds[code]
	if !ok {
		kind, ok = httpKinds[resp.StatusCode]
	}
	if !ok {
		st := resp.StatusCode
		if st < 300 { // an error body inside a 200: classify by its own status
			st = int(eb.Status)
			if st < 400 || st > 599 {
				st = http.StatusBadRequest
			}
		}
		kind = transport.KindForStatus(st)
	}
	msg := eb.Message
	if msg == "" {
		msg = eb.Error
	}
	e := c.tc.APIError(op.Name, resp, kind, code, msg) // the vendor's text stays out of Error()
	if m, ok := httpMessages[resp.StatusCode]; ok {
		e.Message = m
	}
	if op.Name == opExecutiveLogIn.Name && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) {
		e.Message = "the executive e-mail, password or API key was refused"
	}
	if code == "6000" {
		e.Err = ErrRestartSession
	} else if decoded {
		e.Err = &rawBody{raw: json.RawMessage(bytes.Clone(resp.Body))}
	}
	return e
}

// errorRaw returns the vendor body an error carries, if any.
func errorRaw(err error) json.RawMessage {
	var rb *rawBody
	if errors.As(err, &rb) {
		return rb.raw
	}
	return nil
}
