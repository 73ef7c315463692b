package incode

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The answers decode through their wire tags (tolerant.Decode): an empty
// birthDate is no birth date, a null answer is refused, and a score
// section's UnmarshalJSON still reads null as zero.
func TestWireDecode(t *testing.T) {
	d, err := DecodeOCR([]byte(`{"birthDate":"","typeOfId":7,"ocrDataConfidence":{"a":"0.5","b":2}}`))
	require.NoError(t, err)
	assert.False(t, d.HasBirthDate)
	assert.True(t, d.DateOfBirth().IsZero())
	assert.Equal(t, "7", d.TypeOfID)
	assert.Equal(t, map[string]float64{"a": 0.5}, d.Confidence)

	for _, body := range []string{"null", "", "[]"} {
		_, err := decodeSide([]byte(body))
		assert.Error(t, err, body)
	}
	r, err := decodeSide([]byte(`{"classification":"true","sharpness":"90","failReason":null}`))
	require.NoError(t, err)
	assert.True(t, r.Classification)
	assert.Equal(t, 90, r.Sharpness)
	assert.True(t, r.Accepted())

	f := FaceRecognitionScores{ExistingUser: true}
	require.NoError(t, json.Unmarshal([]byte(`null`), &f))
	assert.Equal(t, FaceRecognitionScores{}, f)
	var s ScoreResult
	require.NoError(t, json.Unmarshal([]byte(`{"faceRecognition":{"existingUser":"yes","maskCheck":{"status":" fail "}},"reasonMsg":3}`), &s))
	require.NotNil(t, s.FaceRecognition)
	assert.True(t, s.FaceRecognition.ExistingUser)
	assert.Equal(t, ScoreFail, s.FaceRecognition.MaskCheck.Status)
	assert.Equal(t, "3", s.ReasonMsg)
}
