package soak_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

// soakFaults are what the fakes inject into 10% of requests: error
// statuses before and after the vendor processed the request, 429 with
// Retry-After, connections dropped before and after processing, truncated
// and malformed bodies, and 2 s latency spikes.
var soakFaults = []kyctest.Fault{
	{Kind: kyctest.FaultStatus, Status: 500},
	{Kind: kyctest.FaultStatus, Status: 503},
	{Kind: kyctest.FaultStatus, Status: 502, After: true},
	{Kind: kyctest.FaultRateLimit, RetryAfter: "1"},
	{Kind: kyctest.FaultDrop},
	{Kind: kyctest.FaultDrop, After: true},
	{Kind: kyctest.FaultTruncate},
	{Kind: kyctest.FaultMalformed},
	{Kind: kyctest.FaultLatency, Latency: 2 * time.Second},
}

// TestSoak drives every provider through the Router from many goroutines
// while the fakes inject faults, and checks that every failure is typed,
// nothing panics, no chargeable operation is processed twice for one
// logical request, and no goroutine outlives the closed clients.
//
// `-tags slow` (a step of .ci/run) runs a short version; `go test -tags soak -run Soak -v
// ./internal/soak` runs 10,000 verifications from 200 goroutines.
func TestSoak(t *testing.T) {
	needsSlow(t)
	if testing.Short() {
		t.Skip("soak")
	}
	baseline := runtime.NumGoroutine()
	w := newWorld(t, kyc.WithLogger(discardLogger), kyc.WithRetry(2, 2*time.Second))
	for i, p := range []kyc.Provider{kyc.Atlas, kyc.Incode, kyc.AdvanceAI, kyc.EKYC, kyc.Verificar} {
		w.fakes[p].FaultRate(0.10, uint64(i+1), soakFaults...)
	}

	var (
		next      atomic.Int64
		mu        sync.Mutex
		byStatus  = map[kyc.Status]int{}
		byKind    = map[string]int{}
		untyped   []string
		panics    []string
		latencies = map[kyc.Provider][]time.Duration{}
	)
	start := time.Now()
	var wg sync.WaitGroup
	for g := 0; g < soakWorkers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= soakCalls {
					return
				}
				req := request(i)
				p := w.routes[req.Country]
				t0 := time.Now()
				res, err := verifyOnce(w.router, req, &panics, &mu)
				d := time.Since(t0)
				mu.Lock()
				latencies[p] = append(latencies[p], d)
				var kerr *kyc.Error
				switch {
				case err == nil && res != nil:
					byStatus[res.Status]++
				case errors.As(err, &kerr):
					byKind[kerr.Kind.Error()]++
				case err != nil:
					untyped = append(untyped, fmt.Sprintf("%s: %T %v", p, err, err))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	dups := map[kyc.Provider]int{}
	injected := map[string]int{}
	requests := 0
	for p, f := range w.fakes {
		dups[p] = f.DuplicateSends()
		for k, n := range f.Injected() {
			injected[k.String()] += n
		}
		requests += len(f.Requests())
	}
	w.close()
	leaked := settleGoroutines(baseline)

	var b strings.Builder
	fmt.Fprintf(&b, "soak: %d verifications, %d goroutines, %v, %d HTTP requests to the fakes\n", soakCalls, soakWorkers, elapsed.Round(time.Millisecond), requests)
	fmt.Fprintf(&b, "  results by status: %v\n", byStatus)
	fmt.Fprintf(&b, "  errors by kind:    %v\n", byKind)
	fmt.Fprintf(&b, "  faults injected:   %v\n", injected)
	fmt.Fprintf(&b, "  untyped errors: %d, panics: %d, duplicate sends: %v, goroutines left above baseline: %d\n", len(untyped), len(panics), dups, leaked)
	fmt.Fprintf(&b, "  %-10s %6s %9s %9s %9s\n", "provider", "calls", "p50", "p99", "max")
	for _, p := range []kyc.Provider{kyc.Atlas, kyc.AdvanceAI, kyc.EKYC, kyc.Incode, kyc.Verificar} {
		ls := latencies[p]
		slices.Sort(ls)
		if len(ls) == 0 {
			continue
		}
		fmt.Fprintf(&b, "  %-10s %6d %9v %9v %9v\n", p, len(ls), pct(ls, 50), pct(ls, 99), ls[len(ls)-1].Round(time.Millisecond))
	}
	t.Log("\n" + b.String())

	calls := 0
	for _, n := range byStatus {
		calls += n
	}
	for _, n := range byKind {
		calls += n
	}
	assert.Equal(t, soakCalls, calls+len(untyped)+len(panics), "every call is counted once")
	assert.Empty(t, untyped, "untyped errors")
	assert.Empty(t, panics, "panics")
	for p, n := range dups {
		assert.Zero(t, n, "%s: chargeable operations processed twice for one request", p)
	}
	assert.Zero(t, leaked, "goroutines left after the clients and fakes closed")
	assert.NotZero(t, injected["drop"]+injected["status"], "faults were injected")
}

// verifyOnce calls Verify, turning a panic into a recorded failure.
func verifyOnce(v kyc.Verifier, req kyc.Request, panics *[]string, mu *sync.Mutex) (res *kyc.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			mu.Lock()
			*panics = append(*panics, fmt.Sprint(r))
			mu.Unlock()
			res, err = nil, nil
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return v.Verify(ctx, req)
}

func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	i = min(max(i-1, 0), len(sorted)-1)
	return sorted[i].Round(time.Millisecond)
}

// settleGoroutines waits up to 5 s for the goroutine count to come back to
// the baseline and returns how many are left above it.
func settleGoroutines(baseline int) int {
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= baseline || time.Now().After(deadline) {
			return max(n-baseline, 0)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
