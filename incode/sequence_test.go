package incode

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// TestManualReviewReplacesTheAutomaticVerdict: in a ResultStore, Incode's
// manual review (decided after the automatic verdict) replaces it, and the
// automatic verdict re-delivered afterwards does not come back.
func TestManualReviewReplacesTheAutomaticVerdict(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	auto := outcome(&kyc.Result{Provider: kyc.Incode, Reference: "incode:S1"}, StatusOnboardingFinished,
		&ScoreResult{Overall: ScoreItem{Status: ScoreOK}}, nil)
	manual := outcome(&kyc.Result{Provider: kyc.Incode, Reference: "incode:S1"}, StatusManualReviewRejected,
		&ScoreResult{Overall: ScoreItem{Status: ScoreOK}}, nil)
	require.Equal(t, kyc.StatusApproved, auto.Status)
	require.Equal(t, kyc.StatusRejected, manual.Status)
	assert.Less(t, auto.Sequence, manual.Sequence)

	store := kyc.NewMemoryStore(0)
	for _, step := range []struct {
		res  *kyc.Result
		want kyc.Applied
	}{{auto, kyc.AppliedStored}, {manual, kyc.AppliedStored}, {auto, kyc.AppliedUnchanged}} {
		got, err := store.Apply(ctx, step.res)
		require.NoError(t, err)
		assert.Equal(t, step.want, got)
	}
	got, err := store.Get(ctx, "incode:S1")
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusRejected, got.Status, "the manual review stays")
}
