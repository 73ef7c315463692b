package kyc

// Class says what an operation may cost: what sending it a second time
// could do to the account or to the person. Every operation of every vendor
// package is declared with one (see each package's Operations), and the
// resend policy and the Router's fallback follow it.
//
// The zero value is ClassBilled, so an operation declared without a class,
// or sent through a vendor's generic Call without one, is treated as one
// that may charge the account.
type Class int

const (
	// ClassBilled: the call may charge the account. Without the vendor's
	// idempotency key it is resent only when it was refused unprocessed:
	// never written, or answered 429 or 503.
	ClassBilled Class = iota
	// ClassMessaging: the call may text, e-mail or call a person. It is
	// never resent once it was written, whatever the answer.
	ClassMessaging
	// ClassFree: a read, or a token exchange. It is retried like a read:
	// also after a timeout, a reset, a 500, 502 or 504.
	ClassFree
)

// String returns "billed", "messaging" or "free".
func (c Class) String() string {
	switch c {
	case ClassMessaging:
		return "messaging"
	case ClassFree:
		return "free"
	}
	return "billed"
}

// Operation describes one operation of a vendor's API, as each vendor
// package declares them once in its operation table (Operations). The
// transport's resend decision, the logs, the Observer, the README's table
// and the tests all read that table.
//
// A value built by hand is what a vendor client's generic Call takes: its
// Class says how the call may be resent (the zero value, ClassBilled, is the
// safe default).
type Operation struct {
	// Name is "<package>.<Method>", e.g. "atlas.VerifyPAN".
	Name string
	// Method is the HTTP method.
	Method string
	// Path is the path template relative to the base URL, with ids as
	// {placeholders}: "/omni/get/score", "/v0/api-request-reply/{id}". It
	// never carries an id or a query, so it is safe for metrics.
	Path string
	// Class is what the operation may cost.
	Class Class
	// Idempotent reports that the request carries the vendor's idempotency
	// key (EKYC's idempotent_id), so a billed call may be resent like a read.
	Idempotent bool
	// Doc is where the operation is documented: the vendor's page, or the
	// line of the vendor documentation it rests on, or why it is inferred.
	Doc string
}

// Resendable reports whether the operation may be resent after an
// ambiguous failure (a timeout or reset after the write, a 500, 502, 504):
// free operations, and billed ones that carry an idempotency key.
func (o Operation) Resendable() bool {
	return o.Class == ClassFree || (o.Class == ClassBilled && o.Idempotent)
}
