package incode_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
)

// TestEraseAgainstTheFake verifies a person, erases the session at the
// fake through a Router with a MemoryStore, and checks that the fake got
// the sample's deletion and forgot the session, and that the store holds
// nothing of it.
func TestEraseAgainstTheFake(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	c := client(t, srv, func(cfg *incode.Config) { *cfg = srv.ExecutiveConfig() })
	store := kyc.NewMemoryStore(0)
	router, err := kyc.NewRouter(kyc.DefaultRoute(c), kyc.WithResultStore(store))
	require.NoError(t, err)
	ctx := context.Background()

	res, err := router.Verify(ctx, request(t, "erase-1", "", "", ""))
	require.NoError(t, err)
	require.Equal(t, kyc.StatusApproved, res.Status)
	ref := res.Reference
	_, err = store.Get(ctx, ref)
	require.NoError(t, err, "the Router stored the Result")

	require.NoError(t, router.Erase(ctx, ref))

	parsed, err := kyc.ParseReference(ref)
	require.NoError(t, err)
	dels := srv.Deletions()
	require.Len(t, dels, 1)
	assert.Equal(t, []string{parsed.ID}, dels[0].IDs)
	assert.True(t, dels[0].DeletePIIDataOnly)
	assert.False(t, dels[0].SendNotification)
	assert.Equal(t, []string{"deviceFingerPrints", "stats"}, dels[0].RelatedEntitiesToKeep)
	assert.Zero(t, srv.Sessions(), "the fake forgot the session")

	_, err = store.Get(ctx, ref)
	assert.ErrorIs(t, err, kyc.ErrNotFound, "the store's copy is erased")
	_, err = c.Result(ctx, ref)
	assert.Error(t, err, "the session is gone at the fake")

	// Erasing again: the fake answers as for any id, and so does the store.
	require.NoError(t, router.Erase(ctx, ref))
	assert.Len(t, srv.Deletions(), 2)
}

// TestEraseNeedsExecutiveCredentials: a client without them refuses
// before sending, and the Router still erases its store's copy.
func TestEraseNeedsExecutiveCredentials(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	store := kyc.NewMemoryStore(0)
	router, err := kyc.NewRouter(kyc.DefaultRoute(c), kyc.WithResultStore(store))
	require.NoError(t, err)
	ctx := context.Background()
	res, err := router.Verify(ctx, request(t, "erase-2", "", "", ""))
	require.NoError(t, err)

	err = router.Erase(ctx, res.Reference)
	require.ErrorIs(t, err, kyc.ErrInvalidRequest)
	assert.Empty(t, srv.Deletions())
	_, err = store.Get(ctx, res.Reference)
	assert.ErrorIs(t, err, kyc.ErrNotFound)
}
