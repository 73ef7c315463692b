package incode_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
)

func TestTokenStoreFailure(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t, incodetest.WithDelay(10*time.Millisecond))
	store := newMemStore()
	store.fail = errors.New("database down")
	c := client(t, srv, func(cfg *incode.Config) { cfg.TokenStore = store })
	_, err := c.Verify(context.Background(), request(t, "store-1", "", "", ""))
	require.ErrorIs(t, err, kyc.ErrUnavailable)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	require.NotEmpty(t, kerr.Reference, "the started session is named")
	store.mu.Lock()
	store.fail = nil
	store.mu.Unlock()
	res, err := c.Result(context.Background(), kerr.Reference)
	require.NoError(t, err, "this process kept the token in memory")
	assert.Equal(t, kyc.StatusPending, res.Status, "the uploads never happened")

	// With executive credentials the store's failure does not stop Verify.
	store.fail = errors.New("database down")
	exec := client(t, srv, func(cfg *incode.Config) { *cfg = srv.ExecutiveConfig(); cfg.TokenStore = store })
	res, err = exec.Verify(context.Background(), request(t, "store-2", "", "", ""))
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, res.Status)
}

func TestLegacyReference(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t, incodetest.WithDelay(10*time.Millisecond))
	first := client(t, srv)
	s, err := first.StartSession(context.Background(), incode.StartRequest{ExternalCustomerID: "legacy-1"})
	require.NoError(t, err)
	old := "incode:" + s.InterviewID + "." + s.Token.Reveal() // what earlier releases returned
	second := client(t, srv)
	res, err := second.Result(context.Background(), old)
	require.NoError(t, err, "an old reference still reads back, with its token")
	assert.Equal(t, "incode:"+s.InterviewID, res.Reference, "the new form, without the token")
	assert.NotContains(t, fmt.Sprint(res.Reference, string(res.Raw)), s.Token.Reveal())
	_, err = second.Result(context.Background(), res.Reference)
	require.NoError(t, err, "the token was kept for the new form")
}

func TestExecutiveLogIn(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t, incodetest.WithDelay(10*time.Millisecond))
	c := client(t, srv, func(cfg *incode.Config) { *cfg = srv.ExecutiveConfig() })
	require.NoError(t, c.ExecutiveLogIn(context.Background()))
	assert.Equal(t, 1, srv.LogIns())

	starter := client(t, srv)
	res, err := starter.Verify(context.Background(), request(t, "exec-1", "", "", ""))
	require.NoError(t, err)

	// Many concurrent reads share one log-in, and an expired token is
	// replaced once.
	srv.ExpireExecutiveTokens()
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := c.Result(context.Background(), res.Reference)
			if assert.NoError(t, err) {
				assert.Equal(t, kyc.StatusApproved, r.Status)
			}
		}()
	}
	wg.Wait()
	assert.LessOrEqual(t, srv.LogIns(), 3, "concurrent refusals of one token cause one log-in, not one each")

	wrong := client(t, srv, func(cfg *incode.Config) {
		*cfg = srv.ExecutiveConfig()
		cfg.ExecutivePassword = kyc.NewSecret("wrong")
	})
	err = wrong.ExecutiveLogIn(context.Background())
	require.ErrorIs(t, err, kyc.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "wrong")
	assert.ErrorIs(t, client(t, srv).ExecutiveLogIn(context.Background()), kyc.ErrInvalidRequest)
}

func TestCancelledLogInDoesNotFailOthers(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t, incodetest.WithDelay(10*time.Millisecond))
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultLatency, Latency: 200 * time.Millisecond, Path: "/executive/log-in"})
	c := client(t, srv, func(cfg *incode.Config) { *cfg = srv.ExecutiveConfig() })
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.ExecutiveLogIn(context.Background()) }()
	time.Sleep(10 * time.Millisecond)
	assert.ErrorIs(t, c.ExecutiveLogIn(short), context.DeadlineExceeded)
	require.NoError(t, <-done, "one caller's cancellation never fails the shared log-in")
	assert.Equal(t, 1, srv.LogIns())
}
