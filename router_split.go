package kyc

import (
	"hash/fnv"
	"maps"
	"slices"
)

// routeKey names a route for the runtime controls: its country, or "" for
// the default route.
type routeKey = string

// SetWeights splits the traffic of one route between its Verifiers, at
// run time and safe while traffic flows: the Verifier tried first for a
// Request is chosen by weight on a stable hash of Request.ID, so that one
// person always lands on the same vendor, and the route's other Verifiers
// follow in their order, as fallback. country is the route's alpha-3 code,
// "" for the default route. A provider with weight 0 is never tried first
// but stays a fallback; a provider the map leaves out counts as 0. An
// empty map (or nil) goes back to the route's own order. Requests without
// an ID follow the route's own order. It refuses a route that does not
// exist, a provider that is not on it, and weights that are all 0.
func (r *Router) SetWeights(country string, weights map[Provider]uint32) error {
	const op = "kyc.Router.SetWeights"
	vs, ok := r.route(country)
	if !ok {
		return invalid(op, "country", "no such route")
	}
	var total uint64
	for p, w := range weights {
		if !slices.ContainsFunc(vs, func(v Verifier) bool { return v.Provider() == p }) {
			return invalid(op, "weights", "provider "+string(p)+" is not on this route")
		}
		total += uint64(w)
	}
	if len(weights) > 0 && total == 0 {
		return invalid(op, "weights", "every weight is 0")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(weights) == 0 {
		delete(r.weights, country)
		return nil
	}
	w := make(map[Provider]uint32, len(weights))
	for p, x := range weights {
		w[p] = x
	}
	r.weights[country] = w
	return nil
}

// DisableIn takes provider p out of one route (country, "" for the
// default route) at run time: Verify skips it there as if disabled, while
// other routes still use it. Disable turns it off everywhere.
func (r *Router) DisableIn(country string, p Provider) {
	r.mu.Lock()
	defer r.mu.Unlock()
	off := maps.Clone(r.disabledIn[country]) // copied on write: Verify reads the old one unlocked
	if off == nil {
		off = map[Provider]bool{}
	}
	off[p] = true
	r.disabledIn[country] = off
}

// EnableIn puts provider p back into one route.
func (r *Router) EnableIn(country string, p Provider) {
	r.mu.Lock()
	defer r.mu.Unlock()
	off := maps.Clone(r.disabledIn[country])
	delete(off, p)
	r.disabledIn[country] = off
}

// route returns the Verifiers of a route by its key.
func (r *Router) route(country routeKey) ([]Verifier, bool) {
	if country == "" {
		return r.fallback, r.fallback != nil
	}
	vs, ok := r.routes[country]
	return vs, ok
}

// plan returns the order in which Verify tries a route's Verifiers for
// req, and whether each is turned off on this route (a map the controls
// replace, never change).
func (r *Router) plan(key routeKey, vs []Verifier, id string) ([]Verifier, map[Provider]bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	off := r.disabledIn[key]
	w := r.weights[key]
	if len(w) == 0 || id == "" {
		return vs, off
	}
	var total uint64
	for _, v := range vs {
		total += uint64(w[v.Provider()])
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(id))
	pick := h.Sum64() % total
	first := 0
	for i, v := range vs {
		x := uint64(w[v.Provider()])
		if pick < x {
			first = i
			break
		}
		pick -= x
	}
	if first == 0 {
		return vs, off
	}
	out := make([]Verifier, 0, len(vs))
	out = append(out, vs[first])
	out = append(out, vs[:first]...)
	return append(out, vs[first+1:]...), off
}
