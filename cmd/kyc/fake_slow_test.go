//go:build slow

package main

// The tests that build the kyc binary and run it as a process: behind the
// build tag "slow", run by .ci/run (README "Development").

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
)

// buildKyc builds the command into a temporary directory.
func buildKyc(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the command with the go tool")
	}
	bin := filepath.Join(t.TempDir(), "kyc")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// startBinary runs `kyc fake args...` and returns its environment lines and
// a function that sends SIGINT and returns the exit code and stderr.
func startBinary(t *testing.T, bin string, args ...string) (map[string]string, func() (int, string)) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"fake"}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	env := readEnv(t, stdout)
	return env, func() (int, string) {
		stopped = true
		require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatal("kyc fake did not stop on SIGINT")
		}
		return cmd.ProcessState.ExitCode(), stderr.String()
	}
}

// TestFakeSmoke runs the built command, reaches each fake with plain
// net/http (no SDK), and stops it with SIGINT.
func TestFakeSmoke(t *testing.T) {
	t.Parallel()
	bin := buildKyc(t)
	env, stop := startBinary(t, bin)
	hc := &http.Client{Timeout: 10 * time.Second}
	for _, k := range []string{"ATLAS_BASE_URL", "INCODE_BASE_URL", "ADVANCEAI_BASE_URL", "EKYC_BASE_URL", "VERIFICAR_BASE_URL"} {
		require.True(t, strings.HasPrefix(env[k], "http://127.0.0.1:"), "%s=%s", k, env[k])
	}
	call := func(method, u string, body io.Reader, hdr map[string]string) (int, string) {
		req, err := http.NewRequest(method, u, body)
		require.NoError(t, err)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := hc.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	t.Run("verificar credit query", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, env["VERIFICAR_BASE_URL"]+"/GetCreditos", strings.NewReader("Resp=JSON"))
		req.SetBasicAuth(env["VERIFICAR_API_USER"], env["VERIFICAR_API_TOKEN"])
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := hc.Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, 200, resp.StatusCode)
		assert.Contains(t, string(b), `"Cred":100`)
	})
	t.Run("advanceai token exchange", func(t *testing.T) {
		ts := time.Now().UnixMilli()
		sum := sha256.Sum256([]byte(env["ADVANCEAI_ACCESS_KEY"] + env["ADVANCEAI_SECRET_KEY"] + fmt.Sprint(ts)))
		body, _ := json.Marshal(map[string]any{"accessKey": env["ADVANCEAI_ACCESS_KEY"], "signature": hex.EncodeToString(sum[:]), "timestamp": ts})
		code, out := call(http.MethodPost, env["ADVANCEAI_BASE_URL"]+advanceai.PathGenerateToken, bytes.NewReader(body), map[string]string{"Content-Type": "application/json"})
		assert.Equal(t, 200, code)
		assert.Contains(t, out, `"code":"SUCCESS"`)
		assert.Contains(t, out, "token")
	})
	t.Run("incode executive log-in", func(t *testing.T) {
		body, _ := json.Marshal(map[string]string{"email": env["INCODE_EXECUTIVE_EMAIL"], "password": env["INCODE_EXECUTIVE_PASSWORD"]})
		code, out := call(http.MethodPost, env["INCODE_BASE_URL"]+"/executive/log-in", bytes.NewReader(body),
			map[string]string{"Content-Type": "application/json", "x-api-key": env["INCODE_API_KEY"], "api-version": "1.0"})
		assert.Equal(t, 200, code, out)
		assert.Contains(t, out, "token")
	})
	t.Run("ekycid refuses a wrong key", func(t *testing.T) {
		code, out := call(http.MethodGet, env["EKYC_BASE_URL"]+"/v0/api-request-reply/1", nil, map[string]string{"x-api-key": "wrong"})
		assert.Equal(t, 401, code, out)
		code, _ = call(http.MethodGet, env["EKYC_BASE_URL"]+"/v0/api-request-reply/1", nil, map[string]string{"x-api-key": env["EKYC_API_KEY"]})
		assert.NotEqual(t, 401, code, "the fake's key is accepted")
	})
	t.Run("atlas refuses an unsigned call", func(t *testing.T) {
		code, out := call(http.MethodPost, env["ATLAS_BASE_URL"]+"/verify/pan?pan_number=ABCDE1234F", nil, nil)
		assert.Equal(t, 401, code, out)
	})
	t.Run("advanceai links point at the served address", func(t *testing.T) {
		c, err := advanceai.New(advanceai.Config{AccessKey: env["ADVANCEAI_ACCESS_KEY"], SecretKey: kyc.NewSecret(env["ADVANCEAI_SECRET_KEY"])},
			kyc.WithBaseURL(env["ADVANCEAI_BASE_URL"]))
		require.NoError(t, err)
		defer c.Close()
		res, err := c.Verify(context.Background(), kyc.Request{ID: "smoke", Country: "IDN", Link: kyc.LinkOptions{ReturnURL: "https://example.com/done"}})
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(res.Link.URL, env["ADVANCEAI_BASE_URL"]+"/"), res.Link.URL)
		code, _ := call(http.MethodGet, res.Link.URL, nil, nil)
		assert.Equal(t, 200, code, "the person opens the link")
	})

	code, stderr := stop()
	assert.Equal(t, 0, code, "clean exit on SIGINT: %s", stderr)
	assert.Contains(t, stderr, "kyc fake: stopped")
	_, err := hc.Get(env["VERIFICAR_BASE_URL"] + "/GetCreditos")
	assert.Error(t, err, "nothing listens after the stop")
}

// TestFakeTLS: with -tls, the printed CA file makes the fakes reachable
// over HTTPS, and it is removed on exit.
func TestFakeTLS(t *testing.T) {
	t.Parallel()
	bin := buildKyc(t)
	env, stop := startBinary(t, bin, "-tls")
	ca := env["KYC_FAKE_CA_FILE"]
	require.NotEmpty(t, ca)
	pemCA, err := os.ReadFile(ca)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(pemCA))
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	u, err := url.Parse(env["VERIFICAR_BASE_URL"])
	require.NoError(t, err)
	require.Equal(t, "https", u.Scheme)
	req, _ := http.NewRequest(http.MethodPost, u.String()+"/GetCreditos", strings.NewReader("Resp=JSON"))
	req.SetBasicAuth(env["VERIFICAR_API_USER"], env["VERIFICAR_API_TOKEN"])
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)

	// kyc check trusts it with -cacert.
	code, out, _ := runCmd(t, env, "check", "-cacert", ca)
	assert.Equal(t, exitUncheckable, code, out)
	assert.Regexp(t, `(?m)^verificar +ok`, out)

	code, stderr := stop()
	assert.Equal(t, 0, code, stderr)
	_, err = os.Stat(ca)
	assert.True(t, os.IsNotExist(err), "the temporary CA file is removed on exit")
}
