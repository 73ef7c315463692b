package transport

// The resty round trip of one attempt: headers, body attachment, the
// write trace, the per-attempt timeout and the bounded read of the answer.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/kyc-go/kyc"
)

// noPayload is the body resty sees of a request whose body the pre-request
// hook attaches (a stream) or that has none. It is shared, and only read:
// with a *strings.Reader, http.NewRequest sets GetBody itself and resty
// skips its getBodyCopy, which reads the body whole (io.ReadAll, even of
// http.NoBody) and wraps it in two buffers.
var noPayload = strings.NewReader("")

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
	if get(h, "Content-Type") == "" {
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
	if ct := r.Body.ContentType(); ct != "" && get(h, "Content-Type") == "" {
		h["Content-Type"] = headerValue(ct)
	}
	if get(h, "Accept") == "" {
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

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

func (c *Client) requestID(reqHeader, respHeader http.Header) string {
	for _, h := range [2]http.Header{respHeader, reqHeader} {
		for _, n := range c.idHeaders {
			if v := get(h, n.canonical); v != "" {
				return v
			}
			if v := h[n.name]; n.name != n.canonical && len(v) > 0 && v[0] != "" { // non-canonical names such as request_id
				return v[0]
			}
		}
	}
	return ""
}

// headerName is a header name as given and in its canonical form, worked
// out once (http.Header.Get canonicalizes its key on every call).
type headerName struct{ name, canonical string }

func headerNames(names ...string) []headerName {
	hs := make([]headerName, len(names))
	for i, n := range names {
		hs[i] = headerName{n, textproto.CanonicalMIMEHeaderKey(n)}
	}
	return hs
}

// get is http.Header.Get for a key already in canonical form (a constant
// such as "Content-Type"): the same value, without canonicalizing it again.
func get(h http.Header, canonical string) string {
	if v := h[canonical]; len(v) > 0 {
		return v[0]
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
