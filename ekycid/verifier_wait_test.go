package ekycid_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/ekycid/ekycidtest"
	"github.com/kyc-go/kyc/internal/transport/transporttest"
	"github.com/kyc-go/kyc/kyctest"
)

func TestWaitContextEndsReturnsLastReply(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, ekycidtest.WithDelay(time.Hour))
	s, err := c.OCR(context.Background(), ekycid.OCRRequest{Image: ekycid.MediaURL(ekycidtest.MagicURL(""))})
	require.NoError(t, err)
	// The context ends once a reply was read (the second read has started,
	// so the first one's answer is in), however slow the machine: a fixed
	// short deadline could pass before the first read returned.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go func() {
		for ctx.Err() == nil && srv.Count("/v0/api-request-reply/") < 2 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	r, err := c.Wait(ctx, s.ID)
	require.Error(t, err)
	assert.ErrorIs(t, err, kyc.ErrTimeout)
	assert.True(t, errors.Is(err, context.Canceled))
	require.NotNil(t, r, "the last reply read is returned")
	assert.False(t, r.Done())
}

func TestWaitSurvivesTransientFaults(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, ekycidtest.WithDelay(0))
	s, err := c.OCR(context.Background(), ekycid.OCRRequest{Image: ekycid.MediaURL(ekycidtest.MagicURL(""))})
	require.NoError(t, err)
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 500, Path: "api-request-reply", Times: 2})
	r, err := c.Wait(context.Background(), s.ID)
	require.NoError(t, err)
	assert.True(t, r.Done())
	assert.Equal(t, 2, srv.Injected()[kyctest.FaultStatus])
}

// TestVerifyBoundedUnderBackground: Verify under context.Background()
// against a fake that never finishes returns StatusPending with its
// Reference once Config.PollTimeout passes, and never polls forever.
func TestVerifyBoundedUnderBackground(t *testing.T) {
	t.Parallel()
	srv := ekycidtest.New(t, ekycidtest.WithDelay(24*time.Hour))
	const bound = 300 * time.Millisecond
	// The attempts are counted at the client, where a poll starts: a read
	// already written when the bound passed may reach the fake any time
	// later on a loaded machine, so the fake's count cannot say when it
	// was sent.
	probe := &transporttest.HeaderProbe{}
	cfg := srv.Config()
	cfg.PollTimeout = bound
	c, err := ekycid.New(cfg, append(srv.Options(), kyc.WithRetry(2, 20*time.Millisecond), kyc.WithObserver(probe))...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	start := time.Now()
	res, err := c.Verify(context.Background(), request(t, "", ""))
	elapsed := time.Since(start)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusPending, res.Status)
	assert.Equal(t, []kyc.Reason{kyc.ReasonNotFinished}, res.Reasons)
	assert.Regexp(t, `^ekycid:[0-9a-f]+$`, res.Reference)
	assert.GreaterOrEqual(t, elapsed, bound)
	assert.Less(t, elapsed, bound+2*time.Second, "the wait ends at the bound")
	attempts := probe.Attempts()
	assert.GreaterOrEqual(t, attempts, 2, "the submission and at least one poll")
	// A poller left running would start another attempt in this window
	// (the fake answers every read at once with "pending").
	time.Sleep(300 * time.Millisecond)
	assert.Equal(t, attempts, probe.Attempts(), "nothing polls after Verify returned")

	ref, err := kyc.ParseReference(res.Reference)
	require.NoError(t, err)
	_, err = c.Wait(context.Background(), ref.ID)
	assert.ErrorIs(t, err, kyc.ErrTimeout, "Wait is bounded too")
	assert.NotErrorIs(t, err, context.DeadlineExceeded, "the caller's context did not end")
}
