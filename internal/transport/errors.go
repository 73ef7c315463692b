package transport

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/redact"
)

// errorf builds a *kyc.Error for request r. Every cause the transport wraps
// passes through here and is sanitized first (see sanitize): nothing in the
// error's Unwrap chain names the request's query or path ids.
func (c *Client) errorf(r *Request, kind error, sent bool, cause error, msg string) *kyc.Error {
	return &kyc.Error{Provider: c.p.Provider, Op: r.op(), Kind: kind, Message: msg, NotSent: !sent, Unprocessed: !sent,
		Err: c.sanitize(r, cause)}
}

// Invalid returns the ErrInvalidRequest for a field refused before sending.
func (c *Client) Invalid(op, field, msg string) *kyc.Error {
	return &kyc.Error{Provider: c.p.Provider, Op: op, Kind: kyc.ErrInvalidRequest, Field: kyc.Field(field), Message: msg,
		NotSent: true, Unprocessed: true}
}

// ContextError turns the end of the caller's context outside a request (a
// poll's wait) into the same *kyc.Error the transport returns, matching
// context.Canceled or context.DeadlineExceeded.
func (c *Client) ContextError(op string, err error, sent bool) *kyc.Error {
	return c.ctxError(&Request{Operation: kyc.Operation{Name: op}}, err, sent)
}

// limitError is the ErrInvalidRequest of a capped Media over its cap. The
// request was refused before sending, or aborted before its body
// completed: the vendor cannot have processed it.
func (c *Client) limitError(r *Request, lerr *LimitError) *kyc.Error {
	return &kyc.Error{Provider: c.p.Provider, Op: r.op(), Kind: kyc.ErrInvalidRequest, Field: kyc.Field(lerr.Field),
		Message: lerr.Error(), NotSent: true, Unprocessed: true}
}

// ctxError turns the end of the caller's context into a *kyc.Error that
// still matches context.Canceled or context.DeadlineExceeded. Its cause is
// sanitized like every other (errorf).
func (c *Client) ctxError(r *Request, err error, sent bool) *kyc.Error {
	msg := "the context was cancelled"
	if errors.Is(err, context.DeadlineExceeded) {
		msg = "the context deadline passed"
	}
	return c.errorf(r, kyc.ErrTimeout, sent, err, msg)
}

// transportError is the one place a failure without a usable response
// becomes a *kyc.Error: ErrTimeout for deadlines, ErrUnavailable for
// connection failures. Its message is a fixed description, never the
// underlying error's text, and its cause is sanitized (errorf): the
// *url.Error net/http returns keeps its Op and inner error, but its URL
// loses the query and the path ids.
func (c *Client) transportError(ctx, actx context.Context, r *Request, err error, wrote bool) *kyc.Error {
	if ctx.Err() != nil {
		return c.ctxError(r, ctx.Err(), wrote)
	}
	if actx.Err() != nil || isTimeout(err) {
		return c.errorf(r, kyc.ErrTimeout, wrote, err, "the attempt timed out")
	}
	return c.errorf(r, kyc.ErrUnavailable, wrote, err, describe(err))
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func describe(err error) string {
	var dns *net.DNSError
	var opErr *net.OpError
	var tlsErr *tls.RecordHeaderError
	var certErr *tls.CertificateVerificationError
	switch {
	case errors.As(err, &dns):
		return "the vendor's host name could not be resolved"
	case errors.As(err, &certErr), errors.As(err, &tlsErr):
		return "the TLS connection to the vendor failed"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the connection was refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "the connection was reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection closed before the response was complete"
	case errors.As(err, &opErr):
		return "network failure during " + opErr.Op
	}
	return "the request could not be completed"
}

// KindForStatus is the default classification of an HTTP status, for
// vendor codes that say nothing more specific.
func KindForStatus(status int) error {
	switch {
	case status == http.StatusUnauthorized:
		return kyc.ErrUnauthorized
	case status == http.StatusPaymentRequired:
		return kyc.ErrInsufficientCredit
	case status == http.StatusForbidden:
		return kyc.ErrForbidden
	case status == http.StatusNotFound || status == http.StatusGone:
		return kyc.ErrNotFound
	case status == http.StatusRequestTimeout || status == http.StatusGatewayTimeout:
		return kyc.ErrTimeout
	case status == http.StatusTooManyRequests:
		return kyc.ErrRateLimited
	case status >= 500:
		return kyc.ErrUnavailable
	case status >= 400:
		return kyc.ErrInvalidRequest
	}
	return kyc.ErrBadResponse
}

// APIError builds the *kyc.Error for a vendor's answer: kind, the vendor's
// code, the vendor's own text (kept in VendorMessage, never printed by
// Error), the HTTP status, the request id and the Retry-After hint. A nil
// kind means KindForStatus. Message is the HTTP status text; a caller that
// has a documented, safe text for the code sets Message on the result.
func (c *Client) APIError(op string, resp *Response, kind error, code, vendorMsg string) *kyc.Error {
	e := &kyc.Error{Provider: c.p.Provider, Op: op, Kind: kind, Code: code, VendorMessage: cleanVendorText(vendorMsg)}
	if resp != nil {
		e.Unprocessed = resp.Unprocessed
		e.StatusCode = resp.StatusCode
		e.RequestID = resp.RequestID
		if ra, ok := RetryAfter(resp.Header, c.s.Clock()); ok {
			e.RetryAfter = ra
		}
		if kind == nil {
			e.Kind = KindForStatus(resp.StatusCode)
		}
	}
	if e.Kind == nil {
		e.Kind = kyc.ErrBadResponse
	}
	if e.Message == "" && resp != nil && resp.StatusCode >= 400 {
		e.Message = http.StatusText(resp.StatusCode)
	}
	return e
}

// cleanVendorText drops control characters and cuts the text to 1 KiB.
func cleanVendorText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if len(s) > 1024 {
		cut := 1024
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return strings.TrimSpace(s)
}

// BadResponse builds the ErrBadResponse for a body that cannot be read,
// with the status and a description of the body: for JSON and XML, its
// shape with every value masked; for anything else (HTML, plain text),
// only its media type and length (redact.Excerpt).
func (c *Client) BadResponse(op string, resp *Response, cause error) *kyc.Error {
	e := c.APIError(op, resp, kyc.ErrBadResponse, "", "")
	e.Err = cause
	msg := "the response could not be decoded"
	if resp != nil {
		if len(resp.Body) == 0 {
			msg += ": empty body"
		} else {
			msg += ": " + redact.Excerpt(resp.Header.Get("Content-Type"), resp.Body)
		}
	}
	e.Message = msg
	return e
}

// DecodeJSON unmarshals the body into v, or returns BadResponse. A UTF-8
// BOM or an XSSI guard in front of the JSON is skipped (StripBOM).
func (c *Client) DecodeJSON(op string, resp *Response, v any) error {
	if err := json.Unmarshal(StripBOM(resp.Body), v); err != nil {
		return c.BadResponse(op, resp, err)
	}
	return nil
}

// WithReference is the one way a vendor package attaches the Reference of
// a billable verification already started to the error of a later step,
// so that the caller resumes it rather than start (and pay for) another.
// A *kyc.Error is copied with Reference set, unless it already names one;
// any other error is wrapped in a *kyc.Error of op carrying its kind. A
// nil err or an empty ref returns err as it is.
func (c *Client) WithReference(op string, err error, ref string) error {
	if err == nil || ref == "" {
		return err
	}
	var kerr *kyc.Error
	if !errors.As(err, &kerr) {
		return &kyc.Error{Provider: c.p.Provider, Op: op, Kind: kyc.KindOf(err), Err: err, Reference: ref}
	}
	if kerr.Reference != "" {
		return err
	}
	e := *kerr
	e.Reference = ref
	return &e
}

// SetHeader returns a Signer that sets header name to a fixed credential on
// every attempt (an API key).
func SetHeader(name string, value kyc.Secret) Signer {
	key := textproto.CanonicalMIMEHeaderKey(name) // what h.Set would work out on every attempt
	return func(_ context.Context, h http.Header) error {
		h[key] = []string{value.Reveal()}
		return nil
	}
}

// BasicAuth returns the value of a Basic Authorization header for user and
// password, as a Secret.
func BasicAuth(user string, password kyc.Secret) kyc.Secret {
	return kyc.NewSecret("Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password.Reveal())))
}
