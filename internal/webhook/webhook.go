// Package webhook holds what every vendor's ParseWebhook shares: the
// fail-closed authentication rule, a constant-time Basic or bearer check,
// and a bounded body read. The HTTP exchange (method, read deadline,
// answers, logs) is the root's WebhookMux.Handler, which every vendor's
// WebhookHandler is.
//
// A vendor package gives only its knowledge, as a Receiver: its
// credentials (Bearer or Basic) and its body decoder and field checks.
package webhook

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
)

// MaxBody is the largest webhook body accepted (1 MiB).
const MaxBody = 1 << 20

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
	ReasonUnusable      = "the webhook cannot be used"
)

// Refuse is the error refusing a webhook: reason is one of the SDK's own
// texts (never the request's content), status the HTTP status to answer (0:
// from kind, as kyc.WebhookMux.Handler says), cause the underlying error, if any.
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

// authorization is r's one Authorization field value, exactly as received
// (see field): padded, repeated or empty fields never match.
func authorization(r *http.Request) (string, bool) { return field(r, "Authorization") }

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
	// Decode turns a body into an Event, checking its fields against the
	// vendor's forms. Its errors should come from Refuse with a reason of
	// the vendor package's own; any other error is refused with
	// ReasonUnusable.
	Decode func(r *http.Request, body []byte) (*kyc.Event, error)
	// Now stamps Event.ReceivedAt; nil means time.Now.
	Now func() time.Time
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
	ev.Authenticated, ev.Confirmed = authenticated, false
	kyc.ScreenEvent(ev)
	now := rc.Now
	if now == nil {
		now = time.Now
	}
	ev.ReceivedAt = now()
	return ev, nil
}

// Options are the kyc.WebhookHandler options of a vendor's WebhookHandler:
// its client's logger, and its Config's read timeout (0: the default).
func Options(logger *slog.Logger, readTimeout time.Duration) []kyc.Option {
	opts := []kyc.Option{kyc.WithLogger(logger)}
	if readTimeout > 0 {
		opts = append(opts, kyc.WithWebhookReadTimeout(readTimeout))
	}
	return opts
}
