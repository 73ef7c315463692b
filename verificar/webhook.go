package verificar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
	"github.com/kyc-go/kyc/internal/transport"
	"github.com/kyc-go/kyc/internal/webhook"
)

// ServiceIdentity is the Servicio of identity-verification reports.
const ServiceIdentity = "VERIFICACION_IDENTIDAD"

// nestedFields hold JSON inside a string in the documented webhook body.
var nestedFields = []string{"Acceso", "Posicion", "Dispositivo", "Result"}

// report is the documented webhook body, after form values and nested JSON
// strings were normalized to JSON.
type report struct {
	Servicio tolerant.String `json:"Servicio"`
	ID       tolerant.String `json:"ID"`
	Estado   *tolerant.Int   `json:"Estado"`
	Result   json.RawMessage `json:"Result"`
}

// result is the documented Result of a report.
type result struct {
	Resultado          tolerant.Float  `json:"Resultado"`
	DNIAnverso         tolerant.String `json:"DNIAnverso"`
	DNI                *dniData        `json:"DNI"`
	ParecidoPersonaDNI tolerant.Float  `json:"ParecidoPersonaDNI"`
	PruebaDeVida       tolerant.String `json:"PruebaDeVida"`
}

// dniData is the document read during the process.
type dniData struct {
	Edad            tolerant.String `json:"Edad"`
	FechaNacimiento tolerant.String `json:"FechaNacimiento"`
	DNI             tolerant.String `json:"DNI"`
	Nacionalidad    tolerant.String `json:"Nacionalidad"`
	Pais            tolerant.String `json:"Pais"`
	Nombre          tolerant.String `json:"Nombre"`
	NumeroSerie     tolerant.String `json:"NumeroSerie"`
	TipoDocumento   tolerant.String `json:"TipoDocumento"`
	Sexo            tolerant.String `json:"Sexo"`
	FechaExpira     tolerant.String `json:"FechaExpira"`
	Caducado        tolerant.String `json:"Caducado"`
}

// Why a webhook is refused. The texts are this package's own, never the
// webhook's content: WebhookHandler answers them in the response body and
// logs them at debug level.
const (
	refuseNoCredentials = "no webhook credentials are configured on this receiver"
	refuseCredentials   = "the webhook's credentials do not match"
	refuseUndecodable   = "the webhook body cannot be decoded"
	refuseControl       = "the webhook holds control characters"
	refuseService       = "not an identity-verification report (Servicio)"
	refuseNoID          = "the webhook has no ID"
	refuseIDForm        = "the webhook ID is not a Mensatek request id (digits, at most 20)"
	refuseNoEstado      = "the webhook has no Estado"
	refuseEstado        = "the webhook Estado is not a documented state"
	refuseResult        = "the webhook's Result cannot be decoded"
)

// ParseWebhook authenticates and decodes one status report that Mensatek
// POSTed to your server ("Reception of delivery reports and status
// changes"). It accepts the JSON and the form formats the panel offers
// (application/json, application/x-www-form-urlencoded, multipart/form-data,
// a UTF-8 BOM before JSON) and decodes the JSON held in the string fields
// Acceso, Posicion, Dispositivo and Result.
//
// Webhooks fail closed. With Config.WebhookUser set, the request must carry
// those Basic credentials (compared in constant time), and the Event is
// Authenticated. Without them every webhook is refused (ErrUnauthorized,
// 401), unless Config.AcceptUnauthenticatedWebhooks is set: the Event is
// then not Authenticated and its Result is StatusPending with no reasons,
// scores or document, whatever the body claims, since Mensatek offers no
// read-back to confirm it. The reported state is in Event.Type, the body in
// Raw: treat both as unverified.
//
// A webhook is refused (ErrInvalidRequest or ErrBadResponse, 400) when its
// ID is not digits (at most 20), its Estado is not a documented state, any
// of its texts holds a control character, or it cannot be decoded; a body
// over 1 MiB is refused with 413. The refusal's Message says why, in this
// package's words, never quoting the webhook.
//
// The Event's Type is the Estado code, its Reference "verificar:<ID>", and
// (authenticated) its Result maps Estado and Resultado: 3000-3003 and 5000
// pending; 5100 approved (certified); 5500 rejected; 5001 from Resultado
// (80 or more with PruebaDeVida "Si": approved; -1 and other similarities
// under 80: review; -7: pending; -2..-6, -8, -9: rejected, with the matching
// Reason). Raw holds the body as JSON, nested fields decoded in place; it
// is personal data (the person's document, phone, location and device).
func (c *Client) ParseWebhook(r *http.Request) (*kyc.Event, error) {
	const op = "verificar.ParseWebhook"
	authenticated := false
	switch {
	case c.cfg.WebhookUser != "":
		if !webhook.CheckBasic(r, c.cfg.WebhookUser, c.cfg.WebhookPassword) {
			return nil, badWebhook(op, kyc.ErrUnauthorized, http.StatusUnauthorized, refuseCredentials, nil)
		}
		authenticated = true
	case !c.cfg.AcceptUnauthenticatedWebhooks:
		return nil, badWebhook(op, kyc.ErrUnauthorized, http.StatusUnauthorized, refuseNoCredentials, nil)
	}
	body, err := webhook.ReadBody(r, kyc.Verificar, op, webhook.MaxBody)
	if err != nil {
		return nil, err
	}
	ev, err := parseReport(op, r.Header.Get("Content-Type"), body)
	if err != nil {
		return nil, err
	}
	if !authenticated {
		ev.Result = &kyc.Result{Provider: kyc.Verificar, Reference: ev.Reference, Status: kyc.StatusPending, Raw: ev.Raw}
	}
	ev.Authenticated = authenticated
	ev.ReceivedAt = c.tc.Now()
	return ev, nil
}

// WebhookHandler returns an http.Handler for Mensatek's reports: it parses
// each with ParseWebhook and hands the Event to fn. It answers 200 only when
// fn returned nil, and 500 otherwise (so that the report is sent again). A
// refused webhook gets 401 (credentials, or none configured), 413 (body
// over 1 MiB), 400 (a body it cannot use) or 405 (not a POST), with a
// plain-text body that names the reason in this package's words and never
// quotes the request. Refusals and fn's failures are logged through
// kyc.WithLogger at debug level, with the reason and the error's kind, never
// the body or fn's error text.
func (c *Client) WebhookHandler(fn func(context.Context, *kyc.Event) error) http.Handler {
	if fn == nil {
		fn = func(context.Context, *kyc.Event) error { return nil }
	}
	log := c.tc.Logger()
	refuse := func(w http.ResponseWriter, r *http.Request, status int, kind error, reason string) {
		log.LogAttrs(r.Context(), slog.LevelDebug, "kyc webhook refused",
			slog.String("provider", string(kyc.Verificar)), slog.Int("status", status),
			slog.String("error_kind", kindName(kind)), slog.String("reason", reason))
		http.Error(w, "verificar webhook refused: "+reason, status)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			refuse(w, r, http.StatusMethodNotAllowed, kyc.ErrInvalidRequest, "Mensatek's reports are POSTed")
			return
		}
		ev, err := c.ParseWebhook(r)
		if err != nil {
			reason := "the webhook cannot be read"
			var kerr *kyc.Error
			if errors.As(err, &kerr) && kerr.Message != "" {
				reason = kerr.Message
			}
			refuse(w, r, webhook.StatusFor(err), kyc.KindOf(err), reason)
			return
		}
		if err := fn(r.Context(), ev); err != nil {
			kind := "handler error"
			if k := kyc.KindOf(err); k != nil {
				kind = k.Error()
			}
			log.LogAttrs(r.Context(), slog.LevelDebug, "kyc webhook handler failed",
				slog.String("provider", string(kyc.Verificar)), slog.String("type", ev.Type),
				slog.String("error_kind", kind), slog.String("reason", "the handler returned an error; Mensatek will send the report again"))
			http.Error(w, "the receiver's handler failed; send the report again later", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

func kindName(kind error) string {
	if kind == nil {
		return "none"
	}
	return kind.Error()
}

// badWebhook is the error refusing a webhook: status is the answer's HTTP
// status (0: from the kind), msg one of the refuse texts.
func badWebhook(op string, kind error, status int, msg string, cause error) error {
	return &kyc.Error{Provider: kyc.Verificar, Op: op, Kind: kind, StatusCode: status, Message: msg, Err: cause}
}

// parseReport decodes a webhook body into an Event, without authentication.
func parseReport(op, contentType string, body []byte) (*kyc.Event, error) {
	fields, err := decodeFields(contentType, transport.StripBOM(body))
	if err != nil {
		return nil, badWebhook(op, kyc.ErrBadResponse, 0, refuseUndecodable, err)
	}
	normalizeNested(fields)
	raw, err := json.Marshal(fields)
	if err != nil {
		return nil, badWebhook(op, kyc.ErrBadResponse, 0, refuseUndecodable, err)
	}
	if !safeJSON(raw) {
		return nil, badWebhook(op, kyc.ErrInvalidRequest, 0, refuseControl, nil)
	}
	var rep report
	if err := json.Unmarshal(raw, &rep); err != nil {
		return nil, badWebhook(op, kyc.ErrBadResponse, 0, refuseUndecodable, err)
	}
	id := strings.TrimSpace(string(rep.ID))
	switch {
	case rep.Servicio != "" && !strings.EqualFold(string(rep.Servicio), ServiceIdentity):
		return nil, badWebhook(op, kyc.ErrInvalidRequest, 0, refuseService, nil)
	case id == "":
		return nil, badWebhook(op, kyc.ErrInvalidRequest, 0, refuseNoID, nil)
	case idForm(id) != nil:
		return nil, badWebhook(op, kyc.ErrInvalidRequest, 0, refuseIDForm, nil)
	case rep.Estado == nil:
		return nil, badWebhook(op, kyc.ErrInvalidRequest, 0, refuseNoEstado, nil)
	case !documentedEstado(int64(*rep.Estado)):
		return nil, badWebhook(op, kyc.ErrInvalidRequest, 0, refuseEstado, nil)
	}
	var res *result
	if len(rep.Result) > 0 && string(rep.Result) != "null" && string(rep.Result) != `""` {
		res = new(result)
		if err := tolerant.One(rep.Result, res); err != nil {
			return nil, badWebhook(op, kyc.ErrBadResponse, 0, refuseResult, err)
		}
	}
	estado := int64(*rep.Estado)
	out := mapReport(estado, res)
	out.Reference = kyc.NewReference(kyc.Verificar, id)
	out.Raw = raw
	return &kyc.Event{
		Provider:  kyc.Verificar,
		Reference: out.Reference,
		Type:      strconv.FormatInt(estado, 10),
		Result:    out,
		Raw:       raw,
	}, nil
}

// safeJSON reports whether every string of a JSON document, keys included,
// is free of control characters (transport.SafeText). A newline inside a
// value could forge a second line in a handler's plain log.
func safeJSON(raw []byte) bool {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch x := v.(type) {
		case string:
			return transport.SafeText(x)
		case []any:
			for _, e := range x {
				if !walk(e) {
					return false
				}
			}
		case map[string]any:
			for k, e := range x {
				if !transport.SafeText(k) || !walk(e) {
					return false
				}
			}
		}
		return true
	}
	return walk(v)
}

// decodeFields reads a JSON object (or one-element array) or a form into
// field → JSON value. Form values become JSON strings.
func decodeFields(contentType string, body []byte) (map[string]json.RawMessage, error) {
	mt, params, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json") || (mt != "multipart/form-data" && mt != "application/x-www-form-urlencoded" && looksJSON(body)):
		var m map[string]json.RawMessage
		if err := tolerant.One(body, &m); err != nil {
			return nil, err
		}
		if m == nil {
			return nil, errors.New("verificar: the webhook body is not an object")
		}
		return m, nil
	case mt == "multipart/form-data":
		return multipartFields(body, params["boundary"])
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, err
	}
	m := make(map[string]json.RawMessage, len(values))
	for k, v := range values {
		m[k] = jsonString(v[0])
	}
	return m, nil
}

func multipartFields(body []byte, boundary string) (map[string]json.RawMessage, error) {
	if boundary == "" {
		return nil, errors.New("verificar: multipart body without boundary")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	m := map[string]json.RawMessage{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return m, nil
		}
		if err != nil {
			return nil, err
		}
		v, err := io.ReadAll(io.LimitReader(p, webhook.MaxBody))
		if err != nil {
			return nil, err
		}
		if name := p.FormName(); name != "" {
			if _, dup := m[name]; !dup {
				m[name] = jsonString(string(v))
			}
		}
	}
}

func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s) // a string always marshals
	return b
}

// normalizeNested replaces the nested fields' JSON strings by the JSON they
// hold, when it is an object or an array; other values are kept as they are.
func normalizeNested(fields map[string]json.RawMessage) {
	for k, v := range fields {
		for _, name := range nestedFields {
			if !strings.EqualFold(k, name) {
				continue
			}
			var s string
			if json.Unmarshal(v, &s) != nil || !looksJSON([]byte(s)) || !json.Valid([]byte(s)) {
				continue
			}
			fields[k] = json.RawMessage(s)
		}
	}
}
