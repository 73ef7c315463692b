// Package shape prints a struct's shape, never its personal values: the
// vendor packages' request and result types implement fmt.Formatter and
// fmt.GoStringer with it, so that every fmt verb (%v, %+v, %#v, %s, %q, %x,
// %d…) shows which fields are set and the enums that say how a call went,
// and nothing a person, a vendor or a credential put in a field.
//
// # The rule
//
// Every exported field is printed as Name:value, in declaration order.
// Unexported fields are never printed. The value is:
//
//   - a bool: true or false;
//   - a value of an allowed type: its value, through its String method when
//     it has one, and only when that text is a short token (see Token), "?"
//     otherwise, so that free text never reaches a shape even in an allowed
//     type. The allowed types are the root
//     package's enums and scores (kyc.Status, Reason, Provider, Source,
//     DocumentType, Flow, Field, Class, Charge, Score), time.Duration, and
//     the named types a Printer is given with New: a vendor package lists
//     there the enums it declares, such as atlas.PANStatus;
//   - a slice or array of an allowed type (such as []kyc.Reason): its values;
//   - []byte and json.RawMessage: "N bytes", "-" when empty;
//   - another slice or array: "N items"; a map: "N entries"; "-" when empty;
//   - a struct of this module with exported fields (directly or through a
//     pointer): its own shape, nested at most MaxDepth levels, "set" deeper;
//   - a pointer to another package's struct (*http.Client,
//     *httptest.Server): "set" or "-", without reading what it points to;
//   - anything else — strings, numbers that are not allowed types (an
//     account number or an age is a number), times and other packages'
//     structs, kyc.Secret, kyc.Image, interfaces, funcs, channels, structs
//     without exported fields — "set" when it is not the zero value, "-"
//     when it is.
//
// A plain string is never printed, whatever it holds: a vendor status sent
// as a string shows as "set". Give the field a named enum type and list it
// in New to have it printed.
//
// # Hand-built shapes
//
// The root package's types (Request, Result, Event, Person, Document,
// DocumentData) choose their shapes field by field with Fields, which
// prints them the same way; kyc.Error and kyc.Reference print texts of
// their own through Text. So every shape-only Format of the module goes
// through this package, and it imports nothing of the module.
//
// %#v and GoString prefix the shape with the type's name ("atlas.PANResult");
// %q quotes the shape; every other verb prints it as it is.
package shape

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// MaxDepth is how many levels of nested structs a shape shows.
const MaxDepth = 3

// rootPath is the import path of the root package, whose enums are always
// allowed. It is named, not imported, so that the root package may use
// this package too.
const rootPath = "github.com/kyc-go/kyc"

// rootEnums are the root package's types whose values are printed.
var rootEnums = map[string]bool{
	"Status": true, "Reason": true, "Provider": true, "Source": true, "DocumentType": true,
	"Flow": true, "Field": true, "Class": true, "Charge": true, "Score": true,
}

// Printer prints shapes, with its own allowed types on top of the root
// package's enums and time.Duration.
type Printer struct {
	allowed map[reflect.Type]bool
}

// Default allows the root package's enums and time.Duration only.
var Default = New()

// New returns a Printer that also prints the values of the types of enums:
// pass one value of each named type whose values are safe to print (the
// enums a vendor package declares, never a type that can hold a person's
// data, a vendor's free text or a credential).
func New(enums ...any) *Printer {
	p := &Printer{allowed: make(map[reflect.Type]bool, len(enums))}
	for _, e := range enums {
		p.allowed[reflect.TypeOf(e)] = true
	}
	return p
}

// Write writes v's shape for verb (see Text): it is the whole body of a
// type's Format method.
func (p *Printer) Write(f fmt.State, verb rune, v any) {
	Text(f, verb, func() string { return p.String(v) }, func() string { return p.GoString(v) })
}

// GoString returns v's type name followed by its shape, as %#v prints it.
func (p *Printer) GoString(v any) string {
	t := reflect.TypeOf(v)
	if t == nil {
		return "<nil>"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.String() + p.String(v)
}

// String returns v's shape: "{Name:value ...}" for a struct, the value's
// shape in braces ("{2 entries}") for another type, "<nil>" for a nil
// pointer.
func (p *Printer) String(v any) string {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return "<nil>"
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return "<nil>"
	}
	if rv.Kind() != reflect.Struct {
		return "{" + p.value(rv, 1) + "}"
	}
	return p.structShape(rv, 0)
}

// Format writes v's shape with Default.
func Format(f fmt.State, verb rune, v any) { Default.Write(f, verb, v) }

// GoString returns v's shape with Default, as %#v prints it.
func GoString(v any) string { return Default.GoString(v) }

func (p *Printer) structShape(v reflect.Value, depth int) string {
	t := v.Type()
	s := make(Fields, 0, t.NumField())
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		s.Add(sf.Name, p.value(v.Field(i), depth+1))
	}
	return s.String()
}

// Allowed reports whether the values of type t are printed (as tokens).
func (p *Printer) Allowed(t reflect.Type) bool { return p.isAllowed(t) }

// isAllowed reports whether values of t are printed.
func (p *Printer) isAllowed(t reflect.Type) bool {
	if p.allowed[t] {
		return true
	}
	switch t.PkgPath() {
	case rootPath:
		return rootEnums[t.Name()]
	case "time":
		return t.Name() == "Duration"
	}
	return false
}

// ours reports whether the struct type t is declared in this module (or
// is unnamed, declared inline in one of its types): only those are walked.
// Another package's struct (time.Time, url.URL, *http.Client,
// *httptest.Server) is "set" or "-": its fields are not ours to judge, and a
// live one may be written to while it is printed.
func ours(t reflect.Type) bool {
	path := t.PkgPath()
	return t.Name() == "" || path == rootPath || strings.HasPrefix(path, rootPath+"/")
}

// hasExported reports whether the struct type t has an exported field.
func hasExported(t reflect.Type) bool {
	for i := range t.NumField() {
		if t.Field(i).IsExported() {
			return true
		}
	}
	return false
}

func setOrNot(v reflect.Value) string {
	if v.IsZero() {
		return "-"
	}
	return "set"
}

// value is the shape of one field's value; depth is the nesting level of
// the struct that holds it plus one.
func (p *Printer) value(v reflect.Value, depth int) string {
	if !v.IsValid() {
		return "-"
	}
	t := v.Type()
	if p.isAllowed(t) {
		return p.allowedValue(v)
	}
	switch t.Kind() {
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Pointer:
		if v.IsNil() {
			return "-"
		}
		e := v.Elem()
		if e.Kind() == reflect.Struct && ours(e.Type()) || e.Kind() == reflect.Bool || p.isAllowed(e.Type()) {
			return p.value(e, depth)
		}
		return "set" // not read: it may be in use (a live *httptest.Server)
	case reflect.Struct:
		if depth > MaxDepth || !ours(t) || !hasExported(t) {
			return setOrNot(v)
		}
		return p.structShape(v, depth)
	case reflect.Slice, reflect.Array:
		if v.Len() == 0 {
			return "-"
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return Bytes(v.Len())
		}
		if p.isAllowed(t.Elem()) {
			items := make([]string, v.Len())
			for i := range items {
				items[i] = p.allowedValue(v.Index(i))
			}
			return "[" + strings.Join(items, " ") + "]"
		}
		return strconv.Itoa(v.Len()) + " items"
	case reflect.Map:
		if v.Len() == 0 {
			return "-"
		}
		return strconv.Itoa(v.Len()) + " entries"
	}
	return setOrNot(v)
}

// allowedValue prints a value of an allowed type as a token.
func (p *Printer) allowedValue(v reflect.Value) string {
	var s string
	if v.Kind() == reflect.String && v.Len() == 0 {
		return "-"
	}
	if v.CanInterface() {
		if st, ok := v.Interface().(fmt.Stringer); ok {
			return Token(st.String())
		}
	}
	switch v.Kind() {
	case reflect.String:
		if v.Len() == 0 {
			return "-"
		}
		s = v.String()
	case reflect.Bool:
		s = strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s = strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s = strconv.FormatUint(v.Uint(), 10)
	default:
		return setOrNot(v)
	}
	return Token(s)
}

// Token returns s when it is a short token (ASCII letters, digits, '_',
// '-', '.', and 'µ' for durations; at most 64 bytes), `""` when empty and "?" otherwise, so that no
// free text reaches a shape.
func Token(s string) string {
	if s == "" {
		return `""`
	}
	if len(s) > 64 {
		return "?"
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == 'µ') {
			return "?"
		}
	}
	return s
}
