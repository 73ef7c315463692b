package atlas

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
)

// fields holds the scalar values of a data object, for the tolerant
// decoding of bodies whose shape the public docs do not give. Keys are
// lower-cased; nested objects are flattened with dotted keys, and each
// nested value is also reachable by its last key segment when no top-level
// key has that name.
type fields map[string]string

// flatten reads data (an object; anything else gives no fields). It never
// fails: values that are not scalars are skipped.
func flatten(data json.RawMessage) fields {
	out := fields{}
	var walk func(prefix string, raw json.RawMessage, depth int)
	walk = func(prefix string, raw json.RawMessage, depth int) {
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys) // deterministic choice between short-key collisions
		for _, k := range keys {
			v := bytes.TrimSpace(m[k])
			name := strings.ToLower(k)
			if prefix != "" {
				name = prefix + "." + name
			}
			if len(v) > 0 && v[0] == '{' {
				if depth < 3 {
					walk(name, v, depth+1)
				}
				continue
			}
			var s tolerant.String
			if s.UnmarshalJSON(v) != nil {
				continue
			}
			out[name] = strings.TrimSpace(string(s))
		}
	}
	walk("", data, 0)
	for k, v := range out {
		if i := strings.LastIndexByte(k, '.'); i >= 0 {
			short := k[i+1:]
			if _, ok := out[short]; !ok {
				out[short] = v
			}
		}
	}
	return out
}

// first returns the first non-empty value among keys.
func (f fields) first(keys ...string) string {
	for _, k := range keys {
		if v := f[k]; v != "" {
			return v
		}
	}
	return ""
}

// errScoreRange is the cause of a refused answer whose score is a number
// out of range: a score is never read as a match it does not state.
var errScoreRange = errors.New("atlas: a score is not a decimal from 0 to 100")

// score reads the first of keys that holds a number as a 0..1 score:
// values above 1 are taken as percentages, a trailing "%" is allowed. A
// number that is not a decimal from 0 to 100 ("-1", "150", "1e308", "NaN",
// "Inf", "0x1p6") is errScoreRange, so that the answer is refused
// (ErrBadResponse) rather than read as a match. A value that is not a
// number at all is skipped, as an absent one is.
func (f fields) score(keys ...string) (kyc.Score, error) {
	for _, k := range keys {
		x, number, ok := tolerant.Percent(strings.TrimSuffix(strings.TrimSpace(f[k]), "%"))
		switch {
		case !number:
			continue
		case !ok:
			return kyc.Score{}, errScoreRange
		}
		if x > 1 {
			x /= 100
		}
		return kyc.NewScore(x), nil
	}
	return kyc.Score{}, nil
}

// yesNo reads a boolean-ish vendor value: true, "Y", "MATCH", "SUCCESS"…
// The second result is false when the value says neither.
func yesNo(v string) (bool, bool) {
	switch strings.ToUpper(strings.TrimSpace(strings.ReplaceAll(v, "-", "_"))) {
	case "TRUE", "1", "Y", "YES", "MATCH", "MATCHED", "SUCCESS", "SAME", "VALID":
		return true, true
	case "FALSE", "0", "N", "NO", "NO_MATCH", "NOT_MATCH", "NOT_MATCHED", "NOT MATCHED", "MISMATCH",
		"FAILED", "FAILURE", "FAIL", "DIFFERENT", "INVALID":
		return false, true
	}
	return false, false
}

// flag reads the first of keys that yesNo understands.
func (f fields) flag(keys ...string) (value, given bool) {
	for _, k := range keys {
		if v, ok := yesNo(f[k]); ok {
			return v, true
		}
	}
	return false, false
}

// VerificationResult is the answer of the verification endpoints whose
// response body is not in the public docs (GSTIN, passport,
// PAN-to-Aadhaar, MSME, status, Aadhaar KYC). Its shape is inferred: Status
// is the first of data.status or data.<something>_status, Fields holds
// every scalar in data (lower-cased keys, nested objects flattened with
// dots), and Data and Raw keep the bodies as sent.
type VerificationResult struct {
	Status string
	// Fields holds every scalar of data (personal data).
	Fields map[string]string
	// RequestID is the request_id the answered attempt carried.
	RequestID string
	// Data and Raw are the vendor's data and body (personal data).
	Data json.RawMessage
	Raw  json.RawMessage

	statusKeys []string // the operation's own status keys, first
}

func (v *VerificationResult) fromEnvelope(env *Envelope) error {
	f := flatten(env.Data)
	status := f.first(append(v.statusKeys, "status")...)
	if status == "" {
		keys := make([]string, 0, len(f))
		for k := range f {
			if strings.HasSuffix(k, "_status") && !strings.Contains(k, ".") {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		if len(keys) > 0 {
			status = f[keys[0]]
		}
	}
	v.Status, v.Fields, v.Data, v.Raw = status, f, env.Data, env.Raw
	return nil
}

// scalar reads any JSON scalar as a string.
type scalar = tolerant.String

// imageFromData reads an image sent as base64 in data: data itself as a
// string, or its file, image, masked_image or data field; a "data:…;base64,"
// prefix is allowed.
func imageFromData(data json.RawMessage) (*kyc.Image, error) {
	var s string
	if json.Unmarshal(data, &s) != nil {
		var m map[string]json.RawMessage
		if json.Unmarshal(data, &m) != nil {
			return nil, errNoField("image")
		}
		for _, k := range []string{"file", "image", "masked_image", "masked_file", "data"} {
			if json.Unmarshal(m[k], &s) == nil && s != "" {
				break
			}
		}
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errNoField("image")
	}
	if strings.HasPrefix(s, "data:") {
		if i := strings.Index(s, ","); i >= 0 {
			s = s[i+1:]
		}
	}
	var b []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err = enc.DecodeString(s); err == nil {
			break
		}
	}
	if err != nil {
		return nil, errors.New("atlas: the image is not valid base64")
	}
	return kyc.ImageFromBytes(b)
}
