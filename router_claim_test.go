package kyc_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

// slowVerifier answers after release is closed, counting its sends.
func slowVerifier(p kyc.Provider, sends *atomic.Int32, release <-chan struct{}, res kyc.Result, err error) *kyctest.FakeVerifier {
	f := kyctest.New(p, directCaps).OnResult(noReadBack(p))
	fn := func(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
		n := sends.Add(1)
		<-release
		if err != nil {
			return nil, err
		}
		r := res
		if r.Reference == "" {
			r.Reference = fmt.Sprintf("%s:%d", p, n)
		}
		return &r, nil
	}
	for range 4 { // each Do is one scripted answer
		f.Do(fn)
	}
	return f
}

func TestVerifyIsIdempotentAcrossReplicas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	shared := kyc.NewMemoryStore(0)
	var sends atomic.Int32
	release := make(chan struct{})
	var routers []*kyc.Router
	for range 3 { // three replicas, one store
		v := slowVerifier(kyc.Verificar, &sends, release, kyc.Result{Status: kyc.StatusPending}, nil)
		r, err := kyc.NewRouter(kyc.DefaultRoute(v), kyc.WithResultStore(shared))
		require.NoError(t, err)
		routers = append(routers, r)
	}
	req := kyc.Request{ID: "case-42", Country: "ESP"}
	var wg sync.WaitGroup
	refs := make([]string, 64)
	errs := make([]error, 64)
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := routers[i%3].Verify(ctx, req)
			errs[i] = err
			if res != nil {
				refs[i] = res.Reference
			}
		}()
	}
	require.Eventually(t, func() bool { return sends.Load() >= 1 }, 5*time.Second, time.Millisecond)
	time.Sleep(20 * time.Millisecond) // let the others reach the claim
	close(release)
	wg.Wait()
	assert.EqualValues(t, 1, sends.Load(), "64 Verify calls with one Request.ID on three replicas send once")
	for i := range 64 {
		require.NoError(t, errs[i], "call %d", i)
		assert.Equal(t, "verificar:1", refs[i], "call %d gets the first call's Reference", i)
	}
}

func TestVerifyClaimOutcomes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	open := make(chan struct{})
	close(open)
	charged := &kyc.Error{Provider: kyc.Incode, Kind: kyc.ErrUnavailable, StatusCode: 500, Reference: "incode:S9"}
	notSent := &kyc.Error{Provider: kyc.Incode, Kind: kyc.ErrUnavailable, NotSent: true, Unprocessed: true}
	tests := []struct {
		name       string
		first      error
		second     kyc.Request // zero: the same Request
		wantSends  int32
		wantKind   error
		wantRef    string
		wantResult bool
	}{
		{name: "done: the second gets the first's Result", wantSends: 1, wantResult: true},
		{name: "a different Request under the ID is refused", second: kyc.Request{ID: "id-1", Country: "MEX"}, wantSends: 1, wantKind: kyc.ErrInvalidRequest},
		{name: "a failure that may have charged is not sent again", first: charged, wantSends: 1, wantKind: kyc.ErrInvalidRequest, wantRef: "incode:S9"},
		{name: "a failure with nothing sent releases the ID", first: notSent, wantSends: 2, wantKind: kyc.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var sends atomic.Int32
			v := slowVerifier(kyc.Incode, &sends, open, kyc.Result{Status: kyc.StatusApproved}, tt.first)
			r, err := kyc.NewRouter(kyc.DefaultRoute(v), kyc.WithResultStore(kyc.NewMemoryStore(0)))
			require.NoError(t, err)
			req := kyc.Request{ID: "id-1", Country: "ESP"}
			first, err1 := r.Verify(ctx, req)
			second := tt.second
			if second.ID == "" {
				second = req
			}
			got, err := r.Verify(ctx, second)
			assert.Equal(t, tt.wantSends, sends.Load())
			if tt.wantResult {
				require.NoError(t, err1)
				require.NoError(t, err)
				assert.Equal(t, first.Reference, got.Reference)
				assert.Equal(t, kyc.StatusApproved, got.Status)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.wantKind)
			var kerr *kyc.Error
			if tt.wantRef != "" {
				require.ErrorAs(t, err, &kerr)
				assert.Equal(t, tt.wantRef, kerr.Reference, "the Reference of the billable start is handed on")
				assert.True(t, kerr.NotSent, "the second call sent nothing")
			}
		})
	}
}

func TestVerifyWaitsForTheClaimWithinItsContext(t *testing.T) {
	t.Parallel()
	var sends atomic.Int32
	release := make(chan struct{})
	defer close(release)
	v := slowVerifier(kyc.Incode, &sends, release, kyc.Result{Status: kyc.StatusPending}, nil)
	r, err := kyc.NewRouter(kyc.DefaultRoute(v), kyc.WithResultStore(kyc.NewMemoryStore(0)))
	require.NoError(t, err)
	req := kyc.Request{ID: "slow", Country: "ESP"}
	go func() { _, _ = r.Verify(context.Background(), req) }()
	require.Eventually(t, func() bool { return sends.Load() == 1 }, 5*time.Second, time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = r.Verify(ctx, req)
	assert.ErrorIs(t, err, kyc.ErrTimeout)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.True(t, kerr.NotSent)
	assert.Less(t, time.Since(start), time.Second)
	assert.EqualValues(t, 1, sends.Load(), "the waiting call sent nothing")
}

// TestWebhookBeforeVerifyReturns: the vendor's final webhook lands while
// Verify is still in flight; the pending Result Verify then applies must
// not hide it.
func TestWebhookBeforeVerifyReturns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := kyc.NewMemoryStore(0)
	hooks := kyctest.NewReceiver(kyc.Verificar).RequireToken("tok")
	mux := mustMux(t, func(context.Context, *kyc.Event) error { return nil }, kyc.WithResultStore(store))
	mux.Handle("/hook", hooks)
	v := kyctest.New(kyc.Verificar, directCaps).Do(func(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, hooks.NewRequest("/hook", kyctest.Webhook{Reference: "verificar:77", Type: "5100", Status: kyc.StatusApproved}))
		if w.Code != 200 {
			return nil, errors.New("webhook refused")
		}
		return &kyc.Result{Status: kyc.StatusPending, Reference: "verificar:77"}, nil
	}).OnResult(noReadBack(kyc.Verificar))
	var applied []kyc.Applied
	r, err := kyc.NewRouter(kyc.DefaultRoute(v), kyc.WithResultStore(store),
		kyc.ObserveApply(func(_ context.Context, a kyc.ApplyInfo) { applied = append(applied, a.Applied) }))
	require.NoError(t, err)
	_, attempts, err := r.VerifyWithAttempts(ctx, kyc.Request{ID: "p1"})
	require.NoError(t, err)
	assert.Equal(t, kyc.AppliedUnchanged, attempts[len(attempts)-1].Applied)
	assert.Equal(t, []kyc.Applied{kyc.AppliedUnchanged}, applied)
	got, err := r.Result(ctx, "verificar:77")
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, got.Status, "the final verdict stays")
}

// stuckStore ignores its context and never answers.
type stuckStore struct{ block chan struct{} }

func (s stuckStore) Apply(context.Context, *kyc.Result) (kyc.Applied, error) {
	<-s.block
	return 0, nil
}
func (s stuckStore) Get(context.Context, string) (*kyc.Result, error) { <-s.block; return nil, nil }
func (s stuckStore) Claim(context.Context, kyc.Claim) (kyc.Claim, bool, error) {
	<-s.block
	return kyc.Claim{}, false, nil
}
func (s stuckStore) Settle(context.Context, kyc.Claim) error { <-s.block; return nil }

func TestAStoreThatIgnoresItsContextCannotHoldACall(t *testing.T) {
	t.Parallel()
	store := stuckStore{block: make(chan struct{})}
	defer close(store.block)
	v := kyctest.New(kyc.Atlas, directCaps).Return(kyc.Result{Status: kyc.StatusApproved, Reference: "atlas:R"}).
		OnResult(noReadBack(kyc.Atlas))
	r, err := kyc.NewRouter(kyc.DefaultRoute(v), kyc.WithResultStore(store))
	require.NoError(t, err)
	for name, call := range map[string]func(context.Context) error{
		"Verify": func(ctx context.Context) error { _, err := r.Verify(ctx, kyc.Request{ID: "x"}); return err },
		"Result": func(ctx context.Context) error { _, err := r.Result(ctx, "atlas:R"); return err },
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		start := time.Now()
		err := call(ctx)
		cancel()
		assert.ErrorIs(t, err, kyc.ErrTimeout, name)
		assert.Less(t, time.Since(start), 500*time.Millisecond, "%s was held by the store past its deadline", name)
	}
	assert.Zero(t, v.Calls(), "nothing was sent without a claim")
}

func TestRouterResultChecksReferencesBeforeTheStore(t *testing.T) {
	t.Parallel()
	seen := &recordingStore{MemoryStore: kyc.NewMemoryStore(0)}
	v := kyctest.New(kyc.Atlas, directCaps).OnResult(noReadBack(kyc.Atlas))
	r, err := kyc.NewRouter(kyc.DefaultRoute(v), kyc.WithResultStore(seen))
	require.NoError(t, err)
	long := "atlas:" + string(make([]byte, 10000))
	for _, ref := range []string{"zzz:../../x", long, "atlas:a b", "atlas:\x00", "Atlas:x", "atlas:ſ"} {
		_, err := r.Result(context.Background(), ref)
		assert.Error(t, err, "%q", ref)
	}
	assert.Empty(t, seen.refs, "no malformed or foreign reference reached the store")
}

type recordingStore struct {
	*kyc.MemoryStore
	refs []string
}

func (s *recordingStore) Get(ctx context.Context, ref string) (*kyc.Result, error) {
	s.refs = append(s.refs, ref)
	return s.MemoryStore.Get(ctx, ref)
}
