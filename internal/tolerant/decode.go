package tolerant

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
)

// Decode fills the struct v points to from the JSON object b, so that a
// public result type is decoded directly, without a wire twin and a copy.
// A field takes part when it has a `wire:"name"` tag; its Go kind says how
// loosely its value is read:
//
//   - string kinds as String (a number, a boolean or null is text);
//   - bool kinds as Bool; integer kinds as Int; float kinds as Float;
//   - a struct, a pointer to one, a slice or an array of them: recursively,
//     with these same rules;
//   - null, for any kind, leaves the field as it is (so a field set
//     before Decode keeps its default);
//   - json.RawMessage: the value as sent; anything else: encoding/json.
//
// Options after the name: `valid=Other` sets the bool field Other when the
// value was present and not empty or null (Float's Valid); `signed` reads a
// float as Signed does; `nested` accepts an object sent inside a string
// (Nested); `one` accepts an object sent as a one-element array (One).
//
// An embedded struct, or a pointer to one, is filled from the same object,
// as encoding/json promotes its fields (a nil pointer is allocated).
//
// Keys match as encoding/json matches them: a key equal to the tag under
// case folding fills the field, and the last such key wins. A value of the
// wrong shape (an object for a string) is an error, as it is for the
// tolerant types, and so is anything after the object.
func Decode(b []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return errors.New("tolerant: Decode wants a pointer to a struct")
	}
	return object(bytes.TrimSpace(b), rv.Elem(), "")
}

// rawType is json.RawMessage, which is taken as sent.
var rawType = reflect.TypeOf(json.RawMessage(nil))

// fill decodes raw into rv by rv's kind; opts are the field's options.
func fill(raw []byte, rv reflect.Value, opts string) error {
	if rv.Type() == rawType {
		rv.SetBytes(append(json.RawMessage(nil), raw...))
		return nil
	}
	if isNull(raw) {
		return nil
	}
	switch rv.Kind() {
	case reflect.String:
		var s String
		err := s.UnmarshalJSON(raw)
		rv.SetString(string(s))
		return err
	case reflect.Bool:
		var x Bool
		err := x.UnmarshalJSON(raw)
		rv.SetBool(bool(x))
		return err
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var x Int
		err := x.UnmarshalJSON(raw)
		rv.SetInt(int64(x))
		return err
	case reflect.Float32, reflect.Float64:
		if hasOpt(opts, "signed") {
			var x Signed
			err := x.UnmarshalJSON(raw)
			rv.SetFloat(x.Value)
			return err
		}
		var x Float
		err := x.UnmarshalJSON(raw)
		rv.SetFloat(x.Value)
		return err
	}
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.Type().Elem().Kind() != reflect.Struct {
			break
		}
		p := reflect.New(rv.Type().Elem())
		if err := fill(raw, p.Elem(), opts); err != nil {
			return err
		}
		rv.Set(p)
		return nil
	case reflect.Struct:
		if rv.NumField() == 0 || !hasWireTags(rv.Type()) {
			break
		}
		return object(raw, rv, opts)
	case reflect.Slice:
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return err
		}
		s := reflect.MakeSlice(rv.Type(), len(items), len(items))
		for i, it := range items {
			if err := fill(bytes.TrimSpace(it), s.Index(i), ""); err != nil {
				return err
			}
		}
		rv.Set(s)
		return nil
	}
	return json.Unmarshal(raw, rv.Addr().Interface())
}

// object fills the tagged fields of the struct rv from the object raw.
func object(raw []byte, rv reflect.Value, opts string) error {
	if hasOpt(opts, "nested") && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		if raw = bytes.TrimSpace([]byte(s)); len(raw) == 0 {
			return nil
		}
	}
	if hasOpt(opts, "one") && raw[0] == '[' {
		var arr []json.RawMessage
		if err := json.Unmarshal(raw, &arr); err != nil {
			return err
		}
		if len(arr) == 0 {
			return errors.New("tolerant: empty array")
		}
		raw = bytes.TrimSpace(arr[0])
	}
	members, err := members(raw)
	if err != nil {
		return err
	}
	return fields(members, rv)
}

// fields fills the tagged fields of the struct rv from the object's
// members. An embedded struct (or pointer to one) without a tag of its own
// is filled from the same members, as encoding/json promotes its fields;
// an outer field of the same key is filled too, so a struct can embed a
// public type and add keys it reads differently.
func fields(ms []member, rv reflect.Value) error {
	t := rv.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, fopts, _ := strings.Cut(f.Tag.Get("wire"), ",")
		if f.Anonymous && name == "" {
			if err := embedded(ms, rv.Field(i)); err != nil {
				return err
			}
			continue
		}
		if name == "" || name == "-" || !rv.Field(i).CanSet() {
			continue
		}
		val, ok := lookup(ms, name)
		if !ok {
			continue
		}
		if err := fill(val, rv.Field(i), fopts); err != nil {
			return err
		}
		if other := optValue(fopts, "valid"); other != "" {
			if vf := rv.FieldByName(other); vf.IsValid() && vf.Kind() == reflect.Bool {
				vf.SetBool(!empty(val))
			}
		}
	}
	return nil
}

// embedded fills the embedded struct field fv, allocating it when it is a
// nil pointer of an exported type (one of an unexported type cannot be set,
// as encoding/json cannot either, and is left nil).
func embedded(ms []member, fv reflect.Value) error {
	switch {
	case fv.Kind() == reflect.Struct && hasWireTags(fv.Type()):
		return fields(ms, fv)
	case fv.Kind() == reflect.Pointer && fv.Type().Elem().Kind() == reflect.Struct && hasWireTags(fv.Type().Elem()):
		if fv.IsNil() {
			if !fv.CanSet() {
				return nil
			}
			fv.Set(reflect.New(fv.Type().Elem()))
		}
		return fields(ms, fv.Elem())
	}
	return nil
}

// member is one key and value of an object, in the order sent.
type member struct {
	key string
	val []byte
}

// members reads the object raw in order, so that a repeated key resolves
// as encoding/json resolves it (the last wins) and deterministically.
func members(raw []byte) ([]member, error) {
	if len(raw) == 0 || raw[0] != '{' {
		return nil, errors.New("tolerant: expected an object")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var out []member
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, member{key: k.(string), val: bytes.TrimSpace(v)})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	// dec.More is false before a stray '}' or ']': look at the bytes.
	if len(bytes.TrimSpace(raw[dec.InputOffset():])) != 0 {
		return nil, errors.New("tolerant: data after the object")
	}
	return out, nil
}

// lookup finds name in ms as encoding/json would fill its field: every key
// equal to name under case folding sets it, so the last such key wins.
func lookup(ms []member, name string) ([]byte, bool) {
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].key == name || strings.EqualFold(ms[i].key, name) {
			return ms[i].val, true
		}
	}
	return nil, false
}

// hasWireTags reports whether any field of t has a wire tag.
func hasWireTags(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("wire") != "" {
			return true
		}
	}
	return false
}

func isNull(raw []byte) bool { return len(raw) == 0 || string(raw) == "null" }

// empty reports a value that is missing as the scalar readers (scalar)
// see it: null, or text that is blank once read.
func empty(raw []byte) bool {
	if isNull(raw) {
		return true
	}
	t, err := text(raw)
	return err == nil && t == ""
}

func hasOpt(opts, name string) bool {
	for _, o := range strings.Split(opts, ",") {
		if o == name {
			return true
		}
	}
	return false
}

func optValue(opts, name string) string {
	for _, o := range strings.Split(opts, ",") {
		if v, ok := strings.CutPrefix(o, name+"="); ok {
			return v
		}
	}
	return ""
}
