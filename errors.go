package kyc

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-go/kyc/internal/redact"
)

// The kinds of failure, as sentinels for errors.Is. Every *Error has one as
// its Kind.
var (
	// ErrInvalidRequest: the request was refused as malformed, by this SDK
	// before sending (Error.Field names the field) or by the vendor.
	ErrInvalidRequest = errors.New("invalid request")
	// ErrUnauthorized: the credentials or the session token were refused.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the credentials are valid but may not do this (a
	// function not enabled for the account, a disabled account).
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: the verification, session or resource does not exist.
	ErrNotFound = errors.New("not found")
	// ErrRateLimited: the vendor asked to slow down; Error.RetryAfter says
	// for how long when it did.
	ErrRateLimited = errors.New("rate limited")
	// ErrInsufficientCredit: the account has no credit left.
	ErrInsufficientCredit = errors.New("insufficient credit")
	// ErrUnavailable: the vendor could not be reached or failed on its side.
	ErrUnavailable = errors.New("provider unavailable")
	// ErrTimeout: the call or an attempt ran out of time.
	ErrTimeout = errors.New("timeout")
	// ErrUnsupported: the provider does not offer this operation.
	ErrUnsupported = errors.New("unsupported")
	// ErrBadResponse: the vendor answered something this SDK cannot read.
	ErrBadResponse = errors.New("bad response")
)

// Error is the one error type for failed calls. It is safe to log as it is:
// its Error string carries no credential, no image and no personal data.
// That holds by construction: it prints this SDK's own texts as they are,
// the vendor's Code and RequestID only when they have the form of a code or
// of a machine-made id, and never the vendor's free text, which is kept
// apart in VendorMessage. The fields give programs the details.
//
//	var kerr *kyc.Error
//	if errors.As(err, &kerr) && kerr.Kind == kyc.ErrRateLimited { ... }
//	if errors.Is(err, kyc.ErrUnauthorized) { ... }
type Error struct {
	// Provider is the vendor involved, empty for errors of the root package.
	Provider Provider
	// Op is the operation, as "<package>.<Method>", e.g.
	// "advanceai.GenerateURL".
	Op string
	// Kind is one of the sentinels above; errors.Is matches it.
	Kind error
	// StatusCode is the HTTP status, 0 when no response arrived.
	StatusCode int
	// Code is the vendor's own error code: "PARAMETER_ERROR", "-3", "4019".
	// Error() prints it only when it has the form of a code; otherwise
	// "***".
	Code string
	// Message is this SDK's explanation, or a documented text for the
	// vendor's code. It is part of Error(), printed as it is, so it never
	// holds input or vendor text (a body excerpt in it is masked when it is
	// built).
	Message string
	// VendorMessage is the vendor's own error text, as received (cleaned of
	// control characters, at most 1 KiB). It may quote what was sent,
	// personal data included, so it is never part of Error(): read it
	// explicitly, and log it only where personal data may go.
	VendorMessage string
	// Field names the request field at fault, for ErrInvalidRequest raised
	// before sending, e.g. FieldPhone ("Person.Phone"). Compare it with the
	// Field constants.
	Field Field
	// RequestID is the vendor's transaction or request id, for support.
	// Error() prints it whole when it has the form of a machine-made id
	// (letters, digits, . _ : -, with a digit); otherwise "***".
	RequestID string
	// RetryAfter is how long the vendor asked to wait, when it said.
	RetryAfter time.Duration
	// NotSent reports that no attempt of the request was written to the
	// connection: the vendor cannot have seen it. Its zero value, false,
	// means "it may have been sent", so an Error built by hand, or by code
	// that forgot the field, is never taken for a safe one.
	NotSent bool
	// Unprocessed reports that the vendor processed no attempt of the
	// request: each one was either never written (NotSent) or refused
	// unprocessed with HTTP 429 or 503. A billed call that failed this way
	// charged nothing; a messaging call that was written may still have
	// texted the person, so a Router never falls back after one.
	Unprocessed bool
	// Reference is the Reference of a verification that was already started
	// (billed) when the call failed: an Incode session after its start, an
	// ADVANCE.AI link after generate-url, an EKYC submission after its id.
	// Resume it with Verifier.Result, or reconcile it, rather than starting
	// another. Empty when nothing billable was started.
	Reference string
	// Err is the underlying cause, if any. Its text is not part of Error().
	Err error
}

// Error formats the error as
// "op: kind (HTTP status, code C, field F, request id R, retry after D): message".
//
// What it prints is safe to log: Op, Field and Message are this SDK's own
// texts (a body excerpt inside Message is masked when it is built), and
// they are printed as they are, with control characters turned into
// spaces. Of what the vendor sent, only its Code and RequestID are printed,
// and only when they have the form of a code or of a machine-made id
// (internal/redact's IsCode and IsRequestID); otherwise "***" stands in
// their place and the fields keep them. VendorMessage is never printed.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(redact.Line(e.Op))
		b.WriteString(": ")
	} else if e.Provider != "" {
		b.WriteString(redact.Line(string(e.Provider)))
		b.WriteString(": ")
	}
	if e.Kind != nil {
		b.WriteString(e.Kind.Error())
	} else {
		b.WriteString("error")
	}
	var details []string
	if e.StatusCode != 0 {
		details = append(details, "HTTP "+strconv.Itoa(e.StatusCode))
	}
	if e.Code != "" {
		details = append(details, "code "+vendorValue(e.Code, redact.IsCode))
	}
	if e.Field != "" {
		details = append(details, "field "+redact.Line(string(e.Field)))
	}
	if e.RequestID != "" {
		details = append(details, "request id "+vendorValue(e.RequestID, redact.IsRequestID))
	}
	if e.RetryAfter > 0 {
		details = append(details, "retry after "+e.RetryAfter.String())
	}
	if len(details) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(details, ", "))
		b.WriteString(")")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(redact.Line(e.Message))
	}
	return b.String()
}

// vendorValue is a value the vendor sent, printed whole when it has the
// form ok checks and masked otherwise.
func vendorValue(v string, ok func(string) bool) string {
	if ok(v) {
		return v
	}
	return redact.Mask
}

// Unwrap returns the kind and the cause, so errors.Is matches both.
func (e *Error) Unwrap() []error {
	out := make([]error, 0, 2)
	if e.Kind != nil {
		out = append(out, e.Kind)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// Retryable reports whether trying the same call again later can help: rate
// limits, timeouts and unavailability, but not a call the caller cancelled.
// It does not say whether a retry is safe; see MayHaveBeenSent.
func (e *Error) Retryable() bool {
	if errors.Is(e.Err, context.Canceled) {
		return false
	}
	switch e.Kind {
	case ErrRateLimited, ErrUnavailable, ErrTimeout:
		return true
	}
	return false
}

// MayHaveBeenSent reports whether the request may have reached the vendor:
// true unless NotSent is set.
func (e *Error) MayHaveBeenSent() bool { return !e.NotSent }

// MayHaveBeenSent reports whether the failed call behind err may have
// reached the vendor. Only an *Error in err's chain with NotSent set says
// it did not: any other error, a foreign type included, may have been sent.
func MayHaveBeenSent(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return !e.NotSent
	}
	return err != nil
}

// MayHaveCharged reports whether the failed call behind err may have
// charged the account or started something billable: false only when an
// *Error in err's chain says that the vendor processed nothing (Unprocessed
// or NotSent) and that nothing billable was started before (no Reference).
func MayHaveCharged(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return !(e.Unprocessed || e.NotSent) || e.Reference != ""
	}
	return err != nil
}

// IsRetryable reports whether err, or an error it wraps, says that trying
// again later can help. A context cancellation is not retryable.
func IsRetryable(err error) bool {
	var r interface{ Retryable() bool }
	if errors.As(err, &r) {
		return r.Retryable()
	}
	return false
}

// KindOf returns the Kind of the first *Error in err's chain, or nil.
func KindOf(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return nil
}

// invalid returns an ErrInvalidRequest for a field, raised before sending.
func invalid(op, field, msg string) *Error {
	return &Error{Op: op, Kind: ErrInvalidRequest, Field: Field(field), Message: msg, NotSent: true, Unprocessed: true}
}
