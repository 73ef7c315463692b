package kyc

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// WebhookReplier is implemented by the receivers whose vendor expects a
// particular answer body (Incode's {"success": true}). ReplyWebhook writes
// the answer: a 2xx status with an empty reason for success, otherwise a
// refusal with its status and reason, a text in the SDK's own words that
// never quotes the request. Without it, the WebhookMux answers success with
// an empty 200 and a refusal with a plain-text body holding the reason.
type WebhookReplier interface {
	ReplyWebhook(w http.ResponseWriter, status int, reason string)
}

// DefaultWebhookReadTimeout bounds the read of one whole webhook request,
// body included, unless WithWebhookReadTimeout says otherwise.
const DefaultWebhookReadTimeout = 5 * time.Second

// Why the WebhookMux refuses a webhook, in the SDK's words: they name the
// rule that failed and never quote the request. A receiver's own refusals
// (credentials, body, fields) carry their reason in their *Error's Message.
const (
	reasonMethod   = "only POST is accepted"
	reasonUnusable = "the webhook cannot be used"
	reasonHandler  = "the receiver's handler failed; send the webhook again later"
	reasonBusy     = "too many webhooks to confirm; send the webhook again later"
	reasonForeign  = "the webhook names another provider's verification"
)

// handlerErrorKind is the error_kind logged when the application's function
// failed: its error text is never logged, it may hold anything.
const handlerErrorKind = "handler error"

// WithWebhookReadTimeout bounds, in a WebhookMux, the read of each whole
// webhook request from the moment its handler starts, authenticated or not
// (default DefaultWebhookReadTimeout): a client trickling its body is cut
// off with 408. It must be positive.
func WithWebhookReadTimeout(d time.Duration) Option {
	return option{name: "WithWebhookReadTimeout", to: forWebhook, fn: func(c *config) error {
		if d <= 0 {
			return errors.New("must be positive")
		}
		c.webhook.readTimeout = d
		return nil
	}}
}

// WebhookHandler serves the webhooks of one receiver, handing every Event
// to fn (nil: accept every webhook that parses): a WebhookMux of one
// receiver, at any path, with the same steps and answers (see WebhookMux
// and its Handler method). Vendor packages' WebhookHandler methods are
// this function; an option it cannot take (a programming error) makes
// every webhook fail with 500.
func WebhookHandler(receiver WebhookReceiver, fn func(context.Context, *Event) error, opts ...Option) http.Handler {
	if fn == nil {
		fn = func(context.Context, *Event) error { return nil }
	}
	m, err := NewWebhookMux(fn, opts...)
	if err != nil || isNil(receiver) {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, reasonHandler, http.StatusInternalServerError)
		})
	}
	return m.Handler(receiver)
}

// Handler returns the http.Handler serving receiver's webhooks at any path;
// Handle mounts it at one. It is the one exchange of every webhook:
//
//  1. anything but a POST is refused with 405;
//  2. the whole request is read within the read timeout
//     (WithWebhookReadTimeout), lifted once the body has been read;
//  3. receiver.ParseWebhook authenticates the request before reading its
//     body and decodes it; a refusal is answered with the status of its
//     *Error (401 credentials, 413 too large, 408 too slow, 400 a body it
//     cannot use) and its Message as the reason; so is, with 400, an
//     Event of another provider than the receiver's, or naming another
//     provider's verification, or with a malformed reference: no receiver
//     can write a verdict under another vendor's reference;
//  4. the Event goes through the steps WebhookMux lists (confirm, the
//     webhook rule, store) and then to fn;
//  5. the answer is the receiver's success reply only when all of that
//     succeeded; 429 with Retry-After when the confirmation bound was
//     reached (LimitConfirmations), 500 when a confirmation, the store or
//     fn failed, so that the vendor sends the webhook again. A
//     confirmation answering ErrNotFound (the vendor does not know the
//     reference: a forged id, or a verification since erased) is answered
//     with success, fn not called and nothing stored, so that the vendor
//     stops retrying.
//
// Refusals are logged at debug level through WithLogger, with the
// provider, status, reason and error kind ("handler error" for fn's own
// failure, whose text is never logged), never the request.
func (m *WebhookMux) Handler(receiver WebhookReceiver) http.Handler {
	confirmer, _ := receiver.(EventConfirmer)
	replier, _ := receiver.(WebhookReplier)
	x := &exchange{m: m, receiver: receiver, confirmer: confirmer, replier: replier, provider: receiver.Provider()}
	return x
}

// exchange serves one receiver's webhooks for a WebhookMux.
type exchange struct {
	m         *WebhookMux
	receiver  WebhookReceiver
	confirmer EventConfirmer
	replier   WebhookReplier
	provider  Provider
}

func (x *exchange) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, end := startSpan(r.Context(), x.m.cfg.observer, "kyc.WebhookMux.receive", x.provider)
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	seen := x.serve(ctx, sw, r.WithContext(ctx))
	seen.StatusCode = sw.status
	end(seen)
}

// serve runs the steps of Handler for one request.
func (x *exchange) serve(ctx context.Context, w http.ResponseWriter, r *http.Request) SpanEnd {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		err := &Error{Provider: x.provider, Op: "kyc.WebhookMux", Kind: ErrInvalidRequest, Message: reasonMethod}
		x.refuse(w, r, http.StatusMethodNotAllowed, reasonMethod, ErrInvalidRequest.Error())
		return EndOf(nil, err)
	}
	// The body is read under a deadline, lifted once it has been read (the
	// confirmation and fn may take their time) but kept on a refusal, so
	// that the server's discarding of an unread body is bounded too. A
	// ResponseWriter that cannot set it (a wrapper without Unwrap) leaves
	// the server's own ReadTimeout.
	ctl := http.NewResponseController(w)
	deadline := ctl.SetReadDeadline(time.Now().Add(x.m.readTimeout())) == nil
	ev, err := x.receiver.ParseWebhook(r)
	if err == nil {
		err = x.belongs(ev)
	}
	if err != nil {
		reason := reasonUnusable
		var kerr *Error
		if errors.As(err, &kerr) && kerr.Message != "" {
			reason = kerr.Message
		}
		x.refuse(w, r, parseStatus(err), reason, kindName(err))
		return EndOf(nil, err)
	}
	if deadline {
		_ = ctl.SetReadDeadline(time.Time{})
	}
	seen := SpanEnd{Authenticated: ev.Authenticated}
	err = x.m.deliver(ctx, x.confirmer, ev)
	seen.Err, seen.Kind = err, KindOf(err)
	switch {
	case err == nil:
	case errors.Is(err, errUnknownReference):
		x.log(r, http.StatusOK, "the vendor does not know the webhook's reference; acknowledged", ErrNotFound.Error())
	default:
		status, reason := http.StatusInternalServerError, reasonHandler
		var kerr *Error
		if errors.As(err, &kerr) && errors.Is(kerr.Kind, ErrRateLimited) {
			secs := int((kerr.RetryAfter + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
			status, reason = http.StatusTooManyRequests, reasonBusy
		}
		x.refuse(w, r, status, reason, handlerErrorKind)
		return seen
	}
	if x.replier != nil {
		x.replier.ReplyWebhook(w, http.StatusOK, "")
	} else {
		w.WriteHeader(http.StatusOK)
	}
	return seen
}

// belongs refuses an Event that is not the receiver's own: none, another
// provider's, or naming a verification of another provider (so that a
// receiver, forged or buggy, can never write a verdict under someone
// else's reference), or with a malformed reference.
func (x *exchange) belongs(ev *Event) error {
	refuse := func(msg string) error {
		return &Error{Provider: x.provider, Op: "kyc.WebhookMux", Kind: ErrInvalidRequest, Message: msg, NotSent: true, Unprocessed: true}
	}
	if ev == nil {
		return refuse(reasonUnusable)
	}
	if ev.Provider == "" {
		ev.Provider = x.provider // a receiver of your own may leave it to the mux
	}
	if ev.Provider != x.provider || (ev.Result != nil && ev.Result.Provider != "" && ev.Result.Provider != x.provider) {
		return refuse(reasonForeign)
	}
	for _, ref := range []string{ev.Reference, resultReference(ev.Result)} {
		if ref == "" {
			continue
		}
		parsed, err := ParseReference(ref)
		if err != nil {
			return refuse("the webhook's reference is malformed")
		}
		if parsed.Provider != x.provider {
			return refuse(reasonForeign)
		}
	}
	return nil
}

// resultReference is res's Reference, "" for none.
func resultReference(res *Result) string {
	if res == nil {
		return ""
	}
	return res.Reference
}

// refuse logs a refusal at debug level and answers it.
func (x *exchange) refuse(w http.ResponseWriter, r *http.Request, status int, reason, kind string) {
	x.log(r, status, reason, kind)
	if x.replier != nil {
		x.replier.ReplyWebhook(w, status, reason)
		return
	}
	http.Error(w, reason, status)
}

// log records an answer other than plain success, at debug level.
func (x *exchange) log(r *http.Request, status int, reason, kind string) {
	if l := x.m.cfg.logger; l != nil {
		l.LogAttrs(r.Context(), slog.LevelDebug, "kyc webhook refused",
			slog.String("provider", string(x.provider)), slog.Int("status", status),
			slog.String("reason", reason), slog.String("error_kind", kind))
	}
}

// parseStatus is the status answering a refusal of ParseWebhook: the
// error's own StatusCode when it is 400, 401, 408 or 413, 401 for
// ErrUnauthorized, 400 for ErrInvalidRequest and ErrBadResponse, 500
// otherwise.
func parseStatus(err error) int {
	var kerr *Error
	if errors.As(err, &kerr) {
		switch kerr.StatusCode {
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusRequestTimeout, http.StatusRequestEntityTooLarge:
			return kerr.StatusCode
		}
	}
	switch {
	case errors.Is(err, ErrUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, ErrInvalidRequest), errors.Is(err, ErrBadResponse):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// kindName is the error_kind of a refusal: the kyc kind's text.
func kindName(err error) string {
	if k := KindOf(err); k != nil {
		return k.Error()
	}
	return "error"
}

// readTimeout is the mux's read bound, or its default.
func (m *WebhookMux) readTimeout() time.Duration {
	if m.cfg.readTimeout > 0 {
		return m.cfg.readTimeout
	}
	return DefaultWebhookReadTimeout
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (read deadlines).
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// errUnknownReference marks a confirmation that answered ErrNotFound.
var errUnknownReference = errors.New("kyc: the vendor does not know the reference")

// ScreenEvent applies the webhook rule to ev in place: an Event that is
// neither Authenticated nor Confirmed carries nothing the webhook claims
// about the outcome, so its Result is reduced to StatusPending with only
// its Provider, Reference and Raw (no Reasons, Scores, Resubmit, Details,
// dates or Sequence). Vendor packages' ParseWebhook and the WebhookMux
// apply it; a WebhookReceiver of your own need not, the mux does it
// anyway.
func ScreenEvent(ev *Event) {
	if ev == nil || ev.Authenticated || ev.Confirmed || ev.Result == nil {
		return
	}
	res := ev.Result
	ev.Result = &Result{Provider: res.Provider, Reference: res.Reference, Status: StatusPending, Raw: res.Raw}
}
