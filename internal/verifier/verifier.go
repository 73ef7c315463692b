// Package verifier holds what the vendor clients' kyc.Verifier and
// kyc.Eraser methods share: the span around Verify and Result, and the
// answer of a call the vendor offers no API for (a read-back, an erasure).
package verifier

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// Traced runs call inside tc's span named op ("atlas.Verify"; see
// transport.Client.Span) and ends the span with call's answer, which it
// returns.
func Traced(ctx context.Context, tc *transport.Client, op string, call func(context.Context) (*kyc.Result, error)) (*kyc.Result, error) {
	ctx, end := tc.Span(ctx, op)
	res, err := call(ctx)
	end(res, err)
	return res, err
}

// Unsupported is the answer of a call the vendor has no API for: ref is
// checked first (a reference that is not one of tc's vendor, or whose id
// is not of the vendor's form, is the ErrInvalidRequest of tc.Ref);
// otherwise it is an ErrUnsupported *kyc.Error of op whose Message is
// message, sent nothing.
func Unsupported(tc *transport.Client, op, ref, message string) error {
	if _, err := tc.Ref(op, ref); err != nil {
		return err
	}
	return &kyc.Error{Provider: tc.Provider(), Op: op, Kind: kyc.ErrUnsupported, NotSent: true, Unprocessed: true,
		Message: message}
}

// Pending is the Result of a verification started and not finished (a
// link sent or given, a submission queued): StatusPending with
// ReasonNotFinished, the Reference of p's id, and raw. The caller adds
// what its flow knows (Link, Charged).
func Pending(p kyc.Provider, id string, raw json.RawMessage) *kyc.Result {
	return &kyc.Result{Provider: p, Reference: kyc.NewReference(p, id), Status: kyc.StatusPending,
		Reasons: []kyc.Reason{kyc.ReasonNotFinished}, Raw: raw}
}

// NoResult is the Result of a vendor client whose vendor offers no
// read-back: inside op's span, the Unsupported answer with message.
func NoResult(ctx context.Context, tc *transport.Client, op, ref, message string) (*kyc.Result, error) {
	return Traced(ctx, tc, op, func(context.Context) (*kyc.Result, error) {
		return nil, Unsupported(tc, op, ref, message)
	})
}

// NoDeletion is what a vendor without a deletion API documents of its
// retention: its Erase answers Unsupported with Message.
type NoDeletion struct {
	// Vendor is the vendor as it names itself ("ADVANCE.AI").
	Vendor string
	// Data is what a verification leaves at the vendor ("a verification's
	// data"); it is "a verification's data" when empty.
	Data string
	// Docs is the public documentation searched for a deletion call.
	Docs string
	// Note, optional, is what the documentation says instead.
	Note string
	// Contact is whom to ask to erase; Vendor when empty.
	Contact string
}

// Message says that the vendor documents neither a deletion call nor a
// retention period, cites its documentation, and says whom to ask.
func (n NoDeletion) Message() string {
	data, contact := n.Data, n.Contact
	if data == "" {
		data = "a verification's data"
	}
	if contact == "" {
		contact = n.Vendor
	}
	m := n.Vendor + " documents no call that deletes " + data + ", and no retention period (" + n.Docs + ")"
	if n.Note != "" {
		m += "; " + n.Note
	}
	return m + ": ask " + contact + " to erase it"
}

// Erase is the Erase of a vendor client whose vendor has no deletion API
// (see kyc.Eraser): it sends nothing and answers Unsupported with n's
// Message; a reference that is not the vendor's is ErrInvalidRequest.
func Erase(tc *transport.Client, op, ref string, n NoDeletion) error {
	return Unsupported(tc, op, ref, n.Message())
}

// IDForm returns the check of a vendor id before it is sent (in a path or
// a body; see transport.Params.ID): 1 to max ASCII letters, digits, '-'
// and '_'. It holds the ids the vendors return and refuses what could
// change a request's meaning (a path, "..", control characters, a huge
// id).
func IDForm(max int) func(id string) error {
	return func(id string) error {
		switch {
		case id == "":
			return errors.New("empty")
		case len(id) > max:
			return errors.New("longer than " + strconv.Itoa(max) + " characters")
		}
		for i := 0; i < len(id); i++ {
			c := id[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return errors.New("only ASCII letters, digits, '-' and '_'")
			}
		}
		return nil
	}
}
