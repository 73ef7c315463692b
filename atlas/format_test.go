package atlas

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
	c, err := New(Config{KeyID: shapetest.Marker, KeySecret: kyc.NewSecret(shapetest.Marker)})
	require.NoError(t, err)
	defer func() { _ = c.Close() }()
	shapetest.Check(t, ".", printer.Allowed, []any{
		&ErrorBody{},
		&AadhaarOTPResult{},
		&BankAccountRequest{},
		&BankAccountResult{},
		&Client{},
		&Config{},
		&ESignCallback{},
		&ESignRequest{},
		&ESignResult{},
		&EnrolFaceResult{},
		&Envelope{},
		&FaceMatchResult{},
		&PANResult{},
		&Part{},
		&VerificationResult{},
		&VideoChallengeResult{},
	}, c, Form{"pan": {shapetest.Marker}}, Part{Name: shapetest.Marker, Value: shapetest.Marker})
}
