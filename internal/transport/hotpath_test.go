package transport

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// closeTimes is a dialer whose connections report when the client closed
// them.
type closeTimes struct {
	mu     sync.Mutex
	closed []time.Time
}

func (ct *closeTimes) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &reportingConn{Conn: c, ct: ct}, nil
}

func (ct *closeTimes) first() (time.Time, bool) {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	if len(ct.closed) == 0 {
		return time.Time{}, false
	}
	return ct.closed[0], true
}

type reportingConn struct {
	net.Conn
	ct   *closeTimes
	once sync.Once
}

func (c *reportingConn) Close() error {
	c.once.Do(func() {
		c.ct.mu.Lock()
		c.ct.closed = append(c.ct.closed, time.Now())
		c.ct.mu.Unlock()
	})
	return c.Conn.Close()
}

// An attempt that times out closes its connection at once, as raw net/http
// with the same deadline does, and the vendor's server sees the request
// go: its request context ends within the timeout, not when its handler
// gives up. A body-less POST goes with "Content-Length: 0", not as an
// empty chunked body (resty's getBodyCopy made it one), which a server
// waits to read before it watches the connection. A body the handler
// never reads keeps any Go server from noticing, with raw net/http too:
// there only the client side's close is checked.
func TestAttemptTimeoutClosesTheConnection(t *testing.T) {
	t.Parallel()
	const timeout = 200 * time.Millisecond
	const handlerGivesUp = 2 * time.Second
	for _, tt := range []struct {
		name string
		op   kyc.Operation
		body Body
		// serverSees: the server's request context ends within a second.
		serverSees bool
	}{
		{"billed GET", kyc.Operation{Name: "test.Get", Method: http.MethodGet, Path: "/a", Class: kyc.ClassBilled}, Body{}, true},
		{"free GET", kyc.Operation{Name: "test.Get", Method: http.MethodGet, Path: "/a", Class: kyc.ClassFree}, Body{}, true},
		{"billed POST without body", kyc.Operation{Name: "test.Post", Method: http.MethodPost, Path: "/a", Class: kyc.ClassBilled}, Body{}, true},
		{"free POST without body", kyc.Operation{Name: "test.Post", Method: http.MethodPost, Path: "/a", Class: kyc.ClassFree}, Body{}, true},
		{"messaging PUT without body", kyc.Operation{Name: "test.Put", Method: http.MethodPut, Path: "/a", Class: kyc.ClassMessaging}, Body{}, true},
		{"billed POST with an unread body", kyc.Operation{Name: "test.Post", Method: http.MethodPost, Path: "/a", Class: kyc.ClassBilled},
			Bytes("application/json", []byte(`{"a":1}`)), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			type seen struct {
				contentLength int64
				chunked       bool
				waited        time.Duration
			}
			got := make(chan seen, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s := seen{contentLength: r.ContentLength, chunked: len(r.TransferEncoding) > 0}
				start := time.Now()
				select {
				case <-r.Context().Done():
				case <-time.After(handlerGivesUp):
				}
				s.waited = time.Since(start)
				got <- s
			}))
			t.Cleanup(srv.Close)
			ct := &closeTimes{}
			tr := &http.Transport{DialContext: ct.dial}
			t.Cleanup(tr.CloseIdleConnections)
			c, err := New(Params{Provider: "test", BaseURL: srv.URL}, []kyc.Option{
				kyc.WithHTTPClient(&http.Client{Transport: tr}), kyc.WithTimeout(timeout), kyc.WithRetry(0, 0)})
			require.NoError(t, err)

			start := time.Now()
			_, err = c.Do(context.Background(), &Request{Operation: tt.op, Body: tt.body})
			require.ErrorIs(t, err, kyc.ErrTimeout)
			assert.Less(t, time.Since(start), timeout+time.Second, "the call ends at the attempt timeout")
			require.Eventually(t, func() bool { _, ok := ct.first(); return ok }, time.Second, 5*time.Millisecond,
				"the client closes the timed-out connection instead of keeping it")
			closed, _ := ct.first()
			assert.Less(t, closed.Sub(start), timeout+time.Second, "closed at the attempt timeout")

			s := <-got
			if tt.body.IsZero() {
				assert.False(t, s.chunked, "a body-less request is not sent as an empty chunked body")
				assert.Zero(t, s.contentLength, "a body-less request announces no body")
			} else {
				assert.Equal(t, tt.body.Len(), s.contentLength)
			}
			if tt.serverSees {
				assert.Less(t, s.waited, time.Second, "the server's request context ends when the client goes (%v)", s.waited)
			}
		})
	}
}

// A body-less POST carries no Content-Type (the placeholder that keeps
// resty from guessing one never reaches the wire); a request's own
// Content-Type, Host and headers do, and a body of bytes announces its
// length.
func TestRequestFraming(t *testing.T) {
	t.Parallel()
	type seen struct {
		header        http.Header
		host          string
		contentLength int64
		chunked       bool
		body          string
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{header: r.Header.Clone(), host: r.Host, contentLength: r.ContentLength, chunked: len(r.TransferEncoding) > 0, body: string(b)}
	}))
	t.Cleanup(srv.Close)
	c, err := New(Params{Provider: "test", BaseURL: srv.URL, Sign: SetHeader("X-Api-Key", kyc.NewSecret("k"))}, nil)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	post := kyc.Operation{Name: "test.Post", Method: http.MethodPost, Path: "/p", Class: kyc.ClassBilled}
	get := kyc.Operation{Name: "test.Get", Method: http.MethodGet, Path: "/g", Class: kyc.ClassBilled}
	for _, tt := range []struct {
		name      string
		r         *Request
		wantType  []string
		wantLen   int64
		wantBody  string
		wantHost  string
		wantExtra string
	}{
		{name: "POST without body", r: &Request{Operation: post}, wantType: nil, wantLen: 0},
		{name: "POST with bytes", r: &Request{Operation: post, Body: Bytes("application/json", []byte(`{"a":1}`))},
			wantType: []string{"application/json"}, wantLen: 7, wantBody: `{"a":1}`},
		{name: "POST with its own Content-Type", r: &Request{Operation: post, Header: http.Header{"Content-Type": {"text/plain"}},
			Body: Bytes("", []byte("hi"))}, wantType: []string{"text/plain"}, wantLen: 2, wantBody: "hi"},
		{name: "POST with bytes and no type", r: &Request{Operation: post, Body: Bytes("", []byte("hi"))}, wantType: nil, wantLen: 2, wantBody: "hi"},
		{name: "GET with a body", r: &Request{Operation: get, Body: Bytes("application/json", []byte(`{}`))},
			wantType: []string{"application/json"}, wantLen: 2, wantBody: `{}`},
		{name: "Host and extra headers", r: &Request{Operation: get, Header: http.Header{"Host": {"vendor.example"}, "X-Extra": {"1"}}},
			wantHost: "vendor.example", wantExtra: "1"},
	} {
		_, err := c.Do(context.Background(), tt.r)
		require.NoError(t, err, tt.name)
		s := <-got
		assert.Equal(t, tt.wantType, s.header["Content-Type"], tt.name)
		assert.Equal(t, tt.wantLen, s.contentLength, tt.name)
		assert.False(t, s.chunked, tt.name)
		assert.Equal(t, tt.wantBody, s.body, tt.name)
		assert.Equal(t, "k", s.header.Get("X-Api-Key"), tt.name)
		assert.Equal(t, kyc.DefaultUserAgent, s.header.Get("User-Agent"), tt.name)
		assert.Equal(t, "application/json", s.header.Get("Accept"), tt.name)
		if tt.wantHost != "" {
			assert.Equal(t, tt.wantHost, s.host, tt.name)
		}
		assert.Equal(t, tt.wantExtra, s.header.Get("X-Extra"), tt.name)
	}
}

// URL's one-allocation path and its cache build exactly what url.URL
// builds.
func TestURLFastPathMatchesURLString(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"https://api.example.com", "https://api.example.com/", "https://api.example.com/v1/",
		"https://api.example.com/v1", "https://api.example.com:8443/a%20b/", "http://127.0.0.1:8080/x/y"} {
		c, err := New(Params{Provider: "test", BaseURL: base}, nil)
		require.NoError(t, err)
		for _, p := range []string{"", "/", "x", "/x", "/x/", "//x", "/v1/verify/pan", "/a/b:c@d", "/a/%41", "/a b", "/ü", "/a/{id}",
			"/users/12345", "/a?b", "/a#b", "/a;b=c", "/~x/-._"} {
			for _, q := range []url.Values{nil, {"k": {"v w"}}} {
				want := c.parsedURL(p, q)
				assert.Equal(t, want, c.URL(p, q), "base %q path %q query %v", base, p, q)
				assert.Equal(t, want, c.URL(p, q), "base %q path %q query %v, cached", base, p, q)
			}
		}
	}
}

// A path with an id (personal data) is never kept in the URL cache, and
// the cache stays bounded.
func TestURLCacheKeepsNoIDs(t *testing.T) {
	t.Parallel()
	c, err := New(Params{Provider: "test", BaseURL: "https://api.example.com"}, nil)
	require.NoError(t, err)
	_ = c.URL("/sessions/9f2c41d7-6c8e-4a51-b1a3-0c55e8d9a7b2", nil)
	_ = c.URL("/pan/ABCDE1234F", nil)
	_ = c.URL("/v1/verify/pan", nil)
	for i := range 2 * maxCachedURLs {
		_ = c.URL("/p"+string(rune('a'+i%26))+string(rune('a'+i/26)), nil)
	}
	m := *c.urls.m.Load()
	assert.Contains(t, m, "/v1/verify/pan")
	assert.NotContains(t, m, "/sessions/9f2c41d7-6c8e-4a51-b1a3-0c55e8d9a7b2")
	assert.NotContains(t, m, "/pan/ABCDE1234F")
	assert.LessOrEqual(t, len(m), maxCachedURLs)
}

// net/http replays a request with an Idempotency-Key header by itself when
// a reused connection fails after the write, if it can rebuild its body.
// A body of bytes, which http.NewRequest gives a GetBody, loses it: for an
// operation the resend policy never resends after the write, the vendor
// receives the request once, whatever its headers say.
func TestBytesBodyIsNotReplayedByNetHTTP(t *testing.T) {
	t.Parallel()
	for _, class := range []kyc.Class{kyc.ClassBilled, kyc.ClassMessaging} {
		for _, header := range []string{"Idempotency-Key", "X-Idempotency-Key"} {
			t.Run(class.String()+" "+header, func(t *testing.T) {
				t.Parallel()
				c, requests := warmResettingClient(t)
				var err error
				for _, body := range []Body{Bytes("application/json", []byte(`{"a":1}`)), {}} {
					requests.Store(0)
					_, err = c.Do(context.Background(), &Request{
						Operation: kyc.Operation{Name: "test.Send", Method: http.MethodPost, Path: "/send", Class: class},
						Header:    http.Header{header: {"k-1"}}, Body: body})
					require.Error(t, err)
					assert.EqualValues(t, 1, requests.Load(), "requests the vendor received (body %d bytes)", body.Len())
					_, err = c.Do(context.Background(), &Request{Operation: kyc.Operation{Name: "test.Warm", Path: "/warm", Class: kyc.ClassFree}})
					require.NoError(t, err)
				}
			})
		}
	}
}

// The header maps and resty requests the attempts reuse carry nothing from
// one call to another, with many calls at once.
func TestPooledStateDoesNotLeakAcrossCalls(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-Call") != string(b) || len(r.Header.Values("X-Call")) != 1 || r.Header.Get("X-Only-Odd") != "" && len(b)%2 == 0 {
			w.WriteHeader(http.StatusTeapot)
		}
	}))
	t.Cleanup(srv.Close)
	c, err := New(Params{Provider: "test", BaseURL: srv.URL}, nil)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	op := kyc.Operation{Name: "test.Post", Method: http.MethodPost, Path: "/p", Class: kyc.ClassFree}
	var wg sync.WaitGroup
	var bad atomic.Int32
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				id := strings.Repeat("x", 1+(g*25+i)%7)
				h := http.Header{"X-Call": {id}}
				if len(id)%2 == 1 {
					h.Set("X-Only-Odd", "1")
				}
				resp, err := c.Do(context.Background(), &Request{Operation: op, Header: h, Body: Bytes("text/plain", []byte(id))})
				if err != nil || resp.StatusCode != http.StatusOK {
					bad.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, bad.Load(), "calls whose request carried another call's header or body")
}

// The vendor's request id is found under every name the vendor gives,
// in any case, in the response first and then the request, and also
// under a non-canonical name a signer set as it is (request_id).
func TestRequestIDLooksEveryNameUp(t *testing.T) {
	t.Parallel()
	c, err := New(Params{Provider: "bench", BaseURL: "https://vendor.example", RequestIDHeaders: []string{"x-vendor-trace", "request_id"}}, nil)
	require.NoError(t, err)
	tests := []struct {
		name      string
		req, resp http.Header
		want      string
	}{
		{"none", http.Header{}, http.Header{}, ""},
		{"X-Request-Id in the response", http.Header{}, http.Header{"X-Request-Id": {"r1"}}, "r1"},
		{"the vendor's name, canonical in the response", http.Header{}, http.Header{"X-Vendor-Trace": {"t1"}}, "t1"},
		{"an empty X-Request-Id is passed over", http.Header{}, http.Header{"X-Request-Id": {""}, "X-Vendor-Trace": {"t2"}}, "t2"},
		{"the response before the request", http.Header{"X-Request-Id": {"q1"}}, http.Header{"X-Vendor-Trace": {"t3"}}, "t3"},
		{"the request when the response has none", http.Header{"X-Request-Id": {"q2"}}, http.Header{}, "q2"},
		{"a non-canonical name as it was set", http.Header{"request_id": {"q3"}}, http.Header{}, "q3"},
		{"a non-canonical name in canonical form", http.Header{}, http.Header{"Request_id": {"t4"}}, "t4"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, c.requestID(tt.req, tt.resp), tt.name)
	}
}

// SetHeader sets its header under the canonical name, as http.Header.Set
// does, whatever the case it was given in.
func TestSetHeaderCanonicalName(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"x-api-key", "X-API-KEY", "X-Api-Key"} {
		h := http.Header{}
		require.NoError(t, SetHeader(name, kyc.NewSecret("k1"))(context.Background(), h))
		assert.Equal(t, http.Header{"X-Api-Key": {"k1"}}, h, name)
	}
}
