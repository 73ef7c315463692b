package advanceai

import (
	"testing"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

func TestEraseUnsupported(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	testutil.EraseUnsupported(t, kyc.AdvanceAI, "advanceai.Erase", c, "advanceai:a1b2c3",
		[]string{"", "advanceai:a b", "atlas:a1b2c3"}, mt.GetTotalCallCount)
}
