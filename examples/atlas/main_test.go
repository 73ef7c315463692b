package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc/kyctest"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestRunsAgainstTheFakeOnlyWithoutAnyVariable(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), env(nil), &out))
	assert.Contains(t, out.String(), "the in-process fake (no ATLAS_ variable is set")
	assert.Contains(t, out.String(), "Verify: approved")
	assert.Contains(t, out.String(), "Reference: atlas:")
}

func TestNamesWhatItLacks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	img := filepath.Join(dir, "card.jpg")
	require.NoError(t, os.WriteFile(img, kyctest.MagicImage("", 0), 0o600))
	full := map[string]string{"ATLAS_KEY_ID": "k", "ATLAS_KEY_SECRET": "s", "ATLAS_PAN": "ABCDE1234F", "ATLAS_CARD": img, "ATLAS_SELFIE": img}
	without := func(keys ...string) map[string]string {
		m := map[string]string{}
		for k, v := range full {
			m[k] = v
		}
		for _, k := range keys {
			delete(m, k)
		}
		return m
	}
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"only the key id", map[string]string{"ATLAS_KEY_ID": "k"}, []string{"ATLAS_KEY_SECRET", "ATLAS_PAN", "ATLAS_CARD", "ATLAS_SELFIE"}},
		{"an optional variable alone", map[string]string{"ATLAS_NAME": "R"}, []string{"ATLAS_KEY_ID", "ATLAS_KEY_SECRET", "ATLAS_CARD"}},
		{"no card", without("ATLAS_CARD"), []string{"ATLAS_CARD"}},
		{"no selfie", without("ATLAS_SELFIE"), []string{"ATLAS_SELFIE"}},
		{"card path that does not exist", func() map[string]string { m := without(); m["ATLAS_CARD"] = filepath.Join(dir, "nope.jpg"); return m }(), []string{"ATLAS_CARD"}},
		{"unknown auth", func() map[string]string { m := without(); m["ATLAS_AUTH"] = "oauth"; return m }(), []string{"ATLAS_AUTH"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			err := run(context.Background(), env(tt.env), &out)
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, out.String(), "fake", "no fallback to the fake")
		})
	}
	// Everything set: the real API is tried (here, a base URL nothing
	// listens on), never the fake.
	m := without()
	m["ATLAS_AUTH"], m["ATLAS_BASE_URL"] = "basic", "http://127.0.0.1:1"
	var out bytes.Buffer
	err := run(context.Background(), env(m), &out)
	require.Error(t, err)
	assert.Contains(t, out.String(), "against the Atlas API")
	assert.False(t, strings.Contains(out.String(), "fake"))
}
