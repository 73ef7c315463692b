package soak_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/kycworld"
)

// TestReferencesCarryNoCredential (issue 13): every Reference, Event and
// Result the five fakes produce, through Verify, Result and the webhooks,
// is scanned for every secret the fakes and clients were given, the
// session, executive and access tokens they issued included: in the
// Reference strings, under every fmt verb, and in their JSON.
func TestReferencesCarryNoCredential(t *testing.T) {
	t.Parallel()
	w := kycworld.New(t, kycworld.WithClientOptions(kyc.WithLogger(discardLogger)),
		kycworld.WithIncode(incodetest.WithDelay(5*time.Millisecond), incodetest.WithFlowCompletion()))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	var results []*kyc.Result
	var refs []string
	for _, p := range kycworld.Providers() {
		for _, marker := range []string{kyctest.ImageApproved, kyctest.ImageNotFinished, kyctest.ImageFaceMismatch} {
			res, err := w.Router.Verify(ctx, w.Request(p, marker))
			require.NoError(t, err, "%s %s", p, marker)
			results = append(results, res)
			refs = append(refs, res.Reference)
			done, err := w.Complete(ctx, res, marker)
			require.NoError(t, err, "%s %s: complete", p, marker)
			results = append(results, done)
			back, err := w.Router.Result(ctx, res.Reference)
			require.NoError(t, err, "%s %s: Router.Result", p, marker)
			results = append(results, back)
		}
	}
	// Incode's webhooks, for the sessions started above.
	for _, ref := range refs {
		r, err := kyc.ParseReference(ref)
		require.NoError(t, err)
		if r.Provider != kyc.Incode {
			continue
		}
		_, err = w.Fakes.Incode.SendWebhook(ctx, w.WebhookURL+kycworld.IncodeWebhookPath, r.ID, "ONBOARDING_FINISHED", kycworld.IncodeWebhookToken)
		require.NoError(t, err)
		_, err = w.WaitEvent(ctx, ref)
		require.NoError(t, err)
	}
	events := w.Events()
	require.NotEmpty(t, events, "the webhook server received events")

	secrets := staticSecrets()
	for _, tok := range w.Fakes.Incode.Tokens() {
		secrets[tok] = "incode session or executive token"
	}
	tok, err := w.AdvanceAI.Token(ctx)
	require.NoError(t, err)
	secrets[tok.Reveal()] = "advanceai access token"
	require.Greater(t, len(w.Fakes.Incode.Tokens()), 1, "the scan knows the session tokens")

	var b strings.Builder
	dump := func(what string, v any) {
		for _, verb := range verbs {
			fmt.Fprintf(&b, "%s %s: "+verb+"\n", what, verb, v)
		}
		j, _ := json.Marshal(v)
		fmt.Fprintf(&b, "%s json: %s\n", what, j)
	}
	for _, r := range refs {
		b.WriteString(r + "\n")
		if pr, err := kyc.ParseReference(r); err == nil {
			dump("reference", pr)
		}
	}
	for _, res := range results {
		if res != nil {
			b.WriteString(res.Reference + "\n")
			dump("result", res)
		}
	}
	for _, ev := range events {
		b.WriteString(ev.Reference + "\n")
		dump("event", ev)
	}
	text := b.String()
	scan(t, "References, Results and Events", text, secrets)
	t.Logf("scanned %d references, %d results, %d events (%d bytes) for %d secrets", len(refs), len(results), len(events), len(text), len(secrets))
}
