// Package config is what remains of the settings internal/transport reads:
// aliases of the root package's kyc.Settings, which is exported so that
// kyc.Option's type can be named outside the module.
package config

import "github.com/kyc-go/kyc"

// Settings are the resolved client options: kyc.Settings.
type Settings = kyc.Settings

// Defaults of the settings, as kyc defines them.
const (
	DefaultTimeout          = kyc.DefaultTimeout
	DefaultMaxRetries       = kyc.DefaultMaxRetries
	DefaultMaxWait          = kyc.DefaultMaxWait
	DefaultMinBackoff       = kyc.DefaultMinBackoff
	DefaultMaxResponseBytes = kyc.DefaultMaxResponseBytes
	DefaultUserAgent        = kyc.DefaultUserAgent
)

// Default returns the settings used when no option is given:
// kyc.DefaultSettings.
func Default() Settings { return kyc.DefaultSettings() }
