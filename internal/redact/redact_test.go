package redact

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestExcerpt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, contentType, body, want string
	}{
		{"json values masked, keys kept", "application/json",
			`{"name": "Maria Garcia", "nik":"3171234567890123", "ok": true, "n": 12, "list":["a b"], "esc":"q\"x", "z": null}`,
			`{"name": "***", "nik": "***", "ok": true, "n": 12, "list": ["***"], "esc": "***", "z": null}`},
		{"long numbers masked", "application/json", `{"phone":34600111222,"score":0.9731,"code":-3}`,
			`{"phone": #, "score": #, "code": -3}`},
		{"a key that is data is masked", "application/json", `{"+34600111222":{"maria@example.com":1}}`,
			`{"***": {"***": 1}}`},
		{"truncated json is still masked", "application/json", `[{"a":"unterminated`, `[{"a": "***"`},
		{"truncated literal", "", `{"a":tr`, `{"a": true`},
		{"json behind a BOM", "application/json", "\xef\xbb\xbf{\"name\":\"Zaphod Beeblebrox\"}", `{"name": "***"}`},
		{"json behind an XSSI guard", "application/json", ")]}',\n{\"name\":\"Zaphod Beeblebrox\"}", `{"name": "***"}`},
		{"json served as text/plain", "text/plain", `{"name":"Zaphod"}`, `{"name": "***"}`},
		{"xml", "application/xml", `<?xml version="1.0" encoding="ISO-8859-1"?><err code="E1"><name>Zaphod Beeblebrox</name><n/></err>`,
			`<err code="***"><name>***</name><n></n></err>`},
		{"truncated xml", "text/xml", `<err><name>Zaphod Bee`, `<err><name>***`},
		{"html", "text/html", `<html>Dear Zaphod Beeblebrox, error</html>`, "text/html body, 42 bytes"},
		{"html without a content type", "", `<!DOCTYPE html><p>Dear Zaphod</p>`, "text/html body, 33 bytes"},
		{"html root sniffed", "", `<html><body>Dear Zaphod</body></html>`, "text/html body, 37 bytes"},
		{"xhtml served as xml", "application/xml", `<html xmlns="x"><p>Dear Zaphod</p></html>`, "application/xml body, 41 bytes"},
		{"plain text", "text/plain; charset=utf-8", `Dear Zaphod Beeblebrox, error`, "text/plain body, 29 bytes"},
		{"plain text starting like json", "text/plain", `[ERROR] Dear Zaphod Beeblebrox`, "text/plain body, 30 bytes"},
		{"json then text", "application/json", `{"a":1} Dear Zaphod`, "application/json body, 19 bytes"},
		{"one byte", "text/plain", `x`, "text/plain body, 1 byte"},
		{"a hostile content type", "text/<Zaphod>", `Dear Zaphod`, "text/plain body, 11 bytes"},
		{"a content type of personal data", "x/maria-garcia-34600111222-" + strings.Repeat("x", 60), `Dear Zaphod`, "unknown body, 11 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Excerpt(tt.contentType, []byte(tt.body))
			assert.Equal(t, tt.want, got)
			for _, pii := range []string{"Zaphod", "Maria", "600111222", "3171234567890123", "example.com"} {
				assert.NotContains(t, got, pii)
			}
		})
	}
	long := Excerpt("application/json", []byte(`{"a":[`+strings.Repeat(`"value", `, 5000)+`"x"]}`))
	assert.LessOrEqual(t, len(long), MaxExcerpt+len("…"))
	assert.True(t, strings.HasSuffix(long, "…"), long)
}

func TestIsCode(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"PARAMETER_ERROR", "-3", "4019", "401", "ID-1", "IAM_FAILED", "invalid_request", "E.100:2"} {
		assert.True(t, IsCode(code), code)
	}
	for _, code := range []string{"", "Maria Garcia", "Maria", "maria.garcia", "MariaGarcia", "+34600111222", "600111222",
		"maria@example.com", "ERR\nforged", strings.Repeat("A", 49), "código"} {
		assert.False(t, IsCode(code), code)
	}
}

func TestIsRequestID(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"0mx51ld8fhr6gdYA123456", "req-1", "123e4567-e89b-12d3-a456-426614174000", "4242", "TXN_20260101.1:a"} {
		assert.True(t, IsRequestID(id), id)
	}
	for _, id := range []string{"", "Maria Garcia", "Maria", "maria.garcia", "+34600111222", "34600111222", "600111222",
		"maria@example.com", "a\r\nb1", strings.Repeat("a1", 65), "abc/12"} {
		assert.False(t, IsRequestID(id), id)
	}
}

func TestLine(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"an ISO 3166-1 alpha-3 code": "an ISO 3166-1 alpha-3 code",
		"such as ABCDE1234F":         "such as ABCDE1234F",
		"line\nbreak\x00here":        "line break here",
		"bad \xff utf-8":             "bad \uFFFD utf-8",
	} {
		assert.Equal(t, want, Line(in), in)
	}
}

func TestTrimPrefix(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"\xef\xbb\xbf{}":       "{}",
		")]}',\n{}":            "{}",
		")]}'\r\n[1]":          "[1]",
		"\xef\xbb\xbf)]}'\n{}": "{}",
		"{}":                   "{}",
	} {
		assert.Equal(t, want, string(TrimPrefix([]byte(in))), in)
	}
}

func FuzzExcerpt(f *testing.F) {
	f.Add("application/json", []byte(`{"a":"b\"","c":[1,"x"]}`))
	f.Add("", []byte("\xff\xfe\"\\"))
	f.Add("text/xml", []byte(`<a b="c">d</a>`))
	f.Fuzz(func(t *testing.T, ct string, b []byte) {
		out := Excerpt(ct, b)
		if len(out) > MaxExcerpt+len("…") && !strings.HasSuffix(out, " bytes") {
			t.Fatalf("excerpt of %d bytes", len(out))
		}
		_ = IsCode(string(b))
		_ = IsRequestID(string(b))
		_ = Line(string(b))
	})
}
