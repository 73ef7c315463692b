package webhook

import (
	"net/http"
	"strings"

	"github.com/kyc-go/kyc"
)

// field is r's one field of the given name, its value exactly as received:
// false when there is none, more than one, an empty value, or a value that
// starts or ends with a space or tab. HTTP/1.1 strips that optional
// whitespace before the handler sees the value, HTTP/2 does not (RFC 9113
// §8.2.1 calls such a field malformed), so refusing it makes both protocols
// compare the same bytes: a credential never matches a padded or trimmed
// copy of itself.
func field(r *http.Request, name string) (string, bool) {
	vs := r.Header.Values(name)
	if len(vs) != 1 {
		return "", false
	}
	v := vs[0]
	if v == "" || strings.Trim(v, " \t") != v {
		return "", false
	}
	return v, true
}

// CheckHeader reports whether r carries exactly one field name whose value
// is value, byte for byte, comparing in constant time. A request with more
// than one such field, or padding around its value, never matches, nor
// does a blank value.
func CheckHeader(r *http.Request, name string, value kyc.Secret) bool {
	v, ok := field(r, name)
	if !ok || blank(value) {
		return false
	}
	return equal(v, value.Reveal())
}

// Header is the Auth of a receiver whose vendor presents a static custom
// header, "<name>: <value>" (configured when name is set). Check the name
// with HeaderNameProblem and the value with HeaderValueProblem first.
func Header(name string, value kyc.Secret, acceptUnauthenticated bool) Auth {
	return Auth{Configured: name != "", Check: func(r *http.Request) bool { return CheckHeader(r, name, value) },
		AcceptUnauthenticated: acceptUnauthenticated}
}

// reservedNames are the fields a static webhook header may not be: the
// credential fields that have a scheme of their own (Authorization is
// checked with Bearer or Basic), and those net/http or a proxy reads,
// rewrites or drops before the handler sees them.
var reservedNames = map[string]string{
	"authorization":       "Authorization is checked as a bearer token or Basic credentials, not as a static header",
	"proxy-authorization": "a credential field of the HTTP proxy, not of the receiver",
	"cookie":              "a credential field of its own syntax, not a static header",
	"host":                "a field net/http reads itself",
	"content-length":      "a field net/http reads itself",
	"content-type":        "a field the vendor sets for its body",
	"transfer-encoding":   "a field net/http reads itself",
	"connection":          "a hop-by-hop field a proxy drops",
	"keep-alive":          "a hop-by-hop field a proxy drops",
	"proxy-connection":    "a hop-by-hop field a proxy drops",
	"te":                  "a hop-by-hop field a proxy drops",
	"trailer":             "a hop-by-hop field a proxy drops",
	"upgrade":             "a hop-by-hop field a proxy drops",
	"expect":              "a field net/http reads itself",
}

// HeaderNameProblem says why name cannot be a static webhook header, or ""
// when it can: it must be an HTTP field name (a token of RFC 9110 §5.1,
// at most 256 characters) and not a field with a meaning of its own
// (Authorization, Cookie, Host, Content-Length, hop-by-hop fields…).
func HeaderNameProblem(name string) string {
	if name == "" || len(name) > 256 {
		return "an HTTP header name of 1 to 256 characters"
	}
	for i := 0; i < len(name); i++ {
		if !tchar(name[i]) {
			return "an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)"
		}
	}
	if why, ok := reservedNames[strings.ToLower(name)]; ok {
		return why
	}
	return ""
}

// HeaderValueProblem says why value cannot be a static webhook header's
// value, or "" when it can: not blank, visible ASCII with inner spaces
// only (no control character, no padding a protocol would strip), at most
// 4096 bytes.
func HeaderValueProblem(value kyc.Secret) string {
	v := value.Reveal()
	switch {
	case blank(value):
		return "required (not only spaces)"
	case len(v) > 4096:
		return "at most 4096 bytes"
	case strings.Trim(v, " \t") != v:
		return "must not start or end with a space or tab (HTTP strips them)"
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' || c > '~' {
			return "visible ASCII characters and inner spaces only"
		}
	}
	return ""
}

// tchar reports a token character of RFC 9110 §5.6.2.
func tchar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
