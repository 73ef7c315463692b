package incode_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
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

func newClient(t *testing.T, srv *incodetest.Server, cfg ...func(*incode.Config)) *incode.Client {
	t.Helper()
	c0 := srv.Config()
	for _, f := range cfg {
		f(&c0)
	}
	c, err := incode.New(c0, append(srv.Options(), kyc.WithRetry(2, 20*time.Millisecond))...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func image(t testing.TB, marker string) *kyc.Image {
	t.Helper()
	im, err := kyc.ImageFromBytes(kyctest.MagicImage(marker, 0))
	require.NoError(t, err)
	return im
}

func request(t testing.TB, id, front, back, selfie string) kyc.Request {
	return kyc.Request{ID: id, Country: "USA",
		Document: kyc.Document{Type: kyc.DocumentDriverLicense, Front: image(t, front), Back: image(t, back)},
		Selfie:   image(t, selfie)}
}

func TestVerifyOutcomes(t *testing.T) {
	type outcome struct {
		name                string
		front, back, selfie string
		status              kyc.Status
		reasons             []kyc.Reason
		resubmit            bool
		document            bool
	}
	tests := []outcome{
		{"approved", "", "", "", kyc.StatusApproved, nil, false, true},
		{"unclassified is not fatal", incodetest.ImageUnclassified, "", "", kyc.StatusApproved, nil, false, true},
		{"face mismatch", "", "", incodetest.ImageMismatch, kyc.StatusRejected, []kyc.Reason{kyc.ReasonFaceMismatch}, false, true},
		{"spoof at upload", "", "", incodetest.ImageSpoof, kyc.StatusRejected, []kyc.Reason{kyc.ReasonLivenessFailed}, true, false},
		{"liveness score fails", "", "", incodetest.ImageLivenessFail, kyc.StatusRejected, []kyc.Reason{kyc.ReasonLivenessFailed}, false, true},
		{"too dark", "", "", incodetest.ImageDark, kyc.StatusRejected, []kyc.Reason{kyc.ReasonLowQualityImage}, true, false},
		{"no face in selfie", "", "", incodetest.ImageNoFace, kyc.StatusRejected, []kyc.Reason{kyc.ReasonNoFace}, true, false},
		{"no face on ID", incodetest.ImageNoFace, "", "", kyc.StatusRejected, []kyc.Reason{kyc.ReasonNoFace}, true, false},
		{"blurry selfie", "", "", incodetest.ErrorCodeImage(3006), kyc.StatusRejected, []kyc.Reason{kyc.ReasonLowQualityImage}, true, false},
		{"spoof code", "", "", incodetest.ErrorCodeImage(4005), kyc.StatusRejected, []kyc.Reason{kyc.ReasonLivenessFailed}, true, false},
		{"expired ID", incodetest.ImageExpiredID, "", "", kyc.StatusRejected, []kyc.Reason{kyc.ReasonDocumentExpired}, false, true},
		{"tampered ID", incodetest.ImageTamperedID, "", "", kyc.StatusRejected, []kyc.Reason{kyc.ReasonDocumentForged}, false, true},
		{"review", "", "", incodetest.ImageReview, kyc.StatusReview, []kyc.Reason{kyc.ReasonFaceMismatch}, false, true},
	}
	reasons := map[string]kyc.Reason{
		"UNKNOWN_DOCUMENT_TYPE": kyc.ReasonUnsupportedDocument, "WRONG_DOCUMENT_SIDE": kyc.ReasonFrontBackMismatch,
		"WRONG_ONE_SIDED_DOCUMENT": kyc.ReasonFrontBackMismatch, "WRONG_UNFOLDED_DOCUMENT": kyc.ReasonFrontBackMismatch,
		"UNFOLDED_DOCUMENT_PAGE_MISMATCH": kyc.ReasonFrontBackMismatch, "DOCUMENT_NOT_READABLE": kyc.ReasonLowQualityImage,
		"UNABLE_TO_ALIGN_DOCUMENT": kyc.ReasonLowQualityImage, "ID_TYPE_UNACCEPTABLE": kyc.ReasonUnsupportedDocument,
		"UNEXPECTED_ERROR_OCCURRED": kyc.ReasonOther,
	}
	require.Len(t, incodetest.FailReasons, 9)
	for _, fr := range incodetest.FailReasons {
		tests = append(tests,
			outcome{"front " + fr, incodetest.FailReasonImage(fr), "", "", kyc.StatusRejected, []kyc.Reason{reasons[fr]}, true, false},
			outcome{"back " + fr, "", incodetest.FailReasonImage(fr), "", kyc.StatusRejected, []kyc.Reason{reasons[fr]}, true, false})
	}
	srv := incodetest.New(t, incodetest.WithDelay(50*time.Millisecond))
	c := newClient(t, srv)
	var wg sync.WaitGroup
	for i, tt := range tests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := "case-" + string(rune('a'+i%26)) + strings.Repeat("x", i/26)
			res, err := c.Verify(context.Background(), request(t, id, tt.front, tt.back, tt.selfie))
			if !assert.NoError(t, err, tt.name) {
				return
			}
			assert.Equal(t, kyc.Incode, res.Provider, tt.name)
			assert.Equal(t, tt.status, res.Status, tt.name)
			assert.Equal(t, tt.reasons, res.Reasons, tt.name)
			assert.Equal(t, tt.resubmit, res.Resubmit, tt.name)
			assert.NotEmpty(t, res.Raw, tt.name)
			assert.True(t, strings.HasPrefix(res.Reference, "incode:"), tt.name)
			assert.Equal(t, 1, srv.Sends(id), tt.name)
			if tt.document {
				require.NotNil(t, res.Document, tt.name)
				assert.Equal(t, "ALEX GINMAN", res.Document.FullName)
				assert.Equal(t, time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), res.Document.DateOfBirth)
				assert.True(t, res.Scores.FaceMatch.Given() && res.Scores.Liveness.Given() && res.Scores.Document.Given(), tt.name)
			} else {
				assert.Nil(t, res.Document, tt.name)
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, srv.DuplicateSends())
}

func TestVerifyApprovedDetails(t *testing.T) {
	srv := incodetest.New(t, incodetest.WithDelay(100*time.Millisecond))
	c := newClient(t, srv)
	res, err := c.Verify(context.Background(), request(t, "user-1", "", "", ""))
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, res.Status)
	assert.Equal(t, "S3441243", res.Document.Number)
	assert.Equal(t, kyc.DocumentDriverLicense, res.Document.Type)
	assert.Greater(t, srv.Count("/omni/get/onboarding/status"), 1, "ID processing takes time, so the status is polled")
	assert.Equal(t, 1, srv.Count("/omni/finish-status"))
	assert.Equal(t, 1, srv.Count("/omni/start"))
	assert.Contains(t, string(res.Raw), `"onboardingStatus":"FACE_VALIDATION_FINISHED"`)
	assert.Contains(t, string(res.Raw), `"ocrData"`)
	// The order the vendor requires.
	var paths []string
	for _, r := range srv.Requests() {
		if len(paths) == 0 || paths[len(paths)-1] != r.Path {
			paths = append(paths, r.Path)
		}
	}
	assert.Equal(t, []string{"/omni/start", "/omni/add/front-id/v2", "/omni/add/back-id/v2", "/omni/process/id",
		"/omni/add/face/third-party", "/omni/process/face", "/omni/get/onboarding/status", "/omni/finish-status",
		"/omni/get/score", "/omni/get/ocr-data"}, paths)
	assert.Contains(t, srv.Requests()[0].Body, byte('{'))
	assert.Contains(t, string(srv.Requests()[0].Body), `"externalCustomerId":"user-1"`)
}

func TestVerifyPassportSendsOnlyFront(t *testing.T) {
	srv := incodetest.New(t, incodetest.WithDelay(10*time.Millisecond))
	c := newClient(t, srv)
	req := request(t, "p-1", "", "", "")
	req.Document.Type = kyc.DocumentPassport
	res, err := c.Verify(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, res.Status)
	assert.Zero(t, srv.Count("/omni/add/back-id"))
	for _, r := range srv.Requests() {
		if r.Path == "/omni/add/front-id/v2" {
			assert.Equal(t, "onlyFront=true", r.Query)
		}
	}
}

func TestVerifyRefusesBadInputBeforeSending(t *testing.T) {
	srv := incodetest.New(t)
	c := newClient(t, srv)
	big := make([]byte, incode.MaxImageBytes+1)
	copy(big, []byte{0xFF, 0xD8, 0xFF, 0xE0})
	bigImg, err := kyc.ImageFromBytes(big)
	require.NoError(t, err)
	noSelfie := request(t, "a", "", "", "")
	noSelfie.Selfie = nil
	tooBig := request(t, "b", "", "", "")
	tooBig.Document.Back = bigImg
	badID := request(t, "c\x00", "", "", "")
	for field, req := range map[string]kyc.Request{"Selfie": noSelfie, "Document.Back": tooBig, "ID": badID} {
		_, err := c.Verify(context.Background(), req)
		require.ErrorIs(t, err, kyc.ErrInvalidRequest)
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr)
		assert.Equal(t, field, kerr.Field)
	}
	assert.Empty(t, srv.Requests())
}

func TestVerifyErrors(t *testing.T) {
	srv := incodetest.New(t, incodetest.WithDelay(10*time.Millisecond))
	c := newClient(t, srv)
	_, err := c.Verify(context.Background(), request(t, "e-1", incodetest.ImageProcessingError, "", ""))
	require.ErrorIs(t, err, incode.ErrRestartSession)
	assert.ErrorIs(t, err, kyc.ErrUnavailable)
	_, err = c.Verify(context.Background(), request(t, "e-2", "", "", incodetest.ImageProcessingError))
	require.ErrorIs(t, err, incode.ErrRestartSession)
	assert.Equal(t, 1, srv.Sends("e-2"), "Verify never starts a second session by itself")

	bad := newClient(t, srv, func(cfg *incode.Config) { cfg.APIKey = kyc.NewSecret("wrong") })
	_, err = bad.Verify(context.Background(), request(t, "e-3", "", "", ""))
	require.ErrorIs(t, err, kyc.ErrUnauthorized)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.Equal(t, http.StatusForbidden, kerr.StatusCode)
	assert.Zero(t, srv.Sends("e-3"))
}

func TestCancelMidPollThenResumeElsewhere(t *testing.T) {
	srv := incodetest.New(t, incodetest.WithDelay(600*time.Millisecond))
	first := newClient(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
	defer cancel()
	start := time.Now()
	res, err := first.Verify(ctx, request(t, "resume-1", "", "", ""))
	require.NoError(t, err, "a context that ends while polling gives a pending result, not an error")
	assert.Less(t, time.Since(start), 550*time.Millisecond)
	assert.Equal(t, kyc.StatusPending, res.Status)
	assert.Equal(t, []kyc.Reason{kyc.ReasonNotFinished}, res.Reasons)
	assert.GreaterOrEqual(t, srv.Count("/omni/get/onboarding/status"), 1)
	assert.Zero(t, srv.Count("/omni/finish-status"))

	id, tok, err := incode.ParseReference(res.Reference)
	require.NoError(t, err)
	assert.Len(t, id, 24)
	assert.Equal(t, 3, len(strings.Split(tok.Reveal(), ".")), "the token is a JWT whose dots survive the reference")

	second := newClient(t, srv) // nothing shared but the API key
	var final *kyc.Result
	require.Eventually(t, func() bool {
		r, err := second.Result(context.Background(), res.Reference)
		require.NoError(t, err)
		final = r
		return r.Status.Final()
	}, 3*time.Second, 50*time.Millisecond)
	assert.Equal(t, kyc.StatusApproved, final.Status)
	assert.Empty(t, final.Reasons)
	assert.Equal(t, res.Reference, final.Reference)
	require.NotNil(t, final.Document)
	assert.Equal(t, "ALEX GINMAN", final.Document.FullName)
	assert.Equal(t, 1, srv.Count("/omni/finish-status"), "Result finished the session Verify left waiting")
	assert.Equal(t, 1, srv.Sends("resume-1"))

	again, err := second.Result(context.Background(), res.Reference)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, again.Status)
	assert.Equal(t, 1, srv.Count("/omni/finish-status"), "a finished session is not finished again")
}

func TestCancelBeforeUploadsIsAnError(t *testing.T) {
	srv := incodetest.New(t)
	c := newClient(t, srv)
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultLatency, Latency: 300 * time.Millisecond, Path: "/omni/add/face"})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Verify(ctx, request(t, "c-1", "", "", ""))
	require.ErrorIs(t, err, kyc.ErrTimeout)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestResultErrors(t *testing.T) {
	srv := incodetest.New(t)
	c := newClient(t, srv)
	for _, ref := range []string{"", "incode:", "incode:abc", "atlas:a.b", "nonsense"} {
		_, err := c.Result(context.Background(), ref)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, ref)
	}
	_, err := c.Result(context.Background(), "incode:6595c84ce69d469f69ad39fb.eyJ.bad.token")
	require.ErrorIs(t, err, kyc.ErrUnauthorized, "an unknown session token is refused with 401")
	assert.NotContains(t, err.Error(), "eyJ.bad.token")
}

func TestFaultsDoNotDuplicateSessions(t *testing.T) {
	srv := incodetest.New(t, incodetest.WithDelay(10*time.Millisecond))
	c := newClient(t, srv)

	// Refused before processing: resent safely.
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503, Path: "/omni/start"})
	res, err := c.Verify(context.Background(), request(t, "f-1", "", "", ""))
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, res.Status)
	assert.Equal(t, 1, srv.Sends("f-1"))

	// Processed, then the answer lost: never resent.
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 502, After: true, Path: "/omni/start"})
	_, err = c.Verify(context.Background(), request(t, "f-2", "", "", ""))
	require.ErrorIs(t, err, kyc.ErrUnavailable)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.True(t, kerr.Sent)
	assert.Equal(t, 1, srv.Sends("f-2"))

	// Reads and uploads survive dropped connections.
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultDrop, Path: "/omni/get/onboarding/status"})
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 502, After: true, Path: "/omni/add/front-id"})
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultRateLimit, RetryAfter: "0", Path: "/omni/get/score"})
	res, err = c.Verify(context.Background(), request(t, "f-3", "", "", ""))
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, res.Status)
	assert.Zero(t, srv.DuplicateSends())
	assert.Equal(t, 1, srv.Injected()[kyctest.FaultDrop])

	// A malformed answer is a bad response, not a crash.
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultMalformed, Path: "/omni/process/face"})
	_, err = c.Verify(context.Background(), request(t, "f-4", "", "", ""))
	assert.ErrorIs(t, err, kyc.ErrBadResponse)
}

func TestSessionFlowAndCallOrder(t *testing.T) {
	srv := incodetest.New(t, incodetest.WithDelay(10*time.Millisecond))
	c := newClient(t, srv)
	ctx := context.Background()
	s, err := c.StartSession(ctx, incode.StartRequest{ExternalCustomerID: "order-1"})
	require.NoError(t, err)

	_, err = s.AddBackID(ctx, image(t, ""))
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest, "the back before the front is refused")
	assert.ErrorIs(t, s.ProcessID(ctx), kyc.ErrInvalidRequest, "processing before the images is refused")
	_, err = s.ProcessFace(ctx)
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)

	_, err = s.AddFrontID(ctx, image(t, ""), true)
	require.NoError(t, err)
	require.NoError(t, s.ProcessID(ctx))
	assert.ErrorIs(t, s.ProcessID(ctx), kyc.ErrInvalidRequest, "an ID is processed once")
	st, err := s.OnboardingStatus(ctx)
	require.NoError(t, err)
	assert.Equal(t, incode.StatusIDValidationFinished, st)

	_, err = s.Approve(ctx)
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest, "approval needs a finished session")
}

func TestWebhooks(t *testing.T) {
	srv := incodetest.New(t, incodetest.WithDelay(10*time.Millisecond))
	c := newClient(t, srv, func(cfg *incode.Config) { cfg.WebhookToken = kyc.NewSecret("hook-token") })
	res, err := c.Verify(context.Background(), request(t, "hook-user", "", "", ""))
	require.NoError(t, err)
	id, _, err := incode.ParseReference(res.Reference)
	require.NoError(t, err)

	var mu sync.Mutex
	var events []*kyc.Event
	var confirmed *kyc.Result
	fail := false
	hook := httptest.NewServer(c.WebhookHandler(func(ctx context.Context, ev *kyc.Event) error {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
		if fail {
			return errors.New("database down")
		}
		r, err := c.ConfirmEvent(ctx, ev, res.Reference)
		confirmed = r
		return err
	}))
	defer hook.Close()

	status, err := srv.SendWebhook(context.Background(), hook.URL, id, "ONBOARDING_FINISHED", "hook-token")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)
	require.Len(t, events, 1)
	ev := events[0]
	assert.True(t, ev.Authenticated)
	assert.Equal(t, "ONBOARDING_FINISHED", ev.Type)
	assert.Equal(t, kyc.StatusPending, ev.Result.Status, "the webhook carries no verdict")
	p, err := incode.EventPayload(ev)
	require.NoError(t, err)
	assert.Equal(t, "hook-user", p.ExternalID)
	assert.Equal(t, id, p.InterviewID)
	require.NotNil(t, confirmed)
	assert.Equal(t, kyc.StatusApproved, confirmed.Status)

	status, _ = srv.SendWebhook(context.Background(), hook.URL, id, "ONBOARDING_FINISHED", "wrong")
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _ = srv.SendWebhook(context.Background(), hook.URL, id, "ONBOARDING_FINISHED", "")
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Len(t, events, 1, "unauthenticated webhooks never reach fn")

	mu.Lock()
	fail = true
	mu.Unlock()
	status, _ = srv.SendWebhook(context.Background(), hook.URL, id, "ONBOARDING_FINISHED", "hook-token")
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Len(t, events, 3, "a failed handler gets Incode's one retry")

	// No token configured: accepted, but flagged unauthenticated.
	open := newClient(t, srv)
	rec := httptest.NewRecorder()
	var got *kyc.Event
	open.WebhookHandler(func(_ context.Context, ev *kyc.Event) error { got = ev; return nil }).ServeHTTP(rec,
		httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(`{"interviewId":"`+id+`","onboardingStatus":"MANUAL_REVIEW_APPROVED"}`)))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.JSONEq(t, `{"success":true}`, rec.Body.String())
	require.NotNil(t, got)
	assert.False(t, got.Authenticated)
	assert.Equal(t, kyc.StatusApproved, got.Result.Status)

	_, err = open.ConfirmEvent(context.Background(), got, "incode:000000000000000000000000.a.b.c")
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest, "a reference of another session is refused")

	for body, code := range map[string]int{`{"interviewId":"x"}`: 400, `not json`: 400, `{"interviewId":"x","onboardingStatus":"UNKNOWN"}`: 200} {
		rec := httptest.NewRecorder()
		open.WebhookHandler(func(context.Context, *kyc.Event) error { return nil }).ServeHTTP(rec,
			httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body)))
		assert.Equal(t, code, rec.Code, body)
	}
	rec = httptest.NewRecorder()
	open.WebhookHandler(func(context.Context, *kyc.Event) error { return nil }).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/hook", nil))
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
}

func TestConcurrentVerify(t *testing.T) {
	srv := incodetest.New(t, incodetest.WithDelay(20*time.Millisecond))
	c := newClient(t, srv)
	srv.FaultRate(0.1, 7,
		kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503},
		kyctest.Fault{Kind: kyctest.FaultRateLimit, RetryAfter: "0"},
		kyctest.Fault{Kind: kyctest.FaultLatency, Latency: 5 * time.Millisecond},
		kyctest.Fault{Kind: kyctest.FaultStatus, Status: 502, After: true})
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := c.Verify(context.Background(), request(t, "soak-"+strings.Repeat("x", i+1), "", "", ""))
			if err == nil {
				assert.Equal(t, kyc.StatusApproved, res.Status)
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, srv.DuplicateSends())
}
