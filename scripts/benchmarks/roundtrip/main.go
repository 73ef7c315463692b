// Command roundtrip is the harness's transport probe: the SDK's transport
// (internal/transport with its default pool, no kyc.WithHTTPClient) and raw
// net/http with the same pool settings take turns against the benchmark
// server, in an order rotated each round. It measures one caller's round
// trip with no server latency (client CPU, bytes and allocations per call)
// and the load at 1, 16, 64 and 256 goroutines with the server's latency
// (throughput, p50, p99, new connections). It prints JSON for
// scripts/benchmarks; run it through that script.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
	"github.com/kyc-go/kyc/scripts/benchmarks/internal/probe"
)

// request is a typical verification request body.
var request = []byte(`{"pan":"ABCDE1234F","name":"A TEST NAME","consent":"Y"}`)

const path = "/v1/verify/pan"

var op = kyc.Operation{Name: "bench.Verify", Method: http.MethodPost, Path: path, Class: kyc.ClassBilled}

// pool is the pool of the SDK's default transport, which the raw side
// copies. TODO(lead): if internal/transport renames these, or adds a
// setting (IdleConnTimeout, ...), mirror it here.
var pool = struct{ maxConnsPerHost, maxIdleConnsPerHost, maxIdleConns int }{
	transport.DefaultMaxConnsPerHost, transport.DefaultMaxIdleConnsPerHost, transport.DefaultMaxIdleConns,
}

func main() {
	f := probe.Register()
	n := flag.Int("calls", 3000, "sequential calls per side per round")
	latency := flag.Duration("latency", 5*time.Millisecond, "server latency under load")
	warm := flag.Duration("warm", time.Second, "warm-up before each load window")
	dur := flag.Duration("dur", 3*time.Second, "load window per side per round")
	levels := flag.String("levels", "1,16,64,256", "goroutine counts")
	flag.Parse()
	ctx := context.Background()

	sdk, err := newSDK(f.URL)
	if err != nil {
		probe.Fatal(err)
	}
	raw := newRaw(f.URL)
	sides := []struct {
		name string
		call probe.Call
	}{{"sdk", sdk}, {"raw", raw}}

	out := &probe.Output{Settings: map[string]string{
		"MaxConnsPerHost":     strconv.Itoa(pool.maxConnsPerHost),
		"MaxIdleConnsPerHost": strconv.Itoa(pool.maxIdleConnsPerHost),
		"MaxIdleConns":        strconv.Itoa(pool.maxIdleConns),
		"calls":               strconv.Itoa(*n),
		"latency":             latency.String(),
		"warm":                warm.String(),
		"window":              dur.String(),
		"rounds":              strconv.Itoa(f.Rounds),
	}}

	// One caller, no latency: what a call costs the client.
	f.SetLatency(0)
	for _, s := range sides {
		probe.Sequential(ctx, min(*n, 200), s.call) // dial, TLS, JIT of the pools
	}
	for r := range f.Rounds {
		for _, s := range probe.Order(sides, r) {
			p := probe.Sequential(ctx, *n, s.call)
			out.Samples = append(out.Samples, probe.Sample{Case: "roundtrip", Side: s.name, Round: r, Cost: p})
		}
	}

	// Load with the vendor's latency.
	var gs []int
	for _, l := range strings.Split(*levels, ",") {
		g, err := strconv.Atoi(strings.TrimSpace(l))
		if err != nil || g < 1 {
			probe.Fatal(fmt.Errorf("-levels: %q", l))
		}
		gs = append(gs, g)
	}
	f.SetLatency(*latency)
	for r := range f.Rounds {
		for _, g := range probe.Order(gs, r) {
			for _, s := range probe.Order(sides, r) {
				p := f.Load(ctx, g, *warm, *dur, s.call)
				out.Samples = append(out.Samples, probe.Sample{Case: "load-" + strconv.Itoa(g), Side: s.name, Round: r, Cost: p})
			}
		}
	}
	f.SetLatency(0)
	for _, s := range out.Samples {
		if s.Cost.Errs > 0 {
			out.Notes = append(out.Notes, fmt.Sprintf("%s %s round %d: %d failed calls", s.Case, s.Side, s.Round, s.Cost.Errs))
		}
	}
	out.Print()
}

// newSDK returns a call through the SDK's transport with its default pool.
func newSDK(base string) (probe.Call, error) {
	c, err := transport.New(transport.Params{Provider: kyc.Provider("bench"), BaseURL: base,
		Sign: transport.SetHeader("X-Api-Key", kyc.NewSecret("bench-key"))}, nil)
	if err != nil {
		return nil, err
	}
	body := transport.Bytes("application/json", request)
	return func(ctx context.Context) error {
		resp, err := c.Call(ctx, &transport.Request{Operation: op, Body: body}, nil)
		if err != nil {
			return err
		}
		if len(resp.Body) == 0 {
			return errors.New("empty body")
		}
		return nil
	}, nil
}

// newRaw returns the same call through net/http alone: a copy of
// http.DefaultTransport with the SDK's pool settings, the same headers.
func newRaw(base string) probe.Call {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxConnsPerHost = pool.maxConnsPerHost
	t.MaxIdleConnsPerHost = pool.maxIdleConnsPerHost
	t.MaxIdleConns = pool.maxIdleConns
	hc := &http.Client{Transport: t}
	url := base + path
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(request))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", "kyc-go")
		req.Header.Set("X-Api-Key", "bench-key")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK || len(body) == 0 {
			return fmt.Errorf("HTTP %d, %d bytes", resp.StatusCode, len(body))
		}
		return nil
	}
}
