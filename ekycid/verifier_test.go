package ekycid_test

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/ekycid/ekycidtest"
	"github.com/kyc-go/kyc/kyctest"
)

// setup starts a fake and a client of it, retrying twice.
func setup(t testing.TB, opts ...ekycidtest.Option) (*ekycid.Client, *ekycidtest.Server) {
	t.Helper()
	srv := ekycidtest.New(t, opts...)
	return client(t, srv, nil), srv
}

// client is a client of srv with srv's Config changed by edit.
func client(t testing.TB, srv *ekycidtest.Server, edit func(*ekycid.Config)) *ekycid.Client {
	t.Helper()
	cfg := srv.Config()
	if edit != nil {
		edit(&cfg)
	}
	c, err := ekycid.New(cfg, append(srv.Options(), kyc.WithRetry(2, 20*time.Millisecond))...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func magic(t testing.TB, marker string) *kyc.Image {
	t.Helper()
	img, err := kyc.ImageFromBytes(kyctest.MagicImage(marker, 0))
	require.NoError(t, err)
	return img
}

func request(t testing.TB, doc, selfie string) kyc.Request {
	return kyc.Request{ID: "case-1", Country: "KHM", Document: kyc.Document{Type: kyc.DocumentIDCard, Front: magic(t, doc)}, Selfie: magic(t, selfie)}
}

// TestVerifyOutcomes drives every magic input of the kyctest vocabulary
// through Verify: the table of the ekycidtest package doc.
func TestVerifyOutcomes(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, ekycidtest.WithDelay(30*time.Millisecond))
	tests := []struct {
		marker   string
		doc      bool // the marker goes on the document, else on the selfie
		status   kyc.Status
		reasons  []kyc.Reason
		resubmit bool
	}{
		{kyctest.ImageApproved, false, kyc.StatusApproved, nil, false},
		{kyctest.ImageNoFace, false, kyc.StatusRejected, []kyc.Reason{kyc.ReasonNoFace}, true},
		{kyctest.ImageFaceMismatch, false, kyc.StatusRejected, []kyc.Reason{kyc.ReasonFaceMismatch}, false},
		{kyctest.ImageFaceBorderline, false, kyc.StatusRejected, []kyc.Reason{kyc.ReasonFaceMismatch}, false},
		{kyctest.ImageLivenessFailed, false, kyc.StatusRejected, []kyc.Reason{kyc.ReasonLivenessFailed}, false},
		{kyctest.ImageLowQuality, true, kyc.StatusRejected, []kyc.Reason{kyc.ReasonLowQualityImage}, true},
		{kyctest.ImageExpired, true, kyc.StatusRejected, []kyc.Reason{kyc.ReasonDocumentExpired}, false},
		{kyctest.ImageForged, true, kyc.StatusApproved, nil, false},
		{kyctest.ImageUnderage, true, kyc.StatusApproved, nil, false},
		{kyctest.ImageNoDocument, true, kyc.StatusRejected, []kyc.Reason{kyc.ReasonNoDocument}, true},
		{kyctest.ImageReview, false, kyc.StatusReview, []kyc.Reason{kyc.ReasonOther}, false},
		{kyctest.ImageNotFinished, false, kyc.StatusApproved, nil, false},
	}
	covered := map[string]bool{kyctest.ImageServerError: true} // TestVerifyServerErrorIsAnError
	for _, tt := range tests {
		covered[tt.marker] = true
		t.Run(tt.marker, func(t *testing.T) {
			t.Parallel()
			req := request(t, "", tt.marker)
			if tt.doc {
				req = request(t, tt.marker, "")
			}
			res, err := c.Verify(context.Background(), req)
			require.NoError(t, err)
			assert.Equal(t, tt.status, res.Status)
			assert.Equal(t, tt.reasons, res.Reasons)
			assert.Equal(t, tt.resubmit, res.Resubmit)
			assert.Equal(t, kyc.EKYC, res.Provider)
			assert.Regexp(t, `^ekycid:[0-9a-f]+$`, res.Reference)
			assert.NotEmpty(t, res.Raw)
			ref, err := kyc.ParseReference(res.Reference)
			require.NoError(t, err)
			assert.Equal(t, 1, srv.Sends(ref.ID))
		})
	}
	for _, m := range kyctest.MagicInputs() {
		assert.True(t, covered[m], "magic input %s has no row", m)
	}
}

func TestVerifyApprovedDetails(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, ekycidtest.WithDelay(0))
	res, err := c.Verify(context.Background(), request(t, "", ""))
	require.NoError(t, err)
	require.NotNil(t, res.Document)
	assert.Equal(t, "100000001", res.Document.Number)
	assert.Equal(t, "POV SREY", res.Document.FullName)
	assert.Equal(t, time.Date(1990, 8, 3, 0, 0, 0, 0, time.UTC), res.Document.DateOfBirth)
	assert.Equal(t, time.Date(2032, 1, 25, 0, 0, 0, 0, time.UTC), res.Document.ExpiryDate)
	assert.Equal(t, "F", res.Document.Sex)
	assert.Equal(t, kyc.DocumentIDCard, res.Document.Type)
	fm, ok := res.Scores.FaceMatch.Value()
	assert.True(t, ok)
	assert.InDelta(t, 0.93, fm, 1e-9)
	assert.True(t, res.Scores.Liveness.Given())
}

func TestFaceBorderlineFollowsThreshold(t *testing.T) {
	t.Parallel()
	srv := ekycidtest.New(t, ekycidtest.WithDelay(0))
	c := client(t, srv, func(cfg *ekycid.Config) { cfg.FaceMatchThreshold = 0.7 })
	res, err := c.Verify(context.Background(), request(t, "", kyctest.ImageFaceBorderline))
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, res.Status, "0.74 passes a threshold of 0.7")
}

func TestVerifyServerErrorIsAnError(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, ekycidtest.WithDelay(0))
	_, err := c.Verify(context.Background(), request(t, kyctest.ImageServerError, ""))
	require.Error(t, err)
	assert.ErrorIs(t, err, kyc.ErrUnavailable)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.Equal(t, "INTERNAL_ERROR", kerr.Code)
	assert.Equal(t, 500, kerr.StatusCode)
	assert.Empty(t, kerr.Reference, "nothing was started")
	assert.Equal(t, 3, srv.Count("/v0/express-kyc"), "an idempotent submission is resent after a 500")
	assert.Empty(t, srv.SendKeys(), "nothing was processed")
}

// fakeClock is a clock both the fake and the test move.
type fakeClock struct{ ns atomic.Int64 }

func (c *fakeClock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *fakeClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

func TestVerifyPendingThenResult(t *testing.T) {
	t.Parallel()
	clk := &fakeClock{}
	clk.ns.Store(time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC).UnixNano())
	srv := ekycidtest.New(t, ekycidtest.WithClock(clk.now), ekycidtest.WithDelay(time.Hour))
	// The fake takes an hour of its clock, which stands still: only the
	// wait's bound ends Verify. (A 1 s context, which also bounded the
	// upload, could end before the submission on a loaded machine.)
	c := client(t, srv, func(cfg *ekycid.Config) { cfg.PollTimeout = 100 * time.Millisecond })

	res, err := c.Verify(context.Background(), request(t, "", kyctest.ImageFaceMismatch))
	require.NoError(t, err, "a wait that ends before the reply is a pending result, not an error")
	assert.Equal(t, kyc.StatusPending, res.Status)
	assert.Equal(t, []kyc.Reason{kyc.ReasonNotFinished}, res.Reasons)
	assert.Regexp(t, `^ekycid:[0-9a-f]+$`, res.Reference)

	again, err := c.Result(context.Background(), res.Reference)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusPending, again.Status)

	clk.advance(2 * time.Hour)
	final, err := c.Result(context.Background(), res.Reference)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusRejected, final.Status)
	assert.Equal(t, []kyc.Reason{kyc.ReasonFaceMismatch}, final.Reasons)
	assert.Equal(t, res.Reference, final.Reference)
	assert.Equal(t, 1, srv.Count("/v0/express-kyc"))
}

func TestResultRefusesOtherReferences(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	for _, ref := range []string{"", "ekycid", "atlas:123", "ekycid:", "ekycid:..", "ekycid:a/b", "ekycid:a\x00b"} {
		_, err := c.Result(context.Background(), ref)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, ref)
	}
	_, err := c.Result(context.Background(), "ekycid:nope")
	assert.ErrorIs(t, err, kyc.ErrNotFound)
	assert.Equal(t, 1, len(srv.Requests()))
}

func TestVerifyWithLivenessVideos(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, ekycidtest.WithDelay(0))
	live := ekycid.Sequence{Checks: []ekycid.Check{ekycid.CheckLeft}, Video: ekycid.VideoFromBytes(ekycidtest.MagicVideo("approved"), "video/mp4")}
	spoof := ekycid.Sequence{Checks: []ekycid.Check{ekycid.CheckBlink}, Video: ekycid.VideoFromBytes(ekycidtest.MagicVideo(kyctest.ImageLivenessFailed), "")}
	byURL := ekycid.Sequence{Checks: []ekycid.Check{ekycid.CheckRight}, Video: ekycid.VideoURL(ekycidtest.MagicURL(kyctest.ImageLivenessFailed))}

	res, err := c.VerifyWithLiveness(context.Background(), request(t, "", ""), live)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, res.Status)

	for _, seq := range []ekycid.Sequence{spoof, byURL} {
		res, err = c.VerifyWithLiveness(context.Background(), request(t, "", ""), live, seq)
		require.NoError(t, err)
		assert.Equal(t, kyc.StatusRejected, res.Status)
		assert.Equal(t, []kyc.Reason{kyc.ReasonLivenessFailed}, res.Reasons)
	}
}

func TestBadInputSendsNothing(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	ctx := context.Background()
	img := magic(t, "")
	noVideo := ekycid.Sequence{Checks: []ekycid.Check{ekycid.CheckLeft}}
	tests := []struct {
		name  string
		field string
		call  func() error
	}{
		{"verify without selfie", "Selfie", func() error {
			_, err := c.Verify(ctx, kyc.Request{Country: "KHM", Document: kyc.Document{Front: img}})
			return err
		}},
		{"verify other country", "Country", func() error {
			_, err := c.Verify(ctx, kyc.Request{Country: "ESP", Document: kyc.Document{Front: img}, Selfie: img})
			return err
		}},
		{"verify without country", "Country", func() error {
			_, err := c.Verify(ctx, kyc.Request{Document: kyc.Document{Front: img}, Selfie: img})
			return err
		}},
		{"verify passport", "Document.Type", func() error {
			_, err := c.Verify(ctx, kyc.Request{Country: "KHM", Document: kyc.Document{Type: kyc.DocumentPassport, Front: img}, Selfie: img})
			return err
		}},
		{"verify selfie too large", "Selfie", func() error {
			big, err := kyc.ImageFromBytes(kyctest.MagicImage("", ekycid.MaxImageSize+1))
			require.NoError(t, err)
			req := request(t, "", "")
			req.Selfie = big
			_, err = c.Verify(ctx, req)
			return err
		}},
		{"ocr object type with newline", "ObjectType", func() error {
			_, err := c.OCR(ctx, ekycid.OCRRequest{Image: ekycid.MediaURL(ekycidtest.MagicURL("")), ObjectType: "A\nB"})
			return err
		}},
		{"verify sequence without video", "Sequences[0].Video", func() error {
			_, err := c.VerifyWithLiveness(ctx, request(t, "", ""), noVideo)
			return err
		}},
		{"ocr without image or url", "Image", func() error {
			_, err := c.OCR(ctx, ekycid.OCRRequest{})
			return err
		}},
		{"ocr with both", "Image", func() error {
			_, err := c.OCR(ctx, ekycid.OCRRequest{Image: ekycid.Media{URL: ekycidtest.MagicURL(""), Image: img}})
			return err
		}},
		{"ocr relative url", "Image", func() error {
			_, err := c.OCR(ctx, ekycid.OCRRequest{Image: ekycid.MediaURL("/card.jpg")})
			return err
		}},
		{"detect without image", "Image", func() error {
			_, err := c.DetectID(ctx, ekycid.DetectIDRequest{})
			return err
		}},
		{"compare one face", "Face1", func() error {
			_, err := c.CompareFaces(ctx, ekycid.CompareFacesRequest{Face0: ekycid.MediaImage(img)})
			return err
		}},
		{"liveness without sequences", "Sequences", func() error {
			_, err := c.Liveness(ctx, ekycid.LivenessRequest{})
			return err
		}},
		{"liveness sequence without video", "Sequences[0].Video", func() error {
			_, err := c.Liveness(ctx, ekycid.LivenessRequest{Sequences: []ekycid.Sequence{noVideo}})
			return err
		}},
		{"liveness unknown check", "Sequences[0].Checks", func() error {
			_, err := c.Liveness(ctx, ekycid.LivenessRequest{Sequences: []ekycid.Sequence{{Checks: []ekycid.Check{"nod"}, Video: ekycid.VideoURL(ekycidtest.MagicURL(""))}}})
			return err
		}},
		{"liveness video too large", "Sequences[0].Video", func() error {
			big := ekycid.VideoFromBytes(make([]byte, ekycid.MaxVideoSize+1), "")
			_, err := c.Liveness(ctx, ekycid.LivenessRequest{Sequences: []ekycid.Sequence{{Checks: []ekycid.Check{ekycid.CheckBlink}, Video: big}}})
			return err
		}},
		{"manual kyc without face", "Face", func() error {
			_, err := c.ManualKYC(ctx, ekycid.ManualKYCRequest{Document: ekycid.MediaImage(img)})
			return err
		}},
		{"express kyc without document", "Document", func() error {
			_, err := c.ExpressKYC(ctx, ekycid.ExpressKYCRequest{Face: ekycid.MediaImage(img)})
			return err
		}},
		{"express kyc bad idempotent id", "IdempotentID", func() error {
			_, err := c.ExpressKYC(ctx, ekycid.ExpressKYCRequest{Document: ekycid.MediaImage(img), Face: ekycid.MediaImage(img), IdempotentID: "x"})
			return err
		}},
		{"reply without id", "id", func() error {
			_, err := c.Reply(ctx, "")
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.Error(t, err)
			assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.EqualValues(t, tt.field, kerr.Field)
			assert.Equal(t, kyc.EKYC, kerr.Provider)
			assert.True(t, kerr.NotSent)
			assert.False(t, kyc.MayHaveCharged(err))
		})
	}
	assert.Empty(t, srv.Requests(), "bad input must not reach the vendor")
}

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	srv := ekycidtest.New(t)
	tests := []struct {
		key    string
		kind   error
		status int
		code   string
	}{
		{ekycidtest.KeyExpired, kyc.ErrUnauthorized, 401, "EXPIRED_API_KEY"},
		{"not-a-key", kyc.ErrUnauthorized, 401, "INVALID_API_KEY"},
		{ekycidtest.KeyNoPermission, kyc.ErrForbidden, 403, "INSUFFICIENT_PERMISSIONS"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			c, err := ekycid.New(ekycid.Config{APIKey: kyc.NewSecret(tt.key)}, srv.Options()...)
			require.NoError(t, err)
			before := len(srv.Requests())
			_, err = c.OCR(context.Background(), ekycid.OCRRequest{Image: ekycid.MediaURL(ekycidtest.MagicURL(""))})
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.kind)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, tt.status, kerr.StatusCode)
			assert.Equal(t, tt.code, kerr.Code)
			assert.NotContains(t, err.Error(), tt.key)
			assert.Equal(t, before+1, len(srv.Requests()), "authentication failures are not retried")
		})
	}
	t.Run("key sent on every request", func(t *testing.T) {
		for _, r := range srv.Requests() {
			assert.NotEmpty(t, r.Header.Get("X-Api-Key"))
		}
	})
	t.Run("missing key", func(t *testing.T) {
		resp, err := srv.Client().Get(srv.URL + "/v0/api-request-reply/x")
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, 401, resp.StatusCode)
		b, _ := io.ReadAll(resp.Body)
		assert.JSONEq(t, `{"error":{"code":"MISSING_API_KEY","message":"Missing API key"}}`, string(b))
	})
}

func TestTypedOperations(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, ekycidtest.WithDelay(0))
	ctx := context.Background()
	wait := func(t *testing.T) func(*ekycid.SubmissionResult, error) *ekycid.ReplyResult {
		return func(s *ekycid.SubmissionResult, err error) *ekycid.ReplyResult {
			t.Helper()
			require.NoError(t, err)
			r, err := c.Wait(ctx, s.ID)
			require.NoError(t, err)
			require.True(t, r.Done())
			return r
		}
	}
	t.Run("ocr by url", func(t *testing.T) {
		r := wait(t)(c.OCR(ctx, ekycid.OCRRequest{Image: ekycid.MediaURL(ekycidtest.MagicURL(""))}))
		d := r.Document()
		require.NotNil(t, d)
		assert.Equal(t, "100000001", d.Number)
		assert.Equal(t, "ភ្នំពេញ", d.Address)
		require.NotNil(t, r.Usage)
		assert.True(t, r.Usage.IsSuccess)
		assert.False(t, r.Usage.StartTime.IsZero())
	})
	t.Run("ocr by upload", func(t *testing.T) {
		r := wait(t)(c.OCR(ctx, ekycid.OCRRequest{Image: ekycid.MediaImage(magic(t, "")), Raw: true}))
		assert.NotNil(t, r.Document())
	})
	t.Run("ocr unreadable", func(t *testing.T) {
		s, err := c.OCR(ctx, ekycid.OCRRequest{Image: ekycid.MediaURL(ekycidtest.MagicURL(kyctest.ImageLowQuality))})
		require.NoError(t, err)
		r, err := c.Wait(ctx, s.ID)
		require.Error(t, err)
		require.NotNil(t, r, "the reply comes with its error")
		assert.Equal(t, "OCR_FAILED", r.Error.Code)
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr)
		assert.Equal(t, "OCR_FAILED", kerr.Code)
	})
	t.Run("detect id", func(t *testing.T) {
		r := wait(t)(c.DetectID(ctx, ekycid.DetectIDRequest{Image: ekycid.MediaImage(magic(t, ""))}))
		assert.Contains(t, string(r.Result), "NATIONAL_ID_0")
	})
	t.Run("compare faces", func(t *testing.T) {
		r := wait(t)(c.CompareFaces(ctx, ekycid.CompareFacesRequest{
			Face0: ekycid.MediaImage(magic(t, "")), Face1: ekycid.MediaURL(ekycidtest.MagicURL(kyctest.ImageFaceMismatch))}))
		v := r.FaceMatch()
		assert.Equal(t, ekycid.DecisionFail, v.Decision)
		pass, ok := v.Passed(0.5)
		assert.True(t, ok)
		assert.False(t, pass)
	})
	t.Run("liveness", func(t *testing.T) {
		r := wait(t)(c.Liveness(ctx, ekycid.LivenessRequest{Sequences: []ekycid.Sequence{
			{Checks: []ekycid.Check{ekycid.CheckLeft}, Video: ekycid.VideoFromBytes(ekycidtest.MagicVideo(""), "")},
			{Checks: []ekycid.Check{ekycid.CheckRight, ekycid.CheckBlink}, Video: ekycid.VideoURL(ekycidtest.MagicURL(""))},
		}}))
		v := r.Liveness()
		assert.Equal(t, ekycid.DecisionPass, v.Decision)
		assert.True(t, v.Score.Given())
		assert.Contains(t, string(r.Result), `"right,blink"`)
	})
	t.Run("manual kyc", func(t *testing.T) {
		r := wait(t)(c.ManualKYC(ctx, ekycid.ManualKYCRequest{Document: ekycid.MediaImage(magic(t, "")),
			Face: ekycid.MediaImage(magic(t, "")), FaceLeft: ekycid.MediaURL(ekycidtest.MagicURL("")), FaceRight: ekycid.MediaURL(ekycidtest.MagicURL(""))}))
		o := r.Outcome()
		assert.NotNil(t, o.Document)
		assert.True(t, o.FaceMatch.Given())
		assert.True(t, o.Liveness.Given())
	})
	t.Run("call", func(t *testing.T) {
		var out struct{ ID string }
		op := kyc.Operation{Name: "ekycid.Call", Path: "/v0/ocr", Idempotent: true}
		require.NoError(t, c.Call(ctx, op, ekycid.NewForm().Set("object_type", "NATIONAL_ID_0").Set("image_url", ekycidtest.MagicURL("")), &out))
		assert.NotEmpty(t, out.ID)
		err := c.Call(ctx, kyc.Operation{Method: http.MethodGet, Path: "/v0/abis/identify"}, nil, nil)
		assert.ErrorIs(t, err, kyc.ErrNotFound)
	})
}

// TestVerifyErrorsCarryReference: every error after the submission got its
// id carries the submission's Reference, and counts as a possible charge.
func TestVerifyErrorsCarryReference(t *testing.T) {
	t.Parallel()
	faults := []struct {
		name  string
		fault kyctest.Fault
		kind  error
	}{
		{"reply 404", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 404, Body: `{"error":{"code":"NOT_FOUND","message":"x"}}`}, kyc.ErrNotFound},
		{"reply 401", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 401, Body: `{"error":{"code":"INVALID_API_KEY","message":"x"}}`}, kyc.ErrUnauthorized},
		{"malformed reply", kyctest.Fault{Kind: kyctest.FaultMalformed}, kyc.ErrBadResponse},
		{"reply error without a reason", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 200,
			Body: `{"result":null,"error":{"code":"INTERNAL_ERROR","message":"x"}}`}, kyc.ErrUnavailable},
	}
	for _, tt := range faults {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t, ekycidtest.WithDelay(0))
			f := tt.fault
			f.Path, f.Times = "api-request-reply", 10
			srv.Inject(f)
			_, err := c.Verify(context.Background(), request(t, "", ""))
			require.ErrorIs(t, err, tt.kind)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Regexp(t, `^ekycid:[0-9a-f]+$`, kerr.Reference)
			assert.True(t, kyc.MayHaveCharged(err))
			ref, _ := kyc.ParseReference(kerr.Reference)
			assert.Equal(t, 1, srv.Sends(ref.ID), "the reference names the submission the fake processed")
		})
	}
	t.Run("vendor unreachable after the submission", func(t *testing.T) {
		t.Parallel()
		srv := ekycidtest.New(t, ekycidtest.WithDelay(0))
		c := client(t, srv, func(cfg *ekycid.Config) { cfg.PollTimeout = 200 * time.Millisecond })
		srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503, Path: "api-request-reply", Times: 1000})
		res, err := c.Verify(context.Background(), request(t, "", ""))
		require.NoError(t, err)
		assert.Equal(t, kyc.StatusPending, res.Status, "the bound passed: pending, to resume with Result")
		assert.NotEmpty(t, res.Reference)
	})
}
