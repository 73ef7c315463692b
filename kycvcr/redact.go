package kycvcr

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Redacted replaces every value the redaction rules take out of a cassette;
// RedactedURL replaces a URL.
const (
	Redacted    = "REDACTED"
	RedactedURL = "https://redacted.example/REDACTED"
)

// strictKeys are the key fragments (lower case) whose values are always
// redacted: credentials, and who a person is, in the SDK's vocabulary and
// the five vendors' (English, Spanish for Verificar, Indonesian for
// ADVANCE.AI).
var strictKeys = []string{
	"token", "secret", "password", "passwd", "apikey", "api_key", "api-key", "key_id", "keyid",
	"authorization", "cookie", "hardware", "access",
	"name", "nombre", "apellido", "nama", "surname", "given", "birth", "dob", "nacimiento", "tanggal", "fecha",
	"sex", "gender", "nationality", "nacionalidad", "address", "direccion", "alamat", "street", "city", "zip",
	"postal", "phone", "telefono", "movil", "mobile", "email", "correo", "mail", "mrz", "base64",
	"dni", "nie", "nik", "aadhaar", "passport", "text", "message", "mensaje", "url", "link", "signed",
}

// softKeys are the key fragments whose values are personal unless they are
// an outcome: under them an enum-like token ("MATCH", "VALID", "approved")
// and a score or small count stay, so that a replayed body decodes to the
// recorded verdict; any other value (a number of six digits, a date, an
// image, free text) is redacted.
var softKeys = []string{
	"document", "documento", "number", "numero", "pan", "uid", "license", "licence", "ocr", "image", "imagen",
	"photo", "foto", "selfie", "face", "front", "back", "video", "file", "certificate", "auth", "session",
}

// requestKeys are redacted in requests only: values that change on every
// request (timestamps, nonces, idempotency keys), which a replay's request
// cannot repeat. Responses keep them, so that the SDK reads an expiry as it
// read it when recording.
var requestKeys = []string{"time", "nonce", "idempotent", "request_id", "requestid"}

// level is how a value under a key is redacted.
type level int

const (
	keep level = iota
	soft
	strict
)

// exactKeys are redacted only when they are the whole key (a "signature"
// is a credential, a "signatureId" the vendor's id of a verification).
var exactKeys = []string{"signature", "sign", "sig", "key", "auth"}

func keyLevel(key string, request bool) level {
	k := strings.ToLower(key)
	for _, e := range exactKeys {
		if k == e {
			return strict
		}
	}
	if request {
		for _, p := range requestKeys {
			if strings.Contains(k, p) {
				return strict
			}
		}
	}
	for _, p := range strictKeys {
		if strings.Contains(k, p) {
			return strict
		}
	}
	for _, p := range softKeys {
		if strings.Contains(k, p) {
			return soft
		}
	}
	return keep
}

// isPersonalKey reports whether a form field or query key's value is
// redacted (forms and queries carry no outcomes).
func isPersonalKey(key string) bool { return keyLevel(key, true) != keep }

// token reports an enum-like value: letters and underscores, at most 24.
func token(s string) bool {
	if s == "" || len(s) > 24 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
			return false
		}
	}
	return true
}

// suspicious reports a value that is personal or secret whatever its key:
// long values (images, tokens, signed URLs), e-mail addresses, and JWTs.
func suspicious(s string) bool {
	if len(s) >= 96 || strings.Contains(s, "@") {
		return true
	}
	return strings.Count(s, ".") == 2 && strings.HasPrefix(s, "ey")
}

// redactJSON returns body with every personal or suspicious value
// replaced, keeping the document's shape and types (a string stays a
// string, a number becomes 0), so that the SDK decodes a replayed body as it
// decoded the recorded one. It returns false when body is not JSON.
func redactJSON(body []byte, request bool) ([]byte, bool) {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, false
	}
	out, err := json.Marshal(redactValue(v, keep, request))
	if err != nil {
		return nil, false
	}
	return out, true
}

func redactValue(v any, lv level, request bool) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = redactValue(e, max(lv, keyLevel(k, request)), request)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = redactValue(e, lv, request)
		}
		return x
	case string:
		if lv == strict || suspicious(x) || lv == soft && !token(x) {
			if u, err := url.Parse(x); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
				return RedactedURL // a URL stays a URL, so that the SDK's checks of it pass
			}
			return Redacted
		}
		return x
	case json.Number:
		if lv == strict || lv == soft && digits(string(x)) >= 6 {
			return json.Number("0")
		}
		return x
	case bool:
		if lv == strict {
			return false
		}
		return x
	}
	return v
}

// redactValues redacts a form or a query: the values of personal keys and
// suspicious values. Keys are kept.
func redactValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		for _, s := range vs {
			if isPersonalKey(k) || suspicious(s) {
				s = Redacted
			}
			out.Add(k, s)
		}
	}
	return out
}

// redactURL keeps the path and the query's keys: the host (a fake's port, a
// sandbox's name) is left out, so a cassette replays against any base URL,
// and every query value of a personal key is redacted. Path segments that
// look like data (a document number in an EKYC ABIS path) are redacted too.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return Redacted
	}
	segs := strings.Split(u.EscapedPath(), "/")
	for i, s := range segs {
		if p, err := url.PathUnescape(s); err == nil && (suspicious(p) || digits(p) >= 6) {
			segs[i] = Redacted
		}
	}
	out := strings.Join(segs, "/")
	if q := redactValues(u.Query()); len(q) > 0 {
		out += "?" + q.Encode()
	}
	return out
}

func digits(s string) int {
	n := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}

// redactBody returns a request body's redacted form by its content type: JSON
// with its shape, a form with its keys, a multipart body as one line per
// part (file parts and personal fields redacted), anything else (an image,
// a PDF) as its media type and length.
func redactBody(contentType string, body []byte) string {
	if len(body) == 0 {
		return ""
	}
	media, params, _ := mime.ParseMediaType(contentType)
	switch {
	case strings.HasPrefix(media, "multipart/"):
		return redactMultipart(params["boundary"], body)
	case media == "application/x-www-form-urlencoded":
		v, err := url.ParseQuery(string(body))
		if err != nil {
			return Redacted
		}
		return redactValues(v).Encode()
	}
	if out, ok := redactJSON(body, true); ok {
		return string(out)
	}
	if media == "" {
		media = "unknown"
	}
	return Redacted + " (" + media + ", " + strconv.Itoa(len(body)) + " bytes)"
}

func redactMultipart(boundary string, body []byte) string {
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	var parts []string
	for {
		p, err := r.NextPart()
		if err != nil {
			break
		}
		b, _ := io.ReadAll(io.LimitReader(p, 1<<20))
		value := string(b)
		switch {
		case p.FileName() != "":
			value = Redacted + " (file, " + strconv.Itoa(len(b)) + " bytes)"
		case isPersonalKey(p.FormName()) || suspicious(value):
			value = Redacted
		default:
			if out, ok := redactJSON(b, true); ok {
				value = string(out)
			}
		}
		parts = append(parts, p.FormName()+"="+value)
	}
	sort.Strings(parts) // the order of parts is the encoder's, not the request's meaning
	return "multipart: " + strings.Join(parts, "; ")
}
