package webhook

import (
	"bufio"
	"context"
	"encoding/base64"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// servers starts the handler behind a real HTTP/1.1 server and a real
// HTTP/2 (TLS) server, each with its own client.
func servers(t *testing.T, h http.Handler) map[string]*httptest.Server {
	t.Helper()
	h1 := httptest.NewServer(h)
	h2 := httptest.NewUnstartedServer(h)
	h2.EnableHTTP2 = true
	h2.StartTLS()
	t.Cleanup(h1.Close)
	t.Cleanup(h2.Close)
	return map[string]*httptest.Server{"HTTP/1.1": h1, "HTTP/2": h2}
}

// TestCredentialsAreByteExact sends the same Authorization fields over
// HTTP/1.1 and HTTP/2: only the exact credential authenticates, and a
// blank configured credential never does (over HTTP/2 a blank bearer
// token once matched "Bearer " and four spaces).
func TestCredentialsAreByteExact(t *testing.T) {
	basic := func(u, p string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(u+":"+p)) }
	cases := []struct {
		name   string
		auth   Auth
		header []string // Authorization fields sent
		want   int
	}{
		{"bearer exact", Bearer(kyc.NewSecret("tok"), false), []string{"Bearer tok"}, http.StatusOK},
		{"bearer scheme in lower case", Bearer(kyc.NewSecret("tok"), false), []string{"bearer tok"}, http.StatusOK},
		{"blank bearer token, blank header", Bearer(kyc.NewSecret("    "), false), []string{"Bearer     "}, http.StatusUnauthorized},
		{"blank bearer token, bare scheme", Bearer(kyc.NewSecret("    "), false), []string{"Bearer "}, http.StatusUnauthorized},
		{"bearer two fields, first right", Bearer(kyc.NewSecret("tok"), false), []string{"Bearer tok", "Bearer x"}, http.StatusUnauthorized},
		{"bearer two spaces", Bearer(kyc.NewSecret("tok"), false), []string{"Bearer  tok"}, http.StatusUnauthorized},
		{"basic exact", Basic("u", kyc.NewSecret("p"), false), []string{basic("u", "p")}, http.StatusOK},
		{"blank basic password", Basic("u", kyc.NewSecret("   "), false), []string{basic("u", "   ")}, http.StatusUnauthorized},
		{"basic two fields, first right", Basic("u", kyc.NewSecret("p"), false), []string{basic("u", "p"), basic("u", "x")}, http.StatusUnauthorized},
		{"basic password with a space more", Basic("u", kyc.NewSecret("p"), false), []string{basic("u", "p ")}, http.StatusUnauthorized},
	}
	// A space around the value is not part of an HTTP/1.1 field (RFC 9110
	// §5.5: the client and the server strip it), and makes an HTTP/2 field
	// malformed (RFC 9113 §8.2.1): there it is refused, never trimmed.
	padded := map[string]int{"HTTP/1.1": http.StatusOK, "HTTP/2": http.StatusUnauthorized}
	for _, hdr := range []string{"Bearer tok ", " Bearer tok", "Bearer tok\t"} {
		cases = append(cases, struct {
			name   string
			auth   Auth
			header []string
			want   int
		}{"bearer padded " + strings.ReplaceAll(hdr, "\t", "tab"), Bearer(kyc.NewSecret("tok"), false), []string{hdr}, 0})
	}
	for _, tc := range cases {
		var authenticated atomic.Bool
		rc := testReceiver(tc.auth, new(atomic.Int32))
		h := handler(rc, func(_ context.Context, ev *kyc.Event) error { authenticated.Store(ev.Authenticated); return nil })
		for proto, srv := range servers(t, h) {
			t.Run(tc.name+"/"+proto, func(t *testing.T) {
				authenticated.Store(false)
				req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, strings.NewReader("{}"))
				require.NoError(t, err)
				req.Header["Authorization"] = tc.header
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

// TestSlowBodyIsCutOff trickles a body one byte per 100 ms, authenticated
// or not: the receiver answers 408 within its read deadline instead of
// waiting for the whole body.
func TestSlowBodyIsCutOff(t *testing.T) {
	const deadline = 300 * time.Millisecond
	for _, tc := range []struct {
		name string
		auth Auth
		hdr  string
	}{
		{"unauthenticated", Auth{AcceptUnauthenticated: true}, ""},
		{"authenticated", Bearer(kyc.NewSecret("tok"), false), "Authorization: Bearer tok\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc := testReceiver(tc.auth, new(atomic.Int32))
			rc.MaxBody = 1 << 10
			srv := httptest.NewServer(handler(rc, nil, kyc.WithWebhookReadTimeout(deadline)))
			defer srv.Close()
			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			require.NoError(t, err)
			defer conn.Close()
			const n = 50 // 5 s of trickling without the deadline
			start := time.Now()
			_, err = conn.Write([]byte("POST / HTTP/1.1\r\nHost: x\r\n" + tc.hdr + "Content-Length: 50\r\n\r\n"))
			require.NoError(t, err)
			answered := make(chan *http.Response, 1)
			go func() {
				resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
				if err != nil {
					resp = nil
				}
				answered <- resp
			}()
			for i := range n {
				select {
				case resp := <-answered:
					elapsed := time.Since(start)
					require.NotNil(t, resp, "the server answered before closing")
					assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
					assert.Less(t, elapsed, deadline+2*time.Second, "after %d bytes", i)
					return
				case <-time.After(100 * time.Millisecond):
				}
				_, _ = conn.Write([]byte{'x'})
			}
			t.Fatal("the whole trickled body was read: no read deadline")
		})
	}
}
