package transport

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// Error prints the SDK's own texts and the vendor's request ids as they
// are: redaction no longer mangles them.
func TestErrorPrintsOwnTextsExactly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  *kyc.Error
		want string
	}{
		{&kyc.Error{Op: "kyc.Verify", Kind: kyc.ErrInvalidRequest, Field: "Request.Country", Message: "an ISO 3166-1 alpha-3 code", NotSent: true},
			"kyc.Verify: invalid request (field Request.Country): an ISO 3166-1 alpha-3 code"},
		{&kyc.Error{Op: "atlas.VerifyPAN", Kind: kyc.ErrInvalidRequest, Field: "PAN", Message: "ten characters, such as ABCDE1234F"},
			"atlas.VerifyPAN: invalid request (field PAN): ten characters, such as ABCDE1234F"},
		{&kyc.Error{Op: "incode.AddSelfie", Kind: kyc.ErrUnavailable, StatusCode: 503, Code: "4019", RequestID: "0mx51ld8fhr6gdYA123456",
			RetryAfter: 3 * time.Second, Message: "Service Unavailable"},
			"incode.AddSelfie: provider unavailable (HTTP 503, code 4019, request id 0mx51ld8fhr6gdYA123456, retry after 3s): Service Unavailable"},
		{&kyc.Error{Provider: kyc.EKYC, Kind: kyc.ErrNotFound, Code: "NOT_FOUND", RequestID: "123e4567-e89b-12d3-a456-426614174000"},
			"ekycid: not found (code NOT_FOUND, request id 123e4567-e89b-12d3-a456-426614174000)"},
		{&kyc.Error{Op: "verificar.SendVerification", Kind: kyc.ErrInvalidRequest, Code: "-3", Message: "line\nforged: admin"},
			"verificar.SendVerification: invalid request (code -3): line forged: admin"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.err.Error())
	}
}

// A vendor's Code or RequestID that is not of the form of a code or an id
// (a name, a phone number, an e-mail address, a forged line) never reaches
// Error; the fields keep it.
func TestVendorValuesThatAreDataAreMasked(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"Maria Garcia", "Maria", "maria.garcia", "+34600111222", "+34 600 111 222", "34600111222",
		"maria@example.com", "x1\r\nlevel=ERROR msg=forged"} {
		e := &kyc.Error{Op: "test.Op", Kind: kyc.ErrInvalidRequest, Code: v, RequestID: v, VendorMessage: "Maria Garcia +34600111222"}
		got := e.Error()
		assert.Equal(t, "test.Op: invalid request (code ***, request id ***)", got, v)
		assert.Equal(t, v, e.Code, "the field keeps it")
	}
	// Through the transport: a request id header and a vendor code.
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "+34600111222")
		w.WriteHeader(http.StatusUnprocessableEntity)
	})
	resp, err := c.Do(context.Background(), &Request{Operation: at(op("test.Op"), "x")})
	require.NoError(t, err)
	e := c.APIError("test.Op", resp, nil, "Maria Garcia", "Name Maria Garcia does not match")
	assert.Equal(t, "test.Op: invalid request (HTTP 422, code ***, request id ***): Unprocessable Entity", e.Error())
}

// BadResponse excerpts only structured bodies, masked, after a BOM or an
// XSSI guard; any other body gives its type and length.
func TestBadResponseExcerpts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, contentType, body, want string
	}{
		{"html", "text/html; charset=utf-8", "<html>Dear Zaphod Beeblebrox, error</html>",
			"the response could not be decoded: text/html body, 42 bytes"},
		{"plain text", "text/plain", "Dear Zaphod Beeblebrox, your PAN ABCDE1234F",
			"the response could not be decoded: text/plain body, 43 bytes"},
		{"json behind a BOM", "application/json", "\xef\xbb\xbf{\"name\":\"Zaphod Beeblebrox\",\"age\":\"x\"}",
			`the response could not be decoded: {"name": "***", "age": "***"}`},
		{"json behind an XSSI guard", "application/json", ")]}',\n{\"name\":\"Zaphod Beeblebrox\",\"age\":\"x\"}",
			`the response could not be decoded: {"name": "***", "age": "***"}`},
		{"xml", "application/xml", "<r><name>Zaphod Beeblebrox</name></r>",
			"the response could not be decoded: <r><name>***</name></r>"},
		{"truncated json", "application/json", `{"name":"Zaphod Beeb`, `the response could not be decoded: {"name": "***"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				_, _ = io.WriteString(w, tt.body)
			})
			resp, err := c.Call(context.Background(), &Request{Operation: at(op("test.Get", Idempotent), "x")}, &struct {
				Age int `json:"age"`
			}{})
			require.NotNil(t, resp)
			kerr := asKyc(t, err)
			assert.ErrorIs(t, err, kyc.ErrBadResponse)
			assert.Equal(t, tt.want, kerr.Message)
			assert.NotContains(t, err.Error(), "Zaphod")
			assert.NotContains(t, err.Error(), "ABCDE1234F")
		})
	}
}

// A BOM or an XSSI guard in front of JSON is dropped from Response.Body,
// so every decoder reads it, not only DecodeJSON; other bodies are kept
// as they came.
func TestBOMJSONDecodesEverywhere(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		"\xef\xbb\xbf{\"ok\":true}":       `{"ok":true}`,
		")]}',\n{\"ok\":true}":            `{"ok":true}`,
		"\xef\xbb\xbf  [1]":               "  [1]",
		"\xef\xbb\xbf<r>1</r>":            "<r>1</r>",
		"\xef\xbb\xbfplain text":          "\xef\xbb\xbfplain text",
		"%PDF-1.7 \xef\xbb\xbf{":          "%PDF-1.7 \xef\xbb\xbf{",
		"\xef\xbb\xbf":                    "\xef\xbb\xbf",
		`{"ok":true}`:                     `{"ok":true}`,
		")]}'\n" + strings.Repeat("x", 3): ")]}'\nxxx",
	} {
		_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, body) })
		resp, err := c.Do(context.Background(), &Request{Operation: at(op("t", Idempotent), "x")})
		require.NoError(t, err)
		assert.Equal(t, want, string(resp.Body), "%q", body)
		if strings.Contains(want, "ok") {
			var out struct{ OK bool }
			_, err := c.Call(context.Background(), &Request{Operation: at(op("t", Idempotent), "x")}, &out)
			require.NoError(t, err)
			assert.True(t, out.OK)
		}
	}
}
