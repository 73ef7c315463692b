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
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/config"
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
}

// Mode says when a request may be sent again.
type Mode int

const (
	// Unsafe is the default: the call may charge the account or message a
	// person. It is retried only when it provably never reached the vendor
	// (a connection that failed before the request was written) or when the
	// vendor refused it unprocessed (429, 503).
	Unsafe Mode = iota
	// Idempotent calls (reads, calls carrying an idempotency key) are also
	// retried after a connection failure, a timeout, a 502 or a 504.
	Idempotent
	// Once calls are never retried once they may have reached the vendor,
	// not even on 429 or 503 (Verificar: each send costs credit and texts a
	// person, and repeated failures block the account).
	Once
)

// Request is one logical call; the transport may send it several times.
type Request struct {
	// Op names the operation for errors and logs: "advanceai.GenerateURL".
	Op     string
	Method string
	// Path is joined to the base URL's path with exactly one slash. Escape
	// ids with url.PathEscape.
	Path   string
	Query  url.Values
	Header http.Header
	Body   Body
	Mode   Mode
	// Sign runs after the client's Signer on every attempt of this request.
	Sign Signer
}

// Response is a vendor's answer, whatever its status. Vendor packages decide
// what a status and a body mean.
type Response struct {
	StatusCode int
	Header     http.Header
	// Body is the whole body, read within the size cap. For Stream it is nil.
	Body []byte
	// RequestID is the vendor's request id from the headers, if any.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int

	stream io.ReadCloser
}

// Client sends requests for one vendor. It is safe for concurrent use.
type Client struct {
	p         Params
	base      *url.URL
	s         config.Settings
	rc        *resty.Client
	log       *slog.Logger
	idHeaders []string // where the vendor's request id may be
}

// New resolves the options and checks the base URL: HTTPS, or plain HTTP to
// a loopback host only. It never dials.
func New(p Params, opts []kyc.Option) (*Client, error) {
	s := config.Default()
	s.BaseURL = p.BaseURL
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	op := string(p.Provider) + ".New"
	if len(s.Errs) > 0 {
		return nil, &kyc.Error{Provider: p.Provider, Op: op, Kind: kyc.ErrInvalidRequest, Message: s.Errs[0].Error()}
	}
	base, err := CheckBaseURL(s.BaseURL)
	if err != nil {
		return nil, &kyc.Error{Provider: p.Provider, Op: op, Kind: kyc.ErrInvalidRequest, Field: "BaseURL", Message: err.Error()}
	}
	var hc http.Client
	if s.HTTPClient != nil {
		hc = *s.HTTPClient // a copy: the caller's client is not modified
	}
	if hc.Transport == nil {
		hc.Transport = defaultTransport()
	}
	// Redirects are returned, not followed: an API redirect is unexpected
	// and following it could send credentials elsewhere.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	rc := resty.NewWithClient(&hc).
		SetLogger(nopLogger{}).
		SetDisableWarn(true).
		SetRetryCount(0).
		SetPreRequestHook(attachBody)
	return &Client{p: p, base: base, s: s, rc: rc, log: s.Logger,
		idHeaders: append([]string{"X-Request-Id"}, p.RequestIDHeaders...)}, nil
}

// DefaultMaxIdleConnsPerHost is how many idle connections to a vendor the
// default transport keeps. net/http keeps 2, so a backend verifying many
// people at once would open a new TLS connection for most requests.
const DefaultMaxIdleConnsPerHost = 64

// defaultTransport is the client's own copy of http.DefaultTransport (same
// proxy, dial and TLS settings) with DefaultMaxIdleConnsPerHost. Close
// releases its idle connections without touching other clients'.
func defaultTransport() http.RoundTripper {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	t = t.Clone()
	t.MaxIdleConnsPerHost = DefaultMaxIdleConnsPerHost
	return t
}

// CheckBaseURL parses a base URL and refuses anything but https, or http to
// a loopback host.
func CheckBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, errors.New("the base URL must be an absolute URL")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return nil, errors.New("the base URL must use https (plain http is allowed for loopback hosts only)")
		}
	default:
		return nil, errors.New("the base URL must use https")
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, errors.New("the base URL must not carry a query, a fragment or credentials")
	}
	return u, nil
}

// IsLoopback reports whether host is localhost or a loopback IP.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Provider returns the vendor this client talks to.
func (c *Client) Provider() kyc.Provider { return c.p.Provider }

// Now returns the client's clock (kyc.WithClock).
func (c *Client) Now() time.Time { return c.s.Clock() }

// Logger returns the client's logger; records must follow the allowlist.
func (c *Client) Logger() *slog.Logger { return c.log }

// BaseURL returns the resolved base URL.
func (c *Client) BaseURL() *url.URL { u := *c.base; return &u }

// MaxResponseBytes returns the response size cap.
func (c *Client) MaxResponseBytes() int64 { return c.s.MaxResponseBytes }

// URL returns the absolute URL for a path and query.
func (c *Client) URL(path string, q url.Values) string {
	esc := joinPath(c.base.EscapedPath(), path)
	u := url.URL{Scheme: c.base.Scheme, Host: c.base.Host, Path: esc, RawPath: esc}
	if p, err := url.PathUnescape(esc); err == nil {
		u.Path = p
	}
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func joinPath(base, p string) string {
	base = strings.TrimRight(base, "/")
	p = strings.TrimLeft(p, "/")
	if p == "" {
		if base == "" {
			return "/"
		}
		return base
	}
	return base + "/" + p
}

// Do sends r and reads the whole response within the size cap. It returns a
// Response for any HTTP status the vendor answered with, retrying first when
// the policy allows; it returns a *kyc.Error when no usable answer came
// (connection failure, timeout, cancelled context, oversized body).
func (c *Client) Do(ctx context.Context, r *Request) (*Response, error) {
	return c.do(ctx, r, false)
}

// Stream is Do without reading the body: the caller reads it from
// Response.Reader and must call Response.Close. The size cap does not apply,
// and the per-attempt timeout bounds the wait for the response headers only:
// the download itself is bounded by the caller's context.
func (c *Client) Stream(ctx context.Context, r *Request) (*Response, error) {
	return c.do(ctx, r, true)
}

// Reader returns the body of a streamed response.
func (resp *Response) Reader() io.ReadCloser {
	if resp.stream == nil {
		return io.NopCloser(strings.NewReader(string(resp.Body)))
	}
	return resp.stream
}

// Close releases a streamed response.
func (resp *Response) Close() error {
	if resp.stream == nil {
		return nil
	}
	return resp.stream.Close()
}

type ctxKey struct{}

// attemptInfo carries the body of one attempt past resty to the outgoing
// request.
type attemptInfo struct {
	body   io.Reader
	length int64
}

// attachBody runs as resty's pre-request hook, after resty has built the
// *http.Request and just before it is sent. The body is attached here, not
// with resty's SetBody, because resty reads any io.Reader body whole into
// memory to build GetBody: a 10 MB image would be held as 13 MB of base64.
// Here it streams, with its length when known (else chunked), and no
// GetBody, so net/http never replays it by itself: retries are ours.
func attachBody(_ *resty.Client, req *http.Request) error {
	a, ok := req.Context().Value(ctxKey{}).(*attemptInfo)
	if !ok || a.body == nil {
		return nil
	}
	req.Body = io.NopCloser(a.body)
	req.GetBody = nil
	req.ContentLength = max(a.length, 0)
	return nil
}

func (c *Client) do(ctx context.Context, r *Request, stream bool) (*Response, error) {
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	if strings.Contains(r.Path, "://") {
		return nil, c.errorf(r, kyc.ErrInvalidRequest, false, nil, "a request path must be relative to the base URL")
	}
	target := c.URL(r.Path, r.Query)
	logPath := joinPath(c.base.EscapedPath(), r.Path)
	replayable := r.Body.Replayable()
	var sent bool
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, c.ctxError(r, err, sent)
		}
		resp, wrote, err := c.attempt(ctx, r, target, logPath, attempt, stream)
		var serr signError
		if errors.As(err, &serr) {
			return nil, serr.err // a signer failure ends the call: retrying cannot fix credentials
		}
		sent = sent || wrote || resp != nil
		dec := decide(decision{
			mode: r.Mode, replayable: replayable, attempt: attempt, maxRetries: c.s.MaxRetries,
			resp: resp, err: err, wrote: wrote, ctx: ctx, now: c.s.Clock(),
			minBackoff: c.s.MinBackoff, maxWait: c.s.MaxWait,
		})
		c.logRetry(ctx, r, attempt, dec)
		if !dec.retry {
			if err != nil {
				return nil, err
			}
			resp.Attempts = attempt
			return resp, nil
		}
		if resp != nil {
			discard(resp)
		}
		if err := sleep(ctx, dec.wait); err != nil {
			return nil, c.ctxError(r, err, sent)
		}
	}
}

// attempt sends the request once. wrote reports whether the whole request
// was written to the connection, after which it may have reached the vendor.
func (c *Client) attempt(ctx context.Context, r *Request, target, logPath string, n int, stream bool) (*Response, bool, error) {
	actx, cancel := ctx, context.CancelFunc(func() {})
	var headerTimer *time.Timer
	if c.s.Timeout > 0 {
		if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > c.s.Timeout {
			if stream {
				// A download may outlast the attempt timeout: it bounds the
				// wait for the headers only, then the caller's context rules.
				actx, cancel = context.WithCancel(ctx)
				headerTimer = time.AfterFunc(c.s.Timeout, cancel)
			} else {
				actx, cancel = context.WithTimeout(ctx, c.s.Timeout)
			}
		}
	}
	var wrote atomic.Bool
	info := &attemptInfo{length: r.Body.Len()}
	actx = context.WithValue(actx, ctxKey{}, info)
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		WroteRequest: func(w httptrace.WroteRequestInfo) {
			if w.Err == nil {
				wrote.Store(true)
			}
		},
	})

	h := make(http.Header, len(r.Header)+4)
	for k, v := range r.Header {
		h[k] = v
	}
	h.Set("User-Agent", c.s.UserAgent)
	if ct := r.Body.ContentType(); ct != "" && h.Get("Content-Type") == "" {
		h.Set("Content-Type", ct)
	}
	if h.Get("Accept") == "" {
		h.Set("Accept", "application/json")
	}
	for _, sign := range []Signer{c.p.Sign, r.Sign} {
		if sign == nil {
			continue
		}
		if err := sign(ctx, h); err != nil {
			cancel()
			var kerr *kyc.Error
			if !errors.As(err, &kerr) {
				err = c.errorf(r, kyc.ErrUnauthorized, false, err, "signing the request failed")
			}
			return nil, false, signError{err}
		}
	}

	req := c.rc.R().SetContext(actx).SetDoNotParseResponse(true)
	req.Header = h
	if !r.Body.IsZero() {
		body, err := r.Body.Open()
		if err != nil {
			cancel()
			return nil, false, c.errorf(r, kyc.ErrInvalidRequest, false, err, "cannot read the request body")
		}
		defer body.Close()
		info.body = body
	}

	start := time.Now()
	rresp, err := req.Execute(r.Method, target)
	if headerTimer != nil {
		headerTimer.Stop()
	}
	var raw *http.Response
	if rresp != nil {
		raw = rresp.RawResponse
	}
	if err != nil || raw == nil {
		kerr := c.transportError(ctx, actx, r, err, wrote.Load())
		cancel()
		if raw != nil && raw.Body != nil {
			_ = raw.Body.Close()
		}
		c.logAttempt(ctx, r, logPath, n, 0, time.Since(start), c.requestID(h, nil), kerr)
		return nil, wrote.Load(), kerr
	}
	resp := &Response{StatusCode: raw.StatusCode, Header: raw.Header, RequestID: c.requestID(h, raw.Header)}
	if stream {
		resp.stream = &cancelOnClose{ReadCloser: raw.Body, cancel: cancel}
		c.logAttempt(ctx, r, logPath, n, resp.StatusCode, time.Since(start), resp.RequestID, nil)
		return resp, true, nil
	}
	defer cancel()
	body, rerr := readBody(raw.Body, raw.ContentLength, c.s.MaxResponseBytes)
	_ = raw.Body.Close()
	switch {
	case rerr != nil:
		kerr := c.transportError(ctx, actx, r, rerr, true)
		kerr.StatusCode, kerr.RequestID = resp.StatusCode, resp.RequestID
		c.logAttempt(ctx, r, logPath, n, resp.StatusCode, time.Since(start), resp.RequestID, kerr)
		return nil, true, kerr
	case int64(len(body)) > c.s.MaxResponseBytes:
		kerr := c.errorf(r, kyc.ErrBadResponse, true, nil, fmt.Sprintf("the response body exceeds the %.2f MiB cap", float64(c.s.MaxResponseBytes)/(1<<20)))
		kerr.StatusCode, kerr.RequestID = resp.StatusCode, resp.RequestID
		c.logAttempt(ctx, r, logPath, n, resp.StatusCode, time.Since(start), resp.RequestID, kerr)
		return nil, true, kerr
	}
	resp.Body = body
	c.logAttempt(ctx, r, logPath, n, resp.StatusCode, time.Since(start), resp.RequestID, nil)
	return resp, true, nil
}

// signError marks a Signer's failure, which ends the call without retry.
type signError struct{ err error }

func (e signError) Error() string { return e.err.Error() }
func (e signError) Unwrap() error { return e.err }

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

func discard(resp *Response) {
	if resp.stream != nil {
		_, _ = io.CopyN(io.Discard, resp.stream, 64<<10)
		_ = resp.stream.Close()
	}
}

func (c *Client) requestID(reqHeader, respHeader http.Header) string {
	for _, h := range [2]http.Header{respHeader, reqHeader} {
		for _, n := range c.idHeaders {
			if v := h.Get(n); v != "" {
				return v
			}
			if v := h[n]; len(v) > 0 && v[0] != "" { // non-canonical names such as request_id
				return v[0]
			}
		}
	}
	return ""
}

// readBody reads at most limit+1 bytes of r, in one allocation when the
// server announced the length.
func readBody(r io.Reader, contentLength, limit int64) ([]byte, error) {
	if contentLength >= 0 && contentLength <= limit {
		buf := make([]byte, contentLength)
		n, err := io.ReadFull(r, buf)
		if err != nil {
			return buf[:n], err
		}
		// Anything past the announced length is read too, up to the cap.
		rest, err := io.ReadAll(io.LimitReader(r, limit+1-contentLength))
		if len(rest) > 0 {
			buf = append(buf, rest...)
		}
		return buf, err
	}
	return io.ReadAll(io.LimitReader(r, limit+1))
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

type nopLogger struct{}

func (nopLogger) Errorf(string, ...any) {}
func (nopLogger) Warnf(string, ...any)  {}
func (nopLogger) Debugf(string, ...any) {}

// Close releases the client's idle connections (and their goroutines). The
// client stays usable; a later call dials again.
func (c *Client) Close() {
	c.rc.GetClient().CloseIdleConnections()
}
