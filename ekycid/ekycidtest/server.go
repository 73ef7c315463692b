// Package ekycidtest is an in-process fake of the EkycID backend API, for
// tests of code that uses package ekycid, and for its own tests.
//
// It serves the v0 operations (multipart forms, media by URL or upload)
// over TLS, checks the x-api-key header as the vendor documents it, answers
// {"id"} and completes the reply at GET /v0/api-request-reply/{id} after a
// delay (WithDelay). It deduplicates by idempotent_id as the vendor does: the
// same id with the same content answers the first submission's id, with
// other content HTTP 409. It refuses a file larger than ekycid.MaxImageSize
// (an image) or ekycid.MaxVideoSize (a video) with HTTP 413 FILE_TOO_LARGE:
// the vendor publishes no cap, so these are package ekycid's caps, held at
// both ends. Faults are injected through the embedded kyctest.Server
// (Inject, FaultRate); Sends counts the submissions processed.
//
// # Magic inputs
//
// Outcomes are chosen by the kyctest magic vocabulary (kyctest.ImageApproved
// and the others): images made with kyctest.MagicImage(marker, 0), videos
// made with MagicVideo(marker) and URLs made with MagicURL(marker). Face
// outcomes are read from the face images (the selfie), document outcomes
// from the document image; unmarked inputs are approved. What the fake
// answers, and what ekycid.Verify makes of it:
//
//	input            where              the fake answers                              ekycid.Verify gives
//	approved         any                the card, face score 0.93 is_match true,      approved
//	                                    liveness 0.97 is_live true
//	no_face          selfie             reply error FACE_NOT_DETECTED                 rejected [no_face], Resubmit
//	face_mismatch    selfie             face score 0.12, is_match false               rejected [face_mismatch]
//	face_borderline  selfie             face score 0.74, no decision                  rejected [face_mismatch] under the default
//	                                                                                  FaceMatchThreshold 0.75 (approved at 0.74 or
//	                                                                                  below): EKYC has no review band
//	liveness_failed  selfie or video    liveness score 0.08, is_live false            rejected [liveness_failed]
//	low_quality      document (selfie)  reply error OCR_FAILED (LOW_QUALITY_IMAGE)    rejected [low_quality_image], Resubmit
//	expired          document           expiry_date 20200125                          rejected [document_expired]
//	forged           -                  EKYC cannot produce it (no tamper check       approved
//	                                    is published): answered as approved
//	underage         -                  EKYC cannot produce it (no age rule is        approved
//	                                    published): answered as approved
//	no_document      document           reply error DOCUMENT_NOT_DETECTED             rejected [no_document], Resubmit
//	review           any                a face comparison without score or decision   review [other]
//	not_finished     any                the first read of the reply is not ready,     approved, after a second read
//	                                    later reads are
//	server_error     any                HTTP 500 INTERNAL_ERROR to the submission,    kyc.ErrUnavailable, code INTERNAL_ERROR,
//	                                    nothing processed (resent, as it is           no Reference (nothing was started)
//	                                    idempotent)
//
// DetectID answers DOCUMENT_NOT_DETECTED for no_document and low_quality.
// Result bodies and error codes are this package's inference of the
// vendor's (see package ekycid); they match what ekycid decodes.
package ekycidtest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/kyctest"
)

// API keys the fake knows. Any other non-empty key is answered as invalid.
const (
	// KeyValid is accepted for every operation; Config uses it.
	KeyValid = "ekyc-test-key-valid"
	// KeyExpired is answered 401 EXPIRED_API_KEY.
	KeyExpired = "ekyc-test-key-expired"
	// KeyNoPermission is answered 403 INSUFFICIENT_PERMISSIONS.
	KeyNoPermission = "ekyc-test-key-no-permission"
)

// Option configures the fake.
type Option func(*Server)

// DefaultDelay is how long a submission takes to complete by default.
const DefaultDelay = 200 * time.Millisecond

// WithDelay sets how long after a submission its reply completes (0: at once).
func WithDelay(d time.Duration) Option { return func(s *Server) { s.delay = max(d, 0) } }

// WithClock replaces time.Now, for replies that complete on a test's clock.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.now = now
		}
	}
}

// WithoutDedup makes the fake process every submission, even one reusing an
// idempotent_id: a vendor that ignored the id. Sends and DuplicateSends
// then show how many times a logical request ran.
func WithoutDedup() Option { return func(s *Server) { s.dedup = false } }

// MagicURL returns an https URL the fake reads marker from (the last path
// element without its extension), for media given by URL.
func MagicURL(marker string) string {
	if marker == "" {
		marker = kyctest.ImageApproved
	}
	return "https://media.ekycid.test/" + marker + ".jpg"
}

// MagicVideo returns bytes that stand for an MP4 video carrying marker.
func MagicVideo(marker string) []byte {
	return append([]byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00"), "kyc-fake:"+marker+"\n"...)
}

// Server is the fake. It is safe for concurrent use.
type Server struct {
	*kyctest.Server

	delay time.Duration
	now   func() time.Time
	dedup bool

	mu     sync.Mutex
	byIdem map[string]*submission // idempotent_id → first submission
	jobs   map[string]*job        // reply id → job
}

// New starts a fake closed when t ends.
func New(t testing.TB, opts ...Option) *Server {
	return kyctest.CloseAtEnd(t, NewServer(opts...))
}

// NewServer starts a fake; Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{delay: DefaultDelay, now: time.Now, dedup: true,
		byIdem: map[string]*submission{}, jobs: map[string]*job{}}
	kyctest.ApplyOptions(s, opts)
	s.Server = kyctest.NewServer(http.HandlerFunc(s.serve))
	return s
}

type submission struct {
	hash string
	id   string
}

type job struct {
	idem    string
	created time.Time
	result  any
	errCode string
	errMsg  string
	// unread is how many reads answer "not ready" whatever the delay
	// (kyctest.ImageNotFinished).
	unread int
}

// Config returns credentials the fake accepts, with a poll interval suited
// to its delay.
func (s *Server) Config() ekycid.Config {
	return ekycid.Config{APIKey: kyc.NewSecret(KeyValid), PollInterval: 25 * time.Millisecond, MaxPollInterval: 100 * time.Millisecond}
}

// Sends returns how many times the fake processed the submission whose key
// is the idempotent_id it carried, or the reply id it was answered (the id
// in an "ekycid:<id>" reference). A resend that the idempotent_id
// deduplicated does not count.
func (s *Server) Sends(key string) int {
	s.mu.Lock()
	if j, ok := s.jobs[key]; ok {
		key = j.idem
	}
	s.mu.Unlock()
	return s.Server.Sends(key)
}

// IdempotentIDs returns the idempotent_id of every submission received, in
// order of arrival, resends included.
func (s *Server) IdempotentIDs() []string {
	var out []string
	for _, r := range s.Requests() {
		if r.Method != http.MethodPost {
			continue
		}
		if id := formValue(r.Header.Get("Content-Type"), r.Body, "idempotent_id"); id != "" {
			out = append(out, id)
		}
	}
	return out
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if code, msg, status := authenticate(r.Header.Get("x-api-key")); status != 0 {
		writeError(w, status, code, msg)
		return
	}
	p := strings.TrimPrefix(r.URL.Path, "/")
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(p, "v0/api-request-reply/"):
		s.reply(w, strings.TrimPrefix(p, "v0/api-request-reply/"))
	case r.Method == http.MethodPost && operations[p]:
		s.submit(w, r, strings.TrimPrefix(p, "v0/"))
	default:
		writeError(w, http.StatusNotFound, "NOT_FOUND", "no such endpoint")
	}
}

var operations = map[string]bool{
	"v0/ocr": true, "v0/id-detection": true, "v0/face-compare": true,
	"v0/liveness-detection": true, "v0/manual-kyc": true, "v0/express-kyc": true,
}

// authenticate answers as the vendor documents: missing key, invalid or
// expired key, insufficient permissions.
func authenticate(key string) (code, msg string, status int) {
	switch key {
	case KeyValid:
		return "", "", 0
	case "":
		return "MISSING_API_KEY", "Missing API key", http.StatusUnauthorized
	case KeyExpired:
		return "EXPIRED_API_KEY", "Invalid or expired API key", http.StatusUnauthorized
	case KeyNoPermission:
		return "INSUFFICIENT_PERMISSIONS", "Insufficient permissions for the requested operation", http.StatusForbidden
	}
	return "INVALID_API_KEY", "Invalid or expired API key", http.StatusUnauthorized
}

// input is a parsed form: text fields and the markers of its media.
type input struct {
	values  map[string]string
	markers map[string]string // field name without _url → marker
	hash    string
}

func (s *Server) submit(w http.ResponseWriter, r *http.Request, op string) {
	in, ok := parseForm(w, r)
	if !ok {
		return
	}
	idem := in.values["idempotent_id"]
	if len(idem) != 36 || strings.Count(idem, "-") != 4 {
		writeError(w, http.StatusBadRequest, "INVALID_REQUEST", "idempotent_id must be a UUID")
		return
	}
	if missing := missingInput(op, in); missing != "" {
		writeError(w, http.StatusBadRequest, "INVALID_REQUEST", missing+" is required")
		return
	}
	if in.has(kyctest.ImageServerError) {
		writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "internal error")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev := s.byIdem[idem]; prev != nil && s.dedup {
		if prev.hash != in.hash {
			writeError(w, http.StatusConflict, "DUPLICATE_IDEMPOTENT_ID", "idempotent_id was used for another request")
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"id": prev.id})
		return
	}
	id := kyctest.RandomHex(12)
	j := &job{idem: idem, created: s.now()}
	j.result, j.errCode, j.errMsg = outcome(op, in)
	if in.has(kyctest.ImageNotFinished) {
		j.unread = 1
	}
	s.jobs[id] = j
	if s.byIdem[idem] == nil {
		s.byIdem[idem] = &submission{hash: in.hash, id: id}
	}
	s.CountSend(idem)
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
}

func (s *Server) reply(w http.ResponseWriter, id string) {
	s.mu.Lock()
	j := s.jobs[id]
	now := s.now()
	unread := false
	if j != nil && j.unread > 0 {
		j.unread--
		unread = true
	}
	s.mu.Unlock()
	if j == nil {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "no such request")
		return
	}
	if unread || now.Sub(j.created) < s.delay {
		writeJSON(w, http.StatusOK, map[string]any{"result": nil, "error": nil, "service_usage": nil})
		return
	}
	usage := map[string]any{
		"id": "su-" + id, "start_time": j.created.UTC().Format(time.RFC3339Nano),
		"end_time":    j.created.Add(s.delay).UTC().Format(time.RFC3339Nano),
		"inserted_at": j.created.UTC().Format(time.RFC3339Nano), "is_success": j.errCode == "",
	}
	if j.errCode != "" {
		writeJSON(w, http.StatusOK, map[string]any{"result": nil,
			"error": map[string]string{"code": j.errCode, "message": j.errMsg}, "service_usage": usage})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": j.result, "error": nil, "service_usage": usage})
}

func parseForm(w http.ResponseWriter, r *http.Request) (*input, bool) {
	if err := r.ParseMultipartForm(64 << 20); err != nil {
		writeError(w, http.StatusBadRequest, "INVALID_REQUEST", "a multipart/form-data body is required")
		return nil, false
	}
	in := &input{values: map[string]string{}, markers: map[string]string{}}
	var lines []string
	for name, vs := range r.MultipartForm.Value {
		in.values[name] = vs[0]
		if name != "idempotent_id" {
			lines = append(lines, name+"="+strings.Join(vs, "\x00"))
		}
		if base, ok := strings.CutSuffix(name, "_url"); ok {
			in.markers[base] = markerFromURL(vs[0])
		} else if base, ok := strings.CutSuffix(name, "_url]"); ok { // sequences[i][video_url]
			in.markers[base+"]"] = markerFromURL(vs[0])
		}
	}
	for name, fhs := range r.MultipartForm.File {
		limit := int64(ekycid.MaxImageSize)
		if strings.HasSuffix(name, "[video]") {
			limit = ekycid.MaxVideoSize
		}
		if fhs[0].Size > limit {
			writeError(w, http.StatusRequestEntityTooLarge, "FILE_TOO_LARGE", name+" is larger than the server accepts")
			return nil, false
		}
		f, err := fhs[0].Open()
		if err != nil {
			writeError(w, http.StatusBadRequest, "INVALID_REQUEST", "unreadable file part")
			return nil, false
		}
		b, _ := io.ReadAll(f)
		_ = f.Close()
		sum := sha256.Sum256(b)
		lines = append(lines, name+"#"+hex.EncodeToString(sum[:]))
		in.values[name] = "(file)"
		in.markers[name] = kyctest.ImageMarker(b)
	}
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(r.URL.Path + "\n" + strings.Join(lines, "\n")))
	in.hash = hex.EncodeToString(sum[:])
	return in, true
}

// missingInput names the first required input a form lacks, per operation.
func missingInput(op string, in *input) string {
	need := map[string][]string{
		"ocr": {"image"}, "id-detection": {"image"}, "face-compare": {"face_image_0", "face_image_1"},
		"manual-kyc": {"ocr_image", "face_image"}, "express-kyc": {"ocr_image", "face_image"},
	}[op]
	for _, n := range need {
		if _, ok := in.markers[n]; !ok {
			return n + "(_url)"
		}
	}
	seqs := 0
	for i := 0; ; i++ {
		checks, ok := in.values[seqKey(i, "checks")]
		if !ok {
			break
		}
		seqs++
		if checks == "" {
			return seqKey(i, "checks")
		}
		if _, v := in.markers[seqKey(i, "video")]; !v {
			return seqKey(i, "video(_url)")
		}
	}
	if op == "liveness-detection" && seqs == 0 {
		return "sequences"
	}
	return ""
}

func seqKey(i int, name string) string {
	return "sequences[" + itoa(i) + "][" + name + "]"
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// has reports whether an input of one of fields (a name or a prefix; none:
// any input) carries marker.
func (in *input) has(marker string, fields ...string) bool {
	for name, m := range in.markers {
		if m != marker {
			continue
		}
		if len(fields) == 0 {
			return true
		}
		for _, f := range fields {
			if name == f || strings.HasPrefix(name, f) {
				return true
			}
		}
	}
	return false
}

// outcome computes an operation's result, or its reply error, from the
// markers of its inputs (the table of the package doc).
func outcome(op string, in *input) (any, string, string) {
	doc := []string{"image", "ocr_image"}
	faces := []string{"face_image"}
	switch {
	case op != "face-compare" && op != "liveness-detection" && in.has(kyctest.ImageNoDocument, doc...),
		op == "id-detection" && in.has(kyctest.ImageLowQuality, doc...):
		return nil, "DOCUMENT_NOT_DETECTED", "no document detected"
	case op != "face-compare" && op != "liveness-detection" && in.has(kyctest.ImageLowQuality, doc...):
		return nil, "OCR_FAILED", "cannot extract information"
	case in.has(kyctest.ImageLowQuality, faces...):
		return nil, "LOW_QUALITY_IMAGE", "the image is too blurred or dark"
	case in.has(kyctest.ImageNoFace, faces...):
		return nil, "FACE_NOT_DETECTED", "no face detected"
	}
	ocr := nationalID(in.has(kyctest.ImageExpired, doc...))
	face := map[string]any{"score": 0.93, "is_match": true}
	switch {
	case in.has(kyctest.ImageFaceMismatch, faces...):
		face = map[string]any{"score": 0.12, "is_match": false}
	case in.has(kyctest.ImageFaceBorderline, faces...):
		face = map[string]any{"score": 0.74}
	case in.has(kyctest.ImageReview):
		face = map[string]any{}
	}
	live := map[string]any{"score": 0.97, "is_live": true}
	if in.has(kyctest.ImageLivenessFailed, "face_image", "sequences[") {
		live = map[string]any{"score": 0.08, "is_live": false}
	}
	switch op {
	case "ocr":
		return ocr, "", ""
	case "id-detection":
		return map[string]any{"object_type": string(ekycid.NationalID), "is_detected": true, "score": 0.99}, "", ""
	case "face-compare":
		return face, "", ""
	case "liveness-detection":
		var seqs []map[string]any
		for i := 0; ; i++ {
			c, ok := in.values[seqKey(i, "checks")]
			if !ok {
				break
			}
			seqs = append(seqs, map[string]any{"checks": c, "is_live": in.markers[seqKey(i, "video")] != kyctest.ImageLivenessFailed})
		}
		live["sequences"] = seqs
		return live, "", ""
	}
	return map[string]any{"ocr": ocr, "face_compare": face, "liveness": live}, "", ""
}

// nationalID is a Cambodian ID card read by OCR, in the shape of the
// vendor's Flutter SDK model (ENG: MRZ fields; KHM: Khmer fields). The
// person is fictitious.
func nationalID(expired bool) map[string]any {
	expiry := "20320125"
	if expired {
		expiry = "20200125"
	}
	return map[string]any{
		"ENG": map[string]any{
			"doc": "ID", "country": "KHM", "nationality": "KHM", "sex": "F",
			"first_name": "SREY", "last_name": "POV", "full_name": "POV SREY",
			"birth_date": "19900803", "expiry_date": expiry, "document_number": "100000001",
		},
		"KHM": map[string]any{"NAME_KH": "ពៅ ស្រី", "ADDRESS_KH": "ភ្នំពេញ"},
	}
}

func markerFromURL(u string) string {
	base := path.Base(u)
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	if slices.Contains(kyctest.MagicInputs(), base) {
		return base
	}
	return ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}
