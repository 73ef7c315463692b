package webhook

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
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
		fields map[string][]string
		want   int // 0: padded, see below
	}{
		{"exact", auth, map[string][]string{name: {value}}, http.StatusOK},
		{"lower-case name", auth, map[string][]string{"x-hook-secret": {value}}, http.StatusOK},
		{"none", auth, nil, http.StatusUnauthorized},
		{"other field", auth, map[string][]string{"X-Hook-Secret-2": {value}}, http.StatusUnauthorized},
		{"in Authorization", auth, map[string][]string{"Authorization": {value}}, http.StatusUnauthorized},
		{"wrong case of value", auth, map[string][]string{name: {strings.ToUpper(value)}}, http.StatusUnauthorized},
		{"prefix", auth, map[string][]string{name: {value[:5]}}, http.StatusUnauthorized},
		{"two fields, first right", auth, map[string][]string{name: {value, "x"}}, http.StatusUnauthorized},
		{"two fields, both right", auth, map[string][]string{name: {value, value}}, http.StatusUnauthorized},
		{"empty field", auth, map[string][]string{name: {""}}, http.StatusUnauthorized},
		{"blank value configured, blank sent", Header(name, kyc.NewSecret("  "), false), map[string][]string{name: {"  "}}, http.StatusUnauthorized},
		{"padded after", auth, map[string][]string{name: {value + " "}}, 0},
		{"padded before", auth, map[string][]string{name: {" " + value}}, 0},
		{"padded tab", auth, map[string][]string{name: {"\t" + value}}, 0},
	}
	padded := map[string]int{"HTTP/1.1": http.StatusOK, "HTTP/2": http.StatusUnauthorized}
	for _, tc := range cases {
		var authenticated atomic.Bool
		rc := testReceiver(tc.auth, new(atomic.Int32))
		h := rc.Handler(func(_ context.Context, ev *kyc.Event) error { authenticated.Store(ev.Authenticated); return nil })
		for proto, srv := range servers(t, h) {
			t.Run(tc.name+"/"+proto, func(t *testing.T) {
				authenticated.Store(false)
				req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, strings.NewReader("{}"))
				require.NoError(t, err)
				for k, vs := range tc.fields {
					req.Header[k] = vs
				}
				resp, err := srv.Client().Do(req)
				require.NoError(t, err)
				defer resp.Body.Close()
				require.Equal(t, proto, map[int]string{1: "HTTP/1.1", 2: "HTTP/2"}[resp.ProtoMajor])
				want := tc.want
				if want == 0 {
					want = padded[proto]
				}
				assert.Equal(t, want, resp.StatusCode)
				assert.Equal(t, want == http.StatusOK, authenticated.Load())
			})
		}
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
