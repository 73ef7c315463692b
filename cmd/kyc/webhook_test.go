package main

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/kycworld"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

// TestWebhookReachesHandler: kyc webhook delivers a Verificar 5100 and an
// Incode ONBOARDING_FINISHED to a handler built as examples/webhooks builds
// it (one kyc.WebhookMux, the verificar and incode receivers at
// /webhooks/verificar and /webhooks/incode), and the handler sees both,
// correlated with the References Verify returned.
func TestWebhookReachesHandler(t *testing.T) {
	t.Parallel()
	w := kycworld.New(t) // clients backed by fakes, so the Incode event can be confirmed
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var mu sync.Mutex
	seen := map[string]*kyc.Event{}
	mux, err := kyc.NewWebhookMux(func(_ context.Context, ev *kyc.Event) error {
		mu.Lock()
		defer mu.Unlock()
		seen[ev.Reference] = ev
		return nil
	}, kyc.ConfirmEvents())
	require.NoError(t, err)
	mux.Handle("/webhooks/verificar", w.Verificar)
	mux.Handle("/webhooks/incode", w.Incode)
	hooks := httptest.NewServer(mux)
	defer hooks.Close()

	ver, err := w.Router.Verify(ctx, w.Request(kyc.Verificar, kyctest.ImageApproved))
	require.NoError(t, err)
	inc, err := w.Router.Verify(ctx, w.Request(kyc.Incode, kyctest.ImageApproved))
	require.NoError(t, err)
	verRef, _ := kyc.ParseReference(ver.Reference)
	incRef, _ := kyc.ParseReference(inc.Reference)

	env := map[string]string{"VERIFICAR_WEBHOOK_USER": verificartest.WebhookUser, "VERIFICAR_WEBHOOK_PASSWORD": verificartest.WebhookPassword,
		"INCODE_WEBHOOK_TOKEN": kycworld.IncodeWebhookToken}
	code, out, errOut := runCmd(t, env, "webhook", "-provider", "verificar", "-state", "5100", "-id", verRef.ID, "-url", hooks.URL+"/webhooks/verificar")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "verificar state 5100 for id "+verRef.ID+" → HTTP 200")
	code, out, errOut = runCmd(t, env, "webhook", "-provider", "incode", "-status", "ONBOARDING_FINISHED", "-interview", incRef.ID, "-url", hooks.URL+"/webhooks/incode")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "→ HTTP 200")

	mu.Lock()
	defer mu.Unlock()
	v := seen[ver.Reference]
	require.NotNil(t, v, "the handler saw the Verificar event, by its Reference")
	assert.Equal(t, "5100", v.Type)
	assert.True(t, v.Authenticated)
	assert.Equal(t, kyc.StatusApproved, v.Result.Status)
	i := seen[inc.Reference]
	require.NotNil(t, i, "the handler saw the Incode event, by its Reference")
	assert.Equal(t, "ONBOARDING_FINISHED", i.Type)
	assert.True(t, i.Confirmed, "confirmed through the read-back")
	assert.Equal(t, kyc.StatusApproved, i.Result.Status)
}

func TestWebhookRefusedAndUsage(t *testing.T) {
	t.Parallel()
	w := kycworld.New(t)
	url := w.WebhookURL + kycworld.VerificarWebhookPath
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"wrong password", []string{"-provider", "verificar", "-state", "5001", "-id", "1", "-url", url, "-user", verificartest.WebhookUser, "-password", "wrong"}, exitFailed, "HTTP 401"},
		{"no credentials", []string{"-provider", "incode", "-status", "ONBOARDING_FINISHED", "-interview", "x", "-url", w.WebhookURL + kycworld.IncodeWebhookPath}, exitFailed, "HTTP 401"},
		{"undocumented state", []string{"-provider", "verificar", "-state", "4000", "-id", "1", "-url", url}, exitUsage, "-state 4000"},
		{"id not digits", []string{"-provider", "verificar", "-state", "5001", "-id", "a1", "-url", url}, exitUsage, "-id"},
		{"unknown status", []string{"-provider", "incode", "-status", "DONE", "-interview", "x", "-url", url}, exitUsage, "-status"},
		{"no url", []string{"-provider", "incode", "-status", "ONBOARDING_FINISHED", "-interview", "x"}, exitUsage, "-url"},
		{"unknown provider", []string{"-provider", "atlas", "-url", url}, exitUsage, "-provider"},
		{"unknown magic", []string{"-provider", "verificar", "-magic", "nope", "-id", "1", "-url", url}, exitUsage, "-magic"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCmd(t, nil, append([]string{"webhook"}, tc.args...)...)
			assert.Equal(t, tc.code, code)
			assert.Contains(t, out+errOut, tc.msg)
		})
	}
}

// TestWebhookMagic: -magic sends the fake's report for a magic input.
func TestWebhookMagic(t *testing.T) {
	t.Parallel()
	w := kycworld.New(t)
	ctx := context.Background()
	res, err := w.Router.Verify(ctx, w.Request(kyc.Verificar, kyctest.ImageApproved))
	require.NoError(t, err)
	ref, _ := kyc.ParseReference(res.Reference)
	code, _, errOut := runCmd(t, map[string]string{"VERIFICAR_WEBHOOK_USER": verificartest.WebhookUser, "VERIFICAR_WEBHOOK_PASSWORD": verificartest.WebhookPassword},
		"webhook", "-provider", "verificar", "-magic", kyctest.ImageExpired, "-id", ref.ID, "-url", w.WebhookURL+kycworld.VerificarWebhookPath, "-form")
	require.Equal(t, exitOK, code, errOut)
	ev, err := w.WaitEvent(ctx, res.Reference)
	require.NoError(t, err)
	assert.Equal(t, []kyc.Reason{kyc.ReasonDocumentExpired}, ev.Result.Reasons)
	assert.True(t, strings.HasPrefix(ev.Type, "5001"))
}
