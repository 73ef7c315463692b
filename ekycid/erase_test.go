package ekycid

import (
	"testing"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

func TestEraseUnsupported(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	testutil.EraseUnsupported(t, kyc.EKYC, "ekycid.Erase", c, "ekycid:a1b2c3",
		[]string{"", "ekycid:", "atlas:a1b2c3"}, mt.GetTotalCallCount)
}
