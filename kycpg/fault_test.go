package kycpg_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kycpg"
	"github.com/kyc-go/kyc/kycpg/internal/pgtest"
	"github.com/kyc-go/kyc/kyctest"
)

// A server that is not there: the errors are ErrUnavailable *kyc.Errors
// whose text holds neither the DSN, the password, the user nor the host.
func TestConnectionFailureLeaksNothing(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	dsn := fmt.Sprintf("postgres://secretuser:hunter2-Pa55w0rd@127.0.0.1:%d/personaldb?sslmode=disable&connect_timeout=2", port)
	cfg, err := pgxpool.ParseConfig(dsn)
	require.NoError(t, err)
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	defer pool.Close()
	s, err := kycpg.New(pool)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err1 := s.Apply(ctx, kyctest.FullResult("incode:Ada-Example"))
	_, err2 := s.Get(ctx, "incode:Ada-Example")
	_, _, err3 := s.Claim(ctx, kyc.Claim{ID: "req-ada", Fingerprint: "f", State: kyc.ClaimRunning, Expires: time.Now().Add(time.Hour)})
	err4 := s.Migrate(ctx)
	for _, err := range []error{err1, err2, err3, err4} {
		require.Error(t, err)
		var ke *kyc.Error
		require.True(t, errors.As(err, &ke), "%T", err)
		assert.Equal(t, kyc.ErrUnavailable, ke.Kind, "%v", err)
		var chain []string
		for e := error(ke); e != nil; {
			chain = append(chain, e.Error())
			switch u := e.(type) {
			case interface{ Unwrap() []error }:
				for _, x := range u.Unwrap() {
					chain = append(chain, x.Error())
				}
				e = nil
			case interface{ Unwrap() error }:
				e = u.Unwrap()
			default:
				e = nil
			}
		}
		text := strings.Join(chain, " | ") + fmt.Sprintf(" %+v %#v", err, ke)
		for _, secret := range []string{"hunter2", "Pa55w0rd", "secretuser", "personaldb", "postgres://", "Ada", fmt.Sprint(port)} {
			assert.NotContains(t, text, secret)
		}
	}
}

// The server stops (as in a crash) while 32 writers apply Results: each
// call that fails fails with a typed error, no row holds part of a Result,
// and after a restart the store works again.
func TestServerStoppedMidTest(t *testing.T) {
	srv, err := pgtest.Start()
	require.NoError(t, err, pgtest.Install)
	t.Cleanup(func() { _ = srv.Remove() })
	pool := newPool(t, srv.URL, 8)
	s := newStore(t, pool)
	ctx := context.Background()

	var wg sync.WaitGroup
	var mu sync.Mutex
	stored := map[string]bool{}
	var failures []error
	stop := make(chan struct{})
	for w := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ref := fmt.Sprintf("incode:w%d-%d", w, i)
				cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				_, err := s.Apply(cctx, kyctest.FullResult(ref))
				cancel()
				mu.Lock()
				if err == nil {
					stored[ref] = true
				} else {
					failures = append(failures, err)
				}
				n := len(failures)
				mu.Unlock()
				if n > 64 {
					return
				}
			}
		}()
	}
	time.Sleep(300 * time.Millisecond) // let writes land before the crash
	require.NoError(t, srv.Kill())
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()
	require.NotEmpty(t, failures, "the writers saw the server go")
	for _, err := range failures {
		var ke *kyc.Error
		require.True(t, errors.As(err, &ke), "%T %v", err, err)
		assert.Contains(t, []error{kyc.ErrUnavailable, kyc.ErrTimeout}, ke.Kind, "%v", err)
	}
	require.NoError(t, srv.Restart())
	rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	// every row there is whole, and every Apply reported stored is there
	rows, err := pool.Query(rctx, `SELECT ref FROM `+quoted(s.Schema())+`.results`)
	require.NoError(t, err)
	var refs []string
	for rows.Next() {
		var r string
		require.NoError(t, rows.Scan(&r))
		refs = append(refs, r)
	}
	require.NoError(t, rows.Err())
	for _, ref := range refs {
		got, err := s.Get(rctx, ref)
		require.NoError(t, err)
		want := kyctest.FullResult(ref)
		assert.Equal(t, want, got, "a whole Result")
	}
	have := map[string]bool{}
	for _, r := range refs {
		have[r] = true
	}
	for ref := range stored {
		assert.True(t, have[ref], "%s was reported stored but is gone", ref)
	}
	_, err = s.Apply(rctx, kyctest.FullResult("incode:after"))
	require.NoError(t, err, "the store works after the restart")
}

func quoted(schema string) string { return `"` + strings.ReplaceAll(schema, `"`, `""`) + `"` }
