package atlas_test

import (
	"context"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// TestFaceScoreRange: a face-match score is read only as a decimal from 0
// to 100 (a fraction up to 1, a percentage above); any other number is a
// refused answer (ErrBadResponse), never a match, even beside a match flag.
func TestFaceScoreRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		score   string // the JSON value of data.match_score
		refused bool
		want    float64
	}{
		{`"0"`, false, 0}, {`0.91`, false, 0.91}, {`1`, false, 1}, {`"1.0"`, false, 1}, {`"91"`, false, 0.91},
		{`"91%"`, false, 0.91}, {`"100"`, false, 1}, {`100.0`, false, 1},
		{`"100.01"`, true, 0}, {`150`, true, 0}, {`"1e308"`, true, 0}, {`1e308`, true, 0}, {`"1e999"`, true, 0},
		{`-1`, true, 0}, {`"-0.5"`, true, 0}, {`"NaN"`, true, 0}, {`"Inf"`, true, 0}, {`"-Inf"`, true, 0},
		{`"0x1p6"`, true, 0}, {`"+90"`, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.score, func(t *testing.T) {
			c, mt := mock(t)
			mt.RegisterResponder("POST", base+"/face/compare",
				httpmock.NewStringResponder(200, env(`{"match_score":`+tt.score+`,"is_match":true}`)))
			img := mustImage(t, "")
			res, err := c.Verify(context.Background(), kyc.Request{Document: kyc.Document{Front: img}, Selfie: img})
			if tt.refused {
				require.ErrorIs(t, err, kyc.ErrBadResponse)
				assert.Nil(t, res, "no verdict from a score out of range")
				return
			}
			require.NoError(t, err)
			got, ok := res.Scores.FaceMatch.Value()
			require.True(t, ok)
			assert.InDelta(t, tt.want, got, 1e-9)
		})
	}
}
