// Command importcost measures what importing the root package kyc costs a
// program (issue 22, point 8): it builds five minimal programs, one calling
// only kyc.IsCountryCode (withkyc), one importing only resty (onlyresty,
// the baseline), one with both (kycresty: what kyc adds to a resty
// program), one importing only net/http and an empty one, and reports
// for each the binary size, the time from exec to exit of a main that
// returns at once, and the package initialisation that GODEBUG=inittrace=1
// reports (clock time, bytes, allocations, summed over every package).
//
// The programs take turns in every round, in an order rotated each round,
// so that a drift of a shared, noisy machine touches all alike; each figure
// is the median of a round's execs, reported as the median of the rounds
// with their min–max. It prints a Markdown section for BENCHMARKS.md:
//
//	go run ./scripts/benchmarks/importcost              # 7 rounds of 60 execs each
//	go run ./scripts/benchmarks/importcost -short       # CI: seconds, figures too small to mean anything
//
// It runs from the module root and exits 1 when a program cannot be built
// or run; with -strict also when kyc adds more than 1 MB or 0.3 ms of init
// over resty.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// program is one measured binary. progs in main lists withkyc first, the
// baseline second and kycresty third.
type program struct {
	name, pkg, what string
	path            string
	size            int64
	wall, init      []float64 // per-round medians, ms
	bytes, allocs   []float64 // per-round medians
}

// Targets of issue 22 for withkyc over onlyresty.
const (
	maxSizeDelta = 1 << 20 // bytes
	maxInitDelta = 0.3     // ms
)

func main() {
	rounds := flag.Int("rounds", 7, "rounds")
	execs := flag.Int("n", 60, "execs of each program per round")
	short := flag.Bool("short", false, "1 round of 3 execs: checks that the harness works")
	strict := flag.Bool("strict", false, "exit 1 when a target is missed")
	flag.Parse()
	if *short {
		*rounds, *execs = 1, 3
	}
	tmp, err := os.MkdirTemp("", "importcost")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	progs := []*program{
		{name: "withkyc", what: "`kyc` (calls `kyc.IsCountryCode`)"},
		{name: "onlyresty", what: "resty only (the baseline)"},
		{name: "kycresty", what: "`kyc` and resty (calls `kyc.IsCountryCode`, links `resty.New`)"},
		{name: "onlynethttp", what: "net/http only"},
		{name: "empty", what: "nothing (the runtime)"},
	}
	for _, p := range progs {
		p.pkg = "./scripts/benchmarks/importcost/" + p.name
		p.path = filepath.Join(tmp, p.name)
		if out, err := exec.Command("go", "build", "-o", p.path, p.pkg).CombinedOutput(); err != nil {
			log.Fatalf("importcost: build %s: %v\n%s", p.pkg, err, out)
		}
		st, err := os.Stat(p.path)
		if err != nil {
			log.Fatal(err)
		}
		p.size = st.Size()
	}
	for r := range *rounds {
		for i := range progs {
			p := progs[(i+r)%len(progs)]
			if err := p.round(*execs); err != nil {
				log.Fatalf("importcost: %s: %v", p.name, err)
			}
		}
	}
	met := report(os.Stdout, progs, *rounds, *execs)
	if *strict && !met && !*short {
		os.Exit(1)
	}
}

// round runs p n times and keeps the medians of that round.
func (p *program) round(n int) error {
	var wall, init, by, al []float64
	for range n {
		w, i, b, a, err := p.run()
		if err != nil {
			return err
		}
		wall, init, by, al = append(wall, w), append(init, i), append(by, b), append(al, a)
	}
	p.wall = append(p.wall, median(wall))
	p.init = append(p.init, median(init))
	p.bytes = append(p.bytes, median(by))
	p.allocs = append(p.allocs, median(al))
	return nil
}

var initLine = regexp.MustCompile(`^init \S+ @[0-9.]+ ms, ([0-9.]+) ms clock, ([0-9]+) bytes, ([0-9]+) allocs`)

// run execs p once, with GODEBUG=inittrace=1, and returns the wall time
// from exec to exit and the init figures summed over every package.
func (p *program) run() (wall, initMS, bytes_, allocs float64, err error) {
	cmd := exec.Command(p.path)
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, 0, 0, fmt.Errorf("%w: %s", err, stderr.String())
	}
	wall = float64(time.Since(start).Nanoseconds()) / 1e6
	for _, line := range strings.Split(stderr.String(), "\n") {
		m := initLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		ms, _ := strconv.ParseFloat(m[1], 64)
		b, _ := strconv.ParseFloat(m[2], 64)
		a, _ := strconv.ParseFloat(m[3], 64)
		initMS, bytes_, allocs = initMS+ms, bytes_+b, allocs+a
	}
	return wall, initMS, bytes_, allocs, nil
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// spread is "median (min–max)" of per-round figures.
func spread(v []float64, format string) string {
	return fmt.Sprintf(format+" ("+format+"–"+format+")", median(v), slices.Min(v), slices.Max(v))
}

func mb(n int64) string { return fmt.Sprintf("%.2f MB", float64(n)/1e6) }

// report writes the Markdown section and reports whether both targets are
// met.
func report(w io.Writer, progs []*program, rounds, execs int) bool {
	kyc, resty := progs[0], progs[1]
	diff := func(a, b []float64) []float64 {
		d := make([]float64, len(a))
		for i := range a {
			d[i] = a[i] - b[i]
		}
		return d
	}
	sizeDelta := kyc.size - resty.size
	initDelta := diff(kyc.init, resty.init)
	wallDelta := diff(kyc.wall, resty.wall)
	okSize, okInit := sizeDelta <= maxSizeDelta, median(initDelta) <= maxInitDelta
	yes := func(ok bool) string {
		if ok {
			return "yes"
		}
		return "**NO**"
	}
	fmt.Fprintf(w, "## Import cost: a program importing kyc against one importing only resty\n\n")
	fmt.Fprintf(w, "`go run ./scripts/benchmarks/importcost` (%s %s/%s, %d CPUs): %d rounds of %d execs of each program, the programs in a rotated order each round; each figure is the median of the rounds' medians, with their min–max. Exec to exit is the wall time of a `main` that returns at once; init is the sum over every package of what `GODEBUG=inittrace=1` reports.\n\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), rounds, execs)
	fmt.Fprintf(w, "| target (issue 22) | measured: median (min–max of rounds) | target | met |\n|---|---|---|---|\n")
	fmt.Fprintf(w, "| binary size, kyc − resty | **%s** | ≤ 1 MB | %s |\n", fmt.Sprintf("%+.2f MB", float64(sizeDelta)/1e6), yes(okSize))
	fmt.Fprintf(w, "| init clock, kyc − resty | **%s** | ≤ 0.3 ms | %s |\n", spread(initDelta, "%+.3f ms"), yes(okInit))
	fmt.Fprintf(w, "| exec to exit, kyc − resty | %s | | |\n", spread(wallDelta, "%+.2f ms"))
	both := progs[2]
	fmt.Fprintf(w, "| binary size, kyc and resty − resty | %+.2f MB | | |\n", float64(both.size-resty.size)/1e6)
	fmt.Fprintf(w, "| init clock, kyc and resty − resty | %s | | |\n\n", spread(diff(both.init, resty.init), "%+.3f ms"))
	fmt.Fprintf(w, "| program imports | binary | exec to exit | init clock | init bytes | init allocs |\n|---|---:|---|---|---:|---:|\n")
	for _, p := range progs {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %.0f | %.0f |\n", p.what, mb(p.size),
			spread(p.wall, "%.2f ms"), spread(p.init, "%.3f ms"), median(p.bytes), median(p.allocs))
	}
	fmt.Fprintln(w)
	return okSize && okInit
}
