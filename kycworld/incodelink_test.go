package kycworld_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/kycworld"
)

// refusedOnIncodePages are the magic inputs whose capture Incode refuses at
// its upload: on the hosted pages the person is asked to capture again.
var refusedOnIncodePages = map[string]bool{
	kyctest.ImageNoFace: true, kyctest.ImageLowQuality: true, kyctest.ImageLivenessFailed: true,
	kyctest.ImageNoDocument: true, kyctest.ImageServerError: true,
}

// TestIncodeLinkEveryInput drives every magic input through the World's
// Router with Incode's hosted link: Verify gives a link, Complete has the
// person go through Incode's pages and the fake post ONBOARDING_FINISHED,
// and the Result is the direct flow's cell of the Outcomes table, except
// for captures the pages refuse.
func TestIncodeLinkEveryInput(t *testing.T) {
	t.Parallel()
	w := kycworld.New(t, kycworld.WithIncodeLink())
	require.Equal(t, kyc.FlowHostedLink, w.Incode.Capabilities().Flow)
	for _, in := range kyctest.MagicInputs() {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			req := w.Request(kyc.Incode, in)
			assert.Nil(t, req.Selfie, "the person captures on Incode's pages")
			res, err := w.Router.Verify(ctx, req)
			require.NoError(t, err)
			require.Equal(t, kyc.StatusPending, res.Status)
			require.NotNil(t, res.Link)
			final, err := w.Complete(ctx, res, in)
			if refusedOnIncodePages[in] {
				require.ErrorIs(t, err, incodetest.ErrCaptureRefused)
				again, err := w.Router.Result(ctx, res.Reference)
				require.NoError(t, err)
				assert.Equal(t, kyc.StatusPending, again.Status, "the person has not finished")
				return
			}
			require.NoError(t, err)
			ev, err := w.WaitEvent(ctx, res.Reference)
			require.NoError(t, err)
			assert.True(t, ev.Authenticated)
			assert.True(t, ev.Confirmed, "the world's mux confirmed the webhook by a read-back")
			if in == kyctest.ImageNotFinished {
				// The processing is held back for the first status reads.
				assert.Equal(t, kyc.StatusPending, final.Status)
				for i := 0; i < 5 && final.Status == kyc.StatusPending; i++ {
					final, err = w.Router.Result(ctx, res.Reference)
					require.NoError(t, err)
				}
				assert.Equal(t, kyc.StatusApproved, final.Status)
				return
			}
			o, ok := kycworld.OutcomeOf(kyc.Incode, in)
			require.True(t, ok)
			require.NoError(t, o.Match(final, nil))
			stored, err := w.Store.Get(ctx, res.Reference)
			require.NoError(t, err)
			assert.Equal(t, final.Status, stored.Status, "the store holds the final Result")
		})
	}
}

// TestIncodeLinkSendsNothingTwice: one session start per Request, and
// Complete on a direct World leaves Incode's Results as they are.
func TestIncodeLinkSendsNothingTwice(t *testing.T) {
	t.Parallel()
	w := kycworld.New(t, kycworld.WithIncodeLink())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req := w.Request(kyc.Incode, kyctest.ImageApproved)
	res, err := w.Router.Verify(ctx, req)
	require.NoError(t, err)
	_, err = w.Complete(ctx, res, kyctest.ImageApproved)
	require.NoError(t, err)
	assert.Equal(t, 1, w.Fakes.Incode.Sends(req.ID))
	assert.Zero(t, w.Fakes.Incode.DuplicateSends())

	direct := kycworld.New(t)
	pending := &kyc.Result{Provider: kyc.Incode, Reference: "incode:6595c84ce69d469f69ad39fb", Status: kyc.StatusPending}
	out, err := direct.Complete(ctx, pending, kyctest.ImageApproved)
	require.NoError(t, err)
	assert.Same(t, pending, out, "a direct Incode Result has no link: nothing to complete")
}
