package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// readEnv reads kyc fake's output up to its ready line and returns the
// KEY=VALUE lines; the rest of r is drained in the background.
func readEnv(t *testing.T, r io.Reader) map[string]string {
	t.Helper()
	env := map[string]string{}
	done := make(chan error, 1)
	sc := bufio.NewScanner(r)
	go func() {
		for sc.Scan() {
			line := sc.Text()
			if line == "# kyc fake: ready" {
				done <- nil
				for sc.Scan() { // drain
				}
				return
			}
			if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
				env[k] = v
			}
		}
		done <- io.ErrUnexpectedEOF
	}()
	select {
	case err := <-done:
		require.NoError(t, err, "kyc fake printed no ready line")
	case <-time.After(30 * time.Second):
		t.Fatal("kyc fake did not get ready")
	}
	return env
}

// startFake runs kyc fake in this process until the test ends.
func startFake(t *testing.T, args ...string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr syncBuffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, append([]string{"fake"}, args...), func(string) string { return "" }, pw, &stderr)
		_ = pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case c := <-code:
			if c != exitOK {
				t.Errorf("kyc fake exited %d: %s", c, stderr.String())
			}
		case <-time.After(10 * time.Second):
			t.Error("kyc fake did not stop")
		}
	})
	return readEnv(t, pr)
}

// getenvFrom returns a getenv over env only: nothing from the real
// environment leaks into a test.
func getenvFrom(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// runCmd runs the command in this process and returns its exit code and
// output.
func runCmd(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := run(ctx, args, getenvFrom(env), &out, &errOut)
	return code, out.String(), errOut.String()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
