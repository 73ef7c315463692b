package kyc

import (
	"context"
	"errors"
	"time"

	"github.com/sony/gobreaker/v2"
)

// Defaults of the Router's circuit per vendor (see WithCircuit).
const (
	// DefaultCircuitFailures is how many unprocessed failures in a row
	// open a vendor's circuit.
	DefaultCircuitFailures = 5
	// DefaultCircuitCoolDown is how long an open circuit skips its vendor
	// before it lets a probe through.
	DefaultCircuitCoolDown = 30 * time.Second
	// DefaultCircuitProbes is how many calls a half-open circuit lets
	// through; that many successes in a row close it, one failure opens it
	// again.
	DefaultCircuitProbes = 1
)

// CircuitSettings configure the circuit a Router keeps per vendor. Zero
// fields take the defaults.
type CircuitSettings struct {
	// Failures is how many unprocessed failures in a row open the circuit
	// (default DefaultCircuitFailures).
	Failures uint32
	// CoolDown is how long the circuit stays open (default
	// DefaultCircuitCoolDown).
	CoolDown time.Duration
	// Probes is how many calls a half-open circuit lets through (default
	// DefaultCircuitProbes).
	Probes uint32
}

// CircuitState is the state of a vendor's circuit: "closed" (calls go
// through), "open" (the vendor is skipped), "half-open" (probes go
// through).
type CircuitState string

// The circuit states.
const (
	CircuitClosed   CircuitState = "closed"
	CircuitOpen     CircuitState = "open"
	CircuitHalfOpen CircuitState = "half-open"
)

// WithCircuit sets the Router's circuit per vendor. The circuit is on by
// default, with the defaults of CircuitSettings; see Router, "Vendor
// health".
func WithCircuit(s CircuitSettings) Option {
	return routerOption("WithCircuit", func(c *routerConfig) { c.circuit, c.noCircuit = s, false })
}

// WithoutCircuit turns the Router's circuits off: every Verifier is tried
// whatever its recent failures.
func WithoutCircuit() Option {
	return routerOption("WithoutCircuit", func(c *routerConfig) { c.noCircuit = true })
}

// The outcomes a call reports to its circuit.
var (
	errCircuitFailure  = errors.New("unprocessed failure")
	errCircuitExcluded = errors.New("ambiguous failure")
)

// newCircuits builds one circuit per provider, with gobreaker's two-step
// breaker: Allow before the call, done with its outcome after.
func newCircuits(s CircuitSettings, providers map[Provider]Verifier, o Observer) map[Provider]*gobreaker.TwoStepCircuitBreaker[struct{}] {
	var changed func(name string, from, to gobreaker.State)
	if h, ok := o.(HealthObserver); ok && h != nil {
		changed = func(name string, from, to gobreaker.State) {
			h.CircuitChanged(Provider(name), circuitState(from), circuitState(to))
		}
	}
	if s.Failures == 0 {
		s.Failures = DefaultCircuitFailures
	}
	if s.CoolDown <= 0 {
		s.CoolDown = DefaultCircuitCoolDown
	}
	if s.Probes == 0 {
		s.Probes = DefaultCircuitProbes
	}
	out := make(map[Provider]*gobreaker.TwoStepCircuitBreaker[struct{}], len(providers))
	for p := range providers {
		out[p] = gobreaker.NewTwoStepCircuitBreaker[struct{}](gobreaker.Settings{
			Name:          string(p),
			MaxRequests:   s.Probes,
			Timeout:       s.CoolDown,
			ReadyToTrip:   func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= s.Failures },
			IsSuccessful:  func(err error) bool { return err == nil },
			IsExcluded:    func(err error) bool { return errors.Is(err, errCircuitExcluded) },
			OnStateChange: changed,
		})
	}
	return out
}

// circuitOutcome is what a call's result tells its vendor's circuit: a
// failure only when the vendor refused it unprocessed or could not be
// reached (NotSent, or Unprocessed: 429, 503, refused connections, TLS
// handshakes), never for a business answer (a rejection, a refused input,
// bad credentials: the vendor is up), and nothing at all for an ambiguous
// failure (it may have been processed) or the caller's own deadline.
func circuitOutcome(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return errCircuitExcluded
	}
	var e *Error
	if !errors.As(err, &e) {
		return errCircuitExcluded
	}
	switch KindOf(e) {
	case ErrUnavailable, ErrRateLimited, ErrTimeout:
		if (e.NotSent || e.Unprocessed) && e.Reference == "" {
			return errCircuitFailure
		}
		return errCircuitExcluded
	}
	return nil // the vendor answered
}

// allow asks p's circuit whether a call may go through; done reports its
// outcome. ok is false while the circuit is open (or half-open and its
// probes are out).
func (r *Router) allow(p Provider) (done func(ctx context.Context, err error), ok bool) {
	cb := r.circuits[p]
	if cb == nil {
		return func(context.Context, error) {}, true
	}
	d, err := cb.Allow()
	if err != nil {
		return nil, false
	}
	return func(ctx context.Context, err error) { d(circuitOutcome(ctx, err)) }, true
}

// Circuit returns the state of provider p's circuit (CircuitClosed when
// the Router has no circuits or no Verifier for p).
func (r *Router) Circuit(p Provider) CircuitState {
	cb := r.circuits[p]
	if cb == nil {
		return CircuitClosed
	}
	return circuitState(cb.State())
}

func circuitState(s gobreaker.State) CircuitState {
	switch s {
	case gobreaker.StateOpen:
		return CircuitOpen
	case gobreaker.StateHalfOpen:
		return CircuitHalfOpen
	}
	return CircuitClosed
}
