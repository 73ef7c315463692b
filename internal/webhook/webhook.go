// Package webhook holds what every vendor's webhook receiver shares: the
// fail-closed authentication rule, a constant-time Basic or bearer check, a
// bounded body read, and the http.Handler that answers refusals with their
// reason and replies 2xx only when the application's function succeeded.
//
// A vendor package gives only its knowledge, as a Receiver: its
// credentials (Bearer or Basic), its body decoder and field checks, and the
// reply bodies its vendor expects.
package webhook

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
)

// MaxBody is the largest webhook body accepted (1 MiB).
const MaxBody = 1 << 20

// ReadTimeout is the default bound on reading a whole webhook request, its
// body included, in Handler: a client trickling its body is cut off then.
const ReadTimeout = 5 * time.Second

// Why the shared code refuses a webhook, in the SDK's words: they name the
// rule that failed and never quote the request. Vendor decoders add their
// own reasons for their field checks.
const (
	ReasonNoCredentials = "no webhook credentials are configured on this receiver"
	ReasonCredentials   = "the webhook's credentials do not match"
	ReasonTooLarge      = "the webhook body is too large"
	ReasonEmpty         = "empty webhook body"
	ReasonUnreadable    = "cannot read the webhook body"
	ReasonSlow          = "the webhook body was not received in time"
	ReasonMethod        = "only POST is accepted"
	ReasonUnusable      = "the webhook cannot be used"
	ReasonHandler       = "the receiver's handler failed; send the webhook again later"
	ReasonBusy          = "too many webhooks to confirm; send the webhook again later"
)

// HandlerStatus is the status answering a handler's error: 429 with a
// Retry-After (whole seconds, at least 1) for ErrRateLimited (the
// WebhookMux's confirmation bound), 500 for anything else, so that the
// vendor sends the webhook again either way.
func HandlerStatus(w http.ResponseWriter, err error) (status int, reason string) {
	var kerr *kyc.Error
	if errors.As(err, &kerr) && errors.Is(kerr.Kind, kyc.ErrRateLimited) {
		secs := int((kerr.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
		return http.StatusTooManyRequests, ReasonBusy
	}
	return http.StatusInternalServerError, ReasonHandler
}

// HandlerErrorKind is the error_kind logged when the application's function
// failed: its error text is never logged, it may hold anything.
const HandlerErrorKind = "handler error"

// Refuse is the error refusing a webhook: reason is one of the SDK's own
// texts (never the request's content), status the HTTP status to answer (0:
// from kind, see StatusFor), cause the underlying error, if any.
func Refuse(p kyc.Provider, op string, kind error, status int, reason string, cause error) error {
	return &kyc.Error{Provider: p, Op: op, Kind: kind, StatusCode: status, Message: reason, Err: cause}
}

// ReadBody reads at most limit bytes of r's body; a larger body is refused
// with ReasonTooLarge (an error of kind kyc.ErrInvalidRequest whose
// StatusCode is 413), one whose read deadline passed with ReasonSlow
// (StatusCode 408).
func ReadBody(r *http.Request, p kyc.Provider, op string, limit int64) ([]byte, error) {
	if r.Body == nil {
		return nil, Refuse(p, op, kyc.ErrInvalidRequest, 0, ReasonEmpty, nil)
	}
	if r.ContentLength > limit {
		return nil, Refuse(p, op, kyc.ErrInvalidRequest, http.StatusRequestEntityTooLarge, ReasonTooLarge, nil)
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return nil, Refuse(p, op, kyc.ErrInvalidRequest, http.StatusRequestTimeout, ReasonSlow, err)
	}
	if err != nil {
		return nil, Refuse(p, op, kyc.ErrInvalidRequest, 0, ReasonUnreadable, err)
	}
	if int64(len(b)) > limit {
		return nil, Refuse(p, op, kyc.ErrInvalidRequest, http.StatusRequestEntityTooLarge, ReasonTooLarge, nil)
	}
	return b, nil
}

// equal compares a and b in constant time, their lengths included: both are
// hashed first, so a guess learns nothing from how long the comparison took.
func equal(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

// blank reports whether a configured credential is empty or only spaces:
// such a credential never authenticates anyone (New refuses it too).
func blank(s kyc.Secret) bool { return strings.TrimSpace(s.Reveal()) == "" }

// authorization is r's one Authorization field value, exactly as received:
// false when there is none, more than one, or the value starts or ends with
// a space or tab. HTTP/1.1 strips that optional whitespace before the
// handler sees the value, HTTP/2 does not (RFC 9113 §8.2.1 calls such a
// field malformed), so refusing it makes both protocols compare the same
// bytes: a token never matches a padded or trimmed copy of itself.
func authorization(r *http.Request) (string, bool) {
	vs := r.Header.Values("Authorization")
	if len(vs) != 1 {
		return "", false
	}
	v := vs[0]
	if v == "" || strings.Trim(v, " \t") != v {
		return "", false
	}
	return v, true
}

// CheckBasic reports whether r carries Basic credentials equal to user and
// pass, byte for byte, comparing in constant time. A request with more than
// one Authorization field, or padding around its value, never matches, nor
// does a blank password.
func CheckBasic(r *http.Request, user string, pass kyc.Secret) bool {
	if _, ok := authorization(r); !ok || blank(pass) {
		return false
	}
	u, p, ok := r.BasicAuth()
	if !ok {
		return false
	}
	okUser, okPass := equal(u, user), equal(p, pass.Reveal())
	return okUser && okPass
}

// CheckBearer reports whether r carries "Authorization: Bearer <token>",
// the token byte for byte (the scheme name in any case, then one space),
// comparing in constant time. A request with more than one Authorization
// field, or padding around its value, never matches, nor does a blank
// token.
func CheckBearer(r *http.Request, token kyc.Secret) bool {
	h, ok := authorization(r)
	const prefix = "Bearer "
	if !ok || blank(token) || len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return false
	}
	return equal(h[len(prefix):], token.Reveal())
}

// Auth is a receiver's authentication. Webhooks fail closed: with
// credentials configured, a request must carry them; without, every
// webhook is refused unless AcceptUnauthenticated is set.
type Auth struct {
	// Configured reports that the receiver has webhook credentials.
	Configured bool
	// Check reports, in constant time, whether a request carries them.
	Check func(r *http.Request) bool
	// AcceptUnauthenticated accepts webhooks when no credentials are
	// configured (the vendor's AcceptUnauthenticatedWebhooks): their Events
	// are not Authenticated.
	AcceptUnauthenticated bool
}

// Bearer is the Auth of a receiver whose vendor presents
// "Authorization: Bearer <token>" (configured when token is set).
func Bearer(token kyc.Secret, acceptUnauthenticated bool) Auth {
	return Auth{Configured: !token.IsZero(), Check: func(r *http.Request) bool { return CheckBearer(r, token) },
		AcceptUnauthenticated: acceptUnauthenticated}
}

// Basic is the Auth of a receiver whose vendor presents Basic credentials
// (configured when user is set).
func Basic(user string, pass kyc.Secret, acceptUnauthenticated bool) Auth {
	return Auth{Configured: user != "", Check: func(r *http.Request) bool { return CheckBasic(r, user, pass) },
		AcceptUnauthenticated: acceptUnauthenticated}
}

// authenticate applies the fail-closed rule to r, before its body is read.
func (a Auth) authenticate(r *http.Request, p kyc.Provider, op string) (authenticated bool, err error) {
	switch {
	case a.Configured:
		if a.Check == nil || !a.Check(r) {
			return false, Refuse(p, op, kyc.ErrUnauthorized, http.StatusUnauthorized, ReasonCredentials, nil)
		}
		return true, nil
	case a.AcceptUnauthenticated:
		return false, nil
	}
	return false, Refuse(p, op, kyc.ErrUnauthorized, http.StatusUnauthorized, ReasonNoCredentials, nil)
}

// Receiver is one vendor's webhook receiver: the shared rules, with the
// vendor's knowledge given as fields.
type Receiver struct {
	// Provider and Op name the receiver in errors and logs, e.g. kyc.Incode
	// and "incode.ParseWebhook".
	Provider kyc.Provider
	Op       string
	// Auth is checked before the body is read.
	Auth Auth
	// MaxBody caps the body; 0 means MaxBody.
	MaxBody int64
	// ReadTimeout bounds, in Handler, the read of the whole request from
	// the moment the handler starts, for authenticated and unauthenticated
	// requests alike; 0 means ReadTimeout.
	ReadTimeout time.Duration
	// Decode turns a body into an Event, checking its fields against the
	// vendor's forms. Its errors should come from Refuse with a reason of
	// the vendor package's own; any other error is refused with
	// ReasonUnusable.
	Decode func(r *http.Request, body []byte) (*kyc.Event, error)
	// Now stamps Event.ReceivedAt; nil means time.Now.
	Now func() time.Time
	// Logger receives refusals and failures, at debug level only; nil for
	// none.
	Logger *slog.Logger
	// Success writes the vendor's expected 2xx answer; nil means 200 with
	// no body.
	Success func(w http.ResponseWriter)
	// Refusal writes a refusal with its status and reason; nil means a
	// plain-text body holding the reason.
	Refusal func(w http.ResponseWriter, status int, reason string)
}

// Parse authenticates r (before reading its body), reads at most MaxBody
// bytes, and decodes it with Decode. The Event is Authenticated when the
// configured credentials matched. An unauthenticated Event never carries
// anything the body claims about the outcome: its Result is StatusPending
// with only its Provider, Reference and Raw, whatever Decode made of it.
func (rc *Receiver) Parse(r *http.Request) (*kyc.Event, error) {
	authenticated, err := rc.Auth.authenticate(r, rc.Provider, rc.Op)
	if err != nil {
		return nil, err
	}
	limit := rc.MaxBody
	if limit <= 0 {
		limit = MaxBody
	}
	body, err := ReadBody(r, rc.Provider, rc.Op, limit)
	if err != nil {
		return nil, err
	}
	ev, err := rc.Decode(r, body)
	if err != nil {
		var kerr *kyc.Error
		if errors.As(err, &kerr) && kerr.Message != "" {
			return nil, err
		}
		return nil, Refuse(rc.Provider, rc.Op, kyc.ErrInvalidRequest, 0, ReasonUnusable, err)
	}
	if ev == nil {
		return nil, Refuse(rc.Provider, rc.Op, kyc.ErrInvalidRequest, 0, ReasonUnusable, nil)
	}
	if !authenticated && ev.Result != nil {
		ev.Result = &kyc.Result{Provider: ev.Result.Provider, Reference: ev.Result.Reference,
			Status: kyc.StatusPending, Raw: ev.Result.Raw}
	}
	ev.Authenticated = authenticated
	now := rc.Now
	if now == nil {
		now = time.Now
	}
	ev.ReceivedAt = now()
	return ev, nil
}

// Handler returns an http.Handler that parses each webhook with Parse and
// hands the Event to fn (nil: accept every parsed webhook). It answers
// Success only when fn returned nil. Otherwise it answers a refusal naming
// its reason in the SDK's words, never the request's content: 405 for a
// method other than POST, 401 for missing or wrong credentials (or none
// configured), 413 for a body over the cap, 408 for a request not read
// within ReadTimeout, 400 for a body it cannot use,
// and 500 when fn failed, so that the vendor sends the webhook again. Each
// refusal is logged at debug level with the provider, status, reason and
// error_kind (HandlerErrorKind for fn's own error, whose text is never
// logged).
func (rc *Receiver) Handler(fn func(context.Context, *kyc.Event) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			rc.refuse(w, r, http.StatusMethodNotAllowed, ReasonMethod, kyc.ErrInvalidRequest.Error())
			return
		}
		// The body is read under a deadline, lifted once it has been read
		// (fn may take its time) but kept on a refusal, so that the
		// server's discarding of an unread body is bounded too. A
		// ResponseWriter that cannot set it (a wrapper without Unwrap)
		// leaves the server's own ReadTimeout.
		ctl := http.NewResponseController(w)
		deadline := ctl.SetReadDeadline(time.Now().Add(rc.readTimeout())) == nil
		ev, err := rc.Parse(r)
		if err == nil && deadline {
			_ = ctl.SetReadDeadline(time.Time{})
		}
		if err != nil {
			reason := ReasonUnusable
			var kerr *kyc.Error
			if errors.As(err, &kerr) && kerr.Message != "" {
				reason = kerr.Message
			}
			rc.refuse(w, r, StatusFor(err), reason, kindName(err))
			return
		}
		if fn != nil {
			if err := fn(r.Context(), ev); err != nil {
				status, reason := HandlerStatus(w, err)
				rc.refuse(w, r, status, reason, HandlerErrorKind)
				return
			}
		}
		if rc.Success != nil {
			rc.Success(w)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// readTimeout is ReadTimeout, or its default.
func (rc *Receiver) readTimeout() time.Duration {
	if rc.ReadTimeout > 0 {
		return rc.ReadTimeout
	}
	return ReadTimeout
}

// refuse logs a refusal at debug level and answers it.
func (rc *Receiver) refuse(w http.ResponseWriter, r *http.Request, status int, reason, kind string) {
	if rc.Logger != nil {
		rc.Logger.LogAttrs(r.Context(), slog.LevelDebug, "kyc webhook refused",
			slog.String("provider", string(rc.Provider)), slog.Int("status", status),
			slog.String("reason", reason), slog.String("error_kind", kind))
	}
	if rc.Refusal != nil {
		rc.Refusal(w, status, reason)
		return
	}
	http.Error(w, reason, status)
}

// StatusFor is the status answering a parse error: the error's own
// StatusCode when it is 400, 401, 408 or 413, 401 for kyc.ErrUnauthorized, 400 for
// kyc.ErrInvalidRequest and kyc.ErrBadResponse, 500 otherwise.
func StatusFor(err error) int {
	var kerr *kyc.Error
	if errors.As(err, &kerr) {
		switch kerr.StatusCode {
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusRequestTimeout, http.StatusRequestEntityTooLarge:
			return kerr.StatusCode
		}
	}
	switch {
	case errors.Is(err, kyc.ErrUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, kyc.ErrInvalidRequest), errors.Is(err, kyc.ErrBadResponse):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// kindName is the error_kind of a refusal: the kyc kind's text.
func kindName(err error) string {
	if k := kyc.KindOf(err); k != nil {
		return k.Error()
	}
	return "error"
}
