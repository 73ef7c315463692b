package kycpg_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kycpg"
)

func key(t *testing.T, id string) kycpg.TokenKey {
	k := make([]byte, 32)
	_, err := rand.Read(k)
	require.NoError(t, err)
	return kycpg.TokenKey{ID: kycpg.KeyID(id), Key: k}
}

func TestTokensRoundTripAndRotate(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t, testURL, 0)
	k1, k2 := key(t, "2026-01"), key(t, "2026-02")
	s := newStore(t, pool, kycpg.WithTokenKeys(k1))
	ts, err := s.Tokens()
	require.NoError(t, err)
	got, err := ts.Get(ctx, "interview-1")
	require.NoError(t, err)
	assert.True(t, got.IsZero(), "no token: a zero Secret and no error")
	require.NoError(t, ts.Put(ctx, "interview-1", kyc.NewSecret("tok-one")))

	// rotate: k2 current, k1 still opens what it sealed
	rotated, err := kycpg.New(pool, kycpg.WithSchema(s.Schema()), kycpg.WithTokenKeys(k2, k1))
	require.NoError(t, err)
	rts, err := rotated.Tokens()
	require.NoError(t, err)
	got, err = rts.Get(ctx, "interview-1")
	require.NoError(t, err)
	assert.Equal(t, "tok-one", got.Reveal())
	require.NoError(t, rts.Put(ctx, "interview-2", kyc.NewSecret("tok-two")))
	var keyID string
	require.NoError(t, pool.QueryRow(ctx, `SELECT key_id FROM `+pgx.Identifier{s.Schema(), "tokens"}.Sanitize()+` WHERE interview_id = 'interview-2'`).Scan(&keyID))
	assert.Equal(t, "2026-02", keyID)

	// the old key alone cannot open a token of the new one
	_, err = ts.Get(ctx, "interview-2")
	assert.ErrorIs(t, err, kyc.ErrUnavailable)

	// a row moved to another interview does not open (the id is the AAD)
	_, err = pool.Exec(ctx, `INSERT INTO `+pgx.Identifier{s.Schema(), "tokens"}.Sanitize()+` (interview_id, key_id, nonce, ciphertext)
		SELECT 'interview-3', key_id, nonce, ciphertext FROM `+pgx.Identifier{s.Schema(), "tokens"}.Sanitize()+` WHERE interview_id = 'interview-2'`)
	require.NoError(t, err)
	_, err = rts.Get(ctx, "interview-3")
	assert.ErrorIs(t, err, kyc.ErrBadResponse)

	none, err := kycpg.New(pool)
	require.NoError(t, err)
	_, err = none.Tokens()
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest, "Tokens without keys")
}

// The database never holds a token in clear: neither in what a query of
// the table gives, nor in the table's file on disk.
func TestTokensAreEncryptedAtRest(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t, testURL, 0)
	s := newStore(t, pool, kycpg.WithTokenKeys(key(t, "k1")))
	ts, err := s.Tokens()
	require.NoError(t, err)
	var tokens []string
	for i := range 20 {
		tok := fmt.Sprintf("SESSIONTOKEN-%02d-eyJhbGciOiJIUzI1NiJ9.clear-text-marker", i)
		tokens = append(tokens, tok)
		require.NoError(t, ts.Put(ctx, fmt.Sprintf("iv-%d", i), kyc.NewSecret(tok)))
	}
	table := pgx.Identifier{s.Schema(), "tokens"}.Sanitize()
	var dump []byte
	require.NoError(t, pool.QueryRow(ctx, `SELECT string_agg(t::text || encode(t.ciphertext, 'escape'), E'\n')::bytea FROM `+table+` t`).Scan(&dump))
	_, err = pool.Exec(ctx, `CHECKPOINT`)
	require.NoError(t, err)
	var file []byte
	require.NoError(t, pool.QueryRow(ctx, `SELECT pg_read_binary_file(pg_relation_filepath($1))`, table).Scan(&file))
	require.NotEmpty(t, file, "the table's file on disk")
	for _, tok := range tokens {
		assert.False(t, bytes.Contains(dump, []byte(tok)), "a query of the table shows a token in clear")
		assert.False(t, bytes.Contains(file, []byte(tok)), "the table's file holds a token in clear")
	}
	assert.False(t, bytes.Contains(file, []byte("clear-text-marker")))
	assert.True(t, bytes.Contains(file, []byte("iv-7")), "the scan reads the rows (the interview ids are there)")
	for i, tok := range tokens {
		got, err := ts.Get(ctx, fmt.Sprintf("iv-%d", i))
		require.NoError(t, err)
		assert.Equal(t, tok, got.Reveal())
	}
}
