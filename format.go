package kyc

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
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

// shape builds "Name:value" pairs.
type shape []string

func (s *shape) add(name, value string) { *s = append(*s, name+":"+value) }

// set adds "name:set" when ok.
func (s *shape) set(name string, ok bool) {
	if ok {
		s.add(name, "set")
	}
}

func (s shape) String() string { return "{" + strings.Join(s, " ") + "}" }

// writeShape writes body for verb: %#v gets the type name in front (as Go
// syntax would), %q a quoted form, every other verb the plain form.
func writeShape(f fmt.State, verb rune, typeName string, body string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		body = "kyc." + typeName + body
	case verb == 'q':
		body = strconv.Quote(body)
	}
	_, _ = io.WriteString(f, body)
}

// token returns s when it is a short identifier-like value (an enum, a
// vendor's event name, a country code), "?" otherwise, so that nothing
// free-form reaches a shape.
func token(s string) string {
	if s == "" || len(s) > 64 {
		if s == "" {
			return `""`
		}
		return "?"
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return "?"
		}
	}
	return s
}

func bytesLen(n int) string { return strconv.Itoa(n) + " bytes" }

// shape of a Person: which fields are set.
func (p Person) shape() shape {
	var s shape
	s.set("FullName", p.FullName != "")
	s.set("DateOfBirth", !p.DateOfBirth.IsZero())
	s.set("Phone", p.Phone != "")
	s.set("Email", p.Email != "")
	return s
}

// Format implements fmt.Formatter: it prints which fields are set, never
// their values, under every verb.
func (p Person) Format(f fmt.State, verb rune) { writeShape(f, verb, "Person", p.shape().String()) }

// GoString prints the shape, as %#v does.
func (p Person) GoString() string { return "kyc.Person" + p.shape().String() }

func (d Document) shape() shape {
	var s shape
	if d.Type != "" {
		s.add("Type", token(string(d.Type)))
	}
	s.set("Number", d.Number != "")
	s.set("Front", d.Front != nil)
	s.set("Back", d.Back != nil)
	return s
}

// Format implements fmt.Formatter: it prints the document type and which
// fields are set, never the number, under every verb.
func (d Document) Format(f fmt.State, verb rune) {
	writeShape(f, verb, "Document", d.shape().String())
}

// GoString prints the shape, as %#v does.
func (d Document) GoString() string { return "kyc.Document" + d.shape().String() }

func (r Request) shape() shape {
	var s shape
	s.set("ID", r.ID != "")
	if r.Country != "" {
		s.add("Country", token(r.Country))
	}
	s.add("Document", r.Document.shape().String())
	s.set("Selfie", r.Selfie != nil)
	s.add("Person", r.Person.shape().String())
	var l shape
	l.set("ReturnURL", r.Link.ReturnURL != "")
	l.set("FailReturnURL", r.Link.FailReturnURL != "")
	l.set("Message", r.Link.Message != "")
	l.set("Sender", r.Link.Sender != "")
	l.set("SendAt", !r.Link.SendAt.IsZero())
	if len(l) > 0 {
		s.add("Link", l.String())
	}
	return s
}

// Format implements fmt.Formatter: it prints the request's shape (country,
// document type, which inputs are present) under every verb, never the ID or
// a personal value.
func (r Request) Format(f fmt.State, verb rune) { writeShape(f, verb, "Request", r.shape().String()) }

// GoString prints the shape, as %#v does.
func (r Request) GoString() string { return "kyc.Request" + r.shape().String() }

func (d DocumentData) shape() shape {
	var s shape
	if d.Type != "" {
		s.add("Type", token(string(d.Type)))
	}
	s.set("Number", d.Number != "")
	s.set("FullName", d.FullName != "")
	s.set("FirstName", d.FirstName != "")
	s.set("LastName", d.LastName != "")
	s.set("DateOfBirth", !d.DateOfBirth.IsZero())
	s.set("IssueDate", !d.IssueDate.IsZero())
	s.set("ExpiryDate", !d.ExpiryDate.IsZero())
	s.set("Sex", d.Sex != "")
	s.set("Nationality", d.Nationality != "")
	s.set("IssuingCountry", d.IssuingCountry != "")
	s.set("Address", d.Address != "")
	if len(d.Extra) > 0 {
		s.add("Extra", strconv.Itoa(len(d.Extra))+" fields")
	}
	return s
}

// Format implements fmt.Formatter: it prints which fields the provider
// read, never their values, under every verb.
func (d DocumentData) Format(f fmt.State, verb rune) {
	writeShape(f, verb, "DocumentData", d.shape().String())
}

// GoString prints the shape, as %#v does.
func (d DocumentData) GoString() string { return "kyc.DocumentData" + d.shape().String() }

func (r Result) shape() shape {
	var s shape
	s.add("Provider", token(string(r.Provider)))
	s.add("Status", token(string(r.Status)))
	reasons := make([]string, len(r.Reasons))
	for i, x := range r.Reasons {
		reasons[i] = token(string(x))
	}
	s.add("Reasons", "["+strings.Join(reasons, " ")+"]")
	if r.Resubmit {
		s.add("Resubmit", "true")
	}
	s.add("Scores", "{FaceMatch:"+r.Scores.FaceMatch.String()+" Liveness:"+r.Scores.Liveness.String()+
		" Document:"+r.Scores.Document.String()+"}")
	s.add("Charged", r.Charged.String())
	if r.Source != "" {
		s.add("Source", token(string(r.Source)))
	}
	s.set("Reference", r.Reference != "")
	if r.Document != nil {
		s.add("Document", r.Document.shape().String())
	}
	if r.Link != nil {
		s.add("Link", "set")
	}
	if len(r.Raw) > 0 {
		s.add("Raw", bytesLen(len(r.Raw)))
	}
	return s
}

// Format implements fmt.Formatter: it prints the result's shape (provider,
// status, reasons, scores, which fields are set) under every verb, never
// the reference, a document field, the link or the raw body.
func (r Result) Format(f fmt.State, verb rune) { writeShape(f, verb, "Result", r.shape().String()) }

// GoString prints the shape, as %#v does.
func (r Result) GoString() string { return "kyc.Result" + r.shape().String() }

func (e Event) shape() shape {
	var s shape
	s.add("Provider", token(string(e.Provider)))
	s.add("Type", token(e.Type))
	s.set("Reference", e.Reference != "")
	s.add("Authenticated", strconv.FormatBool(e.Authenticated))
	s.add("Confirmed", strconv.FormatBool(e.Confirmed))
	if !e.ReceivedAt.IsZero() {
		s.add("ReceivedAt", e.ReceivedAt.UTC().Format(time.RFC3339))
	}
	if e.Result != nil {
		s.add("Result", e.Result.shape().String())
	}
	if len(e.Raw) > 0 {
		s.add("Raw", bytesLen(len(e.Raw)))
	}
	return s
}

// Format implements fmt.Formatter: it prints the event's shape (provider,
// type, whether it was authenticated or confirmed, its result's shape)
// under every verb, never the reference or the raw body.
func (e Event) Format(f fmt.State, verb rune) { writeShape(f, verb, "Event", e.shape().String()) }

// GoString prints the shape, as %#v does.
func (e Event) GoString() string { return "kyc.Event" + e.shape().String() }

// refShape is "<provider>:[id, N bytes]".
func (r Reference) refShape() string {
	return token(string(r.Provider)) + ":[id, " + bytesLen(len(r.ID)) + "]"
}

// Format implements fmt.Formatter. It prints the provider and the id's
// length, under every verb, %s and %v included; String returns the
// storable form. See Reference for why.
func (r Reference) Format(f fmt.State, verb rune) {
	s := r.refShape()
	switch {
	case verb == 'v' && f.Flag('#'):
		s = r.GoString()
	case verb == 'q':
		s = strconv.Quote(s)
	}
	_, _ = io.WriteString(f, s)
}

// GoString prints the provider and the id's length, as %#v does.
func (r Reference) GoString() string {
	return "kyc.Reference{Provider:" + token(string(r.Provider)) + " ID:[" + bytesLen(len(r.ID)) + "]}"
}
