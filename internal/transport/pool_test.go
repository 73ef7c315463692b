package transport

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

func TestDefaultTransportPool(t *testing.T) {
	t.Parallel()
	c, err := New(Params{Provider: "test", BaseURL: "https://x.example"}, nil)
	require.NoError(t, err)
	tr, ok := c.rc.GetClient().Transport.(*http.Transport)
	require.True(t, ok)
	assert.Equal(t, DefaultMaxConnsPerHost, tr.MaxConnsPerHost, "a burst queues instead of dialling")
	assert.Equal(t, DefaultMaxIdleConnsPerHost, tr.MaxIdleConnsPerHost)
	assert.Equal(t, DefaultMaxIdleConns, tr.MaxIdleConns)
	assert.LessOrEqual(t, tr.MaxIdleConnsPerHost, tr.MaxIdleConns, "the total idle pool holds at least one host's")
	assert.LessOrEqual(t, tr.MaxIdleConnsPerHost, tr.MaxConnsPerHost)
	assert.NotZero(t, tr.MaxConnsPerHost)
	assert.NotSame(t, http.DefaultTransport, tr, "a client's Close must not close other clients' connections")
	assert.NotNil(t, tr.Proxy, "the default proxy settings are kept")
	assert.Zero(t, http.DefaultTransport.(*http.Transport).MaxConnsPerHost, "http.DefaultTransport is not modified")
}

// transportConfig is what of an *http.Transport a caller configures.
type transportConfig struct {
	MaxIdleConns, MaxIdleConnsPerHost, MaxConnsPerHost int
	IdleConnTimeout, ResponseHeaderTimeout             time.Duration
	DisableKeepAlives, DisableCompression              bool
	ForceAttemptHTTP2                                  bool
	TLSClientConfig                                    *tls.Config
	TLSInsecure                                        bool
	HasProxy, HasDial                                  bool
}

func configOf(tr *http.Transport) transportConfig {
	return transportConfig{tr.MaxIdleConns, tr.MaxIdleConnsPerHost, tr.MaxConnsPerHost, tr.IdleConnTimeout, tr.ResponseHeaderTimeout,
		tr.DisableKeepAlives, tr.DisableCompression, tr.ForceAttemptHTTP2, tr.TLSClientConfig,
		tr.TLSClientConfig != nil && tr.TLSClientConfig.InsecureSkipVerify, tr.Proxy != nil, tr.DialContext != nil}
}

// A caller's *http.Client and its Transport are used as they are: neither
// is modified by New or by a call.
func TestWithHTTPClientIsNotModified(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}
	}))
	t.Cleanup(srv.Close)
	user := srv.Client()
	tr := user.Transport.(*http.Transport)
	tr.MaxIdleConnsPerHost = 3
	user.Timeout = 7 * time.Second
	before := configOf(tr)
	beforeJar, beforeTimeout := user.Jar, user.Timeout

	c, err := New(Params{Provider: "test", BaseURL: srv.URL}, []kyc.Option{kyc.WithHTTPClient(user)})
	require.NoError(t, err)
	for _, path := range []string{"/x", "/redirect"} {
		_, err = c.Do(context.Background(), &Request{Operation: at(op("test.Op"), path)})
		require.NoError(t, err)
	}
	c.Close()

	assert.Same(t, tr, user.Transport, "the caller's Transport is still its own")
	assert.Equal(t, before, configOf(tr), "the caller's Transport is not reconfigured")
	assert.Nil(t, user.CheckRedirect, "the redirect policy is set on a copy")
	assert.Equal(t, beforeJar, user.Jar)
	assert.Equal(t, beforeTimeout, user.Timeout)
	// The caller's client still follows redirects, as it did.
	resp, err := user.Get(srv.URL + "/redirect")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

// TestAnnouncedLengthIsNotPreallocated: 100 calls in flight to a server
// that announces 32 MiB, sends 8 bytes and hangs raise the heap by far
// less than 100 × 32 MiB (before the bound: 3.2 GiB).
func TestAnnouncedLengthIsNotPreallocated(t *testing.T) {
	// Not parallel: it measures the heap.
	const calls = 100
	release := make(chan struct{})
	var started sync.WaitGroup
	started.Add(calls)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "33554432") // 32 MiB, the default cap
		_, _ = io.WriteString(w, "{\"a\":1,")        // 8 bytes
		w.(http.Flusher).Flush()
		started.Done()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	defer free()
	// A transport without the default per-host bound, so all 100 are in flight.
	tr := &http.Transport{MaxIdleConnsPerHost: calls}
	defer tr.CloseIdleConnections()
	c, err := New(Params{Provider: "test", BaseURL: srv.URL}, []kyc.Option{kyc.WithHTTPClient(&http.Client{Transport: tr}), kyc.WithRetry(0, 0)})
	require.NoError(t, err)

	var before, during runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var done sync.WaitGroup
	var failed atomic.Int32
	for range calls {
		done.Add(1)
		go func() {
			defer done.Done()
			if _, err := c.Do(context.Background(), &Request{Operation: at(op("test.Get", Idempotent), "/big")}); err != nil {
				failed.Add(1)
			}
		}()
	}
	started.Wait()
	time.Sleep(300 * time.Millisecond) // every client is now waiting in its body read
	runtime.GC()
	runtime.ReadMemStats(&during)
	free()
	done.Wait()
	grew := int64(during.HeapInuse) - int64(before.HeapInuse)
	t.Logf("HeapInuse %.1f MiB before, %.1f MiB with %d calls in flight: +%.1f MiB", float64(before.HeapInuse)/(1<<20),
		float64(during.HeapInuse)/(1<<20), calls, float64(grew)/(1<<20))
	assert.Less(t, grew, int64(16<<20), "HeapInuse grew by %d bytes", grew)
	assert.EqualValues(t, calls, failed.Load(), "every call ends with the truncated body")
}

// net/http resends a body-less GET by itself when a reused connection
// fails after the request was written. For a billed operation the
// transport prevents that: the vendor receives it once.
func TestBodylessBilledGetIsNotReplayedByNetHTTP(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		class kyc.Class
		want  int32
	}{{kyc.ClassBilled, 1}, {kyc.ClassMessaging, 1}, {kyc.ClassFree, 0}} {
		t.Run(tt.class.String(), func(t *testing.T) {
			t.Parallel()
			c, requests := warmResettingClient(t)
			_, err := c.Do(context.Background(), &Request{Operation: kyc.Operation{Name: "test.Check", Method: http.MethodGet, Path: "/check", Class: tt.class}})
			require.Error(t, err)
			if tt.class == kyc.ClassFree {
				// Retried like a read: three attempts, and net/http's own replay
				// of the first on a fresh connection is harmless.
				assert.GreaterOrEqual(t, requests.Load(), int32(3))
				return
			}
			assert.Equal(t, tt.want, requests.Load(), "requests the vendor received")
		})
	}
}
