package ekycid

import (
	"context"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// TestScoreRange: a face-match or liveness score is read only as a decimal
// from 0 to 100 (a fraction up to 1, a percentage above); any other number
// makes the reply refused (ErrBadResponse), whatever decision it carries.
func TestScoreRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		score   string // the JSON value of the score
		refused bool
		want    float64
	}{
		{`0`, false, 0}, {`0.93`, false, 0.93}, {`1`, false, 1}, {`"81.5"`, false, 0.815}, {`"0,95"`, false, 0.95},
		{`100`, false, 1}, {`"100.0"`, false, 1},
		{`100.5`, true, 0}, {`150`, true, 0}, {`1e308`, true, 0}, {`"1e308"`, true, 0}, {`-1`, true, 0},
		{`"-0.1"`, true, 0}, {`"NaN"`, true, 0}, {`"Inf"`, true, 0}, {`"-Inf"`, true, 0}, {`"0x1p6"`, true, 0},
	}
	for _, part := range []string{"face_compare", "liveness"} {
		for _, tt := range tests {
			t.Run(part+"="+tt.score, func(t *testing.T) {
				c, mt := mock(t)
				parts := map[string]string{"face_compare": `0.93`, "liveness": `0.97`}
				parts[part] = tt.score
				body := `{"result":{"face_compare":{"score":` + parts["face_compare"] + `,"is_match":true},` +
					`"liveness":{"score":` + parts["liveness"] + `,"is_live":true}},"error":null}`
				mt.RegisterResponder("GET", testBase+"/v0/api-request-reply/r1", httpmock.NewStringResponder(200, body))
				res, err := c.Result(context.Background(), "ekycid:r1")
				if tt.refused {
					require.ErrorIs(t, err, kyc.ErrBadResponse)
					assert.Nil(t, res, "no verdict from a score out of range")
					return
				}
				require.NoError(t, err)
				s := res.Scores.FaceMatch
				if part == "liveness" {
					s = res.Scores.Liveness
				}
				got, ok := s.Value()
				require.True(t, ok)
				assert.InDelta(t, tt.want, got, 1e-9)
			})
		}
	}
}

func TestVerdictOutOfRangeIsUndecided(t *testing.T) {
	t.Parallel()
	r := &ReplyResult{Result: []byte(`{"score":"1e308","is_match":true}`)}
	v := r.FaceMatch()
	assert.True(t, v.OutOfRange())
	assert.False(t, v.Score.Given())
	_, ok := v.Passed(0.5)
	assert.False(t, ok, "an out-of-range score leaves the check undecided, even with is_match")
}
