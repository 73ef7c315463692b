package docs_test

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// --- figures -----------------------------------------------------------------

// figure is a measurement quoted in prose: a duration in ns, µs or ms, or
// a ratio ("4.4x").
var figure = regexp.MustCompile(`(?:^|[^\w.])~?([0-9][0-9,]*(?:\.[0-9]+)?(?:e-?[0-9]+)?)\s?(ns|µs|us|ms|x)(?:$|[^\w])`)

// prose drops fenced code blocks, where numbers are code.
func prose(md string) string {
	return regexp.MustCompile("(?s)```.*?```").ReplaceAllString(md, "")
}

type quoted struct {
	text  string
	value float64 // in ns for durations
	unit  string
	prec  int // decimals written
	sig   int // significant figures written
}

func figures(md string) []quoted {
	var out []quoted
	for _, m := range figure.FindAllStringSubmatch(prose(md), -1) {
		num := strings.ReplaceAll(m[1], ",", "")
		v, err := strconv.ParseFloat(num, 64)
		if err != nil {
			continue
		}
		prec := 0
		if i := strings.IndexByte(num, '.'); i >= 0 && !strings.ContainsAny(num, "e") {
			prec = len(num) - i - 1
		}
		out = append(out, quoted{text: strings.TrimSpace(m[0]), value: v, unit: m[2], prec: prec, sig: sigFigures(num)})
	}
	return out
}

// sigFigures counts the significant figures of a written number: "0.261"
// has 3, "23000" 2, "3.8" 2.
func sigFigures(num string) int {
	if i := strings.IndexAny(num, "eE"); i >= 0 {
		num = num[:i]
	}
	digits := strings.TrimLeft(strings.ReplaceAll(num, ".", ""), "0")
	if !strings.Contains(num, ".") {
		digits = strings.TrimRight(digits, "0")
	}
	return max(len(digits), 1)
}

var nsPer = map[string]float64{"ns": 1, "µs": 1e3, "us": 1e3, "ms": 1e6}

// held reports whether the benchmark report holds f: for a duration, an
// ns/op figure of the report that, written in f's unit with f's decimals,
// is f; for a ratio, a ratio the report writes ("0.261x", "100x"), or its
// inverse, rounded to f's significant figures.
func held(f quoted, bench string) bool {
	if f.unit == "x" {
		for _, m := range regexp.MustCompile(`([0-9][0-9.]*(?:e-?[0-9]+)?)x\b`).FindAllStringSubmatch(bench, -1) {
			b, err := strconv.ParseFloat(m[1], 64)
			if err != nil || b == 0 {
				continue
			}
			if sigRound(b, f.sig) == f.value || sigRound(1/b, f.sig) == f.value {
				return true
			}
		}
		return false
	}
	p := math.Pow(10, float64(f.prec))
	for _, v := range benchNs(bench) {
		if math.Round(v/nsPer[f.unit]*p)/p == f.value {
			return true
		}
	}
	return false
}

// sigRound rounds v to n significant figures.
func sigRound(v float64, n int) float64 {
	if v == 0 || n <= 0 {
		return v
	}
	e := math.Pow(10, float64(n)-math.Ceil(math.Log10(math.Abs(v))))
	r := math.Round(v*e) / e
	// Undo the float noise of the scaling ("0.261" is 0.26100000000000001).
	out, _ := strconv.ParseFloat(strconv.FormatFloat(r, 'g', n, 64), 64)
	return out
}

// benchNs returns the ns/op column of the report's table.
func benchNs(bench string) []float64 {
	var out []float64
	col := -1
	for _, l := range strings.Split(bench, "\n") {
		if !strings.HasPrefix(l, "|") {
			col = -1
			continue
		}
		c := cells(l)
		if col < 0 {
			col = slices.Index(c, "ns/op")
			continue
		}
		if col < len(c) {
			if v, err := strconv.ParseFloat(strings.ReplaceAll(c[col], ",", ""), 64); err == nil {
				out = append(out, v)
			}
		}
	}
	return out
}

func figureProblems(readme, bench string) []string {
	var out []string
	for _, f := range figures(readme) {
		if !held(f, bench) {
			out = append(out, fmt.Sprintf("%q is not in the benchmark report", f.text))
		}
	}
	return out
}

func TestREADMEQuotesOnlyBenchmarkedFigures(t *testing.T) {
	t.Parallel()
	bench := read(t, *benchPath)
	require.NotEmpty(t, benchNs(bench), "%s has no ns/op column", *benchPath)
	if p := figureProblems(read(t, *readmePath), bench); len(p) > 0 {
		t.Errorf("%s quotes figures that %s does not hold (regenerate it with go run ./scripts/benchmarks, or quote its figures):\n\t%s",
			*readmePath, *benchPath, strings.Join(p, "\n\t"))
	}
}

func TestFigureCheck(t *testing.T) {
	t.Parallel()
	bench := "| hot path | benchmark | ns/op | ratio |\n|---|---|---:|---|\n" +
		"| header | `AuthHeader` | 2203 | time 4.37e-05x |\n| | `AuthHeaderFreshKey` | 50365228 | |\n" +
		"| upload | `Upload` | 17222472 | time 0.261x, bytes 0.00114x |\n"
	for text, ok := range map[string]bool{
		"about ~2.2 µs per header":  true,
		"2.203 µs":                  true,
		"2203 ns":                   true,
		"~50 ms instead":            true,
		"50.4 ms":                   true,
		"17 ms per upload":          true,
		"0.261x the time":           true,
		"about 3.8x faster":         true, // 1 / 0.261
		"23,000x faster":            true, // 1 / 4.37e-05 = 22,883
		"22,883x faster":            true,
		"25,000x faster":            false,
		"~1.8 µs instead of ~38 ms": false,
		"2.3 µs":                    false,
		"5x faster":                 false,
		"```go\nfoo(38 * time.Millisecond)\n38 ms\n```": true, // code is not prose
		"a 10 MiB upload, 2 retries, 30 s":              true, // no duration in ns/µs/ms, no ratio
	} {
		got := figureProblems(text, bench)
		if ok {
			assert.Empty(t, got, text)
		} else {
			assert.NotEmpty(t, got, text)
		}
	}
}
