package verifier

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kyc-go/kyc"
)

func TestNoDeletionMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		n    NoDeletion
		want string
	}{
		{"defaults", NoDeletion{Vendor: "V", Docs: "https://v.example"},
			"V documents no call that deletes a verification's data, and no retention period (https://v.example): ask V to erase it"},
		{"every field", NoDeletion{Vendor: "V", Data: "a submission's data", Docs: "https://v.example", Note: "it says X", Contact: "W (w@v.example)"},
			"V documents no call that deletes a submission's data, and no retention period (https://v.example); it says X: ask W (w@v.example) to erase it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.n.Message())
		})
	}
}

func TestIDForm(t *testing.T) {
	t.Parallel()
	check := IDForm(8)
	tests := []struct {
		id      string
		wantErr string
	}{
		{"a", ""},
		{"Ab-9_zZ0", ""},
		{"", "empty"},
		{"123456789", "longer than 8 characters"},
		{"a/b", "only ASCII letters"},
		{"..", "only ASCII letters"},
		{"a\nb", "only ASCII letters"},
		{"é", "only ASCII letters"},
	}
	for _, tt := range tests {
		err := check(tt.id)
		if tt.wantErr == "" {
			assert.NoError(t, err, "%q", tt.id)
			continue
		}
		if assert.Error(t, err, "%q", tt.id) {
			assert.True(t, strings.HasPrefix(err.Error(), tt.wantErr), "%q: %v", tt.id, err)
		}
	}
}

func TestPending(t *testing.T) {
	t.Parallel()
	res := Pending(kyc.Verificar, "42", json.RawMessage(`{"ID":42}`))
	assert.Equal(t, &kyc.Result{Provider: kyc.Verificar, Reference: kyc.NewReference(kyc.Verificar, "42"),
		Status: kyc.StatusPending, Reasons: []kyc.Reason{kyc.ReasonNotFinished}, Raw: json.RawMessage(`{"ID":42}`)}, res)
}
