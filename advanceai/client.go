package advanceai

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/flight"
	"github.com/kyc-go/kyc/internal/tolerant"
	"github.com/kyc-go/kyc/internal/transport"
)

// DefaultBaseURL is ADVANCE.AI's API host. The vendor also runs regional
// hosts (sg-api.advance.ai and others); pass one with kyc.WithBaseURL.
const DefaultBaseURL = "https://api.advance.ai"

// The API paths, relative to the base URL, as the vendor documents them.
const (
	PathGenerateToken = "/openapi/auth/ticket/v1/generate-token"
	PathGenerateURL   = "/intl/openapi/face-identity/h5-idv/v1/generate-url"
	PathGetResult     = "/intl/openapi/face-identity/h5-idv/v1/get-result"
)

// HeaderAccessToken is the header that carries the access token on every
// business call.
const HeaderAccessToken = "X-ACCESS-TOKEN"

// Token lifetimes the vendor accepts as periodSecond; DefaultTokenTTL is the
// vendor's own default.
const (
	MinTokenTTL     = 60 * time.Second
	MaxTokenTTL     = 86400 * time.Second
	DefaultTokenTTL = 3600 * time.Second
)

// RegionIndonesia is the only region H5 IDV supports (ISO 3166-1 alpha-3).
const RegionIndonesia = "IDN"

// SupportedRegions returns the regions GenerateURL accepts, per the vendor's
// documentation.
func SupportedRegions() []string { return []string{RegionIndonesia} }

// Config holds the account credentials, from the Websaas platform (Account →
// Account Management).
type Config struct {
	// AccessKey identifies the account.
	AccessKey string
	// SecretKey signs token requests; it is never sent itself.
	SecretKey kyc.Secret
	// TokenTTL is the access token lifetime asked for (periodSecond):
	// 60s to 86400s, whole seconds; zero means DefaultTokenTTL.
	TokenTTL time.Duration
}

// base gives Client its Close, String and GoString, and nothing else.
type base = transport.Base

// Client talks to ADVANCE.AI. It implements kyc.Verifier and exposes the
// vendor's operations as typed methods. It is safe for concurrent use; one
// Client shares one cached access token among all its calls. Printing it
// shows no credential.
type Client struct {
	base
	tc     *transport.Client
	cfg    Config
	tokens flight.Cache[string] // the access token and the one fetch in flight
}

var _ kyc.Verifier = (*Client)(nil)

// New checks cfg and the options and returns a Client. It sends nothing: the
// first call fetches the access token. It refuses an empty AccessKey or
// SecretKey and a TokenTTL outside 60s..86400s with ErrInvalidRequest naming
// the field.
func New(cfg Config, opts ...kyc.Option) (*Client, error) {
	cfg.TokenTTL = cmp.Or(cfg.TokenTTL, DefaultTokenTTL)
	if err := transport.CheckConfig(kyc.AdvanceAI).
		Required("AccessKey", cfg.AccessKey).
		Secret("SecretKey", cfg.SecretKey).
		That(cfg.TokenTTL >= MinTokenTTL && cfg.TokenTTL <= MaxTokenTTL, "TokenTTL", "must be between 60s and 86400s").
		That(cfg.TokenTTL%time.Second == 0, "TokenTTL", "must be whole seconds").
		Err(); err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg}
	// No client-wide Signer: the token exchange carries no token, so each
	// business request signs itself (send, encode).
	tc, err := transport.New(transport.Params{
		Provider: kyc.AdvanceAI,
		BaseURL:  DefaultBaseURL,
		// The business calls' signer sets it; an Observer may not, not even
		// on the token exchange, which carries none.
		CredentialHeaders: []string{HeaderAccessToken},
		Check:             c.check,
		Decode:            c.decode,
		Encode:            c.encode,
		ID:                idForm,
	}, opts)
	if err != nil {
		return nil, err
	}
	c.base, c.tc = transport.NewBase(tc), tc
	return c, nil
}

// Call sends any operation of the ADVANCE.AI API that the typed methods do
// not cover, with the access token, and checked like them. op.Path is the
// path template, relative to the base URL ("/intl/openapi/..."), with ids
// as {placeholders} that params fill in order, escaped (a template holding
// an id is refused: ids never reach logs or the Observer); op.Method
// defaults to POST with an input and GET without, op.Name to
// "advanceai.Call". op.Class decides how it may be resent: its zero value,
// kyc.ClassBilled, is the safe default; pass kyc.ClassFree for a read.
//
// in is the request: nil sends no body, a url.Values goes into the query,
// a []byte or json.RawMessage is sent as JSON as it is, and anything else
// is marshalled as JSON. out, when not nil, receives the envelope's data (a
// *json.RawMessage keeps it as sent; null data leaves out as it is), or the
// whole envelope, Meta included, when out is an *Envelope.
//
// An answer whose envelope code is not SUCCESS, or an HTTP error, is a
// *kyc.Error: the vendor's code in Code, its transactionId in RequestID,
// the kind mapped as for the typed methods. An answer refusing the access
// token (HTTP 401 or IAM_FAILED) replaces the token and repeats the call
// once, as for the typed methods.
//
// It replaces Call(ctx, method, path, body, out) (*Meta, error): put the
// method and path in op, and pass an *Envelope as out for what Meta held.
func (c *Client) Call(ctx context.Context, op kyc.Operation, in, out any, params ...string) error {
	if op.Name == "" {
		op.Name = string(kyc.AdvanceAI) + ".Call"
	}
	return c.tc.Generic(ctx, op, in, out, params...)
}

// encode is Call's Encoder: the transport's default, with the access
// token (authorize).
func (c *Client) encode(op kyc.Operation, in any) (*transport.Request, error) {
	r, err := transport.EncodeDefault(op, in)
	if err != nil {
		return nil, err
	}
	c.authorize(r)
	return r, nil
}

// send builds the request of one operation, body as JSON, and sends it
// through the one send path (c.tc.Call: send, check, decode into out).
// Every operation but the token exchange carries the access token
// (authorize), and is repeated once with a new token when the vendor
// refuses the one it carried.
func (c *Client) send(ctx context.Context, op kyc.Operation, body, out any) (*transport.Response, error) {
	b, err := transport.JSON(body)
	if err != nil {
		return nil, c.tc.Invalid(op.Name, "body", "cannot be encoded as JSON")
	}
	r := &transport.Request{Operation: op, Body: b}
	if op.Name != opGenerateToken.Name {
		c.authorize(r)
	}
	return c.tc.Call(ctx, r, out)
}

// check is the answer check (Params.Check). It decodes the envelope before
// trusting the HTTP status: the vendor reports most failures in code,
// often inside an HTTP 200.
func (c *Client) check(op kyc.Operation, resp *transport.Response) error {
	env, derr := decodeEnvelope(resp.Body)
	if derr != nil || env.Code == "" {
		if resp.StatusCode >= 400 {
			e := c.apiError(op, resp, env)
			e.Err = derr
			return e
		}
		if derr == nil {
			derr = errors.New("the answer has no code")
		}
		return c.tc.BadResponse(op.Name, resp, derr)
	}
	if env.Code == CodeSuccess && resp.StatusCode < 300 {
		return nil
	}
	return c.apiError(op, resp, env)
}

// apiError is the error builder: the *kyc.Error of an answer that is not a
// success, with the envelope's code and transactionId when there is one.
// A refused access token (HTTP 401, IAM_FAILED) was refused at the gate:
// the vendor processed nothing.
func (c *Client) apiError(op kyc.Operation, resp *transport.Response, env *Envelope) *kyc.Error {
	var code, msg string
	if env != nil {
		code, msg = env.Code, env.Message
	}
	e := c.tc.APIError(op.Name, resp, kindFor(code, msg, resp.StatusCode), code, msg)
	if env != nil && env.TransactionID != "" {
		e.RequestID = env.TransactionID
	}
	if isAuthFailure(e) && (resp.Attempts <= 1 || !op.Resendable()) {
		// Earlier attempts of a billed or messaging call were resent only
		// because they were refused unprocessed.
		e.Unprocessed = true
	}
	return e
}

// badResponse is the ErrBadResponse of a checked answer whose data cannot
// be used, with the envelope's transactionId for the vendor's support.
func (c *Client) badResponse(op kyc.Operation, resp *transport.Response, m Meta, cause error) *kyc.Error {
	e := c.tc.BadResponse(op.Name, resp, cause)
	if m.TransactionID != "" {
		e.RequestID = m.TransactionID
	}
	return e
}

// decode is the decoder (Params.Decode): it unwraps the envelope and
// decodes its data into out, or gives out the whole envelope when out is an
// *Envelope. Null data leaves out as it is.
func (c *Client) decode(op kyc.Operation, resp *transport.Response, out any) error {
	env, err := decodeEnvelope(resp.Body)
	if err != nil {
		return c.tc.BadResponse(op.Name, resp, err)
	}
	if e, ok := out.(*Envelope); ok {
		*e = *env
		return nil
	}
	if isNull(env.Data) {
		return nil
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return c.tc.BadResponse(op.Name, resp, err)
	}
	return nil
}

// GenerateURLRequest is the body of Generate URL.
type GenerateURLRequest struct {
	// ReturnURL is where the H5 page sends the person after a successful
	// capture. Required: an absolute http(s) URL.
	ReturnURL string
	// FailReturnURL is where the page sends the person when no OCR result
	// could be obtained. Optional.
	FailReturnURL string
	// Region is the ISO alpha-3 region; empty means RegionIndonesia, the only
	// one supported.
	Region string
	// UserID identifies the person in your system (the vendor's userId).
	// Optional; it should not itself be personal data.
	UserID string
}

// GenerateURLResult is the answer of Generate URL.
type GenerateURLResult struct {
	Meta
	// SignatureID reads the result back with GetResult.
	SignatureID string
	// URL is the H5 page for the person; the vendor says it is valid for
	// 3600 seconds. Whoever holds it can capture a card in the person's
	// verification: hand it to the person only.
	URL string
	// ExpiredTime is the link's expiry in epoch milliseconds, as sent;
	// ExpiresAt is the same instant.
	ExpiredTime int64
	ExpiresAt   time.Time
	// Raw is the whole response body, the link included; store it as you
	// would the link.
	Raw json.RawMessage
}

// GenerateURL creates an H5 IDV link. It starts a verification the account
// may pay for, so it is sent again only when the vendor provably did not
// process it (never written, or refused with 429, 503 or a refused access
// token). Once the vendor answered SUCCESS with a signatureId, every error
// it returns carries the verification's Reference in kyc.Error.Reference.
//
//	POST /intl/openapi/face-identity/h5-idv/v1/generate-url (billed) — https://doc.advance.ai, Back-end Integration, "Generate URL API"
func (c *Client) GenerateURL(ctx context.Context, req GenerateURLRequest) (*GenerateURLResult, error) {
	if err := c.checkGenerateURL(&req); err != nil {
		return nil, err
	}
	body := struct {
		ReturnURL     string `json:"returnUrl"`
		FailReturnURL string `json:"failReturnUrl,omitempty"`
		UserID        string `json:"userId,omitempty"`
		Region        string `json:"region"`
	}{req.ReturnURL, req.FailReturnURL, req.UserID, req.Region}
	var env Envelope
	resp, err := c.send(ctx, opGenerateURL, body, &env)
	if err != nil {
		return nil, err
	}
	var data struct {
		SignatureID tolerant.String `json:"signatureId"`
		URL         tolerant.String `json:"url"`
		ExpiredTime json.RawMessage `json:"expiredTime"`
	}
	if err := decodeData(env.Data, &data); err != nil {
		return nil, c.badResponse(opGenerateURL, resp, env.Meta, err)
	}
	id, link := string(data.SignatureID), string(data.URL)
	if err := idForm(id); err != nil {
		return nil, c.badResponse(opGenerateURL, resp, env.Meta, fmt.Errorf("the signatureId of a SUCCESS answer is %w", err))
	}
	if link == "" || !transport.SafeText(link) || !strings.HasPrefix(link, "http") {
		// The verification exists, but its link cannot be handed out.
		e := c.badResponse(opGenerateURL, resp, env.Meta, errors.New("no usable url in a SUCCESS answer"))
		return nil, c.tc.WithReference(opGenerateURL.Name, e, kyc.NewReference(kyc.AdvanceAI, id))
	}
	ms := epochMillis(data.ExpiredTime)
	out := &GenerateURLResult{Meta: env.Meta, SignatureID: id, URL: link, ExpiredTime: ms, Raw: resp.Body}
	if ms > 0 {
		out.ExpiresAt = time.UnixMilli(ms).UTC()
	}
	return out, nil
}

// checkGenerateURL checks a request before it is sent. The URL and text
// rules are the root package's (kyc.Request.Validate), under this
// request's field names.
func (c *Client) checkGenerateURL(req *GenerateURLRequest) error {
	op := opGenerateURL.Name
	if req.ReturnURL == "" {
		return c.tc.Invalid(op, "ReturnURL", "required")
	}
	probe := kyc.Request{ID: req.UserID, Link: kyc.LinkOptions{ReturnURL: req.ReturnURL, FailReturnURL: req.FailReturnURL}}
	if err := c.asInvalid(op, probe.Validate(), map[string]string{
		"ID": "UserID", string(kyc.FieldReturnURL): "ReturnURL", "Link.FailReturnURL": "FailReturnURL",
	}); err != nil {
		return err
	}
	if !transport.SafeText(req.UserID) {
		return c.tc.Invalid(op, "UserID", "must not contain control characters")
	}
	if req.Region == "" {
		req.Region = RegionIndonesia
	}
	if !slices.Contains(SupportedRegions(), req.Region) {
		return c.tc.Invalid(op, "Region", "not supported (supported: "+strings.Join(SupportedRegions(), ", ")+")")
	}
	return nil
}

// asInvalid turns a validation error of the root package into this client's
// ErrInvalidRequest for op, raised before sending, with its field renamed
// by fields when listed.
func (c *Client) asInvalid(op string, err error, fields map[string]string) error {
	var kerr *kyc.Error
	if !errors.As(err, &kerr) {
		return err
	}
	field := string(kerr.Field)
	if f, ok := fields[field]; ok {
		field = f
	}
	return c.tc.Invalid(op, field, kerr.Message)
}

// GetResult reads the outcome of an H5 IDV verification. Before the person
// has finished, the vendor's answer carries no idvCode; Finished reports
// false (this shape is inferred, see the package documentation). The image
// links in the answer are signed URLs that expire after a day; call again
// for fresh ones. signatureID is checked (1 to 64 letters, digits, '-' or
// '_') before anything is sent.
//
//	POST /intl/openapi/face-identity/h5-idv/v1/get-result (free) — https://doc.advance.ai, Back-end Integration, "Get Result API"
func (c *Client) GetResult(ctx context.Context, signatureID string) (*VerificationResult, error) {
	if err := idForm(signatureID); err != nil {
		return nil, c.tc.Invalid(opGetResult.Name, "signatureID", "a signatureId: "+err.Error())
	}
	body := struct {
		SignatureID string `json:"signatureId"`
	}{signatureID}
	var env Envelope
	resp, err := c.send(ctx, opGetResult, body, &env)
	if err != nil {
		return nil, err
	}
	r, err := decodeResult(env)
	if err != nil {
		return nil, c.badResponse(opGetResult, resp, env.Meta, err)
	}
	r.Raw = resp.Body
	return r, nil
}

// isAuthFailure reports an error refusing the access token: HTTP 401, or
// code IAM_FAILED (public material; unconfirmed by the vendor's docs).
func isAuthFailure(err error) bool {
	var kerr *kyc.Error
	return errors.As(err, &kerr) && (kerr.StatusCode == http.StatusUnauthorized || kerr.Code == CodeIAMFailed)
}
