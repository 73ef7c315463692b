package kyc

import (
	"cmp"
	"slices"
	"strings"
)

//go:generate go run ./internal/gen/countries -o countries_gen.go

// country is one row of the generated ISO 3166-1 table.
type country struct{ alpha3, alpha2, name string }

// withdrawnCountry is an alpha-3 code removed from ISO 3166-1.
type withdrawnCountry struct{ alpha3, successor, year string }

// IsCountryCode reports whether s is a current ISO 3166-1 alpha-3 code, in
// capitals: "ESP" is, "esp", "ES" and "XYZ" are not. The table is generated
// from Debian's iso-codes data (see countries_gen.go for its version and
// date).
func IsCountryCode(s string) bool {
	_, ok := findCountry(s)
	return ok
}

// CountryFromAlpha2 converts an ISO 3166-1 alpha-2 code ("ES", or "es")
// into the alpha-3 code a Request takes ("ESP"). It reports false for a
// code that is not a current alpha-2 code. Request.Country never takes an
// alpha-2 code itself: the conversion is the caller's, on purpose.
func CountryFromAlpha2(code string) (string, bool) {
	// ASCII letters only: strings.ToUpper would fold U+017F (ſ) to S and
	// U+0131 (ı) to I, so "ſe" would read as SWE.
	if len(code) != 2 || !letters(code) {
		return "", false
	}
	code = strings.ToUpper(code)
	i, ok := slices.BinarySearchFunc(byAlpha2[:], code, func(x uint8, s string) int {
		return cmp.Compare(countries[x].alpha2, s)
	})
	if !ok {
		return "", false
	}
	return countries[byAlpha2[i]].alpha3, true
}

// CountryAlpha2 converts an ISO 3166-1 alpha-3 code ("ESP") into its
// alpha-2 code ("ES"), as some vendors and phone-number plans spell it. It
// reports false for a code that IsCountryCode refuses.
func CountryAlpha2(code string) (string, bool) {
	c, ok := findCountry(code)
	return c.alpha2, ok
}

func findCountry(code string) (country, bool) {
	i, ok := slices.BinarySearchFunc(countries[:], code, func(c country, s string) int {
		return cmp.Compare(c.alpha3, s)
	})
	if !ok {
		return country{}, false
	}
	return countries[i], true
}

// countryHint says what is wrong with a code IsCountryCode refused, and
// what to send instead. It quotes the code only when it is two or three
// ASCII letters, so no other input reaches an error message.
func countryHint(s string) string {
	const want = "an ISO 3166-1 alpha-3 code in capitals, such as ESP, IND or MEX"
	if !letters(s) || len(s) < 2 || len(s) > 3 {
		return "not " + want
	}
	up := strings.ToUpper(s)
	if len(s) == 2 {
		if a3, ok := CountryFromAlpha2(up); ok {
			return s + " is an alpha-2 code: give " + want + " (" + a3 + " here; kyc.CountryFromAlpha2 converts)"
		}
		return s + " is not " + want
	}
	if up != s && IsCountryCode(up) {
		return s + " is not " + want + ": did you mean " + up + "?"
	}
	if i, ok := slices.BinarySearchFunc(withdrawn[:], up, func(w withdrawnCountry, s string) int {
		return cmp.Compare(w.alpha3, s)
	}); ok {
		w := withdrawn[i]
		msg := up + " was withdrawn from ISO 3166-1 in " + w.year
		if w.successor != "" {
			return msg + ": did you mean " + w.successor + "?"
		}
		return msg + ": give " + want
	}
	var near []string
	for _, c := range countries {
		if hamming1(c.alpha3, up) {
			near = append(near, c.alpha3)
		}
	}
	if len(near) > 0 && len(near) <= 4 {
		return s + " is not " + want + ": did you mean " + strings.Join(near, " or ") + "?"
	}
	return s + " is not " + want
}

func letters(s string) bool {
	for i := range len(s) {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// hamming1 reports whether a and b, of the same length, differ in exactly
// one letter.
func hamming1(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	d := 0
	for i := range len(a) {
		if a[i] != b[i] {
			d++
		}
	}
	return d == 1
}
