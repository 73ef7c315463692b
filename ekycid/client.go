package ekycid

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/poll"
	"github.com/kyc-go/kyc/internal/transport"
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
	DefaultPollInterval       = 500 * time.Millisecond
	DefaultMaxPollInterval    = 4 * time.Second
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
	// FaceMatchThreshold decides a face comparison the vendor scored but did
	// not decide (the vendor's own Flutter app compares its score with an
	// app-side threshold). Zero means DefaultFaceMatchThreshold.
	FaceMatchThreshold float64
	// LivenessThreshold does the same for a liveness score. Zero means
	// DefaultLivenessThreshold.
	LivenessThreshold float64
}

// Client is an EkycID backend client. It implements kyc.Verifier and exposes
// the vendor's v0 operations. It is safe for concurrent use.
type Client struct {
	tc   *transport.Client
	cfg  Config
	poll poll.Config
}

var _ kyc.Verifier = (*Client)(nil)

// New checks cfg and returns a Client. Options are the root package's
// (kyc.WithBaseURL, kyc.WithHTTPClient, kyc.WithRetry…). New never dials.
func New(cfg Config, opts ...kyc.Option) (*Client, error) {
	const op = "ekycid.New"
	key := cfg.APIKey.Reveal()
	switch {
	case cfg.APIKey.IsZero():
		return nil, &kyc.Error{Provider: kyc.EKYC, Op: op, Kind: kyc.ErrInvalidRequest, Field: "APIKey", Message: "required"}
	case strings.ContainsAny(key, "\r\n\x00") || strings.TrimSpace(key) != key:
		return nil, &kyc.Error{Provider: kyc.EKYC, Op: op, Kind: kyc.ErrInvalidRequest, Field: "APIKey", Message: "contains spaces or control characters"}
	case cfg.PollInterval < 0 || cfg.MaxPollInterval < 0:
		return nil, &kyc.Error{Provider: kyc.EKYC, Op: op, Kind: kyc.ErrInvalidRequest, Field: "PollInterval", Message: "must not be negative"}
	case cfg.FaceMatchThreshold < 0 || cfg.FaceMatchThreshold > 1:
		return nil, &kyc.Error{Provider: kyc.EKYC, Op: op, Kind: kyc.ErrInvalidRequest, Field: "FaceMatchThreshold", Message: "must be between 0 and 1"}
	case cfg.LivenessThreshold < 0 || cfg.LivenessThreshold > 1:
		return nil, &kyc.Error{Provider: kyc.EKYC, Op: op, Kind: kyc.ErrInvalidRequest, Field: "LivenessThreshold", Message: "must be between 0 and 1"}
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.MaxPollInterval == 0 {
		cfg.MaxPollInterval = max(DefaultMaxPollInterval, cfg.PollInterval)
	}
	if cfg.FaceMatchThreshold == 0 {
		cfg.FaceMatchThreshold = DefaultFaceMatchThreshold
	}
	if cfg.LivenessThreshold == 0 {
		cfg.LivenessThreshold = DefaultLivenessThreshold
	}
	tc, err := transport.New(transport.Params{
		Provider: kyc.EKYC,
		BaseURL:  DefaultBaseURL,
		Sign:     transport.SetHeader("x-api-key", cfg.APIKey),
	}, opts)
	if err != nil {
		return nil, err
	}
	return &Client{tc: tc, cfg: cfg, poll: poll.Config{Initial: cfg.PollInterval, Max: cfg.MaxPollInterval}}, nil
}

// Close releases idle connections. The client stays usable.
func (c *Client) Close() error {
	c.tc.Close()
	return nil
}

// Call sends any request to the vendor, signed and classified like the typed
// methods: the escape hatch for endpoints this package does not type, such
// as the ABIS enrolment, verification and identification APIs, whose paths
// and bodies are not public.
//
// body may be nil (no body), a *Form (multipart/form-data, with its
// idempotent_id), a []byte or json.RawMessage (sent as JSON as it is), or any
// other value, marshalled as JSON. out, when not nil, receives the JSON
// answer (a *json.RawMessage keeps it as it is). GET and HEAD requests and
// Forms carrying an idempotent_id are retried on transient failures; other
// requests only when they provably did not reach the vendor.
func (c *Client) Call(ctx context.Context, method, path string, body any, out any) error {
	const op = "ekycid.Call"
	req := &transport.Request{Op: op, Method: strings.ToUpper(method), Path: path}
	if req.Method == "" {
		return c.tc.Invalid(op, "method", "required")
	}
	if req.Method == http.MethodGet || req.Method == http.MethodHead {
		req.Mode = transport.Idempotent
	}
	var err error
	switch b := body.(type) {
	case nil:
	case *Form:
		if req.Body, err = b.body(op, c); err != nil {
			return err
		}
		if b.idempotentID != "" {
			req.Mode = transport.Idempotent
		}
	case []byte:
		req.Body = transport.Bytes("application/json", b)
	case json.RawMessage:
		req.Body = transport.Bytes("application/json", b)
	default:
		if req.Body, err = transport.JSON(b); err != nil {
			return c.tc.Invalid(op, "body", "cannot be encoded as JSON")
		}
	}
	resp, err := c.tc.Do(ctx, req)
	if err != nil {
		return err
	}
	if err := c.check(op, resp); err != nil {
		return err
	}
	if out == nil || len(resp.Body) == 0 {
		return nil
	}
	return c.tc.DecodeJSON(op, resp, out)
}

// Submission is the vendor's answer to a v0 operation: the id of the reply
// to read with Reply or Wait, and the idempotent_id it was sent with.
type Submission struct {
	// ID is the vendor's request id; Reply and Wait take it.
	ID string
	// IdempotentID is the UUID the submission carried. Submitting the same
	// request again with it (the IdempotentID field of the request types)
	// cannot run the operation twice: the vendor answers the same ID.
	IdempotentID string
}

// submit sends one v0 operation. The form, and so its idempotent_id, is built
// once: every attempt the transport makes sends the same bytes.
func (c *Client) submit(ctx context.Context, op, path string, f *Form) (*Submission, error) {
	body, err := f.body(op, c)
	if err != nil {
		return nil, err
	}
	resp, err := c.tc.Do(ctx, &transport.Request{
		Op: op, Method: http.MethodPost, Path: path, Body: body,
		// The vendor deduplicates v0 submissions by idempotent_id (the
		// Node SDK sends a fresh one per request for this purpose, and the
		// vendor answers 409 to a reused id with other content). Every
		// attempt carries the same id, so a resend after a lost answer
		// returns the first submission's id instead of running (and
		// billing) the operation twice: that makes the call idempotent.
		Mode: transport.Idempotent,
	})
	if err != nil {
		return nil, err
	}
	if err := c.check(op, resp); err != nil {
		return nil, err
	}
	var out struct {
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		return nil, c.tc.BadResponse(op, resp, err)
	}
	id := scalarString(out.ID)
	if id == "" {
		return nil, c.tc.BadResponse(op, resp, nil)
	}
	return &Submission{ID: id, IdempotentID: f.idempotentID}, nil
}

// String describes the client without its credentials, tokens or keys, so
// that printing or logging a Client never leaks them.
func (c *Client) String() string { return "ekycid.Client" }

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }
