package incode

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
	"github.com/kyc-go/kyc/internal/webhook"
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

// MaxImageBytes is Incode's cap on an uploaded image ("Cannot exceed 10
// MB"), read as 10,000,000 bytes of image before base64 encoding: the
// stricter reading, since the docs say neither which megabyte nor whether
// the encoding counts. A larger image is refused before sending; an image
// of unknown size (kyc.ImageFromReader) is counted as it is sent and the
// request aborted past the cap, with ErrInvalidRequest naming the field.
const MaxImageBytes = 10 * 1000 * 1000

// Polling in Verify: the first wait between two onboarding-status reads,
// doubled up to MaxPollInterval, and the default overall bound of the
// polling (Config.PollTimeout). Incode's guide says the ID processing "can
// take up to a few seconds".
const (
	DefaultPollInterval = 500 * time.Millisecond
	MaxPollInterval     = 5 * time.Second
	DefaultPollTimeout  = 2 * time.Minute
)

// Config holds the credentials and settings of a Client.
//
// # Reading sessions back
//
// A Reference is "incode:<interviewId>" and carries no credential. Reading
// the session back (Result, ConfirmEvent) needs a token, which the client
// finds itself:
//
//   - the session's own token, kept in memory by the client that started
//     the session (at most SessionTokens of them, least recently used out);
//   - then the token kept in TokenStore, if set (your database: any process
//     that shares it reads any session back);
//   - then the executive token, if ExecutiveEmail and ExecutivePassword are
//     set: it reads every session of the account, in any process.
//
// Cross-process read-back (a webhook on replica B, Result on replica A)
// needs executive credentials or a shared TokenStore. Without either,
// Result works only in the process that ran Verify, until the token leaves
// its memory.
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

	// ExecutiveEmail and ExecutivePassword are the dashboard user the
	// client logs in as (POST /executive/log-in) to read any session back
	// with a 24 h executive token, cached and refreshed by the client. Both
	// or neither.
	ExecutiveEmail    string
	ExecutivePassword kyc.Secret
	// TokenStore, when set, keeps every session token the client receives
	// and gives it back to any process: see TokenStore.
	TokenStore TokenStore
	// SessionTokens bounds the session tokens kept in memory; zero means
	// DefaultSessionTokens, a negative value keeps none.
	SessionTokens int

	// WebhookToken is the bearer token Incode must present on webhooks, as
	// "Authorization: Bearer <token>": the access token your OAuth2
	// client-credentials endpoint issues to Incode
	// (https://docs.incode.com/docs/omni-api/api/web-hooks). It is one
	// fixed value: it verifies Incode's OAuth option when your endpoint
	// always issues that same token. Set it or WebhookHeaderName, not
	// both. With neither, every webhook is refused with 401, unless
	// AcceptUnauthenticatedWebhooks is set.
	WebhookToken kyc.Secret
	// WebhookHeaderName and WebhookHeaderValue are the static custom
	// header Incode's dashboard sends on every webhook
	// (https://developer.incode.com/docs/webhooks): the request must carry
	// exactly one field of that name whose value is WebhookHeaderValue,
	// byte for byte, compared in constant time. Both or neither. The name
	// must be an HTTP field name other than Authorization (use
	// WebhookToken for a bearer token), Proxy-Authorization, Cookie, or a
	// field net/http or a proxy handles itself; the value visible ASCII,
	// not blank, without leading or trailing spaces.
	WebhookHeaderName  string
	WebhookHeaderValue kyc.Secret
	// AcceptUnauthenticatedWebhooks accepts webhooks without any
	// credential when neither WebhookToken nor WebhookHeaderName is set.
	// Such an Event has
	// Authenticated false and never a final Status: confirm it with
	// ConfirmEvent (a read-back) before acting on it.
	AcceptUnauthenticatedWebhooks bool
	// WebhookReadTimeout bounds how long WebhookHandler reads one webhook
	// request, its body included, for authenticated and unauthenticated
	// webhooks alike: a client still sending after it is answered 408 and
	// its connection dropped. Zero means 5 s. ParseWebhook alone cannot
	// set it: a server calling it directly sets http.Server.ReadTimeout.
	WebhookReadTimeout time.Duration

	// Flow is how Verify verifies: kyc.FlowDirect (the default, also
	// when empty) sends the Request's images; kyc.FlowHostedLink returns a
	// link to Incode's hosted pages instead, where the person captures
	// everything (see the package doc's "Hosted link" section). A Router
	// holds one Verifier per provider: give it the Incode client of the
	// flow its routes need.
	Flow kyc.Flow
	// Language is the language of Incode's hosted pages, sent at the
	// session start of the hosted link, such as "en-US", "es-ES" or
	// "pt-BR"; empty leaves the flow's default. Letters, digits and '-',
	// at most kyc.MaxLanguageLength. Request.Link.Language, when set, takes
	// precedence for that request.
	Language string

	// PollInterval is the first wait between onboarding-status reads in
	// Verify; zero means DefaultPollInterval.
	PollInterval time.Duration
	// PollTimeout bounds Verify's polling of the onboarding status as a
	// whole; zero means DefaultPollTimeout. When it passes, Verify returns
	// StatusPending with the Reference, for Result later.
	PollTimeout time.Duration
}

// Client calls Incode's Omni API with one API key. It implements
// kyc.Verifier, kyc.WebhookReceiver and kyc.EventConfirmer; StartSession and
// ResumeSession give a Session with the per-session calls. It is safe for
// concurrent use.
type Client struct {
	base
	tc   *transport.Client
	cfg  Config
	kept *keeper
	exec execCache
}

// base is the shared core of every vendor client (Close, String,
// GoString), embedded through an alias so that only those are promoted.
type base = transport.Base

var (
	_ kyc.Verifier        = (*Client)(nil)
	_ kyc.WebhookReceiver = (*Client)(nil)
	_ kyc.EventConfirmer  = (*Client)(nil)
	_ kyc.WebhookReplier  = (*Client)(nil)
)

// New checks cfg and returns a Client. It never dials and never panics; a
// bad config or option is an ErrInvalidRequest naming the field.
func New(cfg Config, opts ...kyc.Option) (*Client, error) {
	if cfg.APIVersion == "" {
		cfg.APIVersion = DefaultAPIVersion
	}
	baseURL := map[string]string{"": DemoURL, EnvironmentDemo: DemoURL, EnvironmentProduction: ProductionURL}[cfg.Environment]
	if err := transport.CheckConfig(kyc.Incode).
		Secret("APIKey", cfg.APIKey).
		That(baseURL != "", "Environment", `"demo" or "production"`).
		Required("APIVersion", cfg.APIVersion).
		Text("ConfigurationID", cfg.ConfigurationID).
		That(len(cfg.ConfigurationID) <= 256, "ConfigurationID", "at most 256 characters").
		That((cfg.ExecutiveEmail == "") == cfg.ExecutivePassword.IsZero(), "ExecutivePassword", "ExecutiveEmail and ExecutivePassword go together").
		Text("ExecutiveEmail", cfg.ExecutiveEmail).
		That(cfg.ExecutiveEmail == "" || strings.Contains(cfg.ExecutiveEmail, "@"), "ExecutiveEmail", "an e-mail address").
		OptionalSecret("ExecutivePassword", cfg.ExecutivePassword).
		OptionalSecret("WebhookToken", cfg.WebhookToken).
		That((cfg.WebhookHeaderName == "") == cfg.WebhookHeaderValue.IsZero(), "WebhookHeaderValue", "WebhookHeaderName and WebhookHeaderValue go together").
		That(cfg.WebhookHeaderName == "" || webhook.HeaderNameProblem(cfg.WebhookHeaderName) == "", "WebhookHeaderName", webhook.HeaderNameProblem(cfg.WebhookHeaderName)).
		That(cfg.WebhookHeaderValue.IsZero() || webhook.HeaderValueProblem(cfg.WebhookHeaderValue) == "", "WebhookHeaderValue", webhook.HeaderValueProblem(cfg.WebhookHeaderValue)).
		That(cfg.WebhookHeaderName == "" || cfg.WebhookToken.IsZero(), "WebhookHeaderName", "set WebhookToken or WebhookHeaderName, not both: configure the credential your Incode webhook sends").
		That(cfg.WebhookReadTimeout >= 0, "WebhookReadTimeout", "negative").
		That(cfg.Flow == "" || cfg.Flow == kyc.FlowDirect || cfg.Flow == kyc.FlowHostedLink, "Flow", `kyc.FlowDirect or kyc.FlowHostedLink`).
		That(kyc.IsLanguageTag(cfg.Language), "Language", "a language tag such as en-US: letters, digits and '-', at most 35 characters").
		That(cfg.PollInterval >= 0, "PollInterval", "negative").
		That(cfg.PollTimeout >= 0, "PollTimeout", "negative").
		Err(); err != nil {
		return nil, err
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.PollTimeout == 0 {
		cfg.PollTimeout = DefaultPollTimeout
	}
	if cfg.SessionTokens == 0 {
		cfg.SessionTokens = DefaultSessionTokens
	}
	c := &Client{cfg: cfg}
	tc, err := transport.New(transport.Params{Provider: kyc.Incode, BaseURL: baseURL, Sign: c.sign,
		// The signers' headers: an Observer may not set them, not even on
		// a call without a session (the start, the executive log-in).
		CredentialHeaders: []string{"x-api-key", "api-version", "X-Incode-Hardware-Id"},
		Check:             c.check, Decode: c.decode, Encode: c.encode, ID: idForm}, opts)
	if err != nil {
		return nil, err
	}
	c.tc, c.base = tc, transport.NewBase(tc)
	c.kept = newKeeper(cfg.SessionTokens, tc.Now)
	return c, nil
}

// sign adds the account headers to every attempt. The session or
// executive token is added per request (hardwareID).
func (c *Client) sign(_ context.Context, h http.Header) error {
	h.Set("x-api-key", c.cfg.APIKey.Reveal())
	h.Set("api-version", c.cfg.APIVersion)
	return nil
}

// SessionInput is the input of a generic Call on a session-scoped path (one
// that needs X-Incode-Hardware-Id): the client sends the session's token,
// found as Result finds it (kept in memory, Config.TokenStore, or the
// executive token).
type SessionInput struct {
	// InterviewID is the session's id.
	InterviewID string
	// Query is sent as the query string (Incode's reads take ?id=).
	Query url.Values
	// Body, when not nil, is sent as JSON ([]byte and json.RawMessage as
	// they are).
	Body any
}

// sessionIn is a SessionInput whose token the client has found.
type sessionIn struct {
	SessionInput
	token kyc.Secret
}

// Call sends any operation of the Incode API that the typed methods do not
// cover, signed and checked like them. op.Path is the path template,
// relative to the base URL ("/omni/add/user-consent"), with ids as
// {placeholders} that params fill in order, escaped (a template holding an
// id is refused: ids never reach logs or the Observer); op.Method defaults
// to POST with an input and GET without. op.Class decides how it may be
// resent: its zero value, kyc.ClassBilled, is the safe default; say
// kyc.ClassFree for a read.
//
// in is nil, url.Values (the query), a value sent as JSON ([]byte and
// json.RawMessage as they are), or a SessionInput for a session-scoped
// path: the client then sends that session's token in
// X-Incode-Hardware-Id, finding it itself (Config's doc says how). out,
// when not nil, receives the decoded JSON answer.
func (c *Client) Call(ctx context.Context, op kyc.Operation, in, out any, params ...string) error {
	if si, ok := in.(SessionInput); ok {
		name := op.Name
		if name == "" {
			name = opCall
		}
		if idForm(si.InterviewID) != nil || strings.Contains(si.InterviewID, ".") {
			return c.tc.Invalid(name, "in.InterviewID", "an Incode interview id")
		}
		tok, _, err := c.sessionToken(ctx, name, si.InterviewID)
		if err != nil {
			return err
		}
		in = sessionIn{SessionInput: si, token: tok}
	}
	return c.tc.Generic(ctx, op, in, out, params...)
}

// encode builds a generic Call's request: a sessionIn carries its token,
// anything else is transport.EncodeDefault's.
func (c *Client) encode(op kyc.Operation, in any) (*transport.Request, error) {
	si, ok := in.(sessionIn)
	if !ok {
		return transport.EncodeDefault(op, in)
	}
	r, err := transport.EncodeDefault(op, si.Body)
	if err != nil {
		return nil, err
	}
	r.Query, r.Sign = si.Query, hardwareID(si.token)
	return r, nil
}

// call is one typed request on a session (or on none, for the start).
type call struct {
	op    kyc.Operation
	query url.Values
	body  transport.Body
	s     *Session
}

// send builds the request of a typed method from its operation, adds the
// session's token, and sends it through the one send path, c.tc.Call
// (send → check; fetch decodes). A request carrying the executive token
// has the renew hook renewExecutive.
func (c *Client) send(ctx context.Context, r call) (*transport.Response, error) {
	req := &transport.Request{Operation: r.op, Query: r.query, Body: r.body}
	if r.s != nil {
		tok, exec, err := r.s.token(ctx, r.op.Name)
		if err != nil {
			return nil, err
		}
		req.Sign = hardwareID(tok)
		if exec {
			req.Renew = c.renewExecutive(r.op.Name, req, tok)
		}
	}
	return c.tc.Call(ctx, req, nil)
}

// renewExecutive is the renew hook of a request carrying the executive
// token tok: when Incode refused it (401: refused unprocessed, whatever the
// class), it drops tok and logs in again, and the transport sends the
// request once more with the new token.
func (c *Client) renewExecutive(op string, req *transport.Request, tok kyc.Secret) transport.Renewer {
	return func(ctx context.Context, err error) bool {
		var kerr *kyc.Error
		if !errors.As(err, &kerr) || kerr.StatusCode != http.StatusUnauthorized {
			return false
		}
		c.exec.drop(tok)
		fresh, err := c.exec.token(ctx, c, op, false)
		if err != nil {
			return false
		}
		req.Sign = hardwareID(fresh)
		return true
	}
}

// decode unmarshals a checked answer, refusing an empty one.
func (c *Client) decode(op kyc.Operation, resp *transport.Response, out any) error {
	if len(bytes.TrimSpace(transport.StripBOM(resp.Body))) == 0 {
		return c.tc.BadResponse(op.Name, resp, nil)
	}
	return c.tc.DecodeJSON(op.Name, resp, out)
}

// MaxInterviewIDLength bounds an interview id. Incode's ids are 24
// hexadecimal characters (a MongoDB ObjectId in every sample and in
// Footprint's client: "interviewId: String. 24 characters"); the SDK
// accepts up to 64 letters, digits, '-' and '_' so that a dedicated host
// with another form still works.
const MaxInterviewIDLength = 64

// idForm is the vendor id of a Reference: an interview id, or the old
// "<interviewId>.<token>" form, which still parses (its token is used, never
// returned in a new Reference).
func idForm(id string) error {
	id, tok, legacy := strings.Cut(id, ".")
	if id == "" || len(id) > MaxInterviewIDLength {
		return errors.New("an interview id of 1 to 64 characters")
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return errors.New("an interview id of letters, digits, '-' and '_'")
		}
	}
	if legacy {
		return tokenForm(tok)
	}
	return nil
}

// ref parses a Reference: c.tc.Ref, plus the old form's token.
func (c *Client) ref(op, ref string) (id string, legacyToken kyc.Secret, err error) {
	v, err := c.tc.Ref(op, ref)
	if err != nil {
		return "", kyc.Secret{}, err
	}
	id, tok, legacy := strings.Cut(v, ".")
	if legacy {
		legacyToken = kyc.NewSecret(tok)
	}
	return id, legacyToken, nil
}

// reference is the storable Reference of an interview.
func reference(interviewID string) string { return kyc.NewReference(kyc.Incode, interviewID) }
