package webhook

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/webhook/webhooktest"
)

// TestStaticHeaderIsByteExact sends the same static-header fields over
// HTTP/1.1 and HTTP/2: only one field holding exactly the value
// authenticates; a blank configured value never does; padding is refused
// over HTTP/2 and not part of the value over HTTP/1.1 (as for Bearer in
// TestCredentialsAreByteExact).
func TestStaticHeaderIsByteExact(t *testing.T) {
	const name, value = "X-Hook-Secret", "v4lue with inner space"
	auth := Header(name, kyc.NewSecret(value), false)
	cases := []struct {
		name   string
		auth   Auth
		fields http.Header
		want   int // 0: padded, see below
	}{
		{"exact", auth, http.Header{name: {value}}, http.StatusOK},
		{"lower-case name", auth, http.Header{"x-hook-secret": {value}}, http.StatusOK},
		{"none", auth, nil, http.StatusUnauthorized},
		{"other field", auth, http.Header{"X-Hook-Secret-2": {value}}, http.StatusUnauthorized},
		{"in Authorization", auth, http.Header{"Authorization": {value}}, http.StatusUnauthorized},
		{"wrong case of value", auth, http.Header{name: {strings.ToUpper(value)}}, http.StatusUnauthorized},
		{"prefix", auth, http.Header{name: {value[:5]}}, http.StatusUnauthorized},
		{"two fields, first right", auth, http.Header{name: {value, "x"}}, http.StatusUnauthorized},
		{"two fields, both right", auth, http.Header{name: {value, value}}, http.StatusUnauthorized},
		{"empty field", auth, http.Header{name: {""}}, http.StatusUnauthorized},
		{"blank value configured, blank sent", Header(name, kyc.NewSecret("  "), false), http.Header{name: {"  "}}, http.StatusUnauthorized},
		{"padded after", auth, http.Header{name: {value + " "}}, 0},
		{"padded before", auth, http.Header{name: {" " + value}}, 0},
		{"padded tab", auth, http.Header{name: {"\t" + value}}, 0},
	}
	for _, tc := range cases {
		sendOverBoth(t, tc.name, tc.auth, tc.fields, tc.want)
	}
}

// sendOverBoth sends fields to a receiver with auth over HTTP/1.1 and
// HTTP/2: the answer must be want (0: webhooktest.Padded), and the Event
// Authenticated exactly when accepted.
func sendOverBoth(t *testing.T, name string, auth Auth, fields http.Header, want int) {
	t.Helper()
	var authenticated atomic.Bool
	rc := testReceiver(auth, new(atomic.Int32))
	h := handler(rc, func(_ context.Context, ev *kyc.Event) error { authenticated.Store(ev.Authenticated); return nil })
	for proto, srv := range webhooktest.Servers(t, h) {
		t.Run(name+"/"+proto, func(t *testing.T) {
			authenticated.Store(false)
			want := want
			if want == 0 {
				want = webhooktest.Padded(proto)
			}
			assert.Equal(t, want, webhooktest.Post(t, srv, proto, fields, []byte("{}")))
			assert.Equal(t, want == http.StatusOK, authenticated.Load())
		})
	}
}

// TestHeaderConfigChecks: the names and values a static header may have.
func TestHeaderConfigChecks(t *testing.T) {
	t.Parallel()
	names := map[string]bool{
		"X-Incode-Secret": true, "x_secret": true, "Api-Key": true, "A!#$%&'*+-.^_`|~9": true,
		"": false, "X Secret": false, "X-Secret:": false, "X-Clé": false, "X\tS": false, "X\r\nS": false,
		strings.Repeat("a", 257): false, "Authorization": false, "AUTHORIZATION": false, "Proxy-Authorization": false,
		"Cookie": false, "Host": false, "Content-Length": false, "Content-Type": false, "Transfer-Encoding": false,
		"Connection": false, "Keep-Alive": false, "TE": false, "Trailer": false, "Upgrade": false, "Expect": false,
	}
	for n, ok := range names {
		assert.Equal(t, ok, HeaderNameProblem(n) == "", "%q: %s", n, HeaderNameProblem(n))
	}
	values := map[string]bool{
		"s3cret": true, "with inner space": true, "!~": true,
		"": false, "   ": false, " s": false, "s ": false, "\ts": false, "a\x00b": false, "a\rb": false,
		"clé": false, "a\x7fb": false, strings.Repeat("a", 4097): false,
	}
	for v, ok := range values {
		assert.Equal(t, ok, HeaderValueProblem(kyc.NewSecret(v)) == "", "%q", v)
	}
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.Header.Set("X-A", "v")
	assert.True(t, CheckHeader(r, "X-A", kyc.NewSecret("v")))
	assert.True(t, CheckHeader(r, "x-a", kyc.NewSecret("v")))
	assert.False(t, CheckHeader(r, "X-A", kyc.Secret{}), "a zero value never matches")
	assert.False(t, Header("", kyc.NewSecret("v"), false).Configured)
	assert.True(t, Header("X-A", kyc.NewSecret("v"), false).Configured)
}
