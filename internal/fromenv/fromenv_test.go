package fromenv

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

func getenv(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestVendors(t *testing.T) {
	t.Parallel()
	vs := Vendors()
	require.Len(t, vs, 5, "atlas, incode, advanceai, ekycid, verificar")
	for _, v := range vs {
		t.Run(string(v.Provider), func(t *testing.T) {
			t.Parallel()
			assert.False(t, v.Configured(getenv(nil)))
			env := map[string]string{}
			for _, name := range v.Vars {
				assert.True(t, v.Configured(getenv(map[string]string{name: "x"})), name)
				env[name] = "x"
				if strings.HasSuffix(name, "_EMAIL") {
					env[name] = "ops@example.com"
				}
			}
			for field, name := range v.Fields {
				assert.NotEmpty(t, field)
				assert.Regexp(t, `^[A-Z]+_[A-Z_]+$`, name)
			}
			assert.Regexp(t, `^[A-Z]+_BASE_URL$`, v.BaseURL)
			assert.Len(t, v.Options(getenv(nil)), 0)
			assert.Len(t, v.Options(getenv(map[string]string{v.BaseURL: "https://sandbox.example"})), 1)

			_, err := v.New(getenv(nil))
			require.ErrorIs(t, err, kyc.ErrInvalidRequest, "no credentials: a configuration error")
			c, err := v.New(getenv(env))
			require.NoError(t, err, "its credential variables configure it")
			defer c.Close()
			assert.Equal(t, v.Provider, c.Provider())
			got, ok := Lookup(v.Provider)
			require.True(t, ok)
			assert.Equal(t, v.BaseURL, got.BaseURL)
		})
	}
	_, ok := Lookup("nobody")
	assert.False(t, ok)
}
