package kyc_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

// scripted is a Verifier that answers with fail() while it returns an
// error, counting calls.
type scripted struct {
	p     kyc.Provider
	calls atomic.Int32
	fail  atomic.Pointer[error]
}

func (s *scripted) Provider() kyc.Provider         { return s.p }
func (s *scripted) Capabilities() kyc.Capabilities { return directCaps }
func (s *scripted) Result(context.Context, string) (*kyc.Result, error) {
	return nil, kyc.ErrUnsupported
}
func (s *scripted) Verify(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
	s.calls.Add(1)
	if e := s.fail.Load(); e != nil && *e != nil {
		return nil, *e
	}
	return &kyc.Result{Provider: s.p, Status: kyc.StatusApproved, Reference: string(s.p) + ":ok"}, nil
}
func (s *scripted) set(err error) { s.fail.Store(&err) }

func TestCircuitOpensOnlyOnUnprocessedFailures(t *testing.T) {
	t.Parallel()
	unavailable := &kyc.Error{Provider: kyc.Atlas, Kind: kyc.ErrUnavailable, StatusCode: 503, Unprocessed: true}
	refused := &kyc.Error{Provider: kyc.Atlas, Kind: kyc.ErrUnavailable, NotSent: true, Unprocessed: true}
	ambiguous := &kyc.Error{Provider: kyc.Atlas, Kind: kyc.ErrUnavailable, StatusCode: 500}
	business := &kyc.Error{Provider: kyc.Atlas, Kind: kyc.ErrInvalidRequest, StatusCode: 400}
	for _, tc := range []struct {
		name  string
		err   error
		opens bool
	}{
		{"503 storm", unavailable, true},
		{"connection refused", refused, true},
		{"500 after the request was written", ambiguous, false},
		{"business refusals", business, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			down := &scripted{p: kyc.Atlas}
			down.set(tc.err)
			healthy := &scripted{p: kyc.Incode}
			r, err := kyc.NewRouter(kyc.DefaultRoute(down, healthy), kyc.AllowFallbackAfterCharge(),
				kyc.WithCircuit(kyc.CircuitSettings{Failures: 3, CoolDown: time.Hour}))
			require.NoError(t, err)
			for range 20 {
				_, _ = r.Verify(context.Background(), kyc.Request{})
			}
			if tc.opens {
				assert.EqualValues(t, 3, down.calls.Load(), "after 3 unprocessed failures the vendor is skipped")
				assert.Equal(t, kyc.CircuitOpen, r.Circuit(kyc.Atlas))
				assert.EqualValues(t, 20, healthy.calls.Load(), "every call reached the healthy vendor")
			} else {
				assert.EqualValues(t, 20, down.calls.Load(), "the circuit stays closed")
				assert.Equal(t, kyc.CircuitClosed, r.Circuit(kyc.Atlas))
			}
		})
	}
}

func TestCircuitProbesAndCloses(t *testing.T) {
	t.Parallel()
	down := &scripted{p: kyc.Atlas}
	down.set(&kyc.Error{Provider: kyc.Atlas, Kind: kyc.ErrUnavailable, StatusCode: 503, Unprocessed: true})
	r, err := kyc.NewRouter(kyc.DefaultRoute(down), kyc.WithCircuit(kyc.CircuitSettings{Failures: 2, CoolDown: 50 * time.Millisecond}))
	require.NoError(t, err)
	ctx := context.Background()
	for range 5 {
		_, err = r.Verify(ctx, kyc.Request{})
	}
	assert.EqualValues(t, 2, down.calls.Load())
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.True(t, kerr.NotSent, "an open circuit is a NotSent failure: %v", err)
	assert.ErrorIs(t, err, kyc.ErrUnavailable)

	down.set(nil) // the vendor heals
	require.Eventually(t, func() bool { return r.Circuit(kyc.Atlas) == kyc.CircuitHalfOpen }, 5*time.Second, 5*time.Millisecond)
	res, err := r.Verify(ctx, kyc.Request{})
	require.NoError(t, err, "the probe goes through")
	assert.Equal(t, kyc.StatusApproved, res.Status)
	assert.Equal(t, kyc.CircuitClosed, r.Circuit(kyc.Atlas))
}

func TestWithoutCircuit(t *testing.T) {
	t.Parallel()
	down := kyctest.New(kyc.Atlas, directCaps)
	for range 10 {
		down.Fail(&kyc.Error{Provider: kyc.Atlas, Kind: kyc.ErrUnavailable, StatusCode: 503, Unprocessed: true})
	}
	r, err := kyc.NewRouter(kyc.DefaultRoute(down), kyc.WithoutCircuit())
	require.NoError(t, err)
	for range 10 {
		_, _ = r.Verify(context.Background(), kyc.Request{})
	}
	assert.Equal(t, 10, down.Calls())
}
