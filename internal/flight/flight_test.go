package flight

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Unix(1_700_000_000, 0)

// clock is a settable clock.
type clock struct{ now atomic.Int64 }

func (c *clock) Now() time.Time  { return time.Unix(0, c.now.Load()) }
func (c *clock) set(t time.Time) { c.now.Store(t.UnixNano()) }
func newClock() *clock           { c := &clock{}; c.set(t0); return c }
func fixed(v string) Fetch[string] {
	return func(context.Context) (string, time.Time, error) { return v, t0.Add(time.Hour), nil }
}
func failing(err error) Fetch[string] {
	return func(context.Context) (string, time.Time, error) { return "", time.Time{}, err }
}

func TestCachedFreshForcedAndGated(t *testing.T) {
	t.Parallel()
	clk := newClock()
	var c Cache[string]
	var fetches atomic.Int32
	fetch := func(ctx context.Context) (string, time.Time, error) {
		n := fetches.Add(1)
		return string(rune('a' + n - 1)), clk.Now().Add(time.Minute), nil
	}
	ctx := t.Context()
	for _, tt := range []struct {
		name  string
		at    time.Duration
		force bool
		gate  error
		want  string
		err   error
		n     int32
	}{
		{"empty: fetch", 0, false, nil, "a", nil, 1},
		{"fresh: cached", 30 * time.Second, false, nil, "a", nil, 1},
		{"fresh but forced", 30 * time.Second, true, nil, "b", nil, 2},
		{"stale: fetch", 2 * time.Minute, false, nil, "c", nil, 3},
		{"fresh: the gate is not asked", 2*time.Minute + time.Second, false, errors.New("refused"), "c", nil, 3},
		{"stale and gated: no fetch", 10 * time.Minute, false, errors.New("refused"), "", errors.New("refused"), 3},
	} {
		clk.set(t0.Add(tt.at))
		var gate func() error
		if tt.gate != nil {
			gate = func() error { return tt.gate }
		}
		got, err := c.Get(ctx, clk.Now, tt.force, gate, fetch)
		assert.Equal(t, tt.want, got, tt.name)
		assert.Equal(t, tt.err, err, tt.name)
		assert.Equal(t, tt.n, fetches.Load(), tt.name)
	}
}

func TestConcurrentCallersShareOneFetch(t *testing.T) {
	t.Parallel()
	var c Cache[string]
	release := make(chan struct{})
	var fetches atomic.Int32
	started := make(chan struct{}, 1)
	fetch := func(ctx context.Context) (string, time.Time, error) {
		fetches.Add(1)
		started <- struct{}{}
		<-release
		return "tok", t0.Add(time.Hour), nil
	}
	const n = 32
	var wg sync.WaitGroup
	got := make([]string, n)
	go func() { <-started; close(release) }()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Get(t.Context(), func() time.Time { return t0 }, false, nil, fetch)
			assert.NoError(t, err)
			got[i] = v
		}()
	}
	wg.Wait()
	for _, v := range got {
		assert.Equal(t, "tok", v)
	}
	// Every caller either joined the one fetch or came after it and read
	// the fresh value it left.
	assert.Equal(t, int32(1), fetches.Load())
}

func TestOneCallerLeavingNeverFailsTheOthers(t *testing.T) {
	t.Parallel()
	var c Cache[string]
	release := make(chan struct{})
	cancelled := make(chan struct{})
	started := make(chan struct{})
	fetch := func(ctx context.Context) (string, time.Time, error) {
		close(started)
		select {
		case <-release:
			return "tok", t0.Add(time.Hour), nil
		case <-ctx.Done():
			close(cancelled)
			return "", time.Time{}, ctx.Err()
		}
	}
	now := func() time.Time { return t0 }
	leaving, leave := context.WithCancel(t.Context())
	left := make(chan error, 1)
	go func() {
		_, err := c.Get(leaving, now, false, nil, fetch)
		left <- err
	}()
	<-started
	stayed := make(chan string, 1)
	go func() {
		v, err := c.Get(t.Context(), now, false, nil, fetch)
		assert.NoError(t, err)
		stayed <- v
	}()
	// The second caller joins the flight: wait until it counts.
	require.Eventually(t, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.call != nil && c.call.waiters == 2
	}, 5*time.Second, time.Millisecond)
	leave()
	var abandoned *Abandoned
	require.ErrorAs(t, <-left, &abandoned)
	assert.ErrorIs(t, abandoned, context.Canceled)
	select {
	case <-cancelled:
		t.Fatal("the fetch was cancelled while a caller still waited for it")
	default:
	}
	close(release)
	assert.Equal(t, "tok", <-stayed)
}

func TestEveryCallerLeavingCancelsTheFetchAndTheNextStartsAfresh(t *testing.T) {
	t.Parallel()
	var c Cache[string]
	cancelled := make(chan struct{})
	started := make(chan struct{})
	hang := func(ctx context.Context) (string, time.Time, error) {
		close(started)
		<-ctx.Done()
		close(cancelled)
		return "late", t0.Add(time.Hour), nil
	}
	now := func() time.Time { return t0 }
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { _, err := c.Get(ctx, now, false, nil, hang); done <- err }()
	<-started
	cancel()
	var abandoned *Abandoned
	require.ErrorAs(t, <-done, &abandoned)
	<-cancelled // the abandoned fetch is cancelled
	v, err := c.Get(t.Context(), now, false, nil, fixed("fresh"))
	require.NoError(t, err)
	assert.Contains(t, []string{"fresh", "late"}, v, "a new fetch, never a join of the cancelled one")
	_, err = c.Get(ctx, now, true, nil, fixed("x"))
	require.ErrorAs(t, err, &abandoned, "a caller whose context ended starts nothing")
}

func TestLongerFreshValueIsKeptAndForgetMatches(t *testing.T) {
	t.Parallel()
	var c Cache[string]
	now := func() time.Time { return t0 }
	long := func(context.Context) (string, time.Time, error) { return "long", t0.Add(2 * time.Hour), nil }
	_, err := c.Get(t.Context(), now, false, nil, long)
	require.NoError(t, err)
	short := func(context.Context) (string, time.Time, error) { return "short", t0.Add(time.Minute), nil }
	v, err := c.Get(t.Context(), now, true, nil, short)
	require.NoError(t, err)
	assert.Equal(t, "short", v, "the caller gets what its fetch returned")
	v, err = c.Get(t.Context(), now, false, nil, failing(errors.New("no fetch expected")))
	require.NoError(t, err)
	assert.Equal(t, "long", v, "the cache keeps the value fresh longer")

	c.Forget(func(v string) bool { return v == "other" })
	v, _ = c.Get(t.Context(), now, false, nil, failing(errors.New("no fetch expected")))
	assert.Equal(t, "long", v, "a refusal of another value forgets nothing")
	c.Forget(func(v string) bool { return v == "long" })
	_, err = c.Get(t.Context(), now, false, nil, failing(errors.New("vendor down")))
	assert.EqualError(t, err, "vendor down", "forgotten: the next caller fetches, and gets the fetch's error")
}
