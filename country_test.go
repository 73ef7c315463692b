package kyc_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

func TestIsCountryCode(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"ESP": true, "IND": true, "IDN": true, "KHM": true, "MEX": true, "USA": true,
		"ABW": true, "ZWE": true, "ATA": true, "XKX": false, // Kosovo: user-assigned, not ISO
		"XYZ": false, "AAA": false, "ZZZ": false, "esp": false, "Esp": false, "ES": false,
		"ESPA": false, "": false, "E5P": false, "ZAR": false, // withdrawn in 1997
		"YUG": false, "ANT": false,
	} {
		assert.Equal(t, want, kyc.IsCountryCode(s), s)
	}
}

func TestCountryAlpha2(t *testing.T) {
	t.Parallel()
	for a2, a3 := range map[string]string{"ES": "ESP", "es": "ESP", "IN": "IND", "ID": "IDN", "KH": "KHM", "MX": "MEX", "GB": "GBR", "AW": "ABW", "ZW": "ZWE"} {
		got, ok := kyc.CountryFromAlpha2(a2)
		assert.True(t, ok, a2)
		assert.Equal(t, a3, got, a2)
		back, ok := kyc.CountryAlpha2(a3)
		assert.True(t, ok, a3)
		assert.Equal(t, strings.ToUpper(a2), back, a3)
	}
	// Look-alikes strings.ToUpper folds to ASCII: U+017F ſ → S, U+0131 ı → I,
	// and the Kelvin sign U+212A (ToUpper keeps it, but refuse all non-ASCII).
	for _, bad := range []string{"", "E", "ESP", "UK", "XX", "E1", "ſe", "ıN", "ıT", "ıD", "ſG", "ſA", "\u212aH", "E\x00"} {
		_, ok := kyc.CountryFromAlpha2(bad)
		assert.False(t, ok, bad)
	}
	for _, bad := range []string{"", "ES", "XYZ", "esp"} {
		_, ok := kyc.CountryAlpha2(bad)
		assert.False(t, ok, bad)
	}
}

func TestCountryRefusalHints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		country string
		hint    string
	}{
		{"XYZ", "XYZ is not an ISO 3166-1 alpha-3 code in capitals, such as ESP, IND or MEX"},
		{"esp", "did you mean ESP?"},
		{"ES", "ES is an alpha-2 code"},
		{"ES", "ESP here; kyc.CountryFromAlpha2 converts"},
		{"QQ", "QQ is not an ISO 3166-1 alpha-3 code"},
		{"ZAR", "ZAR was withdrawn from ISO 3166-1 in 1997: did you mean COD?"},
		{"TMP", "did you mean TLS?"},
		{"YUG", "YUG was withdrawn from ISO 3166-1 in 2003"},
		{"ESQ", "did you mean ESH or ESP or EST?"},
		{"SPAIN", "not an ISO 3166-1 alpha-3 code"},
		{"E\x00P", "not an ISO 3166-1 alpha-3 code"},
	}
	for _, tt := range tests {
		t.Run(tt.country, func(t *testing.T) {
			t.Parallel()
			err := kyc.Request{Country: tt.country}.Validate()
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.EqualValues(t, "Country", kerr.Field)
			assert.Contains(t, kerr.Message, tt.hint)
			if len(tt.country) > 3 || tt.country == "E\x00P" {
				assert.NotContains(t, kerr.Message, tt.country, "only two or three letters are quoted")
			}
		})
	}
}
