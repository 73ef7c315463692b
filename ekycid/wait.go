package ekycid

import (
	"context"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/poll"
	"github.com/kyc-go/kyc/internal/transport"
)

// Reply reads the reply to a submission. A reply that is not ready has
// neither Result nor Error (Done is false). When the vendor reports an error
// in the reply, Reply returns the reply and a *kyc.Error of the matching
// kind with the vendor's code. id is checked before anything is sent: 1 to
// MaxIDLength letters, digits, '-' and '_'.
//
//	GET /v0/api-request-reply/{id} (free) — https://github.com/EKYCSolutions/node-sdk (packages/client/src/node.ts)
func (c *Client) Reply(ctx context.Context, id string) (*ReplyResult, error) {
	if err := idForm(id); err != nil {
		return nil, c.tc.Invalid(opReply.Name, "id", "not an EKYC request id: "+err.Error())
	}
	r := new(ReplyResult)
	resp, err := c.send(ctx, opReply, []string{id}, transport.Body{}, r)
	if err != nil {
		return nil, err
	}
	r.ID = id
	if r.Error != nil {
		// An operation that ran and failed without a recognised kind most
		// likely refused its input (an unreadable card, no face).
		kind := codeKind(r.Error.Code, r.Error.Message)
		if kind == nil {
			kind = kyc.ErrInvalidRequest
		}
		return r, c.apiError(opReply.Name, resp, kind, r.Error.Code, r.Error.Message)
	}
	return r, nil
}

// Wait reads the reply to a submission until it is done, waiting longer
// between reads (Config.PollInterval, doubling to MaxPollInterval), for at
// most Config.PollTimeout (DefaultPollTimeout, 64 s) whatever ctx allows. It
// returns as Reply does once the reply is done. Transient failures of a read
// (a 5xx, a dropped connection) do not end the wait; any other failure does.
//
// If ctx ends or PollTimeout passes first, Wait returns the last reply read
// (nil if none) with an ErrTimeout *kyc.Error (matching the context's error
// when ctx ended), or the last read's error when that read failed. Errors
// name the operation "ekycid.Reply".
//
//	GET /v0/api-request-reply/{id} (free), repeated — https://github.com/EKYCSolutions/node-sdk (packages/client/src/node.ts)
func (c *Client) Wait(ctx context.Context, id string) (*ReplyResult, error) {
	r, _, err := c.wait(ctx, id)
	return r, err
}

// wait is Wait; ended reports that ctx or the poll timeout ended the wait
// before the reply was done.
func (c *Client) wait(ctx context.Context, id string) (last *ReplyResult, ended bool, err error) {
	bctx, cancel := context.WithTimeout(ctx, c.cfg.PollTimeout)
	defer cancel()
	var lastErr error
	reads := 0
	perr := poll.Until(bctx, c.poll, func(pctx context.Context) (bool, error) {
		r, err := c.Reply(pctx, id)
		if r != nil { // a reply, done or not, or done with an error
			reads++
			last, lastErr = r, err
			return r.Done(), nil
		}
		if pctx.Err() != nil {
			return false, pctx.Err() // the wait ended during the read
		}
		reads++
		lastErr = err
		if kyc.IsRetryable(err) {
			return false, nil
		}
		return false, err
	})
	switch {
	case perr == nil:
		return last, false, lastErr // done; lastErr is the reply's error
	case bctx.Err() == nil:
		return last, false, perr // a read failed for good
	case lastErr != nil:
		return last, true, lastErr // the last read failed transiently
	case ctx.Err() != nil:
		return last, true, c.tc.ContextError(opReply.Name, ctx.Err(), reads > 0)
	}
	return last, true, &kyc.Error{Provider: kyc.EKYC, Op: opReply.Name, Kind: kyc.ErrTimeout,
		Message: "the reply was not ready within Config.PollTimeout"}
}
