package incode

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
var printer = shape.New(ScoreStatus(""), OnboardingStatus(""), SessionEvent(""))

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (a ApproveResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, a) }

// GoString prints the shape with the type name, as %#v does.
func (a ApproveResult) GoString() string { return printer.GoString(a) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (c Config) Format(f fmt.State, verb rune) { printer.Write(f, verb, c) }

// GoString prints the shape with the type name, as %#v does.
func (c Config) GoString() string { return printer.GoString(c) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (r FaceMatchResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, r) }

// GoString prints the shape with the type name, as %#v does.
func (r FaceMatchResult) GoString() string { return printer.GoString(r) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (f FaceRecognitionScores) Format(st fmt.State, verb rune) { printer.Write(st, verb, f) }

// GoString prints the shape with the type name, as %#v does.
func (f FaceRecognitionScores) GoString() string { return printer.GoString(f) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (f FinishResult) Format(st fmt.State, verb rune) { printer.Write(st, verb, f) }

// GoString prints the shape with the type name, as %#v does.
func (f FinishResult) GoString() string { return printer.GoString(f) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (r IDSideResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, r) }

// GoString prints the shape with the type name, as %#v does.
func (r IDSideResult) GoString() string { return printer.GoString(r) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (i IDValidationScores) Format(f fmt.State, verb rune) { printer.Write(f, verb, i) }

// GoString prints the shape with the type name, as %#v does.
func (i IDValidationScores) GoString() string { return printer.GoString(i) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (l LivenessScores) Format(f fmt.State, verb rune) { printer.Write(f, verb, l) }

// GoString prints the shape with the type name, as %#v does.
func (l LivenessScores) GoString() string { return printer.GoString(l) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (o OCRAddress) Format(f fmt.State, verb rune) { printer.Write(f, verb, o) }

// GoString prints the shape with the type name, as %#v does.
func (o OCRAddress) GoString() string { return printer.GoString(o) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (o OCRConfidenceScores) Format(f fmt.State, verb rune) { printer.Write(f, verb, o) }

// GoString prints the shape with the type name, as %#v does.
func (o OCRConfidenceScores) GoString() string { return printer.GoString(o) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (o OCRName) Format(f fmt.State, verb rune) { printer.Write(f, verb, o) }

// GoString prints the shape with the type name, as %#v does.
func (o OCRName) GoString() string { return printer.GoString(o) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (l OnboardingLink) Format(f fmt.State, verb rune) { printer.Write(f, verb, l) }

// GoString prints the shape with the type name, as %#v does.
func (l OnboardingLink) GoString() string { return printer.GoString(l) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (d OCRResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, d) }

// GoString prints the shape with the type name, as %#v does.
func (d OCRResult) GoString() string { return printer.GoString(d) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (it ScoreItem) Format(f fmt.State, verb rune) { printer.Write(f, verb, it) }

// GoString prints the shape with the type name, as %#v does.
func (it ScoreItem) GoString() string { return printer.GoString(it) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (r ScoreResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, r) }

// GoString prints the shape with the type name, as %#v does.
func (r ScoreResult) GoString() string { return printer.GoString(r) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (r SelfieResult) Format(f fmt.State, verb rune) { printer.Write(f, verb, r) }

// GoString prints the shape with the type name, as %#v does.
func (r SelfieResult) GoString() string { return printer.GoString(r) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (s Session) Format(f fmt.State, verb rune) { printer.Write(f, verb, s) }

// GoString prints the shape with the type name, as %#v does.
func (s Session) GoString() string { return printer.GoString(s) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (s SessionInput) Format(f fmt.State, verb rune) { printer.Write(f, verb, s) }

// GoString prints the shape with the type name, as %#v does.
func (s SessionInput) GoString() string { return printer.GoString(s) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (s StartRequest) Format(f fmt.State, verb rune) { printer.Write(f, verb, s) }

// GoString prints the shape with the type name, as %#v does.
func (s StartRequest) GoString() string { return printer.GoString(s) }

// Format implements fmt.Formatter: it prints the shape only, under every verb.
func (w WebhookPayload) Format(f fmt.State, verb rune) { printer.Write(f, verb, w) }

// GoString prints the shape with the type name, as %#v does.
func (w WebhookPayload) GoString() string { return printer.GoString(w) }
