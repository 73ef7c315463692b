package kyc

import (
	"log/slog"
	"net/http"
	"time"
)

// Defaults of the Settings fields, used when no Option sets them.
const (
	DefaultTimeout          = 30 * time.Second
	DefaultMaxRetries       = 2
	DefaultMaxWait          = 10 * time.Second
	DefaultMinBackoff       = 500 * time.Millisecond
	DefaultMaxResponseBytes = 32 << 20
	DefaultUserAgent        = "kyc-go/0.1"
)

// Settings are a client's resolved options: DefaultSettings with every
// Option applied in order (NewSettings). The vendor clients read them when
// they are built; most programs never touch a Settings and pass Options
// instead. It is exported so that an Option can be tested:
//
//	s, err := kyc.NewSettings(kyc.WithTimeout(5 * time.Second))
type Settings struct {
	// BaseURL is the vendor host; empty means the vendor package's default.
	BaseURL string
	// HTTPClient sends the requests; nil means the client's own copy of
	// http.DefaultTransport with a pool sized for concurrency.
	HTTPClient *http.Client
	// Timeout bounds each attempt; 0 means none.
	Timeout time.Duration
	// MaxRetries is how many times a call may be resent, within the resend
	// policy.
	MaxRetries int
	// MinBackoff is the first backoff wait, doubled on each retry.
	MinBackoff time.Duration
	// MaxWait caps one backoff or Retry-After wait.
	MaxWait time.Duration
	// MaxResponseBytes caps a response body read into memory.
	MaxResponseBytes int64
	// Logger receives the debug records; never nil after DefaultSettings.
	Logger *slog.Logger
	// UserAgent is the User-Agent header.
	UserAgent string
	// Clock replaces time.Now for expiry, signatures and timestamps.
	Clock func() time.Time
	// Observer sees every call and attempt; nil for none.
	Observer Observer
	// RetryBudget bounds the resends of the whole client (see
	// WithRetryBudget).
	RetryBudget RetryBudget
	// RateLimit is the client-side limit in requests per second, 0 for
	// none; RateBurst is how many may go at once (see WithRateLimit).
	RateLimit float64
	RateBurst int
}

// RetryBudget is a client's retry budget: a bucket of Capacity tokens;
// each resend costs RetryCost (TimeoutCost after a timeout) and each
// success puts one back. An empty bucket ends a call with its last error
// instead of resending, so that a vendor in an outage is not sent a
// multiple of the traffic. Off disables it.
type RetryBudget struct {
	Capacity    int
	RetryCost   int
	TimeoutCost int
	Off         bool
}

// The defaults of RetryBudget: the AWS SDKs' standard retryer.
const (
	DefaultRetryBudgetCapacity = 500
	DefaultRetryCost           = 5
	DefaultTimeoutRetryCost    = 10
)

// DefaultSettings returns the settings of a client built without options.
func DefaultSettings() Settings {
	return Settings{
		Timeout:          DefaultTimeout,
		MaxRetries:       DefaultMaxRetries,
		MinBackoff:       DefaultMinBackoff,
		MaxWait:          DefaultMaxWait,
		MaxResponseBytes: DefaultMaxResponseBytes,
		Logger:           slog.New(slog.DiscardHandler),
		UserAgent:        DefaultUserAgent,
		Clock:            time.Now,
		RetryBudget: RetryBudget{Capacity: DefaultRetryBudgetCapacity, RetryCost: DefaultRetryCost,
			TimeoutCost: DefaultTimeoutRetryCost},
	}
}
