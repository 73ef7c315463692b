package kyc

import (
	"fmt"
	"strings"
	"time"
)

// Attempt records what the Router did with one Verifier.
type Attempt struct {
	Provider Provider
	// Skipped says why the Verifier was not called ("disabled", or the
	// capability check's error), empty when it was called.
	Skipped string
	// Err is the call's error, nil when it answered (or was skipped).
	Err error
	// MayHaveCharged reports that the failed call may have charged the
	// account, or texted the person for a messaging flow: Err does not
	// itself say that nothing was processed (see Router). The Router does
	// not fall back after such an attempt unless AllowFallbackAfterCharge
	// (and never for a messaging flow). Reconcile it with the vendor, by
	// the Reference in Err when there is one, before starting again.
	MayHaveCharged bool
	// Applied is what the ResultStore did with the Result of a successful
	// call (see Decide); zero without a store.
	Applied Applied
	// StoreErr is the ResultStore's error when the Result of a successful
	// call could not be applied to it. The Result is returned all the same:
	// the verification is done, and starting it again would bill twice.
	StoreErr error
	Elapsed  time.Duration

	messaging bool // the flow texts the person: MayHaveCharged means "may have texted"
}

// String describes the attempt for a log line or a table.
func (a Attempt) String() string {
	switch {
	case a.Skipped != "":
		return string(a.Provider) + ": skipped (" + a.Skipped + ")"
	case a.Err != nil:
		s := string(a.Provider) + ": " + a.Err.Error()
		switch {
		case a.MayHaveCharged && a.messaging:
			s += " [may have messaged the person]"
		case a.MayHaveCharged:
			s += " [may have charged]"
		}
		return s
	}
	s := string(a.Provider) + ": answered in " + a.Elapsed.Round(time.Millisecond).String()
	if a.StoreErr != nil {
		s += " [result store: " + a.StoreErr.Error() + "]"
	}
	return s
}

// RouteError is the Router's error when no Verifier gave a Result. It lists
// every attempt and unwraps to the error that decided the outcome (the last
// call's, or the first capability refusal when nothing was called), so
// errors.Is and errors.As see a *Error.
type RouteError struct {
	Country  string
	Attempts []Attempt
	Err      error
}

// Error lists the attempts.
func (e *RouteError) Error() string {
	parts := make([]string, len(e.Attempts))
	for i, a := range e.Attempts {
		parts[i] = a.String()
	}
	country := e.Country
	if country == "" {
		country = "no country"
	}
	return fmt.Sprintf("kyc.Router.Verify (%s): no provider gave a result: %s", country, strings.Join(parts, "; "))
}

// Unwrap returns the deciding error.
func (e *RouteError) Unwrap() error { return e.Err }
