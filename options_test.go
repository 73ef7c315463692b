package kyc_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// TestOneOptionType: clients, Routers and WebhookMuxes take kyc.Option,
// and each refuses what does not configure it, or a bad value, by name.
func TestOneOptionType(t *testing.T) {
	t.Parallel()
	hook := func(context.Context, *kyc.Event) error { return nil }
	v := &scripted{p: kyc.Atlas}
	route := kyc.DefaultRoute(v)
	for _, tc := range []struct {
		name  string
		build func() error
		field string
	}{
		{"a client option to a Router", func() error { _, err := kyc.NewRouter(route, kyc.WithTimeout(time.Second)); return err }, "WithTimeout"},
		{"a Router option to a client", func() error { _, err := kyc.NewSettings(kyc.AllowFallbackAfterCharge()); return err }, "AllowFallbackAfterCharge"},
		{"a WebhookMux option to a Router", func() error { _, err := kyc.NewRouter(route, kyc.ConfirmEvents()); return err }, "ConfirmEvents"},
		{"a Route to a WebhookMux", func() error { _, err := kyc.NewWebhookMux(hook, route); return err }, "Route"},
		{"a store to a client", func() error { _, err := kyc.NewSettings(kyc.WithResultStore(kyc.NewMemoryStore(0))); return err }, "WithResultStore"},
		{"a negative timeout", func() error { _, err := kyc.NewSettings(kyc.WithTimeout(-1)); return err }, "WithTimeout"},
		{"a nil HTTP client", func() error { _, err := kyc.NewSettings(kyc.WithHTTPClient(nil)); return err }, "WithHTTPClient"},
		{"a nil option", func() error { _, err := kyc.NewSettings(nil); return err }, "opts"},
	} {
		err := tc.build()
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr, tc.name)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, tc.name)
		assert.EqualValues(t, tc.field, kerr.Field, tc.name)
	}
	s, err := kyc.NewSettings(kyc.WithTimeout(5*time.Second), kyc.WithHTTPClient(http.DefaultClient), kyc.WithRetry(1, time.Second))
	require.NoError(t, err)
	assert.Equal(t, 5*time.Second, s.Timeout)
	assert.Equal(t, 1, s.MaxRetries)
	_, err = kyc.NewRouter(route, kyc.WithResultStore(kyc.NewMemoryStore(0)), kyc.WithCircuit(kyc.CircuitSettings{}))
	require.NoError(t, err, "options shared by Routers and WebhookMuxes")
	_, err = kyc.NewWebhookMux(hook, kyc.WithResultStore(kyc.NewMemoryStore(0)), kyc.ObserveApply(func(context.Context, kyc.ApplyInfo) {}))
	require.NoError(t, err)
}
