package transport

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// The four classes of the resend policy, in the order of policyTable's
// columns.
var policyClasses = []struct {
	name string
	op   kyc.Operation
}{
	{"free", kyc.Operation{Class: kyc.ClassFree}},
	{"billed", kyc.Operation{Class: kyc.ClassBilled}},
	{"billed + idempotency key", kyc.Operation{Class: kyc.ClassBilled, Idempotent: true}},
	{"messaging", kyc.Operation{Class: kyc.ClassMessaging}},
}

// cell is what the policy does with one fault for one class: how many
// requests the server receives under the default options (kyc.WithRetry's
// default of 2 retries), and the reason of the first decision (why the
// request was resent, or why it was not).
type cell struct {
	sends int
	why   Reason
}

// policyTable is the resend policy under every fault, the single source of
// the matrix test below and of the README's table (go test -run
// TestFaultMatrix -v prints it as markdown). unprocessed is what the call's
// result reports: the vendor processed nothing.
var policyTable = []struct {
	fault       string
	unprocessed bool
	cells       [4]cell // free, billed, billed + idempotency key, messaging
}{
	{"refused before write", true, [4]cell{{3, ReasonNotWritten}, {3, ReasonNotWritten}, {3, ReasonNotWritten}, {3, ReasonNotWritten}}},
	{"reset after write", false, [4]cell{{3, ReasonResendable}, {1, ReasonBilledAmbiguous}, {3, ReasonResendable}, {1, ReasonMessagingWritten}}},
	{"429 with Retry-After", true, [4]cell{{3, ReasonRefused}, {3, ReasonRefused}, {3, ReasonRefused}, {1, ReasonMessagingWritten}}},
	{"500", false, [4]cell{{3, ReasonResendable}, {1, ReasonBilledAmbiguous}, {3, ReasonResendable}, {1, ReasonMessagingWritten}}},
	{"502", false, [4]cell{{3, ReasonResendable}, {1, ReasonBilledAmbiguous}, {3, ReasonResendable}, {1, ReasonMessagingWritten}}},
	{"503", true, [4]cell{{3, ReasonRefused}, {3, ReasonRefused}, {3, ReasonRefused}, {1, ReasonMessagingWritten}}},
	{"504", false, [4]cell{{3, ReasonResendable}, {1, ReasonBilledAmbiguous}, {3, ReasonResendable}, {1, ReasonMessagingWritten}}},
	{"attempt timeout", false, [4]cell{{3, ReasonResendable}, {1, ReasonBilledAmbiguous}, {3, ReasonResendable}, {1, ReasonMessagingWritten}}},
	{"truncated 200", false, [4]cell{{3, ReasonResendable}, {1, ReasonBilledAmbiguous}, {3, ReasonResendable}, {1, ReasonMessagingWritten}}},
}

// PolicyMarkdown is policyTable as the README's markdown table.
func policyMarkdown() string {
	var b strings.Builder
	b.WriteString("| Fault |")
	for _, c := range policyClasses {
		b.WriteString(" " + c.name + " |")
	}
	b.WriteString("\n|---|---|---|---|---|\n")
	for _, row := range policyTable {
		b.WriteString("| " + row.fault + " |")
		for _, c := range row.cells {
			sends := "sent once"
			if c.sends > 1 {
				sends = fmt.Sprintf("sent %d times", c.sends)
			}
			fmt.Fprintf(&b, " %s (%s) |", sends, c.why)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// faultServer starts a loopback server that answers every request with
// fault, counting the requests it receives. For "refused before write" it
// returns a client whose every dial is refused, counting the dials.
func faultServer(t *testing.T, fault string, requests *atomic.Int32) (baseURL string, opts []kyc.Option) {
	t.Helper()
	if fault == "refused before write" {
		return "http://127.0.0.1:9", []kyc.Option{kyc.WithHTTPClient(refusingClient(t, requests))}
	}
	var h http.HandlerFunc
	switch fault {
	case "reset after write":
		h = hijackAfterRead(requests)
	case "attempt timeout":
		h = func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			_, _ = io.Copy(io.Discard, r.Body) // then the server sees the client go
			select {
			case <-r.Context().Done():
				panic(http.ErrAbortHandler) // the client went: answer nothing (a 200 here could race its deadline)
			case <-time.After(5 * time.Second):
			}
		}
		opts = append(opts, kyc.WithTimeout(250*time.Millisecond)) // the default 30 s would make 36 cells take minutes
	case "truncated 200":
		h = func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			w.Header().Set("Content-Length", "100")
			_, _ = io.WriteString(w, `{"status":`) // 10 of the 100 bytes announced
		}
	default:
		var status int
		_, err := fmt.Sscanf(fault, "%d", &status)
		require.NoError(t, err)
		h = func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			_, _ = io.Copy(io.Discard, r.Body)
			if status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "1")
			}
			w.WriteHeader(status)
		}
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL, opts
}

// TestFaultMatrix sends one call of every class under every fault, with
// the default options, and compares the requests the loopback server
// received, the reason of the first decision and Unprocessed/NotSent with
// policyTable. The 36 calls run at once (most wait out backoffs), then
// each cell is checked in its own subtest.
func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	type result struct {
		requests atomic.Int32
		rec      recorder
		resp     *Response
		err      error
		elapsed  time.Duration
	}
	results := make([][4]*result, len(policyTable))
	var wg sync.WaitGroup
	for r, row := range policyTable {
		for i, class := range policyClasses {
			res := &result{}
			results[r][i] = res
			base, opts := faultServer(t, row.fault, &res.requests)
			c, err := New(Params{Provider: "test", BaseURL: base}, append(opts, kyc.WithObserver(&res.rec)))
			require.NoError(t, err)
			t.Cleanup(c.Close)
			op := class.op
			op.Name, op.Method, op.Path = "test.Op", http.MethodPost, "/v1/op"
			wg.Add(1)
			go func() {
				defer wg.Done()
				start := time.Now()
				res.resp, res.err = c.Do(context.Background(), &Request{Operation: op, Body: Bytes("application/json", []byte(`{"a":1}`))})
				res.elapsed = time.Since(start)
			}()
		}
	}
	wg.Wait()
	for r, row := range policyTable {
		for i, class := range policyClasses {
			want, res := row.cells[i], results[r][i]
			t.Run(row.fault+"/"+class.name, func(t *testing.T) {
				assert.EqualValues(t, want.sends, res.requests.Load(), "requests received")
				reasons := res.rec.reasons()
				require.NotEmpty(t, reasons)
				assert.Equal(t, want.why.String(), reasons[0], "the first decision's reason")
				assert.Len(t, reasons, want.sends, "one observed attempt per request")
				if res.err != nil {
					kerr := asKyc(t, res.err)
					assert.Equal(t, row.unprocessed, kerr.Unprocessed, "Error.Unprocessed")
					assert.Equal(t, row.fault == "refused before write", kerr.NotSent, "Error.NotSent")
				} else {
					assert.Equal(t, row.unprocessed, res.resp.Unprocessed, "Response.Unprocessed")
					assert.Equal(t, want.sends, res.resp.Attempts)
				}
				t.Logf("%d requests in %v: %v", res.requests.Load(), res.elapsed.Round(time.Millisecond), reasons)
			})
		}
	}
	t.Log("the resend policy under the default options:\n" + policyMarkdown())
}

// TestAbsurdRetryAfter: a Retry-After too large to wait for ends the call
// at once; one that cannot be parsed falls back to the backoff. No value
// gives a negative wait or a burst, and Error.RetryAfter is never negative.
func TestAbsurdRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value string
		sends int32
		after time.Duration // Error.RetryAfter
	}{
		{"9223372037", 1, MaxRetryAfter},
		{"18446744073709551616", 1, MaxRetryAfter},
		{"1e9", 3, 0},
		{"Fri, 31 Dec 9999 23:59:59 GMT", 1, MaxRetryAfter},
		{"-1", 3, 0},
		{"0.5", 3, 0},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			t.Parallel()
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				w.Header().Set("Retry-After", tt.value)
				w.WriteHeader(http.StatusServiceUnavailable)
			}))
			t.Cleanup(srv.Close)
			rec := &recorder{}
			c, err := New(Params{Provider: "test", BaseURL: srv.URL}, []kyc.Option{kyc.WithObserver(rec)})
			require.NoError(t, err)
			start := time.Now()
			resp, err := c.Do(context.Background(), &Request{Operation: kyc.Operation{Name: "test.Read", Path: "/r", Class: kyc.ClassFree}})
			elapsed := time.Since(start)
			require.NoError(t, err)
			assert.Equal(t, tt.sends, requests.Load())
			// The default backoff waits at least 375 ms, then 750 ms.
			assert.GreaterOrEqual(t, elapsed, time.Duration(tt.sends-1)*375*time.Millisecond, "no burst")
			for _, e := range rec.ends {
				assert.GreaterOrEqual(t, e.Wait, time.Duration(0))
			}
			kerr := c.APIError("test.Read", resp, nil, "", "")
			assert.Equal(t, tt.after, kerr.RetryAfter)
			assert.GreaterOrEqual(t, kerr.RetryAfter, time.Duration(0))
		})
	}
}

func TestRetryAfterParse(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"120", 2 * time.Minute, true},
		{" 3 ", 3 * time.Second, true},
		{"9223372037", MaxRetryAfter, true},
		{"99999999999999999999999", MaxRetryAfter, true},
		{"604801", MaxRetryAfter, true},
		{"-1", 0, false},
		{"1e9", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"Thu, 01 Jan 2026 00:00:30 GMT", 30 * time.Second, true},
		{"Wed, 31 Dec 2025 00:00:00 GMT", 0, true}, // in the past: now
		{"Fri, 31 Dec 9999 23:59:59 GMT", MaxRetryAfter, true},
		{"Mon, 01 Jan 0001 00:00:00 GMT", 0, true},
	}
	for _, tt := range tests {
		got, ok := RetryAfter(http.Header{"Retry-After": {tt.value}}, now)
		assert.Equal(t, tt.want, got, tt.value)
		assert.Equal(t, tt.ok, ok, tt.value)
		assert.GreaterOrEqual(t, got, time.Duration(0), tt.value)
	}
}

// TestUnprocessedAcrossAttempts: Unprocessed and NotSent describe every
// attempt of a call, not only the last.
func TestUnprocessedAcrossAttempts(t *testing.T) {
	t.Parallel()
	billed := kyc.Operation{Class: kyc.ClassBilled}
	idem := kyc.Operation{Class: kyc.ClassBilled, Idempotent: true}
	free := kyc.Operation{Class: kyc.ClassFree}
	tests := []struct {
		name        string
		op          kyc.Operation
		script      []string // per attempt: "refuse", "reset", "timeout" or a status
		sends       int
		wantErr     bool
		unprocessed bool
		notSent     bool
	}{
		{"503 then 502, idempotent", idem, []string{"503", "502", "502"}, 3, false, false, false},
		{"503 then 200, idempotent", idem, []string{"503", "200"}, 2, false, false, false},
		{"503 three times, billed", billed, []string{"503", "503", "503"}, 3, false, true, false},
		{"429 then 503, billed", billed, []string{"429", "503", "503"}, 3, false, true, false},
		{"503 then 500, billed", billed, []string{"503", "500"}, 2, false, false, false},
		{"refused then 503, billed", billed, []string{"refuse", "503", "503"}, 3, false, true, false},
		{"refused three times, billed", billed, []string{"refuse", "refuse", "refuse"}, 3, true, true, true},
		{"503 then refused, billed", billed, []string{"503", "refuse", "refuse"}, 3, true, true, false},
		{"503 then reset, free", free, []string{"503", "reset", "reset"}, 3, true, false, false},
		{"refused then reset, billed", billed, []string{"refuse", "reset"}, 2, true, false, false},
		{"503 then timeout, free", free, []string{"503", "timeout", "timeout"}, 3, true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var attempt atomic.Int32 // the attempt being sent, 1-based: one dial per attempt
			step := func() string {
				n := int(attempt.Load())
				if n < 1 || n > len(tt.script) {
					return "200"
				}
				return tt.script[n-1]
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch s := step(); s {
				case "reset":
					var n atomic.Int32
					hijackAfterRead(&n)(w, r)
				case "timeout":
					_, _ = io.Copy(io.Discard, r.Body) // then the server sees the client go
					select {
					case <-r.Context().Done():
						panic(http.ErrAbortHandler) // the client went: answer nothing (a 200 here could race its deadline)
					case <-time.After(5 * time.Second):
					}
				default:
					var status int
					_, _ = fmt.Sscanf(s, "%d", &status)
					w.Header().Set("Retry-After", "0")
					w.WriteHeader(status)
				}
			}))
			t.Cleanup(srv.Close)
			dialer := &scriptDialer{t: t, addr: srv.Listener.Addr().String(), attempt: &attempt, refuse: func() bool { return step() == "refuse" }}
			tr := &http.Transport{DisableKeepAlives: true, DialContext: dialer.dial}
			t.Cleanup(tr.CloseIdleConnections)
			var sends atomic.Int32
			c, err := New(Params{Provider: "test", BaseURL: srv.URL},
				[]kyc.Option{kyc.WithHTTPClient(&http.Client{Transport: tr}), kyc.WithRetry(len(tt.script)-1, time.Second), kyc.WithTimeout(200 * time.Millisecond),
					kyc.WithObserver(&recorder{onAttempt: func(kyc.AttemptInfo) { sends.Add(1) }})})
			require.NoError(t, err)
			op := tt.op
			op.Name, op.Method, op.Path = "test.Op", http.MethodPost, "/op"
			resp, err := c.Do(context.Background(), &Request{Operation: op, Body: Bytes("application/json", []byte(`{}`))})
			assert.EqualValues(t, tt.sends, sends.Load(), "attempts")
			if tt.wantErr {
				kerr := asKyc(t, err)
				assert.Equal(t, tt.unprocessed, kerr.Unprocessed, "Unprocessed")
				assert.Equal(t, tt.notSent, kerr.NotSent, "NotSent")
				assert.Equal(t, tt.unprocessed || tt.notSent, !kyc.MayHaveCharged(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.unprocessed, resp.Unprocessed, "Response.Unprocessed")
			if resp.StatusCode >= 400 {
				kerr := c.APIError("test.Op", resp, nil, "", "")
				assert.Equal(t, tt.unprocessed, kerr.Unprocessed, "APIError copies Unprocessed")
				assert.Equal(t, !tt.unprocessed, kyc.MayHaveCharged(kerr))
			}
		})
	}
}
