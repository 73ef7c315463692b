package ekycid

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
	c, err := New(Config{APIKey: kyc.NewSecret(shapetest.Marker)})
	require.NoError(t, err)
	defer func() { _ = c.Close() }()
	shapetest.Check(t, ".", printer.Allowed, []any{
		&Client{},
		&CompareFacesRequest{},
		&Config{},
		&DetectIDRequest{},
		&ExpressKYCRequest{},
		&Form{},
		&LivenessRequest{},
		&ManualKYCRequest{},
		&Media{},
		&OCRRequest{},
		&Outcome{},
		&ReplyError{},
		&ReplyResult{},
		&Sequence{},
		&ServiceUsage{},
		&SubmissionResult{},
		&Verdict{},
		&Video{},
	}, c, VideoFromBytes([]byte(shapetest.Marker), shapetest.Marker), VideoURL("https://"+shapetest.Marker+".example/v"), NewForm().Set("name", shapetest.Marker), *NewForm().Set("name", shapetest.Marker))
}
