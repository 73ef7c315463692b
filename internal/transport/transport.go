// Package transport is the one HTTP layer of kyc-go. Every vendor package
// sends its requests through a *Client: it enforces HTTPS, signs each
// attempt, retries only when that is safe, bounds attempts and response
// sizes, logs an allowlist of metadata and turns every transport failure
// into a *kyc.Error. Vendor packages add only vendor knowledge: paths,
// bodies and the classification of the vendor's own codes.
package transport

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
	"golang.org/x/time/rate"

	"github.com/kyc-go/kyc"
)

// Signer adds authentication headers to one attempt. It runs before every
// attempt, so a signature or token can be fresh each time. An error it
// returns ends the call without retry.
type Signer func(ctx context.Context, h http.Header) error

// Params are what a vendor package tells the transport about its vendor.
type Params struct {
	Provider kyc.Provider
	// BaseURL is the vendor's default; kyc.WithBaseURL overrides it.
	BaseURL string
	// Sign runs before every attempt of every request.
	Sign Signer
	// RequestIDHeaders names the request or response headers that carry the
	// vendor's request id, for logs and errors. "X-Request-Id" is always
	// looked at.
	RequestIDHeaders []string
	// CredentialHeaders names the headers the vendor's signers set
	// (client-wide or per request: a session token, an access token). An
	// Observer's SetHeader refuses them on every attempt, also on one whose
	// signer did not set them. The common credential headers (see
	// reservedHeader) are refused for every vendor.
	CredentialHeaders []string
	// Check is the vendor's answer check, run by Call on every answer.
	Check Checker
	// Decode decodes a checked answer; nil decodes the body as JSON.
	Decode Decoder
	// Encode builds a generic Call's request; nil is EncodeDefault.
	Encode Encoder
	// ID checks the vendor id of a Reference; nil accepts any.
	ID IDForm
}

// Request is one logical call; the transport may send it several times,
// as the resend policy allows for its operation's class.
type Request struct {
	// Operation is the operation as the vendor package's table declares it:
	// its Name names the call in errors, logs and the Observer, its Class
	// decides the resend policy, its Path template goes to logs and the
	// Observer. Method below defaults to the operation's.
	Operation kyc.Operation
	// Method is the HTTP method; empty means Operation.Method, then GET.
	Method string
	// Params fill the {placeholders} of Operation.Path, in order, each
	// escaped by the transport (url.PathEscape). The path sent is the
	// filled template joined to the base URL's path with exactly one
	// slash; logs, errors and the Observer see only the template.
	Params []string
	Query  url.Values
	Header http.Header
	Body   Body
	// Sign runs after the client's Signer on every attempt of this request.
	Sign Signer
	// Renew is the request's renew hook: see Renewer. Nil: none.
	Renew Renewer
}

// Renewer is a request's renew hook, run by Call once when the call failed
// with err: it may renew the credential the request carries (drop a
// refused token and fetch another, log in again, replacing the request's
// Sign if it must) and report that the request is to be sent once more.
// It is how Incode's executive re-login and ADVANCE.AI's token re-fetch
// plug into the one send path.
type Renewer func(ctx context.Context, err error) bool

// op is the operation's name, for errors.
func (r *Request) op() string { return r.Operation.Name }

// Response is a vendor's answer, whatever its status. Vendor packages decide
// what a status and a body mean.
type Response struct {
	StatusCode int
	Header     http.Header
	// Body is the whole body, read within the size cap, without a UTF-8
	// BOM or an XSSI guard in front of JSON or XML (see StripBOM). For
	// Stream it is nil.
	Body []byte
	// RequestID is the vendor's request id from the headers, if any.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
	// Unprocessed reports that every earlier attempt, and this answer (429
	// or 503), were refused unprocessed: the vendor processed nothing.
	Unprocessed bool

	stream io.ReadCloser
}

// Client sends requests for one vendor. It is safe for concurrent use.
type Client struct {
	p         Params
	base      *url.URL
	prefix    string // scheme://host of the base URL, as url.URL.String writes it
	basePath  string // the base URL's escaped path without its trailing slash
	plainBase bool   // basePath is a plainPath
	s         kyc.Settings
	rc        *resty.Client
	rt        resty.Request // the template every attempt's resty request copies (see attempt)
	userAgent []string      // the User-Agent header's value, shared read-only by every attempt
	urls      urlCache
	log       *slog.Logger
	idHeaders []headerName // where the vendor's request id may be
	// credHeaders are Params.CredentialHeaders, lower-cased: an
	// Observer may not set them.
	credHeaders map[string]bool
	budget      *budget       // the retry budget, nil when off
	limiter     *rate.Limiter // the client-side rate limit, nil when off
}

// New resolves the options and checks the base URL: HTTPS, or plain HTTP to
// a loopback host only. It never dials.
func New(p Params, opts []kyc.Option) (*Client, error) {
	s, err := kyc.NewSettings(opts...)
	if err != nil {
		var kerr *kyc.Error
		if errors.As(err, &kerr) {
			return nil, ConfigError(p.Provider, string(kerr.Field), kerr.Message)
		}
		return nil, err
	}
	if s.BaseURL == "" {
		s.BaseURL = p.BaseURL
	}
	base, err := CheckBaseURL(s.BaseURL)
	if err != nil {
		return nil, ConfigError(p.Provider, "BaseURL", err.Error())
	}
	var hc http.Client
	if s.HTTPClient != nil {
		hc = *s.HTTPClient // a copy: the caller's client is not modified
	}
	if hc.Transport == nil {
		hc.Transport = DefaultTransport()
	}
	// Redirects are returned, not followed: an API redirect is unexpected
	// and following it could send credentials elsewhere.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	rc := resty.NewWithClient(&hc).
		SetLogger(nopLogger{}).
		SetDisableWarn(true).
		SetRetryCount(0).
		SetPreRequestHook(attachBody)
	c := &Client{p: p, base: base, s: s, rc: rc, log: s.Logger, budget: newBudget(s.RetryBudget), limiter: newLimiter(s.RateLimit, s.RateBurst),
		prefix:    (&url.URL{Scheme: base.Scheme, Host: base.Host}).String(),
		basePath:  strings.TrimRight(base.EscapedPath(), "/"),
		userAgent: []string{s.UserAgent},
		idHeaders: headerNames(append([]string{"X-Request-Id"}, p.RequestIDHeaders...)...)}
	c.plainBase = plainPath(c.basePath)
	c.credHeaders = make(map[string]bool, len(p.CredentialHeaders))
	for _, h := range p.CredentialHeaders {
		c.credHeaders[strings.ToLower(h)] = true
	}
	c.rt = *rc.R().SetDoNotParseResponse(true)
	return c, nil
}

// The connection pool of the default transport, used when no
// kyc.WithHTTPClient is given. A client given with kyc.WithHTTPClient is
// used as it is: neither it nor its Transport is modified (the transport
// works on a copy of the *http.Client to set its redirect policy).
const (
	// DefaultMaxConnsPerHost bounds the connections to one vendor host,
	// dialling, active and idle together. A burst of calls beyond it
	// queues for a connection instead of dialling (and TLS-handshaking)
	// one per call: 1,000 concurrent cold calls dial 64 connections, not
	// 1,000.
	DefaultMaxConnsPerHost = 64
	// DefaultMaxIdleConnsPerHost is how many idle connections to one
	// vendor host are kept: all of them (DefaultMaxConnsPerHost), so a
	// steady load reuses its connections instead of closing and dialling
	// again. net/http keeps 2.
	DefaultMaxIdleConnsPerHost = DefaultMaxConnsPerHost
	// DefaultMaxIdleConns is the total of idle connections kept, across
	// hosts: room for eight hosts at the per-host bound (a vendor's API
	// and token hosts). net/http keeps 100, fewer than one busy host's
	// per-host pool, so idle connections were closed as fast as they
	// were made.
	DefaultMaxIdleConns = 8 * DefaultMaxIdleConnsPerHost
)

// DefaultTransport returns a new copy of http.DefaultTransport (same
// proxy, dial, TLS and timeout settings) with the pool sized above: each
// client without kyc.WithHTTPClient gets its own, so that its Close
// releases its idle connections without touching other clients'. The
// benchmark harness gives its raw sides one each, so that they pool as
// the SDK does.
func DefaultTransport() http.RoundTripper {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	t = t.Clone()
	t.MaxConnsPerHost = DefaultMaxConnsPerHost
	t.MaxIdleConnsPerHost = DefaultMaxIdleConnsPerHost
	t.MaxIdleConns = DefaultMaxIdleConns
	return t
}

// Provider returns the vendor this client talks to.
func (c *Client) Provider() kyc.Provider { return c.p.Provider }

// Now returns the client's clock (kyc.WithClock).
func (c *Client) Now() time.Time { return c.s.Clock() }

// Logger returns the client's logger; records must follow the allowlist.
func (c *Client) Logger() *slog.Logger { return c.log }

// BaseURL returns the resolved base URL.
func (c *Client) BaseURL() *url.URL { u := *c.base; return &u }

type nopLogger struct{}

func (nopLogger) Errorf(string, ...any) {}
func (nopLogger) Warnf(string, ...any)  {}
func (nopLogger) Debugf(string, ...any) {}

// Close releases the client's idle connections (and their goroutines). The
// client stays usable; a later call dials again.
func (c *Client) Close() {
	c.rc.GetClient().CloseIdleConnections()
}
