package incode_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	"github.com/kyc-go/kyc/internal/testutil"
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

func TestCancelMidPollThenResumeElsewhere(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		second func(srv *incodetest.Server, store incode.TokenStore) func(*incode.Config)
		finish int // finish-status calls Result makes
		opts   []incodetest.Option
	}{
		// The executive token cannot finish a session (finish-status names
		// none), so this case runs the flow Incode's guide recommends: it
		// completes sessions itself.
		{"executive credentials", func(srv *incodetest.Server, _ incode.TokenStore) func(*incode.Config) {
			return func(cfg *incode.Config) { *cfg = srv.ExecutiveConfig() }
		}, 0, []incodetest.Option{incodetest.WithFlowCompletion()}},
		{"shared token store", func(_ *incodetest.Server, store incode.TokenStore) func(*incode.Config) {
			return func(cfg *incode.Config) { cfg.TokenStore = store }
		}, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Processing is held for the first status reads by count
			// (ImageNotFinished), the first client waits an hour between
			// reads, and its context ends once the fake has had its first
			// read: the context ends while polling however slow the
			// machine (a 900 ms deadline could end during an upload).
			srv := incodetest.New(t, append(tt.opts, incodetest.WithDelay(0))...)
			store := newMemStore()
			first := client(t, srv, func(cfg *incode.Config) { cfg.TokenStore, cfg.PollInterval = store, time.Hour })
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			type verified struct {
				res *kyc.Result
				err error
			}
			done := make(chan verified, 1)
			go func() {
				res, err := first.Verify(ctx, request(t, "resume-1", "", "", kyctest.ImageNotFinished))
				done <- verified{res, err}
			}()
			require.Eventually(t, func() bool { return srv.Count("/omni/get/onboarding/status") == 1 }, time.Minute, time.Millisecond)
			cancel()
			v := <-done
			res, err := v.res, v.err
			require.NoError(t, err, "a context that ends while polling gives a pending result, not an error")
			assert.Equal(t, kyc.StatusPending, res.Status)
			assert.Equal(t, []kyc.Reason{kyc.ReasonNotFinished}, res.Reasons)
			assert.Zero(t, srv.Count("/omni/finish-status"))
			ref, err := kyc.ParseReference(res.Reference)
			require.NoError(t, err)
			assert.Len(t, ref.ID, 24, "the Reference is the interview id alone")

			// Another process: nothing shared with the first client but the
			// store (or the executive credentials).
			second := client(t, srv, tt.second(srv, store))
			alone := client(t, srv)
			_, err = alone.Result(context.Background(), res.Reference)
			require.ErrorIs(t, err, kyc.ErrUnsupported, "without a token source, another process cannot read back")
			assert.False(t, kyc.MayHaveBeenSent(err))

			var final *kyc.Result
			require.Eventually(t, func() bool {
				r, err := second.Result(context.Background(), res.Reference)
				require.NoError(t, err)
				final = r
				return r.Status.Final()
			}, time.Minute, 10*time.Millisecond)
			assert.Equal(t, kyc.StatusApproved, final.Status)
			assert.Empty(t, final.Reasons)
			assert.Equal(t, res.Reference, final.Reference)
			require.NotNil(t, final.Document)
			assert.Equal(t, "ALEX GINMAN", final.Document.FullName)
			assert.Equal(t, tt.finish, srv.Count("/omni/finish-status"),
				"a session token finishes the session; the executive token cannot (finish-status names no session)")
			assert.Equal(t, 1, srv.Sends("resume-1"))
		})
	}
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

// TestPollBound: PollTimeout ends Verify's polling under
// context.Background(). ID processing never ends within the test, so only
// the bound can end Verify (a 5 s delay with a 2 s limit on the whole
// Verify failed whenever a loaded machine took 2 s to upload); the minute
// only turns a broken bound into a failure instead of a hang.
func TestPollBound(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t, incodetest.WithDelay(time.Hour))
	c := client(t, srv, func(cfg *incode.Config) {
		cfg.PollTimeout, cfg.PollInterval = 200*time.Millisecond, 20*time.Millisecond
	})
	type verified struct {
		res *kyc.Result
		err error
	}
	done := make(chan verified, 1)
	go func() {
		res, err := c.Verify(context.Background(), request(t, "bound-1", "", "", ""))
		done <- verified{res, err}
	}()
	var v verified
	select {
	case v = <-done:
	case <-time.After(time.Minute):
		t.Fatal("the poll bound did not end Verify")
	}
	res, err := v.res, v.err
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusPending, res.Status)
	assert.Equal(t, []kyc.Reason{kyc.ReasonNotFinished}, res.Reasons)
	assert.NotEmpty(t, res.Reference)
	_, err = incode.New(incode.Config{APIKey: kyc.NewSecret("k"), PollTimeout: -1})
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
}

// xs is what slowReader streams, a read's worth at a time.
var xs = bytes.Repeat([]byte{'x'}, 64<<10)

// slowReader streams an image of unknown size.
type slowReader struct{ left int }

func (r *slowReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.left)], xs) // one copy, not a loop per byte: -race instruments each
	r.left -= n
	return n, nil
}

// TestStreamOverCapIsAborted streams an over-cap image of unknown size into
// each of Verify's three uploads: the upload is aborted, and the error names
// the kyc.Request field, not the vendor's body field.
func TestStreamOverCapIsAborted(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		field, path string
		set         func(*kyc.Request, *kyc.Image)
	}{
		{"Document.Front", "/omni/add/front-id/v2", func(r *kyc.Request, im *kyc.Image) { r.Document.Front = im }},
		{"Document.Back", "/omni/add/back-id/v2", func(r *kyc.Request, im *kyc.Image) { r.Document.Back = im }},
		{"Selfie", "/omni/add/face/third-party", func(r *kyc.Request, im *kyc.Image) { r.Selfie = im }},
	} {
		t.Run(tc.field, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t, incodetest.WithDelay(10*time.Millisecond))
			head := kyctest.MagicImage("", 0)
			big, err := kyc.ImageFromReader(io.MultiReader(bytes.NewReader(head[:len(head)-2]), &slowReader{left: 30 << 20}, bytes.NewReader(head[len(head)-2:])))
			require.NoError(t, err)
			req := request(t, "cap-1", "", "", "")
			tc.set(&req, big)
			_, err = c.Verify(context.Background(), req)
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.EqualValues(t, tc.field, kerr.Field)
			assert.NotEmpty(t, kerr.Reference, "the session was started before the upload")
			for _, r := range srv.Requests() {
				if r.Path == tc.path {
					assert.Less(t, len(r.Body), incode.MaxImageBytes, "the fake never receives a complete over-cap body")
				}
			}
		})
	}
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

func TestWebhooks(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t, incodetest.WithDelay(10*time.Millisecond))
	c := client(t, srv, func(cfg *incode.Config) { cfg.WebhookToken = kyc.NewSecret("hook-token") })
	res, err := c.Verify(context.Background(), request(t, "hook-user", "", "", ""))
	require.NoError(t, err)
	id := strings.TrimPrefix(res.Reference, "incode:")

	var mu sync.Mutex
	var events []*kyc.Event
	var confirmed *kyc.Event
	fail := false
	hook := httptest.NewServer(c.WebhookHandler(func(ctx context.Context, ev *kyc.Event) error {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
		if fail {
			return errors.New("database down")
		}
		r, err := c.ConfirmEvent(ctx, ev)
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
	assert.Equal(t, res.Reference, ev.Reference, "every Event carries its Reference")
	assert.Equal(t, "ONBOARDING_FINISHED", ev.Type)
	assert.Equal(t, kyc.StatusPending, ev.Result.Status, "the webhook carries no verdict")
	p, err := incode.EventPayload(ev)
	require.NoError(t, err)
	assert.Equal(t, "hook-user", p.ExternalID)
	require.NotNil(t, confirmed)
	assert.True(t, confirmed.Confirmed)
	assert.Equal(t, kyc.StatusApproved, confirmed.Result.Status)
	assert.True(t, confirmed.Result.Scores.FaceMatch.Given(), "a confirmed event has the read-back scores")
	assert.False(t, ev.Confirmed, "ConfirmEvent returns a copy")

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
}

// TestWebhookMatrix runs every receiver setup against every kind of
// webhook: the status code, and what the handler received.
func TestWebhookMatrix(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t, incodetest.WithDelay(10*time.Millisecond))
	const id = "6595c84ce69d469f69ad39fb"
	good := incodetest.Webhook("MANUAL_REVIEW_APPROVED", id)
	receivers := map[string]func(*incode.Config){
		"no credentials":  func(*incode.Config) {},
		"token":           func(cfg *incode.Config) { cfg.WebhookToken = kyc.NewSecret("tok") },
		"unauthenticated": func(cfg *incode.Config) { cfg.AcceptUnauthenticatedWebhooks = true },
	}
	type want struct {
		code   int
		status kyc.Status // what the handler saw; "" when not called
	}
	cases := []struct {
		name   string
		body   []byte
		bearer string
		want   map[string]want
	}{
		{"right credentials", good, "tok", map[string]want{"no credentials": {401, ""}, "token": {200, kyc.StatusApproved}, "unauthenticated": {200, kyc.StatusPending}}},
		{"wrong credentials", good, "nope", map[string]want{"no credentials": {401, ""}, "token": {401, ""}, "unauthenticated": {200, kyc.StatusPending}}},
		{"no credentials", good, "", map[string]want{"no credentials": {401, ""}, "token": {401, ""}, "unauthenticated": {200, kyc.StatusPending}}},
		{"oversized", append(good[:len(good):len(good)], bytes.Repeat([]byte(" "), 2<<20)...), "tok", map[string]want{"no credentials": {401, ""}, "token": {413, ""}, "unauthenticated": {413, ""}}},
		{"malformed", []byte(`{"interviewId":`), "tok", map[string]want{"no credentials": {401, ""}, "token": {400, ""}, "unauthenticated": {400, ""}}},
		{"control characters", []byte(`{"interviewId":"` + id + `","onboardingStatus":"ONBOARDING_FINISHED\nFORGED"}`), "tok", map[string]want{"no credentials": {401, ""}, "token": {400, ""}, "unauthenticated": {400, ""}}},
		{"unknown id form", incodetest.Webhook("ONBOARDING_FINISHED", "../../x"), "tok", map[string]want{"no credentials": {401, ""}, "token": {400, ""}, "unauthenticated": {400, ""}}},
		{"undocumented status", incodetest.Webhook("APPROVED_BY_ME", id), "tok", map[string]want{"no credentials": {401, ""}, "token": {400, ""}, "unauthenticated": {400, ""}}},
	}
	for rname, cfg := range receivers {
		logger, logs := testutil.CaptureLogger()
		c := client(t, srv, cfg)
		c2, err := incode.New(func() incode.Config { x := srv.Config(); cfg(&x); return x }(), append(srv.Options(), kyc.WithLogger(logger))...)
		require.NoError(t, err)
		_ = c
		for _, tc := range cases {
			var got *kyc.Event
			h := c2.WebhookHandler(func(_ context.Context, ev *kyc.Event) error { got = ev; return nil })
			req := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(tc.body))
			if tc.bearer != "" {
				req.Header.Set("Authorization", "Bearer "+tc.bearer)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			w := tc.want[rname]
			assert.Equal(t, w.code, rec.Code, "%s / %s", rname, tc.name)
			if w.status == "" {
				assert.Nil(t, got, "%s / %s: the handler is not called", rname, tc.name)
				var body struct {
					Success bool
					Error   string
				}
				require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), "%s / %s", rname, tc.name)
				assert.False(t, body.Success)
				assert.NotEmpty(t, body.Error, "the refusal names its reason")
				assert.NotContains(t, body.Error, "FORGED", "the reason never echoes input")
				assert.NotContains(t, body.Error, "../")
				continue
			}
			require.NotNil(t, got, "%s / %s", rname, tc.name)
			assert.Equal(t, w.status, got.Result.Status, "%s / %s", rname, tc.name)
			assert.Equal(t, "incode:"+id, got.Reference)
			assert.Equal(t, rname == "token", got.Authenticated)
		}
		out := logs.String()
		assert.Contains(t, out, "level=DEBUG", rname)
		assert.NotContains(t, out, "level=WARN", rname)
		assert.Contains(t, out, "reason=", rname)
		assert.NotContains(t, out, "FORGED", rname)
	}
	rec := httptest.NewRecorder()
	client(t, srv).WebhookHandler(func(context.Context, *kyc.Event) error { return nil }).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/hook", nil))
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
}

func TestConfirmEventRefusals(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	c := client(t, srv, func(cfg *incode.Config) { *cfg = srv.ExecutiveConfig() })
	_, err := c.ConfirmEvent(context.Background(), nil)
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
	_, err = c.ConfirmEvent(context.Background(), &kyc.Event{Provider: kyc.Verificar, Reference: "verificar:1"})
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
	ev := &kyc.Event{Provider: kyc.Incode, Reference: "incode:000000000000000000000000",
		Raw: incodetest.Webhook("ONBOARDING_FINISHED", "6595c84ce69d469f69ad39fb")}
	_, err = c.ConfirmEvent(context.Background(), ev)
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest, "a Reference that is not the body's interview is refused")
	assert.Zero(t, srv.LogIns())
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
