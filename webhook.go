package kyc

import (
	"context"
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
	// Confirmed reports that Result was read back from the vendor (see
	// EventConfirmer), rather than taken from the webhook's body.
	Confirmed bool
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

// WebhookReceiver is implemented by the vendor clients that receive
// webhooks (incode, verificar). ParseWebhook authenticates and decodes one
// webhook request into an Event; WebhookHandler wraps it in an http.Handler
// that replies as the vendor expects, and with a success status only when fn
// succeeded, so that the vendor sends the webhook again otherwise.
type WebhookReceiver interface {
	Provider() Provider
	ParseWebhook(r *http.Request) (*Event, error)
	WebhookHandler(fn func(context.Context, *Event) error) http.Handler
}

// EventConfirmer is implemented by the receivers that can confirm an Event
// through the vendor's own read-back (incode reads the session's scores,
// verificar has none). ConfirmEvent reads the verification of ev.Reference
// back from the vendor and returns the Event with that Result and
// Confirmed set; an Event from an unauthenticated webhook becomes
// trustworthy this way.
type EventConfirmer interface {
	ConfirmEvent(ctx context.Context, ev *Event) (*Event, error)
}

// WebhookMux is one http.Handler for every vendor's webhooks: each path is
// served by its vendor's handler, and every Event goes to one function.
//
//	mux := kyc.NewWebhookMux(func(ctx context.Context, ev *kyc.Event) error {
//		return store.Save(ctx, ev.Reference, ev.Result.Status)
//	})
//	mux.Handle("/webhooks/incode", incodeClient)
//	mux.Handle("/webhooks/verificar", verificarClient)
//	http.ListenAndServe(":8080", mux)
type WebhookMux struct {
	mux *http.ServeMux
	fn  func(context.Context, *Event) error
}

// NewWebhookMux returns a mux that hands every Event to fn.
func NewWebhookMux(fn func(context.Context, *Event) error) *WebhookMux {
	return &WebhookMux{mux: http.NewServeMux(), fn: fn}
}

// Handle serves the webhooks of receiver at path (an exact path; it may
// include a method or host pattern as http.ServeMux allows).
func (m *WebhookMux) Handle(path string, receiver WebhookReceiver) {
	m.mux.Handle(path, receiver.WebhookHandler(m.fn))
}

// ServeHTTP implements http.Handler. Unknown paths get 404.
func (m *WebhookMux) ServeHTTP(w http.ResponseWriter, r *http.Request) { m.mux.ServeHTTP(w, r) }
