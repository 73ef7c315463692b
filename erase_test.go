package kyc_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// erasing is a Verifier whose vendor can erase.
type erasing struct {
	*scripted
	erased []string
}

func (e *erasing) Erase(_ context.Context, ref string) error {
	e.erased = append(e.erased, ref)
	return nil
}

func TestRouterEraseFansOut(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := kyc.NewMemoryStore(0)
	inc := &erasing{scripted: &scripted{p: kyc.Incode}}
	atl := &scripted{p: kyc.Atlas}
	r, err := kyc.NewRouter(kyc.CountryRoute("IND", atl), kyc.DefaultRoute(inc), kyc.WithResultStore(store))
	require.NoError(t, err)
	res, err := r.Verify(ctx, kyc.Request{ID: "person-1"})
	require.NoError(t, err)
	_, err = r.Verify(ctx, kyc.Request{ID: "person-2", Country: "IND"})
	require.NoError(t, err)

	require.NoError(t, r.Erase(ctx, res.Reference), "erased at the vendor and in the store")
	assert.Equal(t, []string{res.Reference}, inc.erased)
	_, err = store.Get(ctx, res.Reference)
	assert.ErrorIs(t, err, kyc.ErrNotFound)
	_, won, err := store.Claim(ctx, kyc.Claim{ID: "person-1", Fingerprint: "x", State: kyc.ClaimRunning})
	require.NoError(t, err)
	assert.True(t, won, "the claim that led to the Result is erased too")

	err = r.Erase(ctx, "atlas:ok")
	assert.ErrorIs(t, err, kyc.ErrUnsupported, "Atlas has no deletion API")
	_, gerr := store.Get(ctx, "atlas:ok")
	assert.ErrorIs(t, gerr, kyc.ErrNotFound, "the store's copy is erased all the same")

	assert.ErrorIs(t, r.Erase(ctx, "not a ref"), kyc.ErrInvalidRequest)
	failing, err := kyc.NewRouter(kyc.DefaultRoute(inc), kyc.WithResultStore(erasingFailingStore{}))
	require.NoError(t, err)
	assert.ErrorIs(t, failing.Erase(ctx, "incode:x"), kyc.ErrUnavailable)
	assert.ErrorIs(t, failing.Erase(ctx, "zzz:../../x"), kyc.ErrNotFound,
		"a provider of neither the module nor the Router never reaches the store (which would answer ErrUnavailable)")
}

func TestMemoryStoreEraseID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := kyc.NewMemoryStore(0)
	_, _, err := s.Claim(ctx, kyc.Claim{ID: "id-1", Fingerprint: "f", State: kyc.ClaimRunning})
	require.NoError(t, err)
	require.NoError(t, s.Settle(ctx, kyc.Claim{ID: "id-1", State: kyc.ClaimDone, Reference: "incode:S1"}))
	_, err = s.Apply(ctx, &kyc.Result{Provider: kyc.Incode, Reference: "incode:S1", Status: kyc.StatusApproved})
	require.NoError(t, err)
	require.NoError(t, s.EraseID(ctx, "id-1"))
	_, err = s.Get(ctx, "incode:S1")
	assert.ErrorIs(t, err, kyc.ErrNotFound)
	assert.Zero(t, s.Len())
}

type erasingFailingStore struct{ failingStore }

func (erasingFailingStore) Erase(context.Context, string) error { return assert.AnError }
