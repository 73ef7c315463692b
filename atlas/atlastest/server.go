// Package atlastest serves a fake Atlas API over local TLS, for tests of
// code that uses package atlas.
//
// The fake checks authentication as the vendor does: it decrypts the AES
// Authorization header (PBKDF2-HMAC-SHA1, 65556 iterations, AES-256-CBC),
// and checks the key id, the secret inside it, that the timestamp matches
// the configured layout and is fresh by the fake's clock; or it checks
// Basic auth. It refuses a request_id that is missing, not alphanumeric or
// already used, and a request over the vendor's size limit
// (atlas.MaxRequestBytes, "413 Request entity too large", as the vendor
// docs' error table says; WithMaxRequestBytes lowers it). A body that does
// not arrive whole (an upload the client aborted) is never processed. It
// serves every endpoint package atlas has a typed method for; where the
// vendor's body is not public the fake's body is the shape package atlas
// infers, labelled as such in the code. Faults are injected through the
// embedded kyctest.Server. It is safe for concurrent use and never logs
// request contents.
//
//	srv := atlastest.New(t)
//	c, _ := atlas.New(srv.Config(), srv.Options()...)
//
// # Magic inputs
//
// Images carry kyctest's magic markers (kyctest.MagicImage); the face
// endpoints read the marker of either image. What Verify returns for each,
// with a valid PAN and the holder's name:
//
//	kyctest.ImageApproved        approved (match_score 96.5, is_match true)
//	kyctest.ImageNoFace          rejected, no_face, Resubmit (face_detected false)
//	kyctest.ImageFaceMismatch    rejected, face_mismatch (match_score 12)
//	kyctest.ImageFaceBorderline  review, face_mismatch (match_score 70)
//	kyctest.ImageReview          review, other: Atlas has no manual review; the
//	                             comparison comes without score or match flag
//	kyctest.ImageServerError     the call receiving the image (compare, enrol,
//	                             verify, mask) answers HTTP 500 "Internal server
//	                             error.": Verify returns ErrUnavailable
//	kyctest.ImageLivenessFailed  cannot be produced: Atlas's face comparison has
//	                             no liveness check; answered as ImageApproved
//	kyctest.ImageLowQuality      cannot be produced (no quality verdict in a
//	                             comparison); answered as ImageApproved
//	kyctest.ImageExpired         cannot be produced: Verify reads no document
//	                             data; answered as ImageApproved
//	kyctest.ImageForged          cannot be produced (as ImageExpired)
//	kyctest.ImageUnderage        cannot be produced (as ImageExpired)
//	kyctest.ImageNoDocument      cannot be produced (as ImageExpired)
//	kyctest.ImageNotFinished     cannot be produced: Atlas answers synchronously;
//	                             answered as ImageApproved
//
// Atlas-only inputs: the magic PANs (PANInvalid, PANOtherHolder,
// PANShortName, PANVendorError), AccountClosed, GSTINInvalid,
// AadhaarOTPCode, and ImageMaskJSON, which selects the shape of a mask
// answer rather than an outcome.
package atlastest

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/atlas/internal/tslayout"
	"github.com/kyc-go/kyc/kyctest"
)

// The credentials the fake accepts by default. The secret is not ASCII on
// purpose: the AES header must carry it as UTF-8.
const (
	KeyID     = "abeb3372fa4eaf530"
	KeySecret = "atlas-fake-sécret-ключ"
)

// Magic PANs. Any other well-formed PAN is VALID, held by HolderName.
const (
	// PANInvalid is unknown to the registry: pan_status INVALID.
	PANInvalid = "AAAPZ0000Z"
	// PANOtherHolder is VALID but held by OtherHolderName.
	PANOtherHolder = "AAAPZ1111Z"
	// PANShortName is VALID, held by ShortHolderName (no middle name).
	PANShortName = "AAAPZ2222Z"
	// PANVendorError gets an HTTP 200 whose envelope carries error 500.
	PANVendorError = "AAAPZ5000Z"
)

// Holder names the fake's PAN registry returns.
const (
	HolderFirstName  = "RAHUL"
	HolderMiddleName = "KUMAR"
	HolderLastName   = "SHARMA"
	// HolderName is the full name of every VALID PAN but the magic ones.
	HolderName      = "RAHUL KUMAR SHARMA"
	OtherHolderName = "PRIYA VERMA"
	ShortHolderName = "RAHUL SHARMA"
)

// ImageMaskJSON, as the marker of the image sent to /aadhaar/mask, makes
// the fake answer JSON with the masked image in base64 (data.file as a
// data: URI) rather than the JPEG itself. It selects a wire shape, not an
// outcome, so it is not one of kyctest's magic inputs.
const ImageMaskJSON = "mask_json"

// Other magic inputs.
const (
	// AadhaarOTPCode is the only OTP /aadhaar/aadhaar_kyc accepts.
	AadhaarOTPCode = "123456"
	// AccountClosed fails the penny drop: bank_status FAILED.
	AccountClosed = "000000000000"
	// GSTINInvalid gets gstin_status INVALID; other GSTINs are ACTIVE.
	GSTINInvalid = "27AAAPZ0000Z1Z5"
)

// DefaultFreshness is how far a header timestamp may be from the fake's
// clock.
const DefaultFreshness = 5 * time.Minute

// Option configures the fake.
type Option func(*options)

type options struct {
	keyID, secret string
	auth          atlas.AuthMode
	layout        string
	loc           *time.Location
	freshness     time.Duration
	now           func() time.Time
	delay         time.Duration
	maxBody       int64
}

// WithCredentials sets the key id and secret the fake accepts.
func WithCredentials(keyID, secret string) Option {
	return func(o *options) { o.keyID, o.secret = keyID, secret }
}

// WithAuth sets the scheme the fake requires (default atlas.AuthAES).
func WithAuth(m atlas.AuthMode) Option { return func(o *options) { o.auth = m } }

// WithTimestampLayout sets the layout the header timestamp must have, a
// Java SimpleDateFormat pattern (default atlas.DefaultTimestampLayout).
func WithTimestampLayout(layout string) Option { return func(o *options) { o.layout = layout } }

// WithLocation sets the zone the timestamp is read in (default IST).
func WithLocation(loc *time.Location) Option { return func(o *options) { o.loc = loc } }

// WithFreshness sets how far a header timestamp may be from the fake's
// clock (default DefaultFreshness).
func WithFreshness(d time.Duration) Option { return func(o *options) { o.freshness = d } }

// WithClock sets the fake's clock, against which timestamps are checked.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithMaxRequestBytes sets the request size over which the fake answers
// 413, as the vendor does past its limit (default atlas.MaxRequestBytes).
func WithMaxRequestBytes(n int64) Option { return func(o *options) { o.maxBody = n } }

// WithDelay makes every answer wait d (or until the request is cancelled).
func WithDelay(d time.Duration) Option { return func(o *options) { o.delay = d } }

// Server is the fake Atlas API. Its embedded kyctest.Server gives Inject,
// FaultRate, Requests, Count, Injected, Options and Close.
type Server struct {
	*kyctest.Server
	o      options
	layout tslayout.Layout

	mu       sync.Mutex
	keys     map[string][]byte // PBKDF2 key by salt
	seen     map[string]bool   // request_ids used
	enrolled map[string][]byte
	esigns   map[string]bool
	otps     map[string]bool
	verified map[string][]byte // "type/id" → data, for /verify/status
}

// New starts a fake closed when t ends.
func New(t testing.TB, opts ...Option) *Server {
	return kyctest.CloseAtEnd(t, NewServer(opts...))
}

// NewServer starts a fake; the caller closes it. It panics only when an
// option is invalid (a timestamp layout that does not parse), as
// httptest does for its own setup failures.
func NewServer(opts ...Option) *Server {
	o := options{keyID: KeyID, secret: KeySecret, layout: atlas.DefaultTimestampLayout,
		loc: time.FixedZone("IST", 5*3600+30*60), freshness: DefaultFreshness, now: time.Now,
		maxBody: atlas.MaxRequestBytes}
	kyctest.ApplyOptions(&o, opts)
	l, err := tslayout.Parse(o.layout)
	if err != nil {
		panic("atlastest: " + err.Error())
	}
	s := &Server{o: o, layout: l, keys: map[string][]byte{}, seen: map[string]bool{},
		enrolled: map[string][]byte{}, esigns: map[string]bool{}, otps: map[string]bool{}, verified: map[string][]byte{}}
	s.Server = kyctest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Config returns the atlas.Config the fake accepts: its credentials, auth
// mode, timestamp layout and zone.
func (s *Server) Config() atlas.Config {
	return atlas.Config{KeyID: s.o.keyID, KeySecret: kyc.NewSecret(s.o.secret), Auth: s.o.auth,
		TimestampLayout: s.o.layout, Location: s.o.loc}
}

// CallIDLen is the length of the call part of package atlas's request_id:
// the attempts of one logical call share their first CallIDLen characters
// and differ in the attempt number that follows.
const CallIDLen = 20

// SendKey is the key under which Sends counts a chargeable operation.
// Atlas has no caller reference field, so the key is the hex SHA-256 of the
// request: method, path, query, body and the call part of its request_id
// (the first CallIDLen characters). The attempts of one logical call share
// that key (the same bytes, the same call id, since package atlas fixes a
// multipart boundary per call); two logical calls with the same parameters
// do not.
func SendKey(method, path string, query url.Values, requestID string, body []byte) string {
	call := requestID
	if len(call) > CallIDLen {
		call = call[:CallIDLen]
	}
	h := sha256.New()
	for _, p := range []string{method, path, query.Encode(), call} {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}
