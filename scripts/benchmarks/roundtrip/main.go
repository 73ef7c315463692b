// Command roundtrip is the harness's transport probe: the SDK's transport
// (internal/transport with its default pool, no kyc.WithHTTPClient), raw
// resty (the version the SDK uses) and raw net/http take turns against the
// benchmark server, in an order rotated each round (and, for the
// sequential calls, every -chunk calls within a round). The raw sides each
// get a transport.DefaultTransport, the SDK's own default pool, so their
// pool settings are the SDK's by construction. The three send the same
// request (method, headers, body) and decode the same 1 KiB answer into
// the same struct, so that the SDK's figures against resty's are the cost
// of the SDK's own layer; a fourth side in the sequential rounds, the SDK
// with kyc.WithTimeout(0), shows what the per-attempt timeout costs.
//
// It measures one caller's round trip with no server latency (client CPU,
// bytes and allocations per call) and the load at 1, 16, 64 and 256
// goroutines with the server's latency (throughput, p50, p99, new
// connections). It prints JSON for scripts/benchmarks; run it through
// that script.
//
// With -cpuprofile or -memprofile it measures nothing else: it profiles
// -calls sequential calls of one side (-side, the SDK by default) alone,
// in this process, the client's. Run it by hand against a benchserver:
//
//	SSL_CERT_FILE=cert.pem roundtrip -url URL -admin ADMIN -calls 30000 -cpuprofile sdk.prof
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
	"github.com/kyc-go/kyc/scripts/benchmarks/internal/probe"
)

// request is a typical verification request body.
var request = []byte(`{"pan":"ABCDE1234F","name":"A TEST NAME","consent":"Y"}`)

// path is not Atlas's /verify/pan, which benchserver answers with its PAN
// answer: the server answers it with its 1 KiB verification answer.
const path = "/v1/verify/identity"

var op = kyc.Operation{Name: "bench.Verify", Method: http.MethodPost, Path: path, Class: kyc.ClassBilled}

// answer is the server's 1 KiB verification answer (scripts/benchserver's
// payload), which every side decodes.
type answer struct {
	Status    string `json:"status"`
	Timestamp string `json:"response_timestamp"`
	Data      struct {
		Match      bool    `json:"match"`
		Confidence float64 `json:"confidence"`
		Name       string  `json:"name"`
		Fields     []struct {
			K string `json:"k"`
			V string `json:"v"`
		} `json:"fields"`
	} `json:"data"`
}

// check reports an answer that did not decode whole.
func (a *answer) check() error {
	if a.Status != "success" || len(a.Data.Fields) == 0 {
		return fmt.Errorf("unexpected answer: status %q, %d fields", a.Status, len(a.Data.Fields))
	}
	return nil
}

// side is one way of making the call.
type side struct {
	name string
	call probe.Call
}

func main() {
	f := probe.Register()
	n := flag.Int("calls", 6000, "sequential calls per side per round")
	chunk := flag.Int("chunk", 500, "the sides take turns every chunk calls within a round")
	seqRounds := flag.Int("seqrounds", 0, "rounds of sequential calls (default -rounds)")
	latency := flag.Duration("latency", 5*time.Millisecond, "server latency under load")
	warm := flag.Duration("warm", time.Second, "warm-up before each load window")
	dur := flag.Duration("dur", 3*time.Second, "load window per side per round")
	levels := flag.String("levels", "1,16,64,256", "goroutine counts; none skips the load")
	cpuProfile := flag.String("cpuprofile", "", "profile the SDK side alone: write the CPU profile of -calls sequential calls here, and measure nothing else")
	memProfile := flag.String("memprofile", "", "profile the SDK side alone: write its allocation profile here")
	memRate := flag.Int("memrate", 64, "runtime.MemProfileRate with -memprofile")
	profiled := flag.String("side", "sdk", "the side -cpuprofile and -memprofile profile: sdk, resty, raw or sdk-untimed")
	flag.Parse()
	ctx := context.Background()
	if *seqRounds <= 0 {
		*seqRounds = f.Rounds
	}
	if *memProfile != "" {
		runtime.MemProfileRate = *memRate
	}

	sdk, err := newSDK(f.URL)
	if err != nil {
		probe.Fatal(err)
	}
	// The SDK without its per-attempt timeout (on by default) takes part in
	// the sequential rounds only: it shows what the timeout costs.
	untimed, err := newSDK(f.URL, kyc.WithTimeout(0))
	if err != nil {
		probe.Fatal(err)
	}
	sides := []side{{"sdk", sdk}, {"resty", newResty(f.URL)}, {"raw", newRaw(f.URL)}}
	seqSides := append(slices.Clone(sides), side{"sdk-untimed", untimed})
	if *cpuProfile != "" || *memProfile != "" {
		i := slices.IndexFunc(seqSides, func(s side) bool { return s.name == *profiled })
		if i < 0 {
			probe.Fatal(fmt.Errorf("-side: %q is not sdk, resty, raw or sdk-untimed", *profiled))
		}
		f.SetLatency(0)
		if err := profile(ctx, seqSides[i], *n, *cpuProfile, *memProfile); err != nil {
			probe.Fatal(err)
		}
		return
	}

	out := &probe.Output{Settings: map[string]string{
		"MaxConnsPerHost":     strconv.Itoa(transport.DefaultMaxConnsPerHost),
		"MaxIdleConnsPerHost": strconv.Itoa(transport.DefaultMaxIdleConnsPerHost),
		"MaxIdleConns":        strconv.Itoa(transport.DefaultMaxIdleConns),
		"calls":               strconv.Itoa(*n),
		"latency":             latency.String(),
		"warm":                warm.String(),
		"window":              dur.String(),
		"rounds":              strconv.Itoa(f.Rounds),
		"seqrounds":           strconv.Itoa(*seqRounds),
		"chunk":               strconv.Itoa(*chunk),
		"resty":               restyVersion,
	}}

	// One caller, no latency: what a call costs the client.
	f.SetLatency(0)
	for _, s := range seqSides {
		if err := probe.Sequential(ctx, min(*n, 200), s.call).Err(); err != nil { // dial, TLS, JIT of the pools
			probe.Fatal(fmt.Errorf("%s: %w", s.name, err))
		}
	}
	calls := make([]probe.Call, len(seqSides))
	for i, s := range seqSides {
		calls[i] = s.call
	}
	for r := range *seqRounds {
		for i, p := range probe.Interleaved(ctx, calls, *n, *chunk, r) {
			out.Samples = append(out.Samples, probe.Sample{Case: "roundtrip", Side: seqSides[i].name, Round: r, Cost: p})
		}
	}

	// Load with the vendor's latency.
	var gs []int
	for _, l := range strings.Split(*levels, ",") {
		if l == "none" {
			break
		}
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

// newSDK returns a call through the SDK's transport with its default pool
// and opts: the one send path of every typed method (Call: sign, the
// resend policy and its budget, the per-attempt timeout, the size cap, the
// answer decoded as JSON).
func newSDK(base string, opts ...kyc.Option) (probe.Call, error) {
	c, err := transport.New(transport.Params{Provider: kyc.Provider("bench"), BaseURL: base,
		Sign: transport.SetHeader("X-Api-Key", kyc.NewSecret("bench-key"))}, opts)
	if err != nil {
		return nil, err
	}
	body := transport.Bytes("application/json", request)
	return func(ctx context.Context) error {
		var a answer
		if _, err := c.Call(ctx, &transport.Request{Operation: op, Body: body}, &a); err != nil {
			return err
		}
		return a.check()
	}, nil
}

// restyVersion is the resty the SDK is built with (go.mod), and so the
// one this probe links.
const restyVersion = resty.Version

// headers are the request headers every side sends.
var headers = map[string]string{
	"Content-Type": "application/json",
	"Accept":       "application/json",
	"User-Agent":   "kyc-go",
	"X-Api-Key":    "bench-key",
}

// newResty returns the same call through resty alone, written as resty's
// README writes it: a client on the same pool, SetHeaders, SetBody of the
// bytes, SetResult to decode the JSON answer.
func newResty(base string) probe.Call {
	rc := resty.NewWithClient(&http.Client{Transport: transport.DefaultTransport()})
	url := base + path
	return func(ctx context.Context) error {
		var a answer
		resp, err := rc.R().SetContext(ctx).SetHeaders(headers).SetBody(request).SetResult(&a).Post(url)
		if err != nil {
			return err
		}
		if resp.StatusCode() != http.StatusOK {
			return fmt.Errorf("HTTP %d", resp.StatusCode())
		}
		return a.check()
	}
}

// newRaw returns the same call through net/http alone: the same headers,
// the body read whole and decoded with encoding/json.
func newRaw(base string) probe.Call {
	hc := &http.Client{Transport: transport.DefaultTransport()}
	url := base + path
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(request))
		if err != nil {
			return err
		}
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("HTTP %d, %d bytes", resp.StatusCode, len(body))
		}
		var a answer
		if err := json.Unmarshal(body, &a); err != nil {
			return err
		}
		return a.check()
	}
}

// profile makes n sequential calls of side s under the profilers and
// writes their profiles: the CPU profile of those calls, and the
// allocations of the whole process (recorded from the start, at
// -memrate, so nearly all are the calls': the warm-up is 200 calls).
func profile(ctx context.Context, s side, n int, cpuFile, memFile string) error {
	call := s.call
	if err := probe.Sequential(ctx, 200, call).Err(); err != nil {
		return err
	}
	if cpuFile != "" {
		fh, err := os.Create(cpuFile)
		if err != nil {
			return err
		}
		defer fh.Close()
		if err := pprof.StartCPUProfile(fh); err != nil {
			return err
		}
	}
	p := probe.Sequential(ctx, n, call)
	pprof.StopCPUProfile()
	if err := p.Err(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "roundtrip: profiled %d %s calls: %.1f µs CPU, %.0f allocations, %.0f bytes per call\n",
		n, s.name, p.CPU/1e3, p.Alloc, p.Bytes)
	if memFile == "" {
		return nil
	}
	fh, err := os.Create(memFile)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(fh, 0); err != nil {
		_ = fh.Close()
		return err
	}
	return fh.Close()
}
