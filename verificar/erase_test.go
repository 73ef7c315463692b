package verificar

import (
	"testing"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

func TestEraseUnsupported(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	testutil.EraseUnsupported(t, kyc.Verificar, "verificar.Erase", c, "verificar:299846332",
		[]string{"", "verificar:12ab", "atlas:299846332"}, mt.GetTotalCallCount)
}
