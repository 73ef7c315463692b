// Package advanceaitest is an in-process fake of ADVANCE.AI's H5 Document
// Verification API, for tests and examples that must not reach the vendor.
//
// The fake serves generate-token, generate-url and get-result over TLS with
// the documented bodies, and checks authentication as the vendor does: it
// recomputes each token request's SHA-256 signature, refuses a timestamp
// that is not 13 digits or is more than MaxClockSkew away from its clock,
// issues tokens that expire by its clock, and refuses business calls
// without a live X-ACCESS-TOKEN (HTTP 401, code IAM_FAILED).
//
// Each generate-url creates a verification with a link to the fake's own H5
// page, which stands for the vendor's capture page. The person "captures"
// the card by posting an image to the link (or a test calls Capture); a
// plain GET of the link captures a card without a marker. Until then
// get-result answers SUCCESS with a null idvCode (the shape this SDK infers
// for an unfinished verification). Complete and SetOutcome choose a
// vendor idvCode directly.
//
//	srv := advanceaitest.New(t)
//	c, _ := advanceai.New(srv.Config(), srv.Options()...)
//	res, _ := c.Verify(ctx, kyc.Request{ID: "case-1", Country: "IDN",
//		Link: kyc.LinkOptions{ReturnURL: "https://example.com/done"}})
//	_ = srv.Capture(advanceaitest.SignatureID(res.Reference), kyctest.MagicImage(kyctest.ImageForged, 0))
//
// The Examples show a fake started, a rejection made and a fault injected.
//
// # Magic inputs
//
// The image captured carries one of the kyctest magic markers
// (kyctest.MagicImage), the vocabulary every fake shares. H5 IDV checks
// an Indonesian KTP card and nothing else, so the face and person outcomes
// cannot be produced: those finish as kyctest.ImageApproved does, as the
// kyctest convention says. Each input and its ADVANCE.AI outcome (the
// idvCode get-result answers, then what advanceai.Client.Result returns):
//
//	kyctest.ImageApproved (approved)               SUCCESS, with the OCR: approved
//	kyctest.ImageNoFace (no_face)                  cannot be produced: as approved
//	kyctest.ImageFaceMismatch (face_mismatch)      cannot be produced: as approved
//	kyctest.ImageFaceBorderline (face_borderline)  cannot be produced: as approved
//	kyctest.ImageLivenessFailed (liveness_failed)  cannot be produced: as approved
//	kyctest.ImageLowQuality (low_quality)          LOW_QUALITY_IMAGE: rejected, low_quality_image, resubmit
//	kyctest.ImageExpired (expired)                 cannot be produced (no expiry verdict): as approved
//	kyctest.ImageForged (forged)                   FORGERY_DETECTED, with the OCR: rejected, document_forged
//	kyctest.ImageUnderage (underage)               cannot be produced (no age verdict): as approved
//	kyctest.ImageNoDocument (no_document)          CARD_NOT_FOUND: rejected, no_document, resubmit
//	kyctest.ImageReview (review)                   cannot be produced (no review verdict): as approved
//	kyctest.ImageNotFinished (not_finished)        null idvCode on the first read (pending), then SUCCESS
//	kyctest.ImageServerError (server_error)        ERROR ("Document Verification Server error"): ErrUnavailable
//
// An image without a marker finishes with the idvCode chosen by
// SetOutcome, or SUCCESS. MagicOutcome returns the row of an input.
//
// # Caps
//
// The vendor documents no size cap for its requests (no image goes through
// the API: the person captures the card on the vendor's page), so the fake
// enforces none; it reads at most 1 MiB of a JSON request, and the first
// 64 KiB of a captured image, where the marker is.
//
// Sends and DuplicateSends (from the embedded kyctest.Server) count
// generate-url requests by userId, the caller's kyc.Request.ID; requests
// without one are not counted.
//
// Faults are injected through the embedded kyctest.Server. The fake never
// logs request contents.
package advanceaitest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/kyctest"
)

// The credentials the fake accepts unless WithCredentials says otherwise.
const (
	AccessKey = "fake-access-key"
	SecretKey = "fake-secret-key"
)

// MaxClockSkew is how far a token request's timestamp may be from the fake's
// clock, as public material reports for the vendor.
const MaxClockSkew = 300 * time.Second

// DefaultTokenTTL is a token's lifetime when the request gives no
// periodSecond (the vendor's default).
const DefaultTokenTTL = 3600 * time.Second

// LinkTTL is how long an H5 link stays valid (the vendor says 3600 s).
const LinkTTL = 3600 * time.Second

// H5Path is the path of the fake's H5 page; GenerateURL's links point at it.
const H5Path = "/h5-idv/"

// Option configures the fake.
type Option func(*Server)

// WithClock sets the fake's clock, which checks timestamps and expires
// tokens and links. Options() passes the same clock to the client, so a
// test advancing it moves both. Clock is a ready-made adjustable clock.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.now = now
		}
	}
}

// WithTokenTTL makes every token the fake issues live d, whatever
// periodSecond asks (d > 0), so a test can expire tokens quickly.
func WithTokenTTL(d time.Duration) Option {
	return func(s *Server) { s.tokenTTL = max(d, 0) }
}

// WithCredentials sets the access key and secret key the fake accepts.
func WithCredentials(accessKey, secretKey string) Option {
	return func(s *Server) { s.accessKey, s.secretKey = accessKey, secretKey }
}

// Server is the fake. It is safe for concurrent use.
type Server struct {
	*kyctest.Server

	accessKey, secretKey string
	now                  func() time.Time
	tokenTTL             time.Duration

	mu       sync.Mutex
	tokens   map[string]time.Time // token → expiry by the fake's clock
	sessions map[string]*session
}

// session is one verification.
type session struct {
	userID, returnURL, pageToken string
	expires                      time.Time
	outcome                      string // chosen with SetOutcome
	idvCode                      string // set once finished
	pendingReads                 int    // get-results still to answer "not finished" (ImageNotFinished)
}

// New starts a fake that is closed when the test ends.
func New(t testing.TB, opts ...Option) *Server {
	return kyctest.CloseAtEnd(t, NewServer(opts...))
}

// NewServer starts a fake; the caller closes it.
func NewServer(opts ...Option) *Server {
	s := &Server{
		accessKey: AccessKey, secretKey: SecretKey, now: time.Now,
		tokens: map[string]time.Time{}, sessions: map[string]*session{},
	}
	kyctest.ApplyOptions(s, opts)
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+advanceai.PathGenerateToken, s.generateToken)
	mux.HandleFunc("POST "+advanceai.PathGenerateURL, s.authenticated(s.generateURL))
	mux.HandleFunc("POST "+advanceai.PathGetResult, s.authenticated(s.getResult))
	mux.HandleFunc("GET "+H5Path, s.h5Page)
	mux.HandleFunc("POST "+H5Path, s.h5Page)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusNotFound, advanceai.CodeClientError, "HTTP 404 - Not Found", nil)
	})
	s.Server = kyctest.NewServer(mux)
	return s
}

// Config returns credentials the fake accepts.
func (s *Server) Config() advanceai.Config {
	return advanceai.Config{AccessKey: s.accessKey, SecretKey: kyc.NewSecret(s.secretKey)}
}

// Options points a client at the fake: its base URL, an HTTP client that
// trusts its certificate, and the fake's clock (kyc.WithClock), so the
// client's timestamps and token expiry follow it.
func (s *Server) Options() []kyc.Option {
	return append(s.Server.Options(), kyc.WithClock(s.now))
}

// TokenRequests returns how many generate-token requests reached the fake's
// logic (faults injected before the logic are not counted; Count is).
func (s *Server) TokenRequests() int { return s.Noted(noteTokenRequest) }

// noteTokenRequest is what the embedded Server notes per generate-token.
const noteTokenRequest = "generate-token"

// ExpireTokens revokes every token issued so far: the next business call
// with one gets HTTP 401 IAM_FAILED, as after an expiry the client did not
// foresee.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

// Verifications returns the signatureIds created so far, sorted.
func (s *Server) Verifications() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.sessions))
}

// SetOutcome chooses the idvCode a verification finishes with when its H5
// link is opened. It fails for an unknown signatureId or idvCode.
func (s *Server) SetOutcome(signatureID, idvCode string) error {
	return s.update(signatureID, idvCode, func(v *session) { v.outcome = idvCode })
}

// Capture finishes a verification as the person would on the H5 page, with
// image as the photo of the card: its kyctest magic marker chooses the
// outcome, as the package doc's table lists; an image without one finishes
// with the idvCode chosen by SetOutcome, or SUCCESS. A finished
// verification stays as it is. It fails for an unknown signatureId.
func (s *Server) Capture(signatureID string, image []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.sessions[signatureID]
	if !ok {
		return fmt.Errorf("advanceaitest: unknown signatureId %q", signatureID)
	}
	v.capture(kyctest.ImageMarker(image))
	return nil
}

// capture finishes v, unless it is finished, with the outcome of marker.
func (v *session) capture(marker string) {
	if v.idvCode != "" {
		return
	}
	code, _ := MagicOutcome(marker)
	if marker == "" && v.outcome != "" {
		code = v.outcome
	}
	v.idvCode = code
	if marker == kyctest.ImageNotFinished {
		v.pendingReads = 1
	}
}

// magicOutcomes is the package doc's table: the idvCode each magic input
// finishes a verification with. The inputs missing from it cannot be
// produced by the vendor.
var magicOutcomes = map[string]string{
	kyctest.ImageApproved:    advanceai.IDVSuccess,
	kyctest.ImageLowQuality:  advanceai.IDVLowQualityImage,
	kyctest.ImageForged:      advanceai.IDVForgeryDetected,
	kyctest.ImageNoDocument:  advanceai.IDVCardNotFound,
	kyctest.ImageNotFinished: advanceai.IDVSuccess, // after one read answering "not finished"
	kyctest.ImageServerError: advanceai.IDVError,
}

// MagicOutcome returns the idvCode a verification captured with the magic
// input marker finishes with, and whether ADVANCE.AI can produce that
// outcome. An input it cannot produce, an unknown one and "" give
// advanceai.IDVSuccess, false: they finish as kyctest.ImageApproved.
func MagicOutcome(marker string) (idvCode string, produced bool) {
	if code, ok := magicOutcomes[marker]; ok {
		return code, true
	}
	return advanceai.IDVSuccess, false
}

// Complete finishes a verification now with idvCode (advanceai.IDVSuccess,
// advanceai.IDVForgeryDetected…), as if the person had captured the card.
// It fails for an unknown signatureId or idvCode. A finished verification
// may be completed again with another outcome.
func (s *Server) Complete(signatureID, idvCode string) error {
	return s.update(signatureID, idvCode, func(v *session) { v.idvCode, v.pendingReads = idvCode, 0 })
}

// update checks idvCode and applies set to the verification signatureID.
func (s *Server) update(signatureID, idvCode string, set func(*session)) error {
	if !slices.Contains(advanceai.IDVCodes(), idvCode) {
		return fmt.Errorf("advanceaitest: unknown idvCode %q", idvCode)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.sessions[signatureID]
	if !ok {
		return fmt.Errorf("advanceaitest: unknown signatureId %q", signatureID)
	}
	set(v)
	return nil
}

// SignatureID returns the signatureId inside an ADVANCE.AI Reference
// "advanceai:<id>", as Verify returns it, for Capture, Complete and
// SetOutcome; ref itself when it has no "advanceai:" prefix. It does not
// check the id.
func SignatureID(ref string) string {
	return strings.TrimPrefix(ref, string(kyc.AdvanceAI)+":")
}

// Clock is an adjustable clock for WithClock, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
