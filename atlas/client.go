package atlas

import (
	"cmp"
	"context"
	"errors"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

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
	// AcceptESignCallbacks lets ParseWebhook (and so a kyc.WebhookMux or
	// WebhookHandler) accept eSign callbacks. FRS Labs sends them without
	// any credentials, so they are refused (401) unless this is set, and
	// then are never Authenticated: confirm one with ESignStatus before
	// acting on it.
	AcceptESignCallbacks bool
	// WebhookReadTimeout bounds how long WebhookHandler reads one callback;
	// zero means 5 s (a kyc.WebhookMux has its own bound,
	// kyc.WithWebhookReadTimeout).
	WebhookReadTimeout time.Duration
}

// Client is an Atlas API client: the vendor's typed API plus kyc.Verifier.
// It is safe for concurrent use. Close, String and GoString come from the
// shared core: printing a Client never shows its credentials.
type Client struct {
	base
	tc  *transport.Client
	cfg Config
	aes *aesSigner // nil with AuthBasic
	ids requestIDs
	// maxBody is the vendor's request size limit (MaxRequestBytes); tests
	// lower it.
	maxBody int64
}

// base is the shared core's Close, String and GoString; the alias keeps
// every other method of transport.Base unexported.
type base = transport.Base

var _ kyc.Verifier = (*Client)(nil)

// New checks cfg and returns a client. It never dials and never panics.
// Options set the base URL (default DefaultURL for AuthAES, DefaultURLv2
// for AuthBasic), the HTTP client, timeouts, retries, the logger and the
// clock used for the header timestamp.
//
// With AuthAES the first request waits for one PBKDF2 derivation (tens of
// milliseconds), once per secret in the process: call Warm at start-up to
// pay it there.
func New(cfg Config, opts ...kyc.Option) (*Client, error) {
	cfg.TimestampLayout = cmp.Or(cfg.TimestampLayout, DefaultTimestampLayout)
	layout, layoutErr := tslayout.Parse(cfg.TimestampLayout)
	layoutMsg := ""
	if layoutErr != nil {
		layoutMsg = layoutErr.Error()
	}
	if cfg.Location == nil {
		cfg.Location = istZone
	}
	cfg.SaltRotation = cmp.Or(cfg.SaltRotation, DefaultSaltRotation)
	cfg.FaceMatchThreshold = cmp.Or(cfg.FaceMatchThreshold, DefaultFaceMatchThreshold)
	cfg.FaceReviewThreshold = cmp.Or(cfg.FaceReviewThreshold, min(DefaultFaceReviewThreshold, cfg.FaceMatchThreshold))
	if err := transport.CheckConfig(kyc.Atlas).
		Required("KeyID", cfg.KeyID).
		That(headerSafeKeyID(cfg.KeyID, cfg.Auth), "KeyID", "contains a character the Authorization header cannot carry").
		Secret("KeySecret", cfg.KeySecret).
		That(cfg.Auth == AuthAES || cfg.Auth == AuthBasic, "Auth", "unknown auth mode").
		That(cfg.WebhookReadTimeout >= 0, "WebhookReadTimeout", "must not be negative").
		That(layoutErr == nil, "TimestampLayout", layoutMsg).
		That(cfg.FaceMatchThreshold > 0 && cfg.FaceMatchThreshold <= 1, "FaceMatchThreshold", "must be in (0, 1]").
		That(cfg.FaceReviewThreshold > 0 && cfg.FaceReviewThreshold <= cfg.FaceMatchThreshold, "FaceReviewThreshold", "must be in (0, FaceMatchThreshold]").
		Err(); err != nil {
		return nil, err
	}

	c := &Client{cfg: cfg, maxBody: MaxRequestBytes}
	p := transport.Params{Provider: kyc.Atlas, BaseURL: DefaultURL, RequestIDHeaders: []string{HeaderRequestID},
		CredentialHeaders: []string{"Authorization", HeaderRequestID},
		Check:             c.check, Decode: c.decode, Encode: c.encode, ID: idForm}
	if cfg.Auth == AuthBasic {
		p.BaseURL = DefaultURLv2
		p.Sign = transport.SetHeader("Authorization", transport.BasicAuth(cfg.KeyID, cfg.KeySecret))
	} else {
		// The AES header is set by each call's signer (see signer), which
		// knows the operation a derivation's wait would fail.
		c.aes = &aesSigner{keyID: cfg.KeyID, secret: cfg.KeySecret, layout: layout,
			loc: cfg.Location, rotate: cfg.SaltRotation, ring: rings.ring(cfg.KeySecret)}
	}
	tc, err := transport.New(p, opts)
	if err != nil {
		return nil, err
	}
	c.tc, c.base = tc, transport.NewBase(tc)
	return c, nil
}

// headerSafeKeyID reports whether the key id fits in the Authorization
// header: no space and none of the header's separators (',', '|', '=', and
// ':' for Basic).
func headerSafeKeyID(id string, mode AuthMode) bool {
	seps := " ,|="
	if mode == AuthBasic {
		seps += ":"
	}
	return !strings.ContainsAny(id, seps) && !strings.ContainsFunc(id, unicode.IsSpace)
}

// Warm derives the PBKDF2 key of the AES header now, so that no request
// waits for it: call it at start-up. Clients with the same KeySecret share
// the key within the process, so one Warm serves them all. When the
// current key is due for renewal, Warm waits for the next one. It sends
// nothing, and returns nil with AuthBasic or a negative SaltRotation. If
// ctx ends first it returns an ErrTimeout *kyc.Error; the derivation goes
// on in the background.
func (c *Client) Warm(ctx context.Context) error {
	if c.aes == nil {
		return nil
	}
	if err := c.aes.warm(ctx, c.tc.Now()); err != nil {
		if ctx.Err() != nil {
			return c.tc.ContextError("atlas.Warm", ctx.Err(), false)
		}
		return &kyc.Error{Provider: kyc.Atlas, Op: "atlas.Warm", Kind: kyc.ErrUnauthorized,
			Message: "the PBKDF2 key could not be derived", NotSent: true, Unprocessed: true, Err: err}
	}
	return nil
}

// Call sends any operation of the Atlas API that the typed methods do not
// cover (OCR, DigiLocker, video, PIVC…), signed and checked like them, with
// a fresh request_id per attempt. op.Path is the path template, relative
// to the base URL, without a query, with ids as {placeholders} that params
// fill in order, escaped (a template holding an id is refused: ids never
// reach logs or the Observer); op.Name defaults to "atlas.Call" and
// op.Method to POST with an input and GET without. op.Class decides how it
// may be resent: its zero value, kyc.ClassBilled, is the safe default;
// declare kyc.ClassFree for a read and kyc.ClassMessaging for anything
// that may text or call a person.
//
// in is nil, url.Values (sent as the query string, as API v2 takes its
// parameters even on POST; for a GET this is the way to pass them), Form
// (an application/x-www-form-urlencoded body), []Part (a multipart body,
// its images capped as MaxRequestBytes says), []byte or
// json.RawMessage (sent as JSON as they are), or any other value (sent as
// JSON). The answer must be an Atlas JSON envelope; an error in it, or an
// HTTP error status, is returned as a *kyc.Error. out, when not nil,
// receives the envelope's data, decoded as JSON (nothing when data is null
// or absent); pass an *Envelope to receive the whole envelope instead.
func (c *Client) Call(ctx context.Context, op kyc.Operation, in, out any, params ...string) error {
	return c.tc.Generic(ctx, op, in, out, params...)
}

// Form is an input of Call sent as an application/x-www-form-urlencoded
// body (url.Values are sent as the query string).
type Form url.Values

// Part is one part of a multipart body given to Call: a field (Value) or
// an image (Image), streamed from its source.
type Part struct {
	Name  string
	Value string
	Image *kyc.Image
}

// encode builds the request of a generic Call from its input (see Call).
func (c *Client) encode(op kyc.Operation, in any) (*transport.Request, error) {
	r := &transport.Request{Operation: op, Sign: c.signer(op, nil)}
	switch v := in.(type) {
	case Form:
		r.Body = transport.Form(url.Values(v))
	case []Part:
		var imgs []namedImage
		for _, p := range v {
			if p.Image != nil {
				imgs = append(imgs, namedImage{name: p.Name, img: p.Image})
			}
		}
		files, err := c.imageParts(op.Name, imgs...)
		if err != nil {
			return nil, err
		}
		parts := make([]transport.Part, 0, len(v))
		for _, p := range v {
			if p.Image == nil {
				parts = append(parts, transport.Part{Name: p.Name, Value: p.Value})
				continue
			}
			parts = append(parts, files[0])
			files = files[1:]
		}
		if r.Body, err = transport.Multipart(parts...); err != nil {
			return nil, c.tc.Invalid(op.Name, "in", "cannot be encoded as multipart")
		}
	default:
		d, err := transport.EncodeDefault(op, in)
		if err != nil {
			return nil, err
		}
		r.Query, r.Body = d.Query, d.Body
	}
	return r, nil
}

// sendFor is send for a typed method whose answer carries the request_id
// the SDK sent: it decodes the answer into out, sets *requestID (out's
// RequestID) and returns out, or nil and the error.
func sendFor[T any](ctx context.Context, c *Client, op kyc.Operation, q url.Values, body transport.Body, out *T, requestID *string) (*T, error) {
	id, err := c.send(ctx, op, q, body, out)
	if err != nil {
		return nil, err
	}
	*requestID = id
	return out, nil
}

// send is the one sender of the typed methods: it builds the request of op
// with its query string and body, signs each attempt with a fresh
// request_id, and runs it through the core's call path (send, check,
// decode into out). It returns the request_id of the last attempt sent,
// which it also puts in the error's RequestID when no answer gave one.
func (c *Client) send(ctx context.Context, op kyc.Operation, q url.Values, body transport.Body, out any) (string, error) {
	var last atomic.Value
	_, err := c.tc.Call(ctx, &transport.Request{Operation: op, Query: q, Body: body, Sign: c.signer(op, &last)}, out)
	id, _ := last.Load().(string)
	var kerr *kyc.Error
	if errors.As(err, &kerr) && kerr.RequestID == "" {
		kerr.RequestID = id
	}
	return id, err
}
