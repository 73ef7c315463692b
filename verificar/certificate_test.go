package verificar

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// trickle serves a PDF that arrives one byte per every, total bytes after
// the header (0: forever), or, with every 0, stops after the header and
// holds the connection. Headers wait first.
func trickle(t *testing.T, first, every time.Duration, total int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so that the server sees the client leave
		select {
		case <-time.After(first):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte("%PDF-1.4\n"))
		w.(http.Flusher).Flush()
		for i := 0; total == 0 || i < total; i++ {
			wait := every
			if every == 0 {
				wait = time.Hour
			}
			select {
			case <-time.After(wait):
			case <-r.Context().Done():
				return
			}
			_, _ = w.Write([]byte("x"))
			w.(http.Flusher).Flush()
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestCertificateBounded: a certificate that trickles in, stalls, or never
// starts ends within the documented bound, under context.Background().
func TestCertificateBounded(t *testing.T) {
	t.Parallel()
	const slack = 750 * time.Millisecond // scheduling under -race
	tests := []struct {
		name  string
		cfg   Config
		opts  []kyc.Option
		first time.Duration
		every time.Duration
		total int
		bound time.Duration
		msg   string // in the error's message; "" for success
		want  string // what w received on success
	}{
		{"trickle, WithTimeout(1s) bounds the whole download", Config{}, []kyc.Option{kyc.WithTimeout(time.Second)},
			0, 100 * time.Millisecond, 0, time.Second, "Config.CertificateTimeout", ""},
		{"trickle, Config.CertificateTimeout bounds it with unbounded attempts", Config{CertificateTimeout: 400 * time.Millisecond},
			[]kyc.Option{kyc.WithTimeout(0)}, 0, 50 * time.Millisecond, 0, 400 * time.Millisecond, "Config.CertificateTimeout", ""},
		{"stall after the first bytes", Config{CertificateStallTimeout: 200 * time.Millisecond}, nil,
			0, 0, 0, 200 * time.Millisecond, "Config.CertificateStallTimeout", ""},
		{"stall with unbounded attempts", Config{CertificateStallTimeout: 200 * time.Millisecond}, []kyc.Option{kyc.WithTimeout(0)},
			0, 0, 0, 200 * time.Millisecond, "Config.CertificateStallTimeout", ""},
		{"headers never come", Config{}, []kyc.Option{kyc.WithTimeout(300 * time.Millisecond)},
			time.Hour, 0, 0, 300 * time.Millisecond, "Config.CertificateTimeout", ""},
		{"slow but steady completes", Config{CertificateStallTimeout: 300 * time.Millisecond}, []kyc.Option{kyc.WithTimeout(5 * time.Second)},
			0, 30 * time.Millisecond, 10, 5 * time.Second, "", "%PDF-1.4\nxxxxxxxxxx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := trickle(t, tt.first, tt.every, tt.total)
			cfg := tt.cfg
			cfg.APIUser, cfg.APIToken = "user", kyc.NewSecret("tok3n")
			c, err := New(cfg, append([]kyc.Option{kyc.WithBaseURL(srv.URL)}, tt.opts...)...)
			require.NoError(t, err)
			var out strings.Builder
			start := time.Now()
			err = c.Certificate(context.Background(), "1283876988", &out)
			elapsed := time.Since(start)
			t.Logf("%s: %v after %s", tt.name, err, elapsed.Round(time.Millisecond))
			assert.Less(t, elapsed, tt.bound+slack, "ends within the documented bound")
			if tt.msg == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, out.String())
				return
			}
			assert.GreaterOrEqual(t, elapsed, tt.bound-50*time.Millisecond, "not before the bound")
			assert.ErrorIs(t, err, kyc.ErrTimeout)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Contains(t, kerr.Message, tt.msg)
			assert.Equal(t, "verificar.Certificate", kerr.Op)
			assert.True(t, kerr.MayHaveBeenSent())
		})
	}
}

// TestCertificateCallerContext: the caller's context still ends a download
// first when it is shorter, and the error says so.
func TestCertificateCallerContext(t *testing.T) {
	t.Parallel()
	srv := trickle(t, 0, 50*time.Millisecond, 0)
	c, err := New(Config{APIUser: "user", APIToken: kyc.NewSecret("tok3n")}, kyc.WithBaseURL(srv.URL))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = c.Certificate(ctx, "1", &strings.Builder{})
	assert.Less(t, time.Since(start), time.Second)
	assert.ErrorIs(t, err, kyc.ErrTimeout)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.Contains(t, kerr.Message, "context")
}
