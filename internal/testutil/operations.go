package testutil

import (
	"context"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kyc-go/kyc"
)

// OperationTable checks a vendor's operation table against its client, so
// the table cannot drift from the code:
//
//   - every exported method of client that takes a context.Context first
//     is an operation "<pkg>.<Method>" of ops, unless it is listed in
//     composite (methods made of several operations, such as Verify,
//     Result and the generic Call);
//   - every operation names a method that exists, or a composite's step
//     listed in steps (operations the client sends only inside a composite
//     method, such as a token exchange);
//   - names are unique, and every operation has a method, a path template
//     without a query and a Doc that cites the vendor's public page by URL
//     (it holds "http") or says "inferred" and from what, and never points
//     at a file outside the module (see citedOutside).
func OperationTable(t *testing.T, pkg string, client any, ops []kyc.Operation, composite, steps []string) {
	t.Helper()
	byName := map[string]kyc.Operation{}
	for _, op := range ops {
		_, dup := byName[op.Name]
		assert.False(t, dup, "operation %s is declared twice", op.Name)
		byName[op.Name] = op
		assert.True(t, strings.HasPrefix(op.Name, pkg+"."), "operation %s is not named %s.<Method>", op.Name, pkg)
		assert.NotEmpty(t, op.Method, "%s: method", op.Name)
		assert.True(t, strings.HasPrefix(op.Path, "/"), "%s: path template %q", op.Name, op.Path)
		assert.NotContains(t, op.Path, "?", "%s: a path template carries no query", op.Name)
		assert.NotEmpty(t, op.Doc, "%s: Doc cites the vendor documentation it rests on", op.Name)
		assert.True(t, strings.Contains(op.Doc, "http") || strings.Contains(op.Doc, "inferred"),
			"%s: Doc cites the vendor's public page by URL or says \"inferred\" and from what: %q", op.Name, op.Doc)
		if p := CitedOutside(op.Doc); p != "" {
			t.Errorf("%s: Doc points at %q, a file outside the module: %q", op.Name, p, op.Doc)
		}
	}
	skip := map[string]bool{}
	for _, n := range composite {
		skip[n] = true
	}
	stepSet := map[string]bool{}
	for _, n := range steps {
		stepSet[pkg+"."+n] = true
	}
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	typ := reflect.TypeOf(client)
	for i := 0; i < typ.NumMethod(); i++ {
		m := typ.Method(i)
		if skip[m.Name] || m.Type.NumIn() < 2 || m.Type.In(1) != ctxType {
			continue
		}
		_, ok := byName[pkg+"."+m.Name]
		assert.True(t, ok, "method %s.%s does I/O but is missing from the operation table", pkg, m.Name)
	}
	for name := range byName {
		method := strings.TrimPrefix(name, pkg+".")
		_, ok := typ.MethodByName(method)
		assert.True(t, ok || stepSet[name], "the operation table names %s, but the client has no method %s", name, method)
	}
}

// outside matches a path into the project's shared notes, which are not
// part of the module: a Markdown file under research, anything under
// vendor-docs, and the shared directory itself. The brackets keep this
// source from matching itself.
var outside = regexp.MustCompile(`research[/][^\s"'` + "`" + `)]*[.]md|vendor[-]docs/|[.][.]/shared|/work[/]shared`)

// CitedOutside returns the first path in s that points at a file outside
// the module, or "" if there is none. Docs cite the vendor's public page by
// URL, or say "inferred" and from what.
func CitedOutside(s string) string {
	// The cheap test first: most text holds none of the three words.
	if !strings.Contains(s, "research") && !strings.Contains(s, "vendor-") && !strings.Contains(s, "/shared") {
		return ""
	}
	return outside.FindString(s)
}
