package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckNothingConfigured(t *testing.T) {
	t.Parallel()
	code, out, errOut := runCmd(t, nil, "check")
	assert.Equal(t, exitNone, code, "no credentials: non-zero")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 5, out)
	for i, p := range []string{"atlas", "incode", "advanceai", "ekycid", "verificar"} {
		assert.Regexp(t, "^"+p+` +not configured \(`, lines[i])
	}
	assert.Contains(t, errOut, "no vendor is configured")
}

func TestCheckAgainstKycFake(t *testing.T) {
	t.Parallel()
	env := startFake(t)

	t.Run("free checks pass", func(t *testing.T) {
		t.Parallel()
		code, out, _ := runCmd(t, env, "check")
		assert.Equal(t, exitUncheckable, code, out)
		assert.Regexp(t, `(?m)^incode +ok: executive log-in`, out)
		assert.Regexp(t, `(?m)^advanceai +ok: token exchange`, out)
		assert.Regexp(t, `(?m)^verificar +ok: credit query .*100 credits`, out)
		assert.Regexp(t, `(?m)^atlas +cannot check for free`, out)
		assert.Regexp(t, `(?m)^ekycid +cannot check for free`, out)
		for k, v := range env {
			if strings.Contains(k, "SECRET") || strings.Contains(k, "TOKEN") || strings.Contains(k, "PASSWORD") || strings.Contains(k, "KEY") {
				assert.NotContains(t, out, v, "%s printed", k)
			}
		}
		code, _, _ = runCmd(t, env, "check", "-allow-unchecked")
		assert.Equal(t, exitOK, code)
	})
	t.Run("only the free vendors: exit 0", func(t *testing.T) {
		t.Parallel()
		e := clone(env)
		delete(e, "ATLAS_KEY_ID")
		delete(e, "ATLAS_KEY_SECRET")
		delete(e, "EKYC_API_KEY")
		code, out, _ := runCmd(t, e, "check")
		assert.Equal(t, exitOK, code, out)
	})
	t.Run("wrong credentials fail, without the secret", func(t *testing.T) {
		t.Parallel()
		e := clone(env)
		e["VERIFICAR_API_TOKEN"] = "wrong-token-value"
		e["ADVANCEAI_SECRET_KEY"] = "wrong-secret-value"
		e["INCODE_EXECUTIVE_PASSWORD"] = "wrong-password-value"
		code, out, _ := runCmd(t, e, "check")
		assert.Equal(t, exitFailed, code, out)
		assert.Regexp(t, `(?m)^verificar +failed: unauthorized`, out)
		assert.Regexp(t, `(?m)^advanceai +failed: unauthorized`, out)
		assert.Regexp(t, `(?m)^incode +failed: unauthorized`, out)
		assert.NotContains(t, out, "wrong-")
	})
	t.Run("a key without its secret names the variable", func(t *testing.T) {
		t.Parallel()
		code, out, _ := runCmd(t, map[string]string{"ADVANCEAI_ACCESS_KEY": "k", "ADVANCEAI_BASE_URL": env["ADVANCEAI_BASE_URL"]}, "check")
		assert.Equal(t, exitFailed, code)
		assert.Regexp(t, `(?m)^advanceai +failed: invalid request: ADVANCEAI_SECRET_KEY`, out)
	})
	t.Run("incode without executive credentials cannot be checked", func(t *testing.T) {
		t.Parallel()
		code, out, _ := runCmd(t, map[string]string{"INCODE_API_KEY": env["INCODE_API_KEY"], "INCODE_BASE_URL": env["INCODE_BASE_URL"]}, "check")
		assert.Equal(t, exitUncheckable, code)
		assert.Regexp(t, `(?m)^incode +cannot check for free: .*INCODE_EXECUTIVE_EMAIL`, out)
	})
}

// TestCheckNeverSpends: Atlas and EKYC are configured, and get no request.
func TestCheckNeverSpends(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusTeapot)
	}))
	defer srv.Close()
	code, out, _ := runCmd(t, map[string]string{
		"ATLAS_KEY_ID": "abeb3372fa4eaf530", "ATLAS_KEY_SECRET": "s", "ATLAS_BASE_URL": srv.URL,
		"EKYC_API_KEY": "k", "EKYC_BASE_URL": srv.URL,
	}, "check")
	assert.Equal(t, exitUncheckable, code, out)
	assert.Zero(t, hits.Load(), "no request reached the vendors without a free call")
}

func TestCheckUsage(t *testing.T) {
	t.Parallel()
	code, _, _ := runCmd(t, nil, "check", "-nope")
	assert.Equal(t, exitUsage, code)
	code, _, _ = runCmd(t, nil, "check", "extra")
	assert.Equal(t, exitUsage, code)
	code, _, errOut := runCmd(t, nil, "check", "-h")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, errOut, "-allow-unchecked")
}

func clone(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
