package incode

import (
	"context"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// scoreValues are the boundary values of a score leaf: ok ones read as a
// number (fraction is the 0..1 score), refused ones make DecodeScore fail,
// text ones are accepted without a number.
var scoreValues = []struct {
	value    string // JSON, as the leaf's "value"
	refused  bool
	fraction float64
	number   bool
}{
	{`"0"`, false, 0, true},
	{`"0.0"`, false, 0, true},
	{`"1"`, false, 1, true},
	{`"74.7"`, false, 0.747, true},
	{`"99.9"`, false, 0.999, true},
	{`"100"`, false, 1, true},
	{`"100.0"`, false, 1, true},
	{`" 96 "`, false, 0.96, true},
	{`99.9`, false, 0.999, true}, // a JSON number
	{`"PASSED"`, false, 0, false},
	{`"OK"`, false, 0, false},
	{`""`, false, 0, false},
	{`null`, false, 0, false},
	{`"100.1"`, true, 0, false},
	{`"100.0000001"`, true, 0, false},
	{`"101"`, true, 0, false},
	{`"-0"`, true, 0, false},
	{`"-1"`, true, 0, false},
	{`"-0.001"`, true, 0, false},
	{`"1e308"`, true, 0, false},
	{`1e308`, true, 0, false},
	{`"1e999"`, true, 0, false},
	{`"1e2"`, false, 1, true},
	{`"1.0E-4"`, false, 0.0001, true},
	{`"+5"`, true, 0, false},
	{`".5"`, true, 0, false},
	{`"5."`, true, 0, false},
	{`"NaN"`, true, 0, false},
	{`"Inf"`, true, 0, false},
	{`"-Inf"`, true, 0, false},
	{`"infinity"`, true, 0, false},
	{`"0x1p6"`, true, 0, false},
	{`-1`, true, 0, false},
}

// namedLeafBodies places a value in each named leaf DecodeScore checks,
// with an OK overall verdict around it.
var namedLeafBodies = map[string]string{
	"overall":                           `{"overall":{"value":%s,"status":"OK"}}`,
	"idValidation.overall":              `{"overall":{"status":"OK"},"idValidation":{"overall":{"value":%s,"status":"OK"}}}`,
	"liveness.livenessScore":            `{"overall":{"status":"OK"},"liveness":{"livenessScore":{"value":%s,"status":"OK"}}}`,
	"liveness.photoQuality":             `{"overall":{"status":"OK"},"liveness":{"photoQuality":{"value":%s}}}`,
	"liveness.overall":                  `{"overall":{"status":"OK"},"liveness":{"overall":{"value":%s,"status":"OK"}}}`,
	"faceRecognition.maskCheck":         `{"overall":{"status":"OK"},"faceRecognition":{"maskCheck":{"value":%s,"status":"OK"}}}`,
	"faceRecognition.lensesCheck":       `{"overall":{"status":"OK"},"faceRecognition":{"lensesCheck":{"value":%s,"status":"OK"}}}`,
	"faceRecognition.faceBrightness":    `{"overall":{"status":"OK"},"faceRecognition":{"faceBrightness":{"value":%s,"status":"OK"}}}`,
	"faceRecognition.nameMatch":         `{"overall":{"status":"OK"},"faceRecognition":{"nameMatch":{"value":%s,"status":"OK"}}}`,
	"faceRecognition.overall":           `{"overall":{"status":"OK"},"faceRecognition":{"overall":{"value":%s,"status":"OK"}}}`,
	"idOcrConfidence.overallConfidence": `{"overall":{"status":"OK"},"idOcrConfidence":{"overallConfidence":{"value":%s,"status":"OK"}}}`,
}

func fill(body, value string) string { return strings.Replace(body, "%s", value, 1) }

func TestScoreRange(t *testing.T) {
	t.Parallel()
	for name, body := range namedLeafBodies {
		for _, tt := range scoreValues {
			t.Run(name+"="+tt.value, func(t *testing.T) {
				r, err := DecodeScore([]byte(fill(body, tt.value)))
				if tt.refused {
					require.ErrorIs(t, err, errScoreRange)
					assert.Nil(t, r, "no verdict from a score out of range")
					return
				}
				require.NoError(t, err)
				assert.Equal(t, kyc.StatusApproved, r.Status())
			})
		}
	}
}

func TestScoreFraction(t *testing.T) {
	t.Parallel()
	for _, tt := range scoreValues {
		var it ScoreItem
		require.NoError(t, it.UnmarshalJSON([]byte(`{"value":`+tt.value+`}`)), tt.value)
		v, ok := it.Fraction()
		assert.Equal(t, tt.number, ok, tt.value)
		assert.InDelta(t, tt.fraction, v, 1e-12, tt.value)
	}
}

// TestScoreListLeavesOutOfRange: the open lists are not refused (their
// values are never read as numbers), but give no fraction either.
func TestScoreListLeavesOutOfRange(t *testing.T) {
	t.Parallel()
	r, err := DecodeScore([]byte(`{"overall":{"status":"FAIL"},"idValidation":{"photoSecurityAndQuality":[{"key":"balancedLightFront","value":"1e308","status":"FAIL"}],` +
		`"customFields":[{"key":"firstNameMatch","value":"-5","status":"OK"}]}}`))
	require.NoError(t, err)
	_, ok := r.IDValidation.PhotoSecurityAndQuality[0].Fraction()
	assert.False(t, ok)
	_, ok = r.IDValidation.CustomFields[0].Fraction()
	assert.False(t, ok)
	assert.Equal(t, kyc.StatusRejected, r.Status())
}

func TestConfidenceRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		confidence string
		refused    bool
	}{
		{`0`, false}, {`1`, false}, {`0.5`, false}, {`"1.0"`, false}, {`null`, false}, {`""`, false},
		{`1.0000001`, true}, {`-0.0001`, true}, {`1e308`, true}, {`-1e308`, true}, {`"NaN"`, true},
		{`"Inf"`, true}, {`"-Inf"`, true}, {`2`, true}, {`"yes"`, true},
	}
	for _, tt := range tests {
		body := []byte(`{"confidence":` + tt.confidence + `,"isBright":true}`)
		s, serr := decodeSelfie(body)
		f, ferr := decodeFace(body)
		if tt.refused {
			assert.Error(t, serr, tt.confidence)
			assert.Error(t, ferr, tt.confidence)
			assert.Nil(t, s)
			assert.Nil(t, f)
			continue
		}
		require.NoError(t, serr, tt.confidence)
		require.NoError(t, ferr, tt.confidence)
	}
	d, err := DecodeOCR([]byte(`{"ocrDataConfidence":{"a":0.99,"b":1.5,"c":-0.1,"d":"NaN","e":1,"f":0}}`))
	require.NoError(t, err)
	assert.Equal(t, map[string]float64{"a": 0.99, "e": 1, "f": 0}, d.Confidence, "OCR confidences out of 0..1 are left out")
}

// TestOutOfRangeScoreIsNeverApproved reads a finished session back whose
// overall status is OK but whose liveness score is out of range: the
// answer is a *kyc.Error of kind ErrBadResponse, never a verdict.
func TestOutOfRangeScoreIsNeverApproved(t *testing.T) {
	for _, value := range []string{`"1e308"`, `"NaN"`, `"-1"`, `"100.5"`, `"Inf"`} {
		t.Run(value, func(t *testing.T) {
			c, _, mt := mock(t)
			mt.RegisterResponder("GET", testBase+"/omni/get/onboarding/status", httpmock.NewStringResponder(200, `{"onboardingStatus":"ONBOARDING_FINISHED"}`))
			mt.RegisterResponder("GET", testBase+"/omni/get/score", httpmock.NewStringResponder(200,
				`{"overall":{"value":"99","status":"OK"},"liveness":{"overall":{"value":`+value+`,"status":"OK"}}}`))
			mt.RegisterResponder("GET", testBase+"/omni/get/ocr-data", httpmock.NewStringResponder(200, `{}`))
			res, err := c.Result(context.Background(), "incode:"+testID+"."+testToken)
			require.ErrorIs(t, err, kyc.ErrBadResponse)
			assert.Nil(t, res)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, "incode.Score", kerr.Op)
		})
	}
	c, _, mt := mock(t)
	mt.RegisterResponder("POST", testBase+"/omni/process/face", httpmock.NewStringResponder(200, `{"confidence":1e308}`))
	s, err := c.ResumeSession(testID, kyc.NewSecret(testToken))
	require.NoError(t, err)
	_, err = s.ProcessFace(context.Background())
	require.ErrorIs(t, err, kyc.ErrBadResponse, "a face match of 1e308 is refused, not a match")
}
