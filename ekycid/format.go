package ekycid

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

// printer also prints the values of the package's own enums.
var printer = shape.New(ObjectType(""), Check(""), Decision(0))

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (c CompareFacesRequest) Format(f fmt.State, verb rune) { printer.Write(f, verb, c) }

// GoString prints the shape with the type name, as %#v does.
func (c CompareFacesRequest) GoString() string { return printer.GoString(c) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (c Config) Format(f fmt.State, verb rune) { printer.Write(f, verb, c) }

// GoString prints the shape with the type name, as %#v does.
func (c Config) GoString() string { return printer.GoString(c) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (d DetectIDRequest) Format(f fmt.State, verb rune) { printer.Write(f, verb, d) }

// GoString prints the shape with the type name, as %#v does.
func (d DetectIDRequest) GoString() string { return printer.GoString(d) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (e ExpressKYCRequest) Format(f fmt.State, verb rune) { printer.Write(f, verb, e) }

// GoString prints the shape with the type name, as %#v does.
func (e ExpressKYCRequest) GoString() string { return printer.GoString(e) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (f Form) Format(st fmt.State, verb rune) { printer.Write(st, verb, f) }

// GoString prints the shape with the type name, as %#v does.
func (f Form) GoString() string { return printer.GoString(f) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (l LivenessRequest) Format(f fmt.State, verb rune) { printer.Write(f, verb, l) }

// GoString prints the shape with the type name, as %#v does.
func (l LivenessRequest) GoString() string { return printer.GoString(l) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (m ManualKYCRequest) Format(f fmt.State, verb rune) { printer.Write(f, verb, m) }

// GoString prints the shape with the type name, as %#v does.
func (m ManualKYCRequest) GoString() string { return printer.GoString(m) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (m Media) Format(f fmt.State, verb rune) { printer.Write(f, verb, m) }

// GoString prints the shape with the type name, as %#v does.
func (m Media) GoString() string { return printer.GoString(m) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (o OCRRequest) Format(f fmt.State, verb rune) { printer.Write(f, verb, o) }

// GoString prints the shape with the type name, as %#v does.
func (o OCRRequest) GoString() string { return printer.GoString(o) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (o Outcome) Format(f fmt.State, verb rune) { printer.Write(f, verb, o) }

// GoString prints the shape with the type name, as %#v does.
func (o Outcome) GoString() string { return printer.GoString(o) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (r ReplyError) Format(f fmt.State, verb rune) { printer.Write(f, verb, r) }

// GoString prints the shape with the type name, as %#v does.
func (r ReplyError) GoString() string { return printer.GoString(r) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (r ReplyResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, r) }

// GoString prints the shape with the type name, as %#v does.
func (r ReplyResult) GoString() string { return printer.GoString(r) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (s Sequence) Format(f fmt.State, verb rune) { printer.Write(f, verb, s) }

// GoString prints the shape with the type name, as %#v does.
func (s Sequence) GoString() string { return printer.GoString(s) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (s ServiceUsage) Format(f fmt.State, verb rune) { printer.Write(f, verb, s) }

// GoString prints the shape with the type name, as %#v does.
func (s ServiceUsage) GoString() string { return printer.GoString(s) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (s SubmissionResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, s) }

// GoString prints the shape with the type name, as %#v does.
func (s SubmissionResult) GoString() string { return printer.GoString(s) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (v Verdict) Format(f fmt.State, verb rune) { printer.Write(f, verb, v) }

// GoString prints the shape with the type name, as %#v does.
func (v Verdict) GoString() string { return printer.GoString(v) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (v Video) Format(f fmt.State, verb rune) { printer.Write(f, verb, v) }

// GoString prints the shape with the type name, as %#v does.
func (v Video) GoString() string { return printer.GoString(v) }
