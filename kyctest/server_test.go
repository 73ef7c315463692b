package kyctest

import (
	"bytes"
	"context"
	"image/jpeg"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMagicImage(t *testing.T) {
	t.Parallel()
	b := MagicImage("spoof", 100_000)
	assert.Equal(t, "spoof", ImageMarker(b))
	assert.GreaterOrEqual(t, len(b), 100_000)
	_, err := jpeg.Decode(bytes.NewReader(b))
	require.NoError(t, err, "a magic image is a real JPEG")
	assert.Empty(t, ImageMarker(MagicImage("", 0)))
}

func TestServerFaults(t *testing.T) {
	t.Parallel()
	var processed int
	srv := NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		processed++
		_, _ = io.WriteString(w, `{"ok":true,"padding":"0123456789"}`)
	}))
	defer srv.Close()
	get := func() (int, string, error) {
		resp, err := srv.Client().Post(srv.URL+"/v1/x?a=1", "application/json", nil) // POST: net/http does not resend it by itself
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), err
	}
	srv.Inject(Fault{Kind: FaultStatus, Status: 502, After: true})
	st, _, err := get()
	require.NoError(t, err)
	assert.Equal(t, 502, st)
	assert.Equal(t, 1, processed, "After runs the vendor logic")

	srv.Inject(Fault{Kind: FaultRateLimit, RetryAfter: "3"})
	st, _, _ = get()
	assert.Equal(t, 429, st)
	assert.Equal(t, 1, processed)

	srv.Inject(Fault{Kind: FaultDrop})
	_, _, err = get()
	assert.Error(t, err)

	srv.Inject(Fault{Kind: FaultTruncate})
	_, _, err = get()
	assert.Error(t, err, "a truncated body fails to read")

	srv.Inject(Fault{Kind: FaultMalformed})
	_, body, err := get()
	require.NoError(t, err)
	assert.Contains(t, body, "<html>")

	srv.Inject(Fault{Kind: FaultLatency, Latency: 50 * time.Millisecond})
	start := time.Now()
	st, _, _ = get()
	assert.Equal(t, 200, st)
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)

	assert.Equal(t, 6, srv.Count("/v1/x"))
	assert.Equal(t, "a=1", srv.Requests()[0].Query)
	assert.Equal(t, map[FaultKind]int{FaultStatus: 1, FaultRateLimit: 1, FaultDrop: 1, FaultTruncate: 1, FaultMalformed: 1, FaultLatency: 1}, srv.Injected())
}

func TestPostWebhook(t *testing.T) {
	t.Parallel()
	srv := NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, _ := r.BasicAuth()
		if u != "hook" || p != "pw" {
			w.WriteHeader(401)
		}
	}))
	defer srv.Close()
	st, err := PostWebhook(context.Background(), srv.Client(), srv.URL, "application/json", []byte(`{}`), "hook", "pw")
	require.NoError(t, err)
	assert.Equal(t, 200, st)
	st, _ = PostWebhook(context.Background(), srv.Client(), srv.URL, "application/json", []byte(`{}`), "hook", "bad")
	assert.Equal(t, 401, st)
}

func TestSendCounting(t *testing.T) {
	t.Parallel()
	srv := NewServer(http.NotFoundHandler())
	defer srv.Close()
	srv.CountSend("a")
	srv.CountSend("b")
	srv.CountSend("a")
	srv.CountSend("a")
	srv.CountSend("") // not counted
	assert.Equal(t, 3, srv.Sends("a"))
	assert.Equal(t, 1, srv.Sends("b"))
	assert.Zero(t, srv.Sends(""))
	assert.Equal(t, 2, srv.DuplicateSends())
	assert.Equal(t, []string{"a", "b"}, srv.SendKeys())
	srv.Reset()
	assert.Zero(t, srv.DuplicateSends())
}
