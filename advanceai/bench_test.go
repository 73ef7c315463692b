package advanceai_test

import (
	"context"
	"testing"
)

// BenchmarkVerifyWarmToken is Verify with the cached token: one request per
// call.
func BenchmarkVerifyWarmToken(b *testing.B) {
	c, srv := setup(b)
	ctx := context.Background()
	req := idn("bench")
	if _, err := c.Token(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Verify(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if srv.TokenRequests() != 1 {
		b.Fatalf("%d token requests", srv.TokenRequests())
	}
}

// BenchmarkVerifyTokenPerCall is the baseline: the same call with a token
// fetched every time, as clients without a cache do (two requests per call).
func BenchmarkVerifyTokenPerCall(b *testing.B) {
	c, _ := setup(b)
	ctx := context.Background()
	req := idn("bench")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c.DropToken()
		if _, err := c.Verify(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}
