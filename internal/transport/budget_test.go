package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// TestRetryBudgetBoundsAnOutage: against a vendor answering 503 to
// everything, the budget runs dry and calls stop resending; successes put
// tokens back.
func TestRetryBudgetBoundsAnOutage(t *testing.T) {
	t.Parallel()
	var calls, healthy atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if healthy.Load() == 1 {
			_, _ = w.Write([]byte(`{}`))
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	c, err := New(Params{Provider: "test", BaseURL: srv.URL},
		[]kyc.Option{kyc.WithHTTPClient(srv.Client()), kyc.WithRetry(2, time.Millisecond), kyc.WithRetryBudget(20, 5, 10)})
	require.NoError(t, err)
	ctx := context.Background()
	for range 10 {
		resp, err := c.Do(ctx, &Request{Operation: opAt("test.Read", "/x", kyc.ClassFree)})
		require.NoError(t, err)
		assert.Equal(t, 503, resp.StatusCode, "the last answer, as it came")
	}
	// 20 tokens pay 4 resends; the 10 calls then send once each.
	assert.EqualValues(t, 10+4, calls.Load(), "an outage does not triple the traffic")
	assert.Equal(t, 0, c.BudgetTokens())

	healthy.Store(1)
	for range 5 {
		_, err := c.Do(ctx, &Request{Operation: opAt("test.Read", "/x", kyc.ClassFree)})
		require.NoError(t, err)
	}
	assert.Equal(t, 5, c.BudgetTokens(), "one token back per success")

	off, err := New(Params{Provider: "test", BaseURL: srv.URL},
		[]kyc.Option{kyc.WithHTTPClient(srv.Client()), kyc.WithoutRetryBudget()})
	require.NoError(t, err)
	assert.Equal(t, -1, off.BudgetTokens())
}

func TestRateLimitRefusesWhatTheContextCannotWaitFor(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	c, err := New(Params{Provider: "test", BaseURL: srv.URL},
		[]kyc.Option{kyc.WithHTTPClient(srv.Client()), kyc.WithRateLimit(1, 2)})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var refused int
	for range 4 {
		_, err := c.Do(ctx, &Request{Operation: opAt("test.Op", "/x"), Method: "POST"})
		if err != nil {
			kerr := asKyc(t, err)
			assert.ErrorIs(t, err, kyc.ErrRateLimited)
			assert.True(t, kerr.NotSent, "a call the limiter refuses sent nothing")
			refused++
		}
	}
	assert.EqualValues(t, 2, calls.Load(), "the burst, then nothing within 300 ms at 1/s")
	assert.Equal(t, 2, refused)
}

// opAt is op with a path template.
func opAt(name, path string, class ...kyc.Class) kyc.Operation {
	o := op(name, class...)
	o.Path = path
	return o
}
