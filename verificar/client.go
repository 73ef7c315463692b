package verificar

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
	"github.com/kyc-go/kyc/internal/transport"
)

// DefaultBaseURL is where the client sends requests unless kyc.WithBaseURL
// says otherwise. The vendor's documentation names no host: this is the
// base of Mensatek's other v7 functions, inferred to serve this API too.
const DefaultBaseURL = "https://api.mensatek.com/v7"

// Paths of the documented functions, relative to the base URL.
const (
	PathSend        = "/VerificarIdentidad"
	PathCertificate = "/GetCertificadoIdentidad"
	PathCredits     = "/GetCreditos"
)

// Config holds the account's credentials.
type Config struct {
	// APIUser is the API User from "Your Data → Configure Account".
	APIUser string
	// APIToken is the API Token from the same page.
	APIToken kyc.Secret
	// WebhookUser, when set, makes ParseWebhook require Basic auth with this
	// user and WebhookPassword, as configured for report reception in the
	// Mensatek panel. Empty accepts unauthenticated webhooks (marked
	// Event.Authenticated = false).
	WebhookUser string
	// WebhookPassword is the Basic auth password of the webhooks.
	WebhookPassword kyc.Secret
}

// Client talks to Mensatek's identity-verification API. It is safe for
// concurrent use. It implements kyc.Verifier and kyc.WebhookReceiver.
type Client struct {
	cfg Config
	tc  *transport.Client
}

var (
	_ kyc.Verifier        = (*Client)(nil)
	_ kyc.WebhookReceiver = (*Client)(nil)
)

// New checks cfg and returns a client. Options are the common kyc options
// (kyc.WithBaseURL, kyc.WithHTTPClient, kyc.WithTimeout, ...). It never
// dials.
func New(cfg Config, opts ...kyc.Option) (*Client, error) {
	const op = "verificar.New"
	invalid := func(field, msg string) error {
		return &kyc.Error{Provider: kyc.Verificar, Op: op, Kind: kyc.ErrInvalidRequest, Field: field, Message: msg}
	}
	switch {
	case strings.TrimSpace(cfg.APIUser) == "":
		return nil, invalid("APIUser", "required")
	case strings.ContainsRune(cfg.APIUser, ':'):
		return nil, invalid("APIUser", "must not contain ':' (Basic auth)")
	case cfg.APIToken.IsZero():
		return nil, invalid("APIToken", "required")
	case strings.ContainsRune(cfg.WebhookUser, ':'):
		return nil, invalid("WebhookUser", "must not contain ':' (Basic auth)")
	case cfg.WebhookUser != "" && cfg.WebhookPassword.IsZero():
		return nil, invalid("WebhookPassword", "required when WebhookUser is set")
	}
	tc, err := transport.New(transport.Params{
		Provider: kyc.Verificar,
		BaseURL:  DefaultBaseURL,
		Sign:     transport.SetHeader("Authorization", transport.BasicAuth(cfg.APIUser, cfg.APIToken)),
	}, opts)
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, tc: tc}, nil
}

// Close releases idle connections. The client stays usable.
func (c *Client) Close() error {
	c.tc.Close()
	return nil
}

// SendRequest is one identity-verification request: Mensatek texts Phone a
// link to start the process.
type SendRequest struct {
	// Phone is the person's mobile in international form, digits only
	// ("34600000001"); a leading '+' is accepted and dropped. Required.
	Phone string
	// Message is the SMS text; it must contain "[LINK]", which Mensatek
	// replaces by the access link. Empty uses the account's default.
	Message string
	// DNI, when set, asks Mensatek to check that the person's document
	// carries this number (Resultado -9 when it does not).
	DNI string
	// SendAt schedules the SMS; zero sends it now. It is sent in Spanish
	// time (Europe/Madrid), to the minute.
	SendAt time.Time
	// Sender is the SMS sender name shown on the phone, at most 11
	// characters. Empty uses the account's default.
	Sender string
}

// SendResult is Mensatek's answer to a send.
type SendResult struct {
	// ID identifies the request; webhooks and Certificate use it.
	ID string
	// Credits is what remains on the account after the send.
	Credits float64
	// Raw is the body Mensatek answered.
	Raw json.RawMessage
}

// sendBody is the documented JSON body of /VerificarIdentidad.
type sendBody struct {
	Mensaje   string `json:"Mensaje,omitempty"`
	Dni       string `json:"Dni,omitempty"`
	Fecha     string `json:"Fecha,omitempty"`
	Remitente string `json:"Remitente,omitempty"`
	Telefono  string `json:"Telefono"`
	Resp      string `json:"Resp"`
}

// SendVerification sends an identity-verification request
// (/VerificarIdentidad): Mensatek texts the person a link and charges the
// account. Bad input is refused before anything is sent. The call is never
// resent once it may have reached Mensatek, whatever kyc.WithRetry says:
// after an error with Sent set, the SMS may or may not have gone out.
//
// https://www.mensatek.com/api-verificacion-identidad-en.html
func (c *Client) SendVerification(ctx context.Context, r SendRequest) (*SendResult, error) {
	return c.send(ctx, "verificar.SendVerification", r, sendFields)
}

func (c *Client) send(ctx context.Context, op string, r SendRequest, names fieldNames) (*SendResult, error) {
	body, err := c.sendBody(op, r, names)
	if err != nil {
		return nil, err
	}
	env, resp, err := c.post(ctx, op, PathSend, body, transport.Once)
	if err != nil {
		return nil, err
	}
	if env.ID == "" {
		return nil, c.tc.BadResponse(op, resp, errNoID)
	}
	return &SendResult{ID: string(env.ID), Credits: env.Cred.Value, Raw: json.RawMessage(resp.Body)}, nil
}

// Credits returns the credit left on the account (/GetCreditos). Mensatek
// asks that it be called sporadically: most answers already carry the
// remaining credit.
func (c *Client) Credits(ctx context.Context) (float64, error) {
	const op = "verificar.Credits"
	env, resp, err := c.post(ctx, op, PathCredits, map[string]any{}, transport.Once)
	if err != nil {
		return 0, err
	}
	if !env.Cred.Valid {
		return 0, c.tc.BadResponse(op, resp, errNoCredits)
	}
	return env.Cred.Value, nil
}

// Call sends params to any function of the platform (path such as
// "/GetCreditos"), signed like the typed methods, with Resp=JSON added, and
// decodes the answer (object or one-element array) into out unless out is
// nil. A Res other than 1 becomes the same *kyc.Error the typed methods
// return. Like them, it is never retried once it may have reached Mensatek.
func (c *Client) Call(ctx context.Context, path string, params map[string]any, out any) error {
	const op = "verificar.Call"
	if path == "" || strings.Contains(path, "://") {
		return c.tc.Invalid(op, "path", "a function path such as /GetCreditos")
	}
	_, resp, err := c.post(ctx, op, path, params, transport.Once)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := tolerant.One(resp.Body, out); err != nil {
		return c.tc.BadResponse(op, resp, err)
	}
	return nil
}

// post sends a JSON body with Resp=JSON and classifies the answer.
func (c *Client) post(ctx context.Context, op, path string, body any, mode transport.Mode) (*envelope, *transport.Response, error) {
	b, err := withResp(body)
	if err != nil {
		return nil, nil, c.tc.Invalid(op, "params", "cannot be encoded as JSON")
	}
	resp, err := c.tc.Do(ctx, &transport.Request{
		Op: op, Method: http.MethodPost, Path: path, Mode: mode,
		Body: transport.Bytes("application/json", b),
	})
	if err != nil {
		return nil, nil, err
	}
	env, err := c.classify(op, resp)
	if err != nil {
		return nil, resp, err
	}
	return env, resp, nil
}

// withResp marshals body as a JSON object carrying Resp=JSON.
func withResp(body any) ([]byte, error) {
	switch v := body.(type) {
	case sendBody:
		v.Resp = "JSON"
		return json.Marshal(v)
	case map[string]any:
		m := make(map[string]any, len(v)+1)
		for k, x := range v {
			if !strings.EqualFold(k, "Resp") { // names are case-insensitive
				m[k] = x
			}
		}
		m["Resp"] = "JSON"
		return json.Marshal(m)
	}
	return json.Marshal(body)
}

// idString checks a request ID: Mensatek documents it as an integer.
func (c *Client) idString(op, id string) (string, error) {
	if id == "" {
		return "", c.tc.Invalid(op, "id", "required")
	}
	if len(id) > 20 {
		return "", c.tc.Invalid(op, "id", "too long")
	}
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return "", c.tc.Invalid(op, "id", "digits only (Mensatek ids are integers)")
	}
	return id, nil
}

// String describes the client without its credentials, tokens or keys, so
// that printing or logging a Client never leaks them.
func (c *Client) String() string { return "verificar.Client" }

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }
