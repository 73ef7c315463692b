// Package transport is the one HTTP layer of kyc-go. Every vendor package
// sends its requests through a *Client: it enforces HTTPS, signs each
// attempt, retries only when that is safe, bounds attempts and response
// sizes, logs an allowlist of metadata and turns every transport failure
// into a *kyc.Error. Vendor packages add only vendor knowledge: paths,
// bodies and the classification of the vendor's own codes.
package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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
	// Observer. Method and Path below default to the operation's.
	Operation kyc.Operation
	// Method is the HTTP method; empty means Operation.Method, then GET.
	Method string
	// Path is the path sent, joined to the base URL's path with exactly one
	// slash; empty means Operation.Path. Escape ids with url.PathEscape.
	Path   string
	Query  url.Values
	Header http.Header
	Body   Body
	// Sign runs after the client's Signer on every attempt of this request.
	Sign Signer
}

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
	idHeaders []string      // where the vendor's request id may be
	budget    *budget       // the retry budget, nil when off
	limiter   *rate.Limiter // the client-side rate limit, nil when off
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
	c := &Client{p: p, base: base, s: s, rc: rc, log: s.Logger, budget: newBudget(s.RetryBudget), limiter: newLimiter(s.RateLimit, s.RateBurst),
		prefix:    (&url.URL{Scheme: base.Scheme, Host: base.Host}).String(),
		basePath:  strings.TrimRight(base.EscapedPath(), "/"),
		userAgent: []string{s.UserAgent},
		idHeaders: append([]string{"X-Request-Id"}, p.RequestIDHeaders...)}
	c.plainBase = plainPath(c.basePath)
	c.rt = *rc.R().SetDoNotParseResponse(true)
	return c, nil
}

// noPayload is the body resty sees of a request whose body the pre-request
// hook attaches (a stream) or that has none. It is shared, and only read:
// with a *strings.Reader, http.NewRequest sets GetBody itself and resty
// skips its getBodyCopy, which reads the body whole (io.ReadAll, even of
// http.NoBody) and wraps it in two buffers.
var noPayload = strings.NewReader("")

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

// defaultTransport is the client's own copy of http.DefaultTransport (same
// proxy, dial, TLS and timeout settings) with the pool sized above. Close
// releases its idle connections without touching other clients'.
func defaultTransport() http.RoundTripper {
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

// URL returns the absolute URL for a path and query.
func (c *Client) URL(path string, q url.Values) string {
	if len(q) == 0 {
		return c.urls.get(path, c.buildURL)
	}
	return c.buildURL(path, q)
}

func (c *Client) buildURL(path string, q url.Values) string {
	if p := strings.TrimLeft(path, "/"); c.plainBase && plainPath(p) {
		// The common case, in one allocation: a path of characters that
		// url.URL.String writes as they are (joinPath's result, unchanged).
		sep := "/"
		if p == "" && c.basePath != "" {
			sep = ""
		}
		if len(q) > 0 {
			return c.prefix + c.basePath + sep + p + "?" + q.Encode()
		}
		return c.prefix + c.basePath + sep + p
	}
	return c.parsedURL(path, q)
}

// parsedURL builds the URL through url.URL, for any path: URL's slow path.
func (c *Client) parsedURL(path string, q url.Values) string {
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

// plainPath reports a path that url.URL.String writes unchanged, with its
// escaped and unescaped forms the same: unreserved characters, "/" and the
// sub-delimiters, without an escape.
func plainPath(p string) bool {
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~/!$&'()*+,;=:@", c) >= 0:
		default:
			return false
		}
	}
	return true
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
		return io.NopCloser(bytes.NewReader(resp.Body))
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

// attemptCtx is the context of one attempt, and what the attempt carries
// past resty to the outgoing request: its body, and whether the request
// was written. It embeds the attempt's context (with its timeout and the
// trace that reports the write), so it is the request's context itself:
// the pre-request hook finds it with a type assertion, and one allocation
// holds what a context.WithValue, an attempt record, a ClientTrace and
// the write flag took.
type attemptCtx struct {
	context.Context
	body   io.ReadCloser // a body the hook attaches; nil: none, or in memory (resty attached it)
	length int64
	// typeWas is the Content-Type the request had (nil: none) when
	// typeSet: see attempt.
	typeWas []string
	typeSet bool
	// once marks a request that must not be resent after its write: a
	// body-less one that net/http would replay gets an empty body that
	// net/http cannot replay.
	once     bool
	wrote    atomic.Bool
	trace    httptrace.ClientTrace
	ownTrace bool // Value answers httptrace's key (see withTrace)
}

// withTrace makes ctx, with the attempt's trace, the attempt's parent. The
// trace is found by httptrace.ContextClientTrace through Value, without a
// context.WithValue of its own, unless ctx already carries a caller's
// trace: httptrace.WithClientTrace then composes the two.
func (a *attemptCtx) withTrace(ctx context.Context) {
	if traceKey == nil || httptrace.ContextClientTrace(ctx) != nil {
		a.Context = httptrace.WithClientTrace(ctx, &a.trace)
		return
	}
	a.Context, a.ownTrace = ctx, true
}

// Value answers httptrace's key with the attempt's trace (see withTrace).
func (a *attemptCtx) Value(key any) any {
	if a.ownTrace && key == traceKey {
		return &a.trace
	}
	return a.Context.Value(key)
}

// traceKey is the context key of net/http/httptrace, learnt once from
// ContextClientTrace's own lookup; nil (withTrace then uses
// httptrace.WithClientTrace) if it looks its trace up otherwise.
var traceKey = func() any {
	spy := &keySpy{Context: context.Background()}
	httptrace.ContextClientTrace(spy)
	return spy.key
}()

// keySpy is a context that remembers the first key it is asked for.
type keySpy struct {
	context.Context
	key any
}

func (s *keySpy) Value(key any) any {
	if s.key == nil {
		s.key = key
	}
	return nil
}

// wroteRequest is the trace hook that reports the request written whole.
func (a *attemptCtx) wroteRequest(w httptrace.WroteRequestInfo) {
	if w.Err == nil {
		a.wrote.Store(true)
	}
}

// attachBody runs as resty's pre-request hook, after resty has built the
// *http.Request and just before it is sent. A body of bytes resty has
// attached itself (http.NewRequest on a *bytes.Reader, which copies
// nothing); any other body is attached here, not with resty's SetBody,
// because resty reads any other io.Reader body whole into memory to build
// GetBody: a 10 MB image would be held as 13 MB of base64. Here it
// streams, with its length when known (else chunked). No body has a
// GetBody, so net/http never replays it by itself: retries are ours. A
// body-less request goes without a body (Content-Length: 0 where the
// method has one), as net/http sends it.
//
// net/http also replays a body-less GET, HEAD, OPTIONS or TRACE (or any
// request with an Idempotency-Key header) by itself when a reused
// connection fails after the request was written. For an operation the
// resend policy never resends after the write (billed without an
// idempotency key, messaging), such a request gets an empty body without
// GetBody, which net/http does not replay; for a GET it sends no
// Content-Length and no chunked framing for it.
func attachBody(_ *resty.Client, req *http.Request) error {
	a, ok := req.Context().(*attemptCtx)
	if !ok {
		return nil
	}
	if a.typeSet { // the placeholder that kept resty from guessing a Content-Type
		if a.typeWas == nil {
			delete(req.Header, "Content-Type")
		} else {
			req.Header["Content-Type"] = a.typeWas
		}
	}
	switch {
	case a.body != nil:
		req.Body, req.GetBody, req.ContentLength = a.body, nil, max(a.length, 0)
	case req.Body != nil && req.Body != http.NoBody: // bytes, attached by http.NewRequest
		req.GetBody = nil
	case a.once && netHTTPReplays(req):
		req.Body, req.GetBody, req.ContentLength = emptyBody{}, nil, 0
	case req.Body != nil:
		req.Body, req.GetBody, req.ContentLength = http.NoBody, noBody, 0
	}
	return nil
}

// netHTTPReplays reports a body-less request that net/http would send
// again by itself (http.Request.isReplayable).
func netHTTPReplays(req *http.Request) bool {
	switch req.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	_, a := req.Header["Idempotency-Key"]
	_, b := req.Header["X-Idempotency-Key"]
	return a || b
}

func noBody() (io.ReadCloser, error) { return http.NoBody, nil }

// payloadMethod reports a method whose body resty attaches (it drops the
// body of a GET, HEAD or OPTIONS; the hook attaches those).
func payloadMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// emptyBody is an empty request body that is not http.NoBody.
type emptyBody struct{}

func (emptyBody) Read([]byte) (int, error) { return 0, io.EOF }
func (emptyBody) Close() error             { return nil }

func (c *Client) do(ctx context.Context, r *Request, stream bool) (*Response, error) {
	if r.Method == "" {
		r.Method = r.Operation.Method
	}
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	if r.Path == "" {
		r.Path = r.Operation.Path
	}
	if strings.Contains(r.Path, "://") {
		return nil, c.errorf(r, kyc.ErrInvalidRequest, false, nil, "a request path must be relative to the base URL")
	}
	if r.Operation.Path == "" {
		r.Operation.Path = r.Path // no template declared: the path is the template
	}
	if lerr := r.Body.CheckLimits(); lerr != nil {
		return nil, c.limitError(r, lerr)
	}
	var call callState
	c.startCall(ctx, r, &call)
	resp, err := c.loop(call.ctx, r, stream, &call)
	call.end(resp, err)
	return resp, err
}

// loop sends the attempts of one call as the resend policy allows.
func (c *Client) loop(ctx context.Context, r *Request, stream bool, call *callState) (*Response, error) {
	target := c.URL(r.Path, r.Query) // the log path (safePath) is built only when a record is written
	pol := policy{op: r.Operation, replayable: r.Body.Replayable(), maxRetries: c.s.MaxRetries,
		minBackoff: c.s.MinBackoff, maxWait: c.s.MaxWait}
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, call.mark(c.ctxError(r, err, call.sent))
		}
		if err := c.waitTurn(ctx, r); err != nil {
			if call.sent {
				return nil, call.mark(c.ctxError(r, ctx.Err(), call.sent))
			}
			return nil, call.mark(err)
		}
		o, obsEnd, start := c.attempt(ctx, r, target, attempt, stream)
		call.attempts = attempt
		if serr, ok := o.err.(signError); ok { // sign returns it as it is, unwrapped
			obsEnd(o, decision{reason: ReasonAuthRefused}, start)
			return nil, call.mark(serr.err) // a signer failure ends the call: retrying cannot fix credentials
		}
		call.record(o)
		dec := pol.decide(ctx, attempt, o, c.s.Clock())
		if dec.retry {
			left, ok := c.budget.take(o)
			if !ok {
				dec = decision{reason: ReasonBudgetEmpty}
			}
			c.observeBudget(left)
		} else if dec.reason == ReasonSuccess {
			c.budget.refund()
		}
		obsEnd(o, dec, start)
		c.logRetry(ctx, r, attempt, dec)
		if !dec.retry {
			if o.err != nil {
				return nil, call.mark(o.err)
			}
			o.resp.Attempts = attempt
			o.resp.Unprocessed = !call.processed
			return o.resp, nil
		}
		if o.resp != nil {
			discard(o.resp)
		}
		if err := sleep(ctx, dec.wait); err != nil {
			return nil, call.mark(c.ctxError(r, err, call.sent))
		}
	}
}

// attempt sends the request once and reports what came of it, with the
// function that ends the attempt's observation once the policy decided.
func (c *Client) attempt(ctx context.Context, r *Request, target string, n int, stream bool) (outcome, func(outcome, decision, time.Time), time.Time) {
	h := c.headers(r)
	defer c.releaseHeader(h)
	// Signing comes before the Observer sees the attempt, so that its
	// SetHeader finds the credentials in place and cannot replace them.
	signErr := c.sign(ctx, r, h)
	ctx, obsEnd := c.startAttempt(ctx, r, n, h)
	if signErr != nil {
		return outcome{err: signErr}, obsEnd, time.Now()
	}
	actx, cancel, stopHeaderTimer := c.attemptContext(ctx, stream)
	a := &attemptCtx{length: r.Body.Len(), once: !r.Operation.Resendable()}
	a.trace.WroteRequest = a.wroteRequest
	a.withTrace(actx)
	// The resty request is a copy of the client's template: R() would
	// allocate maps and slices no attempt uses, and resty only reads the
	// template's. Its header is the attempt's, which resty clones into the
	// *http.Request: nothing else copies it. Once Execute returns, nothing
	// refers to it (the hook sees only the *http.Request), so it is pooled.
	req, _ := restyPool.Get().(*resty.Request)
	if req == nil {
		req = new(resty.Request)
	}
	defer releaseResty(req)
	*req = c.rt
	req.SetContext(a)
	req.Header = h
	req.Body = noPayload
	if b, ok := r.Body.inline(); ok && payloadMethod(r.Method) {
		req.Body = bytes.NewReader(b)
	} else if !r.Body.IsZero() {
		body, err := r.Body.Open()
		if err != nil {
			cancel()
			return outcome{err: c.errorf(r, kyc.ErrInvalidRequest, false, err, "cannot read the request body")}, obsEnd, time.Now()
		}
		defer body.Close()
		a.body = body
	}
	// resty gives a request without a Content-Type one it guesses from
	// the body; a placeholder, which the hook takes away, keeps it from it.
	if h.Get("Content-Type") == "" {
		a.typeWas, a.typeSet = h["Content-Type"], true
		h["Content-Type"] = typePlaceholder
	}

	start := time.Now()
	rresp, err := req.Execute(r.Method, target)
	stopHeaderTimer()
	var raw *http.Response
	if rresp != nil {
		raw = rresp.RawResponse
	}
	if err != nil || raw == nil {
		var kerr *kyc.Error
		var lerr *LimitError
		if errors.As(err, &lerr) {
			kerr = c.limitError(r, lerr) // aborted before the body completed
		} else {
			kerr = c.transportError(ctx, actx, r, err, a.wrote.Load())
		}
		cancel()
		if raw != nil && raw.Body != nil {
			_ = raw.Body.Close()
		}
		c.logAttempt(ctx, r, n, 0, start, h, nil, kerr)
		return outcome{err: kerr, wrote: a.wrote.Load()}, obsEnd, start
	}
	resp := &Response{StatusCode: raw.StatusCode, Header: raw.Header, RequestID: c.requestID(h, raw.Header)}
	if stream {
		resp.stream = &cancelOnClose{ReadCloser: raw.Body, cancel: cancel}
		c.logAttempt(ctx, r, n, resp.StatusCode, start, h, raw.Header, nil)
		return outcome{resp: resp, wrote: true}, obsEnd, start
	}
	defer cancel()
	kerr := c.read(ctx, actx, r, raw, resp)
	c.logAttempt(ctx, r, n, resp.StatusCode, start, h, raw.Header, kerr)
	if kerr != nil {
		return outcome{err: kerr, wrote: true}, obsEnd, start
	}
	return outcome{resp: resp, wrote: true}, obsEnd, start
}

// headers builds one attempt's headers: the request's, the user agent, the
// body's type and Accept.
//
// The values the transport sets are shared slices (of capacity one, so an
// Add copies them) that no one writes: a Set replaces them.
//
// Without an Observer (whose SetHeader holds the map) the map comes from a
// pool, and releaseHeader returns it once the attempt is over: resty
// clones it into the *http.Request, and nothing else keeps it.
func (c *Client) headers(r *Request) http.Header {
	var h http.Header
	if c.s.Observer == nil {
		h, _ = headerPool.Get().(http.Header)
	}
	if h == nil {
		h = make(http.Header, len(r.Header)+4)
	}
	for k, v := range r.Header {
		h[k] = v
	}
	h["User-Agent"] = c.userAgent[:1:1]
	if ct := r.Body.ContentType(); ct != "" && h.Get("Content-Type") == "" {
		h["Content-Type"] = headerValue(ct)
	}
	if h.Get("Accept") == "" {
		h["Accept"] = acceptJSON[:1:1]
	}
	return h
}

var headerPool sync.Pool // of http.Header: see headers

var restyPool sync.Pool // of *resty.Request: see attempt

func releaseResty(req *resty.Request) {
	*req = resty.Request{}
	restyPool.Put(req)
}

// releaseHeader returns an attempt's header map to the pool, unless an
// Observer may still hold it or it grew large.
func (c *Client) releaseHeader(h http.Header) {
	if c.s.Observer != nil || len(h) > 16 {
		return
	}
	clear(h)
	headerPool.Put(h)
}

// Shared header values: see headers.
var (
	typePlaceholder = []string{"application/octet-stream"}
	acceptJSON      = []string{"application/json"}
	typeJSON        = []string{"application/json"}
	typeForm        = []string{"application/x-www-form-urlencoded"}
)

func headerValue(v string) []string {
	switch v {
	case typeJSON[0]:
		return typeJSON[:1:1]
	case typeForm[0]:
		return typeForm[:1:1]
	}
	return []string{v}
}

// sign runs the client's and the request's signers on h. A failure is a
// signError, which ends the call.
func (c *Client) sign(ctx context.Context, r *Request, h http.Header) error {
	for _, sign := range [2]Signer{c.p.Sign, r.Sign} {
		if sign == nil {
			continue
		}
		if err := sign(ctx, h); err != nil {
			var kerr *kyc.Error
			if !errors.As(err, &kerr) {
				kerr = c.errorf(r, kyc.ErrUnauthorized, false, err, "signing the request failed")
			}
			return signError{kerr}
		}
	}
	return nil
}

// attemptContext bounds one attempt by the client's timeout (kyc.WithTimeout)
// unless the caller's deadline comes first. For a stream the timeout bounds
// the wait for the response headers; stop ends that wait's timer.
func (c *Client) attemptContext(ctx context.Context, stream bool) (actx context.Context, cancel context.CancelFunc, stop func()) {
	stop = func() {}
	if c.s.Timeout <= 0 {
		return ctx, func() {}, stop
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= c.s.Timeout {
		return ctx, func() {}, stop
	}
	if !stream {
		actx, cancel = context.WithTimeout(ctx, c.s.Timeout)
		return actx, cancel, stop
	}
	actx, cancel = context.WithCancel(ctx)
	t := time.AfterFunc(c.s.Timeout, cancel)
	return actx, cancel, func() { t.Stop() }
}

// read reads a whole response body within the size cap into resp.Body,
// without a UTF-8 BOM or XSSI guard in front of JSON or XML (structured).
func (c *Client) read(ctx, actx context.Context, r *Request, raw *http.Response, resp *Response) *kyc.Error {
	body, err := readBody(raw.Body, raw.ContentLength, c.s.MaxResponseBytes)
	_ = raw.Body.Close()
	var kerr *kyc.Error
	switch {
	case err != nil:
		kerr = c.transportError(ctx, actx, r, err, true)
	case int64(len(body)) > c.s.MaxResponseBytes:
		kerr = c.errorf(r, kyc.ErrBadResponse, true, nil, fmt.Sprintf("the response body exceeds the %.2f MiB cap", float64(c.s.MaxResponseBytes)/(1<<20)))
	default:
		resp.Body = stripPrefix(body)
		return nil
	}
	kerr.StatusCode, kerr.RequestID = resp.StatusCode, resp.RequestID
	return kerr
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

// stripPrefix drops a BOM or an XSSI guard (StripBOM) when structured
// data follows it, and leaves any other body as it came.
func stripPrefix(b []byte) []byte {
	t := StripBOM(b)
	if len(t) == len(b) {
		return b
	}
	if s := bytes.TrimLeft(t, " \t\r\n"); len(s) > 0 && (s[0] == '{' || s[0] == '[' || s[0] == '<') {
		return t
	}
	return b
}

// MaxPrealloc is the most a response buffer allocates ahead of the bytes
// that arrived. A server announcing 32 MiB and sending 8 bytes costs 64
// KiB, not 32 MiB; a body that does come grows the buffer by doubling.
const MaxPrealloc = 64 << 10

// readBody reads r to its end, or to limit+1 bytes (the caller sees that
// the body is over the cap). An announced length within the cap sizes the
// first allocation, up to MaxPrealloc, with one byte more: the read past
// the announced length that finds the end needs no second allocation. A
// body shorter than announced is io.ErrUnexpectedEOF.
func readBody(r io.Reader, contentLength, limit int64) ([]byte, error) {
	want := limit + 1
	size := int64(512)
	if contentLength >= 0 && contentLength <= limit {
		size = contentLength + 1
	}
	buf := make([]byte, 0, min(size, want, MaxPrealloc))
	for int64(len(buf)) < want {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, int(min(int64(cap(buf)), want-int64(len(buf)))))
		}
		end := min(int64(cap(buf)), want)
		n, err := r.Read(buf[len(buf):end])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			if contentLength >= 0 && int64(len(buf)) < contentLength {
				return buf, io.ErrUnexpectedEOF
			}
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
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

// urlCache keeps the URLs of query-less paths without an id (an operation
// table's templates), so that a call does not build its URL again. It is
// copied on write and bounded: a client sending more distinct paths than
// maxCachedURLs builds the others each time.
type urlCache struct {
	m  atomic.Pointer[map[string]string]
	mu sync.Mutex
}

const maxCachedURLs = 64

func (u *urlCache) get(path string, build func(string, url.Values) string) string {
	if m := u.m.Load(); m != nil {
		if v, ok := (*m)[path]; ok {
			return v
		}
	}
	v := build(path, nil)
	for _, s := range strings.Split(path, "/") {
		if idSegment(s) {
			return v // ids are personal data: not kept
		}
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	old := u.m.Load()
	if old != nil && len(*old) >= maxCachedURLs {
		return v
	}
	m := make(map[string]string, 1+lenOf(old))
	if old != nil {
		for k, s := range *old {
			m[k] = s
		}
	}
	m[path] = v
	u.m.Store(&m)
	return v
}

func lenOf(m *map[string]string) int {
	if m == nil {
		return 0
	}
	return len(*m)
}
