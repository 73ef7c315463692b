package shape_test

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestImportsNothingOfTheModule: the root package prints through this
// package, so this package may import no package of the module (the root
// included): it would be an import cycle, or a printer that climbs back up.
func TestImportsNothingOfTheModule(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, im := range f.Imports {
			path, err := strconv.Unquote(im.Path.Value)
			require.NoError(t, err)
			assert.False(t, path == "github.com/kyc-go/kyc" || strings.HasPrefix(path, "github.com/kyc-go/kyc/"),
				"%s imports %s", e.Name(), path)
		}
	}
}
