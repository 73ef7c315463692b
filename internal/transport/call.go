package transport

// The call loop: one logical call, its attempts as the resend policy
// allows, and the signing of each attempt.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
)

// Do sends r and reads the whole response within the size cap. It returns a
// Response for any HTTP status the vendor answered with, retrying first when
// the policy allows; it returns a *kyc.Error when no usable answer came
// (connection failure, timeout, cancelled context, oversized body).
func (c *Client) Do(ctx context.Context, r *Request) (*Response, error) {
	return c.do(ctx, r, false)
}

// Stream is Do without reading the body: the caller reads it from
// Response.Reader and must call Response.Close. The size cap does not apply,
// and the per-attempt timeout bounds the wait for the response headers only:
// the download itself is bounded by the caller's context.
func (c *Client) Stream(ctx context.Context, r *Request) (*Response, error) {
	return c.do(ctx, r, true)
}

// Reader returns the body of a streamed response.
func (resp *Response) Reader() io.ReadCloser {
	if resp.stream == nil {
		return io.NopCloser(bytes.NewReader(resp.Body))
	}
	return resp.stream
}

// Close releases a streamed response.
func (resp *Response) Close() error {
	if resp.stream == nil {
		return nil
	}
	return resp.stream.Close()
}

func (c *Client) do(ctx context.Context, r *Request, stream bool) (*Response, error) {
	if r.Method == "" {
		r.Method = r.Operation.Method
	}
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	if strings.Contains(r.Operation.Path, "://") {
		return nil, c.errorf(r, kyc.ErrInvalidRequest, false, nil, "a request path must be relative to the base URL")
	}
	path, perr := fillPath(r.Operation.Path, r.Params)
	if perr != nil {
		return nil, c.errorf(r, kyc.ErrInvalidRequest, false, nil, perr.Error())
	}
	if lerr := r.Body.CheckLimits(); lerr != nil {
		return nil, c.limitError(r, lerr)
	}
	var call callState
	c.startCall(ctx, r, &call)
	resp, err := c.loop(call.ctx, r, path, stream, &call)
	call.end(resp, err)
	return resp, err
}

// loop sends the attempts of one call as the resend policy allows.
func (c *Client) loop(ctx context.Context, r *Request, path string, stream bool, call *callState) (*Response, error) {
	// The log path (safePath) is built only when a record is written.
	var target string
	if len(r.Params) == 0 && len(r.Query) == 0 {
		target = c.urls.get(path, c.buildURL) // a template without ids: cached
	} else {
		target = c.buildURL(path, r.Query)
	}
	pol := policy{op: r.Operation, replayable: r.Body.Replayable(), maxRetries: c.s.MaxRetries,
		minBackoff: c.s.MinBackoff, maxWait: c.s.MaxWait}
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, call.mark(c.ctxError(r, err, call.sent))
		}
		if err := c.waitTurn(ctx, r); err != nil {
			if call.sent {
				return nil, call.mark(c.ctxError(r, ctx.Err(), call.sent))
			}
			return nil, call.mark(err)
		}
		o, obsEnd, start := c.attempt(ctx, r, target, attempt, stream)
		call.attempts = attempt
		if serr, ok := o.err.(signError); ok { // sign returns it as it is, unwrapped
			obsEnd(o, decision{reason: ReasonAuthRefused}, start)
			return nil, call.mark(serr.err) // a signer failure ends the call: retrying cannot fix credentials
		}
		call.record(o)
		dec := pol.decide(ctx, attempt, o, c.s.Clock())
		if dec.retry {
			left, ok := c.budget.take(o)
			if !ok {
				dec = decision{reason: ReasonBudgetEmpty}
			}
			c.observeBudget(left)
		} else if dec.reason == ReasonSuccess {
			c.budget.refund()
		}
		obsEnd(o, dec, start)
		c.logRetry(ctx, r, attempt, dec)
		if !dec.retry {
			if o.err != nil {
				return nil, call.mark(o.err)
			}
			o.resp.Attempts = attempt
			o.resp.Unprocessed = !call.processed
			return o.resp, nil
		}
		if o.resp != nil {
			discard(o.resp)
		}
		if err := sleep(ctx, dec.wait); err != nil {
			return nil, call.mark(c.ctxError(r, err, call.sent))
		}
	}
}

// sign runs the client's and the request's signers on h. A failure is a
// signError, which ends the call.
func (c *Client) sign(ctx context.Context, r *Request, h http.Header) error {
	for _, sign := range [2]Signer{c.p.Sign, r.Sign} {
		if sign == nil {
			continue
		}
		if err := sign(ctx, h); err != nil {
			var kerr *kyc.Error
			if !errors.As(err, &kerr) {
				kerr = c.errorf(r, kyc.ErrUnauthorized, false, err, "signing the request failed")
			}
			return signError{kerr}
		}
	}
	return nil
}

// signError marks a Signer's failure, which ends the call without retry.
type signError struct{ err error }

func (e signError) Error() string { return e.err.Error() }
func (e signError) Unwrap() error { return e.err }

func discard(resp *Response) {
	if resp.stream != nil {
		_, _ = io.CopyN(io.Discard, resp.stream, 64<<10)
		_ = resp.stream.Close()
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
