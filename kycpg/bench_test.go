package kycpg_test

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kycpg"
	"github.com/kyc-go/kyc/kyctest"
)

var benchOps = flag.Int("kycpg.bench", 0, "operations per measurement of TestPerformanceReport (0: a short check that it runs)")

type measure struct {
	opsPerSec float64
	p99       time.Duration
}

// run calls op n times from conc goroutines and measures it.
func run(ctx context.Context, conc, n int, op func(ctx context.Context, i int) error) (measure, error) {
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var firstErr atomic.Value
	start := time.Now()
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
	el := time.Since(start)
	if e, ok := firstErr.Load().(error); ok {
		return measure{}, e
	}
	slices.Sort(lat)
	return measure{opsPerSec: float64(n) / el.Seconds(), p99: lat[n*99/100]}, nil
}

// TestPerformanceReport measures the store beside raw pgx running the same
// statement on the same pool, at 1, 16 and 64 concurrent callers, in
// rounds that alternate which goes first. With -kycpg.bench=N it prints
// the figures of BENCHMARKS.md; without, it checks the harness runs.
func TestPerformanceReport(t *testing.T) {
	n, rounds := *benchOps, 3
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
	fmt.Fprintf(&report, "| operation | callers | kycpg ops/s | raw pgx ops/s | kycpg p99 | raw pgx p99 | kycpg/raw per op |\n|---|---|---|---|---|---|---|\n")
	for _, p := range pairs {
		for _, conc := range []int{1, 16, 64} {
			var st, rw []measure
			for round := range rounds {
				order := []func(ctx context.Context, i int) error{p.store, p.raw}
				if round%2 == 1 {
					order = []func(ctx context.Context, i int) error{p.raw, p.store}
				}
				for k, fn := range order {
					m, err := run(ctx, conc, n, fn)
					require.NoError(t, err, p.name)
					if (k == 0) == (round%2 == 0) {
						st = append(st, m)
					} else {
						rw = append(rw, m)
					}
				}
			}
			sm, rm := median(st), median(rw)
			fmt.Fprintf(&report, "| %s | %d | %.0f | %.0f | %s | %s | %.2fx |\n", p.name, conc, sm.opsPerSec, rm.opsPerSec,
				sm.p99.Round(time.Microsecond), rm.p99.Round(time.Microsecond), rm.opsPerSec/sm.opsPerSec)
		}
	}
	t.Logf("%d ops per measurement, median of %d rounds:\n%s", n, rounds, report.String())
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

func median(ms []measure) measure {
	slices.SortFunc(ms, func(a, b measure) int {
		switch {
		case a.opsPerSec < b.opsPerSec:
			return -1
		case a.opsPerSec > b.opsPerSec:
			return 1
		}
		return 0
	})
	return ms[len(ms)/2]
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
