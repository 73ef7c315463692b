package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestFake(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out bytes.Buffer
	require.NoError(t, run(ctx, &out, env(map[string]string{"EKYC_API_KEY": "ignored"}), true))
	assert.Contains(t, out.String(), "against the in-process fake")
	assert.Contains(t, out.String(), "status:     approved []")
	assert.NotContains(t, out.String(), "ignored")
}

// TestNamesMissingVariables: without -fake, nothing falls back to the fake:
// each missing variable is named.
func TestNamesMissingVariables(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env     map[string]string
		missing string
	}{
		{nil, "EKYC_API_KEY, EKYC_DOCUMENT, EKYC_SELFIE not set"},
		{map[string]string{"EKYC_API_KEY": "k"}, "EKYC_DOCUMENT, EKYC_SELFIE not set"},
		{map[string]string{"EKYC_API_KEY": "k", "EKYC_DOCUMENT": "https://cdn.example.test/d.jpg"}, "EKYC_SELFIE not set"},
		{map[string]string{"EKYC_DOCUMENT": "d.jpg", "EKYC_SELFIE": "s.jpg"}, "EKYC_API_KEY not set"},
	}
	for _, tt := range tests {
		t.Run(tt.missing, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			err := run(context.Background(), &out, env(tt.env), false)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.missing)
			assert.Contains(t, err.Error(), "-fake")
			assert.Empty(t, out.String(), "nothing ran")
		})
	}
	err := run(context.Background(), &bytes.Buffer{}, env(map[string]string{
		"EKYC_API_KEY": "k", "EKYC_DOCUMENT": "/nonexistent/card.jpg", "EKYC_SELFIE": "https://cdn.example.test/s.jpg",
	}), false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "EKYC_DOCUMENT")
}
