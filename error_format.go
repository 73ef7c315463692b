package kyc

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-go/kyc/internal/shape"
)

// Format implements fmt.Formatter for Error. %v, %+v, %s and every verb
// but %#v and %q print Error(), which is safe to log; %q quotes it; %#v
// prints GoString. So no verb prints VendorMessage, the vendor's free text
// that may quote what was sent, nor the wrapped cause's text.
func (e Error) Format(f fmt.State, verb rune) { shape.Text(f, verb, e.Error, e.GoString) }

// GoString prints the Error as Go syntax, every field but VendorMessage;
// the cause Err is given by its type only, since its text may hold what the
// vendor or the network said.
func (e Error) GoString() string {
	var b strings.Builder
	b.WriteString("&kyc.Error{")
	fields := []string{
		"Provider:" + strconv.Quote(string(e.Provider)),
		"Op:" + strconv.Quote(e.Op),
		"Kind:" + kindText(e.Kind),
		"StatusCode:" + strconv.Itoa(e.StatusCode),
		"Code:" + strconv.Quote(e.Code),
		"Message:" + strconv.Quote(e.Message),
		"Field:" + strconv.Quote(string(e.Field)),
		"RequestID:" + strconv.Quote(e.RequestID),
		"RetryAfter:" + e.RetryAfter.String(),
		"NotSent:" + strconv.FormatBool(e.NotSent),
		"Unprocessed:" + strconv.FormatBool(e.Unprocessed),
		"Reference:" + strconv.Quote(e.Reference),
	}
	if e.VendorMessage != "" {
		fields = append(fields, "VendorMessage:[omitted, "+strconv.Itoa(len(e.VendorMessage))+" bytes]")
	}
	if e.Err != nil {
		fields = append(fields, "Err:"+fmt.Sprintf("%T", e.Err))
	}
	b.WriteString(strings.Join(fields, ", "))
	b.WriteString("}")
	return b.String()
}

// kindText names a kind: the sentinel's text, quoted, or nil.
func kindText(k error) string {
	if k == nil {
		return "nil"
	}
	return strconv.Quote(k.Error())
}

// errorJSON is the JSON form of an Error.
type errorJSON struct {
	Error       string        `json:"error"`
	Provider    Provider      `json:"provider,omitempty"`
	Op          string        `json:"op,omitempty"`
	Kind        string        `json:"kind,omitempty"`
	StatusCode  int           `json:"status_code,omitempty"`
	Code        string        `json:"code,omitempty"`
	Field       string        `json:"field,omitempty"`
	RequestID   string        `json:"request_id,omitempty"`
	RetryAfter  time.Duration `json:"retry_after_ns,omitempty"`
	NotSent     bool          `json:"not_sent"`
	Unprocessed bool          `json:"unprocessed"`
	Reference   string        `json:"reference,omitempty"`
}

// MarshalJSON encodes the Error for an error reporter or an API answer:
// its Error() text and its fields, without VendorMessage and without the
// cause. Message is in the text, redacted as Error() does it.
//
//	{"error":"atlas.VerifyPAN: rate limited (HTTP 429)","provider":"atlas",
//	 "op":"atlas.VerifyPAN","kind":"rate limited","status_code":429,
//	 "not_sent":false,"unprocessed":true}
func (e Error) MarshalJSON() ([]byte, error) {
	j := errorJSON{
		Error: e.Error(), Provider: e.Provider, Op: e.Op, StatusCode: e.StatusCode, Code: e.Code,
		Field: string(e.Field), RequestID: e.RequestID, RetryAfter: e.RetryAfter, NotSent: e.NotSent,
		Unprocessed: e.Unprocessed, Reference: e.Reference,
	}
	if e.Kind != nil {
		j.Kind = e.Kind.Error()
	}
	return json.Marshal(j)
}
