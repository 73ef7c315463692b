package incode

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// TestRefusedLogInIsRemembered: after Incode refuses the executive log-in,
// calls within ExecutiveRefusalMemory get a typed error without a log-in;
// after it, one call logs in again.
func TestRefusedLogInIsRemembered(t *testing.T) {
	var logIns atomic.Int32
	refuse := atomic.Bool{}
	refuse.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/executive/log-in" {
			logIns.Add(1)
			if refuse.Load() {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"status":401,"error":"Unauthorized","message":"Bad credentials"}`))
				return
			}
			_, _ = w.Write([]byte(`{"token":"` + testToken + `"}`))
			return
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"status":404,"error":"Not Found"}`))
	}))
	defer srv.Close()
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
	c, err := New(Config{APIKey: kyc.NewSecret(testKey), ExecutiveEmail: "ops@example.test",
		ExecutivePassword: kyc.NewSecret("wrong")}, kyc.WithBaseURL(srv.URL), kyc.WithClock(clock),
		kyc.WithRetry(3, time.Millisecond))
	require.NoError(t, err)
	ctx := t.Context()

	err = c.ExecutiveLogIn(ctx)
	require.ErrorIs(t, err, kyc.ErrUnauthorized)
	require.EqualValues(t, 1, logIns.Load(), "one refused log-in, not retried")

	ref := kyc.NewReference(kyc.Incode, testID)
	for i := range 10 {
		var kerr *kyc.Error
		if i%2 == 0 {
			err = c.ExecutiveLogIn(ctx)
		} else {
			_, err = c.Result(ctx, ref)
		}
		require.ErrorAs(t, err, &kerr, "call %d", i)
		assert.ErrorIs(t, err, kyc.ErrUnauthorized)
		assert.True(t, kerr.NotSent)
		assert.Contains(t, kerr.Message, "not tried again")
		advance(ExecutiveRefusalMemory / 20)
	}
	assert.EqualValues(t, 1, logIns.Load(), "no log-in within the memory")

	advance(ExecutiveRefusalMemory/2 + time.Second) // past the memory now
	refuse.Store(false)
	require.NoError(t, c.ExecutiveLogIn(ctx))
	assert.EqualValues(t, 2, logIns.Load(), "one log-in after the memory")
}
