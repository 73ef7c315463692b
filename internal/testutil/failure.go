package testutil

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// Method is one typed method of a vendor client, for FailurePaths.
type Method struct {
	// Name is the operation's name, "atlas.VerifyPAN": the test checks that
	// the error names it.
	Name string
	// Call calls the method with valid input on a client built by the
	// FailurePaths' constructor. It returns the method's error.
	Call func(ctx context.Context, client any) error
	// VendorError is an HTTP 200 body in which the vendor reports an error
	// for this method, nil where the vendor has none (the 200 case is then
	// skipped). VendorErrorKind is the kind it must map to (nil: any kind
	// but ErrBadResponse).
	VendorError     []byte
	VendorErrorKind error
	// Status is the HTTP status of the vendor-error answer (default 200).
	Status int
	// Serve, when set, builds the server's handler from the status and body
	// of a failure, for vendors whose method makes other calls first (a
	// token exchange, a session start) that must succeed. Nil answers every
	// request with the failure.
	Serve func(status int, body []byte) http.Handler
}

// NewClient builds a vendor client against baseURL with the common options
// the test passes (the HTTP client, no retries).
type NewClient func(baseURL string, opts ...kyc.Option) (any, error)

// FailurePaths runs every method through the failure paths every typed
// method must survive, each against its own loopback server:
//
//   - HTTP 500: ErrUnavailable, the status kept;
//   - a vendor error inside a 200 (Method.VendorError): a *kyc.Error of the
//     vendor's kind, not ErrBadResponse;
//   - malformed JSON in a 200: ErrBadResponse;
//   - a cancelled context: ErrTimeout matching context.Canceled;
//   - a refused connection: ErrUnavailable with NotSent set.
//
// Every error must be a *kyc.Error naming the method's operation and the
// provider. It is the idea of go-github's testNewRequestAndDoFailure.
func FailurePaths(t *testing.T, provider kyc.Provider, newClient NewClient, methods []Method) {
	t.Helper()
	for _, m := range methods {
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			check := func(t *testing.T, err error, kind error) *kyc.Error {
				t.Helper()
				require.Error(t, err)
				var kerr *kyc.Error
				require.ErrorAs(t, err, &kerr)
				assert.Equal(t, provider, kerr.Provider)
				assert.Equal(t, m.Name, kerr.Op, "the error names the operation")
				if kind != nil {
					assert.ErrorIs(t, err, kind, "%v", err)
				}
				return kerr
			}
			serve := func(t *testing.T, status int, body []byte) any {
				var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(status)
					_, _ = w.Write(body)
				})
				if m.Serve != nil {
					h = m.Serve(status, body)
				}
				srv := httptest.NewServer(h)
				t.Cleanup(srv.Close)
				c, err := newClient(srv.URL, kyc.WithRetry(0, 0))
				require.NoError(t, err)
				return c
			}
			t.Run("500", func(t *testing.T) {
				c := serve(t, http.StatusInternalServerError, []byte(`{"error":"internal"}`))
				kerr := check(t, m.Call(context.Background(), c), kyc.ErrUnavailable)
				assert.Equal(t, http.StatusInternalServerError, kerr.StatusCode)
			})
			if m.VendorError != nil {
				t.Run("vendor error", func(t *testing.T) {
					status := m.Status
					if status == 0 {
						status = http.StatusOK
					}
					c := serve(t, status, m.VendorError)
					err := m.Call(context.Background(), c)
					kerr := check(t, err, m.VendorErrorKind)
					assert.NotErrorIs(t, err, kyc.ErrBadResponse, "a documented vendor error is mapped, not unreadable: %v", err)
					assert.NotNil(t, kerr.Kind)
				})
			}
			t.Run("malformed", func(t *testing.T) {
				c := serve(t, http.StatusOK, []byte(`{"truncated": `))
				check(t, m.Call(context.Background(), c), kyc.ErrBadResponse)
			})
			t.Run("cancelled", func(t *testing.T) {
				c := serve(t, http.StatusOK, []byte(`{}`))
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				err := m.Call(ctx, c)
				check(t, err, kyc.ErrTimeout)
				assert.ErrorIs(t, err, context.Canceled)
			})
			t.Run("refused", func(t *testing.T) {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				require.NoError(t, err)
				addr := ln.Addr().String()
				require.NoError(t, ln.Close()) // nothing listens there now
				c, err := newClient("http://"+addr, kyc.WithRetry(0, 0))
				require.NoError(t, err)
				err = m.Call(context.Background(), c)
				kerr := check(t, err, kyc.ErrUnavailable)
				assert.True(t, kerr.NotSent, "a refused connection sent nothing")
				assert.False(t, errors.Is(err, kyc.ErrBadResponse))
			})
		})
	}
}
