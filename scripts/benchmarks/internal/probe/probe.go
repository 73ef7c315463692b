// Package probe is what the harness's client programs share: the flags
// that point them at the benchmark server, the server's counters, the
// client's own CPU and memory counters, latency percentiles and the JSON
// they print for scripts/benchmarks to read.
//
// Each client program runs in a process of its own, with SSL_CERT_FILE set
// to the server's certificate: the SDK's default transport (no
// kyc.WithHTTPClient) then trusts the server as it would a vendor, so the
// pool measured is the one users get.
package probe

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"slices"
	"syscall"
	"time"

	"github.com/kyc-go/kyc/scripts/internal/benchapi"
)

// Flags are the flags every client program takes.
type Flags struct {
	// URL is the server's HTTPS base URL.
	URL string
	// Admin is the server's admin base URL.
	Admin string
	// Rounds is how many rounds to run; the sides take turns in each.
	Rounds int
	// Short shrinks every count and duration to check the harness works.
	Short bool
}

// Register defines the common flags on the default flag set.
func Register() *Flags {
	f := &Flags{}
	flag.StringVar(&f.URL, "url", "", "benchmark server base URL")
	flag.StringVar(&f.Admin, "admin", "", "benchmark server admin URL")
	flag.IntVar(&f.Rounds, "rounds", 5, "rounds")
	flag.BoolVar(&f.Short, "short", false, "tiny counts, to check the harness works")
	return f
}

// Counters are the server's counters (see scripts/benchserver).
type Counters = benchapi.Counters

// admin is a plain client of the admin endpoint, apart from the pools
// measured.
var admin = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{}}

// Read returns the server's counters.
func (f *Flags) Read() (Counters, error) {
	var c Counters
	resp, err := admin.Get(f.Admin + "/counters")
	if err != nil {
		return c, err
	}
	defer resp.Body.Close()
	err = json.NewDecoder(resp.Body).Decode(&c)
	return c, err
}

// MustRead is Read, exiting on failure.
func (f *Flags) MustRead() Counters {
	c, err := f.Read()
	if err != nil {
		Fatal(fmt.Errorf("server counters: %w", err))
	}
	return c
}

// SetLatency sets the latency the server adds to each answer.
func (f *Flags) SetLatency(d time.Duration) {
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost,
		f.Admin+"/latency?d="+d.String(), nil)
	resp, err := admin.Do(req)
	if err != nil {
		Fatal(fmt.Errorf("set latency: %w", err))
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		Fatal(fmt.Errorf("set latency: HTTP %d", resp.StatusCode))
	}
}

// Usage is a snapshot of the client process's own counters.
type Usage struct {
	wall   time.Time
	cpu    time.Duration
	bytes  uint64
	allocs uint64
}

// Snap reads the process's CPU time (user and system, from getrusage) and
// the heap's cumulative allocation counters.
func Snap() Usage {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return Usage{wall: time.Now(), cpu: cpuTime(), bytes: ms.TotalAlloc, allocs: ms.Mallocs}
}

// minus is the usage between o and u, as a Usage from the zero time.
func (u Usage) minus(o Usage) Usage {
	return Usage{wall: time.Time{}.Add(u.wall.Sub(o.wall)), cpu: u.cpu - o.cpu, bytes: u.bytes - o.bytes, allocs: u.allocs - o.allocs}
}

// add sums two usages from the zero time.
func (u Usage) add(o Usage) Usage {
	return Usage{wall: u.wall.Add(o.wall.Sub(time.Time{})), cpu: u.cpu + o.cpu, bytes: u.bytes + o.bytes, allocs: u.allocs + o.allocs}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// PerCall is what a run of n calls cost the client, per call.
type PerCall struct {
	Calls int     `json:"calls"`
	Wall  float64 `json:"wall_ns"`  // wall time per call
	CPU   float64 `json:"cpu_ns"`   // client CPU per call
	Bytes float64 `json:"bytes"`    // heap bytes allocated per call
	Alloc float64 `json:"allocs"`   // heap allocations per call
	QPS   float64 `json:"qps"`      // calls per second of wall time
	P50   float64 `json:"p50_ns"`   // median latency (when recorded)
	P99   float64 `json:"p99_ns"`   // 99th percentile latency
	P999  float64 `json:"p999_ns"`  // 99.9th percentile latency
	Max   float64 `json:"max_ns"`   // worst latency
	Conns int64   `json:"conns"`    // new connections the server saw
	Hands int64   `json:"hands"`    // TLS handshakes the server completed
	Over  int     `json:"over_ms"`  // calls over 10 ms, when recorded
	Extra float64 `json:"extra_ns"` // a figure of the probe's own (first result, ...)
	Errs  int     `json:"errors"`   // calls that failed
	// First is the first failure's text, when a call failed.
	First string `json:"first_error,omitempty"`
}

// Err reports calls that failed.
func (p PerCall) Err() error {
	if p.Errs > 0 {
		return fmt.Errorf("%d of %d calls failed, the first with: %s", p.Errs, p.Calls, p.First)
	}
	return nil
}

// Since returns the cost of n calls made since u.
func (u Usage) Since(n int) PerCall { return u.To(Snap(), n) }

// To returns the cost of n calls made between u and now.
func (u Usage) To(now Usage, n int) PerCall {
	d := float64(max(n, 1))
	wall := now.wall.Sub(u.wall)
	return PerCall{Calls: n, Wall: float64(wall) / d, CPU: float64(now.cpu-u.cpu) / d,
		Bytes: float64(now.bytes-u.bytes) / d, Alloc: float64(now.allocs-u.allocs) / d,
		QPS: float64(n) / wall.Seconds()}
}

// WithLatencies fills the percentiles of p from the latencies of its calls.
func (p PerCall) WithLatencies(lat []time.Duration) PerCall {
	if len(lat) == 0 {
		return p
	}
	slices.Sort(lat)
	q := func(f float64) float64 {
		i := int(f * float64(len(lat)-1))
		return float64(lat[i])
	}
	p.P50, p.P99, p.P999, p.Max = q(0.50), q(0.99), q(0.999), float64(lat[len(lat)-1])
	for _, l := range lat {
		if l > 10*time.Millisecond {
			p.Over++
		}
	}
	return p
}

// Sample is one measurement of one side in one round.
type Sample struct {
	// Case names what was measured ("roundtrip", "load-256", ...).
	Case string `json:"case"`
	// Side is "sdk", "raw" or a probe's own name.
	Side  string  `json:"side"`
	Round int     `json:"round"`
	Cost  PerCall `json:"cost"`
}

// Output is what a client program prints on stdout.
type Output struct {
	// Settings describe what was run (pool sizes, latency, ...).
	Settings map[string]string `json:"settings"`
	Samples  []Sample          `json:"samples"`
	// Notes are facts the report should carry.
	Notes []string `json:"notes,omitempty"`
}

// Print writes o as JSON on stdout.
func (o *Output) Print() {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(o); err != nil {
		Fatal(err)
	}
}

// Order returns the sides in the order of round r: rotated by one each
// round, so that no side always runs first (or after the same one).
func Order[T any](sides []T, r int) []T {
	n := len(sides)
	out := make([]T, n)
	for i := range sides {
		out[i] = sides[(i+r)%n]
	}
	return out
}

// Fatal prints err and exits with status 1.
func Fatal(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
