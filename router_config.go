package kyc

import (
	"context"
	"fmt"
	"time"
)

// routerConfig is what the Router's options set. A Route is an Option, so
// routes and options are given to NewRouter side by side:
//
//	r, err := kyc.NewRouter(
//		kyc.CountryRoute("IND", atlasClient, incodeClient),
//		kyc.DefaultRoute(incodeClient),
//		kyc.WithResultStore(store),
//	)
type routerConfig struct {
	routes           []Route
	allowAfterCharge bool
	store            ResultStore
	storeSet         bool
	window           time.Duration
	now              func() time.Time
	onApply          func(context.Context, ApplyInfo)
	circuit          CircuitSettings
	noCircuit        bool
	observer         Observer
}

func (rt Route) apply(c *config) error {
	if c.target != forRouter {
		return invalid("kyc.Option", "Route", "a Route configures a Router, not a "+c.target.String())
	}
	c.router.routes = append(c.router.routes, rt)
	return nil
}

// routerOption is an Option of Routers only.
func routerOption(name string, fn func(*routerConfig)) Option {
	return option{name: name, to: forRouter, fn: func(c *config) error { fn(&c.router); return nil }}
}

// AllowFallbackAfterCharge lets the Router try the next Verifier after a
// transient failure that may have charged the account (a timeout or a 500
// after the request was written), so the person gets an answer at the risk
// of paying two vendors for one verification. It never allows fallback
// after a messaging flow (FlowSMSLink) may have texted the person.
func AllowFallbackAfterCharge() Option {
	return routerOption("AllowFallbackAfterCharge", func(c *routerConfig) { c.allowAfterCharge = true })
}

// NewRouter builds a Router from its routes and options. It refuses, with
// ErrInvalidRequest, a Router without any route, a malformed or repeated
// country, a second default route, an empty route, a nil Verifier (a nil
// interface or a typed nil, such as (*incode.Client)(nil)), two different
// Verifiers for one provider, and a nil ResultStore.
func NewRouter(opts ...Option) (*Router, error) {
	const op = "kyc.NewRouter"
	var c config
	if err := applyAll(forRouter, &c, opts); err != nil {
		return nil, err
	}
	cfg := c.router
	if cfg.storeSet && isNil(cfg.store) {
		return nil, invalid(op, "WithResultStore", "nil ResultStore")
	}
	if len(cfg.routes) == 0 {
		return nil, invalid(op, "routes", "a Router needs at least one route (CountryRoute or DefaultRoute)")
	}
	if cfg.window < 0 {
		return nil, invalid(op, "WithIdempotencyWindow", "a negative window")
	}
	if cfg.window == 0 {
		cfg.window = DefaultIdempotencyWindow
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	r := &Router{routes: map[string][]Verifier{}, byName: map[Provider]Verifier{}, disabled: map[Provider]bool{},
		disabledIn: map[routeKey]map[Provider]bool{}, weights: map[routeKey]map[Provider]uint32{},
		allowAfterCharge: cfg.allowAfterCharge, store: cfg.store, window: cfg.window, now: cfg.now, onApply: cfg.onApply, observer: cfg.observer}
	haveDefault := false
	for i, rt := range cfg.routes {
		field := fmt.Sprintf("routes[%d]", i)
		if len(rt.Verifiers) == 0 {
			return nil, invalid(op, field, "a route needs at least one Verifier")
		}
		for _, v := range rt.Verifiers {
			if isNil(v) {
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
	if !cfg.noCircuit {
		r.circuits = newCircuits(cfg.circuit, r.byName, cfg.observer)
	}
	return r, nil
}
