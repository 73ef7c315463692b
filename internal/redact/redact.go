// Package redact decides what of a failed call's outside data may reach an
// error string: an excerpt of a structured response body with every value
// masked, a vendor code that has the form of a code, a request id that has
// the form of an id. Everything else that came from outside (vendor free
// text, HTML and plain-text bodies) never reaches an error string, so
// nothing here tries to find personal data inside free text.
//
// The SDK's own texts are not redacted: they hold no personal data by
// construction, and masking them mangled them ("an ISO ####-1 code").
package redact

import (
	"bytes"
	"encoding/xml"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxExcerpt is the longest body excerpt kept in an error string.
const MaxExcerpt = 256

// maxScan is how much of a body is looked at for its excerpt.
const maxScan = 4 * MaxExcerpt

// Mask stands for a masked value.
const Mask = "***"

// TrimPrefix drops a UTF-8 byte-order mark and an XSSI guard (")]}'," and
// the rest of its line) from the start of a body.
func TrimPrefix(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(b, []byte(")]}'")) {
		rest := bytes.TrimPrefix(b[4:], []byte(","))
		b = bytes.TrimLeft(rest, "\r\n")
	}
	return b
}

// Excerpt describes a response body for an error string. A structured body
// (JSON or XML, after TrimPrefix) gives its shape: keys and element names
// are kept, every string value, text node and attribute value becomes
// "***", and every number of four digits or more "#". Anything else (HTML,
// plain text, a body that stops being JSON halfway) gives only its media
// type and length: "text/html body, 112 bytes". The result is at most
// MaxExcerpt bytes plus an ellipsis.
func Excerpt(contentType string, body []byte) string {
	media := mediaType(contentType, body)
	scan := TrimPrefix(body)
	truncated := len(scan) > maxScan
	if truncated {
		scan = scan[:maxScan]
	}
	var (
		out string
		ok  bool
	)
	switch t := bytes.TrimLeft(scan, " \t\r\n"); {
	case len(t) > 0 && (t[0] == '{' || t[0] == '['):
		out, ok = maskJSON(t)
	case len(t) > 0 && t[0] == '<' && !strings.Contains(media, "html"):
		out, ok = maskXML(t)
	}
	if !ok {
		return describe(media, len(body))
	}
	return cut(out, truncated)
}

func describe(media string, n int) string {
	unit := " bytes"
	if n == 1 {
		unit = " byte"
	}
	return media + " body, " + strconv.Itoa(n) + unit
}

// mediaType is the body's media type without parameters, from its
// Content-Type header or else sniffed, limited to a safe charset.
func mediaType(contentType string, body []byte) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || mt == "" {
		mt, _, _ = mime.ParseMediaType(http.DetectContentType(body))
	}
	if mt == "" || len(mt) > 64 || strings.IndexFunc(mt, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("/.+-", r))
	}) >= 0 {
		return "unknown"
	}
	return mt
}

func cut(s string, truncated bool) string {
	if len(s) > MaxExcerpt {
		n := MaxExcerpt
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		return s[:n] + "…"
	}
	if truncated {
		return s + "…"
	}
	return s
}

// maskJSON writes the shape of a JSON document, tolerating a document cut
// short. It fails on anything that is not a JSON token, so that text which
// merely starts with a bracket ("[ERROR] Dear Zaphod …") is not excerpted.
func maskJSON(s []byte) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case strings.IndexByte("{}[]:,", c) >= 0:
			b.WriteByte(c)
			if c == ',' || c == ':' {
				b.WriteByte(' ')
			}
			i++
		case c == '"':
			j, closed := endOfString(s, i)
			k := j
			for k < len(s) && strings.IndexByte(" \t\r\n", s[k]) >= 0 {
				k++
			}
			if closed && k < len(s) && s[k] == ':' && isName(s[i+1:j-1]) {
				b.Write(s[i:j]) // a key of the form of a field name
			} else {
				b.WriteString(`"` + Mask + `"`)
			}
			i = j
		case c == '-' || c >= '0' && c <= '9':
			j, digits := i, 0
			for j < len(s) && strings.IndexByte("+-.eE0123456789", s[j]) >= 0 {
				if s[j] >= '0' && s[j] <= '9' {
					digits++
				}
				j++
			}
			if digits >= 4 {
				b.WriteByte('#')
			} else {
				b.Write(s[i:j])
			}
			i = j
		default:
			lit := ""
			for _, l := range [...]string{"true", "false", "null"} {
				if bytes.HasPrefix(s[i:], []byte(l)) || len(s)-i < len(l) && strings.HasPrefix(l, string(s[i:])) { // or cut short
					lit = l
					break
				}
			}
			if lit == "" {
				return "", false
			}
			b.WriteString(lit)
			i += min(len(lit), len(s)-i)
		}
	}
	return b.String(), true
}

// endOfString returns the index just past the JSON string starting at
// s[i], and whether it was closed.
func endOfString(s []byte, i int) (int, bool) {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1, true
		}
	}
	return len(s), false
}

// isName reports a key or element name of the form of a field name: a
// letter or underscore, then letters, digits and . _ - :, at most 64 bytes
// and no run of four digits. A key that is itself data (a phone number
// keying a map) is masked like a value.
func isName(b []byte) bool {
	if len(b) == 0 || len(b) > 64 {
		return false
	}
	run := 0
	for i, c := range b {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
		digit := c >= '0' && c <= '9'
		if i == 0 && !letter {
			return false
		}
		if !letter && !digit && c != '.' && c != '-' && c != ':' {
			return false
		}
		if digit {
			run++
			if run >= 4 {
				return false
			}
		} else {
			run = 0
		}
	}
	return true
}

// maskXML writes the shape of an XML document: element and attribute
// names, with every attribute value and text node masked. An HTML document
// is not structured data and fails.
func maskXML(s []byte) (string, bool) {
	d := xml.NewDecoder(bytes.NewReader(s))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var b strings.Builder
	elements := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			// The end, or a document cut short or malformed: keep what was
			// read if it was an element.
			return b.String(), elements > 0
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if elements == 0 && strings.EqualFold(t.Name.Local, "html") {
				return "", false
			}
			elements++
			b.WriteString("<" + xmlName(t.Name))
			for _, a := range t.Attr {
				b.WriteString(" " + xmlName(a.Name) + `="` + Mask + `"`)
			}
			b.WriteString(">")
		case xml.EndElement:
			b.WriteString("</" + xmlName(t.Name) + ">")
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				b.WriteString(Mask)
			}
		case xml.Directive:
			if bytes.HasPrefix(bytes.ToLower(bytes.TrimSpace(t)), []byte("doctype html")) {
				return "", false
			}
		}
		if b.Len() > MaxExcerpt {
			return b.String(), true
		}
	}
}

func xmlName(n xml.Name) string {
	name := n.Local
	if n.Space != "" {
		name = n.Space + ":" + n.Local
	}
	if !isName([]byte(name)) {
		return Mask
	}
	return name
}

// IsCode reports whether a vendor's error code has the form of a code, so
// that Error may print it: 1 to 48 bytes of letters, digits and . _ : -,
// no run of more than six digits (a phone or document number), and, when
// it has lower-case letters, an underscore ("invalid_request"), so that a
// name ("Maria", "maria.garcia") is not taken for one. Codes such as
// "PARAMETER_ERROR", "-3", "4019" and "ID-1" pass.
func IsCode(s string) bool {
	if len(s) == 0 || len(s) > 48 {
		return false
	}
	lower, underscore, run := false, false, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			run++
			if run > 6 {
				return false
			}
			continue
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z', c == '.', c == ':', c == '-':
		case c == '_':
			underscore = true
		default:
			return false
		}
		run = 0
	}
	return !lower || underscore
}

// IsRequestID reports whether a vendor's request id has the form of a
// machine-made id, so that Error may print it whole: 1 to 128 bytes of
// letters, digits and . _ : -, with at least one digit, and with at least
// one letter unless it has at most six digits. A name (no digit), an
// e-mail address, a phone number or a long number (which may be a
// document or account number) does not pass.
func IsRequestID(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	letters, digits := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
		case c == '.' || c == '_' || c == ':' || c == '-':
		default:
			return false
		}
	}
	return digits > 0 && (letters > 0 || digits <= 6)
}

// Line makes a text safe on one log line: control characters become
// spaces and invalid UTF-8 is replaced. Nothing else changes.
func Line(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
