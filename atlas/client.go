package atlas

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas/internal/tslayout"
	"github.com/kyc-go/kyc/internal/transport"
)

// Default base URLs, one per API generation. Paths are joined to them with
// exactly one slash (the vendor's own sample sends "//face/compare").
const (
	// DefaultURL is the base of API v1.3, the AES-header API of the vendor
	// docs and of the Java sample's face endpoints.
	DefaultURL = "https://api.atlaskyc.com"
	// DefaultURLv2 is the production base of API v2 (Basic auth), seen in
	// several independent integrations. The pre-production base is not
	// public: pass it with kyc.WithBaseURL.
	DefaultURLv2 = "https://api.atlaskyc.com/v2/prod"
)

// Defaults of the AES header.
const (
	// DefaultTimestampLayout is the docs' layout, in Java SimpleDateFormat
	// notation. The vendor's Java sample uses "ddMMyyyyHHmmss" instead.
	DefaultTimestampLayout = "yyyyMMddHHmmssSSS"
	// DefaultSaltRotation is how long one PBKDF2 salt and its derived key
	// are reused.
	DefaultSaltRotation = time.Hour
	// DefaultFaceMatchThreshold is the face-match score at or above which
	// Verify counts the faces as matching.
	DefaultFaceMatchThreshold = 0.80
	// DefaultFaceReviewThreshold is the score at or above which a face
	// below the match threshold goes to review rather than rejection.
	DefaultFaceReviewThreshold = 0.60
)

// India Standard Time. India has had no daylight saving since 1945, so a
// fixed zone is exact and needs no tzdata on the host.
var istZone = time.FixedZone("IST", 5*3600+30*60)

// AuthMode selects how requests are authenticated.
type AuthMode int

const (
	// AuthAES is the scheme of the vendor docs (API v1.3): an Authorization
	// header holding the AES-256 encryption of KEY_ID|KEY_SECRET|TIMESTAMP,
	// fresh on every attempt. It is the default.
	AuthAES AuthMode = iota
	// AuthBasic is API v2's "Authorization: Basic base64(KEY_ID:KEY_SECRET)".
	AuthBasic
)

// String returns "aes" or "basic".
func (m AuthMode) String() string {
	if m == AuthBasic {
		return "basic"
	}
	return "aes"
}

// Config holds an Atlas account's credentials and the AES header settings.
type Config struct {
	// KeyID is the account's Key ID ("abeb3372…" for v1.3 keys, "k-<uuid>"
	// for v2 keys).
	KeyID string
	// KeySecret is the account's Key Secret. It never leaves the process in
	// clear with AuthAES; AuthBasic sends it base64-encoded, as v2 requires.
	KeySecret kyc.Secret
	// Auth selects the scheme; the zero value is AuthAES.
	Auth AuthMode
	// TimestampLayout is the AES header's timestamp layout as a Java
	// SimpleDateFormat pattern (runs yyyy, yy, MM, dd, HH, mm, ss, SSS and
	// literals), the notation the vendor documents it in. Empty means
	// DefaultTimestampLayout; the vendor's Java sample uses
	// "ddMMyyyyHHmmss". Go reference layouts are refused.
	TimestampLayout string
	// Location is the zone of the timestamp; nil means India Standard Time
	// (UTC+05:30), the vendor's zone (the Java sample uses the JVM's zone).
	Location *time.Location
	// SaltRotation is how long one salt and its PBKDF2 key are reused; zero
	// means DefaultSaltRotation. A negative value derives a new key for
	// every header, as the vendor's sample does, at a cost of milliseconds
	// of CPU per request. Age is measured on the client clock
	// (kyc.WithClock).
	SaltRotation time.Duration
	// FaceMatchThreshold and FaceReviewThreshold set Verify's face-match
	// decision (scores 0..1); zero means the defaults above.
	FaceMatchThreshold  float64
	FaceReviewThreshold float64
}

// Client is an Atlas API client: the vendor's typed API plus kyc.Verifier.
// It is safe for concurrent use.
type Client struct {
	cfg Config
	tc  *transport.Client
	aes *aesSigner
	ids requestIDs
}

var _ kyc.Verifier = (*Client)(nil)

// New checks cfg and returns a client. It never dials and never panics.
// Options set the base URL (default DefaultURL for AuthAES, DefaultURLv2
// for AuthBasic), the HTTP client, timeouts, retries, the logger and the
// clock used for the header timestamp.
func New(cfg Config, opts ...kyc.Option) (*Client, error) {
	const op = "atlas.New"
	bad := func(field, msg string) error {
		return &kyc.Error{Provider: kyc.Atlas, Op: op, Kind: kyc.ErrInvalidRequest, Field: field, Message: msg}
	}
	if err := checkKeyID(cfg.KeyID, cfg.Auth); err != nil {
		return nil, bad("KeyID", err.Error())
	}
	if cfg.KeySecret.IsZero() {
		return nil, bad("KeySecret", "required")
	}
	if !utf8.ValidString(cfg.KeySecret.Reveal()) {
		return nil, bad("KeySecret", "not valid UTF-8")
	}
	if cfg.Auth != AuthAES && cfg.Auth != AuthBasic {
		return nil, bad("Auth", "unknown auth mode")
	}
	if cfg.TimestampLayout == "" {
		cfg.TimestampLayout = DefaultTimestampLayout
	}
	layout, err := tslayout.Parse(cfg.TimestampLayout)
	if err != nil {
		return nil, bad("TimestampLayout", err.Error())
	}
	if cfg.Location == nil {
		cfg.Location = istZone
	}
	if cfg.SaltRotation == 0 {
		cfg.SaltRotation = DefaultSaltRotation
	}
	if cfg.FaceMatchThreshold == 0 {
		cfg.FaceMatchThreshold = DefaultFaceMatchThreshold
	}
	if cfg.FaceReviewThreshold == 0 {
		cfg.FaceReviewThreshold = min(DefaultFaceReviewThreshold, cfg.FaceMatchThreshold)
	}
	if !(cfg.FaceMatchThreshold > 0 && cfg.FaceMatchThreshold <= 1) {
		return nil, bad("FaceMatchThreshold", "must be in (0, 1]")
	}
	if !(cfg.FaceReviewThreshold > 0 && cfg.FaceReviewThreshold <= cfg.FaceMatchThreshold) {
		return nil, bad("FaceReviewThreshold", "must be in (0, FaceMatchThreshold]")
	}

	c := &Client{cfg: cfg}
	p := transport.Params{Provider: kyc.Atlas, RequestIDHeaders: []string{HeaderRequestID}}
	if cfg.Auth == AuthBasic {
		p.BaseURL = DefaultURLv2
		p.Sign = transport.SetHeader("Authorization", transport.BasicAuth(cfg.KeyID, cfg.KeySecret))
	} else {
		p.BaseURL = DefaultURL
		c.aes = &aesSigner{keyID: cfg.KeyID, secret: cfg.KeySecret, layout: layout,
			loc: cfg.Location, rotate: cfg.SaltRotation}
		p.Sign = func(_ context.Context, h http.Header) error {
			v, err := c.aes.header(c.aes.now())
			if err != nil {
				return err
			}
			h.Set("Authorization", v)
			return nil
		}
	}
	tc, err := transport.New(p, opts)
	if err != nil {
		return nil, err
	}
	c.tc = tc
	if c.aes != nil {
		c.aes.now = tc.Now
	}
	return c, nil
}

func checkKeyID(id string, mode AuthMode) error {
	if id == "" {
		return errors.New("required")
	}
	for _, r := range id {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == ',' || r == '|' || r == '=' || (mode == AuthBasic && r == ':') {
			return errors.New("contains a character the Authorization header cannot carry")
		}
	}
	return nil
}

// Close releases idle connections. The client stays usable.
func (c *Client) Close() error {
	c.tc.Close()
	return nil
}

// call is one logical request.
type call struct {
	op     string
	method string
	path   string
	query  url.Values
	body   transport.Body
	mode   transport.Mode
}

// sent is the answer to a call and the request_id its last attempt carried.
type sent struct {
	resp      *transport.Response
	requestID string
}

// send runs a call through the transport, with a fresh request_id per
// attempt.
func (c *Client) send(ctx context.Context, cl call, stream bool) (sent, error) {
	var last atomic.Value
	r := &transport.Request{
		Op: cl.op, Method: cl.method, Path: cl.path, Query: cl.query, Body: cl.body, Mode: cl.mode,
		Sign: attemptSigner(c.ids.callID(c.tc.Now()), &last),
	}
	var resp *transport.Response
	var err error
	if stream {
		resp, err = c.tc.Stream(ctx, r)
	} else {
		resp, err = c.tc.Do(ctx, r)
	}
	id, _ := last.Load().(string)
	var kerr *kyc.Error
	if errors.As(err, &kerr) && kerr.RequestID == "" {
		kerr.RequestID = id
	}
	return sent{resp: resp, requestID: id}, err
}

// do sends a call and returns its checked envelope.
func (c *Client) do(ctx context.Context, cl call) (*Envelope, string, error) {
	s, err := c.send(ctx, cl, false)
	if err != nil {
		return nil, s.requestID, err
	}
	env, err := c.check(cl.op, s.resp)
	if err != nil {
		var kerr *kyc.Error
		if errors.As(err, &kerr) && kerr.RequestID == "" {
			kerr.RequestID = s.requestID
		}
	}
	return env, s.requestID, err
}

// Envelope is the body of every Atlas JSON answer:
//
//	{"status": "failed", "response_timestamp": "1595488026806", "data": null,
//	 "error": {"code": "500", "message": "Internal server error."}}
//
// The shape is documented for errors; successful answers are seen with
// status "success" and the payload under data.
type Envelope struct {
	Status string
	// ResponseTimestamp is the vendor's time of the answer, from the
	// millisecond epoch string it sends; zero when absent.
	ResponseTimestamp time.Time
	// Data is the payload, as sent.
	Data json.RawMessage
	// Error is the vendor's error, nil when none.
	Error *APIError
	// Raw is the whole body.
	Raw json.RawMessage
}

// APIError is the envelope's error object. Code is a string ("500").
type APIError struct {
	Code    string
	Message string
}

// Failed reports whether the envelope carries an error or a failed status.
func (e *Envelope) Failed() bool {
	if e.Error != nil {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(e.Status)) {
	case "failed", "failure", "fail", "error":
		return true
	}
	return false
}

// call builds a call with the query-string parameters v2 uses even on POST.
func newCall(op, method, path string, q url.Values, mode transport.Mode) call {
	return call{op: "atlas." + op, method: method, path: path, query: q, mode: mode}
}

// String describes the client without its credentials, tokens or keys, so
// that printing or logging a Client never leaks them.
func (c *Client) String() string { return "atlas.Client" }

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }
