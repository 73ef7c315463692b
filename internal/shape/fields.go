package shape

// The printing primitives every shape goes through: the hand-built Fields
// of the root package's types, the reflective Printer of the vendor
// packages, and the texts of kyc.Error and kyc.Reference.

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Fields is a shape built field by field, for a type that chooses what
// its shape says (the root package's Request, Result, Event…) instead of
// having every exported field read by reflection: "Name:value" pairs,
// printed in braces. Values are the caller's: pass only tokens (Token),
// "set", counts (Bytes) and nested shapes, never a field's own text.
type Fields []string

// Add appends the pair name:value.
func (s *Fields) Add(name, value string) { *s = append(*s, name+":"+value) }

// Set appends name:set when ok, nothing otherwise.
func (s *Fields) Set(name string, ok bool) {
	if ok {
		s.Add(name, "set")
	}
}

// String returns the shape: "{Name:value ...}", "{}" when empty.
func (s Fields) String() string { return "{" + strings.Join(s, " ") + "}" }

// GoString returns the shape behind typeName ("kyc.Result{...}"), as %#v
// prints it.
func (s Fields) GoString(typeName string) string { return typeName + s.String() }

// Write writes the shape for verb, as the Format method of the type named
// typeName: %#v gets the type name in front, %q the quoted shape, every
// other verb the shape as it is.
func (s Fields) Write(f fmt.State, verb rune, typeName string) {
	Text(f, verb, s.String, func() string { return s.GoString(typeName) })
}

// Text writes what a type prints for verb: goSyntax() for %#v, text()
// quoted for %q, text() for every other verb, so that no verb reaches the
// type's fields by reflection. It is the body of every Format method that
// goes through this package: Printer.Write, Fields.Write, and the root
// package's Error and Reference, whose texts are built by their own rules.
func Text(f fmt.State, verb rune, text, goSyntax func() string) {
	var s string
	switch {
	case verb == 'v' && f.Flag('#'):
		s = goSyntax()
	case verb == 'q':
		s = strconv.Quote(text())
	default:
		s = text()
	}
	_, _ = io.WriteString(f, s)
}

// Bytes is the shape of n bytes of data: "N bytes".
func Bytes(n int) string { return strconv.Itoa(n) + " bytes" }
