package verificar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
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

// ParseWebhook authenticates and decodes one status report that Mensatek
// POSTed to your server ("Reception of delivery reports and status
// changes"). It accepts the JSON and the form formats the panel offers
// (application/json, application/x-www-form-urlencoded, multipart/form-data)
// and decodes the JSON held in the string fields Acceso, Posicion,
// Dispositivo and Result.
//
// When Config.WebhookUser is set, the request must carry those Basic
// credentials (compared in constant time), else the error is
// ErrUnauthorized; the Event is then Authenticated. A body over 1 MiB is
// refused (an error whose StatusCode is 413).
//
// The Event's Type is the Estado code, its Reference "verificar:<ID>", and
// its Result maps Estado and Resultado: 3000-3003 and 5000 pending; 5100
// approved (certified); 5500 rejected; 5001 from Resultado (80 or more with
// PruebaDeVida "Si": approved; -1 and other similarities under 80: review;
// -7: pending; -2..-6, -8, -9: rejected, with the matching Reason). Raw holds
// the body as JSON, nested fields decoded in place.
func (c *Client) ParseWebhook(r *http.Request) (*kyc.Event, error) {
	const op = "verificar.ParseWebhook"
	authenticated := false
	if c.cfg.WebhookUser != "" {
		if !webhook.CheckBasic(r, c.cfg.WebhookUser, c.cfg.WebhookPassword) {
			return nil, webhook.Unauthorized(kyc.Verificar, op)
		}
		authenticated = true
	}
	body, err := webhook.ReadBody(r, kyc.Verificar, op, webhook.MaxBody)
	if err != nil {
		return nil, err
	}
	ev, err := parseReport(op, r.Header.Get("Content-Type"), body)
	if err != nil {
		return nil, err
	}
	ev.Authenticated = authenticated
	ev.ReceivedAt = c.tc.Now()
	return ev, nil
}

// WebhookHandler returns an http.Handler for Mensatek's reports: it parses
// each with ParseWebhook and hands the Event to fn. It answers 200 only when
// fn returned nil, 500 otherwise (so that the report is sent again), 401 for
// wrong credentials, 413 for an oversized body, 400 for a body it cannot
// read and 405 for a method other than POST.
func (c *Client) WebhookHandler(fn func(context.Context, *kyc.Event) error) http.Handler {
	if fn == nil {
		fn = func(context.Context, *kyc.Event) error { return nil }
	}
	return webhook.Handler(c.ParseWebhook, fn, nil, c.tc.Logger())
}

func badWebhook(op string, kind error, msg string, cause error) error {
	return &kyc.Error{Provider: kyc.Verificar, Op: op, Kind: kind, Message: msg, Err: cause}
}

// parseReport decodes a webhook body into an Event, without authentication.
func parseReport(op, contentType string, body []byte) (*kyc.Event, error) {
	fields, err := decodeFields(contentType, body)
	if err != nil {
		return nil, badWebhook(op, kyc.ErrBadResponse, "the webhook body cannot be decoded", err)
	}
	normalizeNested(fields)
	raw, err := json.Marshal(fields)
	if err != nil {
		return nil, badWebhook(op, kyc.ErrBadResponse, "the webhook body cannot be decoded", err)
	}
	var rep report
	if err := json.Unmarshal(raw, &rep); err != nil {
		return nil, badWebhook(op, kyc.ErrBadResponse, "the webhook fields cannot be decoded", err)
	}
	switch {
	case rep.Servicio != "" && !strings.EqualFold(string(rep.Servicio), ServiceIdentity):
		return nil, badWebhook(op, kyc.ErrInvalidRequest, "not an identity-verification report (Servicio)", nil)
	case strings.TrimSpace(string(rep.ID)) == "":
		return nil, badWebhook(op, kyc.ErrInvalidRequest, "the webhook has no ID", nil)
	case rep.Estado == nil:
		return nil, badWebhook(op, kyc.ErrInvalidRequest, "the webhook has no Estado", nil)
	}
	var res *result
	if len(rep.Result) > 0 && string(rep.Result) != "null" && string(rep.Result) != `""` {
		res = new(result)
		if err := tolerant.One(rep.Result, res); err != nil {
			return nil, badWebhook(op, kyc.ErrBadResponse, "the webhook's Result cannot be decoded", err)
		}
	}
	id := strings.TrimSpace(string(rep.ID))
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
