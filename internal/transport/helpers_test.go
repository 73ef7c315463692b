package transport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// recorder is an Observer that keeps everything it sees.
type recorder struct {
	mu       sync.Mutex
	calls    []kyc.CallInfo
	callEnds []kyc.CallEnd
	attempts []kyc.AttemptInfo
	ends     []kyc.AttemptEnd
	// onAttempt runs in StartAttempt, to try SetHeader.
	onAttempt func(kyc.AttemptInfo)
}

func (r *recorder) StartCall(ctx context.Context, call kyc.CallInfo) (context.Context, func(kyc.CallEnd)) {
	r.mu.Lock()
	r.calls = append(r.calls, call)
	r.mu.Unlock()
	return ctx, func(e kyc.CallEnd) {
		r.mu.Lock()
		r.callEnds = append(r.callEnds, e)
		r.mu.Unlock()
	}
}

func (r *recorder) StartAttempt(ctx context.Context, a kyc.AttemptInfo) (context.Context, func(kyc.AttemptEnd)) {
	if r.onAttempt != nil {
		r.onAttempt(a)
	}
	r.mu.Lock()
	r.attempts = append(r.attempts, a)
	r.mu.Unlock()
	return ctx, func(e kyc.AttemptEnd) {
		r.mu.Lock()
		r.ends = append(r.ends, e)
		r.mu.Unlock()
	}
}

func (r *recorder) reasons() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.ends))
	for i, e := range r.ends {
		out[i] = e.Reason
	}
	return out
}

// refusingClient is an http.Client whose every dial goes to a loopback
// port nobody listens on (a real ECONNREFUSED), counting the dials.
func refusingClient(t *testing.T, dials *atomic.Int32) *http.Client {
	t.Helper()
	// The dial fails as a refused connection does. A closed port would do
	// it too, but another test's server may bind that port meanwhile.
	tr := &http.Transport{DialContext: func(_ context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return nil, &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// chain is every error in err's tree, err first: through Unwrap() error and
// Unwrap() []error.
func chain(err error) []error {
	var out []error
	stack := []error{err}
	for len(stack) > 0 {
		e := stack[0]
		stack = stack[1:]
		if e == nil {
			continue
		}
		out = append(out, e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			stack = append(stack, u.Unwrap())
		case interface{ Unwrap() []error }:
			stack = append(stack, u.Unwrap()...)
		}
	}
	return out
}

// asKyc returns the *kyc.Error in err, failing the test if there is none.
func asKyc(t *testing.T, err error) *kyc.Error {
	t.Helper()
	var kerr *kyc.Error
	require.True(t, errors.As(err, &kerr), "%v is not a *kyc.Error", err)
	return kerr
}

// scriptDialer dials addr, counting the dials in attempt (one per attempt
// when keep-alives are off), and refuses the dial (a real ECONNREFUSED,
// from a closed loopback port) when refuse says so.
type scriptDialer struct {
	t       *testing.T
	addr    string
	attempt *atomic.Int32
	refuse  func() bool
	d       net.Dialer
}

func (s *scriptDialer) dial(ctx context.Context, network, _ string) (net.Conn, error) {
	s.attempt.Add(1)
	if s.refuse() {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		closed := l.Addr().String()
		_ = l.Close()
		return s.d.DialContext(ctx, network, closed)
	}
	return s.d.DialContext(ctx, network, s.addr)
}

// warmResettingClient returns a client whose pool holds one keep-alive
// connection to a server that resets every request but /warm after reading
// it, and the count of those requests: the case where net/http would
// replay a request by itself.
func warmResettingClient(t *testing.T) (*Client, *atomic.Int32) {
	t.Helper()
	var requests, resets atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/warm" {
			return // leaves a keep-alive connection in the pool
		}
		requests.Add(1)
		hijackAfterRead(&resets)(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := New(Params{Provider: "test", BaseURL: srv.URL}, []kyc.Option{kyc.WithRetry(2, time.Second)})
	require.NoError(t, err)
	t.Cleanup(c.Close)
	_, err = c.Do(context.Background(), &Request{Operation: kyc.Operation{Name: "test.Warm", Path: "/warm", Class: kyc.ClassFree}})
	require.NoError(t, err)
	return c, &requests
}

// at is op with its path template.
func at(o kyc.Operation, path string) kyc.Operation {
	o.Path = path
	return o
}

// fastRetry keeps the default resend count with millisecond waits, for
// tests that count attempts and do not measure the waits between them.
var fastRetry = kyc.WithRetry(kyc.DefaultMaxRetries, time.Millisecond)
