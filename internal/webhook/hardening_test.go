package webhook

import (
	"bufio"
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
	// A padded field: see webhooktest.Padded.
	for _, hdr := range []string{"Bearer tok ", " Bearer tok", "Bearer tok\t"} {
		cases = append(cases, struct {
			name   string
			auth   Auth
			header []string
			want   int
		}{"bearer padded " + strings.ReplaceAll(hdr, "\t", "tab"), Bearer(kyc.NewSecret("tok"), false), []string{hdr}, 0})
	}
	for _, tc := range cases {
		sendOverBoth(t, tc.name, tc.auth, http.Header{"Authorization": tc.header}, tc.want)
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
