package tolerant

// Scores written as percentages: the one range rule the vendor packages
// apply to a score they read from text.

import (
	"errors"
	"strconv"
	"strings"
)

// PercentMax is the top of a percentage score's range.
const PercentMax = 100

// Percent reads a score written as a percentage. number reports that s is
// written as a number at all: anything strconv.ParseFloat reads, "NaN",
// "Inf", "0x1p6", "-5" and the overflowing "1e999" included. ok reports that
// it is a score: a decimal number (digits, an optional fraction and an
// optional exponent, no sign, no hex) from 0 to 100, such as "99.9",
// "100.0" or "1.0E-4". Text such as "PASSED", and "", are neither.
func Percent(s string) (x float64, number, ok bool) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, false, false
	}
	x, err := strconv.ParseFloat(t, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false, false
	}
	if !decimal(t) || err != nil || x < 0 || x > PercentMax {
		return 0, true, false
	}
	return x, true, true
}

// decimal reports whether s is digits with an optional fraction (a point
// between digits) and an optional exponent: "99.9", "100", "1.0E-4", never
// "+1", ".5", "5.", "0x1p6", "Inf" or "1_000".
func decimal(s string) bool {
	digits := func(p string) bool { return p != "" && strings.Trim(p, "0123456789") == "" }
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], strings.TrimLeft(s[i+1:], "+-")
		if len(s[i+1:])-len(exp) > 1 || !digits(exp) {
			return false
		}
	}
	whole, frac, dot := strings.Cut(mant, ".")
	return digits(whole) && (!dot || digits(frac))
}

// Signed is a number written either as a decimal (Percent's form: digits,
// an optional fraction and exponent, no sign) or as a negative integer code
// ("-7"): Verificar's Resultado, a similarity or the code of why the check
// failed. Any other spelling ("0x1.4p6", "+80", "80,0", "-7.5", "NaN",
// "Inf") is refused, so that no odd spelling of a number can become a
// passing similarity; the range is the caller's to check (a decimal may be
// 1e308). An empty text or null is absent (Valid false).
type Signed struct {
	Value float64
	Valid bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (s *Signed) UnmarshalJSON(b []byte) error {
	v, ok, err := scalar(b, parseSigned)
	if err == nil {
		*s = Signed{Value: v, Valid: ok}
	}
	return err
}

// parseSigned reads t as Signed's doc says.
func parseSigned(t string) (float64, error) {
	if digits, code := strings.CutPrefix(t, "-"); code {
		if digits == "" || len(digits) > 18 || strings.Trim(digits, "0123456789") != "" {
			return 0, errors.New("tolerant: a negative code is an integer")
		}
	} else if !decimal(t) {
		return 0, errors.New("tolerant: not a decimal number")
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, errors.New("tolerant: not a decimal number")
	}
	return v, nil
}
