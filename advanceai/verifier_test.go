package advanceai_test

import (
	"bytes"
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

// setup starts a fake with opts and returns a client pointed at it.
func setup(t testing.TB, opts ...advanceaitest.Option) (*advanceai.Client, *advanceaitest.Server) {
	t.Helper()
	srv := advanceaitest.New(t, opts...)
	return client(t, srv), srv
}

// client returns another client of srv, with extra options.
func client(t testing.TB, srv *advanceaitest.Server, opts ...kyc.Option) *advanceai.Client {
	t.Helper()
	c, err := advanceai.New(srv.Config(), append(srv.Options(), opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func idn(id string) kyc.Request {
	return kyc.Request{ID: id, Country: "IDN", Link: kyc.LinkOptions{ReturnURL: "https://example.com/done"}}
}

func TestVerifyThenResultForEveryOutcome(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	ctx := context.Background()
	tests := []struct {
		idv      string
		status   kyc.Status
		reason   kyc.Reason
		resubmit bool
		document bool
	}{
		{advanceai.IDVSuccess, kyc.StatusApproved, "", false, true},
		{advanceai.IDVForgeryDetected, kyc.StatusRejected, kyc.ReasonDocumentForged, false, true},
		{advanceai.IDVLowQualityImage, kyc.StatusRejected, kyc.ReasonLowQualityImage, true, false},
		{advanceai.IDVCardNotFound, kyc.StatusRejected, kyc.ReasonNoDocument, true, false},
		{advanceai.IDVTooManyCards, kyc.StatusRejected, kyc.ReasonOther, true, false},
		{advanceai.IDVNoSupportedCard, kyc.StatusRejected, kyc.ReasonUnsupportedDocument, true, false},
		{advanceai.IDVIncompletedCard, kyc.StatusRejected, kyc.ReasonLowQualityImage, true, false},
		{advanceai.IDVTooSmallCard, kyc.StatusRejected, kyc.ReasonLowQualityImage, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.idv, func(t *testing.T) {
			res, err := c.Verify(ctx, idn("case-"+tt.idv))
			require.NoError(t, err)
			assert.Equal(t, kyc.StatusPending, res.Status)
			require.NotNil(t, res.Link)
			assert.Contains(t, res.Link.URL, srv.URL+advanceaitest.H5Path)
			assert.WithinDuration(t, time.Now().Add(advanceaitest.LinkTTL), res.Link.ExpiresAt, 5*time.Second)

			pending, err := c.Result(ctx, res.Reference)
			require.NoError(t, err)
			assert.Equal(t, kyc.StatusPending, pending.Status)
			assert.Equal(t, []kyc.Reason{kyc.ReasonNotFinished}, pending.Reasons)

			require.NoError(t, srv.Complete(advanceaitest.SignatureID(res.Reference), tt.idv))
			done, err := c.Result(ctx, res.Reference)
			require.NoError(t, err)
			assert.Equal(t, tt.status, done.Status)
			assert.Equal(t, tt.resubmit, done.Resubmit)
			if tt.reason != "" {
				assert.Equal(t, []kyc.Reason{tt.reason}, done.Reasons)
			}
			assert.Equal(t, tt.document, done.Document != nil)
			assert.Equal(t, res.Reference, done.Reference)
			assert.NotEmpty(t, done.Raw)
			assert.Equal(t, 1, srv.Sends("case-"+tt.idv))
		})
	}
	t.Run("ERROR", func(t *testing.T) {
		res, err := c.Verify(ctx, idn("case-error"))
		require.NoError(t, err)
		require.NoError(t, srv.Complete(advanceaitest.SignatureID(res.Reference), advanceai.IDVError))
		_, err = c.Result(ctx, res.Reference)
		assert.ErrorIs(t, err, kyc.ErrUnavailable)
		assert.True(t, kyc.IsRetryable(err))
	})
	assert.Equal(t, 1, srv.TokenRequests())
	assert.Zero(t, srv.DuplicateSends())
}

func openLink(t *testing.T, srv *advanceaitest.Server, link string) int {
	t.Helper()
	resp, err := srv.Client().Get(link)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
	return resp.StatusCode
}

func TestOpeningTheLinkCompletesTheVerification(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	ctx := context.Background()

	res, err := c.Verify(ctx, idn("link-1"))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, openLink(t, srv, res.Link.URL))
	got, err := c.Result(ctx, res.Reference)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, got.Status)

	res, err = c.Verify(ctx, idn("link-2"))
	require.NoError(t, err)
	require.NoError(t, srv.SetOutcome(advanceaitest.SignatureID(res.Reference), advanceai.IDVForgeryDetected))
	assert.Equal(t, http.StatusOK, openLink(t, srv, res.Link.URL))
	assert.Equal(t, http.StatusOK, openLink(t, srv, res.Link.URL), "opening it again changes nothing")
	got, err = c.Result(ctx, res.Reference)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusRejected, got.Status)
	assert.True(t, got.HasReason(kyc.ReasonDocumentForged))

	assert.Equal(t, http.StatusNotFound, openLink(t, srv, srv.URL+advanceaitest.H5Path+"?signatureId=nope&token=x"))
	assert.Error(t, srv.Complete("nope", advanceai.IDVSuccess))
	assert.Error(t, srv.Complete(advanceaitest.SignatureID(res.Reference), "NOT_A_CODE"))
	assert.Error(t, srv.SetOutcome("nope", advanceai.IDVSuccess))
}

func TestLinkExpiresByTheFakeClock(t *testing.T) {
	t.Parallel()
	clk := advanceaitest.NewClock(time.Now())
	c, srv := setup(t, advanceaitest.WithClock(clk.Now))
	res, err := c.Verify(context.Background(), idn("late"))
	require.NoError(t, err)
	clk.Advance(advanceaitest.LinkTTL)
	assert.Equal(t, http.StatusGone, openLink(t, srv, res.Link.URL))
}

func TestBadInputIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"empty ReturnURL", func() error {
			_, err := c.Verify(ctx, kyc.Request{Country: "IDN"})
			return err
		}, "Link.ReturnURL"},
		{"region XYZ", func() error {
			_, err := c.Verify(ctx, kyc.Request{Country: "XYZ", Link: kyc.LinkOptions{ReturnURL: "https://e.example"}})
			return err
		}, "Country"},
		{"no country", func() error {
			_, err := c.Verify(ctx, kyc.Request{Link: kyc.LinkOptions{ReturnURL: "https://e.example"}})
			return err
		}, "Country"},
		{"relative ReturnURL", func() error {
			_, err := c.Verify(ctx, kyc.Request{Country: "IDN", Link: kyc.LinkOptions{ReturnURL: "/done"}})
			return err
		}, "Link.ReturnURL"},
		{"passport", func() error {
			req := idn("p")
			req.Document.Type = kyc.DocumentPassport
			_, err := c.Verify(ctx, req)
			return err
		}, "Document.Type"},
		{"GenerateURL region XYZ", func() error {
			_, err := c.GenerateURL(ctx, advanceai.GenerateURLRequest{ReturnURL: "https://e.example", Region: "XYZ"})
			return err
		}, "Region"},
		{"GenerateURL empty ReturnURL", func() error {
			_, err := c.GenerateURL(ctx, advanceai.GenerateURLRequest{})
			return err
		}, "ReturnURL"},
		{"GenerateURL bad FailReturnURL", func() error {
			_, err := c.GenerateURL(ctx, advanceai.GenerateURLRequest{ReturnURL: "https://e.example", FailReturnURL: "mailto:x"})
			return err
		}, "FailReturnURL"},
		{"GetResult empty id", func() error {
			_, err := c.GetResult(ctx, "")
			return err
		}, "signatureID"},
		{"Result of another provider", func() error {
			_, err := c.Result(ctx, "atlas:123")
			return err
		}, "ref"},
		{"Result malformed", func() error {
			_, err := c.Result(ctx, "no-colon")
			return err
		}, "ref"},
		{"Call absolute URL", func() error {
			return c.Call(ctx, kyc.Operation{Method: http.MethodPost, Path: "https://evil.example/x"}, nil, nil)
		}, "op.Path"},
		{"GetResult path id", func() error {
			_, err := c.GetResult(ctx, "../generate-url")
			return err
		}, "signatureID"},
		{"Result with NUL", func() error {
			_, err := c.Result(ctx, "advanceai:ab\x00c")
			return err
		}, "ref"},
		{"UserID with a newline", func() error {
			_, err := c.Verify(ctx, idn("a\nb"))
			return err
		}, "ID"},
		{"TokenTTL 10s", func() error {
			cfg := srv.Config()
			cfg.TokenTTL = 10 * time.Second
			_, err := advanceai.New(cfg, srv.Options()...)
			return err
		}, "TokenTTL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.EqualValues(t, tt.field, kerr.Field)
			assert.Equal(t, kyc.AdvanceAI, kerr.Provider)
			assert.True(t, kerr.NotSent)
			assert.True(t, kerr.Unprocessed)
			assert.False(t, kyc.MayHaveCharged(err))
		})
	}
	assert.Empty(t, srv.Requests(), "nothing reached the fake")
}

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

func TestInjectedFaultsNeverDuplicateALink(t *testing.T) {
	t.Parallel()
	srv := advanceaitest.New(t)
	c := client(t, srv, kyc.WithRetry(3, 20*time.Millisecond))
	srv.FaultRate(0.3, 7,
		kyctest.Fault{Kind: kyctest.FaultRateLimit, RetryAfter: "0"},
		kyctest.Fault{Kind: kyctest.FaultStatus, Status: http.StatusServiceUnavailable},
		kyctest.Fault{Kind: kyctest.FaultStatus, Status: http.StatusBadGateway, After: true},
		kyctest.Fault{Kind: kyctest.FaultMalformed, After: true},
		kyctest.Fault{Kind: kyctest.FaultDrop},
		kyctest.Fault{Kind: kyctest.FaultTruncate},
	)
	var ok, failed int
	for i := range 60 {
		_, err := c.Verify(context.Background(), idn(fmt.Sprintf("f-%d", i)))
		if err != nil {
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			failed++
			continue
		}
		ok++
	}
	assert.Positive(t, ok)
	assert.Positive(t, failed)
	assert.NotEmpty(t, srv.Injected())
	assert.Zero(t, srv.DuplicateSends())
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

// capture posts a photo carrying the magic marker to the link, as the
// person would on the vendor's page.
func capture(t *testing.T, srv *advanceaitest.Server, link, marker string) {
	t.Helper()
	resp, err := srv.Client().Post(link, "image/jpeg", bytes.NewReader(kyctest.MagicImage(marker, 0)))
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestMagicInputs(t *testing.T) {
	t.Parallel()
	approved := func(t *testing.T, r *kyc.Result, err error) {
		require.NoError(t, err)
		assert.Equal(t, kyc.StatusApproved, r.Status)
		assert.NotNil(t, r.Document)
	}
	rejected := func(reason kyc.Reason, resubmit, document bool) func(*testing.T, *kyc.Result, error) {
		return func(t *testing.T, r *kyc.Result, err error) {
			require.NoError(t, err)
			assert.Equal(t, kyc.StatusRejected, r.Status)
			assert.Equal(t, []kyc.Reason{reason}, r.Reasons)
			assert.Equal(t, resubmit, r.Resubmit)
			assert.Equal(t, document, r.Document != nil)
		}
	}
	want := map[string]func(*testing.T, *kyc.Result, error){
		kyctest.ImageApproved:       approved,
		kyctest.ImageNoFace:         approved,
		kyctest.ImageFaceMismatch:   approved,
		kyctest.ImageFaceBorderline: approved,
		kyctest.ImageLivenessFailed: approved,
		kyctest.ImageLowQuality:     rejected(kyc.ReasonLowQualityImage, true, false),
		kyctest.ImageExpired:        approved,
		kyctest.ImageForged:         rejected(kyc.ReasonDocumentForged, false, true),
		kyctest.ImageUnderage:       approved,
		kyctest.ImageNoDocument:     rejected(kyc.ReasonNoDocument, true, false),
		kyctest.ImageReview:         approved,
		kyctest.ImageNotFinished:    approved, // on the second read, below
		kyctest.ImageServerError: func(t *testing.T, _ *kyc.Result, err error) {
			require.ErrorIs(t, err, kyc.ErrUnavailable)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, advanceai.IDVError, kerr.Code)
		},
	}
	require.Len(t, want, len(kyctest.MagicInputs()))
	for _, m := range kyctest.MagicInputs() {
		t.Run(m, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			ctx := context.Background()
			res, err := c.Verify(ctx, idn("magic-"+m))
			require.NoError(t, err)
			capture(t, srv, res.Link.URL, m)
			got, err := c.Result(ctx, res.Reference)
			if m == kyctest.ImageNotFinished {
				require.NoError(t, err)
				assert.Equal(t, kyc.StatusPending, got.Status, "not finished on the first read")
				assert.Equal(t, []kyc.Reason{kyc.ReasonNotFinished}, got.Reasons)
				got, err = c.Result(ctx, res.Reference)
			}
			want[m](t, got, err)
			code, produced := advanceaitest.MagicOutcome(m)
			if !produced {
				assert.Equal(t, advanceai.IDVSuccess, code)
			}
		})
	}
}

// TestResendPolicy counts, at the fake, what each fault does to a billed
// GenerateURL and a free GetResult under the default options.
func TestResendPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		fault       kyctest.Fault
		sends       int  // generate-url requests that reached the fake
		links       int  // links the fake created
		ok          bool // Verify succeeds
		unprocessed bool // when it fails: Unprocessed
	}{
		{"503 before", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503}, 2, 1, true, false},
		{"429 before", kyctest.Fault{Kind: kyctest.FaultRateLimit, RetryAfter: "0"}, 2, 1, true, false},
		{"drop before the logic", kyctest.Fault{Kind: kyctest.FaultDrop}, 1, 0, false, false},
		{"500 after", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 500, After: true}, 1, 1, false, false},
		{"502 after", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 502, After: true}, 1, 1, false, false},
		{"504 after", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 504, After: true}, 1, 1, false, false},
		{"503 three times", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503, Times: 3}, 3, 0, false, true},
		{"truncated 200", kyctest.Fault{Kind: kyctest.FaultTruncate}, 1, 1, false, false},
		{"malformed 200", kyctest.Fault{Kind: kyctest.FaultMalformed, After: true}, 1, 1, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := advanceaitest.New(t)
			c := client(t, srv, kyc.WithRetry(2, 10*time.Millisecond))
			_, err := c.Token(context.Background())
			require.NoError(t, err)
			f := tt.fault
			f.Path = advanceai.PathGenerateURL
			srv.Inject(f)
			_, err = c.Verify(context.Background(), idn("policy"))
			assert.Equal(t, tt.sends, srv.Count(advanceai.PathGenerateURL), "requests at the fake")
			assert.Equal(t, tt.links, srv.Sends("policy"), "links created")
			if tt.ok {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, tt.unprocessed, kerr.Unprocessed)
			assert.Equal(t, !tt.unprocessed, kyc.MayHaveCharged(err))
		})
	}
	t.Run("free GetResult is retried after a 500", func(t *testing.T) {
		t.Parallel()
		c, srv := setup(t)
		res, err := c.Verify(context.Background(), idn("read"))
		require.NoError(t, err)
		srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 500, Path: advanceai.PathGetResult, After: true})
		_, err = c.Result(context.Background(), res.Reference)
		require.NoError(t, err)
		assert.Equal(t, 2, srv.Count(advanceai.PathGetResult))
	})
}
