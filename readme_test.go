//go:build slow

package kyc_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// TestREADMECodeCompiles builds every Go code block of README.md as a
// program of this module. Each block is a whole file (package main and its
// imports), so what a reader copies compiles. The files are given to the
// go command through -overlay: nothing is written into the tree.
func TestREADMECodeCompiles(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds programs with the go command")
	}
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	blocks := goBlock.FindAllSubmatch(readme, -1)
	require.NotEmpty(t, blocks, "README.md has Go code blocks")

	root, err := filepath.Abs(".")
	require.NoError(t, err)
	tmp := t.TempDir()
	overlay := map[string]map[string]string{"Replace": {}}
	var pkgs []string
	for i, b := range blocks {
		src := string(b[1])
		require.Contains(t, src, "package main", "README block %d must be a whole program", i+1)
		real := filepath.Join(tmp, "block.go"+strings.Repeat("_", i))
		require.NoError(t, os.WriteFile(real, []byte(src), 0o600))
		dir := filepath.Join(root, "internal", "readmeblocks", "b"+string(rune('a'+i)))
		overlay["Replace"][filepath.Join(dir, "main.go")] = real
		pkgs = append(pkgs, "./internal/readmeblocks/b"+string(rune('a'+i)))
	}
	ov, err := json.Marshal(overlay)
	require.NoError(t, err)
	ovPath := filepath.Join(tmp, "overlay.json")
	require.NoError(t, os.WriteFile(ovPath, ov, 0o600))

	args := append([]string{"build", "-overlay", ovPath, "-o", filepath.Join(tmp, "bin") + string(filepath.Separator)}, pkgs...)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "README code blocks do not build:\n%s", out)
}
