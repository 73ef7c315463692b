package kyc

import (
	"context"
	"time"
)

// Observer sees every call a vendor client makes and every attempt of it,
// for metrics and traces. It receives metadata only: the provider, the
// operation, the method and path template (never an id, a query, a header
// value or a body), the status, the duration, the retry decision and the
// outcome. The OpenTelemetry adapter (module github.com/kyc-go/kyc/otel)
// is one; set one with WithObserver.
//
// StartCall runs once per operation before its first attempt, and the
// function it returns when the call ends. StartAttempt does the same for
// each attempt inside the call's context. The contexts they return are
// used for what follows (a span's context), so an Observer may carry its
// own values. Implementations must be safe for concurrent use and should
// return quickly: they run on the request path.
type Observer interface {
	StartCall(ctx context.Context, call CallInfo) (context.Context, func(CallEnd))
	StartAttempt(ctx context.Context, attempt AttemptInfo) (context.Context, func(AttemptEnd))
}

// CallInfo describes one logical call: one operation, however many
// attempts it takes.
type CallInfo struct {
	Provider Provider
	// Operation is the operation as its vendor package declares it:
	// name ("atlas.VerifyPAN"), method, path template and class.
	Operation Operation
}

// CallEnd is how a call ended.
type CallEnd struct {
	// Attempts is how many attempts were sent or tried.
	Attempts int
	// StatusCode is the last HTTP status, 0 when no response arrived.
	StatusCode int
	// Duration is the whole call, waits between attempts included.
	Duration time.Duration
	// Err is the transport's error (a *Error), nil when the vendor
	// answered. A vendor error inside the answer is the vendor package's,
	// after the call.
	Err error
	// Kind is Err's kind, nil without an error.
	Kind error
	// Sent reports that at least one attempt may have reached the vendor.
	Sent bool
	// Charged reports that the call may have charged the account or
	// messaged a person: a billed or messaging operation that the vendor
	// may have processed (anything but "refused unprocessed").
	Charged bool
}

// AttemptInfo describes one attempt of a call.
type AttemptInfo struct {
	CallInfo
	// Attempt is 1 for the first attempt.
	Attempt int
	// SetHeader adds a header to this attempt's request, for trace
	// propagation. It refuses (returns false) a header the request already
	// has (the credentials are set before the Observer sees the attempt),
	// any credential-like name (auth, key, token, secret, signature,
	// session, cookie, password), every header a vendor's signer sets
	// (X-Incode-Hardware-Id, X-ACCESS-TOKEN, x-api-key, api-key, ...), also
	// on an attempt that lacks it, and the headers net/http manages (Host,
	// Content-Length, Transfer-Encoding, Connection, ...), so it can neither
	// read nor replace a credential. Vendors are third parties: propagate
	// only if you mean to.
	SetHeader func(name, value string) bool
}

// AttemptEnd is how an attempt ended, and what the resend policy decided.
type AttemptEnd struct {
	// StatusCode is the HTTP status, 0 when no response arrived.
	StatusCode int
	// Duration is from sending the request to reading the response body
	// (to the headers, for a streamed download).
	Duration time.Duration
	// Err is the attempt's transport error (a *Error), nil when the vendor
	// answered.
	Err error
	// Kind is Err's kind, nil without an error.
	Kind error
	// Sent reports that the attempt may have reached the vendor.
	Sent bool
	// Retry reports that another attempt follows, after Wait.
	Retry bool
	// Wait is the pause before the next attempt.
	Wait time.Duration
	// Reason says why the policy resends the call or stops, in the words
	// of the README's resend policy ("refused unprocessed: HTTP 503").
	Reason string
}

// SpanObserver is an Observer that also sees the steps above the vendor
// operations, so that one verification is one trace: a Router's Verify and
// Result, each vendor client's Verify and Result (the operations and their
// attempts beneath them), and a WebhookMux's stages (receive, then
// confirm and store). Give it with WithObserver to the vendor clients, the
// Router and the WebhookMux. The OpenTelemetry adapter implements it.
// Like Observer, it sees no id, no reference and no personal data.
type SpanObserver interface {
	Observer
	StartSpan(ctx context.Context, span SpanInfo) (context.Context, func(SpanEnd))
}

// SpanInfo names a span: Name is "kyc.Router.Verify", "kyc.Router.Result",
// "<provider>.Verify", "<provider>.Result", "kyc.WebhookMux.receive",
// "kyc.WebhookMux.confirm" or "kyc.WebhookMux.store".
type SpanInfo struct {
	Name     string
	Provider Provider
}

// SpanEnd is how a span ended.
type SpanEnd struct {
	// Err is the step's error, nil on success; Kind is its kind.
	Err  error
	Kind error
	// Provider is the vendor that answered a Router's Verify or Result.
	Provider Provider
	// Status is the Result's status, when there is one.
	Status Status
	// Tried is how many Verifiers a Router's Verify tried or skipped.
	Tried int
	// Authenticated and Confirmed describe a webhook's Event.
	Authenticated, Confirmed bool
	// Applied is what the store did, for a store step.
	Applied Applied
	// StatusCode is the HTTP status a WebhookMux answered.
	StatusCode int
}

// HealthObserver is an Observer that also sees the Router's circuits
// change state and the vendor clients' retry budgets drain, for a metric or
// an alert. The OpenTelemetry adapter
// implements it.
type HealthObserver interface {
	Observer
	CircuitChanged(p Provider, from, to CircuitState)
	// RetryBudgetLevel reports a vendor client's retry budget after a
	// resend drew from it (or could not): tokens left.
	RetryBudgetLevel(p Provider, tokens int)
}

// startSpan starts a span when o is a SpanObserver; end is never nil.
func startSpan(ctx context.Context, o Observer, name string, p Provider) (context.Context, func(SpanEnd)) {
	so, ok := o.(SpanObserver)
	if !ok || so == nil {
		return ctx, func(SpanEnd) {}
	}
	return so.StartSpan(ctx, SpanInfo{Name: name, Provider: p})
}

// StartSpan starts a span through the Observer of s when it is a
// SpanObserver, for a vendor client's Verify and Result; the function it
// returns ends it and is never nil. Vendor packages call it; a program
// has no need to.
func (s Settings) StartSpan(ctx context.Context, name string, p Provider) (context.Context, func(SpanEnd)) {
	return startSpan(ctx, s.Observer, name, p)
}

// EndOf describes how a step that returned res and err ended.
func EndOf(res *Result, err error) SpanEnd {
	e := SpanEnd{Err: err, Kind: KindOf(err)}
	if res != nil {
		e.Status, e.Provider = res.Status, res.Provider
	}
	return e
}
