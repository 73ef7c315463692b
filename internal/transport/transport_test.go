package transport

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// jpeg is the smallest byte string kyc.Image accepts as a JPEG.
var jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte("jpegdata"), 100)...)

func newServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *Client) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	c, err := New(Params{Provider: "test", BaseURL: srv.URL + "/api/"},
		[]kyc.Option{kyc.WithHTTPClient(srv.Client()), kyc.WithRetry(2, 2*time.Second)})
	require.NoError(t, err)
	return srv, c
}

func TestRetryAfterIsHonoured(t *testing.T) {
	var calls atomic.Int32
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, `{"ok":true}`)
	})
	start := time.Now()
	resp, err := c.Do(context.Background(), &Request{Operation: at(op("test.Op"), "/x"), Method: "POST", Body: Bytes("application/json", []byte(`{}`))})
	elapsed := time.Since(start)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 2, resp.Attempts)
	assert.EqualValues(t, 2, calls.Load())
	assert.GreaterOrEqual(t, elapsed, 950*time.Millisecond)
	assert.Less(t, elapsed, 3*time.Second, "one wait of about a second, not several")
}

func TestRetryAfterBeyondCapIsNotWaited(t *testing.T) {
	var calls atomic.Int32
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	start := time.Now()
	resp, err := c.Do(context.Background(), &Request{Operation: at(op("test.Op", Idempotent), "x")})
	require.NoError(t, err)
	assert.Equal(t, 429, resp.StatusCode)
	assert.EqualValues(t, 1, calls.Load())
	assert.Less(t, time.Since(start), 5*time.Second, "a 60 s Retry-After is not waited for")
	kerr := c.APIError("test.Op", resp, nil, "", "")
	assert.ErrorIs(t, kerr, kyc.ErrRateLimited)
	assert.Equal(t, time.Minute, kerr.RetryAfter)
}

func TestStatusRetryMatrix(t *testing.T) {
	tests := []struct {
		name   string
		status int
		mode   kyc.Class
		calls  int32
	}{
		{"502 unsafe sent once", 502, Unsafe, 1},
		{"504 unsafe sent once", 504, Unsafe, 1},
		{"502 idempotent retried", 502, Idempotent, 3},
		{"503 unsafe retried", 503, Unsafe, 3},
		{"429 unsafe retried", 429, Unsafe, 3},
		{"503 once never resent", 503, Once, 1},
		{"429 once never resent", 429, Once, 1},
		{"401 never retried", 401, Idempotent, 1},
		{"403 never retried", 403, Idempotent, 1},
		{"500 free retried", 500, Idempotent, 3},
		{"500 billed final", 500, Unsafe, 1},
		{"400 final", 400, Idempotent, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(tt.status)
			})
			resp, err := c.Do(context.Background(), &Request{Operation: at(op("test.Op", tt.mode), "x"), Method: "POST",
				Body: Bytes("application/json", []byte(`{"a":1}`))})
			require.NoError(t, err)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.calls, calls.Load())
		})
	}
}

// hijackAfterRead reads the whole request, then resets the connection
// without answering: the request reached the server.
func hijackAfterRead(calls *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		var tcp *net.TCPConn
		switch c := conn.(type) {
		case *net.TCPConn: // plain HTTP
			tcp = c
		case interface{ NetConn() net.Conn }: // TLS
			tcp, _ = c.NetConn().(*net.TCPConn)
		}
		if tcp != nil {
			_ = tcp.SetLinger(0) // RST, not FIN
		}
		_ = conn.Close()
	}
}

func TestResetAfterWriteIsNotResentWhenUnsafe(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewUnstartedServer(hijackAfterRead(&calls))
	srv.EnableHTTP2 = false
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c, err := New(Params{Provider: "test", BaseURL: srv.URL}, []kyc.Option{kyc.WithHTTPClient(srv.Client()), fastRetry})
	require.NoError(t, err)

	_, err = c.Do(context.Background(), &Request{Operation: at(op("test.Send"), "send"), Method: "POST", Body: Bytes("application/json", []byte(`{}`))})
	require.Error(t, err)
	assert.ErrorIs(t, err, kyc.ErrUnavailable)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.True(t, !kerr.NotSent, "the request was written, so it may have reached the vendor")
	assert.EqualValues(t, 1, calls.Load())

	calls.Store(0)
	_, err = c.Do(context.Background(), &Request{Operation: at(op("test.Read", Idempotent), "read"), Method: "GET"})
	require.Error(t, err)
	assert.EqualValues(t, 3, calls.Load(), "an idempotent read is retried")
}

func TestConnectionFailureBeforeSendIsRetried(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "{}")
	}))
	t.Cleanup(srv.Close)
	var dials atomic.Int32
	tr := srv.Client().Transport.(*http.Transport).Clone()
	dialer := &net.Dialer{}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
		}
		return dialer.DialContext(ctx, network, addr)
	}
	c, err := New(Params{Provider: "test", BaseURL: srv.URL}, []kyc.Option{kyc.WithHTTPClient(&http.Client{Transport: tr}), fastRetry})
	require.NoError(t, err)
	resp, err := c.Do(context.Background(), &Request{Operation: at(op("test.Send", Once), "send"), Method: "POST", Body: Bytes("text/plain", []byte("x"))})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.EqualValues(t, 2, dials.Load())
}

func TestCancelEndsBackoffAtOnce(t *testing.T) {
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Do(ctx, &Request{Operation: at(op("test.Op", Idempotent), "x")})
	elapsed := time.Since(start)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, kyc.ErrTimeout)
	assert.False(t, kyc.IsRetryable(err), "a cancelled call is not retryable")
	assert.Less(t, elapsed, time.Second, "the 2 s wait ends when the context is cancelled")
}

// TestPerAttemptTimeout: each attempt of an idempotent call is bounded, and
// the call is resent once. The attempts are counted where the client sends
// them, so a loaded machine whose handshake outlasts the 100 ms bound still
// counts what the client did; the server holds every request until the
// client goes.
func TestPerAttemptTimeout(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
		panic(http.ErrAbortHandler) // the client went: answer nothing (a 200 here could race its deadline)
	}))
	t.Cleanup(srv.Close)
	var attempts atomic.Int32
	hc := srv.Client()
	inner := hc.Transport
	hc.Transport = countingTripper{inner: inner, n: &attempts}
	c, err := New(Params{Provider: "test", BaseURL: srv.URL}, []kyc.Option{
		kyc.WithHTTPClient(hc), kyc.WithTimeout(100 * time.Millisecond), kyc.WithRetry(1, 50*time.Millisecond)})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Operation: at(op("test.Op", Idempotent), "x")})
	require.ErrorIs(t, err, kyc.ErrTimeout)
	assert.True(t, kyc.IsRetryable(err))
	assert.EqualValues(t, 2, attempts.Load())
}

// countingTripper counts the requests sent through it.
type countingTripper struct {
	inner http.RoundTripper
	n     *atomic.Int32
}

func (c countingTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.inner.RoundTrip(r)
}

func TestPlainHTTPRefusedBeforeDial(t *testing.T) {
	var dials atomic.Int32
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, n, a string) (net.Conn, error) {
		dials.Add(1)
		return nil, errors.New("no")
	}}}
	for _, u := range []string{"http://api.example.com", "http://10.0.0.1/x", "ftp://example.com", "example.com", "https://user:pw@example.com"} {
		_, err := New(Params{Provider: "test", BaseURL: u}, []kyc.Option{kyc.WithHTTPClient(hc)})
		require.Error(t, err, u)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, u)
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost", "http://[::1]:9", "https://api.example.com/v7"} {
		_, err := New(Params{Provider: "test", BaseURL: u}, []kyc.Option{kyc.WithHTTPClient(hc)})
		require.NoError(t, err, u)
	}
	assert.Zero(t, dials.Load())
}

func TestResponseOverCapIsBadResponse(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("a"), 64<<10)
		for i := 0; i < 1024; i++ { // 64 MiB if read whole
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	c, err := New(Params{Provider: "test", BaseURL: srv.URL}, []kyc.Option{kyc.WithHTTPClient(srv.Client()), kyc.WithMaxResponseBytes(1 << 20)})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Operation: at(op("test.Op"), "x")})
	require.ErrorIs(t, err, kyc.ErrBadResponse)
	assert.Contains(t, err.Error(), "exceeds the 1.00 MiB cap")
}

func TestNonReplayableBodyIsNotResent(t *testing.T) {
	var calls atomic.Int32
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	img, err := kyc.ImageFromReader(io.MultiReader(bytes.NewReader(jpeg)))
	require.NoError(t, err)
	body, err := Multipart(Part{Name: "image", Image: img})
	require.NoError(t, err)
	resp, err := c.Do(context.Background(), &Request{Operation: at(op("test.Op"), "x"), Method: "POST", Body: body})
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode)
	assert.EqualValues(t, 1, calls.Load())
}

func TestPathJoinAndQuery(t *testing.T) {
	var got string
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.RequestURI()
	})
	for path, want := range map[string]string{
		"/v1/x":    "/api/v1/x?a=b",
		"v1/x":     "/api/v1/x?a=b",
		"v1/a%2Fb": "/api/v1/a%2Fb?a=b",
	} {
		_, err := c.Do(context.Background(), &Request{Operation: at(op("t"), path), Query: map[string][]string{"a": {"b"}}})
		require.NoError(t, err)
		assert.Equal(t, want, got, path)
	}
	_, err := c.Do(context.Background(), &Request{Operation: at(op("t"), "https://evil.example.com/")})
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
}

func TestSignRunsPerAttempt(t *testing.T) {
	var seen []string
	var calls atomic.Int32
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Header.Get("X-Sig"))
		if calls.Add(1) < 3 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(503)
		}
	})
	var n atomic.Int32
	_, err := c.Do(context.Background(), &Request{Operation: at(op("t"), "x"), Sign: func(ctx context.Context, h http.Header) error {
		h.Set("X-Sig", strings.Repeat("s", int(n.Add(1))))
		return nil
	}})
	require.NoError(t, err)
	assert.Equal(t, []string{"s", "ss", "sss"}, seen)

	var signs atomic.Int32
	calls.Store(0)
	_, err = c.Do(context.Background(), &Request{Operation: at(op("t", Idempotent), "x"), Sign: func(context.Context, http.Header) error {
		signs.Add(1)
		return errors.New("token service down")
	}})
	assert.ErrorIs(t, err, kyc.ErrUnauthorized)
	assert.EqualValues(t, 1, signs.Load(), "a failing signer ends the call without retry")
	assert.Zero(t, calls.Load(), "nothing is sent unsigned")

	_, err = c.Do(context.Background(), &Request{Operation: at(op("t"), "x"), Sign: func(context.Context, http.Header) error {
		return &kyc.Error{Op: "vendor.Token", Kind: kyc.ErrUnavailable}
	}})
	assert.ErrorIs(t, err, kyc.ErrUnavailable, "a signer's own *kyc.Error is returned as it is")
}

func TestRedirectIsNotFollowed(t *testing.T) {
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://elsewhere.example.com/", http.StatusFound)
	})
	resp, err := c.Do(context.Background(), &Request{Operation: at(op("t"), "x")})
	require.NoError(t, err)
	assert.Equal(t, http.StatusFound, resp.StatusCode)
}

func TestStream(t *testing.T) {
	payload := bytes.Repeat([]byte("%PDF"), 1<<16)
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(payload) })
	resp, err := c.Stream(context.Background(), &Request{Operation: at(op("t", Idempotent), "pdf")})
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Reader())
	require.NoError(t, err)
	require.NoError(t, resp.Close())
	assert.Equal(t, payload, got)
	assert.Nil(t, resp.Body)
}

func TestStreamOutlivesAttemptTimeout(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		time.Sleep(300 * time.Millisecond) // a slow download, longer than the attempt timeout
		_, _ = io.WriteString(w, "tail")
	}))
	t.Cleanup(srv.Close)
	c, err := New(Params{Provider: "test", BaseURL: srv.URL}, []kyc.Option{kyc.WithHTTPClient(srv.Client()), kyc.WithTimeout(100 * time.Millisecond)})
	require.NoError(t, err)
	resp, err := c.Stream(context.Background(), &Request{Operation: at(op("t"), "pdf")})
	require.NoError(t, err)
	defer resp.Close()
	got, err := io.ReadAll(resp.Reader())
	require.NoError(t, err)
	assert.Equal(t, "tail", string(got))

	// Headers that never come still time out.
	slow := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
			panic(http.ErrAbortHandler) // the client went: answer nothing (a 200 here could race its deadline)
		}
	}))
	t.Cleanup(slow.Close)
	c, err = New(Params{Provider: "test", BaseURL: slow.URL}, []kyc.Option{kyc.WithHTTPClient(slow.Client()), kyc.WithTimeout(100 * time.Millisecond), kyc.WithRetry(0, 0)})
	require.NoError(t, err)
	_, err = c.Stream(context.Background(), &Request{Operation: at(op("t"), "pdf")})
	assert.ErrorIs(t, err, kyc.ErrTimeout)
}

func TestOptionErrors(t *testing.T) {
	for _, o := range []kyc.Option{kyc.WithTimeout(-1), kyc.WithRetry(-1, 0), kyc.WithHTTPClient(nil), kyc.WithMaxResponseBytes(0)} {
		_, err := New(Params{Provider: "test", BaseURL: "https://x.example"}, []kyc.Option{o})
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
	}
}

func TestKindForStatus(t *testing.T) {
	for status, kind := range map[int]error{
		400: kyc.ErrInvalidRequest, 401: kyc.ErrUnauthorized, 402: kyc.ErrInsufficientCredit, 403: kyc.ErrForbidden,
		404: kyc.ErrNotFound, 408: kyc.ErrTimeout, 409: kyc.ErrInvalidRequest, 413: kyc.ErrInvalidRequest,
		429: kyc.ErrRateLimited, 500: kyc.ErrUnavailable, 502: kyc.ErrUnavailable, 503: kyc.ErrUnavailable,
		504: kyc.ErrTimeout, 302: kyc.ErrBadResponse,
	} {
		assert.Equal(t, kind, KindForStatus(status), status)
	}
}

func newCapture() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), &buf
}

func TestNothingSecretIsLoggedOrInErrors(t *testing.T) {
	const (
		apiKey = "sk_live_9f8e7d6c5b4a39281706"
		bearer = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl"
		phone  = "+34600111222"
		name   = "Maria Jimenez Garcia"
	)
	secret := kyc.NewSecret(apiKey)
	img, err := kyc.ImageFromBytes(jpeg)
	require.NoError(t, err)
	logger, logs := newCapture()

	var calls atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		switch n {
		case 1:
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(503)
		case 2:
			w.WriteHeader(401)
			_, _ = io.WriteString(w, `{"message":"bad key `+apiKey+` for `+phone+`","name":"`+name+`"}`)
		default:
			_, _ = io.WriteString(w, `{"phone":"`+phone+`", "token":"`+bearer+`"`) // truncated JSON
		}
	}))
	t.Cleanup(srv.Close)
	params := Params{Provider: "test", BaseURL: srv.URL, Sign: func(ctx context.Context, h http.Header) error {
		h.Set("x-api-key", secret.Reveal())
		h.Set("Authorization", bearer)
		return nil
	}}
	// Short waits between attempts: the 503's Retry-After is 0, and the
	// refused dials below are resent at once.
	retry := kyc.WithRetry(kyc.DefaultMaxRetries, time.Millisecond)
	c, err := New(params, []kyc.Option{kyc.WithHTTPClient(srv.Client()), kyc.WithLogger(logger), retry})
	require.NoError(t, err)

	type send struct {
		Phone string `json:"phone"`
		Name  string `json:"name"`
		Image Base64 `json:"image"`
	}
	body, err := JSONImages(send{Phone: phone, Name: name, Image: Base64{Image: img}}, img)
	require.NoError(t, err)
	var errs []string
	for i := 0; i < 2; i++ {
		resp, err := c.Do(context.Background(), &Request{Operation: at(op("test.Send"), "/send"), Method: "POST", Body: body,
			Query: map[string][]string{"phone": {phone}}})
		require.NoError(t, err)
		var v map[string]any
		if derr := c.DecodeJSON("test.Send", resp, &v); derr != nil {
			errs = append(errs, derr.Error())
		}
		var msg struct{ Message string }
		_ = json.Unmarshal(resp.Body, &msg)
		errs = append(errs, c.APIError("test.Send", resp, nil, "401", msg.Message).Error())
	}
	// A transport failure too: every dial refused, each attempt resent. Not
	// a closed server: its port is free once it closed, and any other test's
	// TLS server (they share one certificate, which this client trusts) that
	// binds it meanwhile answers the redials, so Do got a response.
	var dials atomic.Int32
	c, err = New(params, []kyc.Option{kyc.WithHTTPClient(refusingClient(t, &dials)), kyc.WithLogger(logger), retry})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Operation: at(op("test.Send"), "/send"), Method: "POST", Body: body, Query: map[string][]string{"phone": {phone}}})
	require.Error(t, err)
	assert.EqualValues(t, 1+kyc.DefaultMaxRetries, dials.Load(), "a refused dial is resent")
	errs = append(errs, err.Error(), fmt.Sprintf("%v %+v", err, secret), fmt.Sprintf("%#v %q %s", secret, secret, secret))

	all := logs.String() + strings.Join(errs, "\n")
	require.NotEmpty(t, logs.String())
	assert.Contains(t, logs.String(), "path=/send")
	for _, v := range []string{apiKey, bearer, "eyJhbGci", phone, "600111222", name, "Jimenez", base64.StdEncoding.EncodeToString(jpeg)[:16], "jpegdata"} {
		assert.NotContains(t, all, v)
	}
	t.Log(all)
}

func TestAPIErrorKeepsVendorTextOutOfErrorString(t *testing.T) {
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
	resp := &Response{StatusCode: 422, Header: http.Header{"Retry-After": {"3"}}, RequestID: "req-1"}
	e := c.APIError("test.Op", resp, nil, "NAME_MISMATCH", "Name Maria Garcia does not match\x00 the record")
	assert.ErrorIs(t, e, kyc.ErrInvalidRequest)
	assert.Equal(t, "Name Maria Garcia does not match  the record", e.VendorMessage, "kept, cleaned")
	assert.Equal(t, "Unprocessable Entity", e.Message)
	assert.Equal(t, 3*time.Second, e.RetryAfter)
	assert.True(t, !e.NotSent)
	assert.NotContains(t, e.Error(), "Maria")
	assert.Contains(t, e.Error(), "NAME_MISMATCH")
	long := c.APIError("test.Op", resp, nil, "", strings.Repeat("é", 2000))
	assert.LessOrEqual(t, len(long.VendorMessage), 1024)
	assert.True(t, utf8.ValidString(long.VendorMessage))
}

// The classes under the names the first tests used.
const (
	Unsafe     = kyc.ClassBilled
	Idempotent = kyc.ClassFree
	Once       = kyc.ClassMessaging
)

func op(name string, class ...kyc.Class) kyc.Operation {
	o := kyc.Operation{Name: name}
	if len(class) > 0 {
		o.Class = class[0]
	}
	return o
}

type zeros struct{ n int }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	n := min(len(p), z.n)
	clear(p[:n])
	z.n -= n
	return n, nil
}
