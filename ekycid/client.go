package ekycid

import (
	"bytes"
	"cmp"
	"context"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/poll"
	"github.com/kyc-go/kyc/internal/transport"
	"github.com/kyc-go/kyc/internal/verifier"
)

// Base URLs of the EWS platform, as the vendor's Node SDK names them.
const (
	// DefaultBaseURL is the production host (packages/client/src/node.ts).
	DefaultBaseURL = "https://server.ews.ekycsolutions.com"
	// SandboxBaseURL is a sandbox host an earlier revision of the Node SDK
	// used; whether it still answers is not known. Pass it with
	// kyc.WithBaseURL.
	SandboxBaseURL = "https://server.ews.sandbox.ekycsolutions.com"
)

// Defaults for the Config fields left zero.
const (
	DefaultPollInterval    = 500 * time.Millisecond
	DefaultMaxPollInterval = 4 * time.Second
	// DefaultPollTimeout bounds one wait for a reply: the vendor's Node SDK
	// gives up polling after maxRequestTimeoutAsSec, 64 s by default.
	DefaultPollTimeout        = 64 * time.Second
	DefaultFaceMatchThreshold = 0.75
	DefaultLivenessThreshold  = 0.5
)

// Config holds the credentials and the few decisions this package cannot
// take from the vendor's documentation.
type Config struct {
	// APIKey is sent as the x-api-key header on every request. Keep it on
	// the server: the vendor's client SDKs never hold it, and neither should
	// a mobile or browser build of your code.
	APIKey kyc.Secret
	// PollInterval is the first wait between two reads of a reply in Wait;
	// each wait doubles up to MaxPollInterval. Zero means the defaults.
	PollInterval    time.Duration
	MaxPollInterval time.Duration
	// PollTimeout bounds every wait for a reply (Wait, and the wait inside
	// Verify and VerifyWithLiveness), whatever the context allows: a Verify
	// under context.Background() against a vendor that never finishes
	// returns StatusPending with its Reference once it passes. Zero means
	// DefaultPollTimeout.
	PollTimeout time.Duration
	// FaceMatchThreshold decides a face comparison the vendor scored but did
	// not decide (the vendor's own Flutter app compares its score with an
	// app-side threshold). Zero means DefaultFaceMatchThreshold.
	FaceMatchThreshold float64
	// LivenessThreshold does the same for a liveness score. Zero means
	// DefaultLivenessThreshold.
	LivenessThreshold float64
}

type base = transport.Base

// Client is an EkycID backend client. It implements kyc.Verifier and exposes
// the vendor's v0 operations. It is safe for concurrent use.
type Client struct {
	base
	tc   *transport.Client
	cfg  Config
	poll poll.Config
}

var _ kyc.Verifier = (*Client)(nil)

// New checks cfg and returns a Client. Options are the root package's
// (kyc.WithBaseURL, kyc.WithHTTPClient, kyc.WithRetry…). New never dials.
func New(cfg Config, opts ...kyc.Option) (*Client, error) {
	key := cfg.APIKey.Reveal()
	if err := transport.CheckConfig(kyc.EKYC).
		Secret("APIKey", cfg.APIKey).
		That(strings.TrimSpace(key) == key, "APIKey", "must not start or end with spaces").
		That(cfg.PollInterval >= 0 && cfg.MaxPollInterval >= 0, "PollInterval", "must not be negative").
		That(cfg.PollTimeout >= 0, "PollTimeout", "must not be negative").
		That(cfg.FaceMatchThreshold >= 0 && cfg.FaceMatchThreshold <= 1, "FaceMatchThreshold", "must be between 0 and 1").
		That(cfg.LivenessThreshold >= 0 && cfg.LivenessThreshold <= 1, "LivenessThreshold", "must be between 0 and 1").
		Err(); err != nil {
		return nil, err
	}
	cfg.PollInterval = cmp.Or(cfg.PollInterval, DefaultPollInterval)
	cfg.MaxPollInterval = cmp.Or(cfg.MaxPollInterval, max(DefaultMaxPollInterval, cfg.PollInterval))
	cfg.PollTimeout = cmp.Or(cfg.PollTimeout, DefaultPollTimeout)
	cfg.FaceMatchThreshold = cmp.Or(cfg.FaceMatchThreshold, DefaultFaceMatchThreshold)
	cfg.LivenessThreshold = cmp.Or(cfg.LivenessThreshold, DefaultLivenessThreshold)
	c := &Client{cfg: cfg, poll: poll.Config{Initial: cfg.PollInterval, Max: cfg.MaxPollInterval}}
	tc, err := transport.New(transport.Params{
		Provider: kyc.EKYC,
		BaseURL:  DefaultBaseURL,
		Sign:     transport.SetHeader("x-api-key", cfg.APIKey),
		// The signer's header; an Observer may not set it.
		CredentialHeaders: []string{"x-api-key"},
		Check:             c.check,
		Decode:            c.decode,
		Encode:            c.encode,
		ID:                idForm,
	}, opts)
	if err != nil {
		return nil, err
	}
	c.tc, c.base = tc, transport.NewBase(tc)
	return c, nil
}

// Call sends any operation of the EWS API that the typed methods do not
// cover, such as the ABIS enrolment, verification and identification APIs,
// whose paths and bodies are not public: signed and checked like the typed
// methods. op.Path is the path template, relative to the base URL, with
// ids as {placeholders} that params fill in order, escaped by the client
// ("/v1/abis/{dni}" with the DNI in params; a template holding an id is
// refused, so that no id reaches logs or the Observer); op.Method defaults to POST with an input and
// GET without; op.Class decides how it may be resent: its zero value,
// kyc.ClassBilled, is the safe default, and a billed op is resent after an
// ambiguous failure only with op.Idempotent set (set it when the endpoint
// deduplicates by the form's idempotent_id, as the v0 operations do).
//
// in may be nil (no body), a *Form (multipart/form-data, with its
// idempotent_id), a url.Values (the query), a []byte or json.RawMessage
// (sent as JSON as it is), or any other value, marshalled as JSON. out, when
// not nil, receives the JSON answer, decoded after the vendor's error check
// (a *json.RawMessage keeps it as it is; an empty answer leaves out as it
// is).
func (c *Client) Call(ctx context.Context, op kyc.Operation, in, out any, params ...string) error {
	return c.tc.Generic(ctx, op, in, out, params...)
}

// send builds the request of one operation and sends it through the one
// call path: fill the path template with params, sign, send as the
// operation's class allows, check, decode into out (nil: no decoding).
func (c *Client) send(ctx context.Context, op kyc.Operation, params []string, body transport.Body, out any) (*transport.Response, error) {
	return c.tc.Call(ctx, &transport.Request{Operation: op, Params: params, Body: body}, out)
}

// encode builds the request of a generic Call: a *Form is multipart, the
// rest as the transport's default.
func (c *Client) encode(op kyc.Operation, in any) (*transport.Request, error) {
	f, ok := in.(*Form)
	if !ok {
		return transport.EncodeDefault(op, in)
	}
	if f == nil {
		return &transport.Request{Operation: op}, nil
	}
	body, err := f.body(op.Name, c)
	if err != nil {
		return nil, err
	}
	return &transport.Request{Operation: op, Body: body}, nil
}

// decode decodes a checked answer: a reply envelope into a *ReplyResult,
// anything else as JSON (a byte-order mark or XSSI guard stripped). An empty
// answer leaves out as it is.
func (c *Client) decode(op kyc.Operation, resp *transport.Response, out any) error {
	if r, ok := out.(*ReplyResult); ok {
		got, err := DecodeReply(resp.Body)
		if err != nil {
			return c.tc.BadResponse(op.Name, resp, err)
		}
		*r = *got
		return nil
	}
	if len(bytes.TrimSpace(transport.StripBOM(resp.Body))) == 0 {
		return nil
	}
	return c.tc.DecodeJSON(op.Name, resp, out)
}

// MaxIDLength bounds the vendor ids this package sends in a path.
const MaxIDLength = 128

// idForm is the form of a vendor request id, checked before it goes into a
// path: 1 to MaxIDLength ASCII letters, digits, '-' and '_'. Inferred: the
// Node SDK puts the id into the path unescaped, and the ids seen are hex
// strings and UUIDs; '.', '/' and control characters would change the path.
var idForm = verifier.IDForm(MaxIDLength)
