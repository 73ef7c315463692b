// Package config holds the client settings that the root package's options
// write and internal/transport reads. It lives apart so that neither package
// imports the other's internals.
package config

import (
	"log/slog"
	"net/http"
	"time"
)

// Defaults for the settings below.
const (
	DefaultTimeout          = 30 * time.Second
	DefaultMaxRetries       = 2
	DefaultMaxWait          = 10 * time.Second
	DefaultMinBackoff       = 500 * time.Millisecond
	DefaultMaxResponseBytes = 32 << 20
	DefaultUserAgent        = "kyc-go/0.1"
)

// Settings are the resolved client options.
type Settings struct {
	BaseURL          string
	HTTPClient       *http.Client
	Timeout          time.Duration // per attempt; 0 means none
	MaxRetries       int
	MinBackoff       time.Duration
	MaxWait          time.Duration // cap on one backoff or Retry-After wait
	MaxResponseBytes int64
	Logger           *slog.Logger
	UserAgent        string
	Clock            func() time.Time
	// Observer is a kyc.Observer (typed any: this package cannot import
	// kyc), nil for none.
	Observer any

	// Errs collects option errors; the constructor reports the first.
	Errs []error
}

// Default returns the settings used when no option is given.
func Default() Settings {
	return Settings{
		Timeout:          DefaultTimeout,
		MaxRetries:       DefaultMaxRetries,
		MinBackoff:       DefaultMinBackoff,
		MaxWait:          DefaultMaxWait,
		MaxResponseBytes: DefaultMaxResponseBytes,
		Logger:           slog.New(slog.DiscardHandler),
		UserAgent:        DefaultUserAgent,
		Clock:            time.Now,
	}
}
