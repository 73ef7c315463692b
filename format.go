package kyc

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-go/kyc/internal/shape"
)

// Shape-only printing. Request, Person, Document, DocumentData, Result,
// Event and Reference implement fmt.Formatter and fmt.GoStringer so that
// every fmt verb (%v, %+v, %#v, %s, %q, %x, %d…) prints their shape only:
// the provider, the status, the reasons, the scores, counts, and which
// personal fields are set, never their values. An accidental
// fmt.Println(res) or log.Printf("%+v", req) leaks nothing.
//
// What fmt does not ask, it cannot be told: a Result held in an unexported
// field of the caller's own struct is printed by reflection, field by field,
// when that struct is printed, and so is a value (not a pointer) given to
// %p, which fmt reports as a bad verb by printing it raw. Give such structs
// a Format of their own, or hold a *Result (fmt prints a nested pointer as
// an address).

// The shapes are built with internal/shape's Fields and written by it, as
// every shape of the module is: this file only chooses, type by type, what
// a shape says.

// fields is the shape of a Person: which fields are set.
func (p Person) fields() shape.Fields {
	var s shape.Fields
	s.Set("FullName", p.FullName != "")
	s.Set("DateOfBirth", !p.DateOfBirth.IsZero())
	s.Set("Phone", p.Phone != "")
	s.Set("Email", p.Email != "")
	return s
}

// Format implements fmt.Formatter: it prints which fields are set, never
// their values, under every verb.
func (p Person) Format(f fmt.State, verb rune) { p.fields().Write(f, verb, "kyc.Person") }

// GoString prints the shape, as %#v does.
func (p Person) GoString() string { return p.fields().GoString("kyc.Person") }

// LogValue implements slog.LogValuer: the shape, as %v prints it, so that
// a JSON handler does not encode the person's fields.
func (p Person) LogValue() slog.Value { return slog.StringValue(p.fields().String()) }

func (l Link) fields() shape.Fields {
	var s shape.Fields
	s.Set("URL", l.URL != "")
	s.Set("ExpiresAt", !l.ExpiresAt.IsZero())
	return s
}

// Format implements fmt.Formatter: it prints which fields are set, never
// the URL (it opens the person's session, like a
// credential), under every verb.
func (l Link) Format(f fmt.State, verb rune) { l.fields().Write(f, verb, "kyc.Link") }

// GoString prints the shape, as %#v does.
func (l Link) GoString() string { return l.fields().GoString("kyc.Link") }

// LogValue implements slog.LogValuer: the shape, never the URL.
func (l Link) LogValue() slog.Value { return slog.StringValue(l.fields().String()) }

func (d Document) fields() shape.Fields {
	var s shape.Fields
	if d.Type != "" {
		s.Add("Type", shape.Token(string(d.Type)))
	}
	s.Set("Number", d.Number != "")
	s.Set("Front", d.Front != nil)
	s.Set("Back", d.Back != nil)
	return s
}

// Format implements fmt.Formatter: it prints the document type and which
// fields are set, never the number, under every verb.
func (d Document) Format(f fmt.State, verb rune) {
	d.fields().Write(f, verb, "kyc.Document")
}

// GoString prints the shape, as %#v does.
func (d Document) GoString() string { return d.fields().GoString("kyc.Document") }

// LogValue implements slog.LogValuer: the shape, as %v prints it, never
// the number.
func (d Document) LogValue() slog.Value { return slog.StringValue(d.fields().String()) }

func (r Request) fields() shape.Fields {
	var s shape.Fields
	s.Set("ID", r.ID != "")
	if r.Country != "" {
		s.Add("Country", shape.Token(r.Country))
	}
	s.Add("Document", r.Document.fields().String())
	s.Set("Selfie", r.Selfie != nil)
	s.Add("Person", r.Person.fields().String())
	var l shape.Fields
	l.Set("ReturnURL", r.Link.ReturnURL != "")
	l.Set("FailReturnURL", r.Link.FailReturnURL != "")
	l.Set("Message", r.Link.Message != "")
	l.Set("Sender", r.Link.Sender != "")
	l.Set("SendAt", !r.Link.SendAt.IsZero())
	if r.Link.Language != "" {
		l.Add("Language", shape.Token(r.Link.Language))
	}
	if len(l) > 0 {
		s.Add("Link", l.String())
	}
	return s
}

// Format implements fmt.Formatter: it prints the request's shape (country,
// document type, which inputs are present) under every verb, never the ID or
// a personal value.
func (r Request) Format(f fmt.State, verb rune) { r.fields().Write(f, verb, "kyc.Request") }

// GoString prints the shape, as %#v does.
func (r Request) GoString() string { return r.fields().GoString("kyc.Request") }

func (d DocumentData) fields() shape.Fields {
	var s shape.Fields
	if d.Type != "" {
		s.Add("Type", shape.Token(string(d.Type)))
	}
	s.Set("Number", d.Number != "")
	s.Set("FullName", d.FullName != "")
	s.Set("FirstName", d.FirstName != "")
	s.Set("LastName", d.LastName != "")
	s.Set("DateOfBirth", !d.DateOfBirth.IsZero())
	s.Set("IssueDate", !d.IssueDate.IsZero())
	s.Set("ExpiryDate", !d.ExpiryDate.IsZero())
	s.Set("Sex", d.Sex != "")
	s.Set("Nationality", d.Nationality != "")
	s.Set("IssuingCountry", d.IssuingCountry != "")
	s.Set("Address", d.Address != "")
	if len(d.Extra) > 0 {
		s.Add("Extra", strconv.Itoa(len(d.Extra))+" fields")
	}
	return s
}

// Format implements fmt.Formatter: it prints which fields the provider
// read, never their values, under every verb.
func (d DocumentData) Format(f fmt.State, verb rune) {
	d.fields().Write(f, verb, "kyc.DocumentData")
}

// GoString prints the shape, as %#v does.
func (d DocumentData) GoString() string { return d.fields().GoString("kyc.DocumentData") }

func (r Result) fields() shape.Fields {
	var s shape.Fields
	s.Add("Provider", shape.Token(string(r.Provider)))
	s.Add("Status", shape.Token(string(r.Status)))
	reasons := make([]string, len(r.Reasons))
	for i, x := range r.Reasons {
		reasons[i] = shape.Token(string(x))
	}
	s.Add("Reasons", "["+strings.Join(reasons, " ")+"]")
	if r.Resubmit {
		s.Add("Resubmit", "true")
	}
	var sc shape.Fields
	sc.Add("FaceMatch", r.Scores.FaceMatch.String())
	sc.Add("Liveness", r.Scores.Liveness.String())
	sc.Add("Document", r.Scores.Document.String())
	s.Add("Scores", sc.String())
	s.Add("Charged", r.Charged.String())
	if r.Source != "" {
		s.Add("Source", shape.Token(string(r.Source)))
	}
	s.Set("Reference", r.Reference != "")
	if r.Document != nil {
		s.Add("Document", r.Document.fields().String())
	}
	if r.Link != nil {
		s.Add("Link", "set")
	}
	if len(r.Raw) > 0 {
		s.Add("Raw", shape.Bytes(len(r.Raw)))
	}
	return s
}

// Format implements fmt.Formatter: it prints the result's shape (provider,
// status, reasons, scores, which fields are set) under every verb, never
// the reference, a document field, the link or the raw body.
func (r Result) Format(f fmt.State, verb rune) { r.fields().Write(f, verb, "kyc.Result") }

// GoString prints the shape, as %#v does.
func (r Result) GoString() string { return r.fields().GoString("kyc.Result") }

func (e Event) fields() shape.Fields {
	var s shape.Fields
	s.Add("Provider", shape.Token(string(e.Provider)))
	s.Add("Type", shape.Token(e.Type))
	s.Set("Reference", e.Reference != "")
	s.Add("Authenticated", strconv.FormatBool(e.Authenticated))
	s.Add("Confirmed", strconv.FormatBool(e.Confirmed))
	if !e.ReceivedAt.IsZero() {
		s.Add("ReceivedAt", e.ReceivedAt.UTC().Format(time.RFC3339))
	}
	if e.Result != nil {
		s.Add("Result", e.Result.fields().String())
	}
	if len(e.Raw) > 0 {
		s.Add("Raw", shape.Bytes(len(e.Raw)))
	}
	return s
}

// Format implements fmt.Formatter: it prints the event's shape (provider,
// type, whether it was authenticated or confirmed, its result's shape)
// under every verb, never the reference or the raw body.
func (e Event) Format(f fmt.State, verb rune) { e.fields().Write(f, verb, "kyc.Event") }

// GoString prints the shape, as %#v does.
func (e Event) GoString() string { return e.fields().GoString("kyc.Event") }

// refShape is "<provider>:[id, N bytes]".
func (r Reference) refShape() string {
	return shape.Token(string(r.Provider)) + ":[id, " + shape.Bytes(len(r.ID)) + "]"
}

// Format implements fmt.Formatter. It prints the provider and the id's
// length, under every verb, %s and %v included; String returns the
// storable form. See Reference for why.
func (r Reference) Format(f fmt.State, verb rune) { shape.Text(f, verb, r.refShape, r.GoString) }

// GoString prints the provider and the id's length, as %#v does.
func (r Reference) GoString() string {
	return "kyc.Reference{Provider:" + shape.Token(string(r.Provider)) + " ID:[" + shape.Bytes(len(r.ID)) + "]}"
}

// LogValue implements slog.LogValuer: the provider and the id's length,
// as %v prints them; log String() where the storable form is meant.
func (r Reference) LogValue() slog.Value { return slog.StringValue(r.refShape()) }
