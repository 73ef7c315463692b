package kyc

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Defaults of the WebhookMux's confirmation bound (see
// LimitConfirmations).
const (
	// DefaultConfirmRate is how many confirmation reads of unauthenticated
	// Events a WebhookMux makes per second, on average.
	DefaultConfirmRate = 20
	// DefaultConfirmBurst is how many it makes at once after a quiet time.
	DefaultConfirmBurst = 40
	// DefaultConfirmMemory is how long the answer of one confirmation read
	// serves further unauthenticated Events of the same reference.
	DefaultConfirmMemory = 5 * time.Second
)

// LimitConfirmations bounds the vendor reads that ConfirmEvents makes for
// unauthenticated Events, which anyone who can reach the webhook URL can
// send: at most perSecond reads per second on average, burst at once
// (defaults DefaultConfirmRate and DefaultConfirmBurst), and one answer
// serves every unauthenticated Event of the same reference for memory
// (default DefaultConfirmMemory; concurrent ones share one read). Past the
// bound an Event is answered 429 with Retry-After, so the vendor sends it
// again later; nothing is stored and the handler is not called.
// Authenticated Events are confirmed without a bound: they cost what the
// vendor sends.
func LimitConfirmations(perSecond float64, burst int, memory time.Duration) Option {
	return webhookOption("LimitConfirmations", func(c *webhookConfig) {
		c.confirmRate, c.confirmBurst, c.confirmMemory = perSecond, burst, memory
	})
}

// confirmGate deduplicates and bounds the confirmation reads of
// unauthenticated Events.
type confirmGate struct {
	limiter *rate.Limiter
	memory  time.Duration

	mu     sync.Mutex
	flight map[string]*confirmCall
	recent map[string]confirmAnswer
}

type confirmCall struct {
	done chan struct{}
	ans  confirmAnswer
}

type confirmAnswer struct {
	ev  *Event
	err error
	at  time.Time
}

func newConfirmGate(perSecond float64, burst int, memory time.Duration) *confirmGate {
	if perSecond <= 0 {
		perSecond = DefaultConfirmRate
	}
	if burst <= 0 {
		burst = DefaultConfirmBurst
	}
	if memory <= 0 {
		memory = DefaultConfirmMemory
	}
	return &confirmGate{limiter: rate.NewLimiter(rate.Limit(perSecond), burst), memory: memory,
		flight: map[string]*confirmCall{}, recent: map[string]confirmAnswer{}}
}

// confirm returns the confirmation of ev: a recent answer for its
// reference, the answer of a read in flight, or a new read when the bound
// allows one.
func (g *confirmGate) confirm(ctx context.Context, c EventConfirmer, ev *Event) (*Event, error) {
	key := string(ev.Provider) + "\x00" + ev.Reference
	now := time.Now()
	g.mu.Lock()
	if a, ok := g.recent[key]; ok && now.Sub(a.at) < g.memory {
		g.mu.Unlock()
		return withAnswer(ev, a)
	}
	if call, ok := g.flight[key]; ok {
		g.mu.Unlock()
		select {
		case <-call.done:
			return withAnswer(ev, call.ans)
		case <-ctx.Done():
			return nil, &Error{Op: "kyc.WebhookMux", Provider: ev.Provider, Kind: ErrTimeout, Err: ctx.Err(),
				Message: "the request ended while the confirmation read ran"}
		}
	}
	if !g.limiter.Allow() {
		g.mu.Unlock()
		return nil, &Error{Op: "kyc.WebhookMux", Provider: ev.Provider, Kind: ErrRateLimited, RetryAfter: time.Second,
			Message: "too many unauthenticated webhooks to confirm: send it again later"}
	}
	call := &confirmCall{done: make(chan struct{})}
	g.flight[key] = call
	for k, a := range g.recent { // keep the memory small
		if now.Sub(a.at) >= g.memory {
			delete(g.recent, k)
		}
	}
	g.mu.Unlock()

	got, err := c.ConfirmEvent(ctx, ev)
	call.ans = confirmAnswer{ev: got, err: err, at: time.Now()}
	g.mu.Lock()
	delete(g.flight, key)
	if err == nil && got != nil {
		g.recent[key] = call.ans
	}
	g.mu.Unlock()
	close(call.done)
	return got, err
}

// withAnswer gives ev the Result of a shared confirmation.
func withAnswer(ev *Event, a confirmAnswer) (*Event, error) {
	if a.err != nil || a.ev == nil {
		return a.ev, a.err
	}
	c := *a.ev
	c.Type, c.ReceivedAt, c.Raw = ev.Type, ev.ReceivedAt, ev.Raw
	c.Result = CloneResult(a.ev.Result)
	return &c, nil
}
