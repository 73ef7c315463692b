//go:build slow

package outage

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/verificar"
)

// kind is a kind of outage.
type kind int

const (
	storm503   kind = iota // every request answered 503
	limited429             // every request answered 429 with Retry-After: 1
	refused                // nothing listens: connection refused
	dropped                // every connection is accepted and closed at once
	tlsFail                // the TLS handshake fails (an untrusted certificate)
	stall                  // the request is read and never answered (past the caller's 1 s deadline)
	numKinds
)

var kindNames = [numKinds]string{"503 storm", "429 + Retry-After", "connection refused", "connection dropped", "TLS failure", "stall"}

// deadVendor is a host in an outage of one kind; it can heal.
type deadVendor struct {
	url      string
	client   *http.Client
	reached  atomic.Int32 // requests read, or TLS handshakes tried
	healed   atomic.Bool
	mu       sync.Mutex
	ids      map[string]int // what it may have processed, by request marker
	shutdown func()
}

func newDeadVendor(t *testing.T, k kind, healthy http.HandlerFunc) *deadVendor {
	d := &deadVendor{ids: map[string]int{}}
	closed := make(chan struct{})
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.reached.Add(1)
		if d.healed.Load() {
			healthy(w, r)
			return
		}
		switch k {
		case storm503:
			w.WriteHeader(http.StatusServiceUnavailable)
		case limited429:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		case stall:
			d.processed(r)
			select {
			case <-r.Context().Done():
			case <-closed:
			case <-time.After(30 * time.Second):
			}
		}
	})
	switch k {
	case refused:
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		d.url = "http://" + ln.Addr().String()
		require.NoError(t, ln.Close()) // nothing listens there now
		d.client = &http.Client{}
		d.shutdown = func() {}
	case dropped:
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		d.url, d.client = "http://"+ln.Addr().String(), &http.Client{}
		done := make(chan struct{})
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					close(done)
					return
				}
				d.reached.Add(1)
				if d.healed.Load() {
					go func() { _ = http.Serve(&oneConn{c: c}, handler) }()
					continue
				}
				_ = c.Close()
			}
		}()
		d.shutdown = func() { _ = ln.Close(); <-done }
	case tlsFail:
		srv := httptest.NewUnstartedServer(handler)
		srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				d.reached.Add(1)
			}
		}
		srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes are the point
		srv.StartTLS()
		d.url, d.client, d.shutdown = srv.URL, &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{}}}, srv.Close
	default:
		srv := httptest.NewServer(handler)
		d.url, d.client, d.shutdown = srv.URL, srv.Client(), srv.Close
	}
	t.Cleanup(func() { close(closed); d.shutdown() })
	return d
}

// oneConn is a listener of one connection, to serve a healed host.
type oneConn struct {
	c    net.Conn
	done bool
}

func (o *oneConn) Accept() (net.Conn, error) {
	if o.done {
		return nil, net.ErrClosed
	}
	o.done = true
	return o.c, nil
}
func (o *oneConn) Close() error   { return nil }
func (o *oneConn) Addr() net.Addr { return o.c.LocalAddr() }

func (d *deadVendor) processed(r *http.Request) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ids[r.Header.Get("X-Outage-Person")]++
}

// personHeader marks each request with the person it is for, so that a
// possible double charge can be counted: a wrapping transport adds it.
type personHeader struct{ rt http.RoundTripper }

type personKey struct{}

func (p personHeader) RoundTrip(r *http.Request) (*http.Response, error) {
	if id, ok := r.Context().Value(personKey{}).(string); ok {
		r = r.Clone(r.Context())
		r.Header.Set("X-Outage-Person", id)
	}
	return p.rt.RoundTrip(r)
}

type cell struct {
	kind      kind
	bothDown  bool
	messaging bool
}

func (c cell) String() string {
	flow, who := "billed", "first down"
	if c.messaging {
		flow = "messaging"
	}
	if c.bothDown {
		who = "both down"
	}
	return kindNames[c.kind] + "/" + who + "/" + flow
}

type figures struct {
	calls, reached, reachedOpen, approved, double int
	p50, p99                                      time.Duration
}

const (
	calls       = 400
	stallCalls  = 96
	concurrency = 16
)

func deadClient(t *testing.T, c cell, d *deadVendor) kyc.Verifier {
	hc := &http.Client{Transport: personHeader{rt: transportOf(d.client)}}
	opts := []kyc.Option{kyc.WithBaseURL(d.url), kyc.WithHTTPClient(hc)}
	if c.messaging {
		v, err := verificar.New(verificar.Config{APIUser: "user", APIToken: kyc.NewSecret("token")}, opts...)
		require.NoError(t, err)
		return v
	}
	v, err := atlas.New(atlas.Config{KeyID: "id", KeySecret: kyc.NewSecret("secret")}, opts...)
	require.NoError(t, err)
	return v
}

func transportOf(c *http.Client) http.RoundTripper {
	if c.Transport != nil {
		return c.Transport
	}
	return http.DefaultTransport
}

func run(t *testing.T, c cell) figures {
	d := newDeadVendor(t, c.kind, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	first := deadClient(t, c, d)
	var seconds sync.Map // person → times the second vendor processed it
	// The second vendor: healthy, or (both down) refusing unprocessed.
	healthy := func() kyc.Verifier {
		f := kyctest.New(kyc.Incode, kyc.Capabilities{Flow: kyc.FlowDirect})
		for range calls {
			f.Do(func(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
				if c.bothDown {
					return nil, &kyc.Error{Provider: kyc.Incode, Kind: kyc.ErrUnavailable, StatusCode: 503, Unprocessed: true}
				}
				n, _ := seconds.LoadOrStore(req.ID, new(atomic.Int32))
				n.(*atomic.Int32).Add(1)
				return &kyc.Result{Status: kyc.StatusApproved, Reference: "incode:" + req.ID}, nil
			})
		}
		return f
	}()
	country := "IND"
	if c.messaging {
		country = "ESP"
	}
	r, err := kyc.NewRouter(kyc.CountryRoute(country, first, healthy), kyc.WithResultStore(kyc.NewMemoryStore(0)))
	require.NoError(t, err)

	n := calls
	if c.kind == stall {
		n = stallCalls // each waits out its deadline
	}
	img := kyctest.MagicImage(kyctest.ImageApproved, 0)
	var (
		mu          sync.Mutex
		waits       []time.Duration
		approved    int
		reachedOpen int
	)
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			id := fmt.Sprintf("person-%d", i)
			req := kyc.Request{ID: id, Country: country}
			if c.messaging {
				req.Person.Phone = "+34600000001"
			} else {
				front, _ := kyc.ImageFromBytes(img)
				selfie, _ := kyc.ImageFromBytes(img)
				req.Document = kyc.Document{Type: kyc.DocumentIDCard, Front: front}
				req.Selfie = selfie
			}
			open := r.Circuit(first.Provider()) == kyc.CircuitOpen
			ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), personKey{}, id), time.Second)
			start := time.Now()
			res, attempts, _ := r.VerifyWithAttempts(ctx, req)
			wait := time.Since(start)
			cancel()
			mu.Lock()
			defer mu.Unlock()
			waits = append(waits, wait)
			if res != nil && res.Status == kyc.StatusApproved {
				approved++
			}
			if open && len(attempts) > 0 && attempts[0].Skipped == "" {
				reachedOpen++ // called although its circuit was open when the call began (a probe, or a race)
			}
		}()
	}
	wg.Wait()
	slices.Sort(waits)
	f := figures{calls: n, reached: int(d.reached.Load()), reachedOpen: int(reachedOpen), approved: approved,
		p50: waits[len(waits)/2], p99: waits[len(waits)*99/100]}
	d.mu.Lock()
	for id := range d.ids {
		if n, ok := seconds.Load(id); ok && n.(*atomic.Int32).Load() > 0 {
			f.double++
		}
	}
	d.mu.Unlock()
	return f
}

// TestOutageMatrix is the fault matrix of README "When a vendor is down".
func TestOutageMatrix(t *testing.T) {
	var cells []cell
	for k := range numKinds {
		for _, both := range []bool{false, true} {
			for _, msg := range []bool{false, true} {
				cells = append(cells, cell{kind: k, bothDown: both, messaging: msg})
			}
		}
	}
	results := make([]figures, len(cells))
	t.Run("cells", func(t *testing.T) {
		for i, c := range cells {
			t.Run(c.String(), func(t *testing.T) {
				if c.kind == stall {
					t.Parallel() // each waits out the deadlines; they run together, after the others
				}
				f := run(t, c)
				results[i] = f
				assert.Zero(t, f.double, "a person charged or texted by two vendors")
				assert.LessOrEqual(t, f.reachedOpen, f.calls*5/100, "calls that reached the dead vendor once its circuit was open")
				if !c.bothDown && c.kind != dropped && c.kind != stall {
					assert.LessOrEqual(t, f.p50, 50*time.Millisecond, "p50 wait while the circuit is open")
				}
			})
		}
	})
	t.Logf("| outage | vendors down | flow | requests that reached the dead vendor | of them once open | p50 wait | p99 wait | approved | double charges or messages |")
	t.Logf("|---|---|---|---|---|---|---|---|---|")
	for i, c := range cells {
		f := results[i]
		flow, who := "billed", "first"
		if c.messaging {
			flow = "messaging"
		}
		if c.bothDown {
			who = "both"
		}
		t.Logf("| %s | %s | %s | %d | %d | %v | %v | %d/%d | %d |", kindNames[c.kind], who, flow, f.reached, f.reachedOpen,
			f.p50.Round(time.Millisecond), f.p99.Round(time.Millisecond), f.approved, f.calls, f.double)
	}
}

// TestOutageRecovery: when the vendor heals, traffic returns within the
// circuit's cool-down plus one probe.
func TestOutageRecovery(t *testing.T) {
	d := newDeadVendor(t, storm503, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	first := deadClient(t, cell{kind: storm503}, d)
	healthy := kyctest.New(kyc.Incode, kyc.Capabilities{Flow: kyc.FlowDirect})
	for range 1000 {
		healthy.Return(kyc.Result{Status: kyc.StatusApproved})
	}
	const coolDown = 500 * time.Millisecond
	r, err := kyc.NewRouter(kyc.CountryRoute("IND", first, healthy), kyc.WithCircuit(kyc.CircuitSettings{CoolDown: coolDown}))
	require.NoError(t, err)
	img := kyctest.MagicImage(kyctest.ImageApproved, 0)
	verify := func() {
		front, _ := kyc.ImageFromBytes(img)
		selfie, _ := kyc.ImageFromBytes(img)
		_, _ = r.Verify(context.Background(), kyc.Request{Country: "IND", Document: kyc.Document{Type: kyc.DocumentIDCard, Front: front}, Selfie: selfie})
	}
	for r.Circuit(kyc.Atlas) != kyc.CircuitOpen {
		verify()
	}
	d.healed.Store(true)
	healedAt := time.Now()
	before := d.reached.Load()
	for d.reached.Load() == before && time.Since(healedAt) < 10*time.Second {
		verify()
		time.Sleep(5 * time.Millisecond)
	}
	back := time.Since(healedAt)
	t.Logf("traffic returned %v after the vendor healed (cool-down %v)", back.Round(time.Millisecond), coolDown)
	assert.Less(t, back, coolDown+time.Second, "within the cool-down plus one probe")
	verify()
	assert.Equal(t, kyc.CircuitClosed, r.Circuit(kyc.Atlas), "the probe's answer closed the circuit")
}
