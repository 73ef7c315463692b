package kycpg_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kycpg"
	"github.com/kyc-go/kyc/kyctest"
)

var (
	benchOps    = flag.Int("kycpg.bench", 0, "operations per measurement of TestPerformanceReport (0: a short check that it runs)")
	benchRounds = flag.Int("kycpg.rounds", 5, "rounds of TestPerformanceReport, each measuring kycpg and raw pgx, in turns")
)

type measure struct {
	opsPerSec float64
	p99       time.Duration
	cpu       time.Duration // of this process (the client, not the server), per op
}

// processCPU is the user and system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// side is what run measured of one side, summed over its chunks.
type side struct {
	lat     []time.Duration
	el, cpu time.Duration
}

func (s side) measure() measure {
	slices.Sort(s.lat)
	n := len(s.lat)
	return measure{opsPerSec: float64(n) / s.el.Seconds(), p99: s.lat[n*99/100], cpu: s.cpu / time.Duration(n)}
}

// run calls op n times from conc goroutines and adds what it measured to
// into.
func run(ctx context.Context, conc, n int, op func(ctx context.Context, i int) error, into *side) error {
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var firstErr atomic.Value
	start, startCPU := time.Now(), processCPU()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				t := time.Now()
				if err := op(ctx, i); err != nil {
					firstErr.CompareAndSwap(nil, err)
				}
				lat[i] = time.Since(t)
			}
		}()
	}
	wg.Wait()
	into.el += time.Since(start)
	into.cpu += processCPU() - startCPU
	into.lat = append(into.lat, lat...)
	if e, ok := firstErr.Load().(error); ok {
		return e
	}
	return nil
}

// benchChunk is how many operations one side runs before the other takes
// its turn: the two sides of a round interleave in chunks, so that a
// change in the machine's load (other processes on its 2 cores) reaches
// both alike.
const benchChunk = 250

// TestPerformanceReport measures the store beside raw pgx running the same
// statement, scanning the same row, on the same pool, at 1, 16 and 64
// concurrent callers, in rounds (-kycpg.rounds) in which the two take
// turns by chunks of benchChunk operations. Each round gives a ratio; the report shows the median ratio and
// the lowest and highest round, and this process's CPU per operation (the
// client's share: the server's is the same statement on both sides). With
// -kycpg.bench=N it prints the figures of BENCHMARKS.md; without, it
// checks the harness runs.
func TestPerformanceReport(t *testing.T) {
	n, rounds := *benchOps, *benchRounds
	if n == 0 {
		n, rounds = 64, 1
	}
	ctx := context.Background()
	pool := newPool(t, testURL, 64)
	s := newStore(t, pool)
	apply, get, claim := kycpg.ApplySQL(s), kycpg.GetSQL(s), kycpg.ClaimSQL(s)
	var seq atomic.Int64
	result := func(ref string) *kyc.Result {
		r := kyctest.FullResult(ref)
		r.Status, r.Sequence = kyc.StatusPending, seq.Add(1)
		return r
	}
	for i := range 1000 { // Get reads these
		_, err := s.Apply(ctx, kyctest.FullResult(fmt.Sprintf("incode:get%d", i)))
		require.NoError(t, err)
	}
	// the conflict path: a different final verdict, same sequence
	_, err := s.Apply(ctx, &kyc.Result{Provider: kyc.Incode, Reference: "incode:conflict", Status: kyc.StatusApproved})
	require.NoError(t, err)
	conflict := &kyc.Result{Provider: kyc.Incode, Reference: "incode:conflict", Status: kyc.StatusRejected}
	var claims atomic.Int64
	type pair struct {
		name       string
		store, raw func(ctx context.Context, i int) error
	}
	pairs := []pair{
		{"Apply (stored)", func(ctx context.Context, i int) error {
			_, err := s.Apply(ctx, result(fmt.Sprintf("incode:a%d", i%1000)))
			return err
		}, func(ctx context.Context, i int) error {
			return rawApply(ctx, pool, apply, result(fmt.Sprintf("incode:a%d", i%1000)))
		}},
		{"Get", func(ctx context.Context, i int) error {
			_, err := s.Get(ctx, fmt.Sprintf("incode:get%d", i%1000))
			return err
		}, func(ctx context.Context, i int) error {
			var b []byte
			return pool.QueryRow(ctx, get, fmt.Sprintf("incode:get%d", i%1000)).Scan(&b)
		}},
		{"Get (raw pgx decodes too)", func(ctx context.Context, i int) error {
			_, err := s.Get(ctx, fmt.Sprintf("incode:get%d", i%1000))
			return err
		}, func(ctx context.Context, i int) error {
			var b []byte
			if err := pool.QueryRow(ctx, get, fmt.Sprintf("incode:get%d", i%1000)).Scan(&b); err != nil {
				return err
			}
			return json.Unmarshal(b, new(kyc.Result))
		}},
		{"Claim (won)", func(ctx context.Context, i int) error {
			_, _, err := s.Claim(ctx, kyc.Claim{ID: fmt.Sprintf("s%d", claims.Add(1)), Fingerprint: "f", State: kyc.ClaimRunning, Expires: time.Now().Add(time.Hour)})
			return err
		}, func(ctx context.Context, i int) error {
			var ok bool
			return pool.QueryRow(ctx, claim, fmt.Sprintf("r%d", claims.Add(1)), "f", "running", "", time.Now().Add(time.Hour)).Scan(&ok)
		}},
		{"Apply (conflict)", func(ctx context.Context, i int) error {
			a, err := s.Apply(ctx, conflict)
			if err == nil && a != kyc.AppliedConflict {
				err = fmt.Errorf("got %v", a)
			}
			return err
		}, func(ctx context.Context, i int) error {
			return rawApply(ctx, pool, apply, conflict)
		}},
	}
	warm(t, pool)
	var report strings.Builder
	fmt.Fprintf(&report, "| operation | callers | kycpg ops/s | raw pgx ops/s | kycpg p99 | raw pgx p99 | kycpg/raw per op (spread) | Go CPU per op, kycpg / raw |\n|---|---|---|---|---|---|---|---|\n")
	for _, p := range pairs {
		for _, conc := range []int{1, 16, 64} {
			var st, rw []measure
			var ratios []float64
			for round := range rounds {
				var pair [2]side
				for done := 0; done < n; done += benchChunk {
					c := min(benchChunk, n-done)
					for k := range 2 {
						which := (k + round + done/benchChunk) % 2 // ABBA…: each side goes first as often
						fn := p.store
						if which == 1 {
							fn = p.raw
						}
						require.NoError(t, run(ctx, conc, c, fn, &pair[which]), p.name)
					}
				}
				sm, rm := pair[0].measure(), pair[1].measure()
				st, rw = append(st, sm), append(rw, rm)
				ratios = append(ratios, rm.opsPerSec/sm.opsPerSec)
			}
			slices.Sort(ratios)
			fmt.Fprintf(&report, "| %s | %d | %.0f | %.0f | %s | %s | %.2fx (%.2f–%.2f) | %s / %s |\n", p.name, conc,
				medianOf(st, opsPerSec), medianOf(rw, opsPerSec),
				time.Duration(medianOf(st, p99)).Round(time.Microsecond), time.Duration(medianOf(rw, p99)).Round(time.Microsecond),
				ratios[len(ratios)/2], ratios[0], ratios[len(ratios)-1],
				time.Duration(medianOf(st, cpu)).Round(100*time.Nanosecond), time.Duration(medianOf(rw, cpu)).Round(100*time.Nanosecond))
		}
	}
	t.Logf("%d ops per measurement, %d rounds, medians (spread: lowest–highest round):\n%s", n, rounds, report.String())
}

// rawApply runs the store's upsert statement for res with pgx and scans
// its row, as the store does.
func rawApply(ctx context.Context, pool *pgxpool.Pool, sql string, res *kyc.Result) error {
	var (
		stored, final *bool
		status        *string
		sequence      *int64
		digest        []byte
	)
	return pool.QueryRow(ctx, sql, kycpg.ApplyArgs(res)...).Scan(&stored, &final, &status, &sequence, &digest)
}

func opsPerSec(m measure) float64 { return m.opsPerSec }
func p99(m measure) float64       { return float64(m.p99) }
func cpu(m measure) float64       { return float64(m.cpu) }

// medianOf is the median of f over ms.
func medianOf(ms []measure, f func(measure) float64) float64 {
	v := make([]float64, len(ms))
	for i, m := range ms {
		v[i] = f(m)
	}
	slices.Sort(v)
	return v[len(v)/2]
}

// warm opens the pool's connections.
func warm(t *testing.T, pool *pgxpool.Pool) {
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := pool.Exec(context.Background(), "SELECT pg_sleep(0.01)")
			require.NoError(t, err)
		}()
	}
	wg.Wait()
}

// BenchmarkGetDecode is the part of Store.Get that raw pgx does not do:
// decoding the stored JSON of a full Result (kyctest.FullResult).
func BenchmarkGetDecode(b *testing.B) {
	body, err := json.Marshal(kyctest.FullResult("incode:x"))
	require.NoError(b, err)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := json.Unmarshal(body, new(kyc.Result)); err != nil {
			b.Fatal(err)
		}
	}
}
