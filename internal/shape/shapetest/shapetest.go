// Package shapetest checks that a package's exported struct types print
// their shape only: it fills values with marker data by reflection and
// looks for the markers under every fmt verb.
package shapetest

import (
	"encoding/hex"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

// Marker is the text Fill puts in every string, []byte, map key, error and
// kyc.Secret. It has the form of a token, so that a printer that let a
// plain string through its token filter would show it.
const Marker = "MKzq7PiiX"

// Number is the value Fill puts in every number that is not an allowed
// type; Year is the year of every time.Time it sets.
const (
	Number = 987654321
	Year   = 1961
)

// Verbs are the formats tried on every value.
var Verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%10.3v", "%-8s"}

// markers are the forms of the markers to look for in printed text.
func markers() []string {
	dec := make([]string, 4)
	for i := range dec {
		dec[i] = strconv.Itoa(int(Marker[i]))
	}
	return []string{
		Marker, hex.EncodeToString([]byte(Marker)), strings.ToUpper(hex.EncodeToString([]byte(Marker))),
		strings.Join(dec, " "), strconv.Itoa(Number), strconv.FormatInt(Number, 16), "9.87654321e+08",
		strconv.Itoa(Year),
	}
}

// Leaks prints v under every verb (and Sprint, Sprintln) and returns the
// outputs that hold a marker, each prefixed with its verb.
func Leaks(v any) []string {
	var out []string
	check := func(verb, s string) {
		for _, m := range markers() {
			if strings.Contains(s, m) {
				out = append(out, verb+": "+s)
				return
			}
		}
	}
	for _, verb := range Verbs {
		check(verb, fmt.Sprintf(verb, v))
	}
	check("Sprint", fmt.Sprint(v))
	check("Sprintln", fmt.Sprintln(v))
	return out
}

// Fill sets every exported field of the struct ptr points to, and of the
// structs, pointers, slices and maps it holds (three levels deep), to
// marker data: strings and []byte to Marker, numbers to Number, bools to
// true, times to a date in Year, a kyc.Secret to kyc.NewSecret(Marker), a
// *kyc.Image to an image, an error or any to a marker. Values of the types
// for which allowed reports true (enums a printer shows) are left zero.
func Fill(t testing.TB, ptr any, allowed func(reflect.Type) bool) {
	t.Helper()
	v := reflect.ValueOf(ptr)
	require.Equal(t, reflect.Pointer, v.Kind(), "Fill needs a pointer")
	img, err := kyc.ImageFromBytes(kyctest.MagicImage("", 0))
	require.NoError(t, err)
	f := filler{allowed: allowed, img: img}
	f.fill(v.Elem(), 0)
}

type filler struct {
	allowed func(reflect.Type) bool
	img     *kyc.Image
}

var (
	secretType = reflect.TypeFor[kyc.Secret]()
	imageType  = reflect.TypeFor[*kyc.Image]()
	timeType   = reflect.TypeFor[time.Time]()
	errorType  = reflect.TypeFor[error]()
)

func (f filler) fill(v reflect.Value, depth int) {
	if !v.CanSet() || depth > 3 {
		return
	}
	t := v.Type()
	if f.allowed != nil && f.allowed(t) {
		return
	}
	switch t {
	case secretType:
		v.Set(reflect.ValueOf(kyc.NewSecret(Marker)))
		return
	case imageType:
		v.Set(reflect.ValueOf(f.img))
		return
	case timeType:
		v.Set(reflect.ValueOf(time.Date(Year, 3, 14, 1, 2, 3, 0, time.UTC)))
		return
	case errorType:
		v.Set(reflect.ValueOf(errors.New(Marker)))
		return
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString(Marker)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if v.CanInt() {
			v.SetInt(Number)
		} else {
			v.SetUint(Number)
		}
	case reflect.Float32, reflect.Float64:
		v.SetFloat(Number)
	case reflect.Pointer:
		e := reflect.New(t.Elem())
		f.fill(e.Elem(), depth+1)
		v.Set(e)
	case reflect.Struct:
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				f.fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			v.SetBytes([]byte(`"` + Marker + `"`))
			return
		}
		s := reflect.MakeSlice(t, 1, 1)
		f.fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			f.fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		m := reflect.MakeMap(t)
		k, e := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
		f.fill(k, depth+1)
		f.fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Interface:
		if reflect.TypeFor[string]().AssignableTo(t) {
			v.Set(reflect.ValueOf(Marker))
		}
	}
}

// ExportedStructs lists the exported struct types declared in the non-test
// Go files of dir.
func ExportedStructs(t testing.TB, dir string) []string {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	require.NoError(t, err)
	var names []string
	for _, p := range pkgs {
		for _, file := range p.Files {
			for _, d := range file.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok {
					continue
				}
				for _, s := range g.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.IsExported() {
						if _, ok := ts.Type.(*ast.StructType); ok {
							names = append(names, ts.Name.Name)
						}
					}
				}
			}
		}
	}
	sort.Strings(names)
	return names
}

// Check fails unless values (pointers to values of the package's types,
// keyed by nothing: their type names are read by reflection) cover every
// exported struct type declared in dir, each implements fmt.Formatter and
// fmt.GoStringer, and none prints a marker once filled with Fill. Values are
// filled in place. extra are more values, already built (by a constructor),
// checked for markers only.
func Check(t *testing.T, dir string, allowed func(reflect.Type) bool, values []any, extra ...any) {
	t.Helper()
	seen := map[string]bool{}
	for _, v := range values {
		rt := reflect.TypeOf(v)
		require.Equal(t, reflect.Pointer, rt.Kind(), "%T: give a pointer", v)
		name := rt.Elem().Name()
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			Fill(t, v, allowed)
			if e := reflect.ValueOf(v).Elem(); e.Kind() == reflect.Struct && hasExportedSettable(e.Type(), allowed) {
				require.False(t, e.IsZero(), "Fill set nothing in %s", name)
			}
			_, formatter := v.(fmt.Formatter)
			_, goStringer := v.(fmt.GoStringer)
			assert.True(t, formatter, "%s has no Format method", name)
			assert.True(t, goStringer, "%s has no GoString method", name)
			assert.Empty(t, Leaks(v), "*%s prints personal data", name)
			if rt.Elem().Kind() == reflect.Struct && !hasLock(rt.Elem()) {
				elem := reflect.ValueOf(v).Elem().Interface()
				assert.Empty(t, Leaks(elem), "%s prints personal data", name)
				assert.Empty(t, Leaks([]any{elem}), "%s in a slice prints personal data", name)
				assert.Empty(t, Leaks(struct{ X any }{elem}), "%s in a struct prints personal data", name)
			}
		})
	}
	for _, name := range ExportedStructs(t, dir) {
		assert.True(t, seen[name], "exported struct type %s is missing from the table", name)
	}
	for i, v := range extra {
		assert.Empty(t, Leaks(v), "extra value %d (%T) prints personal data", i, v)
	}
}

// hasLock reports whether a struct type holds a sync type by value: such a
// value is used through a pointer only.
func hasLock(t reflect.Type) bool {
	for i := range t.NumField() {
		if t.Field(i).Type.PkgPath() == "sync" {
			return true
		}
	}
	return false
}

// hasExportedSettable reports whether the struct type t has an exported
// field that Fill sets (one not of an allowed type).
func hasExportedSettable(t reflect.Type, allowed func(reflect.Type) bool) bool {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && (allowed == nil || !allowed(f.Type)) && f.Type.Kind() != reflect.Func && f.Type.Kind() != reflect.Chan {
			return true
		}
	}
	return false
}
