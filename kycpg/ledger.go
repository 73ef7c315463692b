package kycpg

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/kyc-go/kyc"
)

// Seen records a webhook delivery in the store's deliveries table and
// reports whether it is the first time it arrived: first is false for a
// duplicate (a vendor's retry of a delivery already handled), which the
// caller acknowledges without handling it again. One INSERT … ON CONFLICT
// DO NOTHING decides, so two replicas receiving the same retry at once see
// exactly one first.
//
// deliveryKey identifies the delivery, not the verification: derive it
// from what a retry repeats byte for byte. Incode retries a failed
// delivery up to 5 times with the same body, so a hash of the body serves:
//
//	sum := sha256.Sum256(body)
//	first, err := store.Seen(ctx, "incode", hex.EncodeToString(sum[:]))
//
// A vendor that sends a delivery id in a header (or the body) gives a
// better key: use it. Keep personal data out of the key (a hash, an id).
// Record a delivery after it was handled (its Result applied): a delivery
// recorded and then not handled would drop its retries. The ordering rule
// already makes re-applying a Result harmless; the ledger saves the work
// and keeps a duplicate out of the caller's handlers.
func (s *Store) Seen(ctx context.Context, provider kyc.Provider, deliveryKey string) (first bool, err error) {
	const op = "kycpg.Store.Seen"
	if provider == "" || deliveryKey == "" {
		return false, kycError{op: op, kind: kindInvalid, msg: "a delivery needs a provider and a key"}.err()
	}
	if err := ctx.Err(); err != nil {
		return false, wrap(ctx, op, err)
	}
	err = s.pool.QueryRow(ctx, `INSERT INTO `+s.schema+`.deliveries (provider, delivery_key) VALUES ($1, $2)
		ON CONFLICT DO NOTHING RETURNING true`, string(provider), deliveryKey).Scan(&first)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, wrap(ctx, op, err)
	}
	return true, nil
}
