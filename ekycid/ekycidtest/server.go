// Package ekycidtest is an in-process fake of the EkycID backend API, for
// tests of code that uses package ekycid, and for its own tests.
//
// It serves the v0 operations (multipart forms, media by URL or upload)
// over TLS, checks the x-api-key header as the vendor documents it, answers
// {"id"} and completes the reply at GET v0/api-request-reply/{id} after a
// delay (WithDelay). It deduplicates by idempotent_id as the vendor does: the
// same id with the same content answers the first submission's id, with
// other content HTTP 409. Outcomes are chosen by magic inputs: images made
// with kyctest.MagicImage(marker, 0), videos made with MagicVideo(marker) and
// URLs made with MagicURL(marker), using the Image* markers below. Faults are
// injected through the embedded kyctest.Server.
//
// Result bodies and error codes are this package's inference of the
// vendor's (see package ekycid); they match what ekycid decodes.
package ekycidtest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"path"
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

// Markers that choose an outcome, carried by a magic image, video or URL.
// Unmarked inputs are approved.
const (
	// ImageApproved: a readable card, matching faces, a live person.
	ImageApproved = "approved"
	// ImageFaceMismatch on a face image: score 0.12, is_match false.
	ImageFaceMismatch = "face_mismatch"
	// ImageLivenessFailed on a selfie or a liveness video: is_live false.
	ImageLivenessFailed = "liveness_failed"
	// ImageUnreadable on a document: reply error OCR_FAILED
	// (ID detection: DOCUMENT_NOT_DETECTED).
	ImageUnreadable = "unreadable"
	// ImageNoFace on a face image: reply error FACE_NOT_DETECTED.
	ImageNoFace = "no_face"
	// ImageExpired on a document: the card's expiry date is in the past.
	ImageExpired = "expired"
	// ImageServerError on any input: reply error INTERNAL_ERROR.
	ImageServerError = "server_error"
)

// DefaultDelay is how long a submission takes to complete by default.
const DefaultDelay = 200 * time.Millisecond

// Option configures the fake.
type Option func(*Server)

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
		marker = ImageApproved
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
}

// NewServer starts a fake; Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{delay: DefaultDelay, now: time.Now, dedup: true,
		byIdem: map[string]*submission{}, jobs: map[string]*job{}}
	for _, o := range opts {
		o(s)
	}
	s.Server = kyctest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// New starts a fake closed when t ends.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
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
	id := newID()
	j := &job{idem: idem, created: s.now()}
	j.result, j.errCode, j.errMsg = outcome(op, in)
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
	s.mu.Unlock()
	if j == nil {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "no such request")
		return
	}
	if now.Sub(j.created) < s.delay {
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

// outcome computes an operation's result, or its reply error, from the
// markers of its inputs.
func outcome(op string, in *input) (any, string, string) {
	has := func(marker string, fields ...string) bool {
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
	doc := []string{"image", "ocr_image"}
	faces := []string{"face_image"}
	switch {
	case has(ImageServerError):
		return nil, "INTERNAL_ERROR", "internal error"
	case op == "id-detection" && has(ImageUnreadable, doc...):
		return nil, "DOCUMENT_NOT_DETECTED", "no document detected"
	case op != "face-compare" && op != "liveness-detection" && has(ImageUnreadable, doc...):
		return nil, "OCR_FAILED", "cannot extract information"
	case has(ImageNoFace, faces...):
		return nil, "FACE_NOT_DETECTED", "no face detected"
	}
	ocr := nationalID(has(ImageExpired, doc...))
	face := map[string]any{"score": 0.93, "is_match": true}
	if has(ImageFaceMismatch, faces...) {
		face = map[string]any{"score": 0.12, "is_match": false}
	}
	live := map[string]any{"score": 0.97, "is_live": true}
	if has(ImageLivenessFailed, "face_image", "sequences[") {
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
			seqs = append(seqs, map[string]any{"checks": c, "is_live": in.markers[seqKey(i, "video")] != ImageLivenessFailed})
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
	switch base {
	case ImageApproved, ImageFaceMismatch, ImageLivenessFailed, ImageUnreadable, ImageNoFace, ImageExpired, ImageServerError:
		return base
	}
	return ""
}

func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}
