package main

import (
	"net"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWebhookRefusesPlainHTTPOffLoopback: the webhook's credentials
// (Basic, Bearer) must not go in clear to another host by default.
func TestWebhookRefusesPlainHTTPOffLoopback(t *testing.T) {
	t.Parallel()
	env := map[string]string{"VERIFICAR_WEBHOOK_USER": "u", "VERIFICAR_WEBHOOK_PASSWORD": "p", "INCODE_WEBHOOK_TOKEN": "t"}
	for _, tc := range []struct{ name, url string }{
		{"host name", "http://hooks.example.com/webhooks/verificar"},
		{"IPv4", "http://192.0.2.10:8080/webhooks/verificar"},
		{"IPv6", "http://[2001:db8::1]/webhooks/verificar"},
		{"unspecified", "http://0.0.0.0:8080/webhooks/verificar"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, args := range [][]string{
				{"webhook", "-provider", "verificar", "-state", "5100", "-id", "42", "-url", tc.url},
				{"webhook", "-provider", "incode", "-status", "ONBOARDING_FINISHED", "-interview", "i1", "-url", tc.url},
			} {
				code, out, errOut := runCmd(t, env, args...)
				assert.Equal(t, exitUsage, code, out)
				assert.Contains(t, errOut, "in clear")
				assert.Contains(t, errOut, "-insecure-plain-http")
				assert.NotContains(t, errOut+out, "HTTP 2", "nothing was sent")
			}
		})
	}
	// The flag lifts the refusal: the next check (the provider) answers.
	code, _, errOut := runCmd(t, env, "webhook", "-provider", "nobody", "-insecure-plain-http", "-url", "http://hooks.example.com/")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "-provider must be")
	assert.NotContains(t, errOut, "in clear")
	// Loopback and https are not refused.
	for _, u := range []string{"http://127.0.0.1:1/", "http://[::1]:1/", "http://localhost:1/", "https://hooks.example.com/"} {
		code, _, errOut := runCmd(t, env, "webhook", "-provider", "nobody", "-url", u)
		assert.Equal(t, exitUsage, code, u)
		assert.Contains(t, errOut, "-provider must be", u)
	}
}

// TestFakeRefusesNonLoopbackListen: kyc fake must not serve published
// credentials on every interface while it prints loopback URLs.
func TestFakeRefusesNonLoopbackListen(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.10:0"} {
		code, out, errOut := runCmd(t, nil, "fake", "-listen", addr)
		assert.Equal(t, exitUsage, code, addr)
		assert.Empty(t, out, addr)
		assert.Contains(t, errOut, "loopback only", addr)
	}
}

// TestCheckPrintsTheCause: an untrusted certificate and a refused
// connection both fail as "provider unavailable"; the line says which.
func TestCheckPrintsTheCause(t *testing.T) {
	t.Parallel()
	env := startFake(t, "-tls")
	code, out, _ := runCmd(t, env, "check") // no -ca-file: the fake's CA is not trusted
	assert.Equal(t, exitFailed, code, out)
	assert.Regexp(t, `(?m)^verificar +failed: provider unavailable: .*TLS`, out)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "https://" + ln.Addr().String()
	require.NoError(t, ln.Close())
	e := clone(env)
	for k := range e {
		if strings.HasSuffix(k, "_BASE_URL") {
			e[k] = closed
		}
	}
	code, out, _ = runCmd(t, e, "check", "-ca-file", env["KYC_FAKE_CA_FILE"])
	assert.Equal(t, exitFailed, code, out)
	assert.Regexp(t, `(?m)^verificar +failed: provider unavailable.*refused`, out)
	assert.NotRegexp(t, `(?m)^verificar .*TLS`, out)
}

// TestOneCAFileFlag: -ca-file in every subcommand; -cacert still works
// in kyc webhook and kyc check, and is not shown.
func TestOneCAFileFlag(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"fake", "webhook", "check"} {
		code, _, errOut := runCmd(t, nil, cmd, "-h")
		assert.Equal(t, exitOK, code, cmd)
		assert.Contains(t, errOut, "-ca-file", cmd)
		assert.NotContains(t, errOut, "-cacert", cmd)
	}
	for _, name := range []string{"-ca-file", "-cacert"} {
		code, _, errOut := runCmd(t, nil, "check", name, "/nonexistent/ca.pem")
		assert.Equal(t, exitUsage, code, name)
		assert.Contains(t, errOut, "-ca-file:", name)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	code, out, _ := runCmd(t, nil, "version")
	require.Equal(t, exitOK, code)
	assert.Regexp(t, `^kyc \S+ go\S+\n$`, out)
	assert.Contains(t, out, runtime.Version())

	for _, tc := range []struct {
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{&debug.BuildInfo{GoVersion: "go1.24.1", Main: debug.Module{Path: "github.com/kyc-go/kyc", Version: "v1.2.3"}}, true, "kyc v1.2.3 go1.24.1"},
		{&debug.BuildInfo{GoVersion: "go1.24.1", Main: debug.Module{Path: "github.com/kyc-go/kyc", Version: "(devel)"}}, true, "kyc (devel) go1.24.1"},
		{&debug.BuildInfo{GoVersion: "go1.24.1"}, true, "kyc (devel) go1.24.1"},
		{nil, false, "kyc (devel) " + runtime.Version()},
	} {
		assert.Equal(t, tc.want, versionLine(tc.bi, tc.ok))
	}
}
