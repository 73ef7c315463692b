package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kyc-go/kyc"
)

// These are the transport's own benchmarks, in process. The figures of
// BENCHMARKS.md come from scripts/benchmarks, which runs the server in a
// process of its own; these are for profiling the hot path
// (go test -bench RoundTrip -cpuprofile ...).

// benchPayload is a typical verification answer: about 1 KiB of JSON.
var benchPayload = []byte(`{"status":"success","response_timestamp":"2026-11-21T10:00:00Z","data":{"match":true,"confidence":0.97,` +
	`"name":"REDACTED","fields":[` + string(bytes.Repeat([]byte(`{"k":"field","v":"value-value-value"},`), 24)) + `{"k":"end","v":"x"}]}}`)

var benchRequest = []byte(`{"pan":"ABCDE1234F","name":"A TEST NAME","consent":"Y"}`)

var benchOp = kyc.Operation{Name: "bench.Verify", Method: http.MethodPost, Path: "/v1/verify/pan", Class: kyc.ClassBilled}

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(benchPayload)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// benchClient is an *http.Client with the pool of the default transport
// (DefaultMaxConnsPerHost, DefaultMaxIdleConnsPerHost, DefaultMaxIdleConns)
// that trusts srv: each side gets its own, with the same settings.
func benchClient(b *testing.B, srv *httptest.Server) *http.Client {
	t := DefaultTransport().(*http.Transport)
	t.TLSClientConfig = &tls.Config{RootCAs: srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs, MinVersion: tls.VersionTLS12}
	b.Cleanup(t.CloseIdleConnections)
	return &http.Client{Transport: t}
}

// rawCall is the baseline: the same POST and the same answer through
// net/http alone.
func rawCall(ctx context.Context, hc *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(benchRequest))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "kyc-go")
	req.Header.Set("X-Api-Key", "bench-key")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return err
	}
	if len(body) != len(benchPayload) {
		return io.ErrUnexpectedEOF
	}
	return nil
}

// sdkCall returns the SDK path: Call with signing, the resend policy, the
// per-attempt timeout, the response cap and the logging checks.
func sdkCall(b *testing.B, srv *httptest.Server) func(ctx context.Context) error {
	c, err := New(Params{Provider: "bench", BaseURL: srv.URL, Sign: SetHeader("X-Api-Key", kyc.NewSecret("bench-key"))},
		[]kyc.Option{kyc.WithHTTPClient(benchClient(b, srv))})
	if err != nil {
		b.Fatal(err)
	}
	body := Bytes("application/json", benchRequest)
	return func(ctx context.Context) error {
		resp, err := c.Call(ctx, &Request{Operation: benchOp, Body: body}, nil)
		if err != nil {
			return err
		}
		if len(resp.Body) != len(benchPayload) {
			return io.ErrUnexpectedEOF
		}
		return nil
	}
}

// BenchmarkRawNetHTTP is the baseline of BenchmarkTransportRoundTrip.
func BenchmarkRawNetHTTP(b *testing.B) {
	srv := benchServer(b)
	hc, url, ctx := benchClient(b, srv), srv.URL+benchOp.Path, context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := rawCall(ctx, hc, url); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTransportRoundTrip is one call through the SDK's path.
func BenchmarkTransportRoundTrip(b *testing.B) {
	call, ctx := sdkCall(b, benchServer(b)), context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := call(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawNetHTTPParallel is the baseline of
// BenchmarkTransportRoundTripParallel.
func BenchmarkRawNetHTTPParallel(b *testing.B) {
	srv := benchServer(b)
	hc, url, ctx := benchClient(b, srv), srv.URL+benchOp.Path, context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := rawCall(ctx, hc, url); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkTransportRoundTripParallel is the SDK's path with concurrent
// callers sharing one client (GOMAXPROCS goroutines; -cpu to change).
func BenchmarkTransportRoundTripParallel(b *testing.B) {
	call, ctx := sdkCall(b, benchServer(b)), context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := call(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
