package kyc

import (
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"time"
)

// Option configures a vendor client (every vendor package's New), a Router
// (NewRouter) or a WebhookMux (NewWebhookMux): one option type for the
// three. Each option says which of them it configures, and a constructor
// refuses, with an ErrInvalidRequest *Error naming it, an option that is not
// for it (WithTimeout given to a Router), a nil option, or an option given a
// bad value. Options never panic.
type Option interface {
	apply(*config) error
}

// target is what an option configures.
type target uint8

const (
	forClient target = 1 << iota
	forRouter
	forWebhook
)

func (t target) String() string {
	switch t {
	case forClient:
		return "vendor client"
	case forRouter:
		return "Router"
	case forWebhook:
		return "WebhookMux"
	}
	return "target"
}

// config is what the options write into: the Settings of a vendor client,
// or the configuration of a Router or a WebhookMux.
type config struct {
	target  target
	client  Settings
	router  routerConfig
	webhook webhookConfig
}

// option is an Option for the targets in to.
type option struct {
	name string
	to   target
	fn   func(*config) error
}

func (o option) apply(c *config) error {
	if o.to&c.target == 0 {
		return invalid("kyc.Option", o.name, o.name+" does not configure a "+c.target.String())
	}
	if err := o.fn(c); err != nil {
		return invalid("kyc.Option", o.name, err.Error())
	}
	return nil
}

// clientOption is an Option of vendor clients.
func clientOption(name string, fn func(*Settings) error) Option {
	return option{name: name, to: forClient, fn: func(c *config) error { return fn(&c.client) }}
}

// applyAll applies opts to a fresh config for t.
func applyAll(t target, c *config, opts []Option) error {
	c.target = t
	for _, o := range opts {
		if isNil(o) {
			return invalid("kyc.Option", "opts", "nil Option")
		}
		if err := o.apply(c); err != nil {
			return err
		}
	}
	return nil
}

// NewSettings returns DefaultSettings with opts applied in order: what a
// vendor package's New does with its options. It refuses an option that
// does not configure a vendor client, a nil one, and one given a bad
// value, with an ErrInvalidRequest *Error naming it.
func NewSettings(opts ...Option) (Settings, error) {
	c := config{client: DefaultSettings()}
	if err := applyAll(forClient, &c, opts); err != nil {
		return Settings{}, err
	}
	return c.client, nil
}

// WithBaseURL points the client at another host: a sandbox, a proxy, or an
// in-process fake. HTTPS is required unless the host is loopback.
func WithBaseURL(u string) Option {
	return clientOption("WithBaseURL", func(s *Settings) error { s.BaseURL = u; return nil })
}

// WithHTTPClient sends requests through c: its Transport, TLS settings and
// proxies are used as they are. The client is copied, not modified. A
// Timeout set on c applies to each attempt, as WithTimeout does.
func WithHTTPClient(c *http.Client) Option {
	return clientOption("WithHTTPClient", func(s *Settings) error {
		if c == nil {
			return errors.New("nil client")
		}
		s.HTTPClient = c
		return nil
	})
}

// WithTimeout bounds each attempt of a call (default 30s; 0 for none). The
// context passed to a call bounds the whole call, including retries and the
// waits between them: a retried call does not start its context deadline
// over.
func WithTimeout(d time.Duration) Option {
	return clientOption("WithTimeout", func(s *Settings) error {
		if d < 0 {
			return errors.New("negative duration")
		}
		s.Timeout = d
		return nil
	})
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
	return clientOption("WithRetry", func(s *Settings) error {
		if maxRetries < 0 || maxRetries > 10 {
			return errors.New("maxRetries must be 0..10")
		}
		s.MaxRetries = maxRetries
		if maxWait > 0 {
			s.MaxWait = maxWait
			s.MinBackoff = min(s.MinBackoff, maxWait)
		}
		return nil
	})
}

// WithLogger sends the client's debug records to l. Records carry only an
// allowlist of metadata: method, path without query, status, duration,
// attempt, retry decisions and the vendor's request id. Never header values,
// bodies, images or personal data. Records are at slog.LevelDebug. The
// default discards them.
//
// A WebhookMux takes it too: it logs each webhook it refuses, at debug
// level, with the provider, status, reason and error kind only.
func WithLogger(l *slog.Logger) Option {
	return option{name: "WithLogger", to: forClient | forWebhook, fn: func(c *config) error {
		if l != nil {
			c.client.Logger, c.webhook.logger = l, l
		}
		return nil
	}}
}

// WithUserAgent sets the User-Agent header (default "kyc-go/<version>").
func WithUserAgent(ua string) Option {
	return clientOption("WithUserAgent", func(s *Settings) error {
		if ua != "" {
			s.UserAgent = ua
		}
		return nil
	})
}

// WithClock replaces time.Now for token expiry, signatures and timestamps,
// for tests.
func WithClock(now func() time.Time) Option {
	return clientOption("WithClock", func(s *Settings) error {
		if now != nil {
			s.Clock = now
		}
		return nil
	})
}

// WithMaxResponseBytes caps the size of a response body the client reads
// into memory (default 32 MiB). A larger body fails with ErrBadResponse.
// Streamed downloads, such as a certificate written to an io.Writer, are not
// capped.
func WithMaxResponseBytes(n int64) Option {
	return clientOption("WithMaxResponseBytes", func(s *Settings) error {
		if n <= 0 {
			return errors.New("must be positive")
		}
		s.MaxResponseBytes = n
		return nil
	})
}

// WithObserver sets an Observer that sees every call and every attempt of
// the client: provider, operation, path template, status, duration, the
// resend decision and its reason, and whether the call may have charged.
// It never sees an id, a query, a header value or a body. A nil Observer
// is refused.
//
// A Router and a WebhookMux take it too: with a SpanObserver they record
// their own spans (see SpanObserver), and with a HealthObserver the Router
// reports its circuits.
func WithObserver(o Observer) Option {
	return option{name: "WithObserver", to: forClient | forRouter | forWebhook, fn: func(c *config) error {
		if isNil(o) {
			return errors.New("nil observer")
		}
		c.client.Observer, c.router.observer, c.webhook.observer = o, o, o
		return nil
	}}
}

// WithRetryBudget sets the client's retry budget (see RetryBudget; default
// DefaultRetryBudgetCapacity tokens, DefaultRetryCost per resend,
// DefaultTimeoutRetryCost per resend after a timeout, one back per
// success). Costs must be positive and at most the capacity.
func WithRetryBudget(capacity, retryCost, timeoutCost int) Option {
	return clientOption("WithRetryBudget", func(s *Settings) error {
		if capacity <= 0 || retryCost <= 0 || timeoutCost <= 0 || retryCost > capacity || timeoutCost > capacity {
			return errors.New("positive costs within a positive capacity")
		}
		s.RetryBudget = RetryBudget{Capacity: capacity, RetryCost: retryCost, TimeoutCost: timeoutCost}
		return nil
	})
}

// WithoutRetryBudget turns the client's retry budget off: every call may
// resend as WithRetry allows, whatever the other calls met.
func WithoutRetryBudget() Option {
	return clientOption("WithoutRetryBudget", func(s *Settings) error {
		s.RetryBudget.Off = true
		return nil
	})
}

// WithRateLimit limits the client to perSecond requests per second on
// average, burst at once (golang.org/x/time/rate), attempts included. It is
// off by default: none of the five vendors documents a quota in the pages
// this SDK follows; set your contract's. A call waits for its turn within
// its context; when the context would end first, the call fails NotSent
// with ErrRateLimited, and nothing reaches the vendor.
func WithRateLimit(perSecond float64, burst int) Option {
	return clientOption("WithRateLimit", func(s *Settings) error {
		if perSecond <= 0 || burst <= 0 {
			return errors.New("a positive rate and burst")
		}
		s.RateLimit, s.RateBurst = perSecond, burst
		return nil
	})
}

// isNil reports whether v is nil or holds a nil pointer, map, slice,
// function or channel: a typed nil whose methods would panic.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface, reflect.UnsafePointer:
		return rv.IsNil()
	}
	return false
}
