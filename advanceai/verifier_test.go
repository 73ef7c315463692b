package advanceai_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
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
