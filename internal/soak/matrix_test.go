package soak_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

// The faults of the matrix (issue 12's acceptance), in the table's order.
type fault int

const (
	faultRefused   fault = iota // connection refused before the request is written
	faultReset                  // the vendor processed it, then the connection was reset
	fault429                    // 429 with Retry-After: 1
	fault500                    // 500 after the vendor processed it
	fault502                    // 502 after the vendor processed it
	fault503                    // 503, nothing processed
	fault504                    // 504 after the vendor processed it
	faultTimeout                // the answer comes after the attempt timeout
	faultTruncated              // a 200 whose body is cut in half
	faultMalformed              // a 200 that is not JSON, after the vendor processed it
	numFaults
)

var faultNames = [numFaults]string{"refused before write", "reset after write", "429 with Retry-After",
	"500", "502", "503", "504", "attempt timeout", "truncated 200", "malformed 200"}

func (f fault) String() string { return faultNames[f] }

// matrixRetries is kyc's default retry count: the matrix shortens the waits
// (kyc.WithRetry's maxWait), never the count.
const (
	matrixRetries  = kyc.DefaultMaxRetries
	matrixMaxWait  = time.Second
	attemptTimeout = 2 * time.Second
)

// policyClass is what the resend policy reads of an operation: its class,
// and for billed operations whether they carry the vendor's idempotency
// key.
type policyClass int

const (
	classMessaging policyClass = iota
	classBilled
	classBilledIdempotent
	numClasses
)

var classNames = [numClasses]string{"messaging", "billed, no idempotency key", "billed with idempotency key"}

func classOf(op kyc.Operation) policyClass {
	switch {
	case op.Class == kyc.ClassMessaging:
		return classMessaging
	case op.Idempotent:
		return classBilledIdempotent
	}
	return classBilled
}

// expectation is one cell of the policy table: how many attempts the
// client makes, and how many of them reach the vendor.
type expectation struct {
	attempts int // attempts of the client (at its transport)
	requests int // requests the fake received
	// notSent and unprocessed are the kyc.Error flags of the failure.
	notSent, unprocessed bool
	why                  string
}

// policy is THE policy table of the matrix, derived from the class only:
//
//   - refused before write: nothing reached the vendor, so every class is
//     resent up to the retry count;
//   - 429 and 503 (refused unprocessed): billed is resent up to the retry
//     count; messaging never, once written;
//   - any ambiguous fault (reset or timeout after the write, 500, 502, 504,
//     a truncated 200): billed without a key and messaging are sent once;
//     billed with the vendor's idempotency key is retried like a read;
//   - a malformed 200 is the vendor's answer: no class is resent.
func policy(c policyClass, f fault) expectation {
	full := 1 + matrixRetries
	switch f {
	case faultRefused:
		return expectation{attempts: full, requests: 0, notSent: true, unprocessed: true, why: "never written: resent"}
	case fault429, fault503:
		if c == classMessaging {
			return expectation{attempts: 1, requests: 1, unprocessed: true, why: "messaging: never resent once written"}
		}
		return expectation{attempts: full, requests: full, unprocessed: true, why: "refused unprocessed: resent"}
	case faultMalformed:
		return expectation{attempts: 1, requests: 1, why: "a 200 is the vendor's answer"}
	}
	switch c {
	case classMessaging:
		return expectation{attempts: 1, requests: 1, why: "messaging: never resent once written"}
	case classBilledIdempotent:
		return expectation{attempts: full, requests: full, why: "idempotency key: retried like a read"}
	}
	return expectation{attempts: 1, requests: 1, why: "billed: the vendor may have processed it"}
}

// PolicyMarkdown renders the policy table, as the README shows it: requests
// that reach the vendor, out of the attempts made, per fault and class.
func policyMarkdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "| fault (persistent, default %d retries) |", matrixRetries)
	for c := range numClasses {
		fmt.Fprintf(&b, " %s |", classNames[c])
	}
	b.WriteString("\n|---|")
	for range numClasses {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for f := range numFaults {
		fmt.Fprintf(&b, "| %s |", f)
		for c := range numClasses {
			e := policy(c, f)
			if e.requests == e.attempts {
				fmt.Fprintf(&b, " %d sent |", e.requests)
			} else {
				fmt.Fprintf(&b, " %d attempts, %d reach the vendor |", e.attempts, e.requests)
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\nFree operations (reads, token exchanges) are retried like reads and are not in the matrix.\n")
	return b.String()
}

// inject sets up fault f for every request to path, on every attempt, and
// returns the client options the cell needs.
func inject(r *rig, f fault, path string) {
	const times = 100
	switch f {
	case faultRefused:
		r.tr.setRefuse(path)
	case faultReset:
		r.fake.Inject(kyctest.Fault{Kind: kyctest.FaultDrop, After: true, Path: path, Times: times})
	case fault429:
		r.fake.Inject(kyctest.Fault{Kind: kyctest.FaultRateLimit, RetryAfter: "1", Path: path, Times: times})
	case fault500, fault502, fault504:
		st := map[fault]int{fault500: 500, fault502: 502, fault504: 504}[f]
		r.fake.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: st, After: true, Path: path, Times: times})
	case fault503:
		r.fake.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: http.StatusServiceUnavailable, Path: path, Times: times})
	case faultTimeout:
		// Held until the client goes (the fake then answers nothing), so
		// no answer can beat the timeout on a machine slow to cancel.
		r.tr.holdAnswers(path)
		r.fake.Inject(kyctest.Fault{Kind: kyctest.FaultLatency, Latency: time.Hour, Path: path, Times: times})
	case faultTruncated:
		r.fake.Inject(kyctest.Fault{Kind: kyctest.FaultTruncate, Path: path, Times: times})
	case faultMalformed:
		r.fake.Inject(kyctest.Fault{Kind: kyctest.FaultMalformed, After: true, Path: path, Times: times})
	}
}

// cellOptions are the client options of a cell: default options, with a
// short maxWait so Retry-After: 1 is honoured and the backoff stays short.
func cellOptions(f fault) []kyc.Option {
	opts := []kyc.Option{kyc.WithRetry(matrixRetries, matrixMaxWait), kyc.WithLogger(discardLogger)}
	if f == faultTimeout {
		opts = append(opts, kyc.WithTimeout(attemptTimeout))
	}
	return opts
}

// cell is one measured cell of the direct matrix.
type cell struct {
	kit      kit
	op       kyc.Operation
	f        fault
	want     expectation
	attempts int
	requests int
	dups     int
	err      error
	setupErr error
}

// billedOrMessaging lists a kit's operations that the matrix covers.
func billedOrMessaging(k kit) []kyc.Operation {
	var out []kyc.Operation
	for _, op := range k.ops {
		if op.Class != kyc.ClassFree {
			out = append(out, op)
		}
	}
	return out
}

// runConcurrently runs fn over n items with at most limit at once: the
// cells mostly wait (Retry-After, backoff, timeouts), so they overlap far
// more than t.Parallel's GOMAXPROCS would let them.
func runConcurrently(n, limit int, fn func(i int)) {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

func measure(c *cell) {
	tr := &tripper{timed: c.f == faultTimeout}
	r, err := c.kit.start(tr, cellOptions(c.f)...)
	if err != nil {
		c.setupErr = err
		return
	}
	defer r.close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p := c.kit.calls[c.op.Name]
	if p == nil {
		c.setupErr = errNoCall
		return
	}
	call, err := p(ctx, r)
	if err != nil {
		c.setupErr = fmt.Errorf("prior steps: %w", err)
		return
	}
	a0, r0 := tr.attempts(c.op.Path), countPath(r.fake, c.op.Path)
	inject(r, c.f, c.op.Path)
	c.err = call(ctx)
	c.attempts, c.requests = tr.attempts(c.op.Path)-a0, countPath(r.fake, c.op.Path)-r0
	c.dups = r.fake.DuplicateSends()
}

// TestFaultMatrix sends every billed and messaging operation of every vendor
// through every fault, persistent on that operation's path, under the
// default retry count, and compares the attempts made and the requests the
// fake received with the policy table.
func TestFaultMatrix(t *testing.T) {
	needsSlow(t)
	t.Parallel()
	if testing.Verbose() {
		t.Log("policy table:\n\n" + policyMarkdown())
	}
	var cells []*cell
	for _, k := range kits() {
		for _, op := range billedOrMessaging(k) {
			for f := range numFaults {
				cells = append(cells, &cell{kit: k, op: op, f: f, want: policy(classOf(op), f)})
			}
		}
	}
	start := time.Now()
	runConcurrently(len(cells), 48, func(i int) { measure(cells[i]) })
	t.Logf("fault matrix: %d cells (%d operations × %d faults) in %v", len(cells), len(cells)/int(numFaults), numFaults, time.Since(start).Round(time.Millisecond))

	for _, c := range cells {
		t.Run(c.op.Name+"/"+c.f.String(), func(t *testing.T) {
			require.NoError(t, c.setupErr)
			w := c.want
			assert.Equal(t, w.attempts, c.attempts, "attempts (%s)", w.why)
			assert.Equal(t, w.requests, c.requests, "requests the fake received (%s)", w.why)
			assert.Zero(t, c.dups, "a billed or messaging operation processed twice")
			require.Error(t, c.err, "a persistent fault fails the call")
			var kerr *kyc.Error
			require.ErrorAs(t, c.err, &kerr, "%T %v", c.err, c.err)
			assert.Equal(t, c.op.Name, kerr.Op)
			assert.Equal(t, w.notSent, kerr.NotSent, "NotSent: %v", c.err)
			assert.Equal(t, w.unprocessed, kerr.Unprocessed, "Unprocessed: %v", c.err)
			assert.Equal(t, !w.notSent, kyc.MayHaveBeenSent(c.err))
			assert.GreaterOrEqual(t, kerr.RetryAfter, time.Duration(0))
			if c.f == faultTimeout {
				assert.ErrorIs(t, c.err, kyc.ErrTimeout)
			}
		})
	}
}

// routePair is a two-provider route: the primary's Verify is faulted, the
// secondary is the fallback.
type routePair struct {
	country            string
	primary, secondary kit
	request            func() kyc.Request
}

func routePairs() []routePair {
	k := map[kyc.Provider]kit{}
	for _, x := range kits() {
		k[x.p] = x
	}
	doc := func(t kyc.DocumentType, number string) kyc.Document {
		return kyc.Document{Type: t, Number: number, Front: img(""), Back: img("")}
	}
	return []routePair{
		{"IND", k[kyc.Atlas], k[kyc.Incode], func() kyc.Request {
			return kyc.Request{ID: uniq("route"), Country: "IND", Selfie: img(""), Document: doc(kyc.DocumentPAN, "ABCDE1234F"),
				Person: kyc.Person{FullName: "RAHUL KUMAR SHARMA"}}
		}},
		{"MEX", k[kyc.Incode], k[kyc.Atlas], func() kyc.Request {
			return kyc.Request{ID: uniq("route"), Country: "MEX", Selfie: img(""), Document: doc(kyc.DocumentIDCard, "")}
		}},
		{"KHM", k[kyc.EKYC], k[kyc.Incode], func() kyc.Request {
			return kyc.Request{ID: uniq("route"), Country: "KHM", Selfie: img(""), Document: doc(kyc.DocumentIDCard, "")}
		}},
		{"IDN", k[kyc.AdvanceAI], k[kyc.Incode], func() kyc.Request {
			return kyc.Request{ID: uniq("route"), Country: "IDN", Selfie: img(""), Document: doc(kyc.DocumentIDCard, ""),
				Link: kyc.LinkOptions{ReturnURL: "https://example.com/done"}}
		}},
		{"ESP", k[kyc.Verificar], k[kyc.Incode], func() kyc.Request {
			return kyc.Request{ID: uniq("route"), Country: "ESP", Selfie: img(""), Document: doc(kyc.DocumentIDCard, ""),
				Person: kyc.Person{Phone: fmt.Sprintf("+3463%07d", phoneSeq.Add(1))}, Link: kyc.LinkOptions{Message: "Verifica tu identidad: [LINK]"}}
		}},
	}
}

// started reports whether a fake processed a billable or messaging
// operation (its Sends counter).
func started(f *kyctest.Server) bool {
	for _, k := range f.SendKeys() {
		if f.Sends(k) > 0 {
			return true
		}
	}
	return false
}

// flowOps returns the billed and messaging operations the primary's Verify
// sends, in order, by running it once without faults.
func flowOps(t *testing.T, rp routePair) []kyc.Operation {
	t.Helper()
	tr := &tripper{}
	r, err := rp.primary.start(tr, kyc.WithLogger(discardLogger))
	require.NoError(t, err)
	defer r.close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = r.client.Verify(ctx, rp.request())
	require.NoError(t, err, "%s: Verify without faults", rp.primary.p)
	var out []kyc.Operation
	seen := map[string]bool{}
	for _, path := range tr.seen {
		for _, op := range billedOrMessaging(rp.primary) {
			if strings.Contains(path, op.Path) && !seen[op.Name] {
				seen[op.Name] = true
				out = append(out, op)
			}
		}
	}
	require.NotEmpty(t, out)
	return out
}

type routeCell struct {
	rp        routePair
	op        kyc.Operation
	first     bool // the first billable operation of the primary's flow
	f         fault
	res       *kyc.Result
	err       error
	setupErr  error
	primary   bool // the primary's fake processed a billable operation
	secondary bool
}

// wantFallback is the Router's rule in the table's terms: it falls back
// only when the primary's failure was refused unprocessed before anything
// billable was processed (the faulted operation is the flow's first), and
// never after a messaging operation was written.
func (c *routeCell) wantFallback() bool {
	if !c.first {
		return false
	}
	e := policy(classOf(c.op), c.f)
	if classOf(c.op) == classMessaging {
		return e.notSent
	}
	return e.unprocessed
}

func measureRoute(c *routeCell) {
	ptr, str := &tripper{timed: c.f == faultTimeout}, &tripper{}
	pr, err := c.rp.primary.start(ptr, cellOptions(c.f)...)
	if err != nil {
		c.setupErr = err
		return
	}
	defer pr.close()
	sr, err := c.rp.secondary.start(str, kyc.WithLogger(discardLogger))
	if err != nil {
		c.setupErr = err
		return
	}
	defer sr.close()
	router, err := kyc.NewRouter(kyc.CountryRoute(c.rp.country, pr.client, sr.client))
	if err != nil {
		c.setupErr = err
		return
	}
	inject(pr, c.f, c.op.Path)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c.res, c.err = router.Verify(ctx, c.rp.request())
	c.primary, c.secondary = started(pr.fake), started(sr.fake)
}

// TestRouterFaultMatrix runs the matrix through two-provider Routers: every
// billed and messaging operation of each primary's Verify × every fault. At
// most one vendor may start a billable verification per Verify, and the
// Router falls back exactly when the primary's failure was refused
// unprocessed (or never sent) before anything billable started.
func TestRouterFaultMatrix(t *testing.T) {
	needsSlow(t)
	t.Parallel()
	var cells []*routeCell
	for _, rp := range routePairs() {
		for i, op := range flowOps(t, rp) {
			for f := range numFaults {
				cells = append(cells, &routeCell{rp: rp, op: op, first: i == 0, f: f})
			}
		}
	}
	start := time.Now()
	runConcurrently(len(cells), 32, func(i int) { measureRoute(cells[i]) })
	t.Logf("router fault matrix: %d cells in %v", len(cells), time.Since(start).Round(time.Millisecond))
	for _, c := range cells {
		name := fmt.Sprintf("%s→%s/%s/%s", c.rp.primary.p, c.rp.secondary.p, c.op.Name, c.f)
		t.Run(name, func(t *testing.T) {
			require.NoError(t, c.setupErr)
			assert.False(t, c.primary && c.secondary, "two vendors started for one Verify: %v", c.err)
			if c.wantFallback() {
				require.NoError(t, c.err, "refused unprocessed before any billable start: the Router falls back")
				assert.Equal(t, c.rp.secondary.p, c.res.Provider)
				assert.True(t, c.secondary)
				return
			}
			if c.err == nil && c.res != nil && c.res.Provider == c.rp.primary.p {
				// The primary recovered (an idempotent resend, a poll
				// that succeeded): no fallback, one vendor.
				assert.False(t, c.secondary)
				return
			}
			require.Error(t, c.err, "the Router must stop: the primary may have charged or messaged")
			assert.False(t, c.secondary, "fell back to %s after an ambiguous failure", c.rp.secondary.p)
			var rerr *kyc.RouteError
			if assert.ErrorAs(t, c.err, &rerr) {
				assert.Len(t, rerr.Attempts, 1, "only the primary was tried")
			}
			if classOf(c.op) == classMessaging {
				assert.True(t, kyc.MayHaveBeenSent(c.err), "the error says the message may have gone: %v", c.err)
			} else {
				assert.True(t, kyc.MayHaveCharged(c.err), "the error says the call may have charged: %v", c.err)
			}
		})
	}
}
