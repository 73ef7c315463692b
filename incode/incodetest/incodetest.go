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
// sends the onboarding-status webhook (SendWebhook, Webhook, PostWebhook),
// serves the session deletion of incode.Client.Erase (DELETE
// /omni/interviews with an executive token; see Deletions), and serves the
// hosted link (GET /0/omni/onboarding-url, the clientId ClientID required,
// and the page it points to, HostedPagePath): Onboard is the person going
// through it.
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
	// ClientID is the clientId the fake's session start answers, and the
	// one its onboarding-url requires.
	ClientID = "incodetest"
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
	issued   []string
	// deletions are the DELETE /omni/interviews served (erase.go).
	deletions []Deletion
	// links are the hosted links issued, by link token (hosted.go).
	links map[string]*session
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
	redirect, language  string // the start's redirectionUrl and language
	link                string // the hosted link's token; "" none issued
	expired             bool   // Expire: the status reads EXPIRED
}

// New starts a fake closed when the test ends.
func New(t testing.TB, opts ...Option) *Server {
	return kyctest.CloseAtEnd(t, NewServer(opts...))
}

// NewServer starts a fake; Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{key: APIKey, delay: DefaultDelay, hook: http.DefaultClient,
		sessions: map[string]*session{}, byID: map[string]*session{}, exec: map[string]bool{},
		links: map[string]*session{}}
	kyctest.ApplyOptions(s, opts)
	s.Server = kyctest.NewServer(http.HandlerFunc(s.serve))
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
func (s *Server) Sessions() int { return locked(s, func() int { return len(s.byID) }) }

// LogIns returns how many executive log-ins succeeded.
func (s *Server) LogIns() int { return s.Noted(noteLogIn) }

// noteLogIn is what the embedded Server notes per executive log-in.
const noteLogIn = "executive-log-in"

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
	return locked(s, func() []string { return append([]string(nil), s.issued...) })
}
