package phone_test

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/phone"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		number, country string
		want            string // "" for a refusal
		field, hint     string
	}{
		{number: "600000001", country: "ESP", want: "+34600000001"},
		{number: "+34 600 000 001", want: "+34600000001"},
		{number: "07400 123456", country: "GBR", want: "+447400123456"},
		{number: "(415) 555-0100", country: "USA", want: "+14155550100"},
		// The compact table takes these (their plan's general shape);
		// libphonenumber's types do not.
		{number: "+34 500 000 001", field: "Person.Phone", hint: "libphonenumber"},
		{number: "500000001", country: "ESP", field: "Person.Phone", hint: "such as +34612345678"},
		// kyc.NormalizePhone's refusals, named for this package.
		{number: "+34 600 abc", field: "Person.Phone", hint: "only digits"},
		{number: "600000001", country: "XYZ", field: "Country", hint: "not an ISO 3166-1 alpha-3 code"},
	}
	for _, tt := range tests {
		t.Run(tt.number+"/"+tt.country, func(t *testing.T) {
			t.Parallel()
			got, err := phone.Normalize(tt.number, tt.country)
			if tt.want != "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, got)
				assert.True(t, phone.IsValid(got))
				return
			}
			assert.Empty(t, got)
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, "phone.Normalize", kerr.Op)
			assert.EqualValues(t, tt.field, kerr.Field)
			assert.Contains(t, kerr.Message, tt.hint)
		})
	}
}

func TestIsValid(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"+34600000001":  true,
		"34600000001":   true,
		"+34500000001":  false, // Spain's shape, no type of line
		"+34 600000001": false,
		"600000001":     false,
		"":              false,
	} {
		assert.Equal(t, want, phone.IsValid(s), s)
	}
}

// TestCompactTableAgrees checks the root's compact table against
// libphonenumber over every region's example numbers and random numbers
// of every plan: the table is never stricter (what libphonenumber accepts,
// kyc accepts, in the same E.164 form), and how much looser it is stays
// bounded.
func TestCompactTableAgrees(t *testing.T) {
	t.Parallel()
	regions := make([]string, 0, 256)
	for r := range phonenumbers.GetSupportedRegions() {
		regions = append(regions, r)
	}
	slices.Sort(regions)
	types := []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
		phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER,
		phonenumbers.PAGER, phonenumbers.UAN, phonenumbers.VOICEMAIL}
	examples := 0
	for _, r := range regions {
		country, ok := kyc.CountryFromAlpha2(r)
		for _, typ := range types {
			num := phonenumbers.GetExampleNumberForType(r, typ)
			if num == nil || !phonenumbers.IsValidNumber(num) {
				continue
			}
			examples++
			e164 := phonenumbers.Format(num, phonenumbers.E164)
			got, err := kyc.NormalizePhone(e164, "")
			if assert.NoError(t, err, "%s %v %s", r, typ, e164) {
				assert.Equal(t, e164, got)
			}
			if !ok {
				continue // a territory without an ISO 3166-1 code (XK, AC, TA)
			}
			national := phonenumbers.Format(num, phonenumbers.NATIONAL)
			if strict, err := phone.Normalize(national, country); err == nil {
				got, err := kyc.NormalizePhone(national, country)
				if assert.NoError(t, err, "%s %v %q", r, typ, national) {
					assert.Equal(t, strict, got, "%s %v %q", r, typ, national)
				}
			}
		}
	}
	t.Logf("%d example numbers of %d regions", examples, len(regions))

	rng := rand.New(rand.NewPCG(22, 5))
	codes := map[int]bool{}
	for _, r := range regions {
		codes[phonenumbers.GetCountryCodeForRegion(r)] = true
	}
	var tried, strict, loose int
	for code := range codes {
		cc := strconv.Itoa(code)
		for range 60 {
			n := 4 + rng.IntN(12-len(cc))
			d := []byte(cc)
			for range n {
				d = append(d, byte('0'+rng.IntN(10)))
			}
			s := "+" + string(d)
			tried++
			_, kerr := kyc.NormalizePhone(s, "")
			full := phone.IsValid(s)
			if full {
				strict++
				assert.NoError(t, kerr, "libphonenumber accepts %s, the compact table does not", s)
			} else if kerr == nil {
				loose++
			}
		}
	}
	t.Logf("random numbers: %d tried, %d valid by libphonenumber, %d more accepted by the compact table only", tried, strict, loose)
	// Measured with phonenumbers v1.8.1: about 1.1 numbers accepted by the
	// compact table only for each valid one. A table that lost its
	// patterns (lengths only) accepts several times more.
	assert.Less(t, loose, 2*strict, "the compact table accepts at most twice as many invalid numbers as valid ones")
}
