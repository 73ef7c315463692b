package kyc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/kyc-go/kyc/internal/shape"
)

// RouterProvider is what a Router's Provider method returns.
const RouterProvider Provider = "router"

// Route sends the Requests of one country, or of every country without a
// route of its own (Country ""), to an ordered list of Verifiers: the first
// that accepts the Request is tried first.
type Route struct {
	// Country is an ISO 3166-1 alpha-3 code; "" makes this the default route.
	Country   string
	Verifiers []Verifier
}

// CountryRoute returns the Route for one country.
func CountryRoute(country string, vs ...Verifier) Route {
	return Route{Country: country, Verifiers: vs}
}

// DefaultRoute returns the Route for countries without a route of their own.
func DefaultRoute(vs ...Verifier) Route { return Route{Verifiers: vs} }

// Router is a Verifier that routes each Request by its Country to an ordered
// list of Verifiers, with fallback. It is safe for concurrent use.
//
// # Fallback
//
// Verify skips a Verifier whose Capabilities refuse the Request (a Request
// without a phone skips Verificar, one without a return URL skips
// ADVANCE.AI) or that is disabled. After a call fails, it tries the next
// Verifier only when all of these hold:
//
//   - the error's kind is ErrUnavailable, ErrRateLimited or ErrTimeout;
//   - the context has time left;
//   - the failed call cannot have charged the account or messaged the
//     person. The error itself (not an error it wraps) must be a *Error that
//     says so: NotSent (no attempt was written), or Unprocessed (every
//     attempt was refused unprocessed: never written, or answered 429 or
//     503), with no Reference of a billable start. For a messaging flow
//     (FlowSMSLink) only NotSent will do: a written SMS send may have texted
//     the person whatever the answer was.
//
// Any other error is taken to have been sent: a foreign error type, a
// *Error wrapped in another error, a *Error whose NotSent and Unprocessed
// are left false (an Error built by hand). After such a failure the Router
// stops, returns a *RouteError, and marks the Attempt MayHaveCharged, so
// that two vendors never bill for one person and a person is never texted
// twice. AllowFallbackAfterCharge accepts fallback after a possible charge;
// nothing accepts it after a possible message.
//
// It never falls through on a rejection (that is a Result), nor on
// ErrInvalidRequest, ErrUnauthorized or any other kind.
//
// # Vendor health
//
// The Router keeps a circuit per vendor (on by default; WithCircuit,
// WithoutCircuit). It opens after DefaultCircuitFailures unprocessed
// failures in a row: NotSent, or Unprocessed (429, 503, a refused
// connection, a failed TLS handshake), without a Reference. Business
// answers (a rejection, a refused input, bad credentials) count as the
// vendor being up; ambiguous failures (a timeout or a 500 after the request
// was written) count for nothing. While open, the vendor is skipped as a
// NotSent failure, so falling back to the next Verifier stays within the
// fallback rule above; after DefaultCircuitCoolDown a probe goes through,
// and its success closes the circuit. Circuit reports the state.
//
// # Runtime controls
//
// Disable and Enable turn a provider off and on everywhere, DisableIn and
// EnableIn on one route; SetWeights splits a route's first choice by
// weight on a stable hash of Request.ID. All are safe while traffic flows.
//
// # Idempotency
//
// With a ResultStore, Verify claims Request.ID before anything is sent:
// a second Verify with the same ID, in any replica, gets the first one's
// Result (or waits for it within its context) and sends nothing; a
// different Request under the same ID is refused. See WithIdempotencyWindow
// and Claim.
//
// # Results and the store
//
// Result reads a reference back with the Verifier of its provider. With
// WithResultStore, Verify puts each Result it returns into the store, and
// Result answers from the store when the vendor cannot: its Result returns
// ErrUnsupported (no read-back: Atlas, Verificar) or ErrNotFound. The
// Result's Source says which one answered. A vendor's transient failure
// (ErrUnavailable, ErrTimeout…) is returned as it is, not masked by an
// older stored answer.
//
// Several replicas share the store, not memory. A typical deployment: every
// replica builds the same Router and the same WebhookMux over one
// ResultStore backed by the service's database. Replica A runs Verify for
// Verificar, which texts the person and puts a pending Result. The
// vendor's webhook lands on replica B, whose WebhookMux authenticates or
// confirms it and puts the final Result. The person's next request lands on
// replica A, whose Router.Result finds no read-back at Verificar and
// answers from the store: the final Result, with Source SourceStore.
// NewMemoryStore is for one process and for tests; it does not serve
// replicas.
type Router struct {
	routes   map[string][]Verifier
	fallback []Verifier
	byName   map[Provider]Verifier

	allowAfterCharge bool
	store            ResultStore
	window           time.Duration
	now              func() time.Time
	onApply          func(context.Context, ApplyInfo)
	circuits         map[Provider]*gobreaker.TwoStepCircuitBreaker[struct{}]
	observer         Observer

	mu         sync.RWMutex
	disabled   map[Provider]bool
	disabledIn map[routeKey]map[Provider]bool
	weights    map[routeKey]map[Provider]uint32
}

var _ Verifier = (*Router)(nil)

// String describes the Router without its Verifiers' state: "kyc.Router".
func (r *Router) String() string { return "kyc.Router" }

// GoString is String, for %#v.
func (r *Router) GoString() string { return r.String() }

// Format prints String under every fmt verb, so that fmt never walks the
// Verifiers the Router holds (their cached tokens and credentials).
func (r *Router) Format(f fmt.State, verb rune) { shape.Text(f, verb, r.String, r.GoString) }

// Provider returns RouterProvider. Each Result names the provider that
// produced it.
func (r *Router) Provider() Provider { return RouterProvider }

// Capabilities returns the union of what the routes cover: Countries lists
// the routed countries, empty when there is a default route (any country).
// Flow and requirements vary by route, so they are left empty; the Router
// checks each Verifier's own Capabilities.
func (r *Router) Capabilities() Capabilities {
	if r.fallback != nil {
		return Capabilities{}
	}
	c := Capabilities{}
	for country := range r.routes {
		c.Countries = append(c.Countries, country)
	}
	return c
}

// Disable turns provider p off: Verify skips it as if it were unavailable.
// Result still reads its references. It is the kill switch for a vendor
// having an incident.
func (r *Router) Disable(p Provider) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.disabled[p] = true
}

// Enable turns provider p back on.
func (r *Router) Enable(p Provider) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.disabled, p)
}

// Enabled reports whether p is on.
func (r *Router) Enabled(p Provider) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return !r.disabled[p]
}

// Verify implements Verifier; see Router for the routing and fallback rules.
func (r *Router) Verify(ctx context.Context, req Request) (*Result, error) {
	res, _, err := r.VerifyWithAttempts(ctx, req)
	return res, err
}

// VerifyWithAttempts is Verify that also returns every attempt, including
// those before a successful fallback.
func (r *Router) VerifyWithAttempts(ctx context.Context, req Request) (res *Result, attempts []Attempt, err error) {
	const op = "kyc.Router.Verify"
	ctx, end := startSpan(ctx, r.observer, op, RouterProvider)
	defer func() {
		e := EndOf(res, err)
		e.Tried = len(attempts)
		end(e)
	}()
	if err := req.Validate(); err != nil {
		return nil, nil, err
	}
	key := req.Country
	vs, ok := r.routes[key]
	if !ok {
		key, vs = "", r.fallback
	}
	if len(vs) == 0 {
		return nil, nil, &Error{Op: op, Kind: ErrUnsupported, Field: FieldCountry, Message: "no route for this country and no default route", NotSent: true, Unprocessed: true}
	}
	ctx = withValidated(ctx, req)
	pl := routePlan{key: key, vs: vs}
	if r.store == nil || req.ID == "" {
		return r.send(ctx, req, pl)
	}
	return r.verifyOnce(ctx, req, pl)
}

// routePlan is the route a Request takes: its key (country, "" for the
// default route) and its Verifiers in the route's order.
type routePlan struct {
	key routeKey
	vs  []Verifier
}

// send tries the Verifiers of a route in order, by the fallback rule.
func (r *Router) send(ctx context.Context, req Request, pl routePlan) (*Result, []Attempt, error) {
	const op = "kyc.Router.Verify"
	vs, off := r.plan(pl.key, pl.vs, req.ID)
	var attempts []Attempt
	var decisive, firstRefusal error
	for _, v := range vs {
		p := v.Provider()
		if !r.Enabled(p) || off[p] {
			attempts = append(attempts, Attempt{Provider: p, Skipped: "disabled"})
			continue
		}
		caps := v.Capabilities()
		if err := caps.Lacks(req); err != nil {
			if firstRefusal == nil {
				firstRefusal = err
			}
			attempts = append(attempts, Attempt{Provider: p, Skipped: err.Error()})
			continue
		}
		done, ok := r.allow(p)
		if !ok {
			attempts = append(attempts, Attempt{Provider: p, Skipped: "circuit open"})
			decisive = &Error{Op: op, Provider: p, Kind: ErrUnavailable, NotSent: true, Unprocessed: true,
				Message: "the circuit of this provider is open after unprocessed failures: skipped"}
			continue
		}
		start := time.Now()
		res, err := v.Verify(ctx, req)
		done(ctx, err)
		if err == nil && res == nil {
			err = &Error{Provider: p, Op: op, Kind: ErrBadResponse, Message: "the Verifier returned neither a Result nor an error"}
		}
		at := Attempt{Provider: p, Err: err, Elapsed: time.Since(start)}
		if err == nil {
			if res.Provider == "" {
				res.Provider = p
			}
			if res.Source == "" {
				res.Source = SourceProvider
			}
			at.Applied, at.StoreErr = r.apply(ctx, res)
			return res, append(attempts, at), nil
		}
		messaging := caps.Flow == FlowSMSLink
		at.MayHaveCharged, at.messaging = mayHaveCharged(err, messaging), messaging
		attempts = append(attempts, at)
		decisive = err
		if !r.canFallBack(ctx, err, at.MayHaveCharged, messaging) {
			break
		}
	}
	if decisive == nil {
		decisive = firstRefusal
	}
	if decisive == nil {
		decisive = &Error{Op: op, Kind: ErrUnavailable, Message: "every provider on this route is disabled", NotSent: true, Unprocessed: true}
	}
	return nil, attempts, &RouteError{Country: req.Country, Attempts: attempts, Err: decisive}
}

// mayHaveCharged is the Router's reading of a failed call: only err
// itself, a *Error, can say that nothing was processed. For a messaging
// flow only NotSent says so; for any flow, a Reference means something
// billable was started before the failure.
func mayHaveCharged(err error, messaging bool) bool {
	e, ok := err.(*Error)
	if !ok || e == nil {
		return true
	}
	if e.Reference != "" {
		return true
	}
	if messaging {
		return !e.NotSent
	}
	return !(e.NotSent || e.Unprocessed)
}

// canFallBack is the fallback rule: a transient kind, a context with time
// left, and nothing the account may pay for (unless the Router accepts
// that) or the person may have received.
func (r *Router) canFallBack(ctx context.Context, err error, charged, messaging bool) bool {
	if ctx.Err() != nil {
		return false
	}
	switch KindOf(err) {
	case ErrUnavailable, ErrRateLimited, ErrTimeout:
	default:
		return false
	}
	if !charged {
		return true
	}
	return r.allowAfterCharge && !messaging
}

// storePutTimeout bounds the store's work after a successful Verify, whose
// own context may be about to end: the verification is done and billed, so
// its Result (and its claim) is worth saving past the caller's deadline.
const storePutTimeout = 10 * time.Second

// apply applies res to the store when the Router has a store and res a
// Reference, by the ordering rule: a pending Result never replaces the
// final verdict a webhook stored while the send was in flight.
func (r *Router) apply(ctx context.Context, res *Result) (Applied, error) {
	if r.store == nil || res == nil || res.Reference == "" {
		return 0, nil
	}
	if _, err := ParseReference(res.Reference); err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storePutTimeout)
	defer cancel()
	a, err := applyBounded(ctx, "kyc.Router.Verify", r.store, res)
	if err == nil {
		observeApply(ctx, r.onApply, res, a)
	}
	return a, err
}

// Result implements Verifier: it reads the reference with the Verifier of
// the reference's provider, whether or not that provider is disabled, and
// sets Source to SourceProvider. With a ResultStore, it answers from the
// store (Source SourceStore) when the vendor returns ErrUnsupported or
// ErrNotFound, or when the Router has no Verifier for the provider (one of
// this module's); when the store has nothing either, it returns an
// ErrNotFound *Error. Without a store, the vendor's error is returned
// (ErrUnsupported for a vendor without a read-back). A malformed reference
// is ErrInvalidRequest and one of a provider this module does not have is
// ErrNotFound, before any store sees it. A store that fails gives an
// ErrUnavailable *Error wrapping the store's error, and one that does not
// answer within ctx an ErrTimeout *Error.
func (r *Router) Result(ctx context.Context, ref string) (res *Result, err error) {
	const op = "kyc.Router.Result"
	ctx, end := startSpan(ctx, r.observer, op, RouterProvider)
	defer func() { end(EndOf(res, err)) }()
	parsed, err := ParseReference(ref)
	if err != nil {
		return nil, err
	}
	v, ok := r.byName[parsed.Provider]
	switch {
	case ok:
		res, err = v.Result(ctx, ref)
		if err == nil {
			if res != nil && res.Source == "" {
				res.Source = SourceProvider
			}
			return res, nil
		}
	case knownProvider(parsed.Provider):
		// No Verifier for it here; the store may know it (a route removed).
		err = &Error{Op: op, Provider: parsed.Provider, Kind: ErrNotFound, Field: FieldReference, NotSent: true, Unprocessed: true,
			Message: "this router has no Verifier for provider " + string(parsed.Provider)}
	default:
		// No provider of this module: the store is not asked.
		return nil, &Error{Op: op, Kind: ErrNotFound, Field: FieldReference, NotSent: true, Unprocessed: true,
			Message: "no provider of this module has this name"}
	}
	if !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if r.store == nil {
		return nil, err
	}
	res, serr := getBounded(ctx, op, r.store, ref)
	switch {
	case serr == nil && res != nil:
		res.Source = SourceStore
		return res, nil
	case serr == nil || errors.Is(serr, ErrNotFound):
		// Neither the vendor nor the store knows it.
		return nil, &Error{Op: op, Provider: parsed.Provider, Kind: ErrNotFound, Field: FieldReference, NotSent: true, Unprocessed: true,
			Message: "neither the vendor nor the ResultStore knows this reference"}
	}
	return nil, serr
}

// knownProvider reports whether p is one of this module's providers.
func knownProvider(p Provider) bool {
	switch p {
	case Atlas, Incode, AdvanceAI, EKYC, Verificar:
		return true
	}
	return false
}

// Close closes every Verifier that has a Close method (the vendor clients
// release their idle connections), each once.
func (r *Router) Close() error {
	var errs []error
	for _, v := range r.byName {
		switch c := v.(type) {
		case io.Closer:
			errs = append(errs, c.Close())
		case interface{ Close() }:
			c.Close()
		}
	}
	return errors.Join(errs...)
}
