package atlas_test

import (
	"testing"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

func TestEraseUnsupported(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	testutil.EraseUnsupported(t, kyc.Atlas, "atlas.Erase", c, "atlas:ABCDEFGHIJ0123456789ab",
		[]string{"", "atlas:short", "incode:ABCDEFGHIJ0123456789ab"}, mt.GetTotalCallCount)
}
