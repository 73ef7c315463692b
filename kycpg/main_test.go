package kycpg_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc/kycpg"
	"github.com/kyc-go/kyc/kycpg/internal/pgtest"
)

// testURL is the server every test uses: KYCPG_TEST_DATABASE_URL, or a
// throwaway server TestMain starts (and a test fails, never skips, when
// neither is possible).
var testURL string

func TestMain(m *testing.M) {
	url, stop, err := pgtest.URL()
	if err != nil {
		fmt.Fprintln(os.Stderr, "FAIL: kycpg:", err)
		os.Exit(1)
	}
	testURL = url
	code := m.Run()
	stop()
	os.Exit(code)
}

var schemas atomic.Int64

// newPool connects to the test server with at most maxConns connections
// (0: pgx's default).
func newPool(t testing.TB, url string, maxConns int32) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(url)
	require.NoError(t, err)
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	} else {
		cfg.MaxConns = 70
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return pool
}

// newStore returns a migrated Store in a schema of its own, over pool.
func newStore(t testing.TB, pool *pgxpool.Pool, opts ...kycpg.Option) *kycpg.Store {
	t.Helper()
	name := fmt.Sprintf("kycpg_test_%d_%d", os.Getpid(), schemas.Add(1))
	s, err := kycpg.New(pool, append([]kycpg.Option{kycpg.WithSchema(name)}, opts...)...)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, s.Migrate(ctx))
	return s
}
