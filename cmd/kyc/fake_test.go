package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFakeUsage(t *testing.T) {
	t.Parallel()
	code, _, errOut := runCmd(t, nil, "fake", "-listen", "nonsense")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "-listen")
	code, out, _ := runCmd(t, nil, "-h")
	assert.Equal(t, exitOK, code)
	for _, sub := range []string{"kyc fake", "kyc webhook", "kyc check", "Exit codes"} {
		assert.Contains(t, out, sub)
	}
	code, _, _ = runCmd(t, nil)
	assert.Equal(t, exitUsage, code)
	code, _, _ = runCmd(t, nil, "frobnicate")
	assert.Equal(t, exitUsage, code)
}

// TestFakeEnvFile: -env writes the lines for docker compose.
func TestFakeEnvFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "kyc.env")
	env := startFake(t, "-env", path)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(b), "VERIFICAR_BASE_URL="+env["VERIFICAR_BASE_URL"]+"\n")
}
