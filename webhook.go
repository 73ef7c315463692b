package kyc

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// Event is a provider's webhook, in provider-neutral terms. Vendor packages
// parse their own bodies into it (their ParseWebhook functions).
//
// An Event is personal data, like its Result. Its fmt verbs and slog value
// print only its shape (provider, type, status, whether it was
// authenticated or confirmed); its JSON is complete: store it as personal
// data, never log it.
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
	// Applied is what the WebhookMux's ResultStore did with Result (see
	// Decide): AppliedStored, AppliedUnchanged (a re-delivery, a late
	// progress event), or AppliedConflict (a different final verdict, not
	// newer by the vendor's order: the first one stays; look at it). Zero
	// when nothing was applied (no store, or an Event without a verdict to
	// store).
	Applied Applied
	// Raw is the webhook body as received, normalized to JSON. It is
	// personal data, like Result.Raw: never log it.
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
// webhooks (incode, verificar, atlas's eSign callbacks): the vendor's
// knowledge of its webhooks, and nothing of the HTTP exchange, which the
// WebhookMux owns (see WebhookMux.Handler). ParseWebhook authenticates one
// webhook request, before reading its body, and decodes it into an Event
// (the vendor receivers apply ScreenEvent; the mux applies it anyway); it
// refuses with an *Error whose Message is the
// reason in the SDK's own words and whose StatusCode, when set, is the
// status to answer. A receiver whose vendor expects a particular answer
// body implements WebhookReplier too.
type WebhookReceiver interface {
	Provider() Provider
	ParseWebhook(r *http.Request) (*Event, error)
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

// WebhookMux is one http.Handler for every vendor's webhooks, and every
// Event goes to one function. It owns the HTTP exchange of each webhook
// (see Handler: method, read deadline, answers, logs); a vendor's receiver
// only authenticates and parses (WebhookReceiver) and, where its vendor
// expects a particular answer body, replies (WebhookReplier).
//
//	store := kyc.NewMemoryStore(0) // the service's database, for several replicas
//	mux, err := kyc.NewWebhookMux(func(ctx context.Context, ev *kyc.Event) error {
//		if ev.Result == nil || !ev.Result.Status.Final() {
//			return nil // progress, or an unauthenticated hint the mux reduced to pending
//		}
//		// Authenticated or confirmed by read-back: the mux lets nothing
//		// else through with a final status.
//		return cases.Close(ctx, ev.Reference, ev.Result.Status)
//	}, kyc.ConfirmEvents(), kyc.WithResultStore(store))
//	mux.Handle("/webhooks/incode", incodeClient)
//	mux.Handle("/webhooks/verificar", verificarClient)
//	srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second,
//		ReadTimeout: 10 * time.Second, IdleTimeout: time.Minute}
//	log.Fatal(srv.ListenAndServe())
//
// Before fn sees an Event, the mux:
//
//  1. confirms it, with ConfirmEvents, through the receiver's read-back
//     (EventConfirmer): the Event then carries the vendor's Result, scores
//     included, with Confirmed set. A confirmation that fails fails the
//     webhook (fn is not called, the vendor gets an error status and sends
//     it again), except one answering ErrNotFound: the vendor does not
//     know the reference (a forged id, or a verification since erased),
//     so the webhook is acknowledged, fn is not called and nothing is
//     stored, and the vendor stops retrying. Receivers without a
//     read-back (verificar) are not confirmed.
//  2. enforces the webhook rule (ScreenEvent), as a last line of defence
//     whatever the receiver did: an Event neither Authenticated nor
//     Confirmed never carries a verdict. Its Result is reduced to
//     StatusPending with only its Provider, Reference and Raw; fn still
//     gets it, as a hint that
//     something happened to ev.Reference, to be read back with
//     Router.Result.
//  3. sets Result.Source (SourceProvider when confirmed, SourceWebhook
//     otherwise), and fills the Result's Provider and Reference from the
//     Event when they are empty.
//  4. with WithResultStore, applies the Result of each Authenticated or
//     Confirmed Event with a Reference to the store by the ordering rule
//     (ResultStore.Apply, in one atomic step: see Decide), before fn runs,
//     so that fn and every replica reading the store see it, and sets
//     Event.Applied to what the store did. A late progress event never
//     replaces a final verdict, an older verdict never replaces a newer
//     one, and a different final verdict with no vendor order is kept out
//     and reported as AppliedConflict. A store that fails, or that does not
//     answer within the request's context, fails the webhook, so that the
//     vendor sends it again.
//
// fn receives a copy of the receiver's Event.
type WebhookMux struct {
	mux  *http.ServeMux
	fn   func(context.Context, *Event) error
	cfg  webhookConfig
	gate *confirmGate
}

// webhookConfig is what a WebhookMux's options set: ConfirmEvents,
// LimitConfirmations, WithResultStore, ObserveApply.
type webhookConfig struct {
	confirm  bool
	store    ResultStore
	storeSet bool
	onApply  func(context.Context, ApplyInfo)
	observer Observer
	logger   *slog.Logger

	readTimeout time.Duration

	confirmRate   float64
	confirmBurst  int
	confirmMemory time.Duration
}

// webhookOption is an Option of WebhookMuxes only.
func webhookOption(name string, fn func(*webhookConfig)) Option {
	return option{name: name, to: forWebhook, fn: func(c *config) error { fn(&c.webhook); return nil }}
}

// ConfirmEvents makes the WebhookMux confirm every Event through its
// receiver's read-back (EventConfirmer) before the handler sees it. It
// costs one read (a free call) per webhook, and is how an Event from an
// unauthenticated webhook can carry a final status.
func ConfirmEvents() Option {
	return webhookOption("ConfirmEvents", func(c *webhookConfig) { c.confirm = true })
}

// NewWebhookMux returns a mux that hands every Event to fn, after the steps
// WebhookMux lists. It refuses, with an ErrInvalidRequest *Error, a nil fn,
// a nil option, WithResultStore(nil) and a negative LimitConfirmations:
// programming errors found at start-up.
func NewWebhookMux(fn func(context.Context, *Event) error, opts ...Option) (*WebhookMux, error) {
	const op = "kyc.NewWebhookMux"
	if fn == nil {
		return nil, invalid(op, "fn", "nil handler function")
	}
	var c config
	if err := applyAll(forWebhook, &c, opts); err != nil {
		return nil, err
	}
	m := &WebhookMux{mux: http.NewServeMux(), fn: fn, cfg: c.webhook}
	if m.cfg.storeSet && isNil(m.cfg.store) {
		return nil, invalid(op, "WithResultStore", "nil ResultStore")
	}
	if m.cfg.confirmRate < 0 || m.cfg.confirmBurst < 0 || m.cfg.confirmMemory < 0 {
		return nil, invalid(op, "LimitConfirmations", "negative bound")
	}
	m.gate = newConfirmGate(m.cfg.confirmRate, m.cfg.confirmBurst, m.cfg.confirmMemory)
	return m, nil
}

// Handle serves the webhooks of receiver at path (an exact path; it may
// include a method or host pattern as http.ServeMux allows), with the
// handler Handler returns.
func (m *WebhookMux) Handle(path string, receiver WebhookReceiver) {
	m.mux.Handle(path, m.Handler(receiver))
}

// deliver runs the steps of WebhookMux for one Event.
func (m *WebhookMux) deliver(ctx context.Context, confirmer EventConfirmer, in *Event) error {
	const op = "kyc.WebhookMux"
	if in == nil {
		return &Error{Op: op, Kind: ErrBadResponse, Message: "the receiver handed over no Event"}
	}
	ev := *in
	if m.cfg.confirm && confirmer != nil {
		var got *Event
		var err error
		cctx, end := startSpan(ctx, m.cfg.observer, "kyc.WebhookMux.confirm", ev.Provider)
		if ev.Authenticated {
			got, err = confirmer.ConfirmEvent(cctx, &ev)
		} else {
			got, err = m.gate.confirm(cctx, confirmer, &ev)
		}
		ce := EndOf(nil, err)
		ce.Authenticated = ev.Authenticated
		if got != nil {
			ce.Confirmed = got.Confirmed
			if got.Result != nil {
				ce.Status = got.Result.Status
			}
		}
		end(ce)
		if errors.Is(err, ErrNotFound) {
			return errUnknownReference
		}
		if err != nil {
			return err
		}
		if got == nil {
			return &Error{Op: op, Provider: ev.Provider, Kind: ErrBadResponse, Message: "the confirmation returned no Event"}
		}
		ev = *got
	}
	ev.Result = CloneResult(ev.Result)
	ScreenEvent(&ev)
	if res := ev.Result; res != nil {
		if res.Provider == "" {
			res.Provider = ev.Provider
		}
		if res.Reference == "" {
			res.Reference = ev.Reference
		}
		if ev.Confirmed {
			res.Source = SourceProvider
		} else {
			res.Source = SourceWebhook
		}
		if m.cfg.store != nil && (ev.Authenticated || ev.Confirmed) && res.Reference != "" {
			if _, err := ParseReference(res.Reference); err != nil {
				return err
			}
			sctx, end := startSpan(ctx, m.cfg.observer, "kyc.WebhookMux.store", ev.Provider)
			applied, err := applyBounded(sctx, "kyc.WebhookMux", m.cfg.store, res)
			se := EndOf(nil, err)
			se.Applied, se.Status = applied, res.Status
			end(se)
			if err != nil {
				return err
			}
			ev.Applied = applied
			observeApply(ctx, m.cfg.onApply, res, applied)
		}
	}
	return m.fn(ctx, &ev)
}

// ServeHTTP implements http.Handler. Unknown paths get 404.
func (m *WebhookMux) ServeHTTP(w http.ResponseWriter, r *http.Request) { m.mux.ServeHTTP(w, r) }
