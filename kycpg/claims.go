package kycpg

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kyc-go/kyc"
)

// Claim implements kyc.ResultStore: one INSERT … ON CONFLICT DO UPDATE
// that takes the ID when no claim holds it or the one that does has
// expired (the row lock makes exactly one of any number of concurrent
// callers win); a caller that did not win reads the claim that holds it.
func (s *Store) Claim(ctx context.Context, c kyc.Claim) (kyc.Claim, bool, error) {
	const op = "kycpg.Store.Claim"
	if c.ID == "" {
		return kyc.Claim{}, false, kycError{op: op, kind: kindInvalid, field: kyc.FieldID, msg: "a claim needs an ID"}.err()
	}
	if err := ctx.Err(); err != nil {
		return kyc.Claim{}, false, wrap(ctx, op, err)
	}
	for range 3 { // the holder may expire or be released between the two statements
		var won bool
		err := s.pool.QueryRow(ctx, s.qClaim, c.ID, c.Fingerprint, string(c.State), c.Reference, c.Expires).Scan(&won)
		if err == nil {
			return c, true, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return kyc.Claim{}, false, wrap(ctx, op, err)
		}
		held := kyc.Claim{ID: c.ID}
		var state string
		err = s.pool.QueryRow(ctx, s.qHeld, c.ID).Scan(&held.Fingerprint, &state, &held.Reference, &held.Expires)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return kyc.Claim{}, false, wrap(ctx, op, err)
		}
		held.State = kyc.ClaimState(state)
		return held, false, nil
	}
	return kyc.Claim{}, false, &kyc.Error{Op: op, Kind: kyc.ErrUnavailable, Message: "the claim changed hands three times in a row", NotSent: true, Unprocessed: true}
}

// Settle implements kyc.ResultStore: it records the outcome of the claim of
// c.ID (its State, Reference and, when set, Expires), or deletes the claim
// when c.State is kyc.ClaimReleased.
func (s *Store) Settle(ctx context.Context, c kyc.Claim) error {
	const op = "kycpg.Store.Settle"
	if err := ctx.Err(); err != nil {
		return wrap(ctx, op, err)
	}
	var err error
	var n int64
	if c.State == kyc.ClaimReleased {
		tag, e := s.pool.Exec(ctx, s.qRelease, c.ID)
		err, n = e, tag.RowsAffected()
	} else {
		var exp *time.Time
		if !c.Expires.IsZero() {
			exp = &c.Expires
		}
		tag, e := s.pool.Exec(ctx, s.qSettle, c.ID, string(c.State), c.Reference, exp)
		err, n = e, tag.RowsAffected()
	}
	if err != nil {
		return wrap(ctx, op, err)
	}
	if n == 0 {
		return kycError{op: op, kind: kindNotFound, field: kyc.FieldID, msg: "no claim under this ID"}.err()
	}
	return nil
}
