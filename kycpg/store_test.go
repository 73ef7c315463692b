package kycpg_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kycpg"
	"github.com/kyc-go/kyc/kyctest"
)

func TestStoreConformance(t *testing.T) {
	pool := newPool(t, testURL, 0)
	kyctest.StoreConformance(t, func() kyc.ResultStore { return newStore(t, pool) })
}

func TestMigrateConcurrentAndIdempotent(t *testing.T) {
	pool := newPool(t, testURL, 0)
	for _, name := range []string{"kycpg race", `we"ird; DROP TABLE x`, "Kyc_Upper"} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			_, _ = pool.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{name}.Sanitize()+` CASCADE`)
			var wg sync.WaitGroup
			errs := make([]error, 8)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s, err := kycpg.New(pool, kycpg.WithSchema(name))
					if err == nil {
						err = s.Migrate(ctx)
					}
					errs[i] = err
				}()
			}
			wg.Wait()
			for _, err := range errs {
				require.NoError(t, err, "8 replicas migrating at once")
			}
			var n int
			require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{name, "schema_migrations"}.Sanitize()).Scan(&n))
			assert.Equal(t, kycpg.SchemaVersion(), n, "each migration recorded once")
			s, err := kycpg.New(pool, kycpg.WithSchema(name))
			require.NoError(t, err)
			_, err = s.Apply(ctx, kyctest.FullResult("atlas:x"))
			require.NoError(t, err)
			_, err = pool.Exec(ctx, `DROP SCHEMA `+pgx.Identifier{name}.Sanitize()+` CASCADE`)
			require.NoError(t, err)
		})
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	pool := newPool(t, testURL, 0)
	for name, opts := range map[string][]kycpg.Option{
		"empty schema":   {kycpg.WithSchema("")},
		"long schema":    {kycpg.WithSchema(string(make([]byte, 64)))},
		"short key":      {kycpg.WithTokenKeys(kycpg.TokenKey{ID: "k1", Key: make([]byte, 16)})},
		"no key id":      {kycpg.WithTokenKeys(kycpg.TokenKey{Key: make([]byte, 32)})},
		"duplicate keys": {kycpg.WithTokenKeys(kycpg.TokenKey{ID: "k", Key: make([]byte, 32)}, kycpg.TokenKey{ID: "k", Key: make([]byte, 32)})},
	} {
		_, err := kycpg.New(pool, opts...)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, name)
	}
	_, err := kycpg.New(nil)
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
}

// 256 concurrent webhook deliveries through kyc.WebhookMux, on a pool of
// 8 connections, progress events and final verdicts for 4 references in
// every order: each is answered 200 and each reference ends at the final
// verdict with the greatest Sequence, never at a progress event.
func TestManyConcurrentWebhooksOnASmallPool(t *testing.T) {
	pool := newPool(t, testURL, 8)
	s := newStore(t, pool)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	recv := kyctest.NewReceiver("fake").RequireToken("tok")
	mux, err := kyc.NewWebhookMux(func(context.Context, *kyc.Event) error { return nil }, kyc.WithResultStore(s))
	require.NoError(t, err)
	mux.Handle("/hook", recv)
	var wg sync.WaitGroup
	codes := make(chan int, 256)
	start := make(chan struct{})
	for i := range 256 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := kyc.StatusPending
			if i%3 == 0 {
				st = kyc.StatusApproved
			}
			req := recv.NewRequest("/hook", kyctest.Webhook{Reference: fmt.Sprintf("fake:r%d", i%4), Status: st, Sequence: int64(i)})
			w := httptest.NewRecorder()
			<-start
			mux.ServeHTTP(w, req.WithContext(ctx))
			codes <- w.Code
		}()
	}
	close(start)
	wg.Wait()
	close(codes)
	for code := range codes {
		require.Equal(t, 200, code)
	}
	for r := range 4 {
		got, err := s.Get(ctx, fmt.Sprintf("fake:r%d", r))
		require.NoError(t, err)
		// the greatest i ≡ r (mod 4) with i%3 == 0 below 256
		want := int64(-1)
		for i := r; i < 256; i += 4 {
			if i%3 == 0 {
				want = int64(i)
			}
		}
		assert.Equal(t, want, got.Sequence, "ref %d", r)
		assert.Equal(t, kyc.StatusApproved, got.Status)
	}
}

// A statement that waits on a row another transaction holds returns
// ErrTimeout when its 200 ms context ends. The server may still apply it
// once the lock is released (pgx cancels the query asynchronously), so
// the row holds one of the two Results, whole: never a partial row. The
// caller saw a failure and sends again; the ordering rule makes that
// harmless.
func TestSlowStatementTimesOut(t *testing.T) {
	pool := newPool(t, testURL, 0)
	s := newStore(t, pool)
	ctx := context.Background()
	_, err := s.Apply(ctx, &kyc.Result{Provider: kyc.Atlas, Reference: "atlas:locked", Status: kyc.StatusPending})
	require.NoError(t, err)
	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, `SELECT 1 FROM `+pgx.Identifier{s.Schema(), "results"}.Sanitize()+` WHERE ref = 'atlas:locked' FOR UPDATE`)
	require.NoError(t, err)

	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = s.Apply(short, &kyc.Result{Provider: kyc.Atlas, Reference: "atlas:locked", Status: kyc.StatusApproved})
	took := time.Since(start)
	require.ErrorIs(t, err, kyc.ErrTimeout)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, took, 2*time.Second, "returned promptly")
	// The error came back at once; pgx cancels the statement on the server
	// too, but asynchronously. Wait (bounded) until no statement waits on
	// the lock any more before releasing it: a cancel that arrived after the
	// lock was released would let the Apply finish (an ErrTimeout means the
	// outcome is unknown; the ordering rule makes applying again safe).
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int
		require.NoError(t, tx.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE NOT granted`).Scan(&waiting))
		if waiting == 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the timed-out statement still waits on the server")
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, tx.Rollback(ctx))
	got, err := s.Get(ctx, "atlas:locked")
	require.NoError(t, err)
	assert.Contains(t, []kyc.Status{kyc.StatusPending, kyc.StatusApproved}, got.Status, "one of the two Results, whole")
	assert.Equal(t, "atlas:locked", got.Reference)
}

func TestApplyReportsConflicts(t *testing.T) {
	pool := newPool(t, testURL, 0)
	s := newStore(t, pool)
	ctx := context.Background()
	a, err := s.Apply(ctx, &kyc.Result{Provider: kyc.Incode, Reference: "incode:c", Status: kyc.StatusApproved})
	require.NoError(t, err)
	assert.Equal(t, kyc.AppliedStored, a)
	a, err = s.Apply(ctx, &kyc.Result{Provider: kyc.Incode, Reference: "incode:c", Status: kyc.StatusRejected})
	require.NoError(t, err)
	assert.Equal(t, kyc.AppliedConflict, a)
	var ke *kyc.Error
	_, err = s.Get(ctx, "incode:none")
	require.True(t, errors.As(err, &ke))
	assert.Equal(t, kyc.ErrNotFound, ke.Kind)
}

// An Apply whose statement began before another caller's first Result
// for the reference committed (its snapshot saw no row, its upsert waited
// on the other's insert) still reports the conflict: the rare case where
// the store reads the row again. The other caller holds its insert in an
// open transaction until the Apply waits on it (seen in pg_locks).
func TestApplyReportsAConflictWithARowInsertedAfterItsSnapshot(t *testing.T) {
	pool := newPool(t, testURL, 0)
	s := newStore(t, pool)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	first := &kyc.Result{Provider: kyc.Incode, Reference: "incode:late", Status: kyc.StatusApproved}
	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	var stored *bool
	var final *bool
	var status *string
	var sequence *int64
	var digest []byte
	require.NoError(t, tx.QueryRow(ctx, kycpg.ApplySQL(s), kycpg.ApplyArgs(first)...).Scan(&stored, &final, &status, &sequence, &digest))
	require.NotNil(t, stored)

	got := make(chan kyc.Applied, 1)
	go func() {
		a, err := s.Apply(ctx, &kyc.Result{Provider: kyc.Incode, Reference: "incode:late", Status: kyc.StatusRejected})
		assert.NoError(t, err)
		got <- a
	}()
	for { // until the Apply waits on the open transaction's insert
		var waiting int
		require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE NOT granted`).Scan(&waiting))
		if waiting > 0 {
			break
		}
		require.NoError(t, ctx.Err())
		time.Sleep(5 * time.Millisecond)
	}
	require.NoError(t, tx.Commit(ctx))
	assert.Equal(t, kyc.AppliedConflict, <-got)
	res, err := s.Get(ctx, "incode:late")
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, res.Status, "the first final verdict stays")
}
