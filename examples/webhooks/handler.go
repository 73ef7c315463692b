package main

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/kyc-go/kyc"
)

// app is the service's own code: it knows no vendor. It imports only the
// kyc package (a test checks this file's imports), sees every webhook as a
// kyc.Event carrying its Reference, and trusts a final status only from an
// Event that was authenticated or confirmed by the vendor's read-back: the
// WebhookMux has already reduced any other Event to pending.
type app struct {
	out io.Writer

	mu   sync.Mutex
	seen map[string]kyc.Status // Reference → last status, as a database row would hold it
}

func newApp(out io.Writer) *app { return &app{out: out, seen: map[string]kyc.Status{}} }

// handle is the WebhookMux's function. Returning an error makes the mux
// answer an error status, so the vendor sends the webhook again.
func (a *app) handle(_ context.Context, ev *kyc.Event) error {
	status := kyc.StatusPending
	if ev.Result != nil {
		status = ev.Result.Status
	}
	trusted := ev.Authenticated || ev.Confirmed
	if !trusted {
		status = kyc.StatusPending // the mux does this too: belt and braces
	}
	a.mu.Lock()
	a.seen[ev.Reference] = status
	a.mu.Unlock()
	line := fmt.Sprintf("event %-9s ref=%s type=%s authenticated=%v confirmed=%v status=%s",
		ev.Provider, ev.Reference, ev.Type, ev.Authenticated, ev.Confirmed, status)
	if ev.Result != nil && ev.Result.Scores.FaceMatch.Given() {
		line += " face=" + ev.Result.Scores.FaceMatch.String()
	}
	_, err := fmt.Fprintln(a.out, line)
	return err
}

// status is what the service knows of a verification from webhooks alone.
func (a *app) status(ref string) (kyc.Status, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.seen[ref]
	return s, ok
}
