package kyc

import "strings"

// Reference identifies a verification across processes: "<provider>:<vendor
// id>", such as "advanceai:a1b2c3", "atlas:REQ123" or "incode:<interviewId>".
// It is what Result.Reference holds and what Verifier.Result takes. The
// references this module's clients return never carry a credential of any
// kind; old Incode references of the form "incode:<interviewId>.<token>"
// still parse, and those do carry a session token.
//
// String returns the storable form: that is the point of a reference, and
// the way to print it on purpose (in a support ticket, a database column).
// The fmt verbs of the struct (%v, %s, %+v, %#v…) print only the provider and
// the id's length, such as "incode:[id, 24 bytes]": fmt is how values reach
// logs by accident, and a reference of the old Incode form, or one a
// third-party Verifier made, may hold a token this package cannot recognise.
// A reference of this module's current form is not personal data; the
// Result and Event shapes leave it out all the same, since it links a log
// line to a person's records.
type Reference struct {
	Provider Provider
	ID       string
}

// NewReference returns the storable form of a reference, "<provider>:<id>".
func NewReference(p Provider, id string) string {
	return string(p) + ":" + id
}

// String returns the storable form, as NewReference does.
func (r Reference) String() string { return NewReference(r.Provider, r.ID) }

// MaxReferenceLength is the longest reference ParseReference accepts, in
// bytes.
const MaxReferenceLength = 512

// ParseReference splits a reference into its provider and vendor id. It
// refuses with ErrInvalidRequest an empty provider or id, a reference
// longer than MaxReferenceLength, a provider that is not lowercase letters
// and digits, and an id with anything but printable ASCII (no space, no
// control character). It does not check that the provider is one of this
// module's, so a Router can report an unknown one by name; vendor clients
// check their own id forms. Every reference is checked so before a
// ResultStore sees it.
func ParseReference(ref string) (Reference, error) {
	if len(ref) > MaxReferenceLength {
		return Reference{}, &Error{Op: "kyc.ParseReference", Kind: ErrInvalidRequest, NotSent: true, Unprocessed: true, Field: FieldReference,
			Message: "a reference is at most 512 bytes"}
	}
	p, id, ok := strings.Cut(ref, ":")
	if !ok || p == "" || id == "" {
		return Reference{}, &Error{Op: "kyc.ParseReference", Kind: ErrInvalidRequest, NotSent: true, Unprocessed: true, Field: FieldReference,
			Message: `a reference has the form "<provider>:<id>"`}
	}
	for _, c := range p {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return Reference{}, &Error{Op: "kyc.ParseReference", Kind: ErrInvalidRequest, NotSent: true, Unprocessed: true, Field: FieldReference,
				Message: "the provider part of a reference is lowercase letters and digits"}
		}
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c > '~' {
			return Reference{}, &Error{Op: "kyc.ParseReference", Kind: ErrInvalidRequest, NotSent: true, Unprocessed: true, Field: FieldReference,
				Message: "the id part of a reference is printable ASCII without spaces"}
		}
	}
	return Reference{Provider: Provider(p), ID: id}, nil
}
