package transport

import (
	"context"
	"log/slog"
	"time"

	"github.com/kyc-go/kyc"
)

// logAttempt writes the allowlisted record of one attempt: provider, op,
// method, path without query, status, duration, attempt, vendor request id,
// and the error kind. Nothing else: no header values, no bodies.
func (c *Client) logAttempt(ctx context.Context, r *Request, path string, attempt, status int, d time.Duration, requestID string, err *kyc.Error) {
	if !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("provider", string(c.p.Provider)),
		slog.String("op", r.op()),
		slog.String("method", r.Method),
		slog.String("path", path),
		slog.Int("status", status),
		slog.Duration("duration", d),
		slog.Int("attempt", attempt),
	}
	if requestID != "" {
		attrs = append(attrs, slog.String("request_id", requestID))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error_kind", err.Kind.Error()))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "kyc http attempt", attrs...)
}

func (c *Client) logRetry(ctx context.Context, r *Request, attempt int, v decision) {
	if v.reason == ReasonSuccess || !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "kyc retry decision",
		slog.String("provider", string(c.p.Provider)),
		slog.String("op", r.op()),
		slog.Int("attempt", attempt),
		slog.Bool("retry", v.retry),
		slog.String("reason", v.reason.String()),
		slog.Duration("wait", v.wait),
	)
}
