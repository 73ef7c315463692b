//go:build slow

package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/verificar"
)

// lines collects a process's output lines as they come.
type lines struct {
	mu  sync.Mutex
	got []string
	new chan struct{}
}

func collect(r io.Reader) *lines {
	l := &lines{new: make(chan struct{}, 1)}
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			l.mu.Lock()
			l.got = append(l.got, sc.Text())
			l.mu.Unlock()
			select {
			case l.new <- struct{}{}:
			default:
			}
		}
	}()
	return l
}

// wait returns the first line containing all of parts, failing the test
// after a while.
func (l *lines) wait(t *testing.T, parts ...string) string {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		l.mu.Lock()
		for _, line := range l.got {
			ok := true
			for _, p := range parts {
				ok = ok && strings.Contains(line, p)
			}
			if ok {
				l.mu.Unlock()
				return line
			}
		}
		got := strings.Join(l.got, "\n")
		l.mu.Unlock()
		select {
		case <-l.new:
		case <-deadline:
			t.Fatalf("no line with %q in:\n%s", parts, got)
		}
	}
}

// TestKycWebhookReachesListen is the README's Tools recipe, as processes:
// `kyc fake` serves the vendors, this example serves webhooks with -listen,
// and `kyc webhook` delivers a Verificar 5100 and an Incode
// ONBOARDING_FINISHED to it. The example's vendor-free handler sees both,
// correlated with the References Verify returned, the Incode one confirmed
// by reading the session back.
func TestKycWebhookReachesListen(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs three processes")
	}
	t.Parallel()
	bin := t.TempDir()
	for pkg, out := range map[string]string{"../../cmd/kyc": "kyc", ".": "webhooks"} {
		b, err := exec.Command("go", "build", "-o", filepath.Join(bin, out), pkg).CombinedOutput()
		require.NoError(t, err, "go build %s: %s", pkg, b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	fake := exec.CommandContext(ctx, filepath.Join(bin, "kyc"), "fake")
	fakeOut, err := fake.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, fake.Start())
	t.Cleanup(func() { _ = fake.Process.Signal(syscall.SIGINT); _ = fake.Wait() })
	fl := collect(fakeOut)
	fl.wait(t, "kyc fake: ready")
	env := map[string]string{}
	fl.mu.Lock()
	for _, line := range fl.got {
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			env[k] = v
		}
	}
	fl.mu.Unlock()

	// The application verifies one person with each vendor, at the fakes.
	inc, err := incode.New(incode.Config{APIKey: kyc.NewSecret(env["INCODE_API_KEY"])}, kyc.WithBaseURL(env["INCODE_BASE_URL"]))
	require.NoError(t, err)
	img := func(size int) *kyc.Image { im, _ := kyc.ImageFromBytes(kyctest.MagicImage("", size)); return im }
	incRes, err := inc.Verify(ctx, kyc.Request{Country: "MEX", Selfie: img(0), Document: kyc.Document{Front: img(1000), Back: img(1200)}})
	require.NoError(t, err)
	ver, err := verificar.New(verificar.Config{APIUser: env["VERIFICAR_API_USER"], APIToken: kyc.NewSecret(env["VERIFICAR_API_TOKEN"])},
		kyc.WithBaseURL(env["VERIFICAR_BASE_URL"]))
	require.NoError(t, err)
	verRes, err := ver.Verify(ctx, kyc.Request{Country: "ESP", Person: kyc.Person{Phone: "+34600000001"}})
	require.NoError(t, err)

	hookEnv := append(os.Environ(),
		"VERIFICAR_API_USER="+env["VERIFICAR_API_USER"], "VERIFICAR_API_TOKEN="+env["VERIFICAR_API_TOKEN"],
		"VERIFICAR_BASE_URL="+env["VERIFICAR_BASE_URL"], "VERIFICAR_WEBHOOK_USER=hooks", "VERIFICAR_WEBHOOK_PASSWORD=pw",
		"INCODE_API_KEY="+env["INCODE_API_KEY"], "INCODE_BASE_URL="+env["INCODE_BASE_URL"], "INCODE_WEBHOOK_TOKEN=tok",
		"INCODE_EXECUTIVE_EMAIL="+env["INCODE_EXECUTIVE_EMAIL"], "INCODE_EXECUTIVE_PASSWORD="+env["INCODE_EXECUTIVE_PASSWORD"])
	hooks := exec.CommandContext(ctx, filepath.Join(bin, "webhooks"), "-listen", "127.0.0.1:0")
	hooks.Env = hookEnv
	hooksOut, err := hooks.StdoutPipe()
	require.NoError(t, err)
	hooks.Stderr = os.Stderr
	require.NoError(t, hooks.Start())
	t.Cleanup(func() { _ = hooks.Process.Signal(syscall.SIGINT); _ = hooks.Wait() })
	hl := collect(hooksOut)
	serving := hl.wait(t, "serving webhooks on")
	addr := strings.Fields(strings.TrimPrefix(serving, "serving webhooks on "))[0]

	send := func(args ...string) {
		cmd := exec.CommandContext(ctx, filepath.Join(bin, "kyc"), append([]string{"webhook"}, args...)...)
		cmd.Env = append(os.Environ(), "VERIFICAR_WEBHOOK_USER=hooks", "VERIFICAR_WEBHOOK_PASSWORD=pw", "INCODE_WEBHOOK_TOKEN=tok")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "kyc webhook %v: %s", args, out)
		assert.Contains(t, string(out), "HTTP 200")
	}
	send("-provider", "verificar", "-state", "5100", "-id", strings.TrimPrefix(verRes.Reference, "verificar:"), "-url", "http://"+addr+"/webhooks/verificar")
	send("-provider", "incode", "-status", "ONBOARDING_FINISHED", "-interview", strings.TrimPrefix(incRes.Reference, "incode:"), "-url", "http://"+addr+"/webhooks/incode")

	hl.wait(t, "event verificar", "ref="+verRes.Reference, "type=5100", "authenticated=true", "status=approved")
	hl.wait(t, "event incode", "ref="+incRes.Reference, "type=ONBOARDING_FINISHED", "confirmed=true", "status=approved")
}
