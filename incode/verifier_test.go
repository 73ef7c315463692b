package incode_test

import (
	"context"
	"encoding/json"
	"fmt"
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

// setup is the vendor tests' one constructor shape: a fake, and a client
// of it (setup(t, opts...) in every vendor package).
func setup(t testing.TB, opts ...incodetest.Option) (*incode.Client, *incodetest.Server) {
	t.Helper()
	srv := incodetest.New(t, opts...)
	return client(t, srv), srv
}

// client is another client of srv, with cfg applied to srv.Config().
func client(t testing.TB, srv *incodetest.Server, cfg ...func(*incode.Config)) *incode.Client {
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
	t.Parallel()
	type outcome struct {
		name                string
		front, back, selfie string
		status              kyc.Status
		reasons             []kyc.Reason
		resubmit            bool
		document            bool
	}
	tests := []outcome{
		{"approved", kyctest.ImageApproved, "", "", kyc.StatusApproved, nil, false, true},
		{"plain image", "", "", "", kyc.StatusApproved, nil, false, true},
		{"face mismatch", "", "", kyctest.ImageFaceMismatch, kyc.StatusRejected, []kyc.Reason{kyc.ReasonFaceMismatch}, false, true},
		{"face borderline", "", "", kyctest.ImageFaceBorderline, kyc.StatusReview, []kyc.Reason{kyc.ReasonFaceMismatch}, false, true},
		{"spoof at upload", "", "", kyctest.ImageLivenessFailed, kyc.StatusRejected, []kyc.Reason{kyc.ReasonLivenessFailed}, true, false},
		{"selfie not bright", "", "", kyctest.ImageLowQuality, kyc.StatusRejected, []kyc.Reason{kyc.ReasonLowQualityImage}, true, false},
		{"selfie with lenses", "", "", incodetest.ImageLenses, kyc.StatusRejected, []kyc.Reason{kyc.ReasonLowQualityImage}, true, false},
		{"selfie with a face mask", "", "", incodetest.ImageFaceMask, kyc.StatusRejected, []kyc.Reason{kyc.ReasonLowQualityImage}, true, false},
		{"front low quality", kyctest.ImageLowQuality, "", "", kyc.StatusRejected, []kyc.Reason{kyc.ReasonLowQualityImage}, true, false},
		{"no document", kyctest.ImageNoDocument, "", "", kyc.StatusRejected, []kyc.Reason{kyc.ReasonUnsupportedDocument}, true, false},
		{"no face in selfie", "", "", kyctest.ImageNoFace, kyc.StatusRejected, []kyc.Reason{kyc.ReasonNoFace}, true, false},
		{"no face on ID", kyctest.ImageNoFace, "", "", kyc.StatusRejected, []kyc.Reason{kyc.ReasonNoFace}, true, false},
		{"blurry selfie", "", "", incodetest.ErrorCodeImage(3006), kyc.StatusRejected, []kyc.Reason{kyc.ReasonLowQualityImage}, true, false},
		{"spoof code", "", "", incodetest.ErrorCodeImage(4005), kyc.StatusRejected, []kyc.Reason{kyc.ReasonLivenessFailed}, true, false},
		{"expired ID", kyctest.ImageExpired, "", "", kyc.StatusRejected, []kyc.Reason{kyc.ReasonDocumentExpired}, false, true},
		{"forged ID", kyctest.ImageForged, "", "", kyc.StatusRejected, []kyc.Reason{kyc.ReasonDocumentForged}, false, true},
		{"name mismatch", incodetest.ImageNameMismatch, "", "", kyc.StatusRejected, []kyc.Reason{kyc.ReasonNameMismatch}, false, true},
		{"underage: Incode cannot say", kyctest.ImageUnderage, "", "", kyc.StatusApproved, nil, false, true},
		{"review", "", "", kyctest.ImageReview, kyc.StatusReview, []kyc.Reason{kyc.ReasonFaceMismatch}, false, true},
		{"not finished at first", kyctest.ImageNotFinished, "", "", kyc.StatusApproved, nil, false, true},
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
	c, srv := setup(t, incodetest.WithDelay(50*time.Millisecond))
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.front], covered[tt.selfie] = true, true
	}
	for _, m := range kyctest.MagicInputs() {
		if m != kyctest.ImageServerError { // an error, covered by TestVerifyErrors
			assert.True(t, covered[m], "magic input %s has no case", m)
		}
	}
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
			assert.NotContains(t, res.Reference, ".", "%s: no token in the Reference", tt.name)
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

// TestVerifyApprovedDetails: what an approved Verify reads, and the order
// of its calls. ID processing is held for the first status reads by count
// (kyctest.ImageNotFinished), not by time: with a 600 ms delay, a loaded
// machine that took longer than that to upload the selfie saw processing
// over at the first read, and the status was read once.
func TestVerifyApprovedDetails(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, incodetest.WithDelay(0))
	res, err := c.Verify(context.Background(), request(t, "user-1", "", "", kyctest.ImageNotFinished))
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
	t.Parallel()
	c, srv := setup(t, incodetest.WithDelay(10*time.Millisecond))
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
	t.Parallel()
	c, srv := setup(t)
	big := kyctest.MagicImage("", incode.MaxImageBytes+1)
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
		assert.EqualValues(t, field, kerr.Field)
	}
	assert.Empty(t, srv.Requests())
}

func TestVerifyErrors(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, incodetest.WithDelay(10*time.Millisecond))
	refOf := func(err error) string {
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr)
		return kerr.Reference
	}
	_, err := c.Verify(context.Background(), request(t, "e-1", incodetest.ImageProcessingError, "", ""))
	require.ErrorIs(t, err, incode.ErrRestartSession)
	assert.ErrorIs(t, err, kyc.ErrUnavailable)
	assert.True(t, strings.HasPrefix(refOf(err), "incode:"), "an error after the start carries the session's Reference")
	assert.True(t, kyc.MayHaveCharged(err))
	_, err = c.Verify(context.Background(), request(t, "e-2", "", "", incodetest.ImageProcessingError))
	require.ErrorIs(t, err, incode.ErrRestartSession)
	assert.Equal(t, 1, srv.Sends("e-2"), "Verify never starts a second session by itself")
	before := srv.Count("/omni/add/face/third-party")
	_, err = c.Verify(context.Background(), request(t, "e-4", "", "", kyctest.ImageServerError))
	require.ErrorIs(t, err, kyc.ErrUnavailable)
	assert.NotEmpty(t, refOf(err))
	assert.Equal(t, before+1, srv.Count("/omni/add/face/third-party"), "a billed upload answered 500 is not resent")

	bad := client(t, srv, func(cfg *incode.Config) { cfg.APIKey = kyc.NewSecret("wrong") })
	_, err = bad.Verify(context.Background(), request(t, "e-3", "", "", ""))
	require.ErrorIs(t, err, kyc.ErrUnauthorized)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.Equal(t, http.StatusForbidden, kerr.StatusCode)
	assert.Empty(t, kerr.Reference, "nothing was started")
	assert.Zero(t, srv.Sends("e-3"))
}

// memStore is a TokenStore backed by a map, as a user would back it with a
// database.
type memStore struct {
	mu   sync.Mutex
	m    map[string]kyc.Secret
	puts int
	fail error
}

func newMemStore() *memStore { return &memStore{m: map[string]kyc.Secret{}} }

func (m *memStore) Get(_ context.Context, id string) (kyc.Secret, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.m[id], m.fail
}

func (m *memStore) Put(_ context.Context, id string, tok kyc.Secret) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.puts++
	m.m[id] = tok
	return nil
}

// TestVerifyCancelledAfterStartCarriesReference: a Verify whose context
// ends during the selfie upload names the session it started. The context
// ends once the fake holds the upload, not at a deadline: a loaded machine
// could pass a deadline before the session started.
func TestVerifyCancelledAfterStartCarriesReference(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultLatency, Latency: time.Hour, Path: "/omni/add/face"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.Verify(ctx, request(t, "c-1", "", "", ""))
		done <- err
	}()
	require.Eventually(t, func() bool { return srv.Count("/omni/add/face") == 1 }, time.Minute, time.Millisecond,
		"the selfie upload reaches the fake")
	cancel()
	err := <-done
	require.ErrorIs(t, err, kyc.ErrTimeout)
	assert.ErrorIs(t, err, context.Canceled)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.True(t, strings.HasPrefix(kerr.Reference, "incode:"), "the started session can be found again")
	assert.True(t, kyc.MayHaveCharged(err))
}

func TestResultErrors(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	c := client(t, srv, func(cfg *incode.Config) { *cfg = srv.ExecutiveConfig() })
	for _, ref := range []string{"", "incode:", "atlas:a.b", "nonsense", "incode:../x", "incode:a\x00b", "incode:" + strings.Repeat("a", 200)} {
		_, err := c.Result(context.Background(), ref)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, ref)
	}
	assert.Zero(t, srv.LogIns(), "a bad reference sends nothing")
	_, err := c.Result(context.Background(), "incode:6595c84ce69d469f69ad39fb.eyJ.bad.token")
	require.ErrorIs(t, err, kyc.ErrUnauthorized, "an unknown session token is refused with 401")
	assert.NotContains(t, err.Error(), "eyJ.bad.token")
}

func TestFaultsDoNotDuplicateSessions(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, incodetest.WithDelay(10*time.Millisecond))

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
	assert.True(t, kyc.MayHaveBeenSent(err))
	assert.Equal(t, 1, srv.Sends("f-2"))

	// A billed upload whose answer is lost is not resent: the error names
	// the session.
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 502, After: true, Path: "/omni/add/front-id"})
	_, err = c.Verify(context.Background(), request(t, "f-5", "", "", ""))
	require.ErrorIs(t, err, kyc.ErrUnavailable)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.NotEmpty(t, kerr.Reference)

	// Reads survive dropped connections and rate limits.
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultDrop, Path: "/omni/get/onboarding/status"})
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
	t.Parallel()
	// ID processing never finishes within the test: the status read below
	// sees ID_VALIDATION_FINISHED however slow the machine (with 10 ms, a
	// loaded machine saw POST_PROCESSING_FINISHED).
	c, _ := setup(t, incodetest.WithDelay(time.Hour))
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

// TestNoSecretInOutput scans every Reference, Event and Result the fake
// produces for every secret it was given: the API key, the executive
// password and token, and every session token.
func TestNoSecretInOutput(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t, incodetest.WithDelay(10*time.Millisecond))
	cfg := srv.ExecutiveConfig()
	cfg.WebhookToken = kyc.NewSecret("incodetest-webhook-token")
	c, err := incode.New(cfg, srv.Options()...)
	require.NoError(t, err)
	var outputs []any
	var errs []error
	for _, m := range append(kyctest.MagicInputs(), incodetest.ImageLenses, incodetest.ImageNameMismatch) {
		res, err := c.Verify(context.Background(), request(t, "scan-"+m, m, "", m))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		outputs = append(outputs, res, res.Reference)
		again, err := c.Result(context.Background(), res.Reference)
		require.NoError(t, err)
		outputs = append(outputs, again)
	}
	var events []*kyc.Event
	hook := httptest.NewServer(c.WebhookHandler(func(ctx context.Context, ev *kyc.Event) error {
		confirmed, err := c.ConfirmEvent(ctx, ev)
		events = append(events, ev, confirmed)
		return err
	}))
	defer hook.Close()
	for _, o := range outputs {
		if r, ok := o.(*kyc.Result); ok {
			_, err := srv.SendWebhook(context.Background(), hook.URL, strings.TrimPrefix(r.Reference, "incode:"), "ONBOARDING_FINISHED", "incodetest-webhook-token")
			require.NoError(t, err)
			break
		}
	}
	require.NotEmpty(t, events)
	for _, ev := range events {
		outputs = append(outputs, ev)
	}
	secrets := map[string]string{incodetest.APIKey: "API key", incodetest.ExecutivePassword: "executive password"}
	tokens := srv.Tokens()
	require.Greater(t, len(tokens), len(kyctest.MagicInputs()), "session tokens and an executive token were issued")
	for _, tok := range tokens {
		secrets[tok] = "session or executive token"
		// JWT parts are long enough to be recognised alone.
		for _, part := range strings.Split(tok, ".")[1:] {
			secrets[part] = "part of a token"
		}
	}
	for _, o := range outputs {
		js, err := json.Marshal(o)
		require.NoError(t, err)
		texts := []string{string(js)}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			texts = append(texts, fmt.Sprintf(verb, o))
		}
		for _, text := range texts {
			for s, what := range secrets {
				assert.NotContains(t, text, s, "a %s leaked", what)
			}
		}
	}
	for _, err := range errs {
		for s, what := range secrets {
			assert.NotContains(t, err.Error(), s, "a %s leaked into an error", what)
			assert.NotContains(t, fmt.Sprintf("%#v", err), s, "a %s leaked into an error", what)
		}
	}
}

func TestConcurrentVerify(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, incodetest.WithDelay(20*time.Millisecond))
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
