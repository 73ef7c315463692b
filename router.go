package kyc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
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
// Verify skips a Verifier whose Capabilities refuse the Request (a Request
// without a phone skips Verificar, one without a return URL skips
// ADVANCE.AI) or that is disabled, and falls through to the next one on
// ErrUnavailable, ErrRateLimited or ErrTimeout, but only when the failed
// provider cannot have started anything the person sees or the account pays
// for: its flow is FlowDirect, or the error was raised before the request was
// sent (Error.Sent is false). It never falls through on a rejection (that is
// a Result), nor on ErrInvalidRequest, ErrUnauthorized or any other kind.
type Router struct {
	routes   map[string][]Verifier
	fallback []Verifier
	byName   map[Provider]Verifier

	mu       sync.RWMutex
	disabled map[Provider]bool
}

var _ Verifier = (*Router)(nil)

// NewRouter builds a Router. It refuses a malformed or repeated country, a
// second default route, an empty route and a nil Verifier.
func NewRouter(routes ...Route) (*Router, error) {
	const op = "kyc.NewRouter"
	r := &Router{routes: map[string][]Verifier{}, byName: map[Provider]Verifier{}, disabled: map[Provider]bool{}}
	haveDefault := false
	for i, rt := range routes {
		field := fmt.Sprintf("routes[%d]", i)
		if len(rt.Verifiers) == 0 {
			return nil, invalid(op, field, "a route needs at least one Verifier")
		}
		for _, v := range rt.Verifiers {
			if v == nil {
				return nil, invalid(op, field, "nil Verifier")
			}
			if prev, ok := r.byName[v.Provider()]; ok && prev != v {
				return nil, invalid(op, field, "two different Verifiers for provider "+string(v.Provider())+": Result could not tell them apart")
			}
			r.byName[v.Provider()] = v
		}
		switch {
		case rt.Country == "":
			if haveDefault {
				return nil, invalid(op, field, "a second default route")
			}
			haveDefault = true
			r.fallback = rt.Verifiers
		case !IsCountryCode(rt.Country):
			return nil, invalid(op, field, "country must be an ISO 3166-1 alpha-3 code")
		default:
			if _, dup := r.routes[rt.Country]; dup {
				return nil, invalid(op, field, "a second route for "+rt.Country)
			}
			r.routes[rt.Country] = rt.Verifiers
		}
	}
	return r, nil
}

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

// Attempt records what the Router did with one Verifier.
type Attempt struct {
	Provider Provider
	// Skipped says why the Verifier was not called ("disabled", or the
	// capability check's error), empty when it was called.
	Skipped string
	// Err is the call's error, nil when it answered (or was skipped).
	Err     error
	Elapsed time.Duration
}

// String describes the attempt for a log line or a table.
func (a Attempt) String() string {
	switch {
	case a.Skipped != "":
		return string(a.Provider) + ": skipped (" + a.Skipped + ")"
	case a.Err != nil:
		return string(a.Provider) + ": " + a.Err.Error()
	}
	return string(a.Provider) + ": answered in " + a.Elapsed.Round(time.Millisecond).String()
}

// RouteError is the Router's error when no Verifier gave a Result. It lists
// every attempt and unwraps to the error that decided the outcome (the last
// call's, or the first capability refusal when nothing was called), so
// errors.Is and errors.As see a *Error.
type RouteError struct {
	Country  string
	Attempts []Attempt
	Err      error
}

// Error lists the attempts.
func (e *RouteError) Error() string {
	parts := make([]string, len(e.Attempts))
	for i, a := range e.Attempts {
		parts[i] = a.String()
	}
	country := e.Country
	if country == "" {
		country = "no country"
	}
	return fmt.Sprintf("kyc.Router.Verify (%s): no provider gave a result: %s", country, strings.Join(parts, "; "))
}

// Unwrap returns the deciding error.
func (e *RouteError) Unwrap() error { return e.Err }

// Verify implements Verifier; see Router for the routing and fallback rules.
func (r *Router) Verify(ctx context.Context, req Request) (*Result, error) {
	res, _, err := r.VerifyWithAttempts(ctx, req)
	return res, err
}

// VerifyWithAttempts is Verify that also returns every attempt, including
// those before a successful fallback.
func (r *Router) VerifyWithAttempts(ctx context.Context, req Request) (*Result, []Attempt, error) {
	const op = "kyc.Router.Verify"
	if err := req.Validate(); err != nil {
		return nil, nil, err
	}
	vs, ok := r.routes[req.Country]
	if !ok {
		vs = r.fallback
	}
	if len(vs) == 0 {
		return nil, nil, &Error{Op: op, Kind: ErrUnsupported, Field: string(FieldCountry), Message: "no route for this country and no default route"}
	}
	var attempts []Attempt
	var decisive, firstRefusal error
	for _, v := range vs {
		p := v.Provider()
		if !r.Enabled(p) {
			attempts = append(attempts, Attempt{Provider: p, Skipped: "disabled"})
			continue
		}
		caps := v.Capabilities()
		if err := caps.Check(req); err != nil {
			if firstRefusal == nil {
				firstRefusal = err
			}
			attempts = append(attempts, Attempt{Provider: p, Skipped: err.Error()})
			continue
		}
		start := time.Now()
		res, err := v.Verify(ctx, req)
		attempts = append(attempts, Attempt{Provider: p, Err: err, Elapsed: time.Since(start)})
		if err == nil {
			if res != nil && res.Provider == "" {
				res.Provider = p
			}
			return res, attempts, nil
		}
		decisive = err
		if !canFallBack(ctx, caps.Flow, err) {
			break
		}
	}
	if decisive == nil {
		decisive = firstRefusal
	}
	if decisive == nil {
		decisive = &Error{Op: op, Kind: ErrUnavailable, Message: "every provider on this route is disabled"}
	}
	return nil, attempts, &RouteError{Country: req.Country, Attempts: attempts, Err: decisive}
}

// canFallBack is the fallback rule: a transient kind, a context with time
// left, and nothing started that the person sees or the account pays for.
func canFallBack(ctx context.Context, flow Flow, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var kerr *Error
	if !errors.As(err, &kerr) {
		return false
	}
	switch kerr.Kind {
	case ErrUnavailable, ErrRateLimited, ErrTimeout:
	default:
		return false
	}
	return flow == FlowDirect || kerr.NotSent
}

// Result implements Verifier: it reads the reference with the Verifier of
// the reference's provider, whether or not that provider is disabled.
func (r *Router) Result(ctx context.Context, ref string) (*Result, error) {
	parsed, err := ParseReference(ref)
	if err != nil {
		return nil, err
	}
	v, ok := r.byName[parsed.Provider]
	if !ok {
		return nil, &Error{Op: "kyc.Router.Result", Kind: ErrUnsupported, Field: "ref",
			Message: "this router has no Verifier for provider " + string(parsed.Provider)}
	}
	return v.Result(ctx, ref)
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
