package kycworld_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai/advanceaitest"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/kycworld"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

// TestOutcomesTableIsComplete: one cell per provider and magic input, no
// more, no less.
func TestOutcomesTableIsComplete(t *testing.T) {
	t.Parallel()
	all := kycworld.Outcomes()
	require.Len(t, all, len(kycworld.Providers())*len(kyctest.MagicInputs()))
	seen := map[string]bool{}
	for _, o := range all {
		key := string(o.Provider) + "/" + o.Input
		assert.False(t, seen[key], "duplicate cell %s", key)
		seen[key] = true
		assert.Contains(t, kyctest.MagicInputs(), o.Input)
		assert.Contains(t, kycworld.Providers(), o.Provider)
		if o.Err == nil {
			assert.NotEmpty(t, o.Status, key)
		}
		if !o.Produced {
			assert.Equal(t, kyc.StatusApproved, o.Status, "%s: an outcome a vendor cannot produce answers as approved", key)
			assert.NotEmpty(t, o.Note, "%s: say why the vendor cannot produce it", key)
		}
		for _, r := range o.Reasons {
			assert.True(t, r.Valid(), "%s: %s", key, r)
		}
	}
}

// TestOutcomesAgreeWithFakes checks the table's Produced column against the
// fakes that say it themselves.
func TestOutcomesAgreeWithFakes(t *testing.T) {
	t.Parallel()
	for _, in := range kyctest.MagicInputs() {
		_, produced := advanceaitest.MagicOutcome(in)
		o, _ := kycworld.OutcomeOf(kyc.AdvanceAI, in)
		assert.Equal(t, produced, o.Produced, "advanceai %s", in)
		if in == kyctest.ImageServerError {
			continue // Verificar: through the magic phone, not the webhook
		}
		_, produced = verificartest.Outcome(in)
		o, _ = kycworld.OutcomeOf(kyc.Verificar, in)
		assert.Equal(t, produced, o.Produced, "verificar %s", in)
	}
}

// TestEveryCellThroughEachClient drives every cell of the table through
// each vendor's own client (the Router test is in internal/usertest).
func TestEveryCellThroughEachClient(t *testing.T) {
	t.Parallel()
	w := kycworld.New(t)
	for _, o := range kycworld.Outcomes() {
		t.Run(string(o.Provider)+"/"+o.Input, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			res, err := w.Verifier(o.Provider).Verify(ctx, w.Request(o.Provider, o.Input))
			if err == nil {
				res, err = w.Complete(ctx, res, o.Input)
			}
			require.NoError(t, o.Match(res, err))
			if o.Then != "" {
				next, err := w.Router.Result(ctx, res.Reference)
				require.NoError(t, err)
				assert.Equal(t, o.Then, next.Status)
			}
		})
	}
}

// TestWorldsInParallel: two worlds share nothing.
func TestWorldsInParallel(t *testing.T) {
	t.Parallel()
	a, b := kycworld.New(t), kycworld.New(t)
	assert.NotEqual(t, a.WebhookURL, b.WebhookURL)
	assert.NotEqual(t, a.Fakes.Atlas.URL, b.Fakes.Atlas.URL)
	ctx := context.Background()
	_, err := a.Router.Verify(ctx, a.Request(kyc.Verificar, kyctest.ImageApproved))
	require.NoError(t, err)
	assert.Equal(t, 1, a.Fakes.Verificar.Count("/VerificarIdentidad"))
	assert.Equal(t, 0, b.Fakes.Verificar.Count("/VerificarIdentidad"))
}

// TestFaultsAndSends: the handles inject faults and count sends.
func TestFaultsAndSends(t *testing.T) {
	t.Parallel()
	w := kycworld.New(t)
	ctx := context.Background()
	w.Fake(kyc.EKYC).Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503})
	req := w.Request(kyc.EKYC, kyctest.ImageApproved)
	res, err := w.Router.Verify(ctx, req)
	require.NoError(t, err, "503 is refused unprocessed: resent")
	assert.Equal(t, kyc.StatusApproved, res.Status)
	assert.Equal(t, 1, w.Fake(kyc.EKYC).Injected()[kyctest.FaultStatus])
	assert.Equal(t, 0, w.Fake(kyc.EKYC).DuplicateSends())

	req = w.Request(kyc.Incode, kyctest.ImageApproved)
	_, err = w.Router.Verify(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, 1, w.Fakes.Incode.Sends(req.ID), "one session start for the request's ID")
}

// TestIncodeWebhookConfirmed: an Incode webhook reaches the world's mux
// authenticated, and is confirmed by the executive read-back.
func TestIncodeWebhookConfirmed(t *testing.T) {
	t.Parallel()
	w := kycworld.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := w.Router.Verify(ctx, w.Request(kyc.Incode, kyctest.ImageApproved))
	require.NoError(t, err)
	ref, err := kyc.ParseReference(res.Reference)
	require.NoError(t, err)
	status, err := w.Fakes.Incode.SendWebhook(ctx, w.WebhookURL+kycworld.IncodeWebhookPath, ref.ID, "ONBOARDING_FINISHED", kycworld.IncodeWebhookToken)
	require.NoError(t, err)
	require.Equal(t, 200, status)
	ev, err := w.WaitEvent(ctx, res.Reference)
	require.NoError(t, err)
	assert.True(t, ev.Confirmed)
	assert.Equal(t, kyc.StatusApproved, ev.Result.Status)
	assert.Len(t, w.Events(), 1)
}

func TestWaitEventEndsWithContext(t *testing.T) {
	t.Parallel()
	w := kycworld.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := w.WaitEvent(ctx, "verificar:1")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotContains(t, err.Error(), ":1", "no reference id in the error")
}

func TestCloseTwice(t *testing.T) {
	t.Parallel()
	w, err := kycworld.Start()
	require.NoError(t, err)
	require.NoError(t, w.Close())
	require.NoError(t, w.Close())
}

func TestTables(t *testing.T) {
	t.Parallel()
	md := kycworld.MarkdownTable()
	assert.Equal(t, len(kyctest.MagicInputs())+2, len(strings.Split(strings.Split(md, "\n\n")[0], "\n")), "header, rule, one row per input")
	assert.Contains(t, md, "| `no_face` | rejected no_face | rejected no_face | approved* | rejected no_face | approved* |")
	txt := kycworld.TextTable()
	for _, line := range strings.Split(strings.Split(txt, "\n\n")[0], "\n") {
		assert.True(t, strings.HasPrefix(line, "\t"), "doc comment code block: %q", line)
	}
}

// TestKyctestDocTable: once the kyctest package doc carries the table
// (under the heading "# Outcomes of the magic inputs"), it must be
// TextTable's, so the doc cannot drift from the cells the tests drive.
func TestKyctestDocTable(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("..", "kyctest", "kyctest.go"))
	require.NoError(t, err)
	const heading = "// # Outcomes of the magic inputs"
	if !strings.Contains(string(doc), heading) {
		t.Skip("the kyctest package doc has no outcome table yet; paste kycworld.TextTable() under " + heading)
	}
	var want strings.Builder
	for _, l := range strings.Split(strings.TrimRight(kycworld.TextTable(), "\n"), "\n") {
		want.WriteString(strings.TrimRight("// "+l, " ") + "\n")
	}
	assert.Contains(t, strings.ReplaceAll(string(doc), "// \t", "//\t"), strings.ReplaceAll(want.String(), "// \t", "//\t"))
}
