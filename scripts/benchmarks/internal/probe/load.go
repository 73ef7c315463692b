package probe

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Call is one call of the side measured.
type Call func(ctx context.Context) error

// Sequential makes n calls one after the other and returns their cost.
func Sequential(ctx context.Context, n int, call Call) PerCall {
	lat := make([]time.Duration, 0, n)
	errs, first := 0, ""
	u := Snap()
	for range n {
		t := time.Now()
		if err := call(ctx); err != nil {
			if errs == 0 {
				first = err.Error()
			}
			errs++
		}
		lat = append(lat, time.Since(t))
	}
	p := u.Since(n)
	p.Errs, p.First = errs, first
	return p.WithLatencies(lat)
}

// Interleaved measures one round of sequential calls of every side: n
// calls each, made in slices of chunk calls that take turns, the order of
// the sides rotated each slice (and by round), so that a drift of the
// machine within the round touches every side alike. It returns the cost
// of each side's n calls, in the order of calls.
func Interleaved(ctx context.Context, calls []Call, n, chunk, round int) []PerCall {
	chunk = max(min(chunk, n), 1)
	type acc struct {
		u     Usage // time, CPU and allocations summed over the slices
		calls int
		lat   []time.Duration
		errs  int
		first string
	}
	accs := make([]acc, len(calls))
	idx := make([]int, len(calls))
	for i := range idx {
		idx[i] = i
	}
	for slice := 0; slice*chunk < n; slice++ {
		k := min(chunk, n-slice*chunk)
		for _, i := range Order(idx, round+slice) {
			a := &accs[i]
			u0 := Snap()
			for range k {
				t := time.Now()
				if err := calls[i](ctx); err != nil {
					if a.errs == 0 {
						a.first = err.Error()
					}
					a.errs++
				}
				a.lat = append(a.lat, time.Since(t))
			}
			a.u = a.u.add(Snap().minus(u0))
			a.calls += k
		}
	}
	out := make([]PerCall, len(calls))
	for i, a := range accs {
		p := Usage{}.To(a.u, a.calls)
		p.Errs, p.First = a.errs, a.first
		out[i] = p.WithLatencies(a.lat)
	}
	return out
}

// Load runs g goroutines that call without pause for warm, then measures
// for dur while they go on: calls started in the window, their latencies,
// the client's CPU and allocations and the server's new connections and
// handshakes over the window. The goroutines never stop between the warm-up
// and the window, so the pool is in its steady state.
func (f *Flags) Load(ctx context.Context, g int, warm, dur time.Duration, call Call) PerCall {
	var (
		measuring atomic.Bool
		stop      atomic.Bool
		wg        sync.WaitGroup
		mu        sync.Mutex
		all       []time.Duration
		errs      atomic.Int64
	)
	wg.Add(g)
	for range g {
		go func() {
			defer wg.Done()
			var lat []time.Duration
			for !stop.Load() {
				in := measuring.Load()
				t := time.Now()
				err := call(ctx)
				if in {
					lat = append(lat, time.Since(t))
					if err != nil {
						errs.Add(1)
					}
				}
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	time.Sleep(warm)
	c0 := f.MustRead()
	u := Snap()
	measuring.Store(true)
	time.Sleep(dur)
	measuring.Store(false)
	u1 := Snap()
	c1 := f.MustRead()
	// The calls counted are those that started in the window; those still
	// running when it closed are counted, their CPU in the window being
	// about that of the calls already running when it opened.
	stop.Store(true)
	wg.Wait()
	p := u.To(u1, len(all))
	p.QPS = float64(len(all)) / u1.wall.Sub(u.wall).Seconds()
	d := c1.Sub(c0)
	p.Conns, p.Hands = d.Conns, d.Handshakes
	p.Errs = int(errs.Load())
	return p.WithLatencies(all)
}
