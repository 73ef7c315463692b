package advanceai

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

// composite are the exported methods made of operations of the table, or
// the generic Call; Token is GenerateToken behind the cache.
var composite = []string{"Verify", "Result", "Call", "Token", "Erase"}

func TestOperationTable(t *testing.T) {
	t.Parallel()
	c, err := New(testConfig())
	require.NoError(t, err)
	testutil.OperationTable(t, "advanceai", c, Operations(), composite, nil)

	classes := map[string]kyc.Class{}
	for _, op := range Operations() {
		classes[op.Name] = op.Class
		assert.Contains(t, op.Doc, "https://doc.advance.ai, Back-end Integration, ", "%s cites the vendor's page", op.Name)
		assert.False(t, op.Idempotent, "%s: the vendor has no idempotency key", op.Name)
	}
	assert.Equal(t, map[string]kyc.Class{
		"advanceai.GenerateToken": kyc.ClassFree,
		"advanceai.GenerateURL":   kyc.ClassBilled,
		"advanceai.GetResult":     kyc.ClassFree,
	}, classes)

	ops := Operations()
	ops[0].Class = kyc.ClassMessaging
	assert.Equal(t, kyc.ClassFree, Operations()[0].Class, "Operations returns a copy")
}

// TestDocLines checks that the doc comment of every typed method ends with
// the "METHOD /path (class) — source" line of its operation in the table.
func TestDocLines(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	docs := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		require.NoError(t, err)
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv != nil && fn.Doc != nil && fn.Name.IsExported() {
				docs[fn.Name.Name] = fn.Doc.Text()
			}
		}
	}
	byMethod := map[string]kyc.Operation{"Verify": opGenerateURL, "Result": opGetResult, "Token": opGenerateToken}
	for _, op := range Operations() {
		byMethod[strings.TrimPrefix(op.Name, "advanceai.")] = op
	}
	for method, op := range byMethod {
		doc, ok := docs[method]
		require.True(t, ok, "%s has a doc comment", method)
		lines := strings.Split(strings.TrimSpace(doc), "\n")
		last := strings.TrimSpace(lines[len(lines)-1])
		want := op.Method + " " + op.Path + " (" + op.Class.String() + ") — https://doc.advance.ai, Back-end Integration, "
		assert.True(t, strings.HasPrefix(last, want), "%s: the doc ends with %q…, not %q", method, want, last)
	}
}

// TestFailurePaths runs every typed method (7: GenerateToken, Token,
// GenerateURL, GetResult, Verify, Result, Call) through the shared failure
// paths. The business calls get a working token endpoint (serve), so the
// failure reaches the call itself.
func TestFailurePaths(t *testing.T) {
	t.Parallel()
	newClient := func(baseURL string, opts ...kyc.Option) (any, error) {
		return New(testConfig(), append(opts, kyc.WithBaseURL(baseURL))...)
	}
	token := testutil.Fixture(t, "token_success.json")
	serve := func(status int, body []byte) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if r.URL.Path == PathGenerateToken {
				_, _ = w.Write(token)
				return
			}
			w.WriteHeader(status)
			_, _ = w.Write(body)
		})
	}
	client := func(c any) *Client { return c.(*Client) }
	methods := []testutil.Method{
		{Name: "advanceai.GenerateToken", Call: func(ctx context.Context, c any) error {
			_, err := client(c).GenerateToken(ctx)
			return err
		}, VendorError: testutil.Fixture(t, "token_signature_error.json"), VendorErrorKind: kyc.ErrUnauthorized},
		{Name: "advanceai.GenerateToken", Call: func(ctx context.Context, c any) error {
			_, err := client(c).Token(ctx)
			return err
		}, VendorError: testutil.Fixture(t, "token_account_disabled.json"), VendorErrorKind: kyc.ErrForbidden},
		{Name: "advanceai.GenerateURL", Call: func(ctx context.Context, c any) error {
			_, err := client(c).GenerateURL(ctx, GenerateURLRequest{ReturnURL: "https://x.example/done", UserID: "u-1"})
			return err
		}, VendorError: testutil.Fixture(t, "generate_url_region_wrong.json"), VendorErrorKind: kyc.ErrInvalidRequest, Serve: serve},
		{Name: "advanceai.GenerateURL", Call: func(ctx context.Context, c any) error {
			_, err := client(c).Verify(ctx, kyc.Request{ID: "u-2", Country: "IDN", Link: kyc.LinkOptions{ReturnURL: "https://x.example/done"}})
			return err
		}, VendorError: testutil.Fixture(t, "generate_url_error.json"), VendorErrorKind: kyc.ErrUnavailable, Serve: serve},
		{Name: "advanceai.GetResult", Call: func(ctx context.Context, c any) error {
			_, err := client(c).GetResult(ctx, "f302f5d2454a85c2")
			return err
		}, VendorError: testutil.Fixture(t, "get_result_signature_not_exist.json"), VendorErrorKind: kyc.ErrNotFound, Serve: serve},
		{Name: "advanceai.GetResult", Call: func(ctx context.Context, c any) error {
			_, err := client(c).Result(ctx, "advanceai:f302f5d2454a85c2")
			return err
		}, VendorError: testutil.Fixture(t, "get_result_error.json"), VendorErrorKind: kyc.ErrUnavailable, Serve: serve},
		{Name: "advanceai.Call", Call: func(ctx context.Context, c any) error {
			var out map[string]any
			return client(c).Call(ctx, kyc.Operation{Method: http.MethodPost, Path: "/intl/openapi/other/v1/op"}, map[string]string{"k": "v"}, &out)
		}, VendorError: testutil.Fixture(t, "generate_url_parameter_empty.json"), VendorErrorKind: kyc.ErrInvalidRequest, Serve: serve},
	}
	require.Len(t, methods, 7)
	testutil.FailurePaths(t, kyc.AdvanceAI, newClient, methods)
}
