package docs_test

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The files checked; point them at copies to try a change.
var (
	readmePath   = flag.String("readme", "../../README.md", "the README to check")
	benchPath    = flag.String("benchmarks", "../../BENCHMARKS.md", "the benchmark report the README quotes")
	examplesPath = flag.String("examples", "../../examples", "the example programs whose environment the README lists")
)

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// --- environment variables -------------------------------------------------

// envName is the form of an environment variable name.
var envName = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$`)

// vendorEnv are the prefixes of the variables this module's examples read.
var vendorEnv = regexp.MustCompile(`^(KYC|ATLAS|INCODE|ADVANCEAI|EKYC|VERIFICAR)_[A-Z0-9_]+$`)

// exampleEnv returns the environment variables the programs under dir read,
// each with the place it is read. A string literal counts when it is
//   - the first argument of os.Getenv, os.LookupEnv or of a helper whose name
//     says env or must (env("X"), mustEnv("X"), lookupEnv("X"));
//   - a name-shaped literal inside a composite literal (a table or list of
//     names) of a function that reads a variable whose name is not a
//     literal;
//   - a name-shaped literal with a vendor prefix (ATLAS_…), wherever it is.
func exampleEnv(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		add := func(lit *ast.BasicLit) {
			if lit.Kind != token.STRING {
				return
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !envName.MatchString(s) {
				return
			}
			if _, ok := out[s]; !ok {
				p := fset.Position(lit.Pos())
				rel, _ := filepath.Rel(dir, p.Filename)
				out[s] = fmt.Sprintf("examples/%s:%d", filepath.ToSlash(rel), p.Line)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok {
				if s, err := strconv.Unquote(lit.Value); err == nil && vendorEnv.MatchString(s) {
					add(lit)
				}
			}
			fn, ok := n.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				return true
			}
			indirect := false
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 || !readsEnv(call.Fun) {
					return true
				}
				if lit, ok := call.Args[0].(*ast.BasicLit); ok {
					add(lit)
				} else {
					indirect = true
				}
				return true
			})
			if indirect {
				ast.Inspect(fn.Body, func(n ast.Node) bool {
					if cl, ok := n.(*ast.CompositeLit); ok {
						ast.Inspect(cl, func(n ast.Node) bool {
							if lit, ok := n.(*ast.BasicLit); ok {
								add(lit)
							}
							return true
						})
					}
					return true
				})
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
	return out
}

// readsEnv reports whether fun is os.Getenv, os.LookupEnv or a helper named
// for the environment.
func readsEnv(fun ast.Expr) bool {
	var name string
	switch f := fun.(type) {
	case *ast.Ident:
		name = f.Name
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok && x.Name == "os" {
			return f.Sel.Name == "Getenv" || f.Sel.Name == "LookupEnv"
		}
		name = f.Sel.Name
	default:
		return false
	}
	l := strings.ToLower(name)
	return strings.Contains(l, "env") || strings.HasPrefix(l, "must")
}

// missingEnv lists, sorted, the variables of env the README never names as
// a whole word.
func missingEnv(readme string, env map[string]string) []string {
	words := wordsOf(readme)
	var out []string
	for name, where := range env {
		if !words[name] {
			out = append(out, name+" (read at "+where+")")
		}
	}
	slices.Sort(out)
	return out
}

// wordsOf returns the set of the maximal runs of [A-Za-z0-9_] in s: a name
// is one of them exactly when s names it as a whole word. (One pass over
// the README, where a regular expression per name made the removal check
// quadratic: two minutes under -race.)
func wordsOf(s string) map[string]bool {
	out := map[string]bool{}
	start := -1
	for i := 0; i <= len(s); i++ {
		word := i < len(s) && (s[i] == '_' || s[i] >= '0' && s[i] <= '9' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z')
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out[s[start:i]] = true
			start = -1
		}
	}
	return out
}

func TestREADMEListsExampleEnv(t *testing.T) {
	t.Parallel()
	env := exampleEnv(t, *examplesPath)
	require.NotEmpty(t, env, "the examples read no environment variable: the scan is broken")
	if missing := missingEnv(read(t, *readmePath), env); len(missing) > 0 {
		t.Errorf("%s does not name %d environment variables the examples read:\n\t%s", *readmePath, len(missing), strings.Join(missing, "\n\t"))
	}
}

// TestEnvCheckCatchesEachRemoval removes, one at a time, each variable the
// README names from a copy of it, and expects the check to miss it.
func TestEnvCheckCatchesEachRemoval(t *testing.T) {
	t.Parallel()
	readme := read(t, *readmePath)
	env := exampleEnv(t, *examplesPath)
	before := missingEnv(readme, env)
	tried := 0
	for name := range env {
		cut := regexp.MustCompile(`\b`+name+`\b`).ReplaceAllString(readme, "")
		if cut == readme {
			continue // already missing; TestREADMEListsExampleEnv says so
		}
		tried++
		after := missingEnv(cut, env)
		assert.Len(t, after, len(before)+1, "removing %s", name)
		assert.Contains(t, strings.Join(after, "\n"), name+" (read at ")
	}
	assert.Positive(t, tried)
}

func TestExampleEnvScan(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := `package main

import "os"

func main() {
	_ = os.Getenv("PLAIN_VAR")
	_, _ = os.LookupEnv("LOOKED_UP")
	_ = env("HELPER_VAR")
	_ = mustEnv("MUST_VAR")
	for _, n := range []string{"RANGED_ONE", "RANGED_TWO"} {
		_ = os.Getenv(n)
	}
	println("NOT_A_VAR", "ATLAS_PREFIXED")
}

func env(k string) string    { return os.Getenv(k) }
func mustEnv(k string) string { return env(k) }
`
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "x"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "x", "main.go"), []byte(src), 0o600))
	got := exampleEnv(t, dir)
	var names []string
	for n := range got {
		names = append(names, n)
	}
	slices.Sort(names)
	assert.Equal(t, []string{"ATLAS_PREFIXED", "HELPER_VAR", "LOOKED_UP", "MUST_VAR", "PLAIN_VAR", "RANGED_ONE", "RANGED_TWO"}, names)
	assert.Equal(t, "examples/x/main.go:6", got["PLAIN_VAR"])
}
