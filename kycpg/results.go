package kycpg

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/kyc-go/kyc"
)

// The ordering rule of kyc.Decide, on the columns of the stored row
// (results.*) and of the incoming one (EXCLUDED.*): the stored Result is
// replaced only when the rule says AppliedStored.
//
//  1. same digest: unchanged;
//  2. stored final, incoming not: unchanged;
//  3. stored not final, incoming final: stored;
//  4. neither final: stored when the incoming sequence is greater or equal;
//  5. both final: stored when the incoming sequence is greater.
const applyRule = `results.digest <> EXCLUDED.digest AND (
		(NOT results.final AND EXCLUDED.final)
		OR (NOT results.final AND NOT EXCLUDED.final AND EXCLUDED.sequence >= results.sequence)
		OR (results.final AND EXCLUDED.final AND EXCLUDED.sequence > results.sequence))`

func (s *Store) prepare() {
	t := s.schema
	// The upsert and, in the same statement and round trip, the row as it
	// was before it (prev, read from the statement's snapshot), so that a
	// Result the rule did not store is reported as unchanged or as a
	// conflict without a second query. stored is NULL when nothing was
	// stored.
	s.qApply = `WITH prev AS (
		SELECT final, status, sequence, digest FROM ` + t + `.results WHERE ref = $1
	), up AS (
		INSERT INTO ` + t + `.results AS results (ref, final, status, sequence, digest, body)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (ref) DO UPDATE SET final = EXCLUDED.final, status = EXCLUDED.status, sequence = EXCLUDED.sequence,
			digest = EXCLUDED.digest, body = EXCLUDED.body, updated_at = now()
		WHERE ` + applyRule + `
		RETURNING true AS stored
	)
	SELECT (SELECT stored FROM up), prev.final, prev.status, prev.sequence, prev.digest
	FROM (SELECT 1) AS one LEFT JOIN prev ON true`
	s.qGet = `SELECT body FROM ` + t + `.results WHERE ref = $1`
	s.qOrder = `SELECT final, status, sequence, digest FROM ` + t + `.results WHERE ref = $1`
	s.qClaim = `INSERT INTO ` + t + `.claims AS claims (id, fingerprint, state, reference, expires)
	VALUES ($1, $2, $3, $4, $5)
	ON CONFLICT (id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, state = EXCLUDED.state,
		reference = EXCLUDED.reference, expires = EXCLUDED.expires, created_at = now()
	WHERE claims.expires <= now()
	RETURNING true`
	s.qHeld = `SELECT fingerprint, state, reference, expires FROM ` + t + `.claims WHERE id = $1`
	s.qSettle = `UPDATE ` + t + `.claims SET state = $2, reference = $3, expires = COALESCE($4, expires) WHERE id = $1`
	s.qRelease = `DELETE FROM ` + t + `.claims WHERE id = $1`
}

// applyArgs are the arguments of the upsert for res.
func applyArgs(res *kyc.Result) ([]any, kyc.Ordering, error) {
	body, err := json.Marshal(res)
	if err != nil {
		return nil, kyc.Ordering{}, err
	}
	ord := kyc.OrderingOf(res)
	return []any{res.Reference, ord.Final, string(ord.Status), ord.Sequence, ord.Digest[:], body}, ord, nil
}

// Apply implements kyc.ResultStore: one INSERT … ON CONFLICT DO UPDATE
// whose WHERE clause is the ordering rule (kyc.Decide), so that replicas
// applying Results for one Reference at once end where the rule says. The
// Result is kept as its JSON, byte for byte. The same statement returns the
// row as it stood before (its ordering columns), from which a Result the
// statement did not store is reported AppliedUnchanged or AppliedConflict:
// the report, never the decision, which is the upsert's, on the row as it
// is when the statement holds its lock. The row it reports against is the
// one the statement's snapshot saw: when another caller changed it while
// this statement waited for its lock, the report compares with the row
// before that change. Only when another caller inserted the row after the
// statement began (its snapshot saw none) is it read again, a second round
// trip, to shape the report.
func (s *Store) Apply(ctx context.Context, res *kyc.Result) (kyc.Applied, error) {
	const op = "kycpg.Store.Apply"
	if res == nil || res.Reference == "" {
		return 0, kycError{op: op, kind: kindInvalid, field: kyc.FieldReference, msg: "a stored Result needs a Reference"}.err()
	}
	if err := ctx.Err(); err != nil {
		return 0, wrap(ctx, op, err)
	}
	args, ord, err := applyArgs(res)
	if err != nil {
		return 0, kycError{op: op, kind: kindInvalid, msg: "the Result does not encode as JSON"}.err()
	}
	var (
		stored, final *bool
		status        *string
		sequence      *int64
		digest        []byte
	)
	if err := s.pool.QueryRow(ctx, s.qApply, args...).Scan(&stored, &final, &status, &sequence, &digest); err != nil {
		return 0, wrap(ctx, op, err)
	}
	if stored != nil {
		return kyc.AppliedStored, nil
	}
	if final == nil { // inserted by another caller after this statement's snapshot
		err := s.pool.QueryRow(ctx, s.qOrder, res.Reference).Scan(&final, &status, &sequence, &digest)
		if errors.Is(err, pgx.ErrNoRows) { // and erased since
			return kyc.AppliedUnchanged, nil
		}
		if err != nil {
			return 0, wrap(ctx, op, err)
		}
	}
	old := kyc.Ordering{Final: *final, Status: kyc.Status(*status), Sequence: *sequence}
	copy(old.Digest[:], digest)
	if kyc.Decide(old, ord) == kyc.AppliedConflict {
		return kyc.AppliedConflict, nil
	}
	return kyc.AppliedUnchanged, nil
}

// Get implements kyc.ResultStore.
func (s *Store) Get(ctx context.Context, ref string) (*kyc.Result, error) {
	const op = "kycpg.Store.Get"
	if err := ctx.Err(); err != nil {
		return nil, wrap(ctx, op, err)
	}
	var body []byte
	if err := s.pool.QueryRow(ctx, s.qGet, ref).Scan(&body); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, kycError{op: op, kind: kindNotFound, field: kyc.FieldReference, msg: "no Result stored under this reference"}.err()
		}
		return nil, wrap(ctx, op, err)
	}
	res := new(kyc.Result)
	if err := json.Unmarshal(body, res); err != nil {
		return nil, &kyc.Error{Op: op, Kind: kyc.ErrBadResponse, Message: "the stored Result does not decode"}
	}
	return res, nil
}
