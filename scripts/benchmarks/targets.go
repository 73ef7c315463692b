package main

// The round trip's targets: the SDK's client CPU and allocations per call
// against raw net/http (issue 17) and raw resty (issue 22).

import (
	"fmt"

	"github.com/kyc-go/kyc/scripts/benchmarks/internal/probe"
)

// roundTripTarget is one target of the round trip: the median of the
// per-round ratios SDK / base of a figure at most limit.
type roundTripTarget struct {
	issue  int
	base   string // the side the SDK is compared with: "raw" or "resty"
	figure string // "CPU" or "allocations"
	limit  float64
}

var roundTripTargets = []roundTripTarget{
	{17, "raw", "CPU", 1.10},
	{17, "raw", "allocations", 1.25},
	{22, "resty", "CPU", 1.05},
	{22, "resty", "allocations", 1.15},
}

// sideName is how the tables name a side.
var sideName = map[string]string{"sdk": "SDK", "raw": "raw net/http", "resty": "raw resty"}

func (h *harness) roundTripTargets() []target {
	rt := h.roundtrip
	s := samples(rt, "roundtrip", "sdk")
	var ts []target
	for _, g := range roundTripTargets {
		b := samples(rt, "roundtrip", g.base)
		f, what := fCPU, "client CPU"
		if g.figure == "allocations" {
			f, what = fAllocs, "allocations"
		}
		q, ok := ratios(s, b, f, f)
		t := target{what: fmt.Sprintf("round trip, %s per call vs %s (issue %d)", what, sideName[g.base], g.issue),
			target: fmt.Sprintf("≤ %.2fx", g.limit), got: q.ratio()}
		why := ""
		if ok {
			why = g.figures(s, b)
			if q.med > g.limit {
				why += ": " + missed[g.figure]
			}
		}
		h.check(&t, ok, ok && q.med <= g.limit, why)
		ts = append(ts, t)
	}
	return ts
}

// figures gives the SDK's and the base's medians behind a ratio.
func (g roundTripTarget) figures(s, b map[int]probe.PerCall) string {
	if g.figure == "CPU" {
		sc, bc := value(s, fCPU), value(b, fCPU)
		return fmt.Sprintf("%s against %s (%+.1f µs)", dur(sc.med), dur(bc.med), (sc.med-bc.med)/1e3)
	}
	sa, ba := value(s, fAllocs), value(b, fAllocs)
	sb, bb := value(s, fBytes), value(b, fBytes)
	return fmt.Sprintf("%.0f against %.0f (%+.0f); %.0f B against %.0f", sa.med, ba.med, sa.med-ba.med, sb.med, bb.med)
}

// missed says, for a target missed, what the SDK does per call that the
// raw side does not (from the profiles of the SDK's client process:
// go run ./scripts/benchmarks/roundtrip -cpuprofile, -memprofile).
var missed = map[string]string{
	"CPU": "what the SDK adds to resty is what it promises: the per-attempt timeout (a deadline context and its timer, which net/http " +
		"registers a cancel context under: see the round trip section for its cost, measured), the signer (the secret unmasked per attempt), " +
		"the resend policy and its budget, the bounded read",
	"allocations": "the per-attempt timeout's context, timer and cancel registration, the Response, the unmasked secret",
}

// restyVersion is the resty the probe linked.
func restyVersion(o *probe.Output) string {
	if o == nil || o.Settings["resty"] == "" {
		return ""
	}
	return "v" + o.Settings["resty"]
}
