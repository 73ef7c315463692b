package atlas

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMatchNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		given, registry string
		want            nameMatch
	}{
		{"Rahul Kumar Sharma", "RAHUL KUMAR SHARMA", namesMatch},
		{"sharma, rahul kumar", "RAHUL KUMAR SHARMA", namesMatch},
		{"Mr. Rahul Kumar Sharma", "SHRI RAHUL KUMAR SHARMA", namesMatch},
		{"Rahul Sharma", "RAHUL KUMAR SHARMA", namesPartial},
		{"R. K. Sharma", "RAHUL KUMAR SHARMA", namesPartial},
		{"Rahul Kumar Sharma", "RAHUL SHARMA", namesPartial},
		{"Priya Verma", "RAHUL KUMAR SHARMA", namesDiffer},
		{"Rahul Verma", "RAHUL KUMAR SHARMA", namesDiffer},
		{"R V", "RAHUL KUMAR SHARMA", namesDiffer},
		{"", "RAHUL", namesDiffer},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, matchNames(tt.given, tt.registry), "%q vs %q", tt.given, tt.registry)
	}
}
