package kycpg

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
)

type keyring struct {
	current KeyID
	aeads   map[KeyID]cipher.AEAD
}

// TokenStore is an incode.TokenStore in the store's tokens table: each
// session token is encrypted with AES-256-GCM under the current key of
// WithTokenKeys, with a random nonce and the interview id as additional
// data (a row copied to another interview does not open). The row holds
// the key's ID, the nonce and the ciphertext: never the token.
type TokenStore struct{ s *Store }

var _ incode.TokenStore = (*TokenStore)(nil)

// Tokens returns the store's incode.TokenStore (for incode.Config's
// TokenStore). It fails without WithTokenKeys.
func (s *Store) Tokens() (*TokenStore, error) {
	if s.keys == nil {
		return nil, kycError{op: "kycpg.Store.Tokens", kind: kindInvalid, msg: "the token store needs kycpg.WithTokenKeys"}.err()
	}
	return &TokenStore{s: s}, nil
}

// Put implements incode.TokenStore: it keeps token for interviewID,
// encrypted under the current key, replacing any earlier one.
func (t *TokenStore) Put(ctx context.Context, interviewID string, token kyc.Secret) error {
	const op = "kycpg.TokenStore.Put"
	if interviewID == "" || token.IsZero() {
		return kycError{op: op, kind: kindInvalid, msg: "a token needs an interview id and a value"}.err()
	}
	if err := ctx.Err(); err != nil {
		return wrap(ctx, op, err)
	}
	k := t.s.keys
	aead := k.aeads[k.current]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return &kyc.Error{Op: op, Kind: kyc.ErrUnavailable, Message: "no random nonce"}
	}
	ct := aead.Seal(nil, nonce, []byte(token.Reveal()), []byte(interviewID))
	_, err := t.s.pool.Exec(ctx, `INSERT INTO `+t.s.schema+`.tokens (interview_id, key_id, nonce, ciphertext)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (interview_id) DO UPDATE SET key_id = EXCLUDED.key_id, nonce = EXCLUDED.nonce,
			ciphertext = EXCLUDED.ciphertext, updated_at = now()`,
		interviewID, string(k.current), nonce, ct)
	return wrap(ctx, op, err)
}

// Get implements incode.TokenStore: the token kept for interviewID, or a
// zero Secret and a nil error when there is none. A row under a key that
// is no longer given, or that does not open (altered, or moved to another
// interview), is an error.
func (t *TokenStore) Get(ctx context.Context, interviewID string) (kyc.Secret, error) {
	const op = "kycpg.TokenStore.Get"
	if err := ctx.Err(); err != nil {
		return kyc.Secret{}, wrap(ctx, op, err)
	}
	var (
		keyID         string
		nonce, sealed []byte
	)
	err := t.s.pool.QueryRow(ctx, `SELECT key_id, nonce, ciphertext FROM `+t.s.schema+`.tokens WHERE interview_id = $1`,
		interviewID).Scan(&keyID, &nonce, &sealed)
	if errors.Is(err, pgx.ErrNoRows) {
		return kyc.Secret{}, nil
	}
	if err != nil {
		return kyc.Secret{}, wrap(ctx, op, err)
	}
	aead, ok := t.s.keys.aeads[KeyID(keyID)]
	if !ok {
		return kyc.Secret{}, &kyc.Error{Op: op, Kind: kyc.ErrUnavailable,
			Message: "the token was encrypted under a key not given to kycpg.WithTokenKeys"}
	}
	if len(nonce) != aead.NonceSize() {
		return kyc.Secret{}, &kyc.Error{Op: op, Kind: kyc.ErrBadResponse, Message: "the stored token is malformed"}
	}
	plain, err := aead.Open(nil, nonce, sealed, []byte(interviewID))
	if err != nil {
		return kyc.Secret{}, &kyc.Error{Op: op, Kind: kyc.ErrBadResponse, Message: "the stored token does not open: altered, or not this interview's"}
	}
	return kyc.NewSecret(string(plain)), nil
}
