package atlastest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/kyctest"
)

// Bodies. The envelope and the error bodies are the documented ones. The
// PAN and bank bodies follow the fields seen in public integrations. The
// face, video, GSTIN, passport, PAN-to-Aadhaar, MSME, Aadhaar, mask, status
// and eSign data objects are NOT public: they are the shapes package atlas
// infers (see its doc comments), labelled "inferred" in the code below.

type route struct {
	method     string
	chargeable bool
	h          func(s *Server, w http.ResponseWriter, r *http.Request, body []byte)
}

var routes = map[string]route{
	"/face/enrol":           {http.MethodPost, true, (*Server).faceEnrol},
	"/face/compare":         {http.MethodPost, true, (*Server).faceCompare},
	"/face/verify":          {http.MethodPost, true, (*Server).faceVerify},
	"/face/fetch":           {http.MethodGet, false, (*Server).faceFetch},
	"/face/delete":          {http.MethodGet, false, (*Server).faceDelete},
	"/video/challenge":      {http.MethodGet, false, (*Server).videoChallenge},
	"/verify/pan":           {http.MethodPost, true, (*Server).verifyPAN},
	"/verify/gstin":         {http.MethodPost, true, (*Server).verifyGSTIN},
	"/verify/bank_advanced": {http.MethodPost, true, (*Server).verifyBank},
	"/verify/passport":      {http.MethodPost, true, (*Server).verifyPassport},
	"/verify/pantoadr":      {http.MethodPost, true, (*Server).panToAadhaar},
	"/verify/msme":          {http.MethodPost, true, (*Server).verifyMSME},
	"/verify/status":        {http.MethodGet, false, (*Server).verifyStatus},
	"/aadhaar/aadhaar_otp":  {http.MethodPost, true, (*Server).aadhaarOTP},
	"/aadhaar/aadhaar_kyc":  {http.MethodPost, true, (*Server).aadhaarKYC},
	"/aadhaar/mask":         {http.MethodPost, true, (*Server).aadhaarMask},
	"/esign/request":        {http.MethodPost, true, (*Server).esignRequest},
	"/esign/status":         {http.MethodPost, false, (*Server).esignStatus},
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.o.delay > 0 {
		select {
		case <-time.After(s.o.delay):
		case <-r.Context().Done():
			// The client went: answer nothing, as kyctest's latency fault
			// does. An empty 200 here could race the client's own
			// deadline and read as an answer.
			panic(http.ErrAbortHandler)
		}
	}
	if why := s.authenticate(r); why != "" {
		s.fail(w, http.StatusUnauthorized, "401", "Access denied. ("+why+")")
		return
	}
	if s.o.auth == atlas.AuthAES || r.Header.Get(atlas.HeaderRequestID) != "" {
		if why := s.checkRequestID(r); why != "" {
			s.fail(w, http.StatusBadRequest, "400", "Invalid request - "+why+".")
			return
		}
	}
	path := strings.TrimPrefix(r.URL.Path, "/v2/prod")
	rt, ok := routes[path]
	if !ok {
		s.fail(w, http.StatusNotFound, "404", "URL not found.")
		return
	}
	if r.Method != rt.method {
		s.fail(w, http.StatusMethodNotAllowed, "405", "Invalid request-WRONG API REQUEST METHOD TYPE")
		return
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if r.ContentLength > s.o.maxBody || int64(len(body)) > s.o.maxBody {
		s.fail(w, http.StatusRequestEntityTooLarge, "413", "Request entity too large.")
		return
	}
	if !complete(r, body) {
		// The client stopped before its body ended (an upload aborted past
		// a cap): nothing is processed.
		s.fail(w, http.StatusBadRequest, "400", "Invalid request - missing parameters.")
		return
	}
	if rt.chargeable {
		key := SendKey(r.Method, path, r.URL.Query(), r.Header.Get(atlas.HeaderRequestID), body)
		s.CountSend(key)
	}
	rt.h(s, w, r, body)
}

func (s *Server) stamp() string { return strconv.FormatInt(s.o.now().UnixMilli(), 10) }

// ok writes the success envelope around data.
func (s *Server) ok(w http.ResponseWriter, data any) {
	b, _ := json.Marshal(map[string]any{"status": "success", "response_timestamp": s.stamp(), "data": data, "error": nil})
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// fail writes the documented error envelope.
func (s *Server) fail(w http.ResponseWriter, status int, code, msg string) {
	b, _ := json.Marshal(map[string]any{"status": "failed", "response_timestamp": s.stamp(), "data": nil,
		"error": map[string]string{"code": code, "message": msg}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func newID(prefix string) string {
	h := kyctest.RandomHex(16)
	return fmt.Sprintf("%s%s-%s-%s-%s-%s", prefix, h[:8], h[8:12], h[12:16], h[16:20], h[20:])
}

// file reads a multipart file part.
func file(r *http.Request, name string) ([]byte, bool) {
	if err := r.ParseMultipartForm(64 << 20); err != nil {
		return nil, false
	}
	fh := r.MultipartForm.File[name]
	if len(fh) == 0 {
		return nil, false
	}
	f, err := fh[0].Open()
	if err != nil {
		return nil, false
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	return b, err == nil && len(b) > 0
}

// complete reports whether the body arrived whole: as long as its
// Content-Length, and for a multipart body, up to its closing boundary.
func complete(r *http.Request, body []byte) bool {
	if r.ContentLength >= 0 && int64(len(body)) != r.ContentLength {
		return false
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return true
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
		if _, err := io.Copy(io.Discard, p); err != nil {
			return false
		}
	}
}

// faceOutcome is the inferred face-comparison data for the magic markers
// of the images received (kyctest's vocabulary; the first marker with a
// face outcome wins), or ok false for kyctest.ImageServerError.
func faceOutcome(markers ...string) (data map[string]any, ok bool) {
	score, match, face := 96.5, true, true
	for _, m := range markers {
		switch m {
		case kyctest.ImageServerError:
			return nil, false
		case kyctest.ImageFaceMismatch:
			score, match = 12, false
		case kyctest.ImageFaceBorderline:
			score, match = 70, false
		case kyctest.ImageNoFace:
			score, match, face = 0, false, false
		case kyctest.ImageReview:
			// Atlas has no manual review: an answer without score or
			// match flag, which package atlas sends to review.
			return map[string]any{"face_detected": true}, true
		default:
			continue
		}
		break
	}
	return map[string]any{"match_score": score, "is_match": match, "face_detected": face}, true
}

// faces answers a face comparison of images with their magic outcome.
func (s *Server) faces(w http.ResponseWriter, images ...[]byte) {
	markers := make([]string, len(images))
	for i, b := range images {
		markers[i] = kyctest.ImageMarker(b)
	}
	data, ok := faceOutcome(markers...)
	if !ok {
		s.fail(w, http.StatusInternalServerError, "500", "Internal server error.")
		return
	}
	s.ok(w, data) // inferred
}

// serverError answers kyctest.ImageServerError with the documented 500.
func (s *Server) serverError(w http.ResponseWriter, img []byte) bool {
	if kyctest.ImageMarker(img) != kyctest.ImageServerError {
		return false
	}
	s.fail(w, http.StatusInternalServerError, "500", "Internal server error.")
	return true
}

// upload reads the image in the multipart part name, answering the
// documented 400 when it is missing and the 500 for
// kyctest.ImageServerError; ok is false when it has answered.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, name string) (img []byte, ok bool) {
	img, ok = file(r, name)
	if !ok {
		s.fail(w, http.StatusBadRequest, "400", "Invalid request - missing parameters.")
		return nil, false
	}
	return img, !s.serverError(w, img)
}

func (s *Server) faceEnrol(w http.ResponseWriter, r *http.Request, _ []byte) {
	img, ok := s.upload(w, r, "face_image")
	if !ok {
		return
	}
	id := newID("")[:8] + "_" + newID("")
	s.mu.Lock()
	s.enrolled[id] = img
	s.mu.Unlock()
	s.ok(w, map[string]any{"face_id": id}) // inferred
}

func (s *Server) faceCompare(w http.ResponseWriter, r *http.Request, _ []byte) {
	a, ok1 := file(r, "face_image_1")
	b, ok2 := file(r, "face_image_2")
	if !ok1 || !ok2 {
		s.fail(w, http.StatusBadRequest, "400", "Invalid request - missing parameters.")
		return
	}
	s.faces(w, b, a)
}

func (s *Server) faceVerify(w http.ResponseWriter, r *http.Request, _ []byte) {
	img, ok := file(r, "face_image")
	if !ok {
		s.fail(w, http.StatusBadRequest, "400", "Invalid request - missing parameters.")
		return
	}
	_, enrolled, known := s.enrolledFace(w, r, false)
	if !known {
		return
	}
	s.faces(w, img, enrolled)
}

func (s *Server) faceFetch(w http.ResponseWriter, r *http.Request, _ []byte) {
	_, img, ok := s.enrolledFace(w, r, false)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	_, _ = w.Write(img)
}

func (s *Server) faceDelete(w http.ResponseWriter, r *http.Request, _ []byte) {
	id, _, ok := s.enrolledFace(w, r, true)
	if !ok {
		return
	}
	s.ok(w, map[string]any{"face_id": id, "deleted": true}) // inferred
}

// enrolledFace finds the enrolled face the query's face_id names, and
// forgets it when remove is set. It answers the 404 and returns false when
// no face has that id.
func (s *Server) enrolledFace(w http.ResponseWriter, r *http.Request, remove bool) (id string, img []byte, ok bool) {
	id = r.URL.Query().Get("face_id")
	s.mu.Lock()
	img, ok = s.enrolled[id]
	if remove {
		delete(s.enrolled, id)
	}
	s.mu.Unlock()
	if !ok {
		s.fail(w, http.StatusNotFound, "404", "face_id not found.")
	}
	return id, img, ok
}

func (s *Server) videoChallenge(w http.ResponseWriter, r *http.Request, _ []byte) {
	n, err := strconv.Atoi(r.URL.Query().Get("no_of_challenges"))
	if err != nil || n < 1 || n > 10 {
		s.fail(w, http.StatusBadRequest, "400", "Invalid request - missing parameters.")
		return
	}
	codes := make([]string, n)
	for i := range codes {
		codes[i] = fmt.Sprintf("%04d", (i+1)*1379%10000)
	}
	s.ok(w, map[string]any{"challenge_id": newID("ch-"), "challenges": codes}) // inferred
}

var panRe = regexp.MustCompile(`^[A-Z]{5}[0-9]{4}[A-Z]$`)

func (s *Server) verifyPAN(w http.ResponseWriter, r *http.Request, _ []byte) {
	pan := r.URL.Query().Get("pan_number")
	if !panRe.MatchString(pan) {
		s.fail(w, http.StatusBadRequest, "400", "Invalid request - missing parameters.")
		return
	}
	first, middle, last := HolderFirstName, HolderMiddleName, HolderLastName
	status, desc := "VALID", "Existing and Valid"
	switch pan {
	case PANVendorError:
		b, _ := json.Marshal(map[string]any{"status": "failed", "response_timestamp": s.stamp(), "data": nil,
			"error": map[string]string{"code": "500", "message": "Internal server error."}})
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
		return
	case PANInvalid:
		s.ok(w, map[string]any{"pan_number": pan, "pan_status": "INVALID", "pan_status_desc": "Invalid PAN"})
		return
	case PANOtherHolder:
		first, middle, last = "PRIYA", "", "VERMA"
	case PANShortName:
		middle = ""
	}
	s.ok(w, map[string]any{"pan_number": pan, "pan_status": status, "pan_status_desc": desc,
		"pan_holder_title": "Shri", "first_name": first, "middle_name": middle, "last_name": last,
		"pan_last_updated": "15/03/2021", "pan_aadhaar_seeding": "Y"})
}

func (s *Server) remember(typ, id string, data map[string]any) {
	data["verification_id"] = id
	b, _ := json.Marshal(data)
	s.mu.Lock()
	s.verified[typ+"/"+id] = b
	s.mu.Unlock()
}

func (s *Server) verifyGSTIN(w http.ResponseWriter, r *http.Request, _ []byte) {
	g := r.URL.Query().Get("gst_number")
	if g == "" {
		s.fail(w, http.StatusBadRequest, "400", "Invalid request - missing parameters.")
		return
	}
	status := "ACTIVE"
	if g == GSTINInvalid {
		status = "INVALID"
	}
	data := map[string]any{"gst_number": g, "gstin_status": status, "legal_name": "SHARMA TRADERS"} // inferred
	s.remember("gstin", newID("v-"), data)
	s.ok(w, data)
}

func (s *Server) verifyBank(w http.ResponseWriter, r *http.Request, _ []byte) {
	q := r.URL.Query()
	if q.Get("acc_number") == "" || q.Get("ifsc") == "" {
		s.fail(w, http.StatusBadRequest, "400", "Invalid request - missing parameters.")
		return
	}
	if q.Get("acc_number") == AccountClosed {
		s.ok(w, map[string]any{"bank_status": "FAILED", "bank_details": map[string]any{"beneficiary_name": ""}})
		return
	}
	score, match := "100", "SUCCESS"
	if n := q.Get("name_1_match"); n != "" && !strings.EqualFold(strings.Join(strings.Fields(n), " "), HolderName) {
		score, match = "40", "FAILED"
	}
	s.ok(w, map[string]any{"bank_status": "SUCCESS", "bank_details": map[string]any{"beneficiary_name": HolderName},
		"match_status": match, "match_score": map[string]any{"name_1_match_score": score}})
}

func (s *Server) verifyPassport(w http.ResponseWriter, r *http.Request, _ []byte) {
	if len(r.URL.Query()) == 0 {
		s.fail(w, http.StatusBadRequest, "400", "Invalid request - missing parameters.")
		return
	}
	data := map[string]any{"passport_status": "VALID", "name": HolderName} // inferred
	s.remember("passport", newID("v-"), data)
	s.ok(w, data)
}

func (s *Server) panToAadhaar(w http.ResponseWriter, r *http.Request, _ []byte) {
	pan := r.PostFormValue("pan_no")
	if !panRe.MatchString(pan) {
		s.fail(w, http.StatusBadRequest, "400", "Invalid request - missing parameters.")
		return
	}
	status := "LINKED"
	if pan == PANInvalid {
		status = "NOT_LINKED"
	}
	s.ok(w, map[string]any{"pan_no": pan, "link_status": status}) // inferred
}

func (s *Server) verifyMSME(w http.ResponseWriter, r *http.Request, _ []byte) {
	u := r.PostFormValue("udyam_no")
	if u == "" {
		s.fail(w, http.StatusBadRequest, "400", "Invalid request - missing parameters.")
		return
	}
	data := map[string]any{"udyam_no": u, "msme_status": "VALID", "enterprise_name": "SHARMA TRADERS"} // inferred
	s.remember("msme", newID("v-"), data)
	s.ok(w, data)
}

func (s *Server) verifyStatus(w http.ResponseWriter, r *http.Request, _ []byte) {
	q := r.URL.Query()
	s.mu.Lock()
	b, ok := s.verified[q.Get("type")+"/"+q.Get("id")]
	s.mu.Unlock()
	if !ok {
		s.fail(w, http.StatusNotFound, "404", "verification not found.")
		return
	}
	s.ok(w, json.RawMessage(b)) // inferred
}

// issue issues a new id with prefix and records it in set.
func (s *Server) issue(set map[string]bool, prefix string) string {
	id := newID(prefix)
	s.mu.Lock()
	defer s.mu.Unlock()
	set[id] = true
	return id
}

func (s *Server) aadhaarOTP(w http.ResponseWriter, r *http.Request, _ []byte) {
	n := r.URL.Query().Get("aadhaar_number")
	if len(n) != 12 {
		s.fail(w, http.StatusBadRequest, "400", "Invalid request - missing parameters.")
		return
	}
	id := s.issue(s.otps, "otp-")
	s.ok(w, map[string]any{"id": id, "otp_status": "SENT"}) // inferred
}

func (s *Server) aadhaarKYC(w http.ResponseWriter, r *http.Request, _ []byte) {
	q := r.URL.Query()
	s.mu.Lock()
	known := s.otps[q.Get("id")]
	if known && q.Get("otp") == AadhaarOTPCode {
		delete(s.otps, q.Get("id")) // an OTP works once
	}
	s.mu.Unlock()
	switch {
	case !known:
		s.fail(w, http.StatusNotFound, "404", "OTP request not found.")
	case q.Get("otp") != AadhaarOTPCode:
		s.fail(w, http.StatusBadRequest, "400", "Invalid request - wrong OTP.")
	default:
		s.ok(w, map[string]any{"kyc_status": "SUCCESS", "name": "Rahul Kumar Sharma", "dob": "01-01-1990",
			"gender": "M", "address": map[string]any{"state": "Maharashtra"}}) // inferred
	}
}

func (s *Server) aadhaarMask(w http.ResponseWriter, r *http.Request, _ []byte) {
	img, ok := s.upload(w, r, "file")
	if !ok {
		return
	}
	masked := kyctest.MagicImage("masked", 0)
	if kyctest.ImageMarker(img) == ImageMaskJSON {
		s.ok(w, map[string]any{"file": "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(masked)}) // inferred
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	_, _ = w.Write(masked)
}

func (s *Server) esignRequest(w http.ResponseWriter, r *http.Request, _ []byte) {
	if _, ok := file(r, "file"); !ok {
		s.fail(w, http.StatusBadRequest, "400", "Invalid request - missing parameters.")
		return
	}
	id := s.issue(s.esigns, "es-")
	s.ok(w, map[string]any{"esign_id": id, "url": "https://esign.example.test/sign/" + id}) // inferred
}

func (s *Server) esignStatus(w http.ResponseWriter, r *http.Request, _ []byte) {
	id := r.URL.Query().Get("id")
	s.mu.Lock()
	ok := s.esigns[id]
	s.mu.Unlock()
	if !ok {
		s.fail(w, http.StatusNotFound, "404", "esign_id not found.")
		return
	}
	s.ok(w, map[string]any{"esign_id": id, "document_status": "COMPLETED", "download_link": DownloadLink(id)})
}

// DownloadLink is the fake's download link for a signed document.
func DownloadLink(esignID string) string {
	return "https://esign.example.test/v2/prod/web/download/signed/document?token=" + esignID
}

// PostESignCallback posts the callback FRS Labs sends when an eSign ends
// (form field esign_status holding {"download_link", "document_status",
// "esign_id"}) to url, and returns the reply's status. It lets tests drive
// an application's callback handler.
func (s *Server) PostESignCallback(ctx context.Context, target, esignID, documentStatus string) (int, error) {
	return kyctest.Deliver(ctx, nil, kyctest.Delivery{URL: target, ContentType: "application/x-www-form-urlencoded",
		Body: ESignCallbackBody(esignID, documentStatus)})
}

// ESignCallbackBody is the form body of an eSign callback.
func ESignCallbackBody(esignID, documentStatus string) []byte {
	st, _ := json.Marshal(map[string]string{"download_link": DownloadLink(esignID), "document_status": documentStatus, "esign_id": esignID})
	return []byte(url.Values{"esign_status": {string(st)}}.Encode())
}
