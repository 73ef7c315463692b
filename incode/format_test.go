package incode

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/shape/shapetest"
)

// TestShapeOnlyPrinting fills a value of every exported struct type of the
// package with marker data and prints it under every fmt verb: no marker may
// show. A type added to the package without a Format method fails it, and
// so does one missing from the table.
func TestShapeOnlyPrinting(t *testing.T) {
	t.Parallel()
	c, err := New(Config{APIKey: kyc.NewSecret(shapetest.Marker), ExecutiveEmail: shapetest.Marker + "@example.org", ExecutivePassword: kyc.NewSecret(shapetest.Marker), WebhookToken: kyc.NewSecret(shapetest.Marker)})
	require.NoError(t, err)
	defer func() { _ = c.Close() }()
	shapetest.Check(t, ".", printer.Allowed, []any{
		&ApproveResult{},
		&Client{},
		&Config{},
		&FaceMatchResult{},
		&FaceRecognitionScores{},
		&FinishResult{},
		&IDSideResult{},
		&IDValidationScores{},
		&LivenessScores{},
		&OCRAddress{},
		&OCRConfidenceScores{},
		&OCRName{},
		&OCRResult{},
		&OnboardingLink{},
		&ScoreItem{},
		&ScoreResult{},
		&SelfieResult{},
		&Session{},
		&SessionInput{},
		&StartRequest{},
		&WebhookPayload{},
	}, c)
}
