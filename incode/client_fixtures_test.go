package incode

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

func TestFixtures(t *testing.T) {
	ctx := context.Background()
	_, s, mt := mock(t)
	var headers []http.Header
	record := func(name string) httpmock.Responder {
		body := testutil.Fixture(t, name)
		return func(r *http.Request) (*http.Response, error) {
			headers = append(headers, r.Header.Clone())
			return httpmock.NewBytesResponse(200, body), nil
		}
	}
	mt.RegisterResponder("POST", testBase+"/omni/add/front-id/v2", record("front_ok.json"))
	mt.RegisterResponder("POST", testBase+"/omni/add/back-id/v2", record("front_wrong_side.json"))
	mt.RegisterResponder("POST", testBase+"/omni/process/id", record("process_id.json"))
	mt.RegisterResponder("POST", testBase+"/omni/add/face/third-party", record("selfie_live.json"))
	mt.RegisterResponder("POST", testBase+"/omni/process/face", record("face_match.json"))
	mt.RegisterResponder("GET", testBase+"/omni/get/onboarding/status", record("status.json"))
	mt.RegisterResponder("GET", testBase+"/omni/finish-status", record("inferred_finish.json"))
	mt.RegisterResponder("GET", testBase+"/omni/get/score", record("score.json"))
	mt.RegisterResponder("GET", testBase+"/omni/get/ocr-data", record("ocr.json"))
	mt.RegisterResponder("POST", testBase+"/omni/process/approve", record("approve.json"))

	front, err := s.AddFrontID(ctx, img(t, ""), false)
	require.NoError(t, err)
	assert.True(t, front.Accepted(), "classification false alone is not a refusal")
	assert.False(t, front.Classification)
	assert.Equal(t, "DriversLicense", front.TypeOfID)
	assert.Equal(t, "USA", front.CountryCode)
	assert.Equal(t, 2016, front.IssueYear)
	assert.Equal(t, kyc.Reason(""), front.Reason())

	back, err := s.AddBackID(ctx, img(t, ""))
	require.NoError(t, err, "a failReason arrives in a 200 and is a result, not an error")
	assert.False(t, back.Accepted())
	assert.Equal(t, "WRONG_DOCUMENT_SIDE", back.FailReason)
	assert.Equal(t, kyc.ReasonFrontBackMismatch, back.Reason())

	require.NoError(t, s.ProcessID(ctx))

	selfie, err := s.AddSelfie(ctx, img(t, ""))
	require.NoError(t, err)
	assert.True(t, selfie.Live())
	assert.Equal(t, 31, selfie.Age)
	assert.True(t, selfie.IsBright)
	assert.Equal(t, kyc.Reason(""), selfie.Reason())

	face, err := s.ProcessFace(ctx)
	require.NoError(t, err)
	assert.True(t, face.Match())
	assert.False(t, face.ExistingUser)

	st, err := s.OnboardingStatus(ctx)
	require.NoError(t, err)
	assert.Equal(t, StatusIDValidationFinished, st)
	assert.False(t, st.Ready())

	fin, err := s.FinishStatus(ctx)
	require.NoError(t, err)
	assert.Equal(t, "approved", fin.Action)

	score, err := s.Score(ctx)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusPending, score.Status(), "the documented sample's overall status is empty")
	assert.Equal(t, ScoreOK, score.IDValidation.Overall.Status)
	assert.Len(t, score.IDValidation.PhotoSecurityAndQuality, 6)
	assert.Equal(t, "tamperCheck", score.IDValidation.PhotoSecurityAndQuality[0].Key)
	assert.Equal(t, ScoreFail, score.FaceRecognition.NameMatch.Status)
	assert.True(t, bool(score.FaceRecognition.ExistingUser))
	sc := score.Scores()
	v, _ := sc.Document.Value()
	assert.InDelta(t, 1.0, v, 1e-9)
	v, _ = sc.Liveness.Value()
	assert.InDelta(t, 0.999, v, 1e-9)
	v, _ = sc.FaceMatch.Value()
	assert.InDelta(t, 0.747, v, 1e-9)
	assert.Contains(t, string(score.ReasonMsg), "passed")

	ocr, err := s.OCRData(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ALEX GINMAN", ocr.Name.FullName)
	assert.Equal(t, "S3441243", ocr.DocumentNumber)
	assert.Equal(t, 2024, ocr.ExpirationDate)
	assert.InDelta(t, 0.9975609, ocr.Confidence["birthDateConfidence"], 1e-9)
	doc := ocr.Document()
	assert.Equal(t, kyc.DocumentDriverLicense, doc.Type)
	assert.Equal(t, "ALEX", doc.FirstName)
	assert.Equal(t, "GINMAN", doc.LastName)
	assert.Equal(t, time.Date(2019, 6, 13, 0, 0, 0, 0, time.UTC), doc.IssueDate)
	assert.Equal(t, time.Date(2050, 10, 15, 0, 0, 0, 0, time.UTC), doc.ExpiryDate)
	assert.True(t, doc.DateOfBirth.IsZero(), "the sample has no birthDate")
	assert.Equal(t, "MASSACHUSETTS", doc.Extra["issuingState"])
	assert.Equal(t, "76 PARKER HILL AVE 1\nBOSTON, MA 02120", doc.Address)

	ap, err := s.Approve(ctx)
	require.NoError(t, err)
	assert.Equal(t, testID, ap.UUID)
	assert.Equal(t, "OK", ap.TotalScore)

	require.Len(t, headers, 10)
	for _, h := range headers {
		assert.Equal(t, testToken, h.Get("X-Incode-Hardware-Id"))
		assert.Equal(t, testKey, h.Get("x-api-key"))
		assert.Equal(t, "1.0", h.Get("api-version"))
	}
}

// TestRecordedAndRelayedBodies decodes every body in testdata through the
// typed method it answers (see testdata/README.md for their sources).
func TestRecordedAndRelayedBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file   string
		method string
		path   string
		call   func(ctx context.Context, s *Session) (any, error)
		check  func(t *testing.T, v any)
	}{
		{"recorded_approve.json", "POST", "/omni/process/approve", func(ctx context.Context, s *Session) (any, error) { return s.Approve(ctx) },
			func(t *testing.T, v any) {
				r := v.(*ApproveResult)
				assert.Equal(t, "6595c84ce69d469f69ad39fb", r.UUID)
				assert.Equal(t, "OK", r.TotalScore)
				assert.False(t, r.ExistingCustomer)
				assert.NotContains(t, fmt.Sprintf("%+v", r), "eyJ", "the identity token is not kept")
			}},
		{"approve.json", "POST", "/omni/process/approve", func(ctx context.Context, s *Session) (any, error) { return s.Approve(ctx) },
			func(t *testing.T, v any) { assert.True(t, v.(*ApproveResult).Success) }},
		{"front_ok.json", "POST", "/omni/add/front-id/v2", func(ctx context.Context, s *Session) (any, error) { return s.AddFrontID(ctx, img(t, ""), false) },
			func(t *testing.T, v any) { assert.True(t, v.(*IDSideResult).Accepted()) }},
		{"front_wrong_side.json", "POST", "/omni/add/front-id/v2", func(ctx context.Context, s *Session) (any, error) { return s.AddFrontID(ctx, img(t, ""), false) },
			func(t *testing.T, v any) { assert.Equal(t, kyc.ReasonFrontBackMismatch, v.(*IDSideResult).Reason()) }},
		{"selfie_live.json", "POST", "/omni/add/face/third-party", func(ctx context.Context, s *Session) (any, error) { return s.AddSelfie(ctx, img(t, "")) },
			func(t *testing.T, v any) { assert.Equal(t, kyc.Reason(""), v.(*SelfieResult).Reason()) }},
		{"inferred_selfie_not_bright.json", "POST", "/omni/add/face/third-party", func(ctx context.Context, s *Session) (any, error) { return s.AddSelfie(ctx, img(t, "")) },
			func(t *testing.T, v any) {
				assert.False(t, v.(*SelfieResult).IsBright)
				assert.Equal(t, kyc.ReasonLowQualityImage, v.(*SelfieResult).Reason())
			}},
		{"inferred_selfie_lenses.json", "POST", "/omni/add/face/third-party", func(ctx context.Context, s *Session) (any, error) { return s.AddSelfie(ctx, img(t, "")) },
			func(t *testing.T, v any) { assert.Equal(t, kyc.ReasonLowQualityImage, v.(*SelfieResult).Reason()) }},
		{"inferred_selfie_face_mask.json", "POST", "/omni/add/face/third-party", func(ctx context.Context, s *Session) (any, error) { return s.AddSelfie(ctx, img(t, "")) },
			func(t *testing.T, v any) { assert.Equal(t, kyc.ReasonLowQualityImage, v.(*SelfieResult).Reason()) }},
		{"face_match.json", "POST", "/omni/process/face", func(ctx context.Context, s *Session) (any, error) { return s.ProcessFace(ctx) },
			func(t *testing.T, v any) { assert.True(t, v.(*FaceMatchResult).Match()) }},
		{"process_id.json", "POST", "/omni/process/id", func(ctx context.Context, s *Session) (any, error) { return nil, s.ProcessID(ctx) },
			func(*testing.T, any) {}},
		{"status.json", "GET", "/omni/get/onboarding/status", func(ctx context.Context, s *Session) (any, error) { return s.OnboardingStatus(ctx) },
			func(t *testing.T, v any) { assert.Equal(t, StatusIDValidationFinished, v.(OnboardingStatus)) }},
		{"inferred_finish.json", "GET", "/omni/finish-status", func(ctx context.Context, s *Session) (any, error) { return s.FinishStatus(ctx) },
			func(t *testing.T, v any) { assert.Equal(t, "approved", v.(*FinishResult).Action) }},
		{"score.json", "GET", "/omni/get/score", func(ctx context.Context, s *Session) (any, error) { return s.Score(ctx) },
			func(t *testing.T, v any) {
				r := v.(*ScoreResult)
				assert.Equal(t, kyc.StatusPending, r.Status())
				assert.True(t, r.FaceRecognition.ExistingUser)
			}},
		{"inferred_score_name_mismatch.json", "GET", "/omni/get/score", func(ctx context.Context, s *Session) (any, error) { return s.Score(ctx) },
			func(t *testing.T, v any) {
				r := v.(*ScoreResult)
				assert.Equal(t, kyc.StatusRejected, r.Status())
				assert.Equal(t, []kyc.Reason{kyc.ReasonNameMismatch}, r.Reasons(false), "a customFields name FAIL reaches Reasons")
				require.Len(t, r.IDValidation.CustomFields, 2)
			}},
		{"ocr.json", "GET", "/omni/get/ocr-data", func(ctx context.Context, s *Session) (any, error) { return s.OCRData(ctx) },
			func(t *testing.T, v any) { assert.Equal(t, "ALEX GINMAN", v.(*OCRResult).Name.FullName) }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			_, s, mt := mock(t)
			mt.RegisterResponder(tt.method, testBase+tt.path, httpmock.NewBytesResponder(200, testutil.Fixture(t, tt.file)))
			v, err := tt.call(context.Background(), s)
			require.NoError(t, err)
			tt.check(t, v)
		})
	}
}
