// Package incodetest is an in-process fake of Incode's Omni API, for tests
// and examples that must not reach Incode.
//
// The fake serves the session flow over TLS, checks the api-version and
// x-api-key headers (403 for a wrong key) and the token in
// X-Incode-Hardware-Id (401 for an unknown one), serves the executive
// log-in (POST /executive/log-in with ExecutiveEmail and ExecutivePassword;
// an executive token reads any session named by ?id= or ?interviewId=),
// enforces the documented call order (front → back → process ID; selfie and
// front before process face; an ID is processed once), delays ID processing
// (WithDelay) so that clients poll the onboarding status, refuses bodies
// over Incode's 10 MB image cap, answers with the documented bodies, and
// sends the onboarding-status webhook (SendWebhook, Webhook, PostWebhook).
// Faults are injected through the embedded kyctest.Server.
//
// # Magic inputs
//
// Outcomes are chosen by the kyctest magic images (kyctest.MagicImage), the
// same vocabulary as every fake. Incode's outcome for each, with the kyc
// Result that incode.Client.Verify gives:
//
//	kyctest input        image    Incode's answer                                       Verify
//	ImageApproved        any      every check OK                                        approved
//	ImageNoFace          selfie,  error 4019 "Face not found." at the upload            rejected no_face, resubmit
//	                     front
//	ImageFaceMismatch    selfie   process/face confidence 0; face recognition FAIL       rejected face_mismatch
//	ImageFaceBorderline  selfie   face recognition WARN, overall WARN                   review face_mismatch
//	ImageLivenessFailed  selfie   liveness confidence 1 at the upload (spoof)           rejected liveness_failed, resubmit
//	ImageLowQuality      selfie   isBright false (guide: capture again)                 rejected low_quality_image, resubmit
//	                     front    failReason DOCUMENT_NOT_READABLE                      rejected low_quality_image, resubmit
//	ImageExpired         front    expiry checks FAIL, OCR expiry in the past            rejected document_expired
//	ImageForged          front    tamperCheck FAIL                                      rejected document_forged
//	ImageUnderage        front    Incode's score has no age check: as ImageApproved     approved
//	ImageNoDocument      front    failReason UNKNOWN_DOCUMENT_TYPE (nearest answer)     rejected unsupported_document, resubmit
//	ImageReview          any      overall WARN                                          review
//	ImageNotFinished     any      ID processing not over for the first 3 status reads   approved, after polling
//	ImageServerError     any      HTTP 500 on the upload that carries it                error (kyc.Error.Reference set)
//
// Incode-only outcomes have markers of their own: FailReasonImage (each of
// the nine failReasons, in an HTTP 200), ErrorCodeImage (an error body with
// Incode's code), ImageLenses and ImageFaceMask (selfie answers the guide
// says to capture again), ImageNameMismatch (a customFields firstNameMatch
// FAIL) and ImageProcessingError (6000). A plain image
// (kyctest.MagicImage("", 0)) is ImageApproved.
//
//	srv := incodetest.New(t)
//	c, _ := incode.New(srv.Config(), srv.Options()...)
//	selfie, _ := kyc.ImageFromBytes(kyctest.MagicImage(kyctest.ImageLivenessFailed, 0))
//
// Sends and DuplicateSends (from the embedded kyctest.Server) count session
// starts by externalCustomerId, where Verify sends kyc.Request.ID; starts
// without one are not counted.
package incodetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/kyctest"
)

// Credentials the fake accepts by default.
const (
	APIKey            = "incodetest-api-key"
	ConfigurationID   = "incodetest-flow"
	ExecutiveEmail    = "executive@incodetest.example"
	ExecutivePassword = "incodetest-executive-password"
)

// DefaultDelay is how long ID processing takes after ProcessID, by default.
const DefaultDelay = 250 * time.Millisecond

// Incode-only magic markers (kyctest.MagicImage(marker, size)); the shared
// outcomes use the kyctest markers.
const (
	// ImageLenses, as the selfie: hasLenses true.
	ImageLenses = "incode_lenses"
	// ImageFaceMask, as the selfie: hasFaceMask true.
	ImageFaceMask = "incode_face_mask"
	// ImageNameMismatch, as the front: idValidation.customFields
	// firstNameMatch and lastNameMatch FAIL, and the overall score FAIL.
	ImageNameMismatch = "incode_name_mismatch"
	// ImageProcessingError, as the front: ProcessID fails with 6000; as the
	// selfie: ProcessFace fails with 6000.
	ImageProcessingError = "incode_processing_error"
)

// notReadyReads is how many status reads an ImageNotFinished session
// stays unprocessed for.
const notReadyReads = 3

// FailReasons are the documented failReason values of the ID uploads.
var FailReasons = []string{
	"UNKNOWN_DOCUMENT_TYPE", "WRONG_DOCUMENT_SIDE", "WRONG_ONE_SIDED_DOCUMENT",
	"WRONG_UNFOLDED_DOCUMENT", "UNFOLDED_DOCUMENT_PAGE_MISMATCH", "DOCUMENT_NOT_READABLE",
	"UNABLE_TO_ALIGN_DOCUMENT", "ID_TYPE_UNACCEPTABLE", "UNEXPECTED_ERROR_OCCURRED",
}

// FailReasonImage is the marker that makes a front or back upload answer
// HTTP 200 with this failReason: the reason in lower case.
func FailReasonImage(failReason string) string { return strings.ToLower(failReason) }

// ErrorCodeImage is the marker that makes a front, back or selfie upload
// answer HTTP 400 with Incode's error body carrying this code ("code_3006").
func ErrorCodeImage(code int) string { return "code_" + strconv.Itoa(code) }

// maxBody is the largest upload body the fake reads: a base64 image at
// Incode's cap, plus room for the JSON around it.
const maxBody = (incode.MaxImageBytes+2)/3*4 + 4096

// Option configures the fake.
type Option func(*Server)

// WithDelay sets how long ID processing takes (default DefaultDelay).
func WithDelay(d time.Duration) Option { return func(s *Server) { s.delay = d } }

// WithFlowCompletion makes the fake's flow mark a session completed
// (ONBOARDING_FINISHED) once its face is processed and its ID processing is
// over, as Incode's guide says to configure the flow ("Mark session
// completed on status"); without it, only FinishStatus completes a session.
func WithFlowCompletion() Option { return func(s *Server) { s.autoFinish = true } }

// WithAPIKey sets the API key the fake accepts (default APIKey).
func WithAPIKey(key string) Option { return func(s *Server) { s.key = key } }

// WithWebhookClient sets the client SendWebhook posts with (default
// http.DefaultClient); pass an httptest TLS server's Client() to post to it.
func WithWebhookClient(hc *http.Client) Option { return func(s *Server) { s.hook = hc } }

// Server is the fake. It is safe for concurrent use.
type Server struct {
	*kyctest.Server

	key        string
	delay      time.Duration
	hook       *http.Client
	autoFinish bool

	mu       sync.Mutex
	sessions map[string]*session // by token
	byID     map[string]*session
	exec     map[string]bool // executive tokens
	logIns   int
	issued   []string
}

type session struct {
	id, token, external string
	front, back         string // markers; "" not uploaded
	hasFront, hasBack   bool
	onlyFront           bool
	processed           bool
	readyAt             time.Time
	statusReads         int
	selfie              string
	hasSelfie           bool
	faceDone            bool
	finished            bool
}

// NewServer starts a fake; Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{key: APIKey, delay: DefaultDelay, hook: http.DefaultClient,
		sessions: map[string]*session{}, byID: map[string]*session{}, exec: map[string]bool{}}
	for _, o := range opts {
		o(s)
	}
	s.Server = kyctest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// New starts a fake closed when the test ends.
func New(t testing.TB, opts ...Option) *Server {
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// Config returns a Config with the API key the fake accepts, and a short
// poll interval suited to its processing delay. Pass Options() too.
func (s *Server) Config() incode.Config {
	return incode.Config{APIKey: kyc.NewSecret(s.key), ConfigurationID: ConfigurationID,
		PollInterval: max(s.delay/3, 20*time.Millisecond)}
}

// ExecutiveConfig is Config with the executive credentials the fake
// accepts, so that the client reads any session back in any process.
func (s *Server) ExecutiveConfig() incode.Config {
	cfg := s.Config()
	cfg.ExecutiveEmail, cfg.ExecutivePassword = ExecutiveEmail, kyc.NewSecret(ExecutivePassword)
	return cfg
}

// Sessions returns how many sessions were started.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byID)
}

// LogIns returns how many executive log-ins succeeded.
func (s *Server) LogIns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logIns
}

// ExpireExecutiveTokens makes every executive token issued so far invalid,
// as at the end of its 24 h: the next call with one gets 401.
func (s *Server) ExpireExecutiveTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.exec)
}

// Tokens returns every session and executive token the fake issued, for
// tests that scan output for secrets.
func (s *Server) Tokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

// Webhook is the body Incode posts for an onboarding-status change:
// {"interviewId", "onboardingStatus"}. WebhookFor adds the externalId.
func Webhook(onboardingStatus, interviewID string) []byte {
	return WebhookFor(onboardingStatus, interviewID, "")
}

// WebhookFor is Webhook with the session's externalId (omitted when empty).
func WebhookFor(onboardingStatus, interviewID, externalID string) []byte {
	b, _ := json.Marshal(incode.WebhookPayload{InterviewID: interviewID, ExternalID: externalID,
		OnboardingStatus: incode.OnboardingStatus(onboardingStatus)})
	return b
}

// PostWebhook POSTs a webhook body to url as Incode does, with
// "Authorization: Bearer <bearer>" when bearer is not empty (the token your
// OAuth endpoint issued to Incode, incode.Config.WebhookToken), and returns
// the reply's status. hc nil is http.DefaultClient. It does not retry.
func PostWebhook(ctx context.Context, hc *http.Client, url string, body []byte, bearer string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}

// SendWebhook POSTs the onboarding-status webhook for a session to url, as
// Incode does: {"interviewId", "externalId" (when the session has one),
// "onboardingStatus"}, with the bearer token when not empty. Like Incode, it
// retries once when the answer is not 200 or the call fails. It returns the
// last answer's status.
func (s *Server) SendWebhook(ctx context.Context, url, interviewID, onboardingStatus string, bearer string) (int, error) {
	s.mu.Lock()
	external := ""
	if ss := s.byID[interviewID]; ss != nil {
		external = ss.external
	}
	s.mu.Unlock()
	body := WebhookFor(onboardingStatus, interviewID, external)
	var status int
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		status, err = PostWebhook(ctx, s.hook, url, body, bearer)
		if err == nil && status == http.StatusOK {
			return status, nil
		}
		if ctx.Err() != nil {
			break
		}
	}
	return status, err
}

// writeJSON answers with a body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Processing-Time", "3")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers with Incode's error body.
func writeError(w http.ResponseWriter, r *http.Request, httpStatus, code int, errText, message string) {
	body := map[string]any{"timestamp": time.Now().UnixMilli(), "status": code, "error": errText, "path": r.URL.Path}
	if message != "" {
		body["message"] = message
	}
	writeJSON(w, httpStatus, body)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func jwt(sub string) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"sub":"%s","n":"%s"}`, sub, randomHex(4))))
	return "eyJhbGciOiJIUzI1NiJ9." + payload + "." + randomHex(16)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("api-version") != "1.0" {
		writeError(w, r, http.StatusBadRequest, 400, "Bad Request", "api-version header is mandatory")
		return
	}
	if r.Header.Get("x-api-key") != s.key {
		writeError(w, r, http.StatusForbidden, 403, "Forbidden", "Invalid or missing api key")
		return
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case path == "/omni/start" && r.Method == http.MethodPost:
		s.start(w, r)
		return
	case path == "/executive/log-in" && r.Method == http.MethodPost:
		s.logIn(w, r)
		return
	}
	tok := r.Header.Get("X-Incode-Hardware-Id")
	s.mu.Lock()
	ss, exec := s.sessions[tok], s.exec[tok]
	if exec {
		id := r.URL.Query().Get("id")
		if id == "" {
			id = r.URL.Query().Get("interviewId")
		}
		ss = s.byID[id]
	}
	s.mu.Unlock()
	if ss == nil {
		if exec {
			writeError(w, r, http.StatusBadRequest, 400, "Bad Request", "An executive token needs the interview id")
			return
		}
		writeError(w, r, http.StatusUnauthorized, 401, "Unauthorized", "Invalid or missing access token")
		return
	}
	for _, k := range []string{"id", "interviewId"} {
		if v := r.URL.Query().Get(k); v != "" && v != ss.id {
			writeError(w, r, http.StatusUnauthorized, 401, "Unauthorized", "The token does not grant access to this session")
			return
		}
	}
	type route struct{ method, path string }
	handlers := map[route]func(http.ResponseWriter, *http.Request, *session){
		{http.MethodPost, "/omni/add/front-id/v2"}:      s.addFront,
		{http.MethodPost, "/omni/add/back-id/v2"}:       s.addBack,
		{http.MethodPost, "/omni/process/id"}:           s.processID,
		{http.MethodPost, "/omni/add/face/third-party"}: s.addFace,
		{http.MethodPost, "/omni/process/face"}:         s.processFace,
		{http.MethodGet, "/omni/get/onboarding/status"}: s.status,
		{http.MethodGet, "/omni/finish-status"}:         s.finish,
		{http.MethodGet, "/omni/get/score"}:             s.score,
		{http.MethodGet, "/omni/get/ocr-data"}:          s.ocr,
		{http.MethodPost, "/omni/process/approve"}:      s.approve,
	}
	h := handlers[route{r.Method, path}]
	if h == nil {
		writeError(w, r, http.StatusNotFound, 404, "Not Found", "")
		return
	}
	h(w, r, ss)
}

func (s *Server) logIn(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		writeError(w, r, http.StatusBadRequest, 400, "Bad Request", "Malformed body")
		return
	}
	if req.Email != ExecutiveEmail || req.Password != ExecutivePassword {
		writeError(w, r, http.StatusUnauthorized, 401, "Unauthorized", "Bad credentials")
		return
	}
	tok := jwt("executive")
	s.mu.Lock()
	s.exec[tok] = true
	s.logIns++
	s.issued = append(s.issued, tok)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"token": tok})
}

func (s *Server) start(w http.ResponseWriter, r *http.Request) {
	var req struct {
		CountryCode        string `json:"countryCode"`
		ConfigurationID    string `json:"configurationId"`
		ExternalCustomerID string `json:"externalCustomerId"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		writeError(w, r, http.StatusBadRequest, 400, "Bad Request", "Malformed body")
		return
	}
	id := randomHex(12)
	ss := &session{id: id, token: jwt(id), external: req.ExternalCustomerID}
	s.mu.Lock()
	s.sessions[ss.token] = ss
	s.byID[id] = ss
	s.issued = append(s.issued, ss.token)
	s.CountSend(req.ExternalCustomerID)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"token": ss.token, "interviewId": id, "interviewCode": strings.ToUpper(randomHex(3)),
		"flowType": "flow", "clientId": "incodetest", "env": "demo", "existingSession": false,
		"idCaptureTimeout": 30, "idCaptureRetries": 3, "selfieCaptureTimeout": 30, "selfieCaptureRetries": 3,
	})
}

// image reads {"base64Image"} and returns its marker; it answers the
// error itself and returns ok false when the image is unusable. A body
// over Incode's cap is refused without being read whole.
func image(w http.ResponseWriter, r *http.Request) (string, bool) {
	var req struct {
		Base64Image string `json:"base64Image"`
	}
	err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&req)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeError(w, r, http.StatusRequestEntityTooLarge, 413, "Payload Too Large", "The image cannot exceed 10 MB")
		return "", false
	case err != nil || req.Base64Image == "":
		writeError(w, r, http.StatusBadRequest, 400, "Bad Request", "base64Image is required")
		return "", false
	}
	raw, err := base64.StdEncoding.DecodeString(req.Base64Image)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, 400, "Bad Request", "base64Image is not base64")
		return "", false
	}
	if len(raw) > incode.MaxImageBytes {
		writeError(w, r, http.StatusBadRequest, 3008, "Image size unsupported", "")
		return "", false
	}
	m := kyctest.ImageMarker(raw)
	if code, ok := strings.CutPrefix(m, "code_"); ok {
		n, _ := strconv.Atoi(code)
		writeError(w, r, http.StatusBadRequest, n, "Capture failed", "")
		return "", false
	}
	switch m {
	case kyctest.ImageNoFace:
		writeError(w, r, http.StatusBadRequest, 4019, "Face not found.", "")
		return "", false
	case kyctest.ImageServerError:
		writeError(w, r, http.StatusInternalServerError, 500, "Internal Server Error", "")
		return "", false
	}
	return m, true
}

// sideFailReasons are the shared markers that a front or back upload
// answers with a failReason.
var sideFailReasons = map[string]string{
	kyctest.ImageLowQuality: "DOCUMENT_NOT_READABLE",
	kyctest.ImageNoDocument: "UNKNOWN_DOCUMENT_TYPE",
}

func sideBody(marker string, back bool) (map[string]any, bool) {
	fail := sideFailReasons[marker]
	for _, fr := range FailReasons {
		if marker == FailReasonImage(fr) {
			fail = fr
		}
	}
	if fail != "" {
		return map[string]any{"classification": false, "failReason": fail, "sharpness": 100, "glare": 100,
			"horizontalResolution": 0}, false
	}
	body := map[string]any{"sharpness": 100, "glare": 100, "horizontalResolution": 1200,
		"classification": true, "readability": true, "typeOfId": "DriversLicense",
		"countryCode": "USA", "issueYear": 2016, "issueName": "USA DriversLicense DRIVERS_LICENSE", "sessionStatus": "Alive"}
	if back {
		body["issueName"] = "USA DriversLicense DRIVERS_LICENSE BACK"
	}
	return body, true
}

func (s *Server) addFront(w http.ResponseWriter, r *http.Request, ss *session) {
	m, ok := image(w, r)
	if !ok {
		return
	}
	body, accepted := sideBody(m, false)
	if accepted {
		s.mu.Lock()
		// A new front starts the ID over: Incode re-processes only after
		// both sides are uploaded again.
		ss.front, ss.hasFront, ss.back, ss.hasBack, ss.processed = m, true, "", false, false
		ss.onlyFront = r.URL.Query().Get("onlyFront") == "true"
		s.mu.Unlock()
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) addBack(w http.ResponseWriter, r *http.Request, ss *session) {
	s.mu.Lock()
	hasFront := ss.hasFront
	s.mu.Unlock()
	if !hasFront {
		writeError(w, r, http.StatusBadRequest, 400, "Bad Request", "Upload the front of the ID first")
		return
	}
	m, ok := image(w, r)
	if !ok {
		return
	}
	body, accepted := sideBody(m, true)
	if accepted {
		s.mu.Lock()
		ss.back, ss.hasBack, ss.processed = m, true, false
		s.mu.Unlock()
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) processID(w http.ResponseWriter, r *http.Request, ss *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case !ss.hasFront || (!ss.hasBack && !ss.onlyFront):
		writeError(w, r, http.StatusBadRequest, 400, "Bad Request", "Upload the front and back of the ID first")
	case ss.processed:
		writeError(w, r, http.StatusBadRequest, 400, "Bad Request", "The ID was already processed; upload it again")
	case ss.front == ImageProcessingError:
		writeError(w, r, http.StatusBadRequest, 6000, "Processing error", "")
	default:
		ss.processed, ss.readyAt, ss.statusReads = true, time.Now().Add(s.delay), 0
		writeJSON(w, http.StatusOK, map[string]any{"success": true})
	}
}

func (s *Server) addFace(w http.ResponseWriter, r *http.Request, ss *session) {
	if r.URL.Query().Get("imageType") != "selfie" {
		writeError(w, r, http.StatusBadRequest, 400, "Bad Request", "imageType must be selfie")
		return
	}
	m, ok := image(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	ss.selfie, ss.hasSelfie, ss.faceDone = m, true, false
	s.mu.Unlock()
	body := map[string]any{"age": 31, "isBright": m != kyctest.ImageLowQuality, "hasLenses": m == ImageLenses,
		"hasFaceMask": m == ImageFaceMask, "sessionStatus": "Alive", "confidence": 0}
	if m == kyctest.ImageLivenessFailed {
		body["confidence"] = 1
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) processFace(w http.ResponseWriter, r *http.Request, ss *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case !ss.hasSelfie || !ss.hasFront:
		writeError(w, r, http.StatusBadRequest, 400, "Bad Request", "Upload the selfie and the front of the ID first")
	case ss.selfie == ImageProcessingError:
		writeError(w, r, http.StatusBadRequest, 6000, "Processing error", "")
	default:
		ss.faceDone = true
		confidence := 1
		if ss.selfie == kyctest.ImageFaceMismatch {
			confidence = 0
		}
		writeJSON(w, http.StatusOK, map[string]any{"confidence": confidence, "nameMatched": nil,
			"existingUser": false, "existingExternalId": nil, "existingInterviewId": nil})
	}
}

// notFinished reports a session whose processing is held back by
// kyctest.ImageNotFinished. Call with s.mu held.
func (ss *session) notFinished() bool {
	return (ss.front == kyctest.ImageNotFinished || ss.selfie == kyctest.ImageNotFinished) && ss.statusReads < notReadyReads
}

// ready reports that ID processing is over. Call with s.mu held.
func (ss *session) ready() bool {
	return ss.processed && !time.Now().Before(ss.readyAt) && !ss.notFinished()
}

func (s *Server) status(w http.ResponseWriter, _ *http.Request, ss *session) {
	s.mu.Lock()
	ss.statusReads++
	if s.autoFinish && ss.faceDone && ss.ready() {
		ss.finished = true
	}
	st := incode.StatusUnknown
	switch {
	case !ss.processed:
	case !ss.ready():
		st = incode.StatusIDValidationFinished
	case ss.finished:
		st = incode.StatusOnboardingFinished
	case ss.faceDone:
		st = incode.StatusFaceValidationFinished
	default:
		st = incode.StatusPostProcessingFinished
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"onboardingStatus": st})
}

func (s *Server) finish(w http.ResponseWriter, _ *http.Request, ss *session) {
	s.mu.Lock()
	ss.finished = true
	action := "approved"
	if _, st := ss.scores(); st != "OK" {
		action = "rejected"
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"redirectionUrl": "https://example.com/incodetest/done", "action": action})
}

func (s *Server) score(w http.ResponseWriter, _ *http.Request, ss *session) {
	s.mu.Lock()
	body, _ := ss.scores()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) ocr(w http.ResponseWriter, _ *http.Request, ss *session) {
	s.mu.Lock()
	ready, front := ss.ready(), ss.front
	s.mu.Unlock()
	if !ready {
		writeJSON(w, http.StatusOK, map[string]any{})
		return
	}
	expireAt := "2549464802000"
	if front == kyctest.ImageExpired {
		expireAt = "1654041600000"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"name":    map[string]any{"fullName": "ALEX GINMAN", "firstName": "ALEX", "givenName": "ALEX", "paternalLastName": "GINMAN"},
		"address": "76 PARKER HILL AVE 1\nBOSTON, MA 02120", "addressFields": map[string]any{"state": "MA"},
		"typeOfId": "DriversLicense", "documentFrontSubtype": "DRIVERS_LICENSE", "gender": "M",
		"documentNumber": "S3441243", "birthDate": 631152000000, "issuedAt": "1560384000000", "expireAt": expireAt,
		"expirationDate": 2024, "issueDate": 2019, "issuingCountry": "USA", "issuingState": "MASSACHUSETTS",
		"ocrDataConfidence": map[string]any{"birthDateConfidence": 0.9975609},
	})
}

func (s *Server) approve(w http.ResponseWriter, r *http.Request, ss *session) {
	s.mu.Lock()
	finished := ss.finished
	s.mu.Unlock()
	if !finished {
		writeError(w, r, http.StatusBadRequest, 400, "Bad Request", "The onboarding is not finished")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "uuid": ss.id, "token": "eyJhbGciOiJIUzI1NiJ9.e30." + randomHex(8),
		"totalScore": "OK", "existingCustomer": false})
}

func leaf(key, value string, fail bool) map[string]any {
	st := "OK"
	if fail {
		st = "FAIL"
	}
	m := map[string]any{"value": value, "status": st}
	if key != "" {
		m["key"] = key
	}
	return m
}

// scores builds the score body in the documented shape; the overall status
// is empty until the session is finished and processed. Call with s.mu held.
func (ss *session) scores() (map[string]any, string) {
	expired, forged := ss.front == kyctest.ImageExpired, ss.front == kyctest.ImageForged
	nameMismatch := ss.front == ImageNameMismatch
	mismatch := ss.selfie == kyctest.ImageFaceMismatch
	review := ss.front == kyctest.ImageReview || ss.selfie == kyctest.ImageReview || ss.selfie == kyctest.ImageFaceBorderline
	idFail := expired || forged || nameMismatch
	idValue, faceValue, liveValue := "100.0", "74.7", "99.9"
	if idFail {
		idValue = "20.0"
	}
	if mismatch {
		faceValue = "12.0"
	}
	faceLeaf := leaf("", faceValue, mismatch)
	if review {
		faceLeaf = map[string]any{"value": "55.0", "status": "WARN"}
	}
	overall := "OK"
	switch {
	case idFail || mismatch:
		overall = "FAIL"
	case review:
		overall = "WARN"
	}
	reason := "This session passed because it passed all of Incode's tests: ID Verification, Face Recognition, Liveness Detection"
	if overall != "OK" {
		reason = "This session did not pass all of Incode's tests"
	}
	top := map[string]any{"value": nil, "status": ""}
	if ss.finished && ss.ready() {
		top = map[string]any{"value": nil, "status": overall}
	} else {
		overall = ""
	}
	var custom any
	if nameMismatch {
		custom = []any{leaf("firstNameMatch", "0", true), leaf("lastNameMatch", "0", true)}
	}
	return map[string]any{
		"idValidation": map[string]any{
			"photoSecurityAndQuality": []any{leaf("tamperCheck", "PASSED", forged), leaf("screenIdLiveness", "OK", false),
				leaf("paperIdLiveness", "OK", false), leaf("balancedLightFront", "96", false),
				leaf("sharpnessFront", "99", false), leaf("idAlreadyUsedCheck", "PASSED", false)},
			"idSpecific": []any{leaf("documentClassification", "100", false), leaf("expirationDateValidity", "100", expired),
				leaf("birthDateValidity", "100", false), leaf("visiblePhotoFeatures", "100", false),
				leaf("documentExpired", "100", expired), leaf("fullNameCrosscheck", "100", false)},
			"customFields": custom, "appliedRule": nil,
			"overall": leaf("", idValue, idFail),
		},
		"liveness": map[string]any{"livenessScore": leaf("", liveValue, false), "photoQuality": map[string]any{"value": ""},
			"overall": leaf("", liveValue, false)},
		"faceRecognition": map[string]any{"existingUser": false, "maskCheck": leaf("", "0", false), "lensesCheck": map[string]any{"status": "OK"},
			"faceBrightness": map[string]any{"value": "", "status": "OK"}, "nameMatch": map[string]any{"status": "OK"},
			"appliedRule": map[string]any{"name": "", "expression": "", "ruleType": "", "status": ""},
			"overall":     faceLeaf},
		"governmentValidation": nil, "externalVerification": nil,
		"idOcrConfidence": map[string]any{"overallConfidence": leaf("", "95.6", false)},
		"appliedRule":     nil, "needsReviewReason": "", "incodeWatchlistScore": nil,
		"overall":   top,
		"reasonMsg": reason,
	}, overall
}
