package kyc_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

func TestMemoryStoreConformance(t *testing.T) {
	t.Parallel()
	kyctest.StoreConformance(t, func() kyc.ResultStore { return kyc.NewMemoryStore(0) })
	kyctest.StoreConformance(t, func() kyc.ResultStore { return kyc.NewMemoryStore(8) })
}

func TestMemoryStoreIsBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := kyc.NewMemoryStore(3)
	for i := range 5 {
		_, err := s.Apply(ctx, &kyc.Result{Reference: fmt.Sprintf("atlas:%d", i), Status: kyc.StatusApproved})
		require.NoError(t, err)
		if i == 2 {
			_, err := s.Get(ctx, "atlas:0") // atlas:0 becomes the most recent
			require.NoError(t, err)
		}
	}
	assert.Equal(t, 3, s.Len())
	for ref, kept := range map[string]bool{"atlas:0": true, "atlas:1": false, "atlas:2": false, "atlas:3": true, "atlas:4": true} {
		_, err := s.Get(ctx, ref)
		if kept {
			assert.NoError(t, err, ref)
		} else {
			assert.ErrorIs(t, err, kyc.ErrNotFound, ref)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err := s.Apply(cctx, &kyc.Result{Reference: "atlas:9"})
	assert.Error(t, err)
	_, err = s.Get(cctx, "atlas:0")
	assert.Error(t, err)
	assert.Equal(t, kyc.DefaultMemoryStoreCapacity, 10000)
}

// noReadBack answers Result like Atlas and Verificar: ErrUnsupported.
func noReadBack(p kyc.Provider) func(context.Context, string) (*kyc.Result, error) {
	return func(context.Context, string) (*kyc.Result, error) {
		return nil, &kyc.Error{Provider: p, Op: string(p) + ".Result", Kind: kyc.ErrUnsupported, NotSent: true, Unprocessed: true,
			Message: "no read-back: the outcome arrives by webhook"}
	}
}

func TestRouterStoreAnswersWithoutReadBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := kyc.NewMemoryStore(0)
	atlas := kyctest.New(kyc.Atlas, directCaps).
		Return(kyc.Result{Status: kyc.StatusApproved, Reference: "atlas:REQ1"}).
		OnResult(noReadBack(kyc.Atlas))
	incode := kyctest.New(kyc.Incode, directCaps).Return(kyc.Result{Status: kyc.StatusPending, Reference: "incode:S1"}).
		OnResult(func(ctx context.Context, ref string) (*kyc.Result, error) {
			return &kyc.Result{Provider: kyc.Incode, Reference: ref, Status: kyc.StatusApproved}, nil
		})
	r, err := kyc.NewRouter(kyc.CountryRoute("IND", atlas), kyc.DefaultRoute(incode), kyc.WithResultStore(store))
	require.NoError(t, err)

	res, attempts, err := r.VerifyWithAttempts(ctx, kyc.Request{Country: "IND"})
	require.NoError(t, err)
	assert.Equal(t, kyc.SourceProvider, res.Source)
	assert.NoError(t, attempts[len(attempts)-1].StoreErr)
	_, err = r.Verify(ctx, kyc.Request{Country: "MEX"})
	require.NoError(t, err)
	assert.Equal(t, 2, store.Len(), "each Result of Verify is put")

	got, err := r.Result(ctx, "atlas:REQ1")
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, got.Status)
	assert.Equal(t, kyc.SourceStore, got.Source, "Atlas has no read-back: the store answered")

	got, err = r.Result(ctx, "incode:S1")
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, got.Status, "the vendor's answer, not the stored pending one")
	assert.Equal(t, kyc.SourceProvider, got.Source)

	_, err = r.Result(ctx, "atlas:UNKNOWN")
	assert.ErrorIs(t, err, kyc.ErrNotFound, "neither the vendor nor the store knows it")
	assert.NotErrorIs(t, err, kyc.ErrUnsupported)

	// No Verifier for the provider: the store may still know it.
	_, err = store.Apply(ctx, &kyc.Result{Provider: kyc.EKYC, Reference: "ekycid:7", Status: kyc.StatusRejected})
	require.NoError(t, err)
	got, err = r.Result(ctx, "ekycid:7")
	require.NoError(t, err)
	assert.Equal(t, kyc.SourceStore, got.Source)
	_, err = r.Result(ctx, "ekycid:8")
	assert.ErrorIs(t, err, kyc.ErrNotFound)
}

func TestRouterResultKeepsTransientVendorErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := kyc.NewMemoryStore(0)
	_, err := store.Apply(ctx, &kyc.Result{Provider: kyc.Incode, Reference: "incode:S1", Status: kyc.StatusPending})
	require.NoError(t, err)
	incode := kyctest.New(kyc.Incode, directCaps).OnResult(func(context.Context, string) (*kyc.Result, error) {
		return nil, &kyc.Error{Provider: kyc.Incode, Kind: kyc.ErrUnavailable, StatusCode: 502}
	})
	r, err := kyc.NewRouter(kyc.DefaultRoute(incode), kyc.WithResultStore(store))
	require.NoError(t, err)
	_, err = r.Result(ctx, "incode:S1")
	assert.ErrorIs(t, err, kyc.ErrUnavailable, "a stale stored answer does not hide an outage")
}

// failingStore fails every call.
type failingStore struct{}

func (failingStore) Apply(context.Context, *kyc.Result) (kyc.Applied, error) {
	return 0, errors.New("db down")
}
func (failingStore) Get(context.Context, string) (*kyc.Result, error) {
	return nil, errors.New("db down")
}
func (failingStore) Claim(context.Context, kyc.Claim) (kyc.Claim, bool, error) {
	return kyc.Claim{}, false, errors.New("db down")
}
func (failingStore) Settle(context.Context, kyc.Claim) error { return errors.New("db down") }

func TestRouterStoreFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	v := kyctest.New(kyc.Verificar, directCaps).OnResult(noReadBack(kyc.Verificar))
	r, err := kyc.NewRouter(kyc.DefaultRoute(v), kyc.WithResultStore(failingStore{}))
	require.NoError(t, err)
	res, attempts, err := r.VerifyWithAttempts(ctx, kyc.Request{})
	require.NoError(t, err, "a verification that is done is not failed by its store")
	require.NotNil(t, res)
	require.Len(t, attempts, 1)
	assert.ErrorIs(t, attempts[0].StoreErr, kyc.ErrUnavailable)
	var serr *kyc.Error
	require.ErrorAs(t, attempts[0].StoreErr, &serr)
	assert.EqualError(t, serr.Err, "db down", "the store's error is wrapped")
	assert.Contains(t, attempts[0].String(), "[result store: kyc.Router.Verify: provider unavailable: the ResultStore failed]")

	_, err = r.Result(ctx, res.Reference)
	assert.ErrorIs(t, err, kyc.ErrUnavailable)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.Equal(t, "kyc.Router.Result", kerr.Op)
}

// TestMultiReplica is the deployment of the Router doc: Verify on replica
// A, the webhook on replica B, Result on replica A again; the replicas
// share nothing but the store.
func TestMultiReplica(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	shared := kyc.NewMemoryStore(0) // the service's database

	newReplica := func() (*kyc.Router, *kyc.WebhookMux, *kyctest.FakeReceiver) {
		ver := kyctest.New(kyc.Verificar, smsCaps).
			Return(kyc.Result{Status: kyc.StatusPending, Reference: "verificar:4242"}).
			OnResult(noReadBack(kyc.Verificar))
		r, err := kyc.NewRouter(kyc.CountryRoute("ESP", ver), kyc.WithResultStore(shared))
		require.NoError(t, err)
		hooks := kyctest.NewReceiver(kyc.Verificar).RequireToken("hook-secret")
		mux := mustMux(t, func(context.Context, *kyc.Event) error { return nil },
			kyc.ConfirmEvents(), kyc.WithResultStore(shared))
		mux.Handle("/webhooks/verificar", hooks.WithoutConfirm())
		return r, mux, hooks
	}
	routerA, _, _ := newReplica()
	_, muxB, hooksB := newReplica()

	res, err := routerA.Verify(ctx, kyc.Request{Country: "ESP", Person: kyc.Person{Phone: "+34600111222"}})
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusPending, res.Status)

	w := httptest.NewRecorder()
	muxB.ServeHTTP(w, hooksB.NewRequest("/webhooks/verificar",
		kyctest.Webhook{Reference: res.Reference, Type: "5100", Status: kyc.StatusApproved}))
	require.Equal(t, 200, w.Code)

	got, err := routerA.Result(ctx, res.Reference)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, got.Status)
	assert.Equal(t, kyc.SourceStore, got.Source)
}
