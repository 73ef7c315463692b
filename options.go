package kyc

import (
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// Option configures a provider client. Every vendor package's New accepts
// the same options. An Option writes into the client's Settings; one given
// a bad value appends to Settings.Errs, which makes New fail. Options never
// panic.
type Option func(*Settings)

// WithBaseURL points the client at another host: a sandbox, a proxy, or an
// in-process fake. HTTPS is required unless the host is loopback.
func WithBaseURL(u string) Option {
	return func(s *Settings) { s.BaseURL = u }
}

// WithHTTPClient sends requests through c: its Transport, TLS settings and
// proxies are used as they are. The client is copied, not modified. A
// Timeout set on c applies to each attempt, as WithTimeout does.
func WithHTTPClient(c *http.Client) Option {
	return func(s *Settings) {
		if c == nil {
			s.Errs = append(s.Errs, errors.New("WithHTTPClient: nil client"))
			return
		}
		s.HTTPClient = c
	}
}

// WithTimeout bounds each attempt of a call (default 30s; 0 for none). The
// context passed to a call bounds the whole call, including retries and the
// waits between them: a retried call does not start its context deadline
// over.
func WithTimeout(d time.Duration) Option {
	return func(s *Settings) {
		if d < 0 {
			s.Errs = append(s.Errs, errors.New("WithTimeout: negative duration"))
			return
		}
		s.Timeout = d
	}
}

// WithRetry sets how many times a failed call may be retried (default 2; 0
// disables retries) and the longest single wait between attempts, whether
// from backoff or from a Retry-After header (default 10s). A Retry-After
// longer than maxWait is not waited for: the call fails with ErrRateLimited
// or ErrUnavailable and Error.RetryAfter set.
//
// Whatever the setting, a call that may charge or message a person is never
// retried once it may have reached the vendor, authentication failures are
// never retried, and a body that cannot be read twice is never resent.
func WithRetry(maxRetries int, maxWait time.Duration) Option {
	return func(s *Settings) {
		if maxRetries < 0 || maxRetries > 10 {
			s.Errs = append(s.Errs, errors.New("WithRetry: maxRetries must be 0..10"))
			return
		}
		s.MaxRetries = maxRetries
		if maxWait > 0 {
			s.MaxWait = maxWait
			s.MinBackoff = min(s.MinBackoff, maxWait)
		}
	}
}

// WithLogger sends the client's debug records to l. Records carry only an
// allowlist of metadata: method, path without query, status, duration,
// attempt, retry decisions and the vendor's request id. Never header values,
// bodies, images or personal data. Records are at slog.LevelDebug. The
// default discards them.
func WithLogger(l *slog.Logger) Option {
	return func(s *Settings) {
		if l != nil {
			s.Logger = l
		}
	}
}

// WithUserAgent sets the User-Agent header (default "kyc-go/<version>").
func WithUserAgent(ua string) Option {
	return func(s *Settings) {
		if ua != "" {
			s.UserAgent = ua
		}
	}
}

// WithClock replaces time.Now for token expiry, signatures and timestamps,
// for tests.
func WithClock(now func() time.Time) Option {
	return func(s *Settings) {
		if now != nil {
			s.Clock = now
		}
	}
}

// WithMaxResponseBytes caps the size of a response body the client reads
// into memory (default 32 MiB). A larger body fails with ErrBadResponse.
// Streamed downloads, such as a certificate written to an io.Writer, are not
// capped.
func WithMaxResponseBytes(n int64) Option {
	return func(s *Settings) {
		if n <= 0 {
			s.Errs = append(s.Errs, errors.New("WithMaxResponseBytes: must be positive"))
			return
		}
		s.MaxResponseBytes = n
	}
}

// WithObserver sets an Observer that sees every call and every attempt of
// the client: provider, operation, path template, status, duration, the
// resend decision and its reason, and whether the call may have charged.
// It never sees an id, a query, a header value or a body. A nil Observer
// is refused.
func WithObserver(o Observer) Option {
	return func(s *Settings) {
		if o == nil {
			s.Errs = append(s.Errs, errors.New("WithObserver: nil observer"))
			return
		}
		s.Observer = o
	}
}
