//go:build slow

package apicheck_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc/internal/apicheck"
)

type listed struct {
	ImportPath string
	Name       string
	Export     string
	Standard   bool
	DepOnly    bool
	Error      *struct{ Err string }
}

// TestExportedAPINamesNoInternalType loads every non-internal package of
// the module from its compiler export data (go list -export) and fails on
// any exported identifier whose type refers to a type of an internal/
// package: a user can read such a value but cannot name its type, write a
// helper taking it, or build a test value.
func TestExportedAPINamesNoInternalType(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the module with go list -export")
	}
	cmd := exec.Command("go", "list", "-e", "-export", "-deps", "-json=ImportPath,Name,Export,Standard,DepOnly,Error", "github.com/kyc-go/kyc/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", stderr.String())

	exports := map[string]string{}
	var targets []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
		if p.Export != "" {
			exports[p.ImportPath] = p.Export
		}
		if !p.Standard && !p.DepOnly && p.Name != "main" && strings.HasPrefix(p.ImportPath, "github.com/kyc-go/kyc") && !apicheck.Internal(p.ImportPath) {
			targets = append(targets, p)
		}
	}
	require.NotEmpty(t, targets)

	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		f, ok := exports[path]
		if !ok {
			return nil, errors.New("no export data for " + path)
		}
		return os.Open(f)
	})
	var offences, broken []string
	for _, p := range targets {
		if p.Export == "" {
			msg := p.ImportPath + " does not compile"
			if p.Error != nil {
				msg += ": " + strings.SplitN(p.Error.Err, "\n", 2)[0]
			}
			broken = append(broken, msg)
			continue
		}
		pkg, err := imp.Import(p.ImportPath)
		require.NoError(t, err, p.ImportPath)
		for _, o := range apicheck.Offences(pkg) {
			offences = append(offences, o+" (package "+p.ImportPath+")")
		}
	}
	if len(broken) > 0 {
		t.Errorf("packages the check could not load:\n\t%s", strings.Join(broken, "\n\t"))
	}
	if len(offences) > 0 {
		t.Errorf("%d exported identifiers refer to internal types, which users cannot name:\n\t%s", len(offences), strings.Join(offences, "\n\t"))
	}
	t.Logf("checked %d packages", len(targets)-len(broken))
}

// TestOffences checks the checker on packages made for it: each exported
// way of showing an internal type is found, and nothing else is.
func TestOffences(t *testing.T) {
	t.Parallel()
	const secret = `package secret
type T struct{ X int }
type I interface{ M() }
func (T) M() {}
func (t T) Copy() T { return t }
`
	const pub = `package pub
import "example.com/m/internal/secret"
type Named = secret.T
type Option func(*secret.T)
type S struct {
	Field   secret.T
	Ptrs    []*secret.T
	hidden  secret.T
	embedded
}
type embedded struct{ Promoted map[string]secret.T; quiet secret.T }
type Base = secret.T
type Wrap struct{ secretBase }
type secretBase = secret.T
type Iface interface{ Get() secret.I }
type G[P interface{ *secret.T }] struct{}
var V secret.T
var ok int
func F(secret.T) {}
func R() (int, error, chan secret.I) { return 0, nil, nil }
func (S) Method(func() secret.T) {}
func (S) unexported(secret.T) {}
func Fine(x int, s string) error { return nil }
type Clean struct{ A int; B []string }
`
	fset := token.NewFileSet()
	parse := func(name, src string) *ast.File {
		f, err := parser.ParseFile(fset, name, src, 0)
		require.NoError(t, err)
		return f
	}
	conf := types.Config{}
	sec, err := conf.Check("example.com/m/internal/secret", fset, []*ast.File{parse("secret.go", secret)}, nil)
	require.NoError(t, err)
	conf.Importer = importerFunc(func(path string) (*types.Package, error) {
		if path == sec.Path() {
			return sec, nil
		}
		return nil, errors.New("unknown " + path)
	})
	p, err := conf.Check("example.com/m/pub", fset, []*ast.File{parse("pub.go", pub)}, nil)
	require.NoError(t, err)

	const T, I = "example.com/m/internal/secret.T", "example.com/m/internal/secret.I"
	assert.Equal(t, []string{
		"pub.Base (alias) refers to " + T,
		"pub.F parameter 1 refers to " + T,
		"pub.G type parameter P refers to " + T,
		"pub.Iface.Get result 1 refers to " + I,
		"pub.Named (alias) refers to " + T,
		"pub.Option underlying type refers to " + T,
		"pub.R result 3 refers to " + I,
		"pub.S.Field field refers to " + T,
		"pub.S.Method parameter 1 refers to " + T,
		"pub.S.Promoted field refers to " + T,
		"pub.S.Ptrs field refers to " + T,
		"pub.V refers to " + T,
		"pub.Wrap.Copy result 1 refers to " + T,
	}, apicheck.Offences(p))
	got := apicheck.Offences(p)
	assert.NotContains(t, strings.Join(got, "\n"), "pub.Fine")
	assert.NotContains(t, strings.Join(got, "\n"), "pub.Clean")
	assert.NotContains(t, strings.Join(got, "\n"), "hidden")
	assert.NotContains(t, strings.Join(got, "\n"), "quiet")
	assert.NotContains(t, strings.Join(got, "\n"), "unexported")
}

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
