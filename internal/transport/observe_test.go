package transport

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// A recording Observer sees one call and each attempt with the operation's
// name and path template (no id, no query), the status, the policy's
// reason, Sent and Charged.
func TestObserverSeesCallsAndAttempts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		class    kyc.Class
		statuses []int // per request; the last repeats
		refused  bool
		attempts int
		reasons  []string
		status   int
		sent     bool
		charged  bool
	}{
		{"free: 503 then 200", kyc.ClassFree, []int{503, 200}, false, 2,
			[]string{ReasonRefused.String(), ReasonSuccess.String()}, 200, true, false},
		{"billed: 503 then 200", kyc.ClassBilled, []int{503, 200}, false, 2,
			[]string{ReasonRefused.String(), ReasonSuccess.String()}, 200, true, true},
		{"billed: 503 every time", kyc.ClassBilled, []int{503}, false, 3,
			[]string{ReasonRefused.String(), ReasonRefused.String(), ReasonNoRetries.String()}, 503, true, false},
		{"billed: 500", kyc.ClassBilled, []int{500}, false, 1,
			[]string{ReasonBilledAmbiguous.String()}, 500, true, true},
		{"messaging: 429", kyc.ClassMessaging, []int{429}, false, 1,
			[]string{ReasonMessagingWritten.String()}, 429, true, false},
		{"billed: refused", kyc.ClassBilled, nil, true, 3,
			[]string{ReasonNotWritten.String(), ReasonNotWritten.String(), ReasonNoRetries.String()}, 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			base := "http://127.0.0.1:9"
			var opts []kyc.Option
			if tt.refused {
				opts = append(opts, kyc.WithHTTPClient(refusingClient(t, &n)))
			} else {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					i := int(n.Add(1)) - 1
					w.Header().Set("Retry-After", "0")
					w.WriteHeader(tt.statuses[min(i, len(tt.statuses)-1)])
				}))
				t.Cleanup(srv.Close)
				base = srv.URL
			}
			rec := &recorder{}
			c, err := New(Params{Provider: "test", BaseURL: base}, append(opts, kyc.WithObserver(rec)))
			require.NoError(t, err)
			declared := kyc.Operation{Name: "test.GetPerson", Method: http.MethodPost, Path: "/v1/people/{id}", Class: tt.class}
			_, _ = c.Do(context.Background(), &Request{Operation: declared, Params: []string{"ABCDE1234F"},
				Query: personal, Body: Bytes("application/json", []byte(`{}`))})

			rec.mu.Lock()
			defer rec.mu.Unlock()
			require.Len(t, rec.calls, 1)
			require.Len(t, rec.callEnds, 1)
			assert.Equal(t, kyc.CallInfo{Provider: "test", Operation: declared}, rec.calls[0])
			require.Len(t, rec.attempts, tt.attempts)
			require.Len(t, rec.ends, tt.attempts)
			for i, a := range rec.attempts {
				assert.Equal(t, i+1, a.Attempt)
				assert.Equal(t, declared, a.Operation)
				assert.Equal(t, tt.reasons[i], rec.ends[i].Reason, "attempt %d", i+1)
				assert.Equal(t, !tt.refused, rec.ends[i].Sent, "attempt %d", i+1)
				assert.Equal(t, i+1 < tt.attempts, rec.ends[i].Retry, "attempt %d", i+1)
				assert.GreaterOrEqual(t, rec.ends[i].Wait, 0*rec.ends[i].Wait)
			}
			end := rec.callEnds[0]
			assert.Equal(t, tt.attempts, end.Attempts)
			assert.Equal(t, tt.status, end.StatusCode)
			assert.Equal(t, tt.status, rec.ends[len(rec.ends)-1].StatusCode)
			assert.Equal(t, tt.sent, end.Sent, "Sent")
			assert.Equal(t, tt.charged, end.Charged, "Charged")
			// Nothing the Observer saw names the id or the query.
			seen := fmt.Sprintf("%+v %+v %+v %+v", rec.calls, rec.callEnds, rec.attempts, rec.ends)
			for _, p := range personalTexts {
				assert.NotContains(t, seen, p)
			}
		})
	}
}

// SetHeader adds a trace header once, and refuses a header the request
// has (the signer's Authorization), a credential-like name it lacks, a
// framing header and an invalid name or value.
func TestObserverSetHeader(t *testing.T) {
	t.Parallel()
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Header.Clone() }))
	t.Cleanup(srv.Close)
	results := map[string]bool{}
	rec := &recorder{onAttempt: func(a kyc.AttemptInfo) {
		for _, h := range [][2]string{
			{"Authorization", "Bearer observer"},
			{"X-Client-Id", "observer"}, // set by the signer, under a name not reserved
			{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
			{"Traceparent", "again"},
			{"X-Api-Key", "observer"},
			{"X-Session-Token", "observer"},
			{"Cookie", "a=b"},
			{"Content-Length", "1"},
			{"Host", "evil.example"},
			{"Bad Name", "x"},
			{"X-Trace", "line\r\nX-Injected: 1"},
			{"", "x"},
		} {
			results[h[0]] = a.SetHeader(h[0], h[1])
		}
	}}
	c, err := New(Params{Provider: "test", BaseURL: srv.URL, Sign: func(_ context.Context, h http.Header) error {
		h.Set("Authorization", "Bearer signer")
		h.Set("X-Client-Id", "signer")
		return nil
	}}, []kyc.Option{kyc.WithObserver(rec)})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Operation: at(op("test.Op"), "/x")})
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"Authorization": false, "X-Client-Id": false, "traceparent": true, "Traceparent": false, "X-Api-Key": false,
		"X-Session-Token": false, "Cookie": false, "Content-Length": false, "Host": false, "Bad Name": false, "X-Trace": false, "": false}, results)
	assert.Equal(t, "Bearer signer", got.Get("Authorization"), "the signer's credential is kept")
	assert.Equal(t, "signer", got.Get("X-Client-Id"))
	assert.Equal(t, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", got.Get("Traceparent"))
	assert.Empty(t, got.Get("X-Api-Key"))
	assert.Empty(t, got.Get("X-Injected"))
}
