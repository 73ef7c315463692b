// Package kycotel is the OpenTelemetry adapter of kyc-go: a kyc.Observer
// that turns every vendor call into a span and metrics, following
// OpenTelemetry's HTTP client semantic conventions, with kyc.* attributes
// for the provider, the operation, its class, the resend decision, the
// outcome and whether the call may have charged.
//
//	obs, err := kycotel.NewObserver(
//		kycotel.WithTracerProvider(tp),
//		kycotel.WithMeterProvider(mp),
//	)
//	client, err := atlas.New(cfg, kyc.WithObserver(obs))
//
// Each call (one operation, however many attempts) is an internal span named
// after its operation ("atlas.VerifyPAN"); each attempt is a client span
// under it named "{method} {url.template}" ("POST /verify/pan"), with
// http.request.resend_count from the second attempt on. Metrics:
// http.client.request.duration per attempt, and kyc.client.call.duration and
// kyc.client.retries per call.
//
// Nothing the adapter records holds an id, a query, a header value, a body or
// a person's data: it sees only what kyc.Observer gives, and path templates
// carry {placeholders} for ids.
//
// Trace context is not propagated to the vendor unless WithPropagation is
// set: vendors are third parties, and a traceparent header tells them about
// your system.
//
// This package is its own module (github.com/kyc-go/kyc/otel), so the SDK
// itself gains no OpenTelemetry dependency.
package kycotel

import (
	"context"
	"strings"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/kyc-go/kyc"
)

// ScopeName is the instrumentation scope of the tracer and meter.
const ScopeName = "github.com/kyc-go/kyc/otel"

// The kyc.* attribute keys.
const (
	// ProviderKey is the vendor: "atlas", "incode", ...
	ProviderKey = attribute.Key("kyc.provider")
	// OperationKey is the operation's name: "atlas.VerifyPAN".
	OperationKey = attribute.Key("kyc.operation")
	// ClassKey is the operation's class: "billed", "messaging" or "free".
	ClassKey = attribute.Key("kyc.class")
	// RetryKey reports, on an attempt, that another attempt follows.
	RetryKey = attribute.Key("kyc.retry")
	// RetryReasonKey is the resend policy's reason, in the README's words.
	RetryReasonKey = attribute.Key("kyc.retry_reason")
	// OutcomeKey is "ok" or the error kind ("provider unavailable").
	OutcomeKey = attribute.Key("kyc.outcome")
	// SentKey reports that the request may have reached the vendor.
	SentKey = attribute.Key("kyc.sent")
	// ChargedKey reports that a call may have charged the account or
	// messaged a person.
	ChargedKey = attribute.Key("kyc.charged")
	// AttemptsKey is the number of attempts of a call.
	AttemptsKey = attribute.Key("kyc.attempts")

	// The spans above the vendor operations.

	// StatusKey is the verdict of a Verify or Result span: "approved", ...
	StatusKey = attribute.Key("kyc.status")
	// TriedKey is how many Verifiers a Router's Verify tried or skipped.
	TriedKey = attribute.Key("kyc.tried")
	// AuthenticatedKey and ConfirmedKey describe a webhook's Event.
	AuthenticatedKey = attribute.Key("kyc.authenticated")
	ConfirmedKey     = attribute.Key("kyc.confirmed")
	// AppliedKey is what the ResultStore did: "stored", "unchanged",
	// "conflict".
	AppliedKey = attribute.Key("kyc.applied")
	// CircuitStateKey is a circuit's new state: "open", "half-open",
	// "closed".
	CircuitStateKey = attribute.Key("kyc.circuit.state")
)

// Option configures NewObserver.
type Option func(*settings)

type settings struct {
	tp          trace.TracerProvider
	mp          metric.MeterProvider
	propagator  propagation.TextMapPropagator
	propagating bool
}

// WithTracerProvider sets the tracer provider; the default is the global
// one (otel.GetTracerProvider).
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(s *settings) {
		if tp != nil {
			s.tp = tp
		}
	}
}

// WithMeterProvider sets the meter provider; the default is the global one
// (otel.GetMeterProvider).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(s *settings) {
		if mp != nil {
			s.mp = mp
		}
	}
}

// WithPropagation sends the trace context to the vendor with each attempt,
// through p (nil means the global propagator). It is off by default:
// vendors are third parties. A header the request already has (a
// credential) is never replaced.
func WithPropagation(p propagation.TextMapPropagator) Option {
	return func(s *settings) {
		s.propagating = true
		s.propagator = p
	}
}

// Observer is the kyc.Observer of this package. It is safe for concurrent
// use.
type Observer struct {
	s        settings
	tracer   trace.Tracer
	attemptH metric.Float64Histogram
	callH    metric.Float64Histogram
	retries  metric.Int64Counter
	circuits metric.Int64Counter
	budget   metric.Int64Gauge
}

var (
	_ kyc.Observer       = (*Observer)(nil)
	_ kyc.SpanObserver   = (*Observer)(nil)
	_ kyc.HealthObserver = (*Observer)(nil)
)

// NewObserver returns an Observer that records spans and metrics through
// the given (or global) providers.
func NewObserver(opts ...Option) (*Observer, error) {
	s := settings{tp: otel.GetTracerProvider(), mp: otel.GetMeterProvider()}
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	if s.propagating && s.propagator == nil {
		s.propagator = otel.GetTextMapPropagator()
	}
	o := &Observer{s: s, tracer: s.tp.Tracer(ScopeName)}
	meter := s.mp.Meter(ScopeName)
	// The bucket boundaries the HTTP semantic conventions recommend.
	bounds := []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}
	var err error
	if o.attemptH, err = meter.Float64Histogram("http.client.request.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of HTTP client requests (one per attempt)."),
		metric.WithExplicitBucketBoundaries(bounds...)); err != nil {
		return nil, err
	}
	if o.callH, err = meter.Float64Histogram("kyc.client.call.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of kyc-go vendor calls, retries and waits included."),
		metric.WithExplicitBucketBoundaries(bounds...)); err != nil {
		return nil, err
	}
	if o.retries, err = meter.Int64Counter("kyc.client.retries", metric.WithUnit("{attempt}"),
		metric.WithDescription("Attempts the resend policy sent again, by reason.")); err != nil {
		return nil, err
	}
	if o.circuits, err = meter.Int64Counter("kyc.router.circuit.transitions", metric.WithUnit("{transition}"),
		metric.WithDescription("Changes of a Router's circuit per vendor, by provider and new state.")); err != nil {
		return nil, err
	}
	if o.budget, err = meter.Int64Gauge("kyc.client.retry_budget", metric.WithUnit("{token}"),
		metric.WithDescription("Tokens left in a vendor client's retry budget after a resend drew from it.")); err != nil {
		return nil, err
	}
	return o, nil
}

func callAttrs(c kyc.CallInfo) []attribute.KeyValue {
	return []attribute.KeyValue{
		ProviderKey.String(string(c.Provider)),
		OperationKey.String(c.Operation.Name),
		ClassKey.String(c.Operation.Class.String()),
		semconv.HTTPRequestMethodKey.String(method(c.Operation.Method)),
		semconv.URLTemplateKey.String(c.Operation.Path),
	}
}

// method is the request method as the conventions want it: a known method,
// or _OTHER.
func method(m string) string {
	switch m = strings.ToUpper(m); m {
	case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS":
		return m
	case "":
		return "GET"
	}
	return "_OTHER"
}

// outcome is the error kind's text, "http <status>" for an error answer
// without a kind (an attempt answered 503 that the policy resends), or
// "ok".
func outcome(kind error, status int) string {
	switch {
	case kind != nil:
		return kind.Error()
	case status >= 400:
		return "http " + itoa(status)
	}
	return "ok"
}

// errorType is the error.type attribute: the status code for an HTTP error
// answer, else the kind, else "_OTHER".
func errorType(status int, kind error) (string, bool) {
	switch {
	case kind != nil:
		return kind.Error(), true
	case status >= 400:
		return itoa(status), true
	}
	return "", false
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(b[i:])
}

// StartCall implements kyc.Observer: an internal span for the operation.
func (o *Observer) StartCall(ctx context.Context, c kyc.CallInfo) (context.Context, func(kyc.CallEnd)) {
	attrs := callAttrs(c)
	ctx, span := o.tracer.Start(ctx, c.Operation.Name, trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(attrs...))
	return ctx, func(e kyc.CallEnd) {
		end := []attribute.KeyValue{
			AttemptsKey.Int(e.Attempts),
			OutcomeKey.String(outcome(e.Kind, e.StatusCode)),
			SentKey.Bool(e.Sent),
			ChargedKey.Bool(e.Charged),
		}
		m := endSpan(span, attrs, end, e.StatusCode, e.Kind)
		o.callH.Record(context.WithoutCancel(ctx), seconds(e.Duration), metric.WithAttributes(without(m, AttemptsKey)...))
	}
}

// StartAttempt implements kyc.Observer: a client span per attempt.
func (o *Observer) StartAttempt(ctx context.Context, a kyc.AttemptInfo) (context.Context, func(kyc.AttemptEnd)) {
	attrs := callAttrs(a.CallInfo)
	if a.Attempt > 1 {
		attrs = append(attrs, semconv.HTTPRequestResendCountKey.Int(a.Attempt-1))
	}
	name := method(a.Operation.Method) + " " + a.Operation.Path
	ctx, span := o.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	if o.s.propagating && a.SetHeader != nil {
		o.s.propagator.Inject(ctx, headerCarrier{set: a.SetHeader})
	}
	return ctx, func(e kyc.AttemptEnd) {
		end := []attribute.KeyValue{
			SentKey.Bool(e.Sent),
			RetryKey.Bool(e.Retry),
			RetryReasonKey.String(e.Reason),
			OutcomeKey.String(outcome(e.Kind, e.StatusCode)),
		}
		m := endSpan(span, attrs, end, e.StatusCode, e.Kind)
		mctx := context.WithoutCancel(ctx)
		o.attemptH.Record(mctx, seconds(e.Duration), metric.WithAttributes(without(m, RetryKey, semconv.HTTPRequestResendCountKey)...))
		if e.Retry {
			o.retries.Add(mctx, 1, metric.WithAttributes(
				ProviderKey.String(string(a.Provider)), OperationKey.String(a.Operation.Name),
				ClassKey.String(a.Operation.Class.String()), RetryReasonKey.String(e.Reason)))
		}
	}
}

// endSpan ends the span of a call or an attempt: it adds to end the HTTP
// status code, when there was one, and the error.type of a failure (which
// also sets the span's status), sets end on the span and ends it. It returns
// the start attributes followed by end, for the duration metric.
func endSpan(span trace.Span, attrs, end []attribute.KeyValue, status int, kind error) []attribute.KeyValue {
	if status != 0 {
		end = append(end, semconv.HTTPResponseStatusCodeKey.Int(status))
	}
	if t, ok := errorType(status, kind); ok {
		end = append(end, semconv.ErrorTypeKey.String(t))
		span.SetStatus(codes.Error, t)
	}
	span.SetAttributes(end...)
	span.End()
	return append(append(make([]attribute.KeyValue, 0, len(attrs)+len(end)), attrs...), end...)
}

// without drops keys whose values would make a metric's cardinality grow
// per request.
func without(kvs []attribute.KeyValue, drop ...attribute.Key) []attribute.KeyValue {
	out := kvs[:0:0]
	for _, kv := range kvs {
		keep := true
		for _, d := range drop {
			if kv.Key == d {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}

func seconds(d time.Duration) float64 { return d.Seconds() }

// headerCarrier injects trace headers through kyc.AttemptInfo.SetHeader,
// which refuses any header the request already has.
type headerCarrier struct {
	set func(name, value string) bool
}

func (h headerCarrier) Get(string) string { return "" }
func (h headerCarrier) Set(k, v string)   { _ = h.set(k, v) }
func (h headerCarrier) Keys() []string    { return nil }
