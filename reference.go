package kyc

import "strings"

// Reference identifies a verification across processes: "<provider>:<vendor
// id>", such as "advanceai:a1b2c3" or "atlas:REQ123". It is what
// Result.Reference holds and what Verifier.Result takes. It never carries
// account credentials. Where a vendor can only read a session back with that
// session's own token (Incode), the vendor id part carries that token, so such
// a reference must be stored like a session secret.
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

// ParseReference splits a reference into its provider and vendor id. It
// refuses an empty provider or id with ErrInvalidRequest; it does not check
// that the provider is one of this module's, so a Router can report an
// unknown one by name.
func ParseReference(ref string) (Reference, error) {
	p, id, ok := strings.Cut(ref, ":")
	if !ok || p == "" || id == "" {
		return Reference{}, &Error{Op: "kyc.ParseReference", Kind: ErrInvalidRequest, Field: "ref",
			Message: `a reference has the form "<provider>:<id>"`}
	}
	for _, c := range p {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return Reference{}, &Error{Op: "kyc.ParseReference", Kind: ErrInvalidRequest, Field: "ref",
				Message: "the provider part of a reference is lowercase letters and digits"}
		}
	}
	return Reference{Provider: Provider(p), ID: id}, nil
}
