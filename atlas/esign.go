package atlas

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
	"github.com/kyc-go/kyc/internal/webhook"
)

// ESignParams is an eSign request. The field names of /esign/request are not
// public (integrators send "form data + files"), so they are given as they
// are in Fields, under the names your Atlas documentation uses (signer name,
// redirect URLs, callback URL…).
type ESignParams struct {
	Fields url.Values
	// Document is the document to sign, usually a PDF. It is held in
	// memory; MaxRequestBytes applies.
	Document []byte
	// DocumentField is the document's part name; empty means "file".
	DocumentField string
}

// ESign is the answer of ESignRequest and ESignStatus, and the state an
// eSign callback reports. ID is data.esign_id ("es-<uuid>"; inferred for
// ESignRequest), DocumentStatus data.document_status ("COMPLETED") and
// DownloadLink data.download_link, as seen in integrators' code. URL is the
// first of data.url, esign_url, signing_url or redirect_url (inferred): the
// page where the person signs.
type ESign struct {
	ID             string
	DocumentStatus string
	DownloadLink   string
	URL            string
	RequestID      string
	Data           json.RawMessage
	Raw            json.RawMessage
}

// Completed reports whether the document is signed.
func (e *ESign) Completed() bool { return strings.EqualFold(e.DocumentStatus, "COMPLETED") }

func newESign(env *Envelope, requestID string) *ESign {
	f := flatten(env.Data)
	return &ESign{
		ID: f.first("esign_id", "id"), DocumentStatus: f.first("document_status", "status"),
		DownloadLink: f.first("download_link"), URL: f.first("url", "esign_url", "signing_url", "redirect_url"),
		RequestID: requestID, Data: env.Data, Raw: env.Raw,
	}
}

// ESignRequest starts an Aadhaar eSign of a document (POST /esign/request,
// multipart). It is billed, so it is never resent once it may have reached
// the vendor.
func (c *Client) ESignRequest(ctx context.Context, p ESignParams) (*ESign, error) {
	const op = "atlas.ESignRequest"
	if len(p.Document) == 0 {
		return nil, c.tc.Invalid(op, "Document", "required")
	}
	if len(p.Document) > MaxRequestBytes {
		return nil, c.tc.Invalid(op, "Document", "exceeds the vendor's 100 MB request limit")
	}
	field := p.DocumentField
	if field == "" {
		field = "file"
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range p.Fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				return nil, c.tc.Invalid(op, "Fields", err.Error())
			}
		}
	}
	ct, name := http.DetectContentType(p.Document), "document.bin"
	if strings.HasPrefix(ct, "application/pdf") {
		name = "document.pdf"
	}
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", `form-data; name="`+strings.ReplaceAll(field, `"`, "")+`"; filename="`+name+`"`)
	h.Set("Content-Type", ct)
	w, err := mw.CreatePart(h)
	if err == nil {
		_, err = w.Write(p.Document)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return nil, c.tc.Invalid(op, "Document", err.Error())
	}
	cl := newCall("ESignRequest", http.MethodPost, "/esign/request", nil, transport.Unsafe)
	cl.body = transport.Bytes(mw.FormDataContentType(), buf.Bytes())
	env, id, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	return newESign(env, id), nil
}

// ESignStatus reads the state of an eSign (POST /esign/status?id=…). A
// read: retried like one.
func (c *Client) ESignStatus(ctx context.Context, esignID string) (*ESign, error) {
	const op = "atlas.ESignStatus"
	if err := c.checkID(op, "id", esignID); err != nil {
		return nil, err
	}
	env, id, err := c.do(ctx, newCall("ESignStatus", http.MethodPost, "/esign/status", url.Values{"id": {esignID}}, transport.Idempotent))
	if err != nil {
		return nil, err
	}
	return newESign(env, id), nil
}

// ESignCallback is what FRS Labs sends when an eSign ends: a POST whose form
// field esign_status holds JSON {"download_link", "document_status",
// "esign_id"}, or the browser redirect to the success URL with esign_id,
// token and document_status in the query. The callback carries no
// credentials: confirm it with ESignStatus before acting on it.
type ESignCallback struct {
	ESignID        string
	DocumentStatus string
	DownloadLink   string
	// Token is the redirect's token parameter, when present.
	Token string
	// Raw is the esign_status JSON, or the redirect's parameters as JSON.
	Raw json.RawMessage
}

// Completed reports whether the document is signed.
func (e *ESignCallback) Completed() bool { return strings.EqualFold(e.DocumentStatus, "COMPLETED") }

// ParseESignCallback reads an eSign callback POST or success redirect
// (bodies up to 1 MiB).
func ParseESignCallback(r *http.Request) (*ESignCallback, error) {
	const op = "atlas.ParseESignCallback"
	if r.Method == http.MethodGet {
		return DecodeESignCallback("", nil, r.URL.Query())
	}
	body, err := webhook.ReadBody(r, kyc.Atlas, op, webhook.MaxBody)
	if err != nil {
		return nil, err
	}
	return DecodeESignCallback(r.Header.Get("Content-Type"), body, r.URL.Query())
}

// DecodeESignCallback reads a callback from its Content-Type, body and
// query: a form (urlencoded or multipart) with esign_status, a JSON body
// (the status object itself, or an object with esign_status), or redirect
// parameters in the query.
func DecodeESignCallback(contentType string, body []byte, query url.Values) (*ESignCallback, error) {
	const op = "atlas.ParseESignCallback"
	bad := func(msg string, cause error) error {
		return &kyc.Error{Provider: kyc.Atlas, Op: op, Kind: kyc.ErrInvalidRequest, Message: msg, Err: cause}
	}
	form := url.Values{}
	mt, params, _ := mime.ParseMediaType(contentType)
	t := bytes.TrimSpace(body)
	switch {
	case len(t) == 0:
	case mt == "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		mf, err := mr.ReadForm(webhook.MaxBody)
		if err != nil {
			return nil, bad("the callback form cannot be read", err)
		}
		defer func() { _ = mf.RemoveAll() }()
		form = mf.Value
	case mt == "application/json" || t[0] == '{':
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(t, &probe); err != nil {
			return nil, bad("the callback body is not JSON", err)
		}
		if s, ok := probe["esign_status"]; ok {
			var str string
			if json.Unmarshal(s, &str) == nil {
				form.Set("esign_status", str)
			} else {
				form.Set("esign_status", string(s))
			}
		} else {
			form.Set("esign_status", string(t))
		}
	default:
		f, err := url.ParseQuery(string(t))
		if err != nil {
			return nil, bad("the callback form cannot be read", err)
		}
		form = f
	}
	cb := &ESignCallback{Token: query.Get("token")}
	if st := strings.TrimSpace(form.Get("esign_status")); st != "" {
		var d struct {
			DownloadLink   scalar `json:"download_link"`
			DocumentStatus scalar `json:"document_status"`
			ESignID        scalar `json:"esign_id"`
		}
		if err := json.Unmarshal([]byte(st), &d); err != nil {
			return nil, bad("esign_status is not the expected JSON", err)
		}
		cb.ESignID, cb.DocumentStatus, cb.DownloadLink = string(d.ESignID), string(d.DocumentStatus), string(d.DownloadLink)
		cb.Raw = json.RawMessage(st)
	} else {
		src := query
		if form.Get("esign_id") != "" {
			src = form
		}
		cb.ESignID, cb.DocumentStatus, cb.DownloadLink = src.Get("esign_id"), src.Get("document_status"), src.Get("download_link")
		if cb.Token == "" {
			cb.Token = src.Get("token")
		}
		raw, _ := json.Marshal(map[string]string{"esign_id": cb.ESignID, "document_status": cb.DocumentStatus, "download_link": cb.DownloadLink})
		cb.Raw = raw
	}
	if cb.ESignID == "" {
		return nil, bad("the callback has no esign_id", errors.New("missing esign_id"))
	}
	return cb, nil
}
