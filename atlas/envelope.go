package atlas

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
	"github.com/kyc-go/kyc/internal/transport"
)

// Envelope is the body of every Atlas JSON answer:
//
//	{"status": "failed", "response_timestamp": "1595488026806", "data": null,
//	 "error": {"code": "500", "message": "Internal server error."}}
//
// The shape is documented for errors; successful answers are seen with
// status "success" and the payload under data. Pass an *Envelope as Call's
// out to receive it whole.
type Envelope struct {
	Status string
	// ResponseTimestamp is the vendor's time of the answer, from the
	// millisecond epoch string it sends; zero when absent.
	ResponseTimestamp time.Time
	// Data is the payload, as sent.
	Data json.RawMessage
	// Error is the vendor's error, nil when none.
	Error *ErrorBody
	// Raw is the whole body (personal data: it holds what the vendor
	// returned about the person).
	Raw json.RawMessage
}

// ErrorBody is the envelope's error object (not itself an error: the call
// returns a *kyc.Error built from it). Code is a string ("500").
type ErrorBody struct {
	Code    string `wire:"code"`
	Message string `wire:"message"`
}

// Failed reports whether the envelope carries an error or a failed status.
func (e *Envelope) Failed() bool {
	if e.Error != nil {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(e.Status)) {
	case "failed", "failure", "fail", "error":
		return true
	}
	return false
}

// wireEnvelope is what DecodeEnvelope reads, tolerantly, before it
// interprets the timestamp, data and error.
type wireEnvelope struct {
	Status            string          `wire:"status"`
	ResponseTimestamp string          `wire:"response_timestamp"`
	Data              json.RawMessage `wire:"data"`
	Error             json.RawMessage `wire:"error"`
}

// DecodeEnvelope reads an Atlas JSON body. error may be an object
// {code, message} (code as a string or a number), a bare string, or null.
func DecodeEnvelope(body []byte) (*Envelope, error) {
	body = transport.StripBOM(body)
	t := bytes.TrimSpace(body)
	if len(t) == 0 || t[0] != '{' {
		return nil, errors.New("atlas: the body is not a JSON object")
	}
	var w wireEnvelope
	if err := tolerant.Decode(t, &w); err != nil {
		return nil, err
	}
	env := &Envelope{Status: w.Status, Raw: json.RawMessage(body)}
	if d := bytes.TrimSpace(w.Data); len(d) > 0 && string(d) != "null" {
		env.Data = w.Data
	}
	if ms := strings.TrimSpace(w.ResponseTimestamp); ms != "" {
		if n, err := strconv.ParseInt(ms, 10, 64); err == nil && n > 0 {
			env.ResponseTimestamp = time.UnixMilli(n).UTC()
		}
	}
	e := bytes.TrimSpace(w.Error)
	switch {
	case len(e) == 0 || string(e) == "null" || string(e) == "{}" || string(e) == `""` || string(e) == "false":
	case e[0] == '{':
		o := &ErrorBody{}
		if err := tolerant.Decode(e, o); err != nil {
			return nil, err
		}
		o.Code, o.Message = strings.TrimSpace(o.Code), strings.TrimSpace(o.Message)
		env.Error = o
	case e[0] == '"':
		var s string
		if err := json.Unmarshal(e, &s); err != nil {
			return nil, err
		}
		env.Error = &ErrorBody{Message: s}
	default:
		env.Error = &ErrorBody{Message: string(e)}
	}
	return env, nil
}

// answer is a typed method's result, filled from the envelope's data by
// decode.
type answer interface {
	fromEnvelope(env *Envelope) error
}

// decode is the decoder of every call (transport.Params.Decode), run on a
// checked answer: an image for **kyc.Image (the answer itself, or base64
// in data), the envelope for *Envelope, a typed method's result for its
// type, and for anything else the envelope's data as JSON (nothing when
// data is null or absent).
func (c *Client) decode(op kyc.Operation, resp *transport.Response, out any) error {
	fail := func(err error) error { return c.tc.BadResponse(op.Name, resp, err) }
	if img, ok := out.(**kyc.Image); ok {
		if t := bytes.TrimSpace(transport.StripBOM(resp.Body)); len(t) == 0 || t[0] != '{' {
			im, err := kyc.ImageFromBytes(resp.Body)
			if err != nil {
				return fail(err)
			}
			*img = im
			return nil
		}
	}
	env, err := DecodeEnvelope(resp.Body)
	if err != nil {
		return fail(err)
	}
	switch o := out.(type) {
	case **kyc.Image:
		im, err := imageFromData(env.Data)
		if err != nil {
			return fail(err)
		}
		*o = im
	case *Envelope:
		*o = *env
	case answer:
		if err := o.fromEnvelope(env); err != nil {
			return fail(err)
		}
	default:
		if len(env.Data) == 0 {
			return nil
		}
		if err := json.Unmarshal(env.Data, out); err != nil {
			return fail(err)
		}
	}
	return nil
}

// errNoField is the cause of a BadResponse for an answer without a field
// its type needs.
func errNoField(name string) error { return errors.New("atlas: the answer has no " + name) }
