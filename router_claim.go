package kyc

import (
	"context"
	"errors"
	"time"

	"github.com/kyc-go/kyc/internal/ctxwait"
)

// DefaultIdempotencyWindow is how long a Router's store remembers a
// Request.ID, unless WithIdempotencyWindow says otherwise.
const DefaultIdempotencyWindow = 24 * time.Hour

// WithIdempotencyWindow sets how long a Router with a ResultStore
// remembers each Request.ID it claimed (default DefaultIdempotencyWindow):
// within it, a second Verify with the same ID sends nothing (see Router).
// Past it, the ID may start a new verification.
func WithIdempotencyWindow(d time.Duration) Option {
	return routerOption("WithIdempotencyWindow", func(c *routerConfig) { c.window = d })
}

// claimPoll bounds the wait between two reads of a claim held by another
// Verify.
const (
	claimPollMin = 10 * time.Millisecond
	claimPollMax = 250 * time.Millisecond
)

// verifyOnce is Verify under an idempotency claim of req.ID: the first
// call claims the ID and sends; the others, in any replica, wait for it and
// answer from its claim. See Router.
func (r *Router) verifyOnce(ctx context.Context, req Request, pl routePlan) (*Result, []Attempt, error) {
	fp := RequestFingerprint(req)
	res, won, err := r.claim(ctx, req.ID, fp)
	if !won {
		return res, nil, err
	}
	settled := false
	defer func() {
		if !settled { // a Verifier panicked: it may have sent
			r.settle(ctx, Claim{ID: req.ID, State: ClaimUnknown})
		}
	}()
	res, attempts, err := r.send(ctx, req, pl)
	c := Claim{ID: req.ID}
	switch {
	case err == nil && res.Reference != "":
		c.State, c.Reference = ClaimDone, res.Reference
	case err == nil:
		c.State = ClaimUnknown // a Result without a Reference cannot be read back
	case sentAny(attempts):
		c.State = ClaimUnknown
		var e *Error
		if errors.As(err, &e) {
			c.Reference = e.Reference
		}
	default:
		c.State = ClaimReleased
	}
	settled = true
	r.settle(ctx, c)
	return res, attempts, err
}

// sentAny reports whether an attempt may have charged the account or
// messaged the person.
func sentAny(attempts []Attempt) bool {
	for _, a := range attempts {
		if a.Err != nil && a.MayHaveCharged {
			return true
		}
	}
	return false
}

// settle records the claim's outcome, past the caller's deadline (the
// verification may be billed), and gives up quietly: a claim left running
// makes later calls with the ID wait and then report it, never send.
func (r *Router) settle(ctx context.Context, c Claim) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storePutTimeout)
	defer cancel()
	_ = ctxwait.Err(ctx, func(ctx context.Context) error { return r.store.Settle(ctx, c) })
}

// claim claims id for a Request with fingerprint fp. It returns won when
// this call holds the claim and must send; otherwise the answer of the
// Verify that holds it: its Result, or an error.
func (r *Router) claim(ctx context.Context, id, fp string) (*Result, bool, error) {
	const op = "kyc.Router.Verify"
	want := Claim{ID: id, Fingerprint: fp, State: ClaimRunning, Expires: r.now().Add(r.window)}
	wait := claimPollMin
	for {
		held, err := ctxwait.Do(ctx, func(ctx context.Context) (claimAnswer, error) {
			h, w, err := r.store.Claim(ctx, want)
			return claimAnswer{h, w}, err
		})
		if err != nil {
			err = storeErr(op, ctx, err)
			return nil, false, &Error{Op: op, Kind: KindOf(err), Field: FieldID, NotSent: true, Unprocessed: true,
				Message: "the idempotency claim of Request.ID failed: nothing was sent", Err: err}
		}
		if held.won {
			return nil, true, nil
		}
		c := held.c
		if c.Fingerprint != fp {
			return nil, false, &Error{Op: op, Kind: ErrInvalidRequest, Field: FieldID, NotSent: true, Unprocessed: true,
				Message: "a different Request was already sent under this ID: use a new ID for a new verification"}
		}
		switch c.State {
		case ClaimDone:
			res, err := r.Result(ctx, c.Reference)
			if err != nil {
				return nil, false, err
			}
			return res, false, nil
		case ClaimUnknown:
			return nil, false, &Error{Op: op, Kind: ErrInvalidRequest, Field: FieldID, NotSent: true, Unprocessed: true,
				Reference: c.Reference,
				Message:   "an earlier Verify with this ID failed after it may have charged or messaged: nothing was sent again; reconcile it (by Reference when set) before starting over with a new ID"}
		}
		// Running in this or another replica: wait for it.
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, false, &Error{Op: op, Kind: ErrTimeout, Field: FieldID, NotSent: true, Unprocessed: true, Err: ctx.Err(),
				Message: "a Verify with this ID is still running, in this or another replica: nothing was sent again; call again with the same ID for its answer"}
		case <-t.C:
		}
		wait = min(2*wait, claimPollMax)
	}
}

type claimAnswer struct {
	c   Claim
	won bool
}
