package kyc_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

func TestNormalizePhone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		phone, country string
		want           string // "" for a refusal
		field          string // the refused field, Person.Phone unless set
		hint           string // part of the refusal's message
	}{
		{phone: "600000001", country: "ESP", want: "+34600000001"},
		{phone: "34600000001", country: "ESP", want: "+34600000001"},
		{phone: "0034600000001", country: "ESP", want: "+34600000001"},
		{phone: "600 00 00 01", country: "ESP", want: "+34600000001"},
		{phone: "600-000-001", country: "ESP", want: "+34600000001"},
		{phone: "+34 600 000 001", want: "+34600000001"},
		{phone: "+34600000001", country: "MEX", want: "+34600000001"},
		{phone: "34600000001", want: "+34600000001"},
		{phone: " +34600000001 ", want: "+34600000001"},
		{phone: "07400 123456", country: "GBR", want: "+447400123456"},
		{phone: "(415) 555-0100", country: "USA", want: "+14155550100"},
		{phone: "98765 43210", country: "IND", want: "+919876543210"},
		{phone: "081234567890", country: "IDN", want: "+6281234567890"},

		{phone: "600000001", hint: "set Country for a national number"},
		{phone: "12345", country: "ESP", hint: "a national number of ESP, such as 612345678, or the international form, such as +34612345678"},
		{phone: "+3460", hint: "+ then the country calling code and the number"},
		{phone: "+34 600 abc", country: "ESP", hint: "only digits"},
		{phone: "1-800-FLOWERS", country: "USA", hint: "only digits"},
		{phone: "+34600000001 ext. 12", hint: "only digits"},
		{phone: "+34600000001;ext=12", hint: "only digits"},
		{phone: "++34600000001", hint: "only digits"},
		{phone: "34+600000001", hint: "only digits"},
		{phone: "+", hint: "no digits"},
		{phone: " - ", country: "ESP", hint: "no digits"},
		{phone: "+3460000000000000000000000000000001", hint: "too long"},
		{phone: "+34600000001\n", hint: "only digits"},
		{phone: "123", country: "ATA", hint: "no numbering plan is known for ATA"},
		{phone: "600000001", country: "XYZ", field: "Country", hint: "XYZ is not an ISO 3166-1 alpha-3 code"},
		{phone: "600000001", country: "ES", field: "Country", hint: "ESP here"},
	}
	for _, tt := range tests {
		t.Run(tt.phone+"/"+tt.country, func(t *testing.T) {
			t.Parallel()
			got, err := kyc.NormalizePhone(tt.phone, tt.country)
			if tt.want != "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, got)
				assert.True(t, kyc.IsPhone(got), "the result is E.164")
				return
			}
			assert.Empty(t, got)
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			field := tt.field
			if field == "" {
				field = "Person.Phone"
			}
			assert.EqualValues(t, field, kerr.Field)
			assert.Equal(t, "kyc.NormalizePhone", kerr.Op)
			assert.Contains(t, kerr.Message, tt.hint)
		})
	}
}

func TestValidatePhone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		phone   string
		country string
		ok      bool
	}{
		{"national with country", "600000001", "ESP", true},
		{"international", "+34600000001", "", true},
		{"international without plus", "34600000001", "", true},
		{"national without country", "600000001", "", false},
		{"not a Spanish number", "1111", "ESP", false},
		{"letters", "+34 600 abc", "ESP", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := kyc.Request{Country: tt.country, Person: kyc.Person{Phone: tt.phone}}.Validate()
			if tt.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.EqualValues(t, "Person.Phone", kerr.Field)
			assert.Equal(t, "kyc.Request.Validate", kerr.Op)
			assert.Contains(t, kerr.Message, "international form")
			assert.NotContains(t, err.Error(), tt.phone, "the phone is never quoted")
		})
	}
}

func TestIsPhone(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"+34600000001":      true,
		"34600111222":       true,
		"+919876543210":     true,
		"600000001":         false, // national
		"+3460011122233344": false, // 16 digits
		"34-600-000-001":    false, // separators: NormalizePhone's job
		"+34 600000001":     false,
		"+3460":             false,
		"":                  false,
		"+":                 false,
		"++34600000001":     false,
	} {
		assert.Equal(t, want, kyc.IsPhone(s), s)
	}
}

// TestRootImportsNoPhoneLibrary guards the light import: the root package
// checks phones with its generated table (phones_gen.go), and only the
// phone package imports libphonenumber and, through it, protobuf and
// golang.org/x/text (the standard library's vendored copy excepted).
func TestRootImportsNoPhoneLibrary(t *testing.T) {
	t.Parallel()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command(gobin, "list", "-deps", "github.com/kyc-go/kyc").Output()
	require.NoError(t, err)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/kyc-go/kyc")
	for _, d := range deps {
		for _, heavy := range []string{"github.com/nyaruka/phonenumbers", "google.golang.org/protobuf", "golang.org/x/text"} {
			assert.False(t, d == heavy || strings.HasPrefix(d, heavy+"/"), "the root package depends on %s", d)
		}
	}
}

// BenchmarkNormalizePhone measures a parse after the first (the first
// compiles the region's patterns).
func BenchmarkNormalizePhone(b *testing.B) {
	for b.Loop() {
		if _, err := kyc.NormalizePhone("600000001", "ESP"); err != nil {
			b.Fatal(err)
		}
	}
}
