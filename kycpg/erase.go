package kycpg

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kyc-go/kyc"
)

// Erased counts the rows an erasure deleted, by table.
type Erased struct {
	Results, Claims, Tokens, Deliveries int64
}

var _ kyc.Eraser = (*Store)(nil)

// Erase implements kyc.Eraser, so that kyc.Router.Erase erases the store's
// copy too: EraseReference, without the counts.
func (s *Store) Erase(ctx context.Context, ref string) error {
	_, err := s.EraseReference(ctx, ref)
	return err
}

// EraseReference deletes the Result stored under ref and the claims that
// point at it (the right to erasure of the person verified). The Incode
// session token of the verification is under its interview id: erase it
// with EraseToken.
func (s *Store) EraseReference(ctx context.Context, ref string) (Erased, error) {
	const op = "kycpg.Store.EraseReference"
	var e Erased
	err := s.tx(ctx, op, func(tx pgx.Tx) error {
		t, err := tx.Exec(ctx, `DELETE FROM `+s.schema+`.results WHERE ref = $1`, ref)
		if err != nil {
			return err
		}
		e.Results = t.RowsAffected()
		t, err = tx.Exec(ctx, `DELETE FROM `+s.schema+`.claims WHERE reference = $1`, ref)
		e.Claims = t.RowsAffected()
		return err
	})
	return e, err
}

// EraseRequestID deletes the claim of Request.ID id and the Result under
// the claim's Reference, in one transaction.
func (s *Store) EraseRequestID(ctx context.Context, id string) (Erased, error) {
	const op = "kycpg.Store.EraseRequestID"
	var e Erased
	err := s.tx(ctx, op, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `DELETE FROM `+s.schema+`.claims WHERE id = $1 RETURNING reference`, id)
		if err != nil {
			return err
		}
		refs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		e.Claims = int64(len(refs))
		for _, ref := range refs {
			if ref == "" {
				continue
			}
			t, err := tx.Exec(ctx, `DELETE FROM `+s.schema+`.results WHERE ref = $1`, ref)
			if err != nil {
				return err
			}
			e.Results += t.RowsAffected()
		}
		return nil
	})
	return e, err
}

// EraseToken deletes the Incode session token kept for interviewID.
func (s *Store) EraseToken(ctx context.Context, interviewID string) (Erased, error) {
	const op = "kycpg.Store.EraseToken"
	if err := ctx.Err(); err != nil {
		return Erased{}, wrap(ctx, op, err)
	}
	t, err := s.pool.Exec(ctx, `DELETE FROM `+s.schema+`.tokens WHERE interview_id = $1`, interviewID)
	return Erased{Tokens: t.RowsAffected()}, wrap(ctx, op, err)
}

// EraseBefore is the retention sweep: it deletes every Result last changed
// before cutoff, every claim created before it, every session token put
// before it and every delivery seen before it, in one transaction. Run it
// from a scheduled job with the cutoff your retention policy sets (now
// minus the retention period); the indexes on those times keep it cheap.
func (s *Store) EraseBefore(ctx context.Context, cutoff time.Time) (Erased, error) {
	const op = "kycpg.Store.EraseBefore"
	if cutoff.IsZero() {
		return Erased{}, &kyc.Error{Op: op, Kind: kyc.ErrInvalidRequest, Message: "a zero cutoff", NotSent: true, Unprocessed: true}
	}
	var e Erased
	err := s.tx(ctx, op, func(tx pgx.Tx) error {
		for _, q := range []struct {
			sql string
			n   *int64
		}{
			{`DELETE FROM ` + s.schema + `.results WHERE updated_at < $1`, &e.Results},
			{`DELETE FROM ` + s.schema + `.claims WHERE created_at < $1`, &e.Claims},
			{`DELETE FROM ` + s.schema + `.tokens WHERE updated_at < $1`, &e.Tokens},
			{`DELETE FROM ` + s.schema + `.deliveries WHERE seen_at < $1`, &e.Deliveries},
		} {
			t, err := tx.Exec(ctx, q.sql, cutoff)
			if err != nil {
				return err
			}
			*q.n = t.RowsAffected()
		}
		return nil
	})
	return e, err
}
