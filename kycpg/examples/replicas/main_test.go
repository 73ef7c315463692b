package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc/kycpg/internal/pgtest"
)

// Three processes: `kyc fake` serves the five fakes, replica A verifies one
// person per vendor, and replica B, sharing only the PostgreSQL database
// (the harness's server) and the credentials, reads every Result back.
func TestTwoReplicasShareOnlyTheStore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs three processes")
	}
	dsn, stopDB, err := pgtest.URL()
	require.NoError(t, err)
	t.Cleanup(stopDB)
	bin := t.TempDir()
	for out, dir := range map[string]string{"kyc": "../../..", "replicas": "."} {
		pkg := "."
		if out == "kyc" {
			pkg = "./cmd/kyc" // in the SDK's module
		}
		build := exec.Command("go", "build", "-o", filepath.Join(bin, out), pkg)
		build.Dir, build.Stderr = dir, os.Stderr
		require.NoError(t, build.Run(), "go build %s", pkg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	fake := exec.CommandContext(ctx, filepath.Join(bin, "kyc"), "fake")
	stdout, err := fake.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, fake.Start())
	t.Cleanup(func() { _ = fake.Process.Signal(syscall.SIGINT); _ = fake.Wait() })
	env := os.Environ()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, "ready") {
			break
		}
		if k, _, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") && k != "" {
			env = append(env, line)
		}
	}
	go func() { // keep draining the fake's output
		for sc.Scan() {
		}
	}()

	schema := fmt.Sprintf("replicas_%d", os.Getpid())
	replica := func(args ...string) string {
		cmd := exec.CommandContext(ctx, filepath.Join(bin, "replicas"), append([]string{"-database", dsn, "-schema", schema}, args...)...)
		cmd.Env = env
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		require.NoError(t, cmd.Run(), "replicas %v: %s", args, errOut.String())
		return out.String()
	}
	refs := strings.Fields(replica("-role", "verify"))
	require.Len(t, refs, 5)
	got := replica(append([]string{"-role", "read"}, refs...)...)
	lines := strings.Split(strings.TrimSpace(got), "\n")
	require.Len(t, lines, 5, got)
	want := map[string]string{
		"atlas":     "approved  source=store",
		"advanceai": "pending   source=provider",
		"verificar": "pending   source=store",
		"ekycid":    "approved  source=provider",
		"incode":    "approved  source=provider",
	}
	for _, l := range lines {
		p, rest, _ := strings.Cut(l, " ")
		assert.Equal(t, want[p], strings.TrimSpace(rest), "replica B's Result for %s", p)
		delete(want, p)
	}
	assert.Empty(t, want, "every vendor answered")
	for _, ref := range refs {
		assert.NotContains(t, ref, ".", "a Reference carries no token: %s", ref)
	}
}
