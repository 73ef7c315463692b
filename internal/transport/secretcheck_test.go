package transport_test

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/verificar"
)

// TestEverySecretRefusesOnlySpaces finds every kyc.Secret field of every
// vendor Config by reflection (each set in one of the rows) and checks that New refuses it holding only
// spaces, naming the field: a blank webhook token would otherwise match a
// blank Authorization header over HTTP/2.
func TestEverySecretRefusesOnlySpaces(t *testing.T) {
	secretType := reflect.TypeOf(kyc.Secret{})
	vendors := []struct {
		name string
		cfg  any // a valid Config, every secret set
		new  func(cfg any) error
	}{
		{"atlas", atlas.Config{KeyID: "k", KeySecret: kyc.NewSecret("s")},
			func(c any) error { _, err := atlas.New(c.(atlas.Config)); return err }},
		{"advanceai", advanceai.Config{AccessKey: "k", SecretKey: kyc.NewSecret("s")},
			func(c any) error { _, err := advanceai.New(c.(advanceai.Config)); return err }},
		{"ekycid", ekycid.Config{APIKey: kyc.NewSecret("s")},
			func(c any) error { _, err := ekycid.New(c.(ekycid.Config)); return err }},
		{"incode", incode.Config{APIKey: kyc.NewSecret("s"), ExecutiveEmail: "a@b.example",
			ExecutivePassword: kyc.NewSecret("p"), WebhookToken: kyc.NewSecret("t")},
			func(c any) error { _, err := incode.New(c.(incode.Config)); return err }},
		// The static header goes without WebhookToken (New refuses both).
		{"incode", incode.Config{APIKey: kyc.NewSecret("s"), WebhookHeaderName: "X-Hook", WebhookHeaderValue: kyc.NewSecret("v")},
			func(c any) error { _, err := incode.New(c.(incode.Config)); return err }},
		{"verificar", verificar.Config{APIUser: "u", APIToken: kyc.NewSecret("s"), WebhookUser: "w",
			WebhookPassword: kyc.NewSecret("p")},
			func(c any) error { _, err := verificar.New(c.(verificar.Config)); return err }},
	}
	seen := map[string]bool{} // "incode.Config.APIKey": each secret a row sets
	for _, v := range vendors {
		require.NoError(t, v.new(v.cfg), v.name)
		typ := reflect.TypeOf(v.cfg)
		for i := range typ.NumField() {
			f := typ.Field(i)
			if f.Type != secretType || reflect.ValueOf(v.cfg).Field(i).IsZero() {
				continue
			}
			for _, blank := range []string{" ", "    ", " \u00a0 "} {
				t.Run(v.name+"."+f.Name, func(t *testing.T) {
					cfg := reflect.New(typ).Elem()
					cfg.Set(reflect.ValueOf(v.cfg))
					cfg.Field(i).Set(reflect.ValueOf(kyc.NewSecret(blank)))
					err := v.new(cfg.Interface())
					require.Error(t, err)
					var kerr *kyc.Error
					require.ErrorAs(t, err, &kerr)
					require.ErrorIs(t, err, kyc.ErrInvalidRequest)
					require.EqualValues(t, f.Name, kerr.Field)
				})
			}
			seen[typ.String()+"."+f.Name] = true
		}
	}
	require.Len(t, seen, 9, "the vendor Configs hold 9 secrets; a new one is set in a row here and checked too")
}
