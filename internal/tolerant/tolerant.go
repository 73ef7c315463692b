// Package tolerant decodes vendor JSON that is loose about types: numbers
// sent as strings and strings sent as numbers, objects sent as one-element
// arrays, dates in several layouts.
package tolerant

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// String decodes a JSON string, number, boolean or null into a string.
type String string

// UnmarshalJSON implements json.Unmarshaler.
func (s *String) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*s = ""
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = String(v)
	case b[0] == '{' || b[0] == '[':
		return errors.New("tolerant: expected a scalar")
	default:
		*s = String(b)
	}
	return nil
}

// text decodes b as String does and returns it without surrounding white
// space: the text Int, Float and Bool parse.
func text(b []byte) (string, error) {
	var s String
	if err := s.UnmarshalJSON(b); err != nil {
		return "", err
	}
	return strings.TrimSpace(string(s)), nil
}

// Int decodes a JSON number or a string holding an integer; "" and null are
// 0. A fractional number is truncated.
type Int int64

// UnmarshalJSON implements json.Unmarshaler.
func (i *Int) UnmarshalJSON(b []byte) error {
	v, _, err := scalar(b, func(t string) (int64, error) {
		if v, err := strconv.ParseInt(t, 10, 64); err == nil {
			return v, nil
		}
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return 0, errors.New("tolerant: not an integer")
		}
		return int64(f), nil
	})
	if err == nil {
		*i = Int(v)
	}
	return err
}

// scalar reads b's text as String does and parses it; "" and null are the
// zero value with ok false, which Int, Float and Signed all read as absent.
func scalar[T any](b []byte, parse func(string) (T, error)) (v T, ok bool, err error) {
	t, err := text(b)
	if err != nil || t == "" {
		return v, false, err
	}
	if v, err = parse(t); err != nil {
		return v, false, err
	}
	return v, true, nil
}

// Float decodes a JSON number or a string holding one; Valid is false for
// "", null or a missing field.
type Float struct {
	Value float64
	Valid bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *Float) UnmarshalJSON(b []byte) error {
	v, ok, err := scalar(b, func(t string) (float64, error) {
		v, err := strconv.ParseFloat(strings.Replace(t, ",", ".", 1), 64)
		if err != nil {
			return 0, errors.New("tolerant: not a number")
		}
		return v, nil
	})
	if err == nil {
		*f = Float{Value: v, Valid: ok}
	}
	return err
}

// Bool decodes true/false, "true"/"false", "1"/"0", "yes"/"no", "si"/"no".
type Bool bool

// UnmarshalJSON implements json.Unmarshaler.
func (v *Bool) UnmarshalJSON(b []byte) error {
	t, err := text(b)
	if err != nil {
		return err
	}
	switch strings.ToLower(t) {
	case "true", "1", "yes", "si", "sí", "y":
		*v = true
	default:
		*v = false
	}
	return nil
}

// One decodes into v either a JSON object or an array whose first element is
// that object. An empty array is an error.
func One(b []byte, v any) error {
	t := bytes.TrimSpace(b)
	if len(t) > 0 && t[0] == '[' {
		var arr []json.RawMessage
		if err := json.Unmarshal(t, &arr); err != nil {
			return err
		}
		if len(arr) == 0 {
			return errors.New("tolerant: empty array")
		}
		t = arr[0]
	}
	return json.Unmarshal(t, v)
}

// Nested decodes JSON held in a string field ("{\"a\":1}") or given as a
// JSON value directly, into v. An empty string or null leaves v unchanged.
func Nested(raw json.RawMessage, v any) error {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || string(t) == "null" {
		return nil
	}
	if t[0] == '"' {
		var s string
		if err := json.Unmarshal(t, &s); err != nil {
			return err
		}
		if strings.TrimSpace(s) == "" {
			return nil
		}
		return json.Unmarshal([]byte(s), v)
	}
	return json.Unmarshal(t, v)
}

// Date parses s with the first layout that fits, returning midnight UTC of
// that date, or the zero time when none fits.
func Date(s string, layouts ...string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			y, m, d := t.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		}
	}
	return time.Time{}
}

// EpochMillis converts milliseconds since the epoch (as a number or string)
// to the UTC date at midnight; 0 and unparsable values give the zero time.
func EpochMillis(s string) time.Time {
	ms, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || ms == 0 {
		return time.Time{}
	}
	y, m, d := time.UnixMilli(ms).UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// StrictInt decodes a documented integer only: a JSON integer number
// ("5100", no fraction or exponent) or a string holding one (decimal
// digits, an optional leading minus). "0x13ECp0", 5100.9, 5.1e3 and "" are
// errors, so that a state or result code never reads as another one.
type StrictInt int64

// UnmarshalJSON implements json.Unmarshaler.
func (i *StrictInt) UnmarshalJSON(b []byte) error {
	var s String
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	t := string(s)
	digits := strings.TrimPrefix(t, "-")
	if digits == "" || len(digits) > 18 || strings.Trim(digits, "0123456789") != "" {
		return errors.New("tolerant: not a decimal integer")
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return errors.New("tolerant: not a decimal integer")
	}
	*i = StrictInt(v)
	return nil
}

// DuplicateKey reports whether a JSON object (or the one object of a
// one-element array, as One reads it) repeats a key, compared without case
// as encoding/json matches fields: the first and the last of them would
// otherwise disagree about which one counts. It does not look into nested
// values.
func DuplicateKey(b []byte) bool {
	t := bytes.TrimSpace(b)
	if len(t) > 0 && t[0] == '[' {
		var arr []json.RawMessage
		if json.Unmarshal(t, &arr) != nil || len(arr) == 0 {
			return false
		}
		t = arr[0]
	}
	dec := json.NewDecoder(bytes.NewReader(t))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return false
	}
	seen := map[string]bool{}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return false
		}
		key, _ := k.(string)
		if seen[strings.ToLower(key)] {
			return true
		}
		seen[strings.ToLower(key)] = true
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return false
		}
	}
	return false
}
