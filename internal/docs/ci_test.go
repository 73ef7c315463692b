package docs_test

import (
	"flag"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

var ciPath = flag.String("ci", "../../.ci/run", "the CI script whose test commands the README shows")

// readmeTestCommands returns the `go test` command lines of the README's
// fenced code blocks, each without its trailing comment.
func readmeTestCommands(readme string) []string {
	var out []string
	fenced := false
	for _, l := range strings.Split(readme, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") {
			fenced = !fenced
			continue
		}
		if fenced && strings.HasPrefix(t, "go test") {
			cmd, _, _ := strings.Cut(t, "   #")
			out = append(out, strings.TrimSpace(cmd))
		}
	}
	return out
}

// ciProblems lists the README's test commands that the CI script does not
// run as written.
func ciProblems(readme, ci string) []string {
	var out []string
	for _, cmd := range readmeTestCommands(readme) {
		if !strings.Contains(ci, cmd) {
			out = append(out, cmd)
		}
	}
	return out
}

// TestREADMETestCommandsAreCI: every test command the README shows in a
// code block is one .ci/run runs, as written, and the README shows each of
// CI's test steps (the suite, the soak, the outage matrix, the meta-tests).
func TestREADMETestCommandsAreCI(t *testing.T) {
	t.Parallel()
	readme, ci := read(t, *readmePath), read(t, *ciPath)
	assert.Empty(t, ciProblems(readme, ci), "%s shows test commands that %s does not run", *readmePath, *ciPath)
	assert.Len(t, readmeTestCommands(readme), 4, "the README shows the suite's command and the three slow steps'")
	assert.NotEmpty(t, ciProblems(readme, strings.ReplaceAll(ci, "-tags slow", "-tags slower")), "the check sees a changed command")
}
