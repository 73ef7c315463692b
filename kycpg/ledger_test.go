package kycpg_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

func TestSeenDropsDuplicateDeliveries(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t, testURL, 0)
	s := newStore(t, pool)
	sum := sha256.Sum256([]byte(`{"interviewId":"abc","onboardingStatus":"ONBOARDING_FINISHED"}`))
	key := hex.EncodeToString(sum[:])
	// Incode retries up to 5 times; 6 replicas may each receive one copy at once
	var firsts atomic.Int32
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first, err := s.Seen(ctx, kyc.Incode, key)
			assert.NoError(t, err)
			if first {
				firsts.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), firsts.Load(), "exactly one delivery is the first")
	first, err := s.Seen(ctx, kyc.Verificar, key)
	require.NoError(t, err)
	assert.True(t, first, "keys are per provider")
	first, err = s.Seen(ctx, kyc.Incode, key[:10]+"A"+key[11:])
	require.NoError(t, err)
	assert.True(t, first)
	_, err = s.Seen(ctx, kyc.Incode, "")
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
}

func TestErasure(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t, testURL, 0)
	s := newStore(t, pool)
	for _, ref := range []string{"incode:a", "incode:b", "incode:c"} {
		_, err := s.Apply(ctx, kyctest.FullResult(ref))
		require.NoError(t, err)
	}
	_, won, err := s.Claim(ctx, kyc.Claim{ID: "req-b", Fingerprint: "f", State: kyc.ClaimRunning, Expires: time.Now().Add(time.Hour)})
	require.NoError(t, err)
	require.True(t, won)
	require.NoError(t, s.Settle(ctx, kyc.Claim{ID: "req-b", State: kyc.ClaimDone, Reference: "incode:b"}))

	e, err := s.EraseReference(ctx, "incode:a")
	require.NoError(t, err)
	assert.Equal(t, int64(1), e.Results)
	_, err = s.Get(ctx, "incode:a")
	assert.ErrorIs(t, err, kyc.ErrNotFound)

	e, err = s.EraseRequestID(ctx, "req-b")
	require.NoError(t, err)
	assert.Equal(t, int64(1), e.Results)
	assert.Equal(t, int64(1), e.Claims)
	_, err = s.Get(ctx, "incode:b")
	assert.ErrorIs(t, err, kyc.ErrNotFound)
	_, won, err = s.Claim(ctx, kyc.Claim{ID: "req-b", Fingerprint: "g", State: kyc.ClaimRunning, Expires: time.Now().Add(time.Hour)})
	require.NoError(t, err)
	assert.True(t, won, "the erased claim is gone")

	_, err = s.Seen(ctx, kyc.Incode, "old-delivery")
	require.NoError(t, err)
	// age incode:c and the delivery; the new claim stays
	_, err = pool.Exec(ctx, `UPDATE `+pgx.Identifier{s.Schema(), "results"}.Sanitize()+` SET updated_at = now() - interval '400 days'`)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `UPDATE `+pgx.Identifier{s.Schema(), "deliveries"}.Sanitize()+` SET seen_at = now() - interval '400 days'`)
	require.NoError(t, err)
	e, err = s.EraseBefore(ctx, time.Now().AddDate(0, 0, -365))
	require.NoError(t, err)
	assert.Equal(t, int64(1), e.Results)
	assert.Equal(t, int64(0), e.Claims)
	assert.Equal(t, int64(1), e.Deliveries)
	_, err = s.Get(ctx, "incode:c")
	assert.ErrorIs(t, err, kyc.ErrNotFound)
	_, err = s.EraseBefore(ctx, time.Time{})
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
}

// TestRouterEraseReachesTheStore: the Store is a kyc.Eraser, so
// kyc.Router.Erase erases its copy (the README's promise).
func TestRouterEraseReachesTheStore(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, newPool(t, testURL, 0))
	v := kyctest.New(kyc.Atlas, kyc.Capabilities{Flow: kyc.FlowDirect}).Return(kyc.Result{Status: kyc.StatusApproved, Reference: "atlas:R1"})
	r, err := kyc.NewRouter(kyc.DefaultRoute(v), kyc.WithResultStore(s))
	require.NoError(t, err)
	_, err = r.Verify(ctx, kyc.Request{ID: "person-1"})
	require.NoError(t, err)
	_, err = s.Get(ctx, "atlas:R1")
	require.NoError(t, err)
	err = r.Erase(ctx, "atlas:R1")
	assert.ErrorIs(t, err, kyc.ErrUnsupported, "the fake vendor cannot erase")
	_, err = s.Get(ctx, "atlas:R1")
	assert.ErrorIs(t, err, kyc.ErrNotFound, "the store's copy is erased")
	_, won, err := s.Claim(ctx, kyc.Claim{ID: "person-1", Fingerprint: "x", State: kyc.ClaimRunning, Expires: time.Now().Add(time.Hour)})
	require.NoError(t, err)
	assert.True(t, won, "and the claim that led to it")
}
