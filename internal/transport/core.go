package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/redact"
)

// This file is the vendor-client core: what every vendor package's Client
// shares. A vendor gives only its knowledge (Params: base URL, signer, the
// check of its answers, its decoder and its id form) and its operation
// table; construction checks, printing, closing, the call path
// (build → sign → send → check → decode) and reference parsing are here.

// Checker is a vendor's answer check: it turns a vendor's answer that is an
// error (an HTTP error status, or an error code inside a 200) into a
// *kyc.Error, and returns nil for a usable answer. It runs on every answer
// of every call, typed or generic.
type Checker func(op kyc.Operation, resp *Response) error

// Decoder decodes a checked answer into out. The default decodes the whole
// body as JSON; a vendor whose answers wrap the data in an envelope gives
// its own.
type Decoder func(op kyc.Operation, resp *Response, out any) error

// Encoder builds the request of a generic Call from its input. The default
// sends a url.Values as the query and anything else (non-nil) as a JSON
// body.
type Encoder func(op kyc.Operation, in any) (*Request, error)

// IDForm checks the vendor id inside a Reference, before anything is sent:
// its characters and length.
type IDForm func(id string) error

// Call is the one send path of every typed method and of the generic
// Call: send r (as its operation's resend policy allows), check the answer
// with the vendor's Checker, and decode it into out unless out is nil. When
// that fails and r's renew hook renews its credential, r is sent once more:
// the refused call was sent, so the repeat's error is never NotSent. It
// returns the response for callers that need its headers or raw body.
func (c *Client) Call(ctx context.Context, r *Request, out any) (*Response, error) {
	resp, err := c.exchange(ctx, r, out)
	if err == nil || r.Renew == nil || ctx.Err() != nil || !r.Renew(ctx, err) {
		return resp, err
	}
	resp, err = c.exchange(ctx, r, out)
	var kerr *kyc.Error
	if errors.As(err, &kerr) {
		kerr.NotSent = false
	}
	return resp, err
}

// exchange sends r once through the resend loop, checks the answer and
// decodes it into out.
func (c *Client) exchange(ctx context.Context, r *Request, out any) (*Response, error) {
	resp, err := c.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	if c.p.Check != nil {
		if err := c.p.Check(r.Operation, resp); err != nil {
			return resp, err
		}
	}
	if out == nil {
		return resp, nil
	}
	if c.p.Decode != nil {
		return resp, c.p.Decode(r.Operation, resp, out)
	}
	return resp, c.DecodeJSON(r.Operation.Name, resp, out)
}

// Generic is every vendor's escape hatch (Client.Call): it sends any
// operation of the vendor's API, signed and checked like the typed
// methods. op.Path is the path template, relative to the base URL, with
// ids as {placeholders} that params fill in order (escaped by the
// transport): a template holding what looks like an id is refused before
// sending, so that no id reaches the logs, the Observer or metrics. op.Name
// defaults to "<provider>.Call", op.Method to POST with an input and GET
// without; op.Class decides how it may be resent, and its zero value,
// ClassBilled, is the safe default.
func (c *Client) Generic(ctx context.Context, op kyc.Operation, in, out any, params ...string) error {
	if op.Name == "" {
		op.Name = string(c.p.Provider) + ".Call"
	}
	if op.Method == "" {
		op.Method = http.MethodGet
		if in != nil {
			op.Method = http.MethodPost
		}
	}
	switch {
	case !SafeText(op.Method) || strings.ContainsAny(op.Method, " /"):
		return c.Invalid(op.Name, "op.Method", "an HTTP method such as POST")
	case op.Path == "" || strings.Contains(op.Path, "://") || !SafeText(op.Path):
		return c.Invalid(op.Name, "op.Path", "a path relative to the base URL, such as /v1/resource")
	case !Template(op.Path):
		return c.Invalid(op.Name, "op.Path", "a path template: write an id as a {placeholder} and pass its value in params, as /v1/people/{id}")
	}
	encode := c.p.Encode
	if encode == nil {
		encode = EncodeDefault
	}
	r, err := encode(op, in)
	if err != nil {
		var kerr *kyc.Error
		if errors.As(err, &kerr) {
			return err
		}
		e := c.Invalid(op.Name, "in", "cannot be encoded")
		e.Err = err
		return e
	}
	r.Operation, r.Params = op, params
	_, err = c.Call(ctx, r, out)
	return err
}

// EncodeDefault is the default Encoder: nil sends nothing, url.Values is
// the query, []byte and json.RawMessage are sent as JSON as they are, and
// anything else is marshalled as JSON.
func EncodeDefault(op kyc.Operation, in any) (*Request, error) {
	r := &Request{Operation: op}
	switch v := in.(type) {
	case nil:
	case url.Values:
		r.Query = v
	case json.RawMessage:
		r.Body = Bytes("application/json", v)
	case []byte:
		r.Body = Bytes("application/json", v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		r.Body = Bytes("application/json", b)
	}
	return r, nil
}

// Ref parses a kyc Reference for this client's provider and returns the
// vendor id in it, checked against the vendor's id form, or an
// ErrInvalidRequest naming the "ref" field. It is the one reference parser
// of every vendor package.
func (c *Client) Ref(op, ref string) (string, error) {
	r, err := kyc.ParseReference(ref)
	if err != nil {
		return "", c.Invalid(op, "ref", `a reference has the form "`+string(c.p.Provider)+`:<id>"`)
	}
	if r.Provider != c.p.Provider {
		return "", c.Invalid(op, "ref", "not a "+string(c.p.Provider)+" reference")
	}
	if c.p.ID != nil {
		if err := c.p.ID(r.ID); err != nil {
			return "", c.Invalid(op, "ref", "the id is not a "+string(c.p.Provider)+" id: "+err.Error())
		}
	}
	return r.ID, nil
}

// Timeout is the per-attempt timeout (kyc.WithTimeout); 0 means none.
func (c *Client) Timeout() time.Duration { return c.s.Timeout }

// Base gives a vendor Client its Close, String and GoString. A vendor
// package embeds it through an unexported alias (type base =
// transport.Base), so the three methods are promoted and nothing else is.
type Base struct {
	tc *Client
}

// NewBase returns the Base of a vendor client built on tc.
func NewBase(tc *Client) Base { return Base{tc: tc} }

// Close releases idle connections. The client stays usable.
func (b Base) Close() error {
	if b.tc != nil {
		b.tc.Close()
	}
	return nil
}

// String describes the client without its credentials, tokens or keys, so
// that printing or logging a Client never leaks them.
func (b Base) String() string {
	if b.tc == nil {
		return "kyc.Client"
	}
	return string(b.tc.p.Provider) + ".Client"
}

// GoString is String, for %#v.
func (b Base) GoString() string { return b.String() }

// Format prints String under every fmt verb (%d and %x included), so that
// fmt never walks the client's fields: its cached tokens, keys and
// credentials.
func (b Base) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		_, _ = fmt.Fprintf(f, "%q", b.String())
		return
	}
	_, _ = io.WriteString(f, b.String())
}

// ConfigCheck collects the checks of a vendor Config in New and names the
// first field at fault. Use it as
//
//	if err := transport.CheckConfig(kyc.Atlas).
//		Required("KeyID", cfg.KeyID).
//		Secret("KeySecret", cfg.KeySecret).
//		Err(); err != nil { return nil, err }
type ConfigCheck struct {
	p   kyc.Provider
	err *kyc.Error
}

// CheckConfig starts the checks of a Config for provider p.
func CheckConfig(p kyc.Provider) *ConfigCheck { return &ConfigCheck{p: p} }

// That records msg for field unless ok, if no earlier check failed.
func (c *ConfigCheck) That(ok bool, field, msg string) *ConfigCheck {
	if !ok && c.err == nil {
		c.err = ConfigError(c.p, field, msg)
	}
	return c
}

// Required checks that a text field is set, and holds no control
// character (it may go into a header).
func (c *ConfigCheck) Required(field, v string) *ConfigCheck {
	return c.That(strings.TrimSpace(v) != "", field, "required").Text(field, v)
}

// Text checks that an optional text field holds no control character.
func (c *ConfigCheck) Text(field, v string) *ConfigCheck {
	return c.That(SafeText(v), field, "must not contain control characters")
}

// Secret checks that a credential is set, not only spaces, and holds no
// control character.
func (c *ConfigCheck) Secret(field string, v kyc.Secret) *ConfigCheck {
	return c.That(strings.TrimSpace(v.Reveal()) != "", field, "required (not only spaces)").OptionalSecret(field, v)
}

// OptionalSecret checks a credential that may be left unset: when set, it
// must not be only spaces (a blank webhook token would match a blank
// header) nor hold a control character.
func (c *ConfigCheck) OptionalSecret(field string, v kyc.Secret) *ConfigCheck {
	return c.That(v.IsZero() || strings.TrimSpace(v.Reveal()) != "", field, "must not be only spaces").
		That(SafeText(v.Reveal()), field, "must not contain control characters")
}

// URL checks an optional URL field: absolute https (or http to loopback),
// without credentials.
func (c *ConfigCheck) URL(field, v string) *ConfigCheck {
	if v == "" {
		return c
	}
	_, err := CheckBaseURL(v)
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	return c.That(err == nil, field, strings.Replace(msg, "the base URL", "the URL", 1))
}

// Err is the first failed check, an ErrInvalidRequest naming the field, or
// nil.
func (c *ConfigCheck) Err() error {
	if c.err == nil {
		return nil
	}
	return c.err
}

// ConfigError is the error of New for a Config field at fault.
func ConfigError(p kyc.Provider, field, msg string) *kyc.Error {
	return &kyc.Error{Provider: p, Op: string(p) + ".New", Kind: kyc.ErrInvalidRequest, Field: kyc.Field(field), Message: msg,
		NotSent: true, Unprocessed: true}
}

// SafeText reports whether s is valid UTF-8 without control characters
// (no CR, LF, NUL, tab or other C0/C1 code): safe in a header, a log line
// or a form field. It is the one control-character check of the vendor
// packages.
func SafeText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// StripBOM drops a UTF-8 byte-order mark and an XSSI guard (")]}'," and
// its line) from the start of a body, so that JSON behind them decodes.
// The transport already strips them from Response.Body in front of JSON or
// XML; vendor code that reads other bytes calls it.
func StripBOM(b []byte) []byte { return redact.TrimPrefix(b) }
