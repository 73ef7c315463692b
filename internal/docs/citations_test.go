package docs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc/internal/testutil"
)

// rootPath is the repository the citation guard walks.
var rootPath = "../.."

// requestLine is the last line of a typed method's doc comment, as
// "POST /verify/pan (billed) — source" (go-github's style).
var requestLine = regexp.MustCompile(`^//\t(GET|POST|PUT|PATCH|DELETE) /`)

// TestNoCitationOutsideTheModule fails when a Go file or a Markdown file
// of the repository (both modules, testdata notes included; .git skipped)
// points at a file outside the module: the research notes, the stored
// vendor docs or the shared directory. Those paths dangle on pkg.go.dev
// and in Operations(); cite the vendor's public page by URL, or say
// "inferred" and from what. A method's request line ("POST /path (class)
// — source") must do one or the other too.
func TestNoCitationOutsideTheModule(t *testing.T) {
	t.Parallel()
	checked := 0
	err := filepath.WalkDir(rootPath, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".md") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		if strings.HasSuffix(path, ".go") {
			for i, line := range strings.Split(string(b), "\n") {
				if requestLine.MatchString(line) && !strings.Contains(line, "http") && !strings.Contains(line, "inferred") {
					t.Errorf("%s:%d: a method's request line cites the vendor's public page by URL, or says \"inferred\" and from what: %q", path, i+1, line)
				}
			}
		}
		if testutil.CitedOutside(string(b)) == "" {
			return nil
		}
		for i, line := range strings.Split(string(b), "\n") {
			if p := testutil.CitedOutside(line); p != "" {
				t.Errorf("%s:%d points at %q, a file outside the module: cite the vendor's public page by URL, or say \"inferred\" and from what", path, i+1, p)
			}
		}
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, checked, 100, "the walk found the repository's files")
}
