package ekycid_test

import (
	"context"
	"regexp"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/ekycid/ekycidtest"
	"github.com/kyc-go/kyc/kyctest"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestRetriedSubmissionReusesIdempotentID(t *testing.T) {
	t.Parallel()
	faults := []kyctest.Fault{
		{Kind: kyctest.FaultDrop, After: true, Path: "express-kyc"},
		{Kind: kyctest.FaultStatus, Status: 502, After: true, Path: "express-kyc"},
		{Kind: kyctest.FaultTruncate, Path: "express-kyc"},
	}
	for _, f := range faults {
		t.Run(f.Kind.String(), func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t, ekycidtest.WithDelay(0))
			srv.Inject(f)
			sub, err := c.ExpressKYC(context.Background(), ekycid.ExpressKYCRequest{
				Document: ekycid.MediaImage(magic(t, "")), Face: ekycid.MediaURL(ekycidtest.MagicURL("")),
			})
			require.NoError(t, err)
			ids := srv.IdempotentIDs()
			require.Len(t, ids, 2, "the first attempt was processed, then its answer was lost")
			assert.Equal(t, ids[0], ids[1], "the retry carries the same idempotent_id")
			assert.Equal(t, sub.IdempotentID, ids[0])
			assert.Regexp(t, uuidV4, sub.IdempotentID)
			assert.Equal(t, 1, srv.Sends(sub.IdempotentID), "processed once")
			assert.Equal(t, 1, srv.Sends(sub.ID))
			assert.Zero(t, srv.DuplicateSends())

			r, err := c.Wait(context.Background(), sub.ID)
			require.NoError(t, err)
			assert.True(t, r.Done())
		})
	}
	t.Run("a vendor ignoring the id would run it twice", func(t *testing.T) {
		t.Parallel()
		c, srv := setup(t, ekycidtest.WithDelay(0), ekycidtest.WithoutDedup())
		srv.Inject(kyctest.Fault{Kind: kyctest.FaultDrop, After: true, Path: "ocr"})
		sub, err := c.OCR(context.Background(), ekycid.OCRRequest{Image: ekycid.MediaURL(ekycidtest.MagicURL(""))})
		require.NoError(t, err)
		assert.Equal(t, 2, srv.Sends(sub.IdempotentID), "both attempts carried the same id")
		assert.Equal(t, 1, srv.DuplicateSends())
	})
}

func TestDifferentSubmissionsNeverShareAnIdempotentID(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, ekycidtest.WithDelay(0))
	img := magic(t, "")
	const n = 24
	var wg sync.WaitGroup
	subs := make([]*ekycid.SubmissionResult, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The same content every time: only the idempotent_id tells
			// the submissions apart.
			s, err := c.OCR(context.Background(), ekycid.OCRRequest{Image: ekycid.MediaImage(img)})
			assert.NoError(t, err)
			subs[i] = s
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	replies := map[string]bool{}
	for _, s := range subs {
		require.NotNil(t, s)
		assert.Regexp(t, uuidV4, s.IdempotentID)
		assert.False(t, seen[s.IdempotentID], "idempotent_id reused")
		seen[s.IdempotentID] = true
		replies[s.ID] = true
	}
	assert.Len(t, replies, n, "each submission ran")
	assert.Len(t, srv.IdempotentIDs(), n)
	assert.Zero(t, srv.DuplicateSends())
}

func TestResubmitWithIdempotentID(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, ekycidtest.WithDelay(0))
	ctx := context.Background()
	req := ekycid.OCRRequest{Image: ekycid.MediaURL(ekycidtest.MagicURL(""))}
	first, err := c.OCR(ctx, req)
	require.NoError(t, err)

	req.IdempotentID = first.IdempotentID
	same, err := c.OCR(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, first.ID, same.ID, "same id and content: the first submission's reply")
	assert.Equal(t, 1, srv.Sends(first.IdempotentID))

	req.Raw = true
	_, err = c.OCR(ctx, req)
	require.Error(t, err)
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.Equal(t, 409, kerr.StatusCode)
	assert.Equal(t, "DUPLICATE_IDEMPOTENT_ID", kerr.Code)
}
