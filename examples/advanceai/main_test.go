package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestConfigure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		vars    map[string]string
		fake    bool
		missing string // the variable the error names
	}{
		{"nothing set: the fake", nil, true, ""},
		{"both keys: the vendor", map[string]string{envAccessKey: "a", envSecretKey: "s"}, false, ""},
		{"access key only", map[string]string{envAccessKey: "a"}, false, envSecretKey},
		{"secret key only", map[string]string{envSecretKey: "s"}, false, envAccessKey},
		{"base URL only", map[string]string{envBaseURL: "https://sg-api.advance.ai"}, false, envAccessKey},
		{"return URL only", map[string]string{envReturnURL: "https://example.com/x"}, false, envAccessKey},
		{"wait only", map[string]string{envWait: "1m"}, false, envAccessKey},
		{"bad wait", map[string]string{envAccessKey: "a", envSecretKey: "s", envWait: "forever"}, false, envWait},
		{"wait too long", map[string]string{envAccessKey: "a", envSecretKey: "s", envWait: "2h"}, false, envWait},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := configure(env(tt.vars))
			if tt.missing != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.missing)
				assert.False(t, cfg.fake, "never the fake after a partial configuration")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.fake, cfg.fake)
			if !tt.fake {
				assert.Equal(t, defaultReturnURL, cfg.returnURL)
				assert.Equal(t, defaultWait, cfg.wait)
			}
		})
	}
	cfg, err := configure(env(map[string]string{envAccessKey: "a", envSecretKey: "s", envWait: "90s",
		envReturnURL: "https://example.com/r", envFailReturn: "https://example.com/f", envBaseURL: "https://sg-api.advance.ai"}))
	require.NoError(t, err)
	assert.Equal(t, config{accessKey: "a", secretKey: "s", baseURL: "https://sg-api.advance.ai",
		returnURL: "https://example.com/r", failURL: "https://example.com/f", wait: 90 * time.Second}, cfg)
}

func TestRunFake(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, runFake(&out))
	assert.Contains(t, out.String(), "mode:    in-process fake")
	assert.Contains(t, out.String(), "result:  approved")
}
