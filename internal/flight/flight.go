// Package flight holds a credential that one fetch at a time renews: the
// cache behind ADVANCE.AI's access token and Incode's executive log-in.
//
// Concurrent callers that need a new value share one fetch. The fetch runs
// on a context of its own, detached from whichever caller started it (its
// values, such as trace ids, are kept), and is cancelled only when every
// caller waiting for it has given up: one caller's cancellation never fails
// the others, and the next caller after an abandoned fetch starts afresh
// rather than joining a cancelled one.
package flight

import (
	"context"
	"sync"
	"time"
)

// Cache holds one value, fresh until a time by the caller's clock, and the
// one fetch of a new value in flight. The zero Cache is empty and ready.
type Cache[T any] struct {
	mu    sync.Mutex
	val   T
	has   bool
	until time.Time
	call  *call[T]
}

// call is one fetch shared by every caller that needs the value while it
// runs.
type call[T any] struct {
	done    chan struct{}
	cancel  context.CancelFunc
	waiters int // guarded by Cache.mu
	val     T
	err     error
}

// Fetch fetches a new value, and says until when (by the caller's clock)
// it is fresh.
type Fetch[T any] func(ctx context.Context) (v T, freshUntil time.Time, err error)

// Abandoned is Get's error when the caller's context ended before it had a
// value: Err is the context's error. The fetch goes on for the callers
// still waiting for it.
type Abandoned struct{ Err error }

func (a *Abandoned) Error() string { return "flight: abandoned: " + a.Err.Error() }

// Unwrap returns the context's error.
func (a *Abandoned) Unwrap() error { return a.Err }

// Get returns the cached value when it is fresh at now() and force is
// false. Otherwise it returns the value of the fetch in flight, starting
// fetch when none runs. gate, when not nil, is asked under the cache's
// lock before a fetch is joined or started, and its error is returned as
// it is (Incode's remembered refusal of the log-in). A value fetched is
// kept unless the cached one stays fresh longer (an abandoned fetch that
// finished after a newer one).
func (c *Cache[T]) Get(ctx context.Context, now func() time.Time, force bool, gate func() error, fetch Fetch[T]) (T, error) {
	var zero T
	c.mu.Lock()
	if !force && c.has && now().Before(c.until) {
		v := c.val
		c.mu.Unlock()
		return v, nil
	}
	if gate != nil {
		if err := gate(); err != nil {
			c.mu.Unlock()
			return zero, err
		}
	}
	if err := ctx.Err(); err != nil {
		c.mu.Unlock()
		return zero, &Abandoned{Err: err}
	}
	f := c.call
	if f == nil {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &call[T]{done: make(chan struct{}), cancel: cancel}
		c.call = f
		go c.run(fctx, f, fetch)
	}
	f.waiters++
	c.mu.Unlock()

	select {
	case <-f.done:
	case <-ctx.Done():
		c.mu.Lock()
		f.waiters--
		select {
		case <-f.done: // finished meanwhile: use it
			c.mu.Unlock()
			return f.val, f.err
		default:
		}
		if f.waiters == 0 {
			f.cancel()
			if c.call == f {
				c.call = nil
			}
		}
		c.mu.Unlock()
		return zero, &Abandoned{Err: ctx.Err()}
	}
	c.mu.Lock()
	f.waiters--
	c.mu.Unlock()
	return f.val, f.err
}

// run runs one fetch and keeps its value.
func (c *Cache[T]) run(ctx context.Context, f *call[T], fetch Fetch[T]) {
	defer f.cancel()
	v, until, err := fetch(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	f.val, f.err = v, err
	if err == nil && (!c.has || !until.Before(c.until)) {
		c.val, c.has, c.until = v, true, until
	}
	if c.call == f {
		c.call = nil
	}
	close(f.done)
}

// Forget drops the cached value when match says it is the one the vendor
// refused, unless another caller has already replaced it: concurrent
// refusals of one value cause one fetch.
func (c *Cache[T]) Forget(match func(T) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.has && match(c.val) {
		var zero T
		c.val, c.has, c.until = zero, false, time.Time{}
	}
}

// Waiters is how many callers wait for the fetch in flight (0 when none
// runs): for tests and diagnostics.
func (c *Cache[T]) Waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.call == nil {
		return 0
	}
	return c.call.waiters
}
