package transport

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/kyc-go/kyc"
)

// logAttempt writes the allowlisted record of one attempt: provider, op,
// method, path without query (safePath), status, duration since start,
// attempt, vendor request id (from the response's headers, else the
// request's), and the error kind. Nothing else: no header values, no
// bodies. When the level is off it costs the Enabled check: the path, the
// request id and the attributes are built only for a record written.
func (c *Client) logAttempt(ctx context.Context, r *Request, attempt, status int, start time.Time, reqHeader, respHeader http.Header, err *kyc.Error) {
	if !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	d := time.Since(start)
	attrs := []slog.Attr{
		slog.String("provider", string(c.p.Provider)),
		slog.String("op", r.op()),
		slog.String("method", r.Method),
		slog.String("path", c.safePath(r)),
		slog.Int("status", status),
		slog.Duration("duration", d),
		slog.Int("attempt", attempt),
	}
	requestID := c.requestID(reqHeader, respHeader)
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
