package kycotel_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/kycworld"
)

// TestOneVerificationOneTrace: a Router's Verify that falls back is one
// trace under one kyc.Router.Verify span, and an attempt answered 503 does
// not say "ok".
func TestOneVerificationOneTrace(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	world := kycworld.New(t, kycworld.WithClientOptions(kyc.WithObserver(w.obs), kyc.WithRetry(2, 10*time.Millisecond)))
	world.Fakes.Atlas.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503, Times: 100})
	router, err := kyc.NewRouter(kyc.CountryRoute("IND", world.Atlas, world.Incode), kyc.WithObserver(w.obs))
	require.NoError(t, err)
	res, err := router.Verify(context.Background(), world.Request(kyc.Atlas, kyctest.ImageApproved))
	require.NoError(t, err)
	require.Equal(t, kyc.Incode, res.Provider)

	spans := w.spans.GetSpans()
	require.NotEmpty(t, spans)
	traces := map[[16]byte]bool{}
	roots := 0
	for _, s := range spans {
		traces[s.SpanContext.TraceID()] = true
		if !s.Parent.IsValid() {
			roots++
			assert.Equal(t, "kyc.Router.Verify", s.Name, "the only root span")
		}
		m := attrsOf(s.Attributes)
		if m["http.response.status_code"] == "503" {
			assert.NotEqual(t, "ok", m["kyc.outcome"], "%s answered 503", s.Name)
		}
		if s.Name == "kyc.Router.Verify" {
			assert.Equal(t, "incode", m["kyc.answered_by"])
			assert.Equal(t, string(res.Status), m["kyc.status"])
		}
	}
	assert.Len(t, traces, 1, "one verification, one trace")
	byID := map[[8]byte]string{}
	for _, s := range spans {
		byID[s.SpanContext.SpanID()] = s.Name
	}
	parents := map[string]string{}
	for _, s := range spans {
		parents[s.Name] = byID[s.Parent.SpanID()]
	}
	assert.Equal(t, "kyc.Router.Verify", parents["atlas.Verify"], "a vendor's Verify under the Router's")
	assert.Equal(t, "kyc.Router.Verify", parents["incode.Verify"])
	ops := 0
	for _, s := range spans {
		if strings.HasPrefix(s.Name, "atlas.") && s.Name != "atlas.Verify" {
			ops++
			assert.Equal(t, "atlas.Verify", byID[s.Parent.SpanID()], "%s under the vendor's Verify", s.Name)
		}
	}
	assert.Positive(t, ops, "atlas operations were traced")
	assert.Equal(t, 1, roots)
}
