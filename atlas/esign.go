package atlas

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
	"github.com/kyc-go/kyc/internal/webhook"
)

// ESignRequest is an eSign request. The field names of /esign/request are
// not public (integrators send "form data + files"), so they are given as
// they are in Fields, under the names your Atlas documentation uses (signer
// name, redirect URLs, callback URL…).
type ESignRequest struct {
	Fields url.Values
	// Document is the document to sign, usually a PDF. It is held in
	// memory; MaxRequestBytes applies.
	Document []byte
	// DocumentField is the document's part name; empty means "file".
	DocumentField string
}

// ESignResult is the answer of ESignRequest and ESignStatus. ID is
// data.esign_id ("es-<uuid>"; inferred for ESignRequest), DocumentStatus
// data.document_status ("COMPLETED") and DownloadLink data.download_link,
// as seen in integrators' code. URL is the first of data.url, esign_url,
// signing_url or redirect_url (inferred): the page where the person signs.
type ESignResult struct {
	ID             string
	DocumentStatus string
	DownloadLink   string
	URL            string
	RequestID      string
	// Data and Raw are the vendor's data and body (personal data; the
	// download link is a credential to the signed document).
	Data json.RawMessage
	Raw  json.RawMessage
}

// Completed reports whether the document is signed.
func (e *ESignResult) Completed() bool { return strings.EqualFold(e.DocumentStatus, "COMPLETED") }

func (e *ESignResult) fromEnvelope(env *Envelope) error {
	f := flatten(env.Data)
	*e = ESignResult{
		ID: f.first("esign_id", "id"), DocumentStatus: f.first("document_status", "status"),
		DownloadLink: f.first("download_link"), URL: f.first("url", "esign_url", "signing_url", "redirect_url"),
		Data: env.Data, Raw: env.Raw,
	}
	return nil
}

// ESignRequest starts an Aadhaar eSign of a document (multipart: the
// fields, then the document). The vendor may send the signing link to the
// signer, so it is classed messaging: never resent once it was written.
//
//	POST /esign/request (messaging) — inferred from integrators' public code for API v2
func (c *Client) ESignRequest(ctx context.Context, req ESignRequest) (*ESignResult, error) {
	op := opESignRequest.Name
	if len(req.Document) == 0 {
		return nil, c.tc.Invalid(op, "Document", "required")
	}
	if int64(len(req.Document)) > c.maxBody {
		return nil, c.tc.Invalid(op, "Document", "exceeds the vendor's 100 MB request limit")
	}
	field := req.DocumentField
	if field == "" {
		field = "file"
	}
	if !transport.SafeText(field) {
		return nil, c.tc.Invalid(op, "DocumentField", "must not contain control characters")
	}
	parts := make([]transport.Part, 0, len(req.Fields)+1)
	for _, k := range slices.Sorted(maps.Keys(req.Fields)) {
		for _, v := range req.Fields[k] {
			parts = append(parts, transport.Part{Name: k, Value: v})
		}
	}
	ct, name := http.DetectContentType(req.Document), "document.bin"
	if strings.HasPrefix(ct, "application/pdf") {
		name = "document.pdf"
	}
	parts = append(parts, transport.Part{Name: field, File: document{data: req.Document, contentType: ct, name: name}})
	body, err := transport.Multipart(parts...)
	if err != nil {
		return nil, c.tc.Invalid(op, "Fields", "cannot be encoded as multipart")
	}
	out := new(ESignResult)
	return sendFor(ctx, c, opESignRequest, nil, body, out, &out.RequestID)
}

// document is an eSign document as a transport.Media.
type document struct {
	data              []byte
	contentType, name string
}

func (d document) Open() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(d.data)), nil }
func (d document) Replayable() bool             { return true }
func (d document) Size() int64                  { return int64(len(d.data)) }
func (d document) ContentType() string          { return d.contentType }
func (d document) Filename() string             { return d.name }

// ESignStatus reads the state of an eSign (query id). A read: retried like
// one.
//
//	POST /esign/status (free) — inferred from integrators' public code for API v2
func (c *Client) ESignStatus(ctx context.Context, esignID string) (*ESignResult, error) {
	if err := c.checkID(opESignStatus.Name, "id", esignID); err != nil {
		return nil, err
	}
	out := new(ESignResult)
	return sendFor(ctx, c, opESignStatus, url.Values{"id": {esignID}}, transport.Body{}, out, &out.RequestID)
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
	// The causes are dropped: a parser's error may quote the callback,
	// whose fields (the download link's token) are not for logs.
	bad := func(msg string) error {
		return &kyc.Error{Provider: kyc.Atlas, Op: op, Kind: kyc.ErrInvalidRequest, Message: msg, NotSent: true, Unprocessed: true}
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
			return nil, bad("the callback form cannot be read")
		}
		defer func() { _ = mf.RemoveAll() }()
		form = mf.Value
	case mt == "application/json" || t[0] == '{':
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(t, &probe); err != nil {
			return nil, bad("the callback body is not JSON")
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
			return nil, bad("the callback form cannot be read")
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
			return nil, bad("esign_status is not the expected JSON")
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
		return nil, bad("the callback has no esign_id")
	}
	return cb, nil
}
