package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// The personal data an Atlas-like request carries in its query and path.
var personal = url.Values{
	"aadhaar_number": {"123412341234"},
	"acc_number":     {"000123456789"},
	"ifsc":           {"SBIN0001234"},
	"name_1_match":   {"Maria Garcia"},
	"pan":            {"ABCDE1234F"},
}

var personalTexts = []string{"123412341234", "000123456789", "SBIN0001234", "Maria", "Garcia", "ABCDE1234F",
	"aadhaar_number", "acc_number", "name_1_match", "?"}

// TestCausesAreSanitized walks every level of the Unwrap tree of the
// errors of a request whose query and path hold personal data, under every
// transport failure: no level's text holds any of it, while errors.Is and
// errors.As still find the causes.
func TestCausesAreSanitized(t *testing.T) {
	t.Parallel()
	slow := func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
			panic(http.ErrAbortHandler) // the client went: answer nothing (a 200 here could race its deadline)
		case <-time.After(5 * time.Second):
		}
	}
	tests := []struct {
		name  string
		setup func(t *testing.T) (base string, opts []kyc.Option, ctx context.Context)
		check func(t *testing.T, err error)
	}{
		{"connection refused", func(t *testing.T) (string, []kyc.Option, context.Context) {
			var dials atomic.Int32
			return "http://127.0.0.1:9", []kyc.Option{kyc.WithHTTPClient(refusingClient(t, &dials))}, context.Background()
		}, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, syscall.ECONNREFUSED)
			var op *net.OpError
			assert.ErrorAs(t, err, &op)
		}},
		{"reset after write", func(t *testing.T) (string, []kyc.Option, context.Context) {
			var n atomic.Int32
			srv := httptest.NewServer(hijackAfterRead(&n))
			t.Cleanup(srv.Close)
			return srv.URL, nil, context.Background()
		}, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, syscall.ECONNRESET)
		}},
		{"attempt timeout", func(t *testing.T) (string, []kyc.Option, context.Context) {
			srv := httptest.NewServer(http.HandlerFunc(slow))
			t.Cleanup(srv.Close)
			return srv.URL, []kyc.Option{kyc.WithTimeout(100 * time.Millisecond)}, context.Background()
		}, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, kyc.ErrTimeout)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			var ne net.Error
			require.ErrorAs(t, err, &ne)
			assert.True(t, ne.Timeout())
		}},
		{"cancel", func(t *testing.T) (string, []kyc.Option, context.Context) {
			srv := httptest.NewServer(http.HandlerFunc(slow))
			t.Cleanup(srv.Close)
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			t.Cleanup(cancel)
			return srv.URL, nil, ctx
		}, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, context.Canceled)
			assert.False(t, kyc.IsRetryable(err))
		}},
		{"TLS failure", func(t *testing.T) (string, []kyc.Option, context.Context) {
			srv := httptest.NewTLSServer(http.HandlerFunc(slow)) // its certificate is not trusted by the default transport
			t.Cleanup(srv.Close)
			return srv.URL, nil, context.Background()
		}, func(t *testing.T, err error) {
			var cert *tls.CertificateVerificationError
			assert.ErrorAs(t, err, &cert)
		}},
		{"truncated body", func(t *testing.T) (string, []kyc.Option, context.Context) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "100")
				_, _ = io.WriteString(w, "{")
			}))
			t.Cleanup(srv.Close)
			return srv.URL, nil, context.Background()
		}, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		}},
	}
	templates := map[string]struct {
		path   string
		params []string
	}{
		"declared template": {"/v1/accounts/{id}/verify", []string{"ABCDE1234F"}},
		// A path with a literal id (a caller's mistake the generic Call refuses): masked all the same.
		"literal id": {"/v1/accounts/ABCDE1234F/verify", nil},
	}
	for _, tt := range tests {
		for tname, tp := range templates {
			tmpl, params := tp.path, tp.params
			t.Run(tt.name+"/"+tname, func(t *testing.T) {
				t.Parallel()
				base, opts, ctx := tt.setup(t)
				c, err := New(Params{Provider: "test", BaseURL: base}, opts)
				require.NoError(t, err)
				t.Cleanup(c.Close)
				_, err = c.Do(ctx, &Request{
					Operation: kyc.Operation{Name: "test.VerifyBankAccount", Method: http.MethodPost, Path: tmpl},
					Params:    params,
					Query:     personal,
					Body:      Bytes("application/json", []byte(`{}`)),
				})
				require.Error(t, err)
				levels := chain(err)
				require.Greater(t, len(levels), 2, "the cause is kept")
				for _, e := range levels {
					for _, p := range personalTexts {
						assert.NotContains(t, e.Error(), p, "%T in the chain of %v", e, err)
					}
				}
				var uerr *url.Error
				if errors.As(err, &uerr) {
					assert.Contains(t, uerr.URL, "/v1/accounts/{id}/verify")
				}
				tt.check(t, err)
			})
		}
	}
}

// An image file that cannot be read loses its path in the cause.
func TestFileCauseLosesItsPath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "maria-garcia-selfie.jpg")
	require.NoError(t, os.WriteFile(path, jpeg, 0o600))
	img, err := kyc.ImageFromFile(path)
	require.NoError(t, err)
	require.NoError(t, os.Remove(path))
	body, err := Multipart(Part{Name: "selfie", Image: img})
	require.NoError(t, err)
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
	_, err = c.Do(context.Background(), &Request{Operation: at(op("test.Upload"), "/up"), Method: http.MethodPost, Body: body})
	require.Error(t, err)
	assert.ErrorIs(t, err, os.ErrNotExist)
	for _, e := range chain(err) {
		assert.NotContains(t, e.Error(), "maria", "%T", e)
		assert.NotContains(t, e.Error(), dir, "%T", e)
	}
}

func TestIDSegment(t *testing.T) {
	t.Parallel()
	for seg, want := range map[string]bool{
		"v0": false, "api-request-reply": false, "omni": false, "{id}": false, "v1.2": false, "": false,
		"ABCDE1234F": true, "123e4567-e89b-12d3-a456-426614174000": true, "maria%40example.com": true,
		"a+b": true, strings.Repeat("a", 33): true, "1234": true,
	} {
		assert.Equal(t, want, idSegment(seg), seg)
	}
}

// A cause that is not a *url.Error but names the request is replaced by
// one with the values masked, which still matches what it matched.
func TestScrubKeepsSentinels(t *testing.T) {
	t.Parallel()
	r := &Request{Operation: kyc.Operation{Path: "/p/{id}"}, Params: []string{"ABCDE1234F"}, Query: personal}
	cause := &net.OpError{Op: "read", Net: "tcp", Err: &os.SyscallError{Syscall: "read", Err: syscall.ECONNRESET}}
	wrapped := errors.Join(errors.New("reading /p/ABCDE1234F?pan=ABCDE1234F failed"), cause, context.DeadlineExceeded)
	c, err := New(Params{Provider: "test", BaseURL: "https://x.example/base"}, nil)
	require.NoError(t, err)
	got := c.sanitize(r, wrapped)
	for _, e := range chain(got) {
		assert.NotContains(t, e.Error(), "ABCDE1234F")
	}
	assert.ErrorIs(t, got, syscall.ECONNRESET)
	assert.ErrorIs(t, got, context.DeadlineExceeded)
	assert.Same(t, cause, c.sanitize(r, cause), "a clean cause is kept as it is")
	assert.Equal(t, "https://x.example/base/p/{id}", c.safeURL(r))
}
