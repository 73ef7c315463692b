package kycpg_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kycpg"
)

func keyedStore(t *testing.T) (*kycpg.Store, *kycpg.TokenStore) {
	pool := newPool(t, testURL, 0)
	s := newStore(t, pool, kycpg.WithTokenKeys(kycpg.TokenKey{ID: "k1", Key: make([]byte, 32)}))
	tokens, err := s.Tokens()
	require.NoError(t, err)
	return s, tokens
}

// Every call of the store, its TokenStore and its ledger with a cancelled
// context returns that context's error as an ErrTimeout *kyc.Error, and
// writes nothing (the ResultStore methods: kyctest.StoreConformance).
func TestCancelledContextEndsEveryCall(t *testing.T) {
	s, tokens := keyedStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := map[string]func() error{
		"Tokens.Put": func() error { return tokens.Put(ctx, "iv1", kyc.NewSecret("tok")) },
		"Tokens.Get": func() error { _, err := tokens.Get(ctx, "iv1"); return err },
		"Seen":       func() error { _, err := s.Seen(ctx, kyc.Incode, "d1"); return err },
		"Erase":      func() error { return s.Erase(ctx, "incode:x") },
		"EraseRequestID": func() error {
			_, err := s.EraseRequestID(ctx, "id")
			return err
		},
		"EraseToken":  func() error { _, err := s.EraseToken(ctx, "iv1"); return err },
		"EraseBefore": func() error { _, err := s.EraseBefore(ctx, time.Now()); return err },
		"Migrate":     func() error { return s.Migrate(ctx) },
	}
	for name, call := range calls {
		err := call()
		assert.ErrorIs(t, err, context.Canceled, name)
		assert.ErrorIs(t, err, kyc.ErrTimeout, name)
	}
	bg := context.Background()
	got, err := tokens.Get(bg, "iv1")
	require.NoError(t, err)
	assert.True(t, got.IsZero(), "no token was stored")
	first, err := s.Seen(bg, kyc.Incode, "d1")
	require.NoError(t, err)
	assert.True(t, first, "no delivery was recorded")
}

// A call waiting on a row another transaction holds (locked, or inserted
// and not committed yet) ends with its
// context's deadline (ErrTimeout, wrapping context.DeadlineExceeded), for
// the TokenStore, the ledger and erasure as for Apply
// (TestSlowStatementTimesOut).
func TestStatementSlowerThanTheContext(t *testing.T) {
	s, tokens := keyedStore(t)
	bg := context.Background()
	require.NoError(t, tokens.Put(bg, "iv-locked", kyc.NewSecret("tok")))
	_, err := s.Apply(bg, &kyc.Result{Provider: kyc.Incode, Reference: "incode:locked", Status: kyc.StatusPending})
	require.NoError(t, err)
	for _, tc := range []struct {
		name, lock string
		call       func(context.Context) error
	}{
		{"Tokens.Put", `SELECT 1 FROM %s.tokens WHERE interview_id = 'iv-locked' FOR UPDATE`,
			func(ctx context.Context) error { return tokens.Put(ctx, "iv-locked", kyc.NewSecret("tok2")) }},
		// the same delivery, recorded by a replica whose transaction is open
		{"Seen", `INSERT INTO %s.deliveries (provider, delivery_key) VALUES ('incode', 'd-open')`,
			func(ctx context.Context) error { _, err := s.Seen(ctx, kyc.Incode, "d-open"); return err }},
		{"EraseReference", `SELECT 1 FROM %s.results WHERE ref = 'incode:locked' FOR UPDATE`,
			func(ctx context.Context) error { _, err := s.EraseReference(ctx, "incode:locked"); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx, err := newPool(t, testURL, 2).Begin(bg)
			require.NoError(t, err)
			defer func() { _ = tx.Rollback(bg) }()
			_, err = tx.Exec(bg, sprintfSchema(tc.lock, s.Schema()))
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(bg, 200*time.Millisecond)
			defer cancel()
			err = tc.call(ctx)
			assert.ErrorIs(t, err, kyc.ErrTimeout)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
		})
	}
}

func sprintfSchema(q, schema string) string {
	return strings.Replace(q, "%s", pgx.Identifier{schema}.Sanitize(), 1)
}
