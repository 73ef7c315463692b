package kycworld_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/kycworld"
)

// fiction is the North American range reserved for fiction: any area code,
// then 555-0100 to 555-0199.
var fiction = regexp.MustCompile(`^\+1[2-9][0-9]{2}55501[0-9]{2}$`)

// TestFictionalPhones: every number the world gives is valid (Verificar
// sends to it), from the fiction range, and distinct until it wraps.
func TestFictionalPhones(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for i := range kycworld.FictionalPhones {
		p := kycworld.FictionalPhone(i)
		require.Regexp(t, fiction, p, "number %d", i)
		if i%100 == 0 || i%100 == 99 { // libphonenumber's verdict turns on the area code
			n, err := kyc.NormalizePhone(p, "ESP")
			require.NoError(t, err, "%s (number %d) is not a valid number: Verificar would refuse it", p, i)
			require.Equal(t, p, n)
		}
		require.False(t, seen[p], "%s given twice", p)
		seen[p] = true
	}
	assert.Equal(t, kycworld.FictionalPhone(0), kycworld.FictionalPhone(kycworld.FictionalPhones))
	assert.Equal(t, kycworld.FictionalPhone(kycworld.FictionalPhones-1), kycworld.FictionalPhone(-1))
}

// TestRequestPhonesAreFictional: the Verificar Requests of a World carry
// fiction-range numbers, one each.
func TestRequestPhonesAreFictional(t *testing.T) {
	t.Parallel()
	w := kycworld.New(t)
	a, b := w.Request(kyc.Verificar, kyctest.ImageApproved), w.Request(kyc.Verificar, kyctest.ImageApproved)
	assert.Regexp(t, fiction, a.Person.Phone)
	assert.Regexp(t, fiction, b.Person.Phone)
	assert.NotEqual(t, a.Person.Phone, b.Person.Phone)
}
