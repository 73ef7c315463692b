package advanceai_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/advanceai/advanceaitest"
	"github.com/kyc-go/kyc/kyctest"
)

// pooledClient shares a few kept-alive connections among many goroutines,
// so a thousand concurrent calls do not open a thousand TLS connections.
func pooledClient(srv *advanceaitest.Server) kyc.Option {
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.MaxConnsPerHost, tr.MaxIdleConnsPerHost = 32, 32
	return kyc.WithHTTPClient(&http.Client{Transport: tr})
}

func TestThousandConcurrentVerifiesShareOneToken(t *testing.T) {
	t.Parallel()
	clk := advanceaitest.NewClock(time.Now())
	srv := advanceaitest.New(t, advanceaitest.WithClock(clk.Now))
	c := client(t, srv, pooledClient(srv))
	ctx := context.Background()

	burst := func(round int) {
		const n = 1000
		var wg sync.WaitGroup
		errs := make(chan error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := c.Verify(ctx, idn(fmt.Sprintf("r%d-%d", round, i)))
				errs <- err
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
	}

	burst(1)
	assert.Equal(t, 1, srv.TokenRequests(), "a cold client fetches one token for 1,000 calls")
	clk.Advance(advanceaitest.DefaultTokenTTL + time.Second) // both clocks: the fake's token is expired
	burst(2)
	assert.Equal(t, 2, srv.TokenRequests(), "exactly one more after the token expired")
	assert.Equal(t, 1, srv.Sends("r2-999"))
	assert.Zero(t, srv.DuplicateSends())
}

func TestRevokedTokenIsReplacedOnceAndTheCallRepeated(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	ctx := context.Background()
	_, err := c.Verify(ctx, idn("before"))
	require.NoError(t, err)
	srv.ExpireTokens()

	res, err := c.Verify(ctx, idn("after"))
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusPending, res.Status)
	assert.Equal(t, 2, srv.TokenRequests())
	assert.Equal(t, 3, srv.Count(advanceai.PathGenerateURL), "one refused at the gate, then repeated once")
	assert.Equal(t, 1, srv.Sends("after"))
	assert.Zero(t, srv.DuplicateSends())
}

func TestTokenLifetimeFromTheFake(t *testing.T) {
	t.Parallel()
	clk := advanceaitest.NewClock(time.Now())
	c, srv := setup(t, advanceaitest.WithClock(clk.Now), advanceaitest.WithTokenTTL(2*time.Minute))
	ctx := context.Background()
	_, err := c.Token(ctx)
	require.NoError(t, err)
	clk.Advance(time.Minute)
	_, err = c.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.TokenRequests(), "still fresh after 1 of 2 minutes")
	clk.Advance(31 * time.Second) // within the safety margin of its expiry
	_, err = c.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.TokenRequests(), "replaced before it expires")
}

func TestTokenExported(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "[REDACTED]", fmt.Sprint(tok))
	_, err = c.Verify(context.Background(), idn("x"))
	require.NoError(t, err)
	var sent string
	for _, r := range srv.Requests() {
		if r.Path == advanceai.PathGenerateURL {
			sent = r.Header.Get(advanceai.HeaderAccessToken)
		}
	}
	assert.Equal(t, tok.Reveal(), sent)
}

func TestFakeChecksTheSignatureAndTheClock(t *testing.T) {
	t.Parallel()
	t.Run("wrong secret", func(t *testing.T) {
		srv := advanceaitest.New(t)
		cfg := srv.Config()
		cfg.SecretKey = kyc.NewSecret("wrong")
		c, err := advanceai.New(cfg, srv.Options()...)
		require.NoError(t, err)
		_, err = c.Verify(context.Background(), idn("x"))
		require.ErrorIs(t, err, kyc.ErrUnauthorized)
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr)
		assert.Equal(t, "PARAMETER_ERROR", kerr.Code)
		assert.Equal(t, "Signature error", kerr.VendorMessage)
		assert.NotEmpty(t, kerr.RequestID)
		assert.Equal(t, 1, srv.TokenRequests(), "not retried")
		assert.Zero(t, srv.Count(advanceai.PathGenerateURL))
	})
	t.Run("clock skew", func(t *testing.T) {
		for _, skew := range []time.Duration{-301 * time.Second, 301 * time.Second} {
			srv := advanceaitest.New(t)
			c := client(t, srv, kyc.WithClock(func() time.Time { return time.Now().Add(skew) }))
			_, err := c.Token(context.Background())
			require.ErrorIs(t, err, kyc.ErrUnauthorized, skew)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, "Timestamp error", kerr.VendorMessage)
		}
		srv := advanceaitest.New(t)
		c := client(t, srv, kyc.WithClock(func() time.Time { return time.Now().Add(-290 * time.Second) }))
		_, err := c.Token(context.Background())
		require.NoError(t, err, "within 300 s")
	})
	t.Run("no token", func(t *testing.T) {
		srv := advanceaitest.New(t)
		resp, err := srv.Client().Post(srv.URL+advanceai.PathGetResult, "application/json", nil)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		assert.Contains(t, string(b), `"code":"IAM_FAILED"`)
	})
}

func TestWaiterCancellationDoesNotFailTheSharedRefresh(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	// The fake holds the token request long enough for every caller to
	// join it, however loaded the machine; the impatient caller leaves
	// only once they all wait, never on a clock.
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultLatency, Latency: 3 * time.Second, Path: advanceai.PathGenerateToken})

	short, leave := context.WithCancel(context.Background())
	defer leave()
	var wg sync.WaitGroup
	var shortErr error
	wg.Add(1)
	go func() { // starts the refresh, then gives up
		defer wg.Done()
		_, shortErr = c.Verify(short, idn("impatient"))
	}()
	require.Eventually(t, func() bool { return c.TokenWaiters() == 1 }, time.Minute, time.Millisecond)
	errs := make([]error, 5)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Verify(context.Background(), idn(fmt.Sprintf("patient-%d", i)))
		}()
	}
	require.Eventually(t, func() bool { return c.TokenWaiters() == 1+len(errs) }, 3*time.Second, time.Millisecond,
		"every caller joins the one refresh")
	leave()
	wg.Wait()
	require.ErrorIs(t, shortErr, kyc.ErrTimeout)
	assert.ErrorIs(t, shortErr, context.Canceled)
	for _, err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, 1, srv.Count(advanceai.PathGenerateToken), "one shared refresh")
	assert.Equal(t, 1, srv.TokenRequests())
	assert.Zero(t, srv.Sends("impatient"))
}

// TestAbandonedRefreshIsReplaced: a refresh whose every waiter gave up is
// cancelled, and the next caller starts its own rather than joining it.
// The first caller leaves only once the fake holds its token request (the
// fault holds it until the client hangs up): with a deadline instead, a
// loaded machine could give up before the request arrived, and the held
// fault would then catch the second caller's request.
func TestAbandonedRefreshIsReplaced(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultLatency, Latency: time.Hour, Path: advanceai.PathGenerateToken})

	first, leave := context.WithCancel(context.Background())
	defer leave()
	firstErr := make(chan error, 1)
	go func() {
		_, err := c.Token(first)
		firstErr <- err
	}()
	require.Eventually(t, func() bool { return srv.Count(advanceai.PathGenerateToken) == 1 },
		time.Minute, time.Millisecond, "the first token request reaches the fake")
	leave()
	err := <-firstErr
	require.ErrorIs(t, err, kyc.ErrTimeout)
	assert.ErrorIs(t, err, context.Canceled)

	// Joining the abandoned refresh would fail (it was cancelled) or, were
	// it not cancelled, wait for the held answer: the bound only ends such
	// a wait.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = c.Token(ctx)
	require.NoError(t, err, "a new caller does not join the abandoned refresh")
	assert.Equal(t, 2, srv.Count(advanceai.PathGenerateToken))
	assert.Equal(t, 1, srv.TokenRequests(), "the abandoned request was cancelled before the fake served it")
}

// A token that cannot be had ends Verify before generate-url is sent, and
// says so (NotSent), so a Router may fall back: no link exists.
func TestTokenFailureIsRaisedBeforeSending(t *testing.T) {
	t.Parallel()
	srv := advanceaitest.New(t)
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 500, Path: advanceai.PathGenerateToken, Times: 5})
	c := client(t, srv)
	_, err := c.Verify(context.Background(), idn("token-down"))
	require.ErrorIs(t, err, kyc.ErrUnavailable)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.True(t, kerr.NotSent, "generate-url was never sent")
	assert.True(t, kerr.Unprocessed)
	assert.False(t, kyc.MayHaveCharged(err), "a Router may fall back")
	assert.Equal(t, "advanceai.GenerateURL", kerr.Op)
	assert.Zero(t, srv.Count(advanceai.PathGenerateURL))
	assert.Equal(t, 3, srv.Count(advanceai.PathGenerateToken), "the free token exchange is retried like a read (twice by default), then the call ends")
}
