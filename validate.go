package kyc

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field length limits that Validate enforces. Vendors have their own, often
// tighter; vendor packages check those.
const (
	MaxIDLength      = 128
	MaxNameLength    = 256
	MaxNumberLength  = 64
	MaxMessageLength = 1000
	MaxURLLength     = 2048
)

// Validate checks what is wrong with a Request whatever the provider: field
// formats and lengths, control characters, the country (a current ISO
// 3166-1 alpha-3 code, see IsCountryCode), the phone (a number that
// NormalizePhone accepts: international form, or a national number of
// Country), the e-mail form, the URLs. It returns an ErrInvalidRequest
// *Error naming the field, with a message saying which form is expected, or
// nil. It does not change the Request: vendor clients send
// NormalizePhone(Person.Phone, Country). It does not check which fields a
// provider needs; see Capabilities.Check.
func (req Request) Validate() error {
	const op = "kyc.Request.Validate"
	texts := []struct {
		field string
		value string
		max   int
		form  textForm
	}{
		{"ID", req.ID, MaxIDLength, keyText},
		{"Document.Number", req.Document.Number, MaxNumberLength, lineText},
		{"Person.FullName", req.Person.FullName, MaxNameLength, lineText},
		{"Person.Email", req.Person.Email, MaxNameLength, lineText},
		{"Link.Message", req.Link.Message, MaxMessageLength, multilineText},
		{"Link.Sender", req.Link.Sender, MaxNameLength, lineText},
	}
	for _, t := range texts {
		if err := checkText(op, t.field, t.value, t.max, t.form); err != nil {
			return err
		}
	}
	if req.Country != "" && !IsCountryCode(req.Country) {
		return invalid(op, string(FieldCountry), countryHint(req.Country))
	}
	if !IsLanguageTag(req.Link.Language) {
		return invalid(op, string(FieldLanguage), "a language tag such as en-US: ASCII letters, digits and '-', at most 35")
	}
	if req.Person.Phone != "" {
		if _, err := normalizePhone(op, req.Person.Phone, req.Country); err != nil {
			return err
		}
	}
	if e := req.Person.Email; e != "" {
		at := strings.LastIndexByte(e, '@')
		if at < 1 || at == len(e)-1 || strings.ContainsAny(e, " <>") {
			return invalid(op, string(FieldEmail), "not an e-mail address")
		}
	}
	for _, u := range []struct{ field, value string }{
		{string(FieldReturnURL), req.Link.ReturnURL},
		{"Link.FailReturnURL", req.Link.FailReturnURL},
	} {
		if u.value == "" {
			continue
		}
		if len(u.value) > MaxURLLength {
			return invalid(op, u.field, "too long")
		}
		p, err := url.Parse(u.value)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return invalid(op, u.field, "an absolute http(s) URL")
		}
	}
	return nil
}

// textForm is what a Request text may hold beyond printable characters.
type textForm uint8

const (
	// lineText: one line; no control characters, no bidirectional
	// controls (which make a text read differently from its bytes). Other
	// format characters stay (the zero-width joiners of Indic names).
	lineText textForm = iota
	// multilineText: lineText with newlines (an SMS text).
	multilineText
	// keyText: an idempotency key, compared byte for byte and shown to
	// operators: no control and no format character at all.
	keyText
)

func checkText(op, field, v string, limit int, form textForm) error {
	if len(v) > limit {
		return invalid(op, field, "too long")
	}
	if !utf8.ValidString(v) {
		return invalid(op, field, "not valid UTF-8")
	}
	for _, r := range v {
		switch {
		case unicode.IsControl(r) && (r != '\n' || form != multilineText):
			return invalid(op, field, "contains control characters")
		case form == keyText && unicode.Is(unicode.Cf, r):
			return invalid(op, field, "contains invisible format characters")
		case unicode.Is(unicode.Bidi_Control, r):
			return invalid(op, field, "contains bidirectional control characters")
		}
	}
	return nil
}

// IsLanguageTag reports whether l is empty or a plausible language tag, the
// form LinkOptions.Language takes:
// ASCII letters, digits and '-', at most MaxLanguageLength, starting with a
// letter and neither ending with '-' nor holding "--".
func IsLanguageTag(l string) bool {
	if l == "" {
		return true
	}
	if len(l) > MaxLanguageLength || !isASCIILetter(l[0]) || l[len(l)-1] == '-' || strings.Contains(l, "--") {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !isASCIILetter(c) && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
