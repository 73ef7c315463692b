package transport

import (
	"context"

	"github.com/kyc-go/kyc"
)

// Span starts the span of a vendor client's Verify or Result ("atlas.Verify")
// when the client's Observer is a kyc.SpanObserver; the function it returns
// ends it with the call's answer, and is never nil.
func (c *Client) Span(ctx context.Context, name string) (context.Context, func(*kyc.Result, error)) {
	ctx, end := c.s.StartSpan(ctx, name, c.p.Provider)
	return ctx, func(res *kyc.Result, err error) { end(kyc.EndOf(res, err)) }
}
