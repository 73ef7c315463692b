package main

// The vendor packages' streaming benchmarks (go test -bench), for the
// memory rows.

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// vendorPair is a streaming benchmark of a vendor package and its baseline,
// run with go test.
type vendorPair struct {
	Title, Pkg, SDK, Baseline string
	// MaxBytes is the most the SDK may allocate per op.
	MaxBytes float64
	Target   string
}

type vendorRow struct {
	title, target, got, met, why string
}

const mib = 1 << 20

// base64Of10MiB is the base64 size of Incode's 10 MiB upload.
const base64Of10MiB = 4 * ((10*mib + 2) / 3)

var vendorPairs = []vendorPair{
	{Title: "Incode 10 MiB upload from a file: allocated per upload", Pkg: "./incode",
		SDK: "BenchmarkUploadStreamedFromFile", Baseline: "BenchmarkUploadBaselineReadEncodeMarshal",
		MaxBytes: mib, Target: "< 1 MiB"},
	{Title: "Incode 10 MiB upload from bytes: allocated per upload", Pkg: "./incode",
		SDK: "BenchmarkUploadStreamedFromBytes", Baseline: "BenchmarkUploadBaselineEncodeMarshalFromBytes",
		MaxBytes: 1.5 * base64Of10MiB, Target: "< 1.5x the base64 size (21 MB)"},
	{Title: "Verificar 50 MB certificate: allocated per download (flat heap)", Pkg: "./verificar",
		SDK: "BenchmarkCertificate50MB", Baseline: "BenchmarkCertificate50MBBuffered",
		MaxBytes: 4 * mib, Target: "< 4 MiB"},
}

type benchResult struct{ ns, bytes, allocs float64 }

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(-\d+)?\s+\d+\s+(.*)$`)

// vendorBenchmarks runs each pair count times, one go test each, so that
// the SDK's and the baseline's samples alternate.
func (h *harness) vendorBenchmarks() {
	for _, p := range vendorPairs {
		fmt.Fprintf(os.Stderr, "benchmarks: running %s %s\n", p.Pkg, strings.TrimPrefix(p.SDK, "Benchmark"))
		row := vendorRow{title: p.Title, target: p.Target}
		res, err := h.goBench(p)
		if err != nil {
			h.fail(p.Pkg+" "+p.SDK, err)
			row.got, row.met, row.why = "—", "not run", "the benchmark did not build or run"
			h.vendor = append(h.vendor, row)
			continue
		}
		s, b := res[p.SDK], res[p.Baseline]
		bytesQ, _ := spreadOf(ratiosOf(s, b, func(r benchResult) float64 { return r.bytes }))
		sb, _ := spreadOf(field(s, func(r benchResult) float64 { return r.bytes }))
		row.got = fmt.Sprintf("**%s** (%s–%s); %s the baseline's", mibs(sb.med), mibs(sb.min), mibs(sb.max), x(bytesQ.med))
		row.met = "yes"
		if sb.med >= p.MaxBytes {
			row.met = "**NO**"
			row.why = fmt.Sprintf("%s allocated per op", mibs(sb.med))
		}
		h.vendor = append(h.vendor, row)
		h.vendorDetail = append(h.vendorDetail, vendorDetail{p, s, b})
	}
}

type vendorDetail struct {
	p    vendorPair
	s, b []benchResult
}

func mibs(v float64) string {
	if v < mib {
		return fmt.Sprintf("%.0f KiB", v/1024)
	}
	return fmt.Sprintf("%.1f MiB", v/mib)
}

func field(rs []benchResult, f func(benchResult) float64) []float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	return v
}

func ratiosOf(a, b []benchResult, f func(benchResult) float64) []float64 {
	var v []float64
	for i := range min(len(a), len(b)) {
		if f(b[i]) > 0 {
			v = append(v, f(a[i])/f(b[i]))
		}
	}
	return v
}

func (h *harness) goBench(p vendorPair) (map[string][]benchResult, error) {
	pattern := "^(" + p.SDK + "|" + p.Baseline + ")$"
	out := map[string][]benchResult{}
	for range max(h.o.count, 1) {
		cmd := exec.Command("go", "test", "-run", "^$", "-bench", pattern, "-benchmem",
			"-count", "1", "-benchtime", "5x", p.Pkg)
		cmd.Dir = h.root
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		b, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("go test: %v\n%s%s", err, firstLines(b, 8), firstLines(stderr.Bytes(), 8))
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			m := benchLine.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			var r benchResult
			fs := strings.Fields(m[3])
			for i := 0; i+1 < len(fs); i += 2 {
				v, err := strconv.ParseFloat(fs[i], 64)
				if err != nil {
					continue
				}
				switch fs[i+1] {
				case "ns/op":
					r.ns = v
				case "B/op":
					r.bytes = v
				case "allocs/op":
					r.allocs = v
				}
			}
			out[m[1]] = append(out[m[1]], r)
		}
	}
	for _, n := range []string{p.SDK, p.Baseline} {
		if len(out[n]) == 0 {
			return nil, fmt.Errorf("no figures for %s in %s", n, p.Pkg)
		}
	}
	return out, nil
}

func (h *harness) writeVendor(w func(string, ...any)) {
	if len(h.vendorDetail) == 0 {
		return
	}
	w("## Streaming and memory: vendor package benchmarks\n\n")
	w("`go test -bench -benchmem -benchtime 5x`, one `go test` per run, %d runs alternating SDK and baseline; medians.\n\n", h.o.count)
	w("| benchmark | ns/op | B/op | allocs/op | SDK / baseline: time, bytes, allocs |\n|---|---:|---:|---:|---|\n")
	for _, v := range h.vendorDetail {
		med := func(rs []benchResult, f func(benchResult) float64) float64 {
			s, _ := spreadOf(field(rs, f))
			return s.med
		}
		fns := func(r benchResult) float64 { return r.ns }
		fb := func(r benchResult) float64 { return r.bytes }
		fa := func(r benchResult) float64 { return r.allocs }
		q := func(f func(benchResult) float64) string { s, _ := spreadOf(ratiosOf(v.s, v.b, f)); return x(s.med) }
		w("| `%s` (%s) | %.0f | %.0f | %.0f | %s, %s, %s |\n", strings.TrimPrefix(v.p.SDK, "Benchmark"), v.p.Pkg,
			med(v.s, fns), med(v.s, fb), med(v.s, fa), q(fns), q(fb), q(fa))
		w("| `%s` (baseline) | %.0f | %.0f | %.0f | |\n", strings.TrimPrefix(v.p.Baseline, "Benchmark"),
			med(v.b, fns), med(v.b, fb), med(v.b, fa))
	}
	w("\n")
}
