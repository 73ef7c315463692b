package incode

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// Base URLs of Incode's two public environments. Some customers have a
// dedicated host: pass it with kyc.WithBaseURL.
const (
	// DemoURL is the demo (sandbox) environment, used by every cURL sample
	// on developer.incode.com.
	DemoURL = "https://demo-api.incodesmile.com"
	// ProductionURL is the SaaS production environment. Incode's docs do
	// not show it; it is the host integrations label as production.
	ProductionURL = "https://saas-api.incodesmile.com"
)

// Environments for Config.Environment.
const (
	EnvironmentDemo       = "demo"
	EnvironmentProduction = "production"
)

// DefaultAPIVersion is the value of the mandatory api-version header.
const DefaultAPIVersion = "1.0"

// MaxImageBytes is Incode's cap on an uploaded image ("Cannot exceed 10 MB"),
// read here as 10 MiB of image bytes before base64 encoding (inferred: the
// docs do not say which). Larger images are refused before sending.
const MaxImageBytes = 10 << 20

// DefaultPollInterval is the first wait between two onboarding-status reads
// in Verify; each wait doubles up to MaxPollInterval.
const (
	DefaultPollInterval = 500 * time.Millisecond
	MaxPollInterval     = 5 * time.Second
)

// Config holds the credentials and settings of a Client.
type Config struct {
	// APIKey is the client-specific key sent as x-api-key on every call.
	APIKey kyc.Secret
	// ConfigurationID is the flow configured on Incode's dashboard, sent
	// by StartSession when its request names none. Empty uses the default
	// flow.
	ConfigurationID string
	// Environment is EnvironmentDemo (the default) or EnvironmentProduction.
	// kyc.WithBaseURL overrides the host it selects.
	Environment string
	// APIVersion is the api-version header; empty means DefaultAPIVersion.
	APIVersion string
	// WebhookToken, when set, is the bearer token Incode must present on
	// webhooks (the token your OAuth endpoint issued to Incode). When it is
	// empty, webhooks are accepted unauthenticated and Event.Authenticated
	// is false.
	WebhookToken kyc.Secret
	// PollInterval is the first wait between onboarding-status reads in
	// Verify; zero means DefaultPollInterval.
	PollInterval time.Duration
}

// Client calls Incode's Omni API with one API key. It implements
// kyc.Verifier and kyc.WebhookReceiver; StartSession and ResumeSession give a
// Session with the per-session calls. It is safe for concurrent use.
type Client struct {
	tc  *transport.Client
	cfg Config
}

var (
	_ kyc.Verifier        = (*Client)(nil)
	_ kyc.WebhookReceiver = (*Client)(nil)
)

// New checks cfg and returns a Client. It never dials and never panics; a
// bad config or option is an ErrInvalidRequest naming the field.
func New(cfg Config, opts ...kyc.Option) (*Client, error) {
	const op = "incode.New"
	bad := func(field, msg string) error {
		return &kyc.Error{Provider: kyc.Incode, Op: op, Kind: kyc.ErrInvalidRequest, Field: field, Message: msg}
	}
	if cfg.APIKey.IsZero() {
		return nil, bad("APIKey", "required")
	}
	if !headerSafe(cfg.APIKey.Reveal()) {
		return nil, bad("APIKey", "contains characters not allowed in a header")
	}
	var base string
	switch cfg.Environment {
	case "", EnvironmentDemo:
		base = DemoURL
	case EnvironmentProduction:
		base = ProductionURL
	default:
		return nil, bad("Environment", `"demo" or "production"`)
	}
	if cfg.APIVersion == "" {
		cfg.APIVersion = DefaultAPIVersion
	}
	if !headerSafe(cfg.APIVersion) {
		return nil, bad("APIVersion", "contains characters not allowed in a header")
	}
	if !textSafe(cfg.ConfigurationID, 256) {
		return nil, bad("ConfigurationID", "too long or contains control characters")
	}
	if cfg.PollInterval < 0 {
		return nil, bad("PollInterval", "negative")
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	c := &Client{cfg: cfg}
	tc, err := transport.New(transport.Params{Provider: kyc.Incode, BaseURL: base, Sign: c.sign}, opts)
	if err != nil {
		return nil, err
	}
	c.tc = tc
	return c, nil
}

// sign adds the account headers to every attempt. The session token is
// added per request (Session.sign).
func (c *Client) sign(_ context.Context, h http.Header) error {
	h.Set("x-api-key", c.cfg.APIKey.Reveal())
	h.Set("api-version", c.cfg.APIVersion)
	return nil
}

// Close releases idle connections. The client stays usable.
func (c *Client) Close() error {
	c.tc.Close()
	return nil
}

// Call sends any Omni path with the account headers, and with the session
// token in X-Incode-Hardware-Id when token is not zero, for endpoints the
// typed API lacks. path may carry a query ("omni/get/score?verbose=true").
// body is nil (no body), a json.RawMessage or []byte sent as it is, or a
// value marshalled to JSON. out, when not nil, receives the decoded body.
// Errors are mapped as the typed methods map them. GET calls are retried
// like reads; other methods are never resent once they may have reached
// Incode.
func (c *Client) Call(ctx context.Context, method, path string, token kyc.Secret, body, out any) error {
	const op = "incode.Call"
	u, err := url.Parse(path)
	if err != nil || u.IsAbs() || u.Host != "" {
		return c.tc.Invalid(op, "path", "a path relative to the base URL")
	}
	r := call{op: op, method: strings.ToUpper(method), path: u.Path, query: u.Query(), token: token}
	if r.method == http.MethodGet {
		r.mode = transport.Idempotent
	}
	switch b := body.(type) {
	case nil:
	case json.RawMessage:
		r.body = transport.Bytes("application/json", b)
	case []byte:
		r.body = transport.Bytes("application/json", b)
	default:
		if r.body, err = transport.JSON(b); err != nil {
			return c.tc.Invalid(op, "body", "cannot be encoded as JSON")
		}
	}
	resp, err := c.send(ctx, r)
	if err != nil {
		return err
	}
	if out == nil || len(bytes.TrimSpace(resp.Body)) == 0 {
		return nil
	}
	return c.tc.DecodeJSON(op, resp, out)
}

// call is one request to Incode.
type call struct {
	op     string
	method string
	path   string
	query  url.Values
	body   transport.Body
	mode   transport.Mode
	token  kyc.Secret
}

// send performs r and returns the response only when it is not an error:
// Incode's error body is looked for first, whatever the HTTP status.
func (c *Client) send(ctx context.Context, r call) (*transport.Response, error) {
	req := &transport.Request{Op: r.op, Method: r.method, Path: r.path, Query: r.query, Body: r.body, Mode: r.mode}
	if !r.token.IsZero() {
		tok := r.token
		req.Sign = func(_ context.Context, h http.Header) error {
			h.Set("X-Incode-Hardware-Id", tok.Reveal())
			return nil
		}
	}
	resp, err := c.tc.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	if err := c.checkError(r.op, resp); err != nil {
		return nil, err
	}
	return resp, nil
}

// decode unmarshals a successful body, refusing an empty one.
func (c *Client) decode(op string, resp *transport.Response, v any) error {
	if len(bytes.TrimSpace(resp.Body)) == 0 {
		return c.tc.BadResponse(op, resp, nil)
	}
	return c.tc.DecodeJSON(op, resp, v)
}

func headerSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return false
		}
	}
	return true
}

func textSafe(s string, limit int) bool {
	return len(s) <= limit && headerSafe(s)
}

// String describes the client without its credentials, tokens or keys, so
// that printing or logging a Client never leaks them.
func (c *Client) String() string { return "incode.Client" }

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }
