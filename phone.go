package kyc

import (
	"strings"
)

//go:generate go run ./internal/gen/phones -o phones_gen.go

// maxPhoneLength bounds the phone text parsed, separators included.
const maxPhoneLength = 32

// NormalizePhone returns phone in E.164 form, "+" then the country calling
// code and the number ("+34600000001"), checked against a compact table of
// libphonenumber's numbering plans (phones_gen.go): the country calling
// code, and the national number's lengths and general pattern. It accepts:
//
//   - the international form, "+34600000001", whatever country is;
//   - with country set (ISO 3166-1 alpha-3, as Request.Country), a national
//     number of that country, "600000001" for "ESP", and the international
//     form without its "+", "34600000001";
//   - with country empty, digits without "+" as the international form
//     without its "+", "34600000001".
//
// Spaces, hyphens, dots and parentheses between digits are dropped. Letters,
// extensions and numbers no plan knows are refused with an ErrInvalidRequest
// *Error naming the field "Person.Phone" and the form expected, with an
// example number of the country. The vendors that send a phone send this
// form (Verificar without its "+", as Mensatek documents).
//
// The table reads numbers as libphonenumber does but checks only their
// shape: a number that fits its plan but none of the plan's types of line
// ("+34500000001") is accepted. phone.Normalize, in the package
// github.com/kyc-go/kyc/phone, refuses it too.
func NormalizePhone(phone, country string) (string, error) {
	return normalizePhone("kyc.NormalizePhone", phone, country)
}

func normalizePhone(op, phone, country string) (string, error) {
	bad := func(msg string) (string, error) { return "", invalid(op, string(FieldPhone), msg) }
	region := ""
	if country != "" {
		r, ok := CountryAlpha2(country)
		if !ok {
			return "", invalid(op, string(FieldCountry), countryHint(country))
		}
		region = r
	}
	if len(phone) > maxPhoneLength {
		return bad("too long: give the international form, such as " + examplePhone(region, true))
	}
	digits, plus, ok := phoneDigits(phone)
	switch {
	case !ok:
		return bad("only digits, with spaces, hyphens, dots or parentheses between them and an optional leading +: give the international form, such as " + examplePhone(region, true))
	case digits == "":
		return bad("no digits: give the international form, such as " + examplePhone(region, true))
	}
	home := -1
	if region != "" {
		home = findPhonePlan(region)
	}
	e164, ok := "", false
	switch {
	case plus || region == "":
		e164, ok = internationalPhone(digits)
	case home >= 0:
		e164, ok = nationalPhone(home, digits)
	}
	if ok {
		return e164, nil
	}
	switch {
	case plus || region == "":
		hint := "not a valid phone number in international form: give + then the country calling code and the number, such as " + examplePhone(region, true)
		if !plus {
			hint += ", or set Country for a national number"
		}
		return bad(hint)
	case home < 0:
		return bad("no numbering plan is known for " + country + ": give the international form, + then the country calling code and the number")
	}
	return bad("not a valid phone number of " + country + ": give a national number of " + country + ", such as " +
		examplePhone(region, false) + ", or the international form, such as " + examplePhone(region, true))
}

// phoneDigits returns the digits of s and whether it starts with '+'. It
// reports false when s holds anything but digits, the separators people
// write, and one leading '+'.
func phoneDigits(s string) (digits string, plus, ok bool) {
	s = strings.Trim(s, " ")
	if rest, found := strings.CutPrefix(s, "+"); found {
		s, plus = rest, true
	}
	var b strings.Builder
	for i := range len(s) {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return "", plus, false
		}
	}
	return b.String(), plus, true
}

// examplePhone is libphonenumber's example mobile number of region (an
// ISO 3166-1 alpha-2 code), in international or national form, digits
// only; Spain's without a region.
func examplePhone(region string, international bool) string {
	if region == "" {
		region = "ES"
	}
	i := findPhonePlan(region)
	if i < 0 || phonePlans[i].example == "" {
		return "+34612345678"
	}
	if international {
		return "+" + phonePlans[i].example
	}
	return phonePlans[i].national
}

// IsPhone reports whether s is a valid phone number in E.164 form, with
// or without its leading '+': digits only, the country calling code first,
// 15 digits at most ("+34600000001", "34600000001"). NormalizePhone accepts
// more forms and returns this one.
func IsPhone(s string) bool {
	d := strings.TrimPrefix(s, "+")
	if d == "" || len(d) > 15 {
		return false
	}
	for i := range len(d) {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	_, err := normalizePhone("", d, "")
	return err == nil
}
