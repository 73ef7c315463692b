package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestOtherSectionsKeepsWhatOthersWrite: regenerating BENCHMARKS.md keeps
// the sections other commands write (import cost, outages, PostgreSQL),
// and drops the old copies of the harness's own.
func TestOtherSectionsKeepsWhatOthersWrite(t *testing.T) {
	tests := []struct {
		name, md, want string
	}{
		{"only own sections", "# Benchmarks\n\nintro\n\n## Targets (issue 17)\n\n| a |\n\n## Round trip: x\n\nrows\n", ""},
		{"others kept in order",
			"# Benchmarks\n\nintro\n\n## Targets (issue 17)\n\nold\n\n## Vendor outages: the fault matrix\n\nmatrix\n\n" +
				"## Streaming and memory: vendor\n\nold\n\n## Import cost: kyc\n\ncost\n\n## PostgreSQL store\n\npg\n",
			"## Vendor outages: the fault matrix\n\nmatrix\n\n## Import cost: kyc\n\ncost\n\n## PostgreSQL store\n\npg\n"},
		{"a level-3 heading stays in its section", "## Import cost\n\n### detail\n\nx\n## Load: y\n\nz\n", "## Import cost\n\n### detail\n\nx\n"},
		{"no file", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, string(otherSections([]byte(tt.md))))
		})
	}
}
