package kyc_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

// TestForgedEventsCostBoundedReads: unauthenticated events are confirmed
// by read-back, once per reference for a short memory, and no more often
// than the bound; past it they are answered 429 and nothing is stored.
func TestForgedEventsCostBoundedReads(t *testing.T) {
	t.Parallel()
	recv := kyctest.NewReceiver(kyc.Incode) // no token: every event is unauthenticated
	recv.SetResult(kyc.Result{Provider: kyc.Incode, Reference: "incode:known", Status: kyc.StatusApproved})
	store := kyc.NewMemoryStore(0)
	var h handlerLog
	mux := mustMux(t, h.fn, kyc.ConfirmEvents(), kyc.WithResultStore(store),
		kyc.LimitConfirmations(1, 3, time.Minute))
	mux.Handle("/hook", recv)

	send := func(ref string) int {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, recv.NewRequest("/hook", kyctest.Webhook{Reference: ref, Type: "ONBOARDING_FINISHED", Status: kyc.StatusApproved}))
		return w.Code
	}
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() { defer wg.Done(); assert.Equal(t, 200, send("incode:known")) }()
	}
	wg.Wait()
	assert.Equal(t, 1, recv.Confirms(), "50 forged events of one reference cost one read")

	// Unknown ids: each is a read, up to the burst; then 429.
	codes := map[int]int{}
	for i := range 10 {
		codes[send("incode:unknown"+string(rune('a'+i)))]++
	}
	assert.LessOrEqual(t, recv.Confirms(), 1+3, "reads stay within the burst")
	assert.Positive(t, codes[429], "past the bound the event is answered 429: %v", codes)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, recv.NewRequest("/hook", kyctest.Webhook{Reference: "incode:unknownz", Status: kyc.StatusApproved}))
	assert.Equal(t, 429, w.Code)
	assert.NotEmpty(t, w.Header().Get("Retry-After"))
	_, err := store.Get(context.Background(), "incode:unknownz")
	assert.ErrorIs(t, err, kyc.ErrNotFound, "nothing stored past the bound")
	got, err := store.Get(context.Background(), "incode:known")
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, got.Status)
}
