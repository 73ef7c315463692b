package transport

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/time/rate"

	"github.com/kyc-go/kyc"
)

// budget is a client's retry budget, the AWS SDK's standard retryer: a
// bucket of tokens that each resend draws from (RetryCost, TimeoutCost
// after a timeout) and each success refills by one, up to Capacity. An
// outage drains it, so that a vendor that is down is not sent three times
// the traffic; an empty bucket ends the call with the last attempt's error.
type budget struct {
	mu     sync.Mutex
	tokens int
	cfg    kyc.RetryBudget
}

func newBudget(cfg kyc.RetryBudget) *budget {
	if cfg.Off {
		return nil
	}
	return &budget{tokens: cfg.Capacity, cfg: cfg}
}

// take draws the cost of resending after o; false when the bucket cannot
// pay it. A nil budget always pays.
func (b *budget) take(o outcome) (left int, ok bool) {
	if b == nil {
		return 0, true
	}
	cost := b.cfg.RetryCost
	if timedOut(o.err) {
		cost = b.cfg.TimeoutCost
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens < cost {
		return b.tokens, false
	}
	b.tokens -= cost
	return b.tokens, true
}

// refund puts a token back after a success.
func (b *budget) refund() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens < b.cfg.Capacity {
		b.tokens++
	}
}

// Tokens returns the budget's level (for tests and metrics); -1 when the
// client has no budget.
func (c *Client) BudgetTokens() int {
	if c.budget == nil {
		return -1
	}
	c.budget.mu.Lock()
	defer c.budget.mu.Unlock()
	return c.budget.tokens
}

// timedOut reports an attempt that ended in a timeout (the attempt's own,
// or the transport's ErrTimeout).
func timedOut(err error) bool {
	return err != nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, kyc.ErrTimeout) || isTimeout(err))
}

// newLimiter is the client's rate limit, nil when off.
func newLimiter(perSecond float64, burst int) *rate.Limiter {
	if perSecond <= 0 {
		return nil
	}
	return rate.NewLimiter(rate.Limit(perSecond), max(burst, 1))
}

// waitTurn waits for the rate limiter within ctx. A call the limiter
// refuses (the context would end before its turn) fails NotSent with
// ErrRateLimited: nothing reached the vendor.
func (c *Client) waitTurn(ctx context.Context, r *Request) error {
	if c.limiter == nil {
		return nil
	}
	if err := c.limiter.Wait(ctx); err != nil {
		return &kyc.Error{Provider: c.p.Provider, Op: r.op(), Kind: kyc.ErrRateLimited, NotSent: true, Unprocessed: true,
			Message: "the client's rate limit (kyc.WithRateLimit) leaves no turn before the context ends: nothing was sent", Err: err}
	}
	return nil
}

// observeBudget reports the budget's level to a HealthObserver.
func (c *Client) observeBudget(left int) {
	if h, ok := c.s.Observer.(kyc.HealthObserver); ok {
		h.RetryBudgetLevel(c.p.Provider, left)
	}
}
