package kycotel_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
	kycotel "github.com/kyc-go/kyc/otel"
)

// world is an Observer wired to the SDK's in-memory exporter and manual
// metric reader: the real OpenTelemetry SDK, not a mock.
type world struct {
	spans  *tracetest.InMemoryExporter
	reader *sdkmetric.ManualReader
	obs    *kycotel.Observer
}

func newWorld(t *testing.T, opts ...kycotel.Option) *world {
	t.Helper()
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) })
	obs, err := kycotel.NewObserver(append([]kycotel.Option{kycotel.WithTracerProvider(tp), kycotel.WithMeterProvider(mp)}, opts...)...)
	require.NoError(t, err)
	return &world{spans: spans, reader: reader, obs: obs}
}

// personal is what must never reach a span or a metric.
var personal = []string{"ABCDE1234F", "987654321012", "Zaphod", "4242", "secret-key"}

func attrsOf(kvs []attribute.KeyValue) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.String()
	}
	return m
}

func TestSpansAndMetricsPerCallAndAttempt(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var n atomic.Int32
	var sawTraceparent atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Traceparent") != "" {
			sawTraceparent.Store(true)
		}
		if n.Add(1) == 1 {
			rw.Header().Set("Retry-After", "0")
			rw.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = rw.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	tc, err := transport.New(transport.Params{Provider: kyc.Atlas, BaseURL: srv.URL,
		Sign: transport.SetHeader("Authorization", kyc.NewSecret("secret-key"))}, []kyc.Option{kyc.WithObserver(w.obs)})
	require.NoError(t, err)

	op := kyc.Operation{Name: "atlas.VerifyPAN", Method: http.MethodPost, Path: "/v1/verify/pan/{pan}", Class: kyc.ClassBilled}
	_, err = tc.Call(context.Background(), &transport.Request{Operation: op, Params: []string{"ABCDE1234F"},
		Query: url.Values{"name": {"Zaphod"}, "aadhaar_number": {"987654321012"}},
		Body:  transport.Bytes("application/json", []byte(`{"pin":"4242"}`))}, nil)
	require.NoError(t, err)
	assert.False(t, sawTraceparent.Load(), "no trace context goes to the vendor unless asked")

	spans := w.spans.GetSpans()
	require.Len(t, spans, 3, "one span for the call, one per attempt")
	var call tracetest.SpanStub
	var attempts []tracetest.SpanStub
	for _, s := range spans {
		if s.Name == "atlas.VerifyPAN" {
			call = s
		} else {
			attempts = append(attempts, s)
		}
	}
	require.Len(t, attempts, 2)
	for i, a := range attempts {
		assert.Equal(t, "POST /v1/verify/pan/{pan}", a.Name)
		assert.Equal(t, call.SpanContext.SpanID(), a.Parent.SpanID(), "attempts are children of the call")
		m := attrsOf(a.Attributes)
		assert.Equal(t, "atlas", m["kyc.provider"])
		assert.Equal(t, "atlas.VerifyPAN", m["kyc.operation"])
		assert.Equal(t, "billed", m["kyc.class"])
		assert.Equal(t, "POST", m["http.request.method"])
		assert.Equal(t, "/v1/verify/pan/{pan}", m["url.template"])
		assert.NotEmpty(t, m["kyc.retry_reason"])
		if i == 0 {
			assert.Equal(t, "503", m["http.response.status_code"])
			assert.Equal(t, "true", m["kyc.retry"])
			assert.Equal(t, "refused unprocessed: HTTP 429 or 503", m["kyc.retry_reason"])
			assert.Equal(t, "503", m["error.type"])
			assert.Equal(t, codes.Error, a.Status.Code, "a failed attempt's span has the error status")
			assert.Equal(t, "503", a.Status.Description)
		} else {
			assert.Equal(t, "200", m["http.response.status_code"])
			assert.Equal(t, "1", m["http.request.resend_count"])
			assert.Equal(t, "false", m["kyc.retry"])
			assert.Equal(t, codes.Unset, a.Status.Code)
		}
	}
	cm := attrsOf(call.Attributes)
	assert.Equal(t, "2", cm["kyc.attempts"])
	assert.Equal(t, "true", cm["kyc.charged"], "a billed call the vendor answered 200 may have charged")
	assert.Equal(t, "ok", cm["kyc.outcome"])
	assert.Equal(t, codes.Unset, call.Status.Code, "the call succeeded")

	var rm metricdata.ResourceMetrics
	require.NoError(t, w.reader.Collect(context.Background(), &rm))
	names := map[string]bool{}
	var dump strings.Builder
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			names[m.Name] = true
			switch d := m.Data.(type) {
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					for _, kv := range p.Attributes.ToSlice() {
						dump.WriteString(string(kv.Key) + "=" + kv.Value.String() + " ")
					}
					assert.Equal(t, "atlas.VerifyPAN", attrsOf(p.Attributes.ToSlice())["kyc.operation"])
				}
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					for _, kv := range p.Attributes.ToSlice() {
						dump.WriteString(string(kv.Key) + "=" + kv.Value.String() + " ")
					}
				}
			}
		}
	}
	assert.True(t, names["http.client.request.duration"])
	assert.True(t, names["kyc.client.call.duration"])
	assert.True(t, names["kyc.client.retries"])

	for _, s := range spans {
		for _, kv := range s.Attributes {
			dump.WriteString(string(kv.Key) + "=" + kv.Value.String() + " ")
		}
		dump.WriteString(s.Name + " ")
	}
	for _, p := range personal {
		assert.NotContains(t, dump.String(), p, "no id, query, credential or personal data in spans or metrics")
	}
}

func TestPropagationOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	w := newWorld(t, kycotel.WithPropagation(propagation.TraceContext{}))
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("Traceparent") + "|" + r.Header.Get("Authorization"))
		_, _ = rw.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	tc, err := transport.New(transport.Params{Provider: kyc.Incode, BaseURL: srv.URL,
		Sign: transport.SetHeader("Authorization", kyc.NewSecret("secret-key"))}, []kyc.Option{kyc.WithObserver(w.obs)})
	require.NoError(t, err)
	_, err = tc.Call(context.Background(), &transport.Request{Operation: kyc.Operation{Name: "incode.GetScore", Method: "GET", Path: "/omni/get/score", Class: kyc.ClassFree}}, nil)
	require.NoError(t, err)
	tp, auth, _ := strings.Cut(got.Load().(string), "|")
	assert.NotEmpty(t, tp, "traceparent sent when propagation is on")
	assert.Equal(t, "secret-key", auth, "a credential header is never replaced")
}
