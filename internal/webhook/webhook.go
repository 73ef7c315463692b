// Package webhook holds what every vendor's webhook receiver shares: a
// bounded body read, a constant-time Basic or bearer check, and an
// http.Handler that replies 2xx only when the application's function
// succeeded.
package webhook

import (
	"context"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/kyc-go/kyc"
)

// MaxBody is the largest webhook body accepted (1 MiB).
const MaxBody = 1 << 20

// ReadBody reads at most limit bytes of r's body; a larger body is
// ErrTooLarge (an error of kind kyc.ErrInvalidRequest whose StatusCode is
// 413).
func ReadBody(r *http.Request, p kyc.Provider, op string, limit int64) ([]byte, error) {
	if r.Body == nil {
		return nil, &kyc.Error{Provider: p, Op: op, Kind: kyc.ErrInvalidRequest, Message: "empty webhook body"}
	}
	if r.ContentLength > limit {
		return nil, &kyc.Error{Provider: p, Op: op, Kind: kyc.ErrInvalidRequest, StatusCode: http.StatusRequestEntityTooLarge, Message: "the webhook body is too large"}
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, &kyc.Error{Provider: p, Op: op, Kind: kyc.ErrInvalidRequest, Message: "cannot read the webhook body", Err: err}
	}
	if int64(len(b)) > limit {
		return nil, &kyc.Error{Provider: p, Op: op, Kind: kyc.ErrInvalidRequest, StatusCode: http.StatusRequestEntityTooLarge, Message: "the webhook body is too large"}
	}
	return b, nil
}

// CheckBasic reports whether r carries Basic credentials equal to user and
// pass, comparing in constant time.
func CheckBasic(r *http.Request, user string, pass kyc.Secret) bool {
	u, p, ok := r.BasicAuth()
	if !ok {
		return false
	}
	okUser := subtle.ConstantTimeCompare([]byte(u), []byte(user))
	okPass := subtle.ConstantTimeCompare([]byte(p), []byte(pass.Reveal()))
	return okUser&okPass == 1
}

// CheckBearer reports whether r carries "Authorization: Bearer <token>",
// comparing in constant time.
func CheckBearer(r *http.Request, token kyc.Secret) bool {
	h := r.Header.Get("Authorization")
	const prefix = "Bearer "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(h[len(prefix):]), []byte(token.Reveal())) == 1
}

// Unauthorized is the error for a webhook that failed authentication.
func Unauthorized(p kyc.Provider, op string) error {
	return &kyc.Error{Provider: p, Op: op, Kind: kyc.ErrUnauthorized, StatusCode: http.StatusUnauthorized, Message: "the webhook's credentials do not match"}
}

// Parser turns a webhook request into an Event.
type Parser func(r *http.Request) (*kyc.Event, error)

// Handler returns an http.Handler that parses each webhook with parse and
// hands the event to fn. It replies 401 for failed authentication, 413 for
// an oversized body, 400 for a body it cannot read, 405 for a method other
// than POST, 500 when fn fails (so the vendor sends again), and success
// (written by reply, or 200 with no body) only when fn succeeded. Errors are
// logged through logger (nil for none) by kind only.
func Handler(parse Parser, fn func(context.Context, *kyc.Event) error, reply func(http.ResponseWriter), logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		ev, err := parse(r)
		if err != nil {
			status := StatusFor(err)
			logError(r.Context(), logger, "kyc webhook refused", err)
			http.Error(w, http.StatusText(status), status)
			return
		}
		if err := fn(r.Context(), ev); err != nil {
			logError(r.Context(), logger, "kyc webhook handler failed", err)
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		if reply != nil {
			reply(w)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// StatusFor is the reply status for a parse error.
func StatusFor(err error) int {
	var kerr *kyc.Error
	if errors.As(err, &kerr) && kerr.StatusCode == http.StatusRequestEntityTooLarge {
		return http.StatusRequestEntityTooLarge
	}
	switch {
	case errors.Is(err, kyc.ErrUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, kyc.ErrInvalidRequest), errors.Is(err, kyc.ErrBadResponse):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

func logError(ctx context.Context, l *slog.Logger, msg string, err error) {
	if l == nil {
		return
	}
	kind := "error"
	if k := kyc.KindOf(err); k != nil {
		kind = k.Error()
	}
	l.LogAttrs(ctx, slog.LevelWarn, msg, slog.String("error_kind", kind))
}
