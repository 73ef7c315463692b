package verificar_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

const benchCertSize = 50 << 20

func benchSetup(b *testing.B) (*verificartest.Server, *verificar.Client, string) {
	b.Helper()
	srv := verificartest.New(b, verificartest.WithCertificateSize(benchCertSize), verificartest.WithCredits(1e9))
	c, err := verificar.New(srv.Config(), srv.Options()...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	sent, err := c.SendVerification(context.Background(), verificar.SendRequest{Phone: "34600000001"})
	if err != nil {
		b.Fatal(err)
	}
	return srv, c, sent.ID
}

// BenchmarkCertificate50MB streams a 50 MB certificate to io.Discard.
// Compare its B/op with BenchmarkCertificate50MBBuffered.
func BenchmarkCertificate50MB(b *testing.B) {
	_, c, id := benchSetup(b)
	b.SetBytes(benchCertSize)
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Certificate(context.Background(), id, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCertificate50MBBuffered is the baseline: the same download read
// whole into memory (what Call or a non-streaming client would do), through
// the same fake and TLS connection.
func BenchmarkCertificate50MBBuffered(b *testing.B) {
	srv, _, id := benchSetup(b)
	hc := srv.Client()
	cfg := srv.Config()
	b.SetBytes(benchCertSize)
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+verificar.PathCertificate,
			bytes.NewReader([]byte(`{"Id":"`+id+`","Resp":"JSON"}`)))
		req.Header.Set("Content-Type", "application/json")
		req.SetBasicAuth(cfg.APIUser, cfg.APIToken.Reveal())
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || len(body) != benchCertSize {
			b.Fatal(err, len(body))
		}
	}
}

// BenchmarkVerify is one SMS send through the client and the fake.
func BenchmarkVerify(b *testing.B) {
	_, c, _ := benchSetup(b)
	req := kyc.Request{Country: "ESP", Person: kyc.Person{Phone: "34600000002"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Verify(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}
