package kycotel_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/kycworld"
)

// One Router Verify that falls back: Atlas refuses every attempt with 503
// (refused unprocessed, so the Router may try Incode), and Incode answers.
// The adapter gives one span per call and one per attempt, each with the
// attributes of the conventions and kyc.*, metrics with the same
// attributes, and nothing that is an id, a query or a person's data.
func TestRouterFallbackSpans(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	world := kycworld.New(t, kycworld.WithClientOptions(kyc.WithObserver(w.obs), kyc.WithRetry(2, 10*time.Millisecond)))
	world.Fakes.Atlas.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503, Times: 100})
	router, err := kyc.NewRouter(kyc.CountryRoute("IND", world.Atlas, world.Incode))
	require.NoError(t, err)
	req := world.Request(kyc.Atlas, kyctest.ImageApproved)
	req.Person.FullName = "Zaphod Beeblebrox"
	res, attempts, err := router.VerifyWithAttempts(context.Background(), req)
	require.NoError(t, err, "%v", attempts)
	require.Equal(t, kyc.Incode, res.Provider, "the Router fell back to Incode")

	templates := map[string]string{}
	for _, op := range append(atlas.Operations(), incode.Operations()...) {
		templates[op.Name] = op.Path
	}
	spans := w.spans.GetSpans()
	calls := map[[8]byte]tracetest.SpanStub{}
	for _, s := range spans {
		if _, ok := templates[s.Name]; ok {
			calls[s.SpanContext.SpanID()] = s
		}
	}
	require.NotEmpty(t, calls)
	perCall := map[[8]byte]int{}
	sawAtlas, sawIncode := false, false
	for _, s := range spans {
		if strings.HasSuffix(s.Name, ".Verify") || strings.HasSuffix(s.Name, ".Result") {
			continue // the spans above the operations (trace_test.go)
		}
		m := attrsOf(s.Attributes)
		for _, k := range []string{"kyc.provider", "kyc.operation", "kyc.class", "http.request.method", "url.template", "kyc.outcome", "kyc.sent"} {
			assert.NotEmpty(t, m[k], "span %s has %s", s.Name, k)
		}
		assert.Equal(t, templates[m["kyc.operation"]], m["url.template"], "the path template declared in the operation table")
		if _, isCall := calls[s.SpanContext.SpanID()]; isCall {
			assert.NotEmpty(t, m["kyc.charged"], "call span %s says whether it may have charged", s.Name)
			assert.NotEmpty(t, m["kyc.attempts"])
			continue
		}
		assert.NotEmpty(t, m["kyc.retry_reason"], "attempt span %s has the resend decision", s.Name)
		parent, ok := calls[s.Parent.SpanID()]
		require.True(t, ok, "attempt span %s is a child of a call span", s.Name)
		perCall[parent.SpanContext.SpanID()]++
		switch m["kyc.provider"] {
		case "atlas":
			sawAtlas = true
			assert.Equal(t, "503", m["http.response.status_code"])
			assert.Contains(t, []string{"refused unprocessed: HTTP 429 or 503", "no retries left"}, m["kyc.retry_reason"])
		case "incode":
			sawIncode = true
		}
	}
	assert.True(t, sawAtlas && sawIncode, "attempt spans of both vendors")
	for id, c := range calls {
		assert.Equal(t, attrsOf(c.Attributes)["kyc.attempts"], strconv.Itoa(perCall[id]), "call %s: one attempt span per attempt", c.Name)
	}
	atlasAttempts := 0
	for id, c := range calls {
		if strings.HasPrefix(c.Name, "atlas.") {
			atlasAttempts += perCall[id]
			assert.Equal(t, "false", attrsOf(c.Attributes)["kyc.charged"], "refused unprocessed charged nothing")
		}
	}
	assert.Equal(t, 3, atlasAttempts, "Atlas's call was sent three times: refused unprocessed each time")

	var rm metricdata.ResourceMetrics
	require.NoError(t, w.reader.Collect(context.Background(), &rm))
	var dump strings.Builder
	providers := map[string]bool{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if d, ok := m.Data.(metricdata.Histogram[float64]); ok {
				for _, p := range d.DataPoints {
					a := attrsOf(p.Attributes.ToSlice())
					providers[a["kyc.provider"]] = true
					assert.NotEmpty(t, a["kyc.operation"], m.Name)
					assert.NotEmpty(t, a["url.template"], m.Name)
					for k, v := range a {
						dump.WriteString(k + "=" + v + " ")
					}
				}
			}
		}
	}
	assert.True(t, providers["atlas"] && providers["incode"], "metrics for both vendors")
	for _, s := range spans {
		dump.WriteString(s.Name + " ")
		for _, kv := range s.Attributes {
			if kv.Key == "kyc.status" {
				continue // the verdict ("approved") is the span's point, and the magic marker's text
			}
			dump.WriteString(string(kv.Key) + "=" + kv.Value.String() + " ")
		}
	}
	text := dump.String()
	interview := strings.TrimPrefix(res.Reference, "incode:")
	for _, secret := range []string{interview, "Zaphod", req.ID, "?", kyctest.ImageApproved} {
		if secret != "" {
			assert.NotContains(t, text, secret, "no id, query or personal data in spans or metrics")
		}
	}
}
