package kycotel

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/kyc-go/kyc"
)

// StartSpan implements kyc.SpanObserver: an internal span for a Router's
// Verify or Result, a vendor client's Verify or Result, or a WebhookMux
// stage, so that one verification is one trace.
func (o *Observer) StartSpan(ctx context.Context, s kyc.SpanInfo) (context.Context, func(kyc.SpanEnd)) {
	kind := trace.SpanKindInternal
	if s.Name == "kyc.WebhookMux.receive" {
		kind = trace.SpanKindServer
	}
	ctx, span := o.tracer.Start(ctx, s.Name, trace.WithSpanKind(kind),
		trace.WithAttributes(ProviderKey.String(string(s.Provider))))
	return ctx, func(e kyc.SpanEnd) {
		attrs := []attribute.KeyValue{OutcomeKey.String(outcome(e.Kind, 0))}
		if e.Provider != "" && e.Provider != s.Provider {
			attrs = append(attrs, attribute.String("kyc.answered_by", string(e.Provider)))
		}
		if e.Status != "" {
			attrs = append(attrs, StatusKey.String(string(e.Status)))
		}
		if e.Tried > 0 {
			attrs = append(attrs, TriedKey.Int(e.Tried))
		}
		if e.Applied != 0 {
			attrs = append(attrs, AppliedKey.String(e.Applied.String()))
		}
		switch s.Name {
		case "kyc.WebhookMux.receive", "kyc.WebhookMux.confirm":
			attrs = append(attrs, AuthenticatedKey.Bool(e.Authenticated), ConfirmedKey.Bool(e.Confirmed))
		}
		if e.StatusCode != 0 {
			attrs = append(attrs, semconv.HTTPResponseStatusCodeKey.Int(e.StatusCode))
		}
		if e.Kind != nil {
			attrs = append(attrs, semconv.ErrorTypeKey.String(e.Kind.Error()))
			span.SetStatus(codes.Error, e.Kind.Error())
		} else if e.StatusCode >= 500 {
			span.SetStatus(codes.Error, itoa(e.StatusCode))
		}
		span.SetAttributes(attrs...)
		span.End()
	}
}

// CircuitChanged implements kyc.HealthObserver: a count of transitions by
// provider and new state (alert on kyc.circuit.state="open").
func (o *Observer) CircuitChanged(p kyc.Provider, _, to kyc.CircuitState) {
	o.circuits.Add(context.Background(), 1, metric.WithAttributes(
		ProviderKey.String(string(p)), CircuitStateKey.String(string(to))))
}

// RetryBudgetLevel implements kyc.HealthObserver: the tokens left in a
// vendor client's retry budget, as a gauge by provider.
func (o *Observer) RetryBudgetLevel(p kyc.Provider, tokens int) {
	o.budget.Record(context.Background(), int64(tokens), metric.WithAttributes(ProviderKey.String(string(p))))
}
