package verificar

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
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

// MaxIDLength bounds a Mensatek request ID: the documentation types it as
// an integer (Id of /GetCertificadoIdentidad, https://www.mensatek.com/api-verificacion-identidad-en.html), so it is digits only,
// and 20 digits hold any 64-bit integer.
const MaxIDLength = 20

// Config holds the account's credentials and the few decisions this
// package cannot take from the vendor's documentation.
type Config struct {
	// APIUser is the API User from "Your Data → Configure Account".
	APIUser string
	// APIToken is the API Token from the same page.
	APIToken kyc.Secret
	// WebhookUser and WebhookPassword are the Basic auth credentials set
	// for report reception in the Mensatek panel. ParseWebhook requires
	// them on every webhook. Without them every webhook is refused (401),
	// unless AcceptUnauthenticatedWebhooks is set.
	WebhookUser string
	// WebhookPassword is the Basic auth password of the webhooks.
	WebhookPassword kyc.Secret
	// AcceptUnauthenticatedWebhooks accepts webhooks without credentials
	// when WebhookUser is empty. Anyone who knows the URL can then post
	// one, so such an Event is marked Authenticated false and never carries
	// a final Status: Mensatek has no read-back to confirm it, so its
	// Result stays StatusPending and the reported state is only in
	// Event.Type (and Raw). It may not be set together with WebhookUser.
	AcceptUnauthenticatedWebhooks bool
	// WebhookReadTimeout bounds how long WebhookHandler reads one webhook
	// request, its body included, for authenticated and unauthenticated
	// webhooks alike: a client still sending after it is answered 408 and
	// its connection dropped. Zero means 5 s. ParseWebhook alone cannot
	// set it: a server calling it directly sets http.Server.ReadTimeout.
	WebhookReadTimeout time.Duration
	// CertificateTimeout bounds a whole Certificate download, from sending
	// the request to the last byte written to w. Zero means the client's
	// attempt timeout (kyc.WithTimeout, default 30 s); with
	// kyc.WithTimeout(0) as well, only CertificateStallTimeout applies.
	CertificateTimeout time.Duration
	// CertificateStallTimeout ends a Certificate download when no byte of
	// the body arrived for this long. Zero means
	// DefaultCertificateStallTimeout. It always applies, so a download
	// never hangs, even under context.Background().
	CertificateStallTimeout time.Duration
}

// DefaultCertificateStallTimeout is the CertificateStallTimeout used when
// the Config leaves it zero.
const DefaultCertificateStallTimeout = 10 * time.Second

// base gives Client its Close, String and GoString, and nothing else.
type base = transport.Base

// Client talks to Mensatek's identity-verification API. It is safe for
// concurrent use. It implements kyc.Verifier and kyc.WebhookReceiver.
type Client struct {
	base
	tc  *transport.Client
	cfg Config
	// certTimeout and certStall are the Certificate bounds, resolved.
	certTimeout, certStall time.Duration
}

var (
	_ kyc.Verifier        = (*Client)(nil)
	_ kyc.WebhookReceiver = (*Client)(nil)
	_ kyc.WebhookReplier  = (*Client)(nil)
)

// New checks cfg and returns a client. Options are the common kyc options
// (kyc.WithBaseURL, kyc.WithHTTPClient, kyc.WithTimeout, ...). It never
// dials.
func New(cfg Config, opts ...kyc.Option) (*Client, error) {
	if err := transport.CheckConfig(kyc.Verificar).
		Required("APIUser", cfg.APIUser).
		That(!strings.ContainsRune(cfg.APIUser, ':'), "APIUser", "must not contain ':' (Basic auth)").
		Secret("APIToken", cfg.APIToken).
		Text("WebhookUser", cfg.WebhookUser).
		That(!strings.ContainsRune(cfg.WebhookUser, ':'), "WebhookUser", "must not contain ':' (Basic auth)").
		That(cfg.WebhookUser == "" || !cfg.WebhookPassword.IsZero(), "WebhookPassword", "required when WebhookUser is set").
		That(cfg.WebhookUser != "" || cfg.WebhookPassword.IsZero(), "WebhookUser", "required when WebhookPassword is set").
		OptionalSecret("WebhookPassword", cfg.WebhookPassword).
		That(!cfg.AcceptUnauthenticatedWebhooks || cfg.WebhookUser == "", "AcceptUnauthenticatedWebhooks",
			"must be false when WebhookUser is set: configured credentials are always required").
		That(cfg.WebhookReadTimeout >= 0, "WebhookReadTimeout", "must not be negative").
		That(cfg.CertificateTimeout >= 0, "CertificateTimeout", "must not be negative").
		That(cfg.CertificateStallTimeout >= 0, "CertificateStallTimeout", "must not be negative").
		Err(); err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, certTimeout: cfg.CertificateTimeout, certStall: cfg.CertificateStallTimeout}
	tc, err := transport.New(transport.Params{
		Provider: kyc.Verificar,
		BaseURL:  DefaultBaseURL,
		Sign:     transport.SetHeader("Authorization", transport.BasicAuth(cfg.APIUser, cfg.APIToken)),
		// The signer's header; an Observer may not set it.
		CredentialHeaders: []string{"Authorization"},
		Check:             c.check,
		Decode:            c.decode,
		Encode:            c.encode,
		ID:                idForm,
	}, opts)
	if err != nil {
		return nil, err
	}
	c.tc, c.base = tc, transport.NewBase(tc)
	c.certTimeout = cmp.Or(c.certTimeout, tc.Timeout())
	c.certStall = cmp.Or(c.certStall, DefaultCertificateStallTimeout)
	return c, nil
}

// Call sends any operation of the Mensatek API that the typed methods do
// not cover (another function of the v7 platform), signed and checked like
// them. op.Path is the function's path relative to the base URL, such as
// "/GetCreditos" (a template: ids as {placeholders} that params fill in
// order, escaped; a path holding an id is refused); op.Method defaults to POST, the only method Mensatek
// takes; op.Name defaults to "verificar.Call". op.Class decides how it may
// be resent: its zero value, kyc.ClassBilled, is the safe default; say
// kyc.ClassMessaging for a function that texts or e-mails a person and
// kyc.ClassFree for a read.
//
// in holds the function's parameters: nil, a map or struct that encodes as
// a JSON object, a []byte or json.RawMessage holding one, or url.Values
// (first value of each name). It is sent as a JSON body with Resp=JSON set
// (any Resp of in, in any case, is replaced). A Res other than 1 becomes the
// same *kyc.Error the typed methods return. out, when not nil, receives the
// answer, an object or the first element of a one-element array; Mensatek
// may send numbers as strings, so decode into json.RawMessage, map[string]any
// or string fields where unsure.
func (c *Client) Call(ctx context.Context, op kyc.Operation, in, out any, params ...string) error {
	if op.Method == "" {
		op.Method = http.MethodPost
	}
	return c.tc.Generic(ctx, op, in, out, params...)
}

// SendRequest is one identity-verification request: Mensatek texts Phone a
// link to start the process.
type SendRequest struct {
	// Phone is the person's mobile in the form Mensatek documents for
	// Telefono: the international number, country code first, digits only
	// ("34600000001"). The E.164 form ("+34600000001", what kyc.Request
	// validation produces) is accepted: the '+' is dropped before sending. A
	// national number without its country code ("600000001"), one with a
	// trunk or international prefix ("0034...") and any separator are
	// refused before sending. Required.
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
	// ID identifies the request (digits); webhooks and Certificate use it.
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

// SendVerification sends an identity-verification request: Mensatek texts
// the person a link and charges the account a credit. Bad input is refused
// before anything is sent. It is a messaging operation: never resent once
// it was written, whatever kyc.WithRetry says. After an error that
// kyc.MayHaveBeenSent reports, the SMS may or may not have gone out.
//
//	POST /VerificarIdentidad (messaging) — https://www.mensatek.com/api-verificacion-identidad-en.html, "Send Identity Verification Request"
func (c *Client) SendVerification(ctx context.Context, r SendRequest) (*SendResult, error) {
	return c.requestVerification(ctx, opSendVerification.Name, r, sendFields)
}

// requestVerification validates r, naming fields as names does and errors
// as errOp, and sends it. It is SendVerification's body, shared with
// Verify.
func (c *Client) requestVerification(ctx context.Context, errOp string, r SendRequest, names fieldNames) (*SendResult, error) {
	body, err := c.sendBody(errOp, r, names)
	if err != nil {
		return nil, err
	}
	ans, resp, err := c.send(ctx, opSendVerification, body)
	if err != nil {
		return nil, err
	}
	id := strings.TrimSpace(ans.ID)
	if err := idForm(id); err != nil {
		return nil, c.tc.BadResponse(opSendVerification.Name, resp, errors.Join(errNoID, err))
	}
	return &SendResult{ID: id, Credits: ans.Cred, Raw: json.RawMessage(transport.StripBOM(resp.Body))}, nil
}

// Credits returns the credit left on the account. Mensatek asks that it be
// called sporadically: most answers already carry the remaining credit. It
// is free, so a connection failure or a 5xx is retried like a read; an
// authentication failure never is.
//
//	POST /GetCreditos (free) — https://www.mensatek.com/api-verificacion-identidad-en.html, "Credits Query"
func (c *Client) Credits(ctx context.Context) (float64, error) {
	ans, resp, err := c.send(ctx, opCredits, nil)
	if err != nil {
		return 0, err
	}
	if !ans.HasCred {
		return 0, c.tc.BadResponse(opCredits.Name, resp, errNoCredits)
	}
	return ans.Cred, nil
}

// send is the one call path of the typed methods: it sends op with params
// as a JSON body carrying Resp=JSON, through the transport's Call, which
// checks the answer (check), and returns the answer's envelope: every
// documented answer is one (Res, and for some ID and Cred).
func (c *Client) send(ctx context.Context, op kyc.Operation, params any) (*envelope, *transport.Response, error) {
	b, err := withResp(params)
	if err != nil {
		return nil, nil, c.tc.Invalid(op.Name, "params", "cannot be encoded as a JSON object")
	}
	resp, err := c.tc.Call(ctx, &transport.Request{Operation: op, Body: transport.Bytes("application/json", b)}, nil)
	if err != nil {
		return nil, resp, err
	}
	env, err := decodeEnvelope(resp.Body)
	if err != nil {
		return nil, resp, c.tc.BadResponse(op.Name, resp, err)
	}
	return env, resp, nil
}

// encode is the generic Call's Encoder: in as a JSON body with Resp=JSON.
func (c *Client) encode(op kyc.Operation, in any) (*transport.Request, error) {
	b, err := withResp(in)
	if err != nil {
		return nil, c.tc.Invalid(op.Name, "in", "must encode as a JSON object of the function's parameters")
	}
	return &transport.Request{Operation: op, Body: transport.Bytes("application/json", b)}, nil
}

var errNotObject = errors.New("verificar: the parameters are not a JSON object")

// withResp marshals params as a JSON object carrying Resp=JSON, so that
// answers come in the current JSON format. Parameter names are
// case-insensitive ("Request Body schema", https://www.mensatek.com/api-verificacion-identidad-en.html), so any Resp is
// replaced whatever its case.
func withResp(params any) ([]byte, error) {
	var fields map[string]json.RawMessage
	switch v := params.(type) {
	case nil:
	case sendBody: // the documented body, in the documented order
		v.Resp = "JSON"
		return json.Marshal(v)
	case url.Values:
		fields = make(map[string]json.RawMessage, len(v))
		for k, vs := range v {
			if len(vs) > 0 {
				fields[k] = jsonString(vs[0])
			}
		}
	case json.RawMessage:
		if err := json.Unmarshal(v, &fields); err != nil {
			return nil, errNotObject
		}
	case []byte:
		if err := json.Unmarshal(v, &fields); err != nil {
			return nil, errNotObject
		}
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &fields); err != nil {
			return nil, errNotObject
		}
	}
	out := make(map[string]json.RawMessage, len(fields)+1)
	for k, x := range fields {
		if !strings.EqualFold(k, "Resp") {
			out[k] = x
		}
	}
	out["Resp"] = json.RawMessage(`"JSON"`)
	return json.Marshal(out)
}

// idForm checks a Mensatek request ID: digits only, at most MaxIDLength.
// It is the transport's IDForm (references), and checks Certificate's id,
// the send's answer and every webhook's ID.
func idForm(id string) error {
	switch {
	case id == "":
		return errors.New("empty")
	case len(id) > MaxIDLength:
		return errors.New("longer than 20 digits")
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return errors.New("digits only (Mensatek ids are integers)")
		}
	}
	return nil
}
