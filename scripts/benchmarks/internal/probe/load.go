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
