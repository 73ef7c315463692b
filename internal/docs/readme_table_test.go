package docs_test

import (
	"fmt"
	"regexp"
	"slices"
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
