// Package apicheck finds exported API that refers to internal packages: a
// type a user can read or receive but cannot name, declare or build. Its
// test runs it on every non-internal package of the module.
package apicheck

import (
	"fmt"
	"go/types"
	"slices"
	"strings"
)

// Internal reports whether path is an internal package or below one.
func Internal(path string) bool {
	return strings.HasSuffix(path, "/internal") || strings.Contains(path, "/internal/") ||
		path == "internal" || strings.HasPrefix(path, "internal/")
}

// Offences lists every exported name of pkg whose type refers to a type of
// an internal package: the type of an exported var or const, a parameter
// or result of an exported function or method (promoted methods included),
// an exported struct field (also those promoted from unexported embedded
// fields), an interface method, a type parameter's constraint, and the
// underlying type of an exported type. Each offence says where and which
// type, sorted.
func Offences(pkg *types.Package) []string {
	c := checker{pkg: pkg, seen: map[string]bool{}}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		where := pkg.Name() + "." + name
		switch obj := obj.(type) {
		case *types.TypeName:
			c.typeName(where, obj)
		case *types.Func:
			c.signature(where, obj.Type().(*types.Signature))
		case *types.Var, *types.Const:
			c.walk(where, obj.Type(), map[types.Type]bool{})
		}
	}
	slices.Sort(c.out)
	return slices.Compact(c.out)
}

type checker struct {
	pkg  *types.Package
	out  []string
	seen map[string]bool
}

func (c *checker) typeName(where string, obj *types.TypeName) {
	if obj.IsAlias() {
		c.walk(where+" (alias)", obj.Type(), map[types.Type]bool{})
		return
	}
	named, ok := obj.Type().(*types.Named)
	if !ok {
		return
	}
	if tps := named.TypeParams(); tps != nil {
		for i := range tps.Len() {
			c.walk(where+" type parameter "+tps.At(i).Obj().Name(), tps.At(i).Constraint(), map[types.Type]bool{})
		}
	}
	switch u := named.Underlying().(type) {
	case *types.Struct:
		c.fields(where, u, map[types.Type]bool{})
	case *types.Interface:
		for i := range u.NumMethods() {
			if m := u.Method(i); m.Exported() {
				c.signature(where+"."+m.Name(), m.Type().(*types.Signature))
			}
		}
	default:
		c.walk(where+" underlying type", u, map[types.Type]bool{})
	}
	if _, isIface := named.Underlying().(*types.Interface); isIface {
		return
	}
	ms := types.NewMethodSet(types.NewPointer(named))
	for i := range ms.Len() {
		m := ms.At(i).Obj()
		if m.Exported() {
			c.signature(where+"."+m.Name(), m.Type().(*types.Signature))
		}
	}
}

// fields checks a struct's exported fields, and the exported fields that
// unexported embedded structs promote.
func (c *checker) fields(where string, s *types.Struct, visiting map[types.Type]bool) {
	for i := range s.NumFields() {
		f := s.Field(i)
		switch {
		case f.Exported():
			c.walk(where+"."+f.Name()+" field", f.Type(), map[types.Type]bool{})
		case f.Embedded():
			t := types.Unalias(f.Type())
			if p, ok := t.(*types.Pointer); ok {
				t = types.Unalias(p.Elem())
			}
			if visiting[t] {
				continue
			}
			visiting[t] = true
			if inner, ok := t.Underlying().(*types.Struct); ok {
				c.fields(where, inner, visiting)
			}
		}
	}
}

func (c *checker) signature(where string, sig *types.Signature) {
	for i := range sig.Params().Len() {
		c.walk(fmt.Sprintf("%s parameter %d", where, i+1), sig.Params().At(i).Type(), map[types.Type]bool{})
	}
	for i := range sig.Results().Len() {
		c.walk(fmt.Sprintf("%s result %d", where, i+1), sig.Results().At(i).Type(), map[types.Type]bool{})
	}
	if tps := sig.TypeParams(); tps != nil {
		for i := range tps.Len() {
			c.walk(where+" type parameter "+tps.At(i).Obj().Name(), tps.At(i).Constraint(), map[types.Type]bool{})
		}
	}
}

// walk reports the internal named types t is built from. Named types of
// other packages are not entered (they are checked as their own package's
// exports), but their type arguments are.
func (c *checker) walk(where string, t types.Type, visiting map[types.Type]bool) {
	if visiting[t] {
		return
	}
	visiting[t] = true
	switch t := t.(type) {
	case *types.Alias:
		if obj := t.Obj(); obj.Pkg() != nil && Internal(obj.Pkg().Path()) {
			c.report(where, obj.Pkg().Path()+"."+obj.Name())
			return
		}
		c.walk(where, types.Unalias(t), visiting)
	case *types.Named:
		if obj := t.Obj(); obj.Pkg() != nil && Internal(obj.Pkg().Path()) {
			c.report(where, obj.Pkg().Path()+"."+obj.Name())
		}
		if args := t.TypeArgs(); args != nil {
			for i := range args.Len() {
				c.walk(where, args.At(i), visiting)
			}
		}
	case *types.Pointer:
		c.walk(where, t.Elem(), visiting)
	case *types.Slice:
		c.walk(where, t.Elem(), visiting)
	case *types.Array:
		c.walk(where, t.Elem(), visiting)
	case *types.Chan:
		c.walk(where, t.Elem(), visiting)
	case *types.Map:
		c.walk(where, t.Key(), visiting)
		c.walk(where, t.Elem(), visiting)
	case *types.Signature:
		for i := range t.Params().Len() {
			c.walk(where, t.Params().At(i).Type(), visiting)
		}
		for i := range t.Results().Len() {
			c.walk(where, t.Results().At(i).Type(), visiting)
		}
	case *types.Struct:
		for i := range t.NumFields() {
			if f := t.Field(i); f.Exported() {
				c.walk(where, f.Type(), visiting)
			}
		}
	case *types.Interface:
		for i := range t.NumMethods() {
			if m := t.Method(i); m.Exported() {
				c.walk(where, m.Type(), visiting)
			}
		}
		for i := range t.NumEmbeddeds() {
			c.walk(where, t.EmbeddedType(i), visiting)
		}
	case *types.Union:
		for i := range t.Len() {
			c.walk(where, t.Term(i).Type(), visiting)
		}
	case *types.TypeParam:
		c.walk(where, t.Constraint(), visiting)
	}
}

func (c *checker) report(where, typ string) {
	msg := where + " refers to " + typ
	if !c.seen[msg] {
		c.seen[msg] = true
		c.out = append(c.out, msg)
	}
}
