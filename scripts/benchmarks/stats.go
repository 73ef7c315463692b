package main

// Per-round figures: the samples of a case, their spread and ratios, and
// how they are printed.

import (
	"fmt"
	"slices"
	"time"

	"github.com/kyc-go/kyc/scripts/benchmarks/internal/probe"
)

// samples returns the samples of one case and side by round.
func samples(o *probe.Output, kase, side string) map[int]probe.PerCall {
	m := map[int]probe.PerCall{}
	if o == nil {
		return m
	}
	for _, s := range o.Samples {
		if s.Case == kase && (side == "" || s.Side == side) {
			m[s.Round] = s.Cost
		}
	}
	return m
}

// spread is the min, median and max of per-round figures.
type spread struct{ min, med, max float64 }

func spreadOf(v []float64) (spread, bool) {
	if len(v) == 0 {
		return spread{}, false
	}
	v = slices.Clone(v)
	slices.Sort(v)
	med := v[len(v)/2]
	if len(v)%2 == 0 {
		med = (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return spread{v[0], med, v[len(v)-1]}, true
}

// ratios pairs a's and b's samples round by round and returns the spread
// of f(a)/f(b).
func ratios(a, b map[int]probe.PerCall, fa, fb func(probe.PerCall) float64) (spread, bool) {
	var v []float64
	for r, x := range a {
		y, ok := b[r]
		if !ok || fb(y) == 0 {
			continue
		}
		v = append(v, fa(x)/fb(y))
	}
	return spreadOf(v)
}

// values returns the spread of f over the samples.
func values(a map[int]probe.PerCall, f func(probe.PerCall) float64) (spread, bool) {
	var v []float64
	for _, x := range a {
		v = append(v, f(x))
	}
	return spreadOf(v)
}

// value is values where the samples are known to be there (zero if not).
func value(a map[int]probe.PerCall, f func(probe.PerCall) float64) spread {
	v, _ := values(a, f)
	return v
}

func (s spread) ratio() string {
	return fmt.Sprintf("**%s** (%s–%s)", x(s.med), x(s.min), x(s.max))
}

func x(v float64) string {
	switch {
	case v < 0.01:
		return fmt.Sprintf("%.2gx", v)
	case v >= 100:
		return fmt.Sprintf("%.0fx", v)
	case v >= 10:
		return fmt.Sprintf("%.1fx", v)
	default:
		return fmt.Sprintf("%.2fx", v)
	}
}

func dur(ns float64) string {
	d := time.Duration(ns)
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond).String()
	case d >= time.Millisecond:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	default:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
}

// Per-call figures.
var (
	fWall   = func(p probe.PerCall) float64 { return p.Wall }
	fCPU    = func(p probe.PerCall) float64 { return p.CPU }
	fBytes  = func(p probe.PerCall) float64 { return p.Bytes }
	fAllocs = func(p probe.PerCall) float64 { return p.Alloc }
	fQPS    = func(p probe.PerCall) float64 { return p.QPS }
	fP50    = func(p probe.PerCall) float64 { return p.P50 }
	fP99    = func(p probe.PerCall) float64 { return p.P99 }
	fP999   = func(p probe.PerCall) float64 { return p.P999 }
	fMax    = func(p probe.PerCall) float64 { return p.Max }
	fExtra  = func(p probe.PerCall) float64 { return p.Extra }
	fConns  = func(p probe.PerCall) float64 { return float64(p.Conns) }
	fHands  = func(p probe.PerCall) float64 { return float64(p.Hands) }
	fOver   = func(p probe.PerCall) float64 { return float64(p.Over) }
)
