package advanceai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/kyc-go/kyc"
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

// Operation names, as kyc.Error.Op spells them.
const (
	opNew           = "advanceai.New"
	opGenerateToken = "advanceai.GenerateToken"
	opToken         = "advanceai.Token"
	opGenerateURL   = "advanceai.GenerateURL"
	opGetResult     = "advanceai.GetResult"
	opCall          = "advanceai.Call"
	opVerify        = "advanceai.Verify"
	opResult        = "advanceai.Result"
)

// maxSignatureID bounds a signatureId before it is sent; the vendor's ids are
// 16 hex digits and its transaction ids at most 64 characters.
const maxSignatureID = 64

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

// Client talks to ADVANCE.AI. It implements kyc.Verifier and exposes the
// vendor's operations as typed methods. It is safe for concurrent use; one
// Client shares one cached access token among all its calls.
type Client struct {
	accessKey string
	secretKey kyc.Secret
	ttl       time.Duration
	tc        *transport.Client
	tokens    tokenCache
}

var _ kyc.Verifier = (*Client)(nil)

// New checks cfg and the options and returns a Client. It sends nothing: the
// first call fetches the access token. It refuses an empty AccessKey or
// SecretKey and a TokenTTL outside 60s..86400s with ErrInvalidRequest naming
// the field.
func New(cfg Config, opts ...kyc.Option) (*Client, error) {
	invalid := func(field, msg string) error {
		return &kyc.Error{Provider: kyc.AdvanceAI, Op: opNew, Kind: kyc.ErrInvalidRequest, Field: field, Message: msg}
	}
	switch {
	case strings.TrimSpace(cfg.AccessKey) == "":
		return nil, invalid("AccessKey", "required")
	case strings.ContainsFunc(cfg.AccessKey, unicode.IsControl):
		return nil, invalid("AccessKey", "contains control characters")
	case cfg.SecretKey.IsZero():
		return nil, invalid("SecretKey", "required")
	}
	ttl := cfg.TokenTTL
	if ttl == 0 {
		ttl = DefaultTokenTTL
	}
	if ttl < MinTokenTTL || ttl > MaxTokenTTL {
		return nil, invalid("TokenTTL", "must be between 60s and 86400s")
	}
	if ttl%time.Second != 0 {
		return nil, invalid("TokenTTL", "must be whole seconds")
	}
	tc, err := transport.New(transport.Params{Provider: kyc.AdvanceAI, BaseURL: DefaultBaseURL}, opts)
	if err != nil {
		return nil, err
	}
	return &Client{accessKey: cfg.AccessKey, secretKey: cfg.SecretKey, ttl: ttl, tc: tc}, nil
}

// Close releases idle connections. The client stays usable.
func (c *Client) Close() error {
	c.tc.Close()
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

// GenerateURLResponse is the answer of Generate URL.
type GenerateURLResponse struct {
	Meta
	// SignatureID reads the result back with GetResult.
	SignatureID string
	// URL is the H5 page for the person; the vendor says it is valid for
	// 3600 seconds.
	URL string
	// ExpiredTime is the link's expiry in epoch milliseconds, as sent;
	// ExpiresAt is the same instant.
	ExpiredTime int64
	ExpiresAt   time.Time
	// Raw is the whole response body.
	Raw json.RawMessage
}

// GenerateURL creates an H5 IDV link (POST generate-url). It may create a
// billable verification, so it is sent again only when the vendor provably
// did not process it.
//
// https://doc.advance.ai (H5 Document Verification, Generate URL API)
func (c *Client) GenerateURL(ctx context.Context, req GenerateURLRequest) (*GenerateURLResponse, error) {
	if err := c.checkGenerateURL(&req); err != nil {
		return nil, err
	}
	body := struct {
		ReturnURL     string `json:"returnUrl"`
		FailReturnURL string `json:"failReturnUrl,omitempty"`
		UserID        string `json:"userId,omitempty"`
		Region        string `json:"region"`
	}{req.ReturnURL, req.FailReturnURL, req.UserID, req.Region}
	resp, env, err := c.call(ctx, opGenerateURL, http.MethodPost, PathGenerateURL, transport.Unsafe, body)
	if err != nil {
		return nil, err
	}
	var data struct {
		SignatureID string          `json:"signatureId"`
		URL         string          `json:"url"`
		ExpiredTime json.RawMessage `json:"expiredTime"`
	}
	if err := decodeData(env.Data, &data); err != nil {
		return nil, c.tc.BadResponse(opGenerateURL, resp, err)
	}
	if data.SignatureID == "" || data.URL == "" {
		return nil, c.tc.BadResponse(opGenerateURL, resp, errors.New("no signatureId or url in a SUCCESS answer"))
	}
	ms := epochMillis(data.ExpiredTime)
	out := &GenerateURLResponse{Meta: env.meta(), SignatureID: data.SignatureID, URL: data.URL, ExpiredTime: ms, Raw: resp.Body}
	if ms > 0 {
		out.ExpiresAt = time.UnixMilli(ms).UTC()
	}
	return out, nil
}

func (c *Client) checkGenerateURL(req *GenerateURLRequest) error {
	if req.ReturnURL == "" {
		return c.tc.Invalid(opGenerateURL, "ReturnURL", "required")
	}
	for _, u := range []struct{ field, value string }{{"ReturnURL", req.ReturnURL}, {"FailReturnURL", req.FailReturnURL}} {
		if u.value == "" {
			continue
		}
		if len(u.value) > kyc.MaxURLLength {
			return c.tc.Invalid(opGenerateURL, u.field, "too long")
		}
		p, err := url.Parse(u.value)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return c.tc.Invalid(opGenerateURL, u.field, "an absolute http(s) URL")
		}
	}
	if req.Region == "" {
		req.Region = RegionIndonesia
	}
	if !slices.Contains(SupportedRegions(), req.Region) {
		return c.tc.Invalid(opGenerateURL, "Region", "not supported (supported: "+strings.Join(SupportedRegions(), ", ")+")")
	}
	if len(req.UserID) > kyc.MaxIDLength || strings.ContainsFunc(req.UserID, unicode.IsControl) {
		return c.tc.Invalid(opGenerateURL, "UserID", "at most 128 characters, no control characters")
	}
	return nil
}

// GetResult reads the outcome of an H5 IDV verification (POST get-result).
// Before the person has finished, the vendor's answer carries no idvCode;
// Result.Finished reports false (this shape is inferred, see the package
// documentation). The image links in the answer expire after a day; call
// again for fresh ones.
//
// https://doc.advance.ai (H5 Document Verification, Get Result API)
func (c *Client) GetResult(ctx context.Context, signatureID string) (*Result, error) {
	if signatureID == "" || len(signatureID) > maxSignatureID || strings.ContainsFunc(signatureID, unicode.IsControl) {
		return nil, c.tc.Invalid(opGetResult, "signatureID", "required, at most 64 characters")
	}
	body := struct {
		SignatureID string `json:"signatureId"`
	}{signatureID}
	resp, env, err := c.call(ctx, opGetResult, http.MethodPost, PathGetResult, transport.Idempotent, body)
	if err != nil {
		return nil, err
	}
	r, err := decodeResult(env)
	if err != nil {
		return nil, c.tc.BadResponse(opGetResult, resp, err)
	}
	r.Raw = resp.Body
	return r, nil
}

// Call sends a request to any ADVANCE.AI path with the access token, and
// maps the answer's envelope exactly as the typed methods do: it returns the
// envelope's Meta and decodes its data into out (when out is not nil and the
// data is not null). body
// is marshalled to JSON; nil sends no body. Calls through Call may charge, so
// they are retried only when the vendor provably did not process them.
func (c *Client) Call(ctx context.Context, method, path string, body, out any) (*Meta, error) {
	if method == "" {
		method = http.MethodPost
	}
	if path == "" || strings.Contains(path, "://") {
		return nil, c.tc.Invalid(opCall, "path", "a path relative to the base URL")
	}
	resp, env, err := c.call(ctx, opCall, method, path, transport.Unsafe, body)
	if err != nil {
		return nil, err
	}
	if d := bytes.TrimSpace(env.Data); out != nil && len(d) > 0 && string(d) != "null" {
		if err := json.Unmarshal(d, out); err != nil {
			return nil, c.tc.BadResponse(opCall, resp, err)
		}
	}
	m := env.meta()
	return &m, nil
}

// call sends one business request with the access token and classifies the
// answer. When the answer is an authentication failure for the token it
// sent, it drops that token, fetches a new one and sends the request once
// more: the vendor refused the first at the gate, so it was not processed.
func (c *Client) call(ctx context.Context, op, method, path string, mode transport.Mode, body any) (*transport.Response, *envelope, error) {
	var b transport.Body
	if body != nil {
		var err error
		if b, err = transport.JSON(body); err != nil {
			return nil, nil, &kyc.Error{Provider: kyc.AdvanceAI, Op: op, Kind: kyc.ErrInvalidRequest, Message: "the request body cannot be encoded as JSON", Err: err}
		}
	}
	for try := 1; ; try++ {
		var used string
		req := &transport.Request{Op: op, Method: method, Path: path, Body: b, Mode: mode,
			// The token is read from the cache (or refreshed) on every
			// attempt; a failure ends the call, before it was sent.
			Sign: func(ctx context.Context, h http.Header) error {
				tok, err := c.token(ctx, op)
				if err != nil {
					return notSent(err)
				}
				used = tok
				h.Set(HeaderAccessToken, tok)
				return nil
			}}
		resp, err := c.tc.Do(ctx, req)
		if err != nil {
			return nil, nil, err
		}
		env, err := c.check(op, resp)
		if err != nil && try == 1 && used != "" && isAuthFailure(resp, env) {
			c.tokens.drop(used)
			continue
		}
		return resp, env, err
	}
}

// check decodes the envelope before trusting the HTTP status: the vendor
// reports most failures in code, often inside an HTTP 200.
func (c *Client) check(op string, resp *transport.Response) (*envelope, error) {
	env, derr := decodeEnvelope(resp.Body)
	if derr != nil || env.Code == "" {
		if resp.StatusCode >= 400 {
			e := c.tc.APIError(op, resp, nil, "", "")
			e.Err = derr
			return env, e
		}
		if derr == nil {
			derr = errors.New("the answer has no code")
		}
		return nil, c.tc.BadResponse(op, resp, derr)
	}
	if env.Code == CodeSuccess && resp.StatusCode < 300 {
		return env, nil
	}
	code, msg := string(env.Code), string(env.Message)
	e := c.tc.APIError(op, resp, kindFor(code, msg, resp.StatusCode), code, msg)
	if env.TransactionID != "" {
		e.RequestID = string(env.TransactionID)
	}
	return env, e
}

// isAuthFailure reports an answer refusing the access token: HTTP 401, or
// code IAM_FAILED (public material; unconfirmed by the vendor's docs).
func isAuthFailure(resp *transport.Response, env *envelope) bool {
	return resp.StatusCode == http.StatusUnauthorized || (env != nil && env.Code == CodeIAMFailed)
}

// notSent marks a token failure as raised before the business call was
// sent: no link was created, so a Router may try another provider.
func notSent(err error) error {
	var kerr *kyc.Error
	if errors.As(err, &kerr) && kerr.Sent {
		e := *kerr
		e.Sent = false
		return &e
	}
	return err
}

// String describes the client without its credentials, tokens or keys, so
// that printing or logging a Client never leaks them.
func (c *Client) String() string { return "advanceai.Client" }

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }
