package verificar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
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
	Servicio string              `wire:"Servicio"`
	ID       string              `wire:"ID"`
	Estado   *tolerant.StrictInt `wire:"Estado"`
	Result   json.RawMessage     `wire:"Result"`
	// UltimaActualizacion is the "Last update/interaction with the user",
	// "2021-10-10 10:10" in the documented sample: Spanish time.
	UltimaActualizacion string `wire:"UltimaActualizacion"`
}

// result is the documented Result of a report. Resultado and
// ParecidoPersonaDNI are read as tolerant.Signed reads them.
type result struct {
	Resultado          float64 `wire:"Resultado,signed,valid=HasResultado"`
	HasResultado       bool
	DNIAnverso         string   `wire:"DNIAnverso"`
	DNI                *dniData `wire:"DNI"`
	ParecidoPersonaDNI float64  `wire:"ParecidoPersonaDNI,signed,valid=HasParecido"`
	HasParecido        bool
	PruebaDeVida       string `wire:"PruebaDeVida"`
}

// dniData is the document read during the process.
type dniData struct {
	Edad            string `wire:"Edad"`
	FechaNacimiento string `wire:"FechaNacimiento"`
	DNI             string `wire:"DNI"`
	Nacionalidad    string `wire:"Nacionalidad"`
	Pais            string `wire:"Pais"`
	Nombre          string `wire:"Nombre"`
	NumeroSerie     string `wire:"NumeroSerie"`
	TipoDocumento   string `wire:"TipoDocumento"`
	Sexo            string `wire:"Sexo"`
	FechaExpira     string `wire:"FechaExpira"`
	Caducado        string `wire:"Caducado"`
}

// Why a webhook is refused. The texts are this package's own, never the
// webhook's content: WebhookHandler answers them in the response body and
// logs them at debug level. The credential and size refusals are the shared
// receiver's (webhook.Reason*).
const (
	refuseNoCredentials = webhook.ReasonNoCredentials
	refuseCredentials   = webhook.ReasonCredentials
	refuseUndecodable   = "the webhook body cannot be decoded"
	refuseControl       = "the webhook holds control characters"
	refuseService       = "not an identity-verification report (Servicio)"
	refuseNoID          = "the webhook has no ID"
	refuseIDForm        = "the webhook ID is not a Mensatek request id (digits, at most 20)"
	refuseNoEstado      = "the webhook has no Estado"
	refuseEstado        = "the webhook Estado is not a documented state"
	refuseResult        = "the webhook's Result cannot be decoded"
	refuseDuplicate     = "the webhook repeats a field"
	refuseResultado     = "the webhook's Resultado or ParecidoPersonaDNI is out of range"
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
// The Result's Sequence is UltimaActualizacion ("Last update/interaction
// with the user", SendAtLayout in Spanish peninsular time, as Fecha; a
// seconds field is accepted too) as Unix milliseconds, so that a
// kyc.ResultStore keeps the newer of two final verdicts whatever order
// they arrive in (Mensatek re-sends a report it was not answered 200 for):
// a 5001 approved at 10:10 re-delivered after a 5500 rejected at 10:12
// leaves the rejection stored. The field has a minute's precision: two
// reports of the same minute have the same Sequence, and then, as when
// UltimaActualizacion is absent or malformed (Sequence 0), the first final
// verdict stored stays and a different one is reported as
// kyc.AppliedConflict (see kyc.Decide).
//
// A webhook is refused (ErrInvalidRequest or ErrBadResponse, 400) when its
// ID is not digits (at most 20), its Estado is not a documented state in
// integer form (5100 or "5100", never 5100.9 or 5.1e3), a field is repeated
// (in JSON, form or multipart alike, names compared without case), the
// Resultado or ParecidoPersonaDNI is over 100, any of its texts holds a
// control character, or it cannot be decoded; a body
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
	return c.webhooks().Parse(r)
}

// webhooks is the receiver: the shared rules with Mensatek's Basic
// credentials and report decoder.
func (c *Client) webhooks() *webhook.Receiver {
	return &webhook.Receiver{
		Provider: kyc.Verificar, Op: "verificar.ParseWebhook",
		Auth: webhook.Basic(c.cfg.WebhookUser, c.cfg.WebhookPassword, c.cfg.AcceptUnauthenticatedWebhooks),
		Decode: func(r *http.Request, body []byte) (*kyc.Event, error) {
			return parseReport("verificar.ParseWebhook", r.Header.Get("Content-Type"), body)
		},
		Now: c.tc.Now,
	}
}

// ReplyWebhook implements kyc.WebhookReplier: 200 with no body for a 2xx
// status, otherwise a plain-text "verificar webhook refused: <reason>".
func (c *Client) ReplyWebhook(w http.ResponseWriter, status int, reason string) {
	if status >= 200 && status < 300 {
		w.WriteHeader(status)
		return
	}
	http.Error(w, "verificar webhook refused: "+reason, status)
}

// WebhookHandler returns an http.Handler for Mensatek's reports: it is
// kyc.WebhookHandler for this client (the exchange every kyc.WebhookMux
// runs), with the client's logger and Config.WebhookReadTimeout. It parses
// each report with ParseWebhook and hands the Event to fn. It answers 200
// only when fn returned nil, and 500 otherwise (so that the report is sent
// again). A refused webhook gets 401 (credentials, or none configured), 413
// (body over 1 MiB), 408 (the request not read within
// Config.WebhookReadTimeout), 400 (a body it cannot use) or 405 (not a
// POST), with a plain-text body "verificar webhook refused: <reason>" (see
// ReplyWebhook) that names the reason in this package's words and never
// quotes the request. Refusals and fn's failures are logged through
// kyc.WithLogger at debug level, with the provider, the reason and the
// error's kind ("handler error" when fn failed), never the body or fn's
// error text.
func (c *Client) WebhookHandler(fn func(context.Context, *kyc.Event) error) http.Handler {
	return kyc.WebhookHandler(c, fn, webhook.Options(c.tc.Logger(), c.cfg.WebhookReadTimeout)...)
}

// badWebhook is the error refusing a webhook body: msg is one of the refuse
// texts, answered with 400.
func badWebhook(op string, kind error, msg string, cause error) error {
	return webhook.Refuse(kyc.Verificar, op, kind, 0, msg, cause)
}

// parseReport decodes a webhook body into an Event, without authentication.
func parseReport(op, contentType string, body []byte) (*kyc.Event, error) {
	fields, err := decodeFields(contentType, transport.StripBOM(body))
	if errors.Is(err, errDuplicate) {
		return nil, badWebhook(op, kyc.ErrInvalidRequest, refuseDuplicate, nil)
	}
	if err != nil {
		return nil, badWebhook(op, kyc.ErrBadResponse, refuseUndecodable, err)
	}
	normalizeNested(fields)
	raw, err := json.Marshal(fields)
	if err != nil {
		return nil, badWebhook(op, kyc.ErrBadResponse, refuseUndecodable, err)
	}
	if tolerant.DuplicateKey(raw) { // form or multipart names differing only in case
		return nil, badWebhook(op, kyc.ErrInvalidRequest, refuseDuplicate, nil)
	}
	if !safeJSON(raw) {
		return nil, badWebhook(op, kyc.ErrInvalidRequest, refuseControl, nil)
	}
	var rep report
	if err := tolerant.Decode(raw, &rep); err != nil {
		return nil, badWebhook(op, kyc.ErrBadResponse, refuseUndecodable, err)
	}
	id := strings.TrimSpace(rep.ID)
	switch {
	case rep.Servicio != "" && !strings.EqualFold(rep.Servicio, ServiceIdentity):
		return nil, badWebhook(op, kyc.ErrInvalidRequest, refuseService, nil)
	case id == "":
		return nil, badWebhook(op, kyc.ErrInvalidRequest, refuseNoID, nil)
	case idForm(id) != nil:
		return nil, badWebhook(op, kyc.ErrInvalidRequest, refuseIDForm, nil)
	case rep.Estado == nil:
		return nil, badWebhook(op, kyc.ErrInvalidRequest, refuseNoEstado, nil)
	case !documentedEstado(int64(*rep.Estado)):
		return nil, badWebhook(op, kyc.ErrInvalidRequest, refuseEstado, nil)
	}
	var res *result
	if len(rep.Result) > 0 && string(rep.Result) != "null" && string(rep.Result) != `""` {
		res = new(result)
		if tolerant.DuplicateKey(rep.Result) {
			return nil, badWebhook(op, kyc.ErrInvalidRequest, refuseDuplicate, nil)
		}
		if err := decodeOne(rep.Result, res); err != nil {
			return nil, badWebhook(op, kyc.ErrBadResponse, refuseResult, err)
		}
		if !inRange(res.HasResultado, res.Resultado, -math.MaxFloat64, 100) || !inRange(res.HasParecido, res.ParecidoPersonaDNI, 0, 100) {
			return nil, badWebhook(op, kyc.ErrInvalidRequest, refuseResultado, nil)
		}
	}
	estado := int64(*rep.Estado)
	out := mapReport(estado, res)
	out.Reference = kyc.NewReference(kyc.Verificar, id)
	out.Sequence = sequence(rep.UltimaActualizacion)
	out.Raw = raw
	return &kyc.Event{
		Provider:  kyc.Verificar,
		Reference: out.Reference,
		Type:      strconv.FormatInt(estado, 10),
		Result:    out,
		Raw:       raw,
	}, nil
}

// errDuplicate is a body that repeats a field: JSON, form and multipart
// bodies are all refused for it, rather than each keeping another copy.
var errDuplicate = errors.New("verificar: the webhook repeats a field")

// inRange reports whether an optional number is absent or within [lo, hi]
// (similarities are 0..100; a Resultado under 0 is a code, an unknown one
// reads as review).
func inRange(valid bool, v, lo, hi float64) bool {
	return !valid || (v >= lo && v <= hi)
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
		if tolerant.DuplicateKey(body) {
			return nil, errDuplicate
		}
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
		if len(v) > 1 {
			return nil, errDuplicate
		}
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
			if _, dup := m[name]; dup {
				return nil, errDuplicate
			}
			m[name] = jsonString(string(v))
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
