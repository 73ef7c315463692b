package main

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func getenv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestFake(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	require.NoError(t, run(context.Background(), []string{"-fake"}, getenv(nil), &out))
	for _, want := range []string{
		"sent (fake): verificar:299846332, status pending",
		"webhook Estado 3000: pending (authenticated true)",
		"webhook Estado 5001: approved",
		"webhook Estado 5100: approved",
		"certificate: 4096 bytes of PDF",
	} {
		assert.Contains(t, out.String(), want)
	}
}

// TestMissingVariables: without -fake, every missing variable is named,
// and nothing falls back to the fake.
func TestMissingVariables(t *testing.T) {
	t.Parallel()
	full := map[string]string{"VERIFICAR_API_USER": "u", "VERIFICAR_API_TOKEN": "t", "VERIFICAR_PHONE": "+34600000001",
		"VERIFICAR_WEBHOOK_USER": "w", "VERIFICAR_WEBHOOK_PASSWORD": "p"}
	without := func(names ...string) map[string]string {
		m := map[string]string{}
		for k, v := range full {
			m[k] = v
		}
		for _, n := range names {
			delete(m, n)
		}
		return m
	}
	for _, tt := range []struct {
		name    string
		args    []string
		env     map[string]string
		missing []string
	}{
		{"nothing set", nil, map[string]string{}, []string{"VERIFICAR_API_USER", "VERIFICAR_API_TOKEN", "VERIFICAR_PHONE"}},
		{"no phone", nil, without("VERIFICAR_PHONE"), []string{"VERIFICAR_PHONE"}},
		{"no token", nil, without("VERIFICAR_API_TOKEN"), []string{"VERIFICAR_API_TOKEN"}},
		{"listen without webhook credentials", []string{"-listen", "127.0.0.1:0"},
			without("VERIFICAR_WEBHOOK_USER", "VERIFICAR_WEBHOOK_PASSWORD"), []string{"VERIFICAR_WEBHOOK_USER", "VERIFICAR_WEBHOOK_PASSWORD"}},
	} {
		var out strings.Builder
		err := run(context.Background(), tt.args, getenv(tt.env), &out)
		require.Error(t, err, tt.name)
		for _, n := range tt.missing {
			assert.Contains(t, err.Error(), n, tt.name)
		}
		for _, n := range []string{"VERIFICAR_API_USER", "VERIFICAR_API_TOKEN", "VERIFICAR_PHONE", "VERIFICAR_WEBHOOK_USER"} {
			if !contains(tt.missing, n) {
				assert.NotContains(t, err.Error(), n+":", "%s: only the missing are named", tt.name)
			}
		}
		assert.Contains(t, err.Error(), "-fake")
		assert.NotContains(t, out.String(), "fake", "%s: never falls back to the fake", tt.name)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestEnvListed: every variable main.go reads is in env and in the
// command's doc comment, and the other way round.
func TestEnvListed(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("main.go")
	require.NoError(t, err)
	doc, _, _ := strings.Cut(string(src), "package main")
	read := map[string]bool{}
	for _, m := range regexp.MustCompile(`getenv\("([A-Z_]+)"\)`).FindAllStringSubmatch(string(src), -1) {
		read[m[1]] = true
	}
	listed := map[string]bool{}
	for _, e := range env {
		listed[e.name] = true
		assert.Contains(t, doc, e.name, "the doc comment lists %s", e.name)
	}
	assert.Equal(t, listed, read, "env lists exactly the variables main.go reads")
}
