package advanceai

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
//
// Client prints its provider only, through the transport.Base it embeds.

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (c Config) Format(f fmt.State, verb rune) { shape.Format(f, verb, c) }

// GoString prints the shape with the type name, as %#v does.
func (c Config) GoString() string { return shape.GoString(c) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (e Envelope) Format(f fmt.State, verb rune) { shape.Format(f, verb, e) }

// GoString prints the shape with the type name, as %#v does.
func (e Envelope) GoString() string { return shape.GoString(e) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (g GenerateURLRequest) Format(f fmt.State, verb rune) { shape.Format(f, verb, g) }

// GoString prints the shape with the type name, as %#v does.
func (g GenerateURLRequest) GoString() string { return shape.GoString(g) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (g GenerateURLResult) Format(f fmt.State, verb rune) { shape.Format(f, verb, g) }

// GoString prints the shape with the type name, as %#v does.
func (g GenerateURLResult) GoString() string { return shape.GoString(g) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (i IDVResult) Format(f fmt.State, verb rune) { shape.Format(f, verb, i) }

// GoString prints the shape with the type name, as %#v does.
func (i IDVResult) GoString() string { return shape.GoString(i) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (m Meta) Format(f fmt.State, verb rune) { shape.Format(f, verb, m) }

// GoString prints the shape with the type name, as %#v does.
func (m Meta) GoString() string { return shape.GoString(m) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (o OCRResult) Format(f fmt.State, verb rune) { shape.Format(f, verb, o) }

// GoString prints the shape with the type name, as %#v does.
func (o OCRResult) GoString() string { return shape.GoString(o) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (t TokenResult) Format(f fmt.State, verb rune) { shape.Format(f, verb, t) }

// GoString prints the shape with the type name, as %#v does.
func (t TokenResult) GoString() string { return shape.GoString(t) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (r VerificationResult) Format(f fmt.State, verb rune) { shape.Format(f, verb, r) }

// GoString prints the shape with the type name, as %#v does.
func (r VerificationResult) GoString() string { return shape.GoString(r) }
