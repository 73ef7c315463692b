// Package poll waits for a vendor's asynchronous result: it calls a check
// with growing intervals until the check says done, fails, or the context
// ends. It never gives up silently: the caller gets the last state and the
// context's error.
package poll

import (
	"context"
	"time"
)

// Config sets the intervals between checks.
type Config struct {
	// Initial is the first wait (default 500ms); each wait doubles up to Max
	// (default 5s).
	Initial time.Duration
	Max     time.Duration
}

// Until calls check until it reports done or returns an error, waiting
// between calls. If ctx ends first, Until returns ctx.Err(); the caller keeps
// whatever state check last saw. Check runs at once the first time.
func Until(ctx context.Context, cfg Config, check func(ctx context.Context) (done bool, err error)) error {
	wait := cfg.Initial
	if wait <= 0 {
		wait = 500 * time.Millisecond
	}
	maxWait := cfg.Max
	if maxWait <= 0 {
		maxWait = 5 * time.Second
	}
	for {
		done, err := check(ctx)
		if err != nil || done {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(wait*2, maxWait)
	}
}
