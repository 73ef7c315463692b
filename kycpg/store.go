package kycpg

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kyc-go/kyc"
)

// Store keeps a kyc.ResultStore, an incode.TokenStore (see Tokens) and a
// webhook delivery ledger (see Store.Seen) in PostgreSQL tables, in one
// schema of the user's database, over the user's pool. It is safe for
// concurrent use by any number of goroutines and replicas.
type Store struct {
	pool       *pgxpool.Pool
	schemaName string
	schema     string // quoted
	keys       *keyring

	// statements, built once with the schema quoted
	qApply, qGet, qOrder, qClaim, qHeld, qSettle, qRelease string
}

var _ kyc.ResultStore = (*Store)(nil)

// Option configures New.
type Option func(*config) error

type config struct {
	schema string
	keys   *keyring
}

// DefaultSchema is the schema New uses without WithSchema.
const DefaultSchema = "kyc"

// WithSchema names the schema the tables live in (DefaultSchema, "kyc",
// when not given). Any name PostgreSQL takes works: it is quoted, never
// put in SQL as it is.
func WithSchema(name string) Option {
	return func(c *config) error {
		if name == "" || len(name) > 63 || strings.ContainsRune(name, 0) {
			return errors.New("the schema name must have 1 to 63 bytes and no NUL")
		}
		c.schema = name
		return nil
	}
}

// KeyID names a token encryption key; it is stored beside each token, so
// that a token encrypted under an older key still opens after a rotation.
type KeyID string

// TokenKey is one AES-256 key for session tokens: 32 random bytes (for
// example `openssl rand -hex 32`, from the service's secret manager) and
// the ID it is known by.
type TokenKey struct {
	ID  KeyID
	Key []byte
}

// WithTokenKeys gives the keys the token store (Store.Tokens) encrypts
// with: current encrypts every token put from now on; older ones only
// open tokens put before a rotation. To rotate, make a new key the
// current one and pass the previous one among older, until every token
// put under it has expired (incode.SessionTokenTTL) or been put again.
func WithTokenKeys(current TokenKey, older ...TokenKey) Option {
	return func(c *config) error {
		k := &keyring{current: current.ID, aeads: map[KeyID]cipher.AEAD{}}
		for i, tk := range append([]TokenKey{current}, older...) {
			if tk.ID == "" || len(tk.ID) > 64 {
				return fmt.Errorf("token key %d: the ID must have 1 to 64 bytes", i)
			}
			if len(tk.Key) != 32 {
				return fmt.Errorf("token key %q: an AES-256 key has 32 bytes, not %d", tk.ID, len(tk.Key))
			}
			if _, dup := k.aeads[tk.ID]; dup {
				return fmt.Errorf("token key %q: two keys with one ID", tk.ID)
			}
			block, err := aes.NewCipher(tk.Key)
			if err != nil {
				return err
			}
			aead, err := cipher.NewGCM(block)
			if err != nil {
				return err
			}
			k.aeads[tk.ID] = aead
		}
		c.keys = k
		return nil
	}
}

// New returns a Store over pool, in the schema WithSchema names. It runs
// nothing on the database: call Migrate once (a deploy step) to create or
// upgrade the tables.
func New(pool *pgxpool.Pool, opts ...Option) (*Store, error) {
	const op = "kycpg.New"
	if pool == nil {
		return nil, kycError{op: op, kind: kindInvalid, msg: "a nil pool"}.err()
	}
	c := config{schema: DefaultSchema}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&c); err != nil {
			return nil, &kyc.Error{Op: op, Kind: kyc.ErrInvalidRequest, Message: err.Error(), NotSent: true, Unprocessed: true}
		}
	}
	s := &Store{pool: pool, schemaName: c.schema, schema: pgx.Identifier{c.schema}.Sanitize(), keys: c.keys}
	s.prepare()
	return s, nil
}

// Schema returns the name of the store's schema, unquoted.
func (s *Store) Schema() string { return s.schemaName }

// tx runs fn in a transaction bounded by ctx.
func (s *Store) tx(ctx context.Context, op string, fn func(pgx.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return wrap(ctx, op, err)
	}
	err := pgx.BeginFunc(ctx, s.pool, fn)
	return wrap(ctx, op, err)
}
