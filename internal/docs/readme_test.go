package docs_test

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/verificar"
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

// --- the provider table ------------------------------------------------------

var backticked = regexp.MustCompile("`([^`]+)`")

// row is one provider's line of the README's "What each provider needs"
// table.
type row struct {
	provider, flow, countries, needs string
}

// providerTable parses the table whose header has "a Request needs".
func providerTable(readme string) ([]row, error) {
	lines := strings.Split(readme, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "|") || !strings.Contains(l, "a Request needs") {
			continue
		}
		head := cells(l)
		col := map[string]int{}
		for j, h := range head {
			col[strings.ToLower(h)] = j
		}
		for _, want := range []string{"provider", "flow", "countries", "a request needs"} {
			if _, ok := col[want]; !ok {
				return nil, fmt.Errorf("the table has no %q column", want)
			}
		}
		var rows []row
		for _, l := range lines[i+2:] {
			if !strings.HasPrefix(l, "|") {
				break
			}
			c := cells(l)
			if len(c) != len(head) {
				return nil, fmt.Errorf("row %q has %d cells, the header %d", l, len(c), len(head))
			}
			rows = append(rows, row{provider: strings.Trim(c[col["provider"]], "` "), flow: c[col["flow"]],
				countries: c[col["countries"]], needs: c[col["a request needs"]]})
		}
		return rows, nil
	}
	return nil, fmt.Errorf("no table with an \"a Request needs\" column")
}

func cells(line string) []string {
	parts := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// needs is what a Request needs as the README writes it: each requirement
// is a field, or alternatives joined by "or" ("`Document.Front` or
// `Document.Number`"), sorted.
func needsOf(cell string) []string {
	var out []string
	for _, part := range strings.Split(cell, ",") {
		var alts []string
		for _, m := range backticked.FindAllStringSubmatch(part, -1) {
			alts = append(alts, m[1])
		}
		if len(alts) > 0 {
			slices.Sort(alts)
			out = append(out, strings.Join(alts, " or "))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// capsNeeds is what Capabilities.Check requires, in needsOf's form: the
// Requires fields, Country when the provider lists countries (Check
// refuses a Request without one), and each RequiresOneOf group.
func capsNeeds(c kyc.Capabilities) []string {
	var out []string
	for _, f := range c.Requires {
		out = append(out, string(f))
	}
	if len(c.Countries) > 0 {
		out = append(out, string(kyc.FieldCountry))
	}
	for _, alts := range c.RequiresOneOf {
		var names []string
		for _, f := range alts {
			names = append(names, string(f))
		}
		slices.Sort(names)
		out = append(out, strings.Join(names, " or "))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// flowWords is how the README writes a Flow: "hosted_link" as "hosted link".
func flowWords(f kyc.Flow) string { return strings.ReplaceAll(string(f), "_", " ") }

// tableProblems compares the README's table with each Verifier's
// Capabilities.
func tableProblems(readme string, verifiers []kyc.Verifier) []string {
	rows, err := providerTable(readme)
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	byName := map[string]row{}
	for _, r := range rows {
		byName[r.provider] = r
	}
	for _, v := range verifiers {
		p, caps := string(v.Provider()), v.Capabilities()
		r, ok := byName[p]
		if !ok {
			out = append(out, p+": no row in the table")
			continue
		}
		delete(byName, p)
		if got, want := needsOf(r.needs), capsNeeds(caps); !slices.Equal(got, want) {
			out = append(out, fmt.Sprintf("%s: the table says a Request needs %v; Capabilities require %v", p, got, want))
		}
		if !strings.EqualFold(strings.TrimSpace(r.flow), flowWords(caps.Flow)) {
			out = append(out, fmt.Sprintf("%s: the table says flow %q; Capabilities say %q", p, r.flow, flowWords(caps.Flow)))
		}
		var countries []string
		for _, m := range backticked.FindAllStringSubmatch(r.countries, -1) {
			countries = append(countries, m[1])
		}
		want := slices.Clone(caps.Countries)
		slices.Sort(countries)
		slices.Sort(want)
		switch {
		case len(want) == 0 && !strings.EqualFold(strings.TrimSpace(r.countries), "any"):
			out = append(out, fmt.Sprintf("%s: the table says countries %q; Capabilities accept any", p, r.countries))
		case len(want) > 0 && !slices.Equal(countries, want):
			out = append(out, fmt.Sprintf("%s: the table says countries %v; Capabilities accept %v", p, countries, want))
		}
	}
	for p := range byName {
		out = append(out, p+": a row for a provider with no client")
	}
	slices.Sort(out)
	return out
}

func verifiers(t *testing.T) []kyc.Verifier {
	t.Helper()
	s := kyc.NewSecret("not-a-real-secret")
	var out []kyc.Verifier
	add := func(v kyc.Verifier, err error) {
		require.NoError(t, err)
		out = append(out, v)
	}
	add(atlas.New(atlas.Config{KeyID: "id", KeySecret: s}))
	add(incode.New(incode.Config{APIKey: s}))
	add(advanceai.New(advanceai.Config{AccessKey: "access", SecretKey: s}))
	add(ekycid.New(ekycid.Config{APIKey: s}))
	add(verificar.New(verificar.Config{APIUser: "user", APIToken: s}))
	return out
}

func TestREADMEProviderTableMatchesCapabilities(t *testing.T) {
	t.Parallel()
	if p := tableProblems(read(t, *readmePath), verifiers(t)); len(p) > 0 {
		t.Errorf("%s's provider table disagrees with the clients' Capabilities():\n\t%s", *readmePath, strings.Join(p, "\n\t"))
	}
}

// TestTableCheckCatchesDrift edits one cell of a table that agrees with the
// clients, and expects the check to say so.
func TestTableCheckCatchesDrift(t *testing.T) {
	t.Parallel()
	vs := verifiers(t)
	var b strings.Builder
	b.WriteString("| provider | flow | countries | a Request needs | notes |\n| --- | --- | --- | --- | --- |\n")
	for _, v := range vs {
		c := v.Capabilities()
		countries := "any"
		if len(c.Countries) > 0 {
			countries = "`" + strings.Join(c.Countries, "`, `") + "`"
		}
		var needs []string
		for _, n := range capsNeeds(c) {
			needs = append(needs, "`"+strings.ReplaceAll(n, " or ", "` or `")+"`")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | x |\n", v.Provider(), flowWords(c.Flow), countries, strings.Join(needs, ", "))
	}
	good := b.String()
	require.Empty(t, tableProblems(good, vs), "a table written from the Capabilities agrees:\n%s", good)

	for _, v := range vs {
		p := string(v.Provider())
		line := regexp.MustCompile("(?m)^\\| `" + p + "` \\|.*$").FindString(good)
		require.NotEmpty(t, line)
		c := cells(line)
		edits := map[string]func([]string){
			"flow":      func(c []string) { c[1] = "carrier pigeon" },
			"countries": func(c []string) { c[2] = map[bool]string{true: "`XYZ`", false: "any"}[c[2] == "any"] },
		}
		for _, n := range needsOf(c[3]) {
			edits["drop "+n] = func(c []string) {
				c[3] = strings.Replace(c[3], "`"+strings.ReplaceAll(n, " or ", "` or `")+"`", "", 1)
			}
		}
		edits["add Person.Email"] = func(c []string) { c[3] += ", `Person.Email`" }
		for name, edit := range edits {
			cc := slices.Clone(c)
			edit(cc)
			bad := strings.Replace(good, line, "| "+strings.Join(cc, " | ")+" |", 1)
			assert.NotEmpty(t, tableProblems(bad, vs), "%s: %s", p, name)
		}
		gone := strings.Replace(good, line+"\n", "", 1)
		assert.Contains(t, tableProblems(gone, vs), p+": no row in the table")
	}
}

// --- figures -----------------------------------------------------------------

// figure is a measurement quoted in prose: a duration in ns, µs or ms, or
// a ratio ("4.4x").
var figure = regexp.MustCompile(`(?:^|[^\w.])~?([0-9][0-9,]*(?:\.[0-9]+)?(?:e-?[0-9]+)?)\s?(ns|µs|us|ms|x)(?:$|[^\w])`)

// prose drops fenced code blocks, where numbers are code.
func prose(md string) string {
	return regexp.MustCompile("(?s)```.*?```").ReplaceAllString(md, "")
}

type quoted struct {
	text  string
	value float64 // in ns for durations
	unit  string
	prec  int // decimals written
	sig   int // significant figures written
}

func figures(md string) []quoted {
	var out []quoted
	for _, m := range figure.FindAllStringSubmatch(prose(md), -1) {
		num := strings.ReplaceAll(m[1], ",", "")
		v, err := strconv.ParseFloat(num, 64)
		if err != nil {
			continue
		}
		prec := 0
		if i := strings.IndexByte(num, '.'); i >= 0 && !strings.ContainsAny(num, "e") {
			prec = len(num) - i - 1
		}
		out = append(out, quoted{text: strings.TrimSpace(m[0]), value: v, unit: m[2], prec: prec, sig: sigFigures(num)})
	}
	return out
}

// sigFigures counts the significant figures of a written number: "0.261"
// has 3, "23000" 2, "3.8" 2.
func sigFigures(num string) int {
	if i := strings.IndexAny(num, "eE"); i >= 0 {
		num = num[:i]
	}
	digits := strings.TrimLeft(strings.ReplaceAll(num, ".", ""), "0")
	if !strings.Contains(num, ".") {
		digits = strings.TrimRight(digits, "0")
	}
	return max(len(digits), 1)
}

var nsPer = map[string]float64{"ns": 1, "µs": 1e3, "us": 1e3, "ms": 1e6}

// held reports whether the benchmark report holds f: for a duration, an
// ns/op figure of the report that, written in f's unit with f's decimals,
// is f; for a ratio, a ratio the report writes ("0.261x", "100x"), or its
// inverse, rounded to f's significant figures.
func held(f quoted, bench string) bool {
	if f.unit == "x" {
		for _, m := range regexp.MustCompile(`([0-9][0-9.]*(?:e-?[0-9]+)?)x\b`).FindAllStringSubmatch(bench, -1) {
			b, err := strconv.ParseFloat(m[1], 64)
			if err != nil || b == 0 {
				continue
			}
			if sigRound(b, f.sig) == f.value || sigRound(1/b, f.sig) == f.value {
				return true
			}
		}
		return false
	}
	p := math.Pow(10, float64(f.prec))
	for _, v := range benchNs(bench) {
		if math.Round(v/nsPer[f.unit]*p)/p == f.value {
			return true
		}
	}
	return false
}

// sigRound rounds v to n significant figures.
func sigRound(v float64, n int) float64 {
	if v == 0 || n <= 0 {
		return v
	}
	e := math.Pow(10, float64(n)-math.Ceil(math.Log10(math.Abs(v))))
	r := math.Round(v*e) / e
	// Undo the float noise of the scaling ("0.261" is 0.26100000000000001).
	out, _ := strconv.ParseFloat(strconv.FormatFloat(r, 'g', n, 64), 64)
	return out
}

// benchNs returns the ns/op column of the report's table.
func benchNs(bench string) []float64 {
	var out []float64
	col := -1
	for _, l := range strings.Split(bench, "\n") {
		if !strings.HasPrefix(l, "|") {
			col = -1
			continue
		}
		c := cells(l)
		if col < 0 {
			col = slices.Index(c, "ns/op")
			continue
		}
		if col < len(c) {
			if v, err := strconv.ParseFloat(strings.ReplaceAll(c[col], ",", ""), 64); err == nil {
				out = append(out, v)
			}
		}
	}
	return out
}

func figureProblems(readme, bench string) []string {
	var out []string
	for _, f := range figures(readme) {
		if !held(f, bench) {
			out = append(out, fmt.Sprintf("%q is not in the benchmark report", f.text))
		}
	}
	return out
}

func TestREADMEQuotesOnlyBenchmarkedFigures(t *testing.T) {
	t.Parallel()
	bench := read(t, *benchPath)
	require.NotEmpty(t, benchNs(bench), "%s has no ns/op column", *benchPath)
	if p := figureProblems(read(t, *readmePath), bench); len(p) > 0 {
		t.Errorf("%s quotes figures that %s does not hold (regenerate it with go run ./scripts/benchmarks, or quote its figures):\n\t%s",
			*readmePath, *benchPath, strings.Join(p, "\n\t"))
	}
}

func TestFigureCheck(t *testing.T) {
	t.Parallel()
	bench := "| hot path | benchmark | ns/op | ratio |\n|---|---|---:|---|\n" +
		"| header | `AuthHeader` | 2203 | time 4.37e-05x |\n| | `AuthHeaderFreshKey` | 50365228 | |\n" +
		"| upload | `Upload` | 17222472 | time 0.261x, bytes 0.00114x |\n"
	for text, ok := range map[string]bool{
		"about ~2.2 µs per header":  true,
		"2.203 µs":                  true,
		"2203 ns":                   true,
		"~50 ms instead":            true,
		"50.4 ms":                   true,
		"17 ms per upload":          true,
		"0.261x the time":           true,
		"about 3.8x faster":         true, // 1 / 0.261
		"23,000x faster":            true, // 1 / 4.37e-05 = 22,883
		"22,883x faster":            true,
		"25,000x faster":            false,
		"~1.8 µs instead of ~38 ms": false,
		"2.3 µs":                    false,
		"5x faster":                 false,
		"```go\nfoo(38 * time.Millisecond)\n38 ms\n```": true, // code is not prose
		"a 10 MiB upload, 2 retries, 30 s":              true, // no duration in ns/µs/ms, no ratio
	} {
		got := figureProblems(text, bench)
		if ok {
			assert.Empty(t, got, text)
		} else {
			assert.NotEmpty(t, got, text)
		}
	}
}
