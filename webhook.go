package kyc

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"
)

// Event is a provider's webhook, in provider-neutral terms. Vendor packages
// parse their own bodies into it (their ParseWebhook functions).
type Event struct {
	// Provider is the vendor that sent the webhook.
	Provider Provider
	// Reference is the verification's reference, the same that Verify
	// returned, when the webhook carries the vendor id.
	Reference string
	// Type is the vendor's name for the event or state, e.g. "5001" or
	// "ONBOARDING_FINISHED".
	Type string
	// Result is the outcome the webhook reports. Its Status is
	// StatusPending for progress events.
	Result *Result
	// Authenticated reports that the webhook passed the vendor's
	// authentication (Basic auth, a token). Unauthenticated webhooks should
	// be confirmed by reading the result back before acting on them.
	Authenticated bool
	// ReceivedAt is when the webhook was parsed.
	ReceivedAt time.Time
	// Raw is the webhook body as received, normalized to JSON.
	Raw json.RawMessage
}

// LogValue implements slog.LogValuer without the reference or the body.
func (e *Event) LogValue() slog.Value {
	if e == nil {
		return slog.StringValue("<nil>")
	}
	attrs := []slog.Attr{
		slog.String("provider", string(e.Provider)),
		slog.String("type", e.Type),
		slog.Bool("authenticated", e.Authenticated),
	}
	if e.Result != nil {
		attrs = append(attrs, slog.Any("result", e.Result))
	}
	return slog.GroupValue(attrs...)
}

// WebhookParser is implemented by the vendor clients that receive webhooks
// (incode, verificar): ParseWebhook authenticates and decodes one webhook
// request into an Event. WebhookMux routes to it.
type WebhookParser interface {
	Provider() Provider
	ParseWebhook(r *http.Request) (*Event, error)
}
