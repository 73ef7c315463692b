package transport

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kyc-go/kyc"
)

// benchPayload is a typical verification answer: about 1 KiB of JSON.
var benchPayload = []byte(`{"status":"success","response_timestamp":"2026-11-21T10:00:00Z","data":{"match":true,"confidence":0.97,` +
	`"name":"REDACTED","fields":[` + string(bytes.Repeat([]byte(`{"k":"field","v":"value-value-value"},`), 24)) + `{"k":"end","v":"x"}]}}`)

var benchRequest = []byte(`{"pan":"ABCDE1234F","name":"A TEST NAME","consent":"Y"}`)

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(benchPayload)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkRawNetHTTP is the baseline: the same POST and the same answer
// through net/http alone, on the same kind of loopback TLS server.
func BenchmarkRawNetHTTP(b *testing.B) {
	srv := benchServer(b)
	hc := srv.Client()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/v1/verify/pan", bytes.NewReader(benchRequest))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("X-Api-Key", "bench-key")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || len(body) != len(benchPayload) {
			b.Fatal("short body", err)
		}
	}
}

// BenchmarkTransportRoundTrip is the SDK path: signing, retry policy,
// per-attempt timeout, response cap and logging checks included.
func BenchmarkTransportRoundTrip(b *testing.B) {
	srv := benchServer(b)
	key := kyc.NewSecret("bench-key")
	c, err := New(Params{Provider: "bench", BaseURL: srv.URL, Sign: func(ctx context.Context, h http.Header) error {
		h.Set("X-Api-Key", key.Reveal())
		return nil
	}}, []kyc.Option{kyc.WithHTTPClient(srv.Client())})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	body := Bytes("application/json", benchRequest)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := c.Do(ctx, &Request{Operation: op("bench.Verify"), Method: http.MethodPost, Path: "/v1/verify/pan", Body: body})
		if err != nil {
			b.Fatal(err)
		}
		if len(resp.Body) != len(benchPayload) {
			b.Fatal("short body")
		}
	}
}
