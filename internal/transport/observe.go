package transport

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
)

// callState follows one call across its attempts: what reached the vendor,
// and the observation of the whole call. It lives on do's stack: without
// an Observer, following a call allocates nothing.
type callState struct {
	ctx       context.Context
	r         *Request
	start     time.Time
	attempts  int
	sent      bool // an attempt may have reached the vendor
	processed bool // an attempt may have been processed (not refused unprocessed)
	done      func(kyc.CallEnd)
}

// startCall starts following a call, and the Observer's record of it.
func (c *Client) startCall(ctx context.Context, r *Request, cs *callState) {
	*cs = callState{ctx: ctx, r: r}
	obs := c.s.Observer
	if obs == nil {
		return
	}
	cs.start = time.Now()
	cs.ctx, cs.done = obs.StartCall(ctx, kyc.CallInfo{Provider: c.p.Provider, Operation: r.Operation})
}

// end ends the Observer's record of the call.
func (cs *callState) end(resp *Response, err error) {
	if cs.done == nil {
		return
	}
	e := kyc.CallEnd{Attempts: cs.attempts, Duration: time.Since(cs.start), Err: err, Kind: kyc.KindOf(err), Sent: cs.sent,
		Charged: cs.r.Operation.Class != kyc.ClassFree && cs.processed}
	if resp != nil {
		e.StatusCode = resp.StatusCode
	} else {
		var kerr *kyc.Error
		if errors.As(err, &kerr) {
			e.StatusCode = kerr.StatusCode
		}
	}
	cs.done(e)
}

// record notes what one attempt's outcome says about delivery.
func (cs *callState) record(o outcome) {
	cs.sent = cs.sent || o.wrote || o.resp != nil
	cs.processed = cs.processed || !o.unprocessed()
}

// mark sets the delivery fields of the call's final error from every
// attempt, not only the last one.
func (cs *callState) mark(err error) error {
	var kerr *kyc.Error
	if errors.As(err, &kerr) {
		kerr.NotSent = !cs.sent
		kerr.Unprocessed = !cs.processed
	}
	return err
}

// startAttempt starts the Observer's record of one attempt; the function
// it returns ends it with the attempt's outcome and the policy's decision.
func (c *Client) startAttempt(ctx context.Context, r *Request, n int, h http.Header) (context.Context, func(outcome, decision, time.Time)) {
	obs := c.s.Observer
	if obs == nil {
		return ctx, func(outcome, decision, time.Time) {}
	}
	info := kyc.AttemptInfo{
		CallInfo: kyc.CallInfo{Provider: c.p.Provider, Operation: r.Operation},
		Attempt:  n,
		SetHeader: func(name, value string) bool {
			if name == "" || len(h.Values(name)) > 0 || !validHeader(name, value) || reservedHeader(name) || c.credHeaders[strings.ToLower(name)] {
				return false
			}
			h.Set(name, value)
			return true
		},
	}
	actx, done := obs.StartAttempt(ctx, info)
	return actx, func(o outcome, d decision, start time.Time) {
		if done == nil {
			return
		}
		e := kyc.AttemptEnd{Duration: time.Since(start), Err: o.err, Kind: kyc.KindOf(o.err), Sent: o.wrote || o.resp != nil,
			Retry: d.retry, Wait: d.wait, Reason: d.reason.String()}
		if o.resp != nil {
			e.StatusCode = o.resp.StatusCode
		} else {
			var kerr *kyc.Error
			if errors.As(o.err, &kerr) {
				e.StatusCode = kerr.StatusCode
			}
		}
		done(e)
	}
}

// reservedHeader reports a header an Observer may not add even when the
// request lacks it: credentials (the credential headers of every vendor,
// and any name with auth, key, token, secret, signature, session,
// cookie, password or hardware-id in it), and the headers net/http
// derives itself (framing, connection, host). A vendor names its own
// further in Params.CredentialHeaders.
func reservedHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "host", "content-length", "transfer-encoding", "connection", "keep-alive", "te", "trailer", "upgrade",
		"proxy-connection", "content-type", "user-agent", "accept", "idempotency-key", "x-idempotency-key",
		"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-access-token", "x-incode-hardware-id":
		return true
	}
	for _, w := range [...]string{"auth", "key", "token", "secret", "signature", "session", "cookie", "password", "hardware-id"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// validHeader refuses header names and values net/http would refuse, and
// anything with a control character.
func validHeader(name, value string) bool {
	for i := 0; i < len(name); i++ {
		ch := name[i]
		if ch <= ' ' || ch >= 0x7f || ch == ':' {
			return false
		}
	}
	for i := 0; i < len(value); i++ {
		if ch := value[i]; ch < ' ' || ch == 0x7f {
			return false
		}
	}
	return true
}
