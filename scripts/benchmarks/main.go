// Command benchmarks is the benchmark harness of issues 17 and 22. It regenerates
// BENCHMARKS.md from one run:
//
//   - it builds scripts/benchserver, a loopback HTTPS vendor, and starts it
//     in its own process (self-signed certificate, new connections and TLS
//     handshakes counted, latency set per phase);
//   - it builds and runs the client probes, each in its own process with
//     SSL_CERT_FILE naming the server's certificate, so that the SDK runs on
//     its own default transport: roundtrip (the transport against raw
//     resty and raw net/http with the same pool settings: CPU, bytes and
//     allocations per call, then throughput, p50, p99 and new connections
//     at 1, 16, 64 and 256 goroutines), burst (1,000 cold ADVANCE.AI Verifys against one cold
//     call) and rotation (Atlas under load while its salt rotates);
//   - it runs the streaming benchmarks of the vendor packages (go test
//     -bench) for the memory rows;
//   - it writes every figure as a ratio against the baseline measured in the
//     same run and round, with the spread of the per-round ratios
//     (min / median / max), the machine named, and for each target of
//     issues 17 and 22 whether it is met and why not. BENCHMARKS.md's
//     sections that other commands write (the import cost, the outage
//     matrix, the PostgreSQL store) are kept as they are.
//
// The sides take turns in every round, in an order rotated each round, so
// that a drift of a shared, noisy machine touches them alike.
//
//	go run ./scripts/benchmarks                 # full run, writes BENCHMARKS.md (about 6 minutes)
//	go run ./scripts/benchmarks -rounds 3 -o -  # quicker, to stdout
//	go run ./scripts/benchmarks -short          # CI: seconds, tiny counts, to stdout
//
// It exits 1 when a part could not be built or run (a part that fails is
// reported as such in the output; the others still run); with -strict also
// when a target is missed. -short checks that the harness works: its
// figures are too small to mean anything, and it never gates on them.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-go/kyc/scripts/benchmarks/internal/probe"
)

// opts are the command's flags.
type opts struct {
	short, strict, noVendor bool
	rounds, count           int
	latency                 time.Duration
	out                     string
}

func main() {
	var o opts
	flag.BoolVar(&o.short, "short", false, "tiny counts and durations, to check the harness works (writes to stdout unless -o)")
	flag.BoolVar(&o.strict, "strict", false, "exit 1 when a target is missed")
	flag.BoolVar(&o.noVendor, "novendor", false, "skip the vendor packages' streaming benchmarks")
	flag.IntVar(&o.rounds, "rounds", 0, "rounds of each probe (default 5, 1-2 with -short)")
	flag.IntVar(&o.count, "count", 3, "runs of each vendor streaming benchmark; the median is reported")
	flag.DurationVar(&o.latency, "latency", 5*time.Millisecond, "server latency under load, in the burst and the Atlas run")
	flag.StringVar(&o.out, "o", "", "output file, or - for stdout (default BENCHMARKS.md, stdout with -short)")
	flag.Parse()
	if o.out == "" {
		o.out = "BENCHMARKS.md"
		if o.short {
			o.out = "-"
		}
	}
	if o.short {
		o.noVendor = true
	}
	h := &harness{o: o, started: time.Now(), load: [2]string{loadAverage()}}
	err := h.run()
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchmarks:", err)
		os.Exit(1)
	}
	if len(h.failed) > 0 {
		fmt.Fprintln(os.Stderr, "benchmarks: parts failed:", strings.Join(h.failed, "; "))
		os.Exit(1)
	}
	if o.strict && h.missed > 0 {
		fmt.Fprintf(os.Stderr, "benchmarks: %d targets missed\n", h.missed)
		os.Exit(1)
	}
}

type harness struct {
	o       opts
	started time.Time
	load    [2]string // the load average at start and at the end
	root    string    // module root
	tmp     string
	server  serverInfo

	roundtrip, burst, rotation *probe.Output
	vendor                     []vendorRow
	vendorDetail               []vendorDetail
	failed                     []string // parts that could not run
	missed                     int
}

type serverInfo struct {
	URL   string `json:"url"`
	Admin string `json:"admin"`
	Cert  string `json:"cert"`
}

func (h *harness) run() error {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || len(bytes.TrimSpace(gomod)) == 0 {
		return fmt.Errorf("run inside the module: go env GOMOD: %v", err)
	}
	h.root = filepath.Dir(string(bytes.TrimSpace(gomod)))
	h.tmp, err = os.MkdirTemp("", "kyc-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(h.tmp)

	bins := map[string]error{}
	for _, name := range []string{"benchserver", "roundtrip", "burst", "rotation"} {
		pkg := "./scripts/benchmarks/" + name
		if name == "benchserver" {
			pkg = "./scripts/benchserver"
		}
		bins[name] = h.build(name, pkg)
	}
	if err := bins["benchserver"]; err != nil {
		return fmt.Errorf("build the server: %w", err)
	}
	stop, err := h.startServer()
	if err != nil {
		return err
	}
	defer stop()

	rounds := func(full, short int) string {
		if h.o.rounds > 0 {
			return strconv.Itoa(h.o.rounds)
		}
		if h.o.short {
			return strconv.Itoa(short)
		}
		return strconv.Itoa(full)
	}
	lat := h.o.latency.String()
	type part struct {
		name string
		dst  **probe.Output
		args []string
	}
	parts := []part{
		{"roundtrip", &h.roundtrip, []string{"-rounds", rounds(5, 2), "-seqrounds", rounds(9, 2), "-latency", lat}},
		{"burst", &h.burst, []string{"-rounds", rounds(5, 1), "-latency", lat}},
		{"rotation", &h.rotation, []string{"-rounds", rounds(5, 1), "-latency", lat}},
	}
	if h.o.short {
		parts[0].args = append(parts[0].args, "-calls", "100", "-chunk", "50", "-warm", "50ms", "-dur", "200ms")
		parts[1].args = append(parts[1].args, "-n", "100")
		parts[2].args = append(parts[2].args, "-warm", "100ms", "-dur", "400ms", "-every", "100ms")
	}
	for _, p := range parts {
		if err := bins[p.name]; err != nil {
			h.fail(p.name, fmt.Errorf("does not build: %w", err))
			continue
		}
		out, err := h.probe(p.name, p.args)
		if err != nil {
			h.fail(p.name, err)
			continue
		}
		*p.dst = out
	}
	if !h.o.noVendor {
		h.vendorBenchmarks()
	}
	return h.write()
}

func (h *harness) fail(part string, err error) {
	msg := fmt.Sprintf("%s: %v", part, err)
	fmt.Fprintln(os.Stderr, "benchmarks:", msg)
	h.failed = append(h.failed, msg)
}

// build compiles pkg into the temporary directory.
func (h *harness) build(name, pkg string) error {
	cmd := exec.Command("go", "build", "-o", filepath.Join(h.tmp, name), pkg)
	cmd.Dir = h.root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v\n%s", err, firstLines(out, 8))
	}
	return nil
}

// startServer starts the server in its own process and reads its address.
// The server exits when its standard input closes: on stop, or when this
// process dies.
func (h *harness) startServer() (stop func(), err error) {
	cmd := exec.Command(filepath.Join(h.tmp, "benchserver"), "-cert", filepath.Join(h.tmp, "cert.pem"))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop = func() {
		_ = stdin.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill() // our own child, by its pid
			<-done
		}
	}
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err == nil {
		err = json.Unmarshal(line, &h.server)
	}
	if err != nil {
		stop()
		return nil, fmt.Errorf("the server did not start: %v", err)
	}
	return stop, nil
}

// probe runs a client program and decodes its JSON.
func (h *harness) probe(name string, args []string) (*probe.Output, error) {
	fmt.Fprintf(os.Stderr, "benchmarks: running %s %s\n", name, strings.Join(args, " "))
	args = append([]string{"-url", h.server.URL, "-admin", h.server.Admin}, args...)
	if h.o.short {
		args = append(args, "-short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(h.tmp, name), args...)
	cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+h.server.Cert, "SSL_CERT_DIR="+h.tmp)
	var stderr bytes.Buffer
	cmd.Stderr = io.MultiWriter(&stderr, os.Stderr)
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%v: %s", err, firstLines(stderr.Bytes(), 8))
	}
	var out probe.Output
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("output: %v", err)
	}
	for _, n := range out.Notes {
		if strings.Contains(n, "failed calls") {
			return &out, errors.New(n)
		}
	}
	for _, s := range out.Samples {
		if s.Cost.Errs > 0 {
			return &out, fmt.Errorf("%s round %d: %d calls failed", s.Case, s.Round, s.Cost.Errs)
		}
	}
	return &out, nil
}

func firstLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return strings.Join(lines, "\n")
}
