package atlas

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
var printer = shape.New(PANStatus(""), AuthMode(0))

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (a ErrorBody) Format(f fmt.State, verb rune) { printer.Write(f, verb, a) }

// GoString prints the shape with the type name, as %#v does.
func (a ErrorBody) GoString() string { return printer.GoString(a) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (a AadhaarOTPResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, a) }

// GoString prints the shape with the type name, as %#v does.
func (a AadhaarOTPResult) GoString() string { return printer.GoString(a) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (b BankAccountRequest) Format(f fmt.State, verb rune) { printer.Write(f, verb, b) }

// GoString prints the shape with the type name, as %#v does.
func (b BankAccountRequest) GoString() string { return printer.GoString(b) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (b BankAccountResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, b) }

// GoString prints the shape with the type name, as %#v does.
func (b BankAccountResult) GoString() string { return printer.GoString(b) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (c Config) Format(f fmt.State, verb rune) { printer.Write(f, verb, c) }

// GoString prints the shape with the type name, as %#v does.
func (c Config) GoString() string { return printer.GoString(c) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (e ESignCallback) Format(f fmt.State, verb rune) { printer.Write(f, verb, e) }

// GoString prints the shape with the type name, as %#v does.
func (e ESignCallback) GoString() string { return printer.GoString(e) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (e ESignRequest) Format(f fmt.State, verb rune) { printer.Write(f, verb, e) }

// GoString prints the shape with the type name, as %#v does.
func (e ESignRequest) GoString() string { return printer.GoString(e) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (e ESignResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, e) }

// GoString prints the shape with the type name, as %#v does.
func (e ESignResult) GoString() string { return printer.GoString(e) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (r EnrolFaceResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, r) }

// GoString prints the shape with the type name, as %#v does.
func (r EnrolFaceResult) GoString() string { return printer.GoString(r) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (e Envelope) Format(f fmt.State, verb rune) { printer.Write(f, verb, e) }

// GoString prints the shape with the type name, as %#v does.
func (e Envelope) GoString() string { return printer.GoString(e) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (m FaceMatchResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, m) }

// GoString prints the shape with the type name, as %#v does.
func (m FaceMatchResult) GoString() string { return printer.GoString(m) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (f Form) Format(st fmt.State, verb rune) { printer.Write(st, verb, f) }

// GoString prints the shape with the type name, as %#v does.
func (f Form) GoString() string { return printer.GoString(f) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (p PANResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, p) }

// GoString prints the shape with the type name, as %#v does.
func (p PANResult) GoString() string { return printer.GoString(p) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (p Part) Format(f fmt.State, verb rune) { printer.Write(f, verb, p) }

// GoString prints the shape with the type name, as %#v does.
func (p Part) GoString() string { return printer.GoString(p) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (v VerificationResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, v) }

// GoString prints the shape with the type name, as %#v does.
func (v VerificationResult) GoString() string { return printer.GoString(v) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (v VideoChallengeResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, v) }

// GoString prints the shape with the type name, as %#v does.
func (v VideoChallengeResult) GoString() string { return printer.GoString(v) }
