package usertest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/kycworld"
)

// TestEveryMagicInputThroughTheRouter is issue 16's acceptance test: five
// clients and a Router from one call, every magic input through every fake,
// each outcome matched against the one table (kycworld.Outcomes) that the
// kyctest package doc and the README print.
func TestEveryMagicInputThroughTheRouter(t *testing.T) {
	t.Parallel()
	w := kycworld.New(t)

	// Five ready clients, and the Router over them.
	clients := []kyc.Verifier{w.Atlas, w.Incode, w.AdvanceAI, w.EKYC, w.Verificar}
	for i, p := range kycworld.Providers() {
		require.Equal(t, p, clients[i].Provider())
	}
	require.NotNil(t, w.Router)

	table := map[string]kycworld.Outcome{}
	for _, o := range kycworld.Outcomes() {
		table[string(o.Provider)+"/"+o.Input] = o
	}
	for _, p := range kycworld.Providers() {
		for _, in := range kyctest.MagicInputs() {
			want, ok := table[string(p)+"/"+in]
			require.True(t, ok, "the table has a cell for %s × %s", p, in)
			t.Run(string(p)+"/"+in, func(t *testing.T) {
				t.Parallel()
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()

				req := w.Request(p, in)
				res, err := w.Router.Verify(ctx, req)
				if err == nil {
					assert.Equal(t, p, res.Provider, "routed by country %s", req.Country)
					res, err = w.Complete(ctx, res, in) // the link flows: capture, webhook
				}
				require.NoError(t, want.Match(res, err), "cell %s", want)
				if want.Then != "" {
					next, err := w.Router.Result(ctx, res.Reference)
					require.NoError(t, err)
					assert.Equal(t, want.Then, next.Status)
				}
			})
		}
	}
}

// TestSignup is the README's Testing example, as a user would write it.
func TestSignup(t *testing.T) {
	t.Parallel()
	w := kycworld.New(t) // five fakes, five clients, a Router; stopped by t.Cleanup
	ctx := context.Background()

	// A forged card, sent to Incode (any country without a route).
	res, err := w.Router.Verify(ctx, w.Request(kyc.Incode, kyctest.ImageForged))
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusRejected, res.Status)
	assert.True(t, res.HasReason(kyc.ReasonDocumentForged))

	// The vendor fails on its side: the error says a session was started.
	_, err = w.Router.Verify(ctx, w.Request(kyc.Incode, kyctest.ImageServerError))
	require.ErrorIs(t, err, kyc.ErrUnavailable)
	assert.True(t, kyc.MayHaveCharged(err))

	// A 503 says Atlas processed nothing: the client sends again, once.
	w.Fakes.Atlas.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503})
	res, err = w.Router.Verify(ctx, w.Request(kyc.Atlas, kyctest.ImageApproved))
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, res.Status)
	assert.Equal(t, 0, w.Fakes.Atlas.DuplicateSends())

	// A dropped connection may have been processed: a billed call is not
	// resent, and the error says it may have charged.
	w.Fakes.Atlas.Inject(kyctest.Fault{Kind: kyctest.FaultDrop, Path: "/verify/pan"})
	_, err = w.Router.Verify(ctx, w.Request(kyc.Atlas, kyctest.ImageApproved))
	require.ErrorIs(t, err, kyc.ErrUnavailable)
	assert.True(t, kyc.MayHaveCharged(err))
}
