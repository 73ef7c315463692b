package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
)

// startSession starts an Incode session at kyc fake and returns the
// client that reads it back and its Reference.
func startSession(t *testing.T, env map[string]string) (*incode.Client, string, string) {
	t.Helper()
	c, err := incode.New(incode.Config{APIKey: kyc.NewSecret(env["INCODE_API_KEY"]),
		ExecutiveEmail: env["INCODE_EXECUTIVE_EMAIL"], ExecutivePassword: kyc.NewSecret(env["INCODE_EXECUTIVE_PASSWORD"])},
		kyc.WithBaseURL(env["INCODE_BASE_URL"]))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	s, err := c.StartSession(context.Background(), incode.StartRequest{ExternalCustomerID: "kyc-erase-test"})
	require.NoError(t, err)
	return c, s.Reference(), s.InterviewID
}

func TestEraseAgainstKycFake(t *testing.T) {
	t.Parallel()
	env := startFake(t)

	t.Run("incode erases, and again", func(t *testing.T) {
		t.Parallel()
		c, ref, id := startSession(t, env)
		code, out, errOut := runCmd(t, env, "erase", ref)
		require.Equal(t, exitOK, code, out+errOut)
		assert.Regexp(t, `^incode +erased at the vendor: incode:\[id, 24 bytes\]\n$`, out)
		assert.NotContains(t, out+errOut, id, "the reference's id is not printed")
		_, err := c.Result(context.Background(), ref)
		assert.Error(t, err, "the fake forgot the session")

		code, out, _ = runCmd(t, env, "erase", ref)
		assert.Equal(t, exitOK, code, out)
	})
	t.Run("vendors without a deletion API", func(t *testing.T) {
		t.Parallel()
		for _, ref := range []string{"atlas:ABCDEFGHIJ0123456789ab", "advanceai:a1b2c3", "ekycid:a1b2c3", "verificar:299846332"} {
			code, out, _ := runCmd(t, env, "erase", ref)
			assert.Equal(t, exitUnsupported, code, out)
			p, _, _ := strings.Cut(ref, ":")
			assert.Regexp(t, `^`+p+` +cannot erase at the vendor: .*no retention period.*https://`, out)
		}
	})
	t.Run("incode without executive credentials", func(t *testing.T) {
		t.Parallel()
		e := clone(env)
		delete(e, "INCODE_EXECUTIVE_EMAIL")
		delete(e, "INCODE_EXECUTIVE_PASSWORD")
		code, out, _ := runCmd(t, e, "erase", "incode:6595c84ce69d469f69ad39fb")
		assert.Equal(t, exitFailed, code, out)
		assert.Regexp(t, `^incode +failed: invalid request: INCODE_EXECUTIVE_EMAIL: `, out)
	})
	t.Run("wrong API key: failed, without the secret", func(t *testing.T) {
		t.Parallel()
		e := clone(env)
		e["INCODE_API_KEY"] = "wrong-api-key-value"
		code, out, errOut := runCmd(t, e, "erase", "incode:6595c84ce69d469f69ad39fb")
		assert.Equal(t, exitFailed, code, out)
		assert.Regexp(t, `^incode +failed: unauthorized`, out)
		for _, v := range []string{"wrong-api-key-value", e["INCODE_EXECUTIVE_PASSWORD"]} {
			assert.NotContains(t, out+errOut, v)
		}
	})
	t.Run("an old reference's token is not printed", func(t *testing.T) {
		t.Parallel()
		const tok = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"
		code, out, errOut := runCmd(t, env, "erase", "incode:6595c84ce69d469f69ad39fb."+tok)
		assert.Equal(t, exitOK, code, out+errOut)
		assert.NotContains(t, out+errOut, tok)
		assert.NotContains(t, out+errOut, "c2ln")
	})
}

func TestEraseUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		out  string // a pattern of stdout+stderr
	}{
		{"no reference", nil, []string{"erase"}, exitUsage, "give one reference"},
		{"two references", nil, []string{"erase", "incode:a", "incode:b"}, exitUsage, "give one reference"},
		{"malformed", nil, []string{"erase", "secret-looking-value"}, exitUsage, "not a reference"},
		{"unknown provider", nil, []string{"erase", "zzz:secret-looking-value"}, exitUsage, `zzz:\[id, 20 bytes\]: no such provider`},
		{"bad flag", nil, []string{"erase", "-nope", "incode:a"}, exitUsage, "flag provided but not defined"},
		{"help", nil, []string{"erase", "-h"}, exitOK, "Usage: kyc erase"},
		{"not configured", nil, []string{"erase", "verificar:299846332"}, exitNone, `^verificar +not configured \(VERIFICAR_API_USER, VERIFICAR_API_TOKEN\)`},
		{"missing CA file", map[string]string{"VERIFICAR_API_USER": "u", "VERIFICAR_API_TOKEN": "t"},
			[]string{"erase", "-ca-file", "/nonexistent/ca.pem", "verificar:299846332"}, exitUsage, "-ca-file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCmd(t, tt.env, tt.args...)
			assert.Equal(t, tt.code, code, out+errOut)
			assert.Regexp(t, tt.out, out+errOut)
			assert.NotContains(t, out+errOut, "secret-looking-value", "the argument is not echoed")
		})
	}
}
