// Package incodetest is an in-process fake of Incode's Omni API, for tests
// and examples that must not reach Incode.
//
// The fake serves the session flow over TLS, checks the api-version and
// x-api-key headers (403 for a wrong key) and the session token in
// X-Incode-Hardware-Id (401 for an unknown one), enforces the documented
// call order (front → back → process ID; selfie and front before process
// face; an ID is processed once), delays ID processing (WithDelay) so that
// clients poll the onboarding status, answers with the documented bodies,
// and sends the onboarding-status webhook (SendWebhook). Faults are
// injected through the embedded kyctest.Server.
//
// Outcomes are chosen by magic images made with kyctest.MagicImage: see the
// Image constants, FailReasonImage and ErrorCodeImage. A plain image
// (kyctest.MagicImage("", 0)) goes through and is approved.
//
//	srv := incodetest.New(t)
//	c, _ := incode.New(srv.Config(), srv.Options()...)
//	selfie, _ := kyc.ImageFromBytes(kyctest.MagicImage(incodetest.ImageSpoof, 0))
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
	"fmt"
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
	APIKey          = "incodetest-api-key"
	ConfigurationID = "incodetest-flow"
)

// DefaultDelay is how long ID processing takes after ProcessID, by default.
const DefaultDelay = 250 * time.Millisecond

// Magic image markers (kyctest.MagicImage(marker, size)).
const (
	// ImageSpoof, as the selfie: liveness confidence 1 (spoof suspected).
	ImageSpoof = "spoof"
	// ImageDark, as the selfie: no confidence in the answer (too dark).
	ImageDark = "dark"
	// ImageNoFace, as the selfie or the front: error 4019, face not found.
	ImageNoFace = "no_face"
	// ImageMismatch, as the selfie: face match confidence 0; face
	// recognition and the overall score FAIL.
	ImageMismatch = "mismatch"
	// ImageExpiredID, as the front: the expiry checks and the overall score
	// FAIL, and the OCR expiry date is in the past.
	ImageExpiredID = "expired_id"
	// ImageTamperedID, as the front: the tamper check and the overall score
	// FAIL.
	ImageTamperedID = "tampered_id"
	// ImageLivenessFail, as the selfie: accepted at upload, but the liveness
	// score and the overall score FAIL.
	ImageLivenessFail = "liveness_fail"
	// ImageReview, as the front or the selfie: face recognition and the
	// overall score are WARN.
	ImageReview = "review"
	// ImageUnclassified, as the front or back: classification false without
	// a failReason (accepted).
	ImageUnclassified = "unclassified"
	// ImageProcessingError, as the front: ProcessID fails with 6000; as the
	// selfie: ProcessFace fails with 6000.
	ImageProcessingError = "processing_error"
)

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

// Option configures the fake.
type Option func(*Server)

// WithDelay sets how long ID processing takes (default DefaultDelay).
func WithDelay(d time.Duration) Option { return func(s *Server) { s.delay = d } }

// WithAPIKey sets the API key the fake accepts (default APIKey).
func WithAPIKey(key string) Option { return func(s *Server) { s.key = key } }

// WithWebhookClient sets the client SendWebhook posts with (default
// http.DefaultClient); pass an httptest TLS server's Client() to post to it.
func WithWebhookClient(hc *http.Client) Option { return func(s *Server) { s.hook = hc } }

// Server is the fake. It is safe for concurrent use.
type Server struct {
	*kyctest.Server

	key   string
	delay time.Duration
	hook  *http.Client

	mu       sync.Mutex
	sessions map[string]*session // by token
	byID     map[string]*session
}

type session struct {
	id, token, external string
	front, back         string // markers; "" not uploaded
	hasFront, hasBack   bool
	onlyFront           bool
	processed           bool
	readyAt             time.Time
	selfie              string
	hasSelfie           bool
	faceDone            bool
	finished            bool
}

// NewServer starts a fake; Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{key: APIKey, delay: DefaultDelay, hook: http.DefaultClient,
		sessions: map[string]*session{}, byID: map[string]*session{}}
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

// Config returns a Config with the credentials the fake accepts, and a
// short poll interval suited to its processing delay. Pass Options() too.
func (s *Server) Config() incode.Config {
	return incode.Config{APIKey: kyc.NewSecret(s.key), ConfigurationID: ConfigurationID,
		PollInterval: max(s.delay/3, 20*time.Millisecond)}
}

// Sessions returns how many sessions were started.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byID)
}

// SendWebhook POSTs the onboarding-status webhook for a session to url, as
// Incode does: {"interviewId", "externalId" (when the session has one),
// "onboardingStatus"}, with "Authorization: Bearer <bearer>" when bearer is
// not empty. Like Incode, it retries once when the answer is not 200 or
// the call fails. It returns the last answer's status.
func (s *Server) SendWebhook(ctx context.Context, url, interviewID, onboardingStatus string, bearer string) (int, error) {
	s.mu.Lock()
	external := ""
	if ss := s.byID[interviewID]; ss != nil {
		external = ss.external
	}
	s.mu.Unlock()
	body, err := json.Marshal(incode.WebhookPayload{InterviewID: interviewID, ExternalID: external,
		OnboardingStatus: incode.OnboardingStatus(onboardingStatus)})
	if err != nil {
		return 0, err
	}
	var status int
	for attempt := 0; attempt < 2; attempt++ {
		status, err = s.post(ctx, url, body, bearer)
		if err == nil && status == http.StatusOK {
			return status, nil
		}
		if ctx.Err() != nil {
			break
		}
	}
	return status, err
}

func (s *Server) post(ctx context.Context, url string, body []byte, bearer string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := s.hook.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var buf [512]byte
	for {
		if _, err := resp.Body.Read(buf[:]); err != nil {
			break
		}
	}
	return resp.StatusCode, nil
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
	if path == "/omni/start" && r.Method == http.MethodPost {
		s.start(w, r)
		return
	}
	s.mu.Lock()
	ss := s.sessions[r.Header.Get("X-Incode-Hardware-Id")]
	s.mu.Unlock()
	if ss == nil {
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

func (s *Server) start(w http.ResponseWriter, r *http.Request) {
	var req struct {
		CountryCode        string `json:"countryCode"`
		ConfigurationID    string `json:"configurationId"`
		ExternalCustomerID string `json:"externalCustomerId"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, r, http.StatusBadRequest, 400, "Bad Request", "Malformed body")
		return
	}
	id := randomHex(12)
	payload := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"sub":"%s","n":"%s"}`, id, randomHex(4))))
	ss := &session{id: id, token: "eyJhbGciOiJIUzI1NiJ9." + payload + "." + randomHex(16), external: req.ExternalCustomerID}
	s.mu.Lock()
	s.sessions[ss.token] = ss
	s.byID[id] = ss
	s.CountSend(req.ExternalCustomerID)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"token": ss.token, "interviewId": id, "interviewCode": strings.ToUpper(randomHex(3)),
		"flowType": "flow", "clientId": "incodetest", "env": "demo", "existingSession": false,
		"idCaptureTimeout": 30, "idCaptureRetries": 3, "selfieCaptureTimeout": 30, "selfieCaptureRetries": 3,
	})
}

// image reads {"base64Image"} and returns its marker; it answers the
// error itself and returns ok false when the image is unusable.
func image(w http.ResponseWriter, r *http.Request) (string, bool) {
	var req struct {
		Base64Image string `json:"base64Image"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Base64Image == "" {
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
	if m == ImageNoFace {
		writeError(w, r, http.StatusBadRequest, 4019, "Face not found.", "")
		return "", false
	}
	return m, true
}

func sideBody(marker string, back bool) (map[string]any, bool) {
	for _, fr := range FailReasons {
		if marker == FailReasonImage(fr) {
			return map[string]any{"classification": false, "failReason": fr, "sharpness": 100, "glare": 100,
				"horizontalResolution": 0}, false
		}
	}
	body := map[string]any{"sharpness": 100, "glare": 100, "horizontalResolution": 1200,
		"classification": marker != ImageUnclassified, "readability": true, "typeOfId": "DriversLicense",
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
		ss.processed, ss.readyAt = true, time.Now().Add(s.delay)
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
	body := map[string]any{"age": 31, "isBright": m != ImageDark, "hasLenses": false, "hasFaceMask": false, "sessionStatus": "Alive"}
	switch m {
	case ImageDark:
	case ImageSpoof:
		body["confidence"] = 1
	default:
		body["confidence"] = 0
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
		if ss.selfie == ImageMismatch {
			confidence = 0
		}
		writeJSON(w, http.StatusOK, map[string]any{"confidence": confidence, "nameMatched": nil,
			"existingUser": false, "existingExternalId": nil, "existingInterviewId": nil})
	}
}

// ready reports that ID processing is over. Call with s.mu held.
func (ss *session) ready() bool { return ss.processed && !time.Now().Before(ss.readyAt) }

func (s *Server) status(w http.ResponseWriter, _ *http.Request, ss *session) {
	s.mu.Lock()
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
	if front == ImageExpiredID {
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
	expired, tampered := ss.front == ImageExpiredID, ss.front == ImageTamperedID
	mismatch, liveFail := ss.selfie == ImageMismatch, ss.selfie == ImageLivenessFail || ss.selfie == ImageSpoof
	review := ss.front == ImageReview || ss.selfie == ImageReview
	idFail := expired || tampered
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
	if liveFail {
		liveValue = "3.2"
	}
	overall := "OK"
	switch {
	case idFail || mismatch || liveFail:
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
	return map[string]any{
		"idValidation": map[string]any{
			"photoSecurityAndQuality": []any{leaf("tamperCheck", "PASSED", tampered), leaf("screenIdLiveness", "OK", false),
				leaf("paperIdLiveness", "OK", false), leaf("balancedLightFront", "96", false),
				leaf("sharpnessFront", "99", false), leaf("idAlreadyUsedCheck", "PASSED", false)},
			"idSpecific": []any{leaf("documentClassification", "100", false), leaf("expirationDateValidity", "100", expired),
				leaf("birthDateValidity", "100", false), leaf("visiblePhotoFeatures", "100", false),
				leaf("documentExpired", "100", expired), leaf("fullNameCrosscheck", "100", false)},
			"customFields": nil, "appliedRule": nil,
			"overall": leaf("", idValue, idFail),
		},
		"liveness": map[string]any{"livenessScore": leaf("", liveValue, liveFail), "photoQuality": map[string]any{"value": ""},
			"overall": leaf("", liveValue, liveFail)},
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
