package incode

import (
	"context"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

func TestFailReasons(t *testing.T) {
	want := map[string]kyc.Reason{
		"UNKNOWN_DOCUMENT_TYPE":           kyc.ReasonUnsupportedDocument,
		"WRONG_DOCUMENT_SIDE":             kyc.ReasonFrontBackMismatch,
		"WRONG_ONE_SIDED_DOCUMENT":        kyc.ReasonFrontBackMismatch,
		"WRONG_UNFOLDED_DOCUMENT":         kyc.ReasonFrontBackMismatch,
		"UNFOLDED_DOCUMENT_PAGE_MISMATCH": kyc.ReasonFrontBackMismatch,
		"DOCUMENT_NOT_READABLE":           kyc.ReasonLowQualityImage,
		"UNABLE_TO_ALIGN_DOCUMENT":        kyc.ReasonLowQualityImage,
		"ID_TYPE_UNACCEPTABLE":            kyc.ReasonUnsupportedDocument,
		"UNEXPECTED_ERROR_OCCURRED":       kyc.ReasonOther,
		"SOMETHING_NEW":                   kyc.ReasonOther,
	}
	assert.Len(t, failReasons, 9)
	for fr, reason := range want {
		t.Run(fr, func(t *testing.T) {
			_, s, mt := mock(t)
			body := `{"classification":false,"failReason":"` + fr + `","sharpness":100,"glare":100,"horizontalResolution":0}`
			mt.RegisterResponder("POST", testBase+"/omni/add/front-id/v2", httpmock.NewStringResponder(200, body))
			res, err := s.AddFrontID(context.Background(), img(t, ""), false)
			require.NoError(t, err)
			assert.False(t, res.Accepted())
			assert.Equal(t, fr, res.FailReason)
			assert.Equal(t, reason, res.Reason())
			assert.True(t, reason.Valid())
		})
	}
}

func TestSelfieAndFaceQuirks(t *testing.T) {
	tests := []struct {
		body   string
		live   bool
		reason kyc.Reason
	}{
		{`{"confidence":0,"isBright":true}`, true, ""},
		{`{"confidence":1,"isBright":true}`, false, kyc.ReasonLivenessFailed},
		{`{"confidence":"1"}`, false, kyc.ReasonLivenessFailed},
		{`{"isBright":false}`, false, kyc.ReasonLowQualityImage},
		{`{"confidence":null}`, false, kyc.ReasonLowQualityImage},
	}
	for _, tt := range tests {
		r, err := decodeSelfie([]byte(tt.body))
		require.NoError(t, err)
		assert.Equal(t, tt.live, r.Live(), tt.body)
		assert.Equal(t, tt.reason, r.Reason(), tt.body)
	}
	for body, match := range map[string]bool{`{"confidence":1}`: true, `{"confidence":0}`: false, `{}`: false, `{"confidence":"1.0"}`: true} {
		r, err := decodeFace([]byte(body))
		require.NoError(t, err)
		assert.Equal(t, match, r.Match(), body)
	}
}

func TestScoreMapping(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		status  kyc.Status
		reasons []kyc.Reason
	}{
		{"ok", `{"overall":{"status":"OK"}}`, kyc.StatusApproved, nil},
		{"empty", `{"overall":{"value":null,"status":""}}`, kyc.StatusPending, nil},
		{"missing", `{}`, kyc.StatusPending, nil},
		{"warn", `{"overall":{"status":"WARN"},"liveness":{"overall":{"status":"WARN"}}}`, kyc.StatusReview, nil},
		{"manual", `{"overall":{"status":"MANUAL"}}`, kyc.StatusReview, nil},
		{"manual ok", `{"overall":{"status":"MANUAL_OK"}}`, kyc.StatusApproved, nil},
		{"lower case", `{"overall":{"status":"fail"}}`, kyc.StatusRejected, []kyc.Reason{kyc.ReasonOther}},
		{"new status", `{"overall":{"status":"SOMETHING"}}`, kyc.StatusReview, nil},
		{"liveness", `{"overall":{"status":"FAIL"},"liveness":{"livenessScore":{"status":"FAIL"},"overall":{"status":"FAIL"}}}`,
			kyc.StatusRejected, []kyc.Reason{kyc.ReasonLivenessFailed}},
		{"face", `{"overall":{"status":"FAIL"},"faceRecognition":{"overall":{"value":"10","status":"FAIL"}}}`,
			kyc.StatusRejected, []kyc.Reason{kyc.ReasonFaceMismatch}},
		{"expired and tampered", `{"overall":{"status":"FAIL"},"idValidation":{"photoSecurityAndQuality":[{"key":"tamperCheck","value":"FAILED","status":"FAIL"}],
			"idSpecific":[{"key":"expirationDateValidity","value":"0","status":"FAIL"},{"key":"documentExpired","value":"0","status":"FAIL"}],"overall":{"status":"FAIL"}}}`,
			kyc.StatusRejected, []kyc.Reason{kyc.ReasonDocumentForged, kyc.ReasonDocumentExpired}},
		{"unknown leaf", `{"overall":{"status":"FAIL"},"idValidation":{"idSpecific":{"newCheck":{"status":"FAIL"}},"overall":{"status":"FAIL"}}}`,
			kyc.StatusRejected, []kyc.Reason{kyc.ReasonOther}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DecodeScore([]byte(tt.body))
			require.NoError(t, err)
			assert.Equal(t, tt.status, r.Status())
			assert.Equal(t, tt.reasons, r.Reasons(false))
		})
	}
	r, err := DecodeScore([]byte(`{"liveness":{"overall":{"status":"WARN"}}}`))
	require.NoError(t, err)
	assert.Equal(t, []kyc.Reason{kyc.ReasonLivenessFailed}, r.Reasons(true), "warnings explain a review")
	_, err = DecodeScore([]byte(`[]`))
	assert.Error(t, err)
	r, err = DecodeScore([]byte(`{"idValidation":{"idSpecific":{"b":{"status":"OK"},"a":{"status":"FAIL"}}}}`))
	require.NoError(t, err)
	assert.Equal(t, "a", r.IDValidation.IDSpecific[0].Key, "an object of leaves is read in key order")
}

func TestOCRDates(t *testing.T) {
	d, err := DecodeOCR([]byte(`{"birthDate":-315619200000,"expireAt":"1654041600000","issuedAt":"","issueDate":"2019","name":{"givenName":"ANA","paternalLastName":"GARCIA","maternalLastName":"LOPEZ"},"typeOfId":"Passport"}`))
	require.NoError(t, err)
	doc := d.Document()
	assert.Equal(t, time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), doc.DateOfBirth)
	assert.Equal(t, time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC), doc.ExpiryDate)
	assert.True(t, doc.IssueDate.IsZero())
	assert.Equal(t, 2019, d.IssueDate)
	assert.Equal(t, "ANA GARCIA LOPEZ", doc.FullName)
	assert.Equal(t, "GARCIA LOPEZ", doc.LastName)
	assert.Equal(t, kyc.DocumentPassport, doc.Type)
	_, err = DecodeOCR([]byte(`"x"`))
	assert.Error(t, err)
}
