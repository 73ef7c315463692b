package verificar

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// TestWebhookOneRuleForOddInput: a repeated field is refused in every
// format (never the first in one and the last in another), a state only in
// its integer form, a similarity only up to 100; the refusal names the
// reason and never quotes the body.
func TestWebhookOneRuleForOddInput(t *testing.T) {
	const mp = "--B\r\nContent-Disposition: form-data; name=\"ID\"\r\n\r\n1\r\n" +
		"--B\r\nContent-Disposition: form-data; name=\"Estado\"\r\n\r\n5100\r\n" +
		"--B\r\nContent-Disposition: form-data; name=\"Estado\"\r\n\r\n5500\r\n--B--\r\n"
	cases := []struct {
		name, ct, body, reason string
	}{
		{"json duplicate", "application/json", `{"ID":"1","Estado":5500,"Estado":5100}`, refuseDuplicate},
		{"json duplicate in other case", "application/json", `{"ID":"1","Estado":5500,"estado":5100}`, refuseDuplicate},
		{"form duplicate", "application/x-www-form-urlencoded", "ID=1&Estado=5100&Estado=5500", refuseDuplicate},
		{"form duplicate in other case", "application/x-www-form-urlencoded", "ID=1&Estado=5100&estado=5500", refuseDuplicate},
		{"multipart duplicate", "multipart/form-data; boundary=B", mp, refuseDuplicate},
		{"Result duplicate", "application/json", `{"ID":"1","Estado":5001,"Result":{"Resultado":-2,"Resultado":95}}`, refuseDuplicate},
		{"hex float state", "application/json", `{"ID":"1","Estado":"0x13ECp0"}`, refuseUndecodable},
		{"fractional state", "application/json", `{"ID":"1","Estado":5100.9}`, refuseUndecodable},
		{"exponent state", "application/json", `{"ID":"1","Estado":5.1e3}`, refuseUndecodable},
		{"huge Resultado", "application/json", `{"ID":"1","Estado":5001,"Result":{"Resultado":1e308,"PruebaDeVida":"Si"}}`, refuseResultado},
		{"Resultado over 100", "application/json", `{"ID":"1","Estado":5001,"Result":{"Resultado":100.5,"PruebaDeVida":"Si"}}`, refuseResultado},
		{"similarity over 100", "application/json", `{"ID":"1","Estado":5001,"Result":{"Resultado":90,"ParecidoPersonaDNI":1e9,"PruebaDeVida":"Si"}}`, refuseResultado},
		{"Resultado in hex", "application/json", `{"ID":"1","Estado":5001,"Result":{"Resultado":"0x1.4p6","PruebaDeVida":"Si"}}`, refuseResult},
		{"Resultado with a plus sign", "application/json", `{"ID":"1","Estado":5001,"Result":{"Resultado":"+80","PruebaDeVida":"Si"}}`, refuseResult},
		{"Resultado with a decimal comma", "application/json", `{"ID":"1","Estado":5001,"Result":{"Resultado":"80,0","PruebaDeVida":"Si"}}`, refuseResult},
		{"Resultado code with a fraction", "application/json", `{"ID":"1","Estado":5001,"Result":{"Resultado":-7.5,"PruebaDeVida":"Si"}}`, refuseResult},
		{"Resultado NaN", "application/json", `{"ID":"1","Estado":5001,"Result":{"Resultado":"NaN","PruebaDeVida":"Si"}}`, refuseResult},
		{"similarity in hex", "application/json", `{"ID":"1","Estado":5001,"Result":{"Resultado":90,"ParecidoPersonaDNI":"0x5Ap0","PruebaDeVida":"Si"}}`, refuseResult},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := parseReport("t", tc.ct, []byte(tc.body))
			require.Error(t, err, "accepted as %+v", ev)
			var kerr *kyc.Error
			require.True(t, errors.As(err, &kerr))
			assert.Equal(t, tc.reason, kerr.Message)
			assert.NotContains(t, err.Error(), "5100")
			assert.NotContains(t, err.Error(), "e308")
		})
	}
	for _, ok := range []string{`{"ID":"1","Estado":5100}`, `{"ID":"1","Estado":"5100"}`, `{"ID":"1","Estado":5001,"Result":{"Resultado":100,"PruebaDeVida":"Si"}}`} {
		ev, err := parseReport("t", "application/json", []byte(ok))
		require.NoError(t, err, ok)
		assert.True(t, strings.HasPrefix(ev.Type, "5"), ok)
	}
}
