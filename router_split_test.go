package kyc_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

func TestWeightedSplitIsStableAndSafeWhileTrafficFlows(t *testing.T) {
	t.Parallel()
	newRouter := func() (*kyc.Router, *scripted, *scripted) {
		a, b := &scripted{p: kyc.Atlas}, &scripted{p: kyc.Incode}
		r, err := kyc.NewRouter(kyc.CountryRoute("IND", a, b), kyc.DefaultRoute(b))
		require.NoError(t, err)
		require.NoError(t, r.SetWeights("IND", map[kyc.Provider]uint32{kyc.Atlas: 70, kyc.Incode: 30}))
		return r, a, b
	}
	r1, a1, _ := newRouter()
	r2, _, _ := newRouter() // another replica
	ctx := context.Background()
	first := map[string]kyc.Provider{}
	for i := range 2000 {
		id := fmt.Sprintf("person-%d", i)
		res, err := r1.Verify(ctx, kyc.Request{ID: id, Country: "IND"})
		require.NoError(t, err)
		first[id] = res.Provider
		again, err := r2.Verify(ctx, kyc.Request{ID: id, Country: "IND"})
		require.NoError(t, err)
		require.Equal(t, res.Provider, again.Provider, "one person lands on the same vendor, in every replica")
	}
	share := float64(a1.calls.Load()) / 2000
	assert.InDelta(t, 0.70, share, 0.05, "Atlas's share of first choices")

	// Controls change while traffic flows.
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				_, err := r1.Verify(ctx, kyc.Request{ID: fmt.Sprintf("g%d-%d", g, i), Country: "IND"})
				assert.NoError(t, err)
			}
		}()
	}
	for i := range 50 {
		require.NoError(t, r1.SetWeights("IND", map[kyc.Provider]uint32{kyc.Atlas: uint32(i), kyc.Incode: 1}))
		r1.DisableIn("IND", kyc.Atlas)
		r1.EnableIn("IND", kyc.Atlas)
	}
	wg.Wait()
}

func TestRouteControls(t *testing.T) {
	t.Parallel()
	a, b := &scripted{p: kyc.Atlas}, &scripted{p: kyc.Incode}
	r, err := kyc.NewRouter(kyc.CountryRoute("IND", a, b), kyc.DefaultRoute(a))
	require.NoError(t, err)
	ctx := context.Background()
	r.DisableIn("IND", kyc.Atlas)
	res, err := r.Verify(ctx, kyc.Request{Country: "IND"})
	require.NoError(t, err)
	assert.Equal(t, kyc.Incode, res.Provider, "out of the IND route")
	res, err = r.Verify(ctx, kyc.Request{Country: "MEX"})
	require.NoError(t, err)
	assert.Equal(t, kyc.Atlas, res.Provider, "still on the default route")
	r.EnableIn("IND", kyc.Atlas)
	res, err = r.Verify(ctx, kyc.Request{Country: "IND"})
	require.NoError(t, err)
	assert.Equal(t, kyc.Atlas, res.Provider, "back in")

	require.NoError(t, r.SetWeights("IND", map[kyc.Provider]uint32{kyc.Incode: 1}))
	res, err = r.Verify(ctx, kyc.Request{ID: "x", Country: "IND"})
	require.NoError(t, err)
	assert.Equal(t, kyc.Incode, res.Provider, "weight 0 is never first")
	require.NoError(t, r.SetWeights("IND", nil))
	res, err = r.Verify(ctx, kyc.Request{ID: "x", Country: "IND"})
	require.NoError(t, err)
	assert.Equal(t, kyc.Atlas, res.Provider, "the route's own order again")

	for name, err := range map[string]error{
		"no route":     r.SetWeights("ESP", map[kyc.Provider]uint32{kyc.Atlas: 1}),
		"not on route": r.SetWeights("", map[kyc.Provider]uint32{kyc.Verificar: 1}),
		"all zero":     r.SetWeights("IND", map[kyc.Provider]uint32{kyc.Atlas: 0}),
	} {
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, name)
	}
}
