package incodetest

import (
	"fmt"

	"github.com/kyc-go/kyc/internal/shape"
)

// Shape-only printing. Every exported type of the package that can hold
// personal data, a credential or a token implements fmt.Formatter and
// fmt.GoStringer, so that every fmt verb (%v, %+v, %#v, %s, %q, %x, %d…)
// prints its shape only: which fields are set, booleans, the enums that
// say how a call went, and counts; never a name, a number, a token or a
// body. See internal/shape for the rule. JSON and slog are unchanged.

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (s *Server) Format(f fmt.State, verb rune) { shape.Format(f, verb, s) }

// GoString prints the shape with the type name, as %#v does.
func (s *Server) GoString() string { return shape.GoString(s) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (h Hook) Format(f fmt.State, verb rune) { shape.Format(f, verb, h) }

// GoString prints the shape with the type name, as %#v does.
func (h Hook) GoString() string { return shape.GoString(h) }
