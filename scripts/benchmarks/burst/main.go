// Command burst is the harness's cold-burst probe: a fresh ADVANCE.AI
// client (default transport, no token yet) makes one Verify, and another
// fresh client takes N concurrent Verifys at once, in an order rotated each
// round. It reports the first result of the burst against the one cold
// call, the whole burst, the token exchanges (one is shared by the burst)
// and the connections dialled. It prints JSON for scripts/benchmarks.
package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/scripts/benchmarks/internal/probe"
)

func main() {
	f := probe.Register()
	n := flag.Int("n", 1000, "concurrent calls in the burst")
	latency := flag.Duration("latency", 5*time.Millisecond, "server latency")
	flag.Parse()
	ctx := context.Background()
	f.SetLatency(*latency)
	defer f.SetLatency(0)

	out := &probe.Output{Settings: map[string]string{
		"burst": strconv.Itoa(*n), "latency": latency.String(), "rounds": strconv.Itoa(f.Rounds),
	}}
	// The process's first TLS call loads the root pool and warms crypto:
	// not what a cold client costs in a running service.
	if _, err := cold(ctx, f); err != nil {
		probe.Fatal(err)
	}
	kinds := []string{"cold", "burst"}
	for r := range f.Rounds {
		for _, k := range probe.Order(kinds, r) {
			var p probe.PerCall
			var err error
			if k == "cold" {
				p, err = cold(ctx, f)
			} else {
				p, err = burst(ctx, f, *n)
			}
			if err != nil {
				probe.Fatal(fmt.Errorf("%s round %d: %w", k, r, err))
			}
			out.Samples = append(out.Samples, probe.Sample{Case: k, Side: "advanceai", Round: r, Cost: p})
		}
	}
	out.Print()
}

func client(f *probe.Flags) (*advanceai.Client, error) {
	return advanceai.New(advanceai.Config{AccessKey: "bench-access", SecretKey: kyc.NewSecret("bench-secret")},
		kyc.WithBaseURL(f.URL))
}

var req = kyc.Request{ID: "bench", Country: "IDN", Link: kyc.LinkOptions{ReturnURL: "https://example.com/done"}}

// cold is one Verify of a fresh client: a dial, a TLS handshake, the token
// exchange and generate-url. Extra is its latency.
func cold(ctx context.Context, f *probe.Flags) (probe.PerCall, error) {
	c, err := client(f)
	if err != nil {
		return probe.PerCall{}, err
	}
	defer c.Close()
	c0 := f.MustRead()
	u := probe.Snap()
	t := time.Now()
	_, err = c.Verify(ctx, req)
	d := time.Since(t)
	p := u.Since(1)
	delta := f.MustRead().Sub(c0)
	p.Extra, p.Conns, p.Hands = float64(d), delta.Conns, delta.Handshakes
	p = p.WithLatencies([]time.Duration{d})
	if err != nil {
		p.Errs = 1
	}
	return p, nil
}

// burst is n Verifys of a fresh client released at once. Extra is the
// time to the first result, Max the whole burst, the percentiles those of
// the completion times.
func burst(ctx context.Context, f *probe.Flags, n int) (probe.PerCall, error) {
	c, err := client(f)
	if err != nil {
		return probe.PerCall{}, err
	}
	defer c.Close()
	var (
		wg    sync.WaitGroup
		ready sync.WaitGroup
		mu    sync.Mutex
		done  = make([]time.Duration, 0, n)
		errs  int
		start time.Time
		gate  = make(chan struct{})
	)
	wg.Add(n)
	ready.Add(n)
	for range n {
		go func() {
			defer wg.Done()
			ready.Done()
			<-gate
			_, err := c.Verify(ctx, req)
			d := time.Since(start)
			mu.Lock()
			done = append(done, d)
			if err != nil {
				errs++
			}
			mu.Unlock()
		}()
	}
	ready.Wait()
	c0 := f.MustRead()
	u := probe.Snap()
	start = time.Now()
	close(gate)
	wg.Wait()
	p := u.Since(n)
	delta := f.MustRead().Sub(c0)
	p = p.WithLatencies(done)
	p.Extra = float64(done[0]) // sorted by WithLatencies
	p.Conns, p.Hands, p.Errs = delta.Conns, delta.Handshakes, errs
	if delta.Tokens != 1 {
		p.Errs += int(delta.Tokens) // one token exchange is the contract; more is a failure
	}
	return p, nil
}
