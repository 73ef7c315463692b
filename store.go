package kyc

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"time"

	"github.com/kyc-go/kyc/internal/ctxwait"
)

// ResultStore keeps Results by Reference, so that a Router can answer
// Result for providers without a read-back (Atlas, Verificar), and so that
// every replica of a service sees the Results that any of them received,
// from Verify or from a webhook. It also holds the Router's idempotency
// claims (see Claim). Back it with the service's database for several
// replicas (module github.com/kyc-go/kyc/kycpg is one, on PostgreSQL);
// NewMemoryStore serves one process.
//
// Implementations must be safe for concurrent use, and must pass
// kyctest.StoreConformance:
//
//   - Apply stores a copy of res under res.Reference by the ordering rule
//     (see Decide), in one atomic step, and reports what it did. Two
//     replicas applying Results for one Reference at once end where the
//     rule says, whatever the interleaving: never a Get then a Put. A Result
//     without a Reference is refused with an ErrInvalidRequest *Error.
//     Later changes to res do not reach the store.
//   - Get returns a copy of the Result stored under ref, every field as it
//     was applied (the JSON encoding of Result is complete, and a store may
//     keep that), or an error matching ErrNotFound when there is none.
//   - Claim and Settle keep the idempotency claims of Request IDs (see
//     Claim): Claim is an atomic insert-if-absent.
//   - Keys (references, IDs) are compared byte for byte, case-sensitively:
//     "atlas:Ab" and "atlas:AB" are two verifications. (A case-insensitive
//     SQL collation breaks this.)
//   - Every method returns promptly with an error matching the context's
//     when ctx ends. The SDK does not rely on it: it stops waiting for a
//     store when the context ends, whatever the store does.
//
// The SDK validates every reference and ID before a store sees it (see
// ParseReference and Request.Validate).
//
// A Result is personal data (see Result): a store is a place where
// personal data is kept, with the retention and access rules that go with
// it.
type ResultStore interface {
	Apply(ctx context.Context, res *Result) (Applied, error)
	Get(ctx context.Context, ref string) (*Result, error)
	Claim(ctx context.Context, c Claim) (held Claim, won bool, err error)
	Settle(ctx context.Context, c Claim) error
}

// Applied is what ResultStore.Apply did with a Result.
type Applied int

const (
	// AppliedStored: the Result is now the stored one (there was none, or
	// it moves the verification forward by the ordering rule).
	AppliedStored Applied = iota + 1
	// AppliedUnchanged: the stored Result stays, and the incoming one
	// brought nothing the rule takes: an identical re-delivery, a progress
	// event after a final verdict, an older event, or the same final status
	// again.
	AppliedUnchanged
	// AppliedConflict: a final Result with a different status arrived for a
	// reference that already holds a final one, and the vendor gives no
	// order that makes it newer. The first verdict stays; the conflict is
	// reported (to the Router's and the WebhookMux's caller and Observer)
	// so a person can look at it.
	AppliedConflict
)

// String names the outcome: "stored", "unchanged", "conflict".
func (a Applied) String() string {
	switch a {
	case AppliedStored:
		return "stored"
	case AppliedUnchanged:
		return "unchanged"
	case AppliedConflict:
		return "conflict"
	}
	return "unknown"
}

// Ordering is what the ordering rule reads from a Result. A database store
// keeps it in columns beside the Result, so that the rule runs inside one
// statement (see Decide).
type Ordering struct {
	// Final is Status.Final().
	Final bool
	// Status is the Result's status.
	Status Status
	// Sequence is Result.Sequence: the vendor's own order, 0 for none.
	Sequence int64
	// Digest is a SHA-256 of the Result's JSON with Source left out: two
	// deliveries of the same Result have the same Digest.
	Digest [32]byte
}

// OrderingOf returns what the ordering rule reads from r.
func OrderingOf(r *Result) Ordering {
	c := *r
	c.Source = ""
	b, err := json.Marshal(&c)
	if err != nil { // a Result always encodes; keep distinct anyway
		b = []byte(time.Now().String())
	}
	return Ordering{Final: r.Status.Final(), Status: r.Status, Sequence: r.Sequence, Digest: sha256.Sum256(b)}
}

// Decide is the ordering rule: what a store does when a Result with
// ordering in arrives for a reference that holds one with ordering stored.
// A stored Result only moves forward:
//
//  1. an identical Result (same Digest) changes nothing;
//  2. a Result that is not final never replaces a final one;
//  3. a final Result replaces one that is not;
//  4. between two Results that are not final, the one with the greater or
//     equal Sequence is kept (the later progress event);
//  5. between two final Results, the incoming one replaces the stored one
//     only when its Sequence is greater (newer by the vendor's own order:
//     Verificar's UltimaActualizacion, Incode's manual review after the
//     automatic verdict); an older one changes nothing; with the same
//     Sequence (0 where the vendor gives no order) the first stays, and a
//     different status is reported as AppliedConflict.
//
// A database store expresses the same rule in its upsert's WHERE clause
// (module kycpg shows how); kyctest.StoreConformance checks that a store
// agrees with Decide.
func Decide(stored, in Ordering) Applied {
	switch {
	case stored.Digest == in.Digest:
		return AppliedUnchanged
	case stored.Final && !in.Final:
		return AppliedUnchanged
	case !stored.Final && in.Final:
		return AppliedStored
	case !stored.Final:
		if in.Sequence >= stored.Sequence {
			return AppliedStored
		}
		return AppliedUnchanged
	case in.Sequence > stored.Sequence:
		return AppliedStored
	case in.Sequence < stored.Sequence, in.Status == stored.Status:
		return AppliedUnchanged
	}
	return AppliedConflict
}

// WithResultStore returns the option that gives a Router or a WebhookMux a
// ResultStore:
//
//	store := kyc.NewMemoryStore(0) // or kycpg, on the service's database
//	router, err := kyc.NewRouter(kyc.DefaultRoute(v), kyc.WithResultStore(store))
//	mux, err := kyc.NewWebhookMux(handle, kyc.ConfirmEvents(), kyc.WithResultStore(store))
//
// The Router claims each Request.ID before it sends anything (idempotent
// Verify), applies each Result its Verify returns, and reads the store where
// the vendor has no read-back (see Router); the WebhookMux applies each
// authenticated or confirmed Event's Result (see WebhookMux). A nil store
// makes NewRouter and NewWebhookMux fail.
func WithResultStore(s ResultStore) Option {
	return option{name: "WithResultStore", to: forRouter | forWebhook, fn: func(c *config) error {
		c.router.store, c.router.storeSet = s, true
		c.webhook.store, c.webhook.storeSet = s, true
		return nil
	}}
}

// ApplyInfo is what an ObserveApply function sees after the Router or the
// WebhookMux applied a Result to its store.
type ApplyInfo struct {
	// Provider, Status, Source and Sequence are the incoming Result's.
	Provider Provider
	Status   Status
	Source   Source
	Sequence int64
	// Applied is what the store did.
	Applied Applied
	// Reference is the verification's reference, so that a conflict can be
	// looked at. Keep it out of metric labels and span names.
	Reference string
}

// ObserveApply returns the option that has a Router or a WebhookMux call fn
// after each Result it applied to its ResultStore, so that conflicts
// between final verdicts (AppliedConflict) reach a metric, a log or a
// person. fn runs on the request path: it should return quickly.
func ObserveApply(fn func(context.Context, ApplyInfo)) Option {
	return option{name: "ObserveApply", to: forRouter | forWebhook, fn: func(c *config) error {
		c.router.onApply, c.webhook.onApply = fn, fn
		return nil
	}}
}

func observeApply(ctx context.Context, fn func(context.Context, ApplyInfo), res *Result, a Applied) {
	if fn == nil || res == nil {
		return
	}
	fn(ctx, ApplyInfo{Provider: res.Provider, Status: res.Status, Source: res.Source, Sequence: res.Sequence,
		Applied: a, Reference: res.Reference})
}

// storeErr wraps a store's failure, or its context ending first, in an
// ErrUnavailable or ErrTimeout *Error.
func storeErr(op string, ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	if ctx.Err() != nil && err == ctx.Err() {
		return &Error{Op: op, Kind: ErrTimeout, Message: "the ResultStore did not answer before the context ended", Err: err}
	}
	return &Error{Op: op, Kind: ErrUnavailable, Message: "the ResultStore failed", Err: err}
}

// applyBounded applies res to s, waiting no longer than ctx.
func applyBounded(ctx context.Context, op string, s ResultStore, res *Result) (Applied, error) {
	a, err := ctxwait.Do(ctx, func(ctx context.Context) (Applied, error) { return s.Apply(ctx, res) })
	return a, storeErr(op, ctx, err)
}

// getBounded reads ref from s, waiting no longer than ctx.
func getBounded(ctx context.Context, op string, s ResultStore, ref string) (*Result, error) {
	r, err := ctxwait.Do(ctx, func(ctx context.Context) (*Result, error) { return s.Get(ctx, ref) })
	if err != nil && errors.Is(err, ErrNotFound) {
		return nil, err
	}
	return r, storeErr(op, ctx, err)
}
