// Package webhooktest serves a webhook handler over HTTP/1.1 and HTTP/2 at
// once, for the tests that check a receiver compares the same bytes over
// both protocols.
package webhooktest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// Servers starts h behind a real HTTP/1.1 server and a real HTTP/2 (TLS)
// server, each with its own client, keyed "HTTP/1.1" and "HTTP/2"; both
// close when the test ends.
func Servers(t testing.TB, h http.Handler) map[string]*httptest.Server {
	t.Helper()
	h1 := httptest.NewServer(h)
	h2 := httptest.NewUnstartedServer(h)
	h2.EnableHTTP2 = true
	h2.StartTLS()
	t.Cleanup(h1.Close)
	t.Cleanup(h2.Close)
	return map[string]*httptest.Server{"HTTP/1.1": h1, "HTTP/2": h2}
}

// Post POSTs body to srv with its client, the fields set exactly as given
// (several values are several fields, a key is sent as it is), checks the
// answer came over proto, and returns its status. The body is closed.
func Post(t testing.TB, srv *httptest.Server, proto string, fields http.Header, body []byte) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, vs := range fields {
		req.Header[k] = vs
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, proto, map[int]string{1: "HTTP/1.1", 2: "HTTP/2"}[resp.ProtoMajor])
	return resp.StatusCode
}

// Padded is the answer to a credential field padded with a space or tab:
// over HTTP/1.1 the padding is not part of the field's value (RFC 9110
// §5.5: the client and the server strip it), so the credential matches;
// over HTTP/2 such a field is malformed (RFC 9113 §8.2.1) and refused.
func Padded(proto string) int {
	return map[string]int{"HTTP/1.1": http.StatusOK, "HTTP/2": http.StatusUnauthorized}[proto]
}
