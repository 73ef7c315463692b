package incodetest

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/kyctest"
)

// writeJSON answers with a body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Processing-Time", "3")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// badRequest answers 400 with Incode's error body and message.
func badRequest(w http.ResponseWriter, r *http.Request, message string) {
	writeError(w, r, http.StatusBadRequest, 400, "Bad Request", message)
}

// locked returns f's value, evaluated with s.mu held.
func locked[T any](s *Server, f func() T) T {
	s.mu.Lock()
	defer s.mu.Unlock()
	return f()
}

// writeError answers with Incode's error body.
func writeError(w http.ResponseWriter, r *http.Request, httpStatus, code int, errText, message string) {
	body := map[string]any{"timestamp": time.Now().UnixMilli(), "status": code, "error": errText, "path": r.URL.Path}
	if message != "" {
		body["message"] = message
	}
	writeJSON(w, httpStatus, body)
}

func jwt(sub string) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"sub":"%s","n":"%s"}`, sub, kyctest.RandomHex(4))))
	return "eyJhbGciOiJIUzI1NiJ9." + payload + "." + kyctest.RandomHex(16)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.servePage(w, r) { // the hosted pages: a browser, no API headers (hosted.go)
		return
	}
	if r.Header.Get("api-version") != "1.0" {
		badRequest(w, r, "api-version header is mandatory")
		return
	}
	if !kyctest.SameSecret(r.Header.Get("x-api-key"), s.key) {
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
	case path == "/omni/interviews" && r.Method == http.MethodDelete:
		s.erase(w, r)
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
		switch {
		case exec && (r.URL.Query().Get("id") != "" || r.URL.Query().Get("interviewId") != ""):
			// An interview the account does not have (never started, or
			// erased): Incode documents 404 "Not Found" among its HTTP
			// statuses, not the answer to this case; the fake's is inferred.
			writeError(w, r, http.StatusNotFound, 404, "Not Found", "Interview not found")
			return
		case exec:
			badRequest(w, r, "An executive token needs the interview id")
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
		{http.MethodGet, "/0/omni/onboarding-url"}:      s.onboardingURL,
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
		badRequest(w, r, "Malformed body")
		return
	}
	if okE, okP := kyctest.SameSecret(req.Email, ExecutiveEmail), kyctest.SameSecret(req.Password, ExecutivePassword); !okE || !okP {
		writeError(w, r, http.StatusUnauthorized, 401, "Unauthorized", "Bad credentials")
		return
	}
	tok := jwt("executive")
	s.mu.Lock()
	s.exec[tok] = true
	s.issued = append(s.issued, tok)
	s.mu.Unlock()
	s.Note(noteLogIn)
	writeJSON(w, http.StatusOK, map[string]any{"token": tok})
}

func (s *Server) start(w http.ResponseWriter, r *http.Request) {
	var req struct {
		CountryCode        string `json:"countryCode"`
		ConfigurationID    string `json:"configurationId"`
		ExternalCustomerID string `json:"externalCustomerId"`
		RedirectionURL     string `json:"redirectionUrl"`
		Language           string `json:"language"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		badRequest(w, r, "Malformed body")
		return
	}
	id := kyctest.RandomHex(12)
	ss := &session{id: id, token: jwt(id), external: req.ExternalCustomerID,
		redirect: req.RedirectionURL, language: req.Language}
	s.mu.Lock()
	s.sessions[ss.token] = ss
	s.byID[id] = ss
	s.issued = append(s.issued, ss.token)
	s.CountSend(req.ExternalCustomerID)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"token": ss.token, "interviewId": id, "interviewCode": strings.ToUpper(kyctest.RandomHex(3)),
		"flowType": "flow", "clientId": ClientID, "env": "demo", "existingSession": false,
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
		badRequest(w, r, "base64Image is required")
		return "", false
	}
	raw, err := base64.StdEncoding.DecodeString(req.Base64Image)
	if err != nil {
		badRequest(w, r, "base64Image is not base64")
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

// addSide answers an ID side upload; keep records an accepted image's
// marker, under s.mu.
func (s *Server) addSide(w http.ResponseWriter, r *http.Request, back bool, keep func(m string)) {
	m, ok := image(w, r)
	if !ok {
		return
	}
	body, accepted := sideBody(m, back)
	if accepted {
		s.mu.Lock()
		keep(m)
		s.mu.Unlock()
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) addFront(w http.ResponseWriter, r *http.Request, ss *session) {
	onlyFront := r.URL.Query().Get("onlyFront") == "true"
	s.addSide(w, r, false, func(m string) {
		// A new front starts the ID over: Incode re-processes only after
		// both sides are uploaded again.
		ss.front, ss.hasFront, ss.back, ss.hasBack, ss.processed = m, true, "", false, false
		ss.onlyFront = onlyFront
	})
}

func (s *Server) addBack(w http.ResponseWriter, r *http.Request, ss *session) {
	if !locked(s, func() bool { return ss.hasFront }) {
		badRequest(w, r, "Upload the front of the ID first")
		return
	}
	s.addSide(w, r, true, func(m string) {
		ss.back, ss.hasBack, ss.processed = m, true, false
	})
}

func (s *Server) processID(w http.ResponseWriter, r *http.Request, ss *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case !ss.hasFront || (!ss.hasBack && !ss.onlyFront):
		badRequest(w, r, "Upload the front and back of the ID first")
	case ss.processed:
		badRequest(w, r, "The ID was already processed; upload it again")
	case ss.front == ImageProcessingError:
		writeError(w, r, http.StatusBadRequest, 6000, "Processing error", "")
	default:
		ss.processed, ss.readyAt, ss.statusReads = true, time.Now().Add(s.delay), 0
		writeJSON(w, http.StatusOK, map[string]any{"success": true})
	}
}

func (s *Server) addFace(w http.ResponseWriter, r *http.Request, ss *session) {
	if r.URL.Query().Get("imageType") != "selfie" {
		badRequest(w, r, "imageType must be selfie")
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
		badRequest(w, r, "Upload the selfie and the front of the ID first")
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
