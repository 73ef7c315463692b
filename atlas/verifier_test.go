package atlas_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/atlas/atlastest"
	"github.com/kyc-go/kyc/kyctest"
)

// setup starts a fake Atlas (closed when the test ends) and returns a
// client for it.
func setup(t testing.TB, opts ...atlastest.Option) (*atlas.Client, *atlastest.Server) {
	t.Helper()
	srv := atlastest.New(t, opts...)
	return client(t, srv, nil), srv
}

// client returns another client of srv, its Config changed by mutate.
func client(t testing.TB, srv *atlastest.Server, mutate func(*atlas.Config), opts ...kyc.Option) *atlas.Client {
	t.Helper()
	cfg := srv.Config()
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := atlas.New(cfg, append(srv.Options(), opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestVerifyOutcomes(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	ctx := context.Background()
	card := mustImage(t, "")
	req := func(pan, name, selfieMarker string) kyc.Request {
		return kyc.Request{ID: "case-1", Country: "IND",
			Document: kyc.Document{Type: kyc.DocumentPAN, Number: pan, Front: card},
			Selfie:   mustImage(t, selfieMarker), Person: kyc.Person{FullName: name}}
	}
	tests := []struct {
		name     string
		req      kyc.Request
		status   kyc.Status
		reasons  []kyc.Reason
		resubmit bool
		compared bool
	}{
		{"approved", req("ABCDE1234F", "Rahul Kumar Sharma", kyctest.ImageApproved), kyc.StatusApproved, nil, false, true},
		{"names in another order and case", req("ABCDE1234F", "sharma, rahul kumar", ""), kyc.StatusApproved, nil, false, true},
		{"invalid PAN skips the face comparison", req(atlastest.PANInvalid, "Rahul Kumar Sharma", ""), kyc.StatusRejected,
			[]kyc.Reason{kyc.ReasonDocumentNumberMismatch}, false, false},
		{"holder name differs", req(atlastest.PANOtherHolder, "Rahul Kumar Sharma", ""), kyc.StatusRejected,
			[]kyc.Reason{kyc.ReasonNameMismatch}, false, true},
		{"partial name goes to review", req(atlastest.PANShortName, "Rahul Kumar Sharma", ""), kyc.StatusReview,
			[]kyc.Reason{kyc.ReasonNameMismatch}, false, true},
		{"initials go to review", req("ABCDE1234F", "R K Sharma", ""), kyc.StatusReview,
			[]kyc.Reason{kyc.ReasonNameMismatch}, false, true},
		{"face mismatch", req("ABCDE1234F", "Rahul Kumar Sharma", kyctest.ImageFaceMismatch), kyc.StatusRejected,
			[]kyc.Reason{kyc.ReasonFaceMismatch}, false, true},
		{"borderline face goes to review", req("ABCDE1234F", "Rahul Kumar Sharma", kyctest.ImageFaceBorderline), kyc.StatusReview,
			[]kyc.Reason{kyc.ReasonFaceMismatch}, false, true},
		{"no face", req("ABCDE1234F", "Rahul Kumar Sharma", kyctest.ImageNoFace), kyc.StatusRejected,
			[]kyc.Reason{kyc.ReasonNoFace}, true, true},
		{"two problems", req(atlastest.PANOtherHolder, "Rahul Kumar Sharma", kyctest.ImageFaceMismatch), kyc.StatusRejected,
			[]kyc.Reason{kyc.ReasonNameMismatch, kyc.ReasonFaceMismatch}, false, true},
		{"passport: face only", kyc.Request{Document: kyc.Document{Type: kyc.DocumentPassport, Front: card}, Selfie: mustImage(t, "")},
			kyc.StatusApproved, nil, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			compares := srv.Count("/face/compare")
			res, err := c.Verify(ctx, tt.req)
			require.NoError(t, err)
			assert.Equal(t, kyc.Atlas, res.Provider)
			assert.Equal(t, tt.status, res.Status)
			assert.Equal(t, tt.reasons, res.Reasons)
			assert.Equal(t, tt.resubmit, res.Resubmit)
			ref, err := kyc.ParseReference(res.Reference)
			require.NoError(t, err)
			assert.Equal(t, kyc.Atlas, ref.Provider)
			assert.Len(t, ref.ID, 22, "the request_id of the answered attempt")
			last := srv.Requests()[len(srv.Requests())-1]
			assert.Equal(t, last.Header.Get("request_id"), ref.ID)
			if tt.compared {
				assert.Equal(t, compares+1, srv.Count("/face/compare"))
				assert.True(t, res.Scores.FaceMatch.Given())
				assert.Contains(t, string(res.Raw), `"compare_faces"`)
			} else {
				assert.Equal(t, compares, srv.Count("/face/compare"), "a billed comparison is not spent on an invalid PAN")
			}
			if tt.req.Document.Type == kyc.DocumentPAN {
				require.NotNil(t, res.Document)
				assert.Equal(t, kyc.DocumentPAN, res.Document.Type)
				assert.Contains(t, string(res.Raw), `"verify_pan"`)
			}
		})
	}

	t.Run("document data", func(t *testing.T) {
		res, err := c.Verify(ctx, req("ABCDE1234F", "Rahul Kumar Sharma", ""))
		require.NoError(t, err)
		assert.Equal(t, "RAHUL KUMAR SHARMA", res.Document.FullName)
		assert.Equal(t, "ABCDE1234F", res.Document.Number)
		assert.Equal(t, "Y", res.Document.Extra["pan_aadhaar_seeding"])
		s, _ := res.Scores.FaceMatch.Value()
		assert.InDelta(t, 0.965, s, 1e-9)
	})
	t.Run("vendor error inside a 200", func(t *testing.T) {
		_, err := c.Verify(ctx, req(atlastest.PANVendorError, "Rahul Kumar Sharma", ""))
		require.ErrorIs(t, err, kyc.ErrUnavailable)
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr)
		assert.Equal(t, 200, kerr.StatusCode)
		assert.Equal(t, "500", kerr.Code)
	})
	t.Run("threshold is configurable", func(t *testing.T) {
		lenient := client(t, srv, func(cfg *atlas.Config) { cfg.FaceMatchThreshold, cfg.FaceReviewThreshold = 0.65, 0.5 })
		res, err := lenient.Verify(ctx, req("ABCDE1234F", "Rahul Kumar Sharma", kyctest.ImageFaceBorderline))
		require.NoError(t, err)
		assert.Equal(t, kyc.StatusApproved, res.Status)
	})
	t.Run("Result is unsupported", func(t *testing.T) {
		res, err := c.Verify(ctx, req("ABCDE1234F", "Rahul Kumar Sharma", ""))
		require.NoError(t, err)
		_, err = c.Result(ctx, res.Reference)
		assert.ErrorIs(t, err, kyc.ErrUnsupported)
	})
}

func TestFakeAuthentication(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := atlastest.New(t)
	tests := []struct {
		name   string
		mutate func(*atlas.Config)
		opts   []kyc.Option
	}{
		{"wrong secret", func(c *atlas.Config) { c.KeySecret = kyc.NewSecret("atlas-fake-secret-ключ") }, nil},
		{"unknown key id", func(c *atlas.Config) { c.KeyID = "abeb3372000000000" }, nil},
		{"layout the fake does not expect", func(c *atlas.Config) { c.TimestampLayout = "ddMMyyyyHHmmss" }, nil},
		{"zone the fake does not expect", func(c *atlas.Config) { c.Location = time.UTC }, nil},
		{"stale timestamp", nil, []kyc.Option{kyc.WithClock(func() time.Time { return time.Now().Add(-10 * time.Minute) })}},
		{"basic instead of AES", func(c *atlas.Config) { c.Auth = atlas.AuthBasic }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := client(t, srv, tt.mutate, tt.opts...)
			_, err := c.VerifyPAN(ctx, "ABCDE1234F")
			require.ErrorIs(t, err, kyc.ErrUnauthorized)
			assert.Equal(t, 1, countLast(srv), "authentication failures are not retried")
		})
	}
	t.Run("sample layout accepted when configured", func(t *testing.T) {
		srv := atlastest.New(t, atlastest.WithTimestampLayout("ddMMyyyyHHmmss"), atlastest.WithLocation(time.UTC))
		c := client(t, srv, nil)
		p, err := c.VerifyPAN(ctx, "ABCDE1234F")
		require.NoError(t, err)
		assert.True(t, p.Valid())
		assert.Regexp(t, `,timestamp=\d{14}$`, srv.Requests()[0].Header.Get("Authorization"))
	})
	t.Run("fake clock", func(t *testing.T) {
		at := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
		srv := atlastest.New(t, atlastest.WithClock(func() time.Time { return at }))
		c := client(t, srv, nil, kyc.WithClock(func() time.Time { return at.Add(2 * time.Minute) }))
		_, err := c.VerifyPAN(ctx, "ABCDE1234F")
		require.NoError(t, err, "within the freshness window")
	})
	t.Run("basic auth", func(t *testing.T) {
		srv := atlastest.New(t, atlastest.WithAuth(atlas.AuthBasic))
		c := client(t, srv, nil)
		_, err := c.VerifyPAN(ctx, "ABCDE1234F")
		require.NoError(t, err)
		bad := client(t, srv, func(c *atlas.Config) { c.KeySecret = kyc.NewSecret("nope") })
		_, err = bad.VerifyPAN(ctx, "ABCDE1234F")
		require.ErrorIs(t, err, kyc.ErrUnauthorized)
	})
	t.Run("reused request_id refused", func(t *testing.T) {
		c := client(t, srv, nil)
		_, err := c.VerifyPAN(ctx, "ABCDE1234F")
		require.NoError(t, err)
		rec := srv.Requests()[len(srv.Requests())-1]
		replay, err := http.NewRequest(http.MethodPost, srv.URL+rec.Path+"?"+rec.Query, nil)
		require.NoError(t, err)
		replay.Header = rec.Header.Clone()
		resp, err := srv.Client().Do(replay)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	})
}

// countLast counts the trailing requests that share the last one's path
// and query, which is one logical call's attempts.
func countLast(srv *atlastest.Server) int {
	rs := srv.Requests()
	last := rs[len(rs)-1]
	n := 0
	for i := len(rs) - 1; i >= 0 && rs[i].Path == last.Path && rs[i].Query == last.Query &&
		rs[i].Header.Get("request_id")[:20] == last.Header.Get("request_id")[:20]; i-- {
		n++
	}
	return n
}

func TestFakeEndpoints(t *testing.T) {
	ctx := context.Background()
	srv := atlastest.New(t)
	c := client(t, srv, nil)

	t.Run("face lifecycle", func(t *testing.T) {
		e, err := c.EnrolFace(ctx, mustImage(t, "enrolled"))
		require.NoError(t, err)
		assert.Regexp(t, `^[0-9a-f]{8}_[0-9a-f-]{36}$`, e.FaceID)
		m, err := c.VerifyFace(ctx, e.FaceID, mustImage(t, kyctest.ImageFaceMismatch))
		require.NoError(t, err)
		require.NotNil(t, m.Matched)
		assert.False(t, *m.Matched)
		img, err := c.FetchFace(ctx, e.FaceID)
		require.NoError(t, err)
		rc, _ := img.Open()
		b := make([]byte, img.Size())
		_, _ = rc.Read(b)
		rc.Close()
		assert.Equal(t, "enrolled", kyctest.ImageMarker(b))
		require.NoError(t, c.DeleteFace(ctx, e.FaceID))
		_, err = c.FetchFace(ctx, e.FaceID)
		assert.ErrorIs(t, err, kyc.ErrNotFound)
	})
	t.Run("video challenge", func(t *testing.T) {
		v, err := c.VideoChallenge(ctx, 3)
		require.NoError(t, err)
		assert.Len(t, v.Challenges, 3)
	})
	t.Run("GSTIN, status, MSME, passport, PAN-Aadhaar", func(t *testing.T) {
		g, err := c.VerifyGSTIN(ctx, atlastest.GSTINInvalid)
		require.NoError(t, err)
		assert.Equal(t, "INVALID", g.Status)
		st, err := c.VerificationStatus(ctx, "gstin", g.Fields["verification_id"])
		require.NoError(t, err)
		assert.Equal(t, "INVALID", st.Status)
		m, err := c.VerifyMSME(ctx, "UDYAM-MH-01-0000001")
		require.NoError(t, err)
		assert.Equal(t, "VALID", m.Status)
		p, err := c.VerifyPassport(ctx, url.Values{"file_number": {"MH1234567890123"}})
		require.NoError(t, err)
		assert.Equal(t, "VALID", p.Status)
		l, err := c.PANToAadhaar(ctx, "ABCDE1234F")
		require.NoError(t, err)
		assert.Equal(t, "LINKED", l.Status)
	})
	t.Run("bank", func(t *testing.T) {
		b, err := c.VerifyBankAccount(ctx, atlas.BankAccountRequest{AccountNumber: "123456789012", IFSC: "SBIN0000001", Name: atlastest.HolderName})
		require.NoError(t, err)
		assert.True(t, b.AccountExists())
		assert.Equal(t, "SUCCESS", b.NameMatchStatus)
		b, err = c.VerifyBankAccount(ctx, atlas.BankAccountRequest{AccountNumber: atlastest.AccountClosed, IFSC: "SBIN0000001"})
		require.NoError(t, err)
		assert.False(t, b.AccountExists())
	})
	t.Run("Aadhaar OTP and KYC", func(t *testing.T) {
		o, err := c.AadhaarOTP(ctx, "234567890123")
		require.NoError(t, err)
		_, err = c.AadhaarKYC(ctx, o.ID, "654321")
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
		k, err := c.AadhaarKYC(ctx, o.ID, atlastest.AadhaarOTPCode)
		require.NoError(t, err)
		assert.Equal(t, "SUCCESS", k.Status)
		assert.Equal(t, "Maharashtra", k.Fields["address.state"])
	})
	t.Run("mask: JPEG or base64 answer", func(t *testing.T) {
		for _, marker := range []string{"", atlastest.ImageMaskJSON} {
			img, err := c.MaskAadhaar(ctx, mustImage(t, marker))
			require.NoError(t, err, marker)
			assert.Equal(t, kyc.JPEG, img.ContentType())
		}
	})
	t.Run("eSign and its callback", func(t *testing.T) {
		e, err := c.ESignRequest(ctx, atlas.ESignRequest{Fields: url.Values{"name": {"R"}}, Document: []byte("%PDF-1.4\n%%EOF\n")})
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(e.ID, "es-"))
		s, err := c.ESignStatus(ctx, e.ID)
		require.NoError(t, err)
		assert.True(t, s.Completed())

		var mu sync.Mutex
		var got *atlas.ESignCallback
		h := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			cb, err := atlas.ParseESignCallback(r)
			if err != nil {
				http.Error(w, "bad", http.StatusBadRequest)
				return
			}
			mu.Lock()
			got = cb
			mu.Unlock()
		}))
		defer h.Close()
		status, err := srv.PostESignCallback(ctx, h.URL, e.ID, "COMPLETED")
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, status)
		mu.Lock()
		defer mu.Unlock()
		require.NotNil(t, got)
		assert.Equal(t, e.ID, got.ESignID)
		assert.True(t, got.Completed())
	})
	t.Run("generic call", func(t *testing.T) {
		var data map[string]any
		err := c.Call(ctx, kyc.Operation{Method: "POST", Path: "/verify/pan"}, url.Values{"pan_number": {"ABCDE1234F"}}, &data)
		require.NoError(t, err)
		assert.Equal(t, "VALID", data["pan_status"])
		var env atlas.Envelope
		require.NoError(t, c.Call(ctx, kyc.Operation{Method: "POST", Path: "/verify/pan"}, url.Values{"pan_number": {"ABCDE1234F"}}, &env))
		assert.Equal(t, "success", env.Status)
		err = c.Call(ctx, kyc.Operation{Method: "POST", Path: "/ocr/unknown"}, nil, nil)
		assert.ErrorIs(t, err, kyc.ErrNotFound)
		err = c.Call(ctx, kyc.Operation{Method: "GET", Path: "/verify/pan", Class: kyc.ClassFree}, url.Values{"pan_number": {"ABCDE1234F"}}, nil)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, "405 wrong method")
	})
}

func TestNoDuplicateSendsUnderFaults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := atlastest.New(t)
	c := client(t, srv, nil, kyc.WithRetry(2, 20*time.Millisecond))

	// Processed, then the answer is lost: a billed call must not be resent.
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 502, After: true, Path: "/verify/pan"})
	_, err := c.VerifyPAN(ctx, "ABCDE1234F")
	require.ErrorIs(t, err, kyc.ErrUnavailable)
	// Refused before processing (503): resent, with a fresh request_id.
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultRateLimit, RetryAfter: "0", Path: "/face/compare"})
	_, err = c.CompareFaces(ctx, mustImage(t, ""), mustImage(t, ""))
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Count("/face/compare"))
	assert.Len(t, srv.SendKeys(), 2)
	for _, k := range srv.SendKeys() {
		assert.Equal(t, 1, srv.Sends(k))
	}

	// Many concurrent verifications with the same inputs under random faults.
	srv.FaultRate(0.2, 7,
		kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503},
		kyctest.Fault{Kind: kyctest.FaultRateLimit, RetryAfter: "0"},
		kyctest.Fault{Kind: kyctest.FaultStatus, Status: 500, After: true},
		kyctest.Fault{Kind: kyctest.FaultMalformed},
	)
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = c.Verify(ctx, kyc.Request{Document: kyc.Document{Type: kyc.DocumentPAN, Number: "ABCDE1234F",
				Front: mustImage(t, "")}, Selfie: mustImage(t, ""), Person: kyc.Person{FullName: atlastest.HolderName}})
		}()
	}
	wg.Wait()
	srv.FaultRate(0, 0)
	assert.NotEmpty(t, srv.Injected())
	assert.Zero(t, srv.DuplicateSends(), "identical logical calls are distinct keys; no call was processed twice")
}

// TestMagicInputs drives every kyctest magic input through Verify, as the
// atlastest package doc's table says.
func TestMagicInputs(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	want := map[string]struct {
		status  kyc.Status
		reasons []kyc.Reason
		kind    error
	}{
		kyctest.ImageApproved:       {status: kyc.StatusApproved},
		kyctest.ImageNoFace:         {kyc.StatusRejected, []kyc.Reason{kyc.ReasonNoFace}, nil},
		kyctest.ImageFaceMismatch:   {kyc.StatusRejected, []kyc.Reason{kyc.ReasonFaceMismatch}, nil},
		kyctest.ImageFaceBorderline: {kyc.StatusReview, []kyc.Reason{kyc.ReasonFaceMismatch}, nil},
		kyctest.ImageReview:         {kyc.StatusReview, []kyc.Reason{kyc.ReasonOther}, nil},
		kyctest.ImageServerError:    {kind: kyc.ErrUnavailable},
		// Atlas cannot produce these: answered as ImageApproved.
		kyctest.ImageLivenessFailed: {status: kyc.StatusApproved},
		kyctest.ImageLowQuality:     {status: kyc.StatusApproved},
		kyctest.ImageExpired:        {status: kyc.StatusApproved},
		kyctest.ImageForged:         {status: kyc.StatusApproved},
		kyctest.ImageUnderage:       {status: kyc.StatusApproved},
		kyctest.ImageNoDocument:     {status: kyc.StatusApproved},
		kyctest.ImageNotFinished:    {status: kyc.StatusApproved},
	}
	require.Len(t, want, len(kyctest.MagicInputs()), "every magic input has a row")
	for _, marker := range kyctest.MagicInputs() {
		t.Run(marker, func(t *testing.T) {
			t.Parallel()
			w, ok := want[marker]
			require.True(t, ok)
			res, err := c.Verify(context.Background(), kyc.Request{Country: "IND",
				Document: kyc.Document{Type: kyc.DocumentPAN, Number: "ABCDE1234F", Front: mustImage(t, "")},
				Selfie:   mustImage(t, marker), Person: kyc.Person{FullName: atlastest.HolderName}})
			if w.kind != nil {
				require.ErrorIs(t, err, w.kind)
				var kerr *kyc.Error
				require.ErrorAs(t, err, &kerr)
				assert.NotEmpty(t, kerr.Reference, "the PAN check was billed before the comparison failed")
				assert.True(t, kyc.MayHaveCharged(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, w.status, res.Status)
			assert.Equal(t, w.reasons, res.Reasons)
		})
	}
}

// TestErrorAfterBillableStartCarriesReference: once the PAN check was
// answered (billed), any failure of the comparison carries its Reference,
// even one that sent nothing, so a Router does not fall back unawares.
func TestErrorAfterBillableStartCarriesReference(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv := setup(t)
	req := kyc.Request{Document: kyc.Document{Type: kyc.DocumentPAN, Number: "ABCDE1234F", Front: mustImage(t, "")},
		Selfie: mustImage(t, ""), Person: kyc.Person{FullName: atlastest.HolderName}}

	srv.Inject(kyctest.Fault{Kind: kyctest.FaultDrop, Path: "/face/compare"})
	_, err := c.Verify(ctx, req)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	require.NotEmpty(t, kerr.Reference)
	panReq := srv.Requests()[len(srv.Requests())-2]
	assert.Equal(t, "/verify/pan", panReq.Path)
	assert.Equal(t, "atlas:"+panReq.Header.Get("request_id"), kerr.Reference)
	assert.True(t, kyc.MayHaveCharged(err))

	// A failure of the PAN check itself started nothing before it.
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 500, Path: "/verify/pan"})
	_, err = c.Verify(ctx, req)
	require.ErrorAs(t, err, &kerr)
	assert.Empty(t, kerr.Reference)
}

// bigReader is an image of unknown size: a JPEG header, then n bytes.
type bigReader struct{ n int }

// filler is what bigReader reads: copied, not written byte by byte, which
// -race instruments byte by byte.
var filler = bytes.Repeat([]byte{0xA5}, 32<<10)

func (b *bigReader) Read(p []byte) (int, error) {
	if b.n <= 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), b.n)], filler)
	b.n -= k
	return k, nil
}

func streamImage(t *testing.T, n int) *kyc.Image {
	t.Helper()
	head := kyctest.MagicImage("", 0)
	img, err := kyc.ImageFromReader(io.MultiReader(bytes.NewReader(head[:len(head)-2]), &bigReader{n: n}))
	require.NoError(t, err)
	require.Equal(t, int64(-1), img.Size())
	return img
}

// TestCapsHoldForStreams: an image of unknown size over the vendor's
// request limit is aborted while it is sent, with ErrInvalidRequest naming
// its field, and the fake processes nothing; the fake itself refuses an
// over-limit body with the vendor's 413.
//
// Its clients have no attempt timeout: for a stream that timeout bounds
// the whole upload, so the default 30 s made the outcome (the cap's error,
// or ErrTimeout) depend on how fast a loaded machine moves a megabyte.
func TestCapsHoldForStreams(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const limit = 1 << 20
	t.Run("the client aborts past the cap", func(t *testing.T) {
		t.Parallel()
		srv := atlastest.New(t, atlastest.WithMaxRequestBytes(limit))
		c := client(t, srv, nil, kyc.WithTimeout(0))
		atlas.SetMaxRequestBytes(c, limit)
		tests := []struct {
			name, field string
			call        func(img *kyc.Image) error
		}{
			{"CompareFaces", "face_image_2", func(img *kyc.Image) error { _, err := c.CompareFaces(ctx, mustImage(t, ""), img); return err }},
			{"EnrolFace", "face_image", func(img *kyc.Image) error { _, err := c.EnrolFace(ctx, img); return err }},
			{"MaskAadhaar", "file", func(img *kyc.Image) error { _, err := c.MaskAadhaar(ctx, img); return err }},
			{"Verify", "Selfie", func(img *kyc.Image) error {
				_, err := c.Verify(ctx, kyc.Request{Document: kyc.Document{Front: mustImage(t, "")}, Selfie: img})
				return err
			}},
			{"Call", "file", func(img *kyc.Image) error {
				return c.Call(ctx, kyc.Operation{Path: "/face/enrol"}, []atlas.Part{{Name: "file", Image: img}}, nil)
			}},
		}
		for _, tt := range tests {
			err := tt.call(streamImage(t, 3*limit))
			require.ErrorIs(t, err, kyc.ErrInvalidRequest, tt.name)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.EqualValues(t, tt.field, kerr.Field, tt.name)
			assert.True(t, kerr.Unprocessed, tt.name)
			assert.False(t, kyc.MayHaveCharged(err), tt.name)
		}
		assert.Empty(t, srv.SendKeys(), "the fake received no complete body: it processed no upload")
		// Under the cap, a stream goes through.
		_, err := c.EnrolFace(ctx, streamImage(t, limit/2))
		require.NoError(t, err)
	})
	t.Run("the fake refuses what the vendor would", func(t *testing.T) {
		t.Parallel()
		srv := atlastest.New(t, atlastest.WithMaxRequestBytes(64<<10))
		c := client(t, srv, nil, kyc.WithTimeout(0))
		big, err := kyc.ImageFromBytes(kyctest.MagicImage("", 100<<10))
		require.NoError(t, err)
		_, err = c.EnrolFace(ctx, big)
		require.ErrorIs(t, err, kyc.ErrInvalidRequest)
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr)
		assert.Equal(t, "413", kerr.Code)
		assert.Equal(t, http.StatusRequestEntityTooLarge, kerr.StatusCode)
		assert.Contains(t, kerr.Message, "100 mb")
		assert.Empty(t, srv.SendKeys())
	})
	t.Run("known sizes over the limit are refused before sending", func(t *testing.T) {
		t.Parallel()
		c, srv := setup(t)
		atlas.SetMaxRequestBytes(c, 64<<10)
		big, err := kyc.ImageFromBytes(kyctest.MagicImage("", 100<<10))
		require.NoError(t, err)
		_, err = c.CompareFaces(ctx, mustImage(t, ""), big)
		require.ErrorIs(t, err, kyc.ErrInvalidRequest)
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr)
		assert.EqualValues(t, "face_image_2", kerr.Field)
		assert.True(t, kerr.NotSent)
		assert.Empty(t, srv.Requests())
	})
}
