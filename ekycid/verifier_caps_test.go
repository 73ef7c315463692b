package ekycid_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/ekycid/ekycidtest"
	"github.com/kyc-go/kyc/kyctest"
)

// TestCapabilitiesAgreeWithVerify: a Request without Country is refused by
// Capabilities().Check and by Verify alike, and a Router skips EKYC for it.
func TestCapabilitiesAgreeWithVerify(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, ekycidtest.WithDelay(0))
	for _, country := range []string{"", "KHM", "ESP"} {
		t.Run("country "+country, func(t *testing.T) {
			req := request(t, "", "")
			req.Country = country
			capErr := c.Capabilities().Check(req)
			_, verr := c.Verify(context.Background(), req)
			assert.Equal(t, capErr == nil, verr == nil, "Check: %v, Verify: %v", capErr, verr)
			if capErr != nil {
				var a, b *kyc.Error
				require.ErrorAs(t, capErr, &a)
				require.ErrorAs(t, verr, &b)
				assert.EqualValues(t, a.Field, b.Field)
				assert.EqualValues(t, "Country", b.Field)
			}
		})
	}
	before := srv.Count("/v0/express-kyc")
	r, err := kyc.NewRouter(kyc.DefaultRoute(c))
	require.NoError(t, err)
	req := request(t, "", "")
	req.Country = ""
	_, err = r.Verify(context.Background(), req)
	require.Error(t, err)
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
	assert.Equal(t, before, srv.Count("/v0/express-kyc"), "the Router skipped EKYC")
	req.Country = "KHM"
	res, err := r.Verify(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, res.Status)
}

// TestFakeEnforcesCaps: an image streamed past MaxImageSize is aborted
// before its body completes, and the fake refuses an over-cap file.
func TestFakeEnforcesCaps(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, ekycidtest.WithDelay(0))
	stream, err := kyc.ImageFromReader(io.MultiReader(bytes.NewReader(kyctest.MagicImage("", 0)), io.LimitReader(zeroReader{}, 30<<20)))
	require.NoError(t, err)
	req := request(t, "", "")
	req.Selfie = stream
	_, err = c.Verify(context.Background(), req)
	require.ErrorIs(t, err, kyc.ErrInvalidRequest)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.EqualValues(t, "Selfie", kerr.Field)
	assert.False(t, kyc.MayHaveCharged(err))
	assert.Empty(t, srv.SendKeys(), "the fake processed nothing")

	// A client without the cap (a raw form) meets the fake's.
	big := kyctest.MagicImage("", ekycid.MaxImageSize+1)
	body := &bytes.Buffer{}
	mw := multipart.NewWriter(body)
	_ = mw.WriteField("idempotent_id", "0b7c4a5e-1f2d-4c3b-9a8e-7d6c5b4a3f21")
	w, _ := mw.CreateFormFile("image", "image.jpg")
	_, _ = w.Write(big)
	_ = mw.Close()
	hreq, err := http.NewRequest(http.MethodPost, srv.URL+"/v0/ocr", body)
	require.NoError(t, err)
	hreq.Header.Set("Content-Type", mw.FormDataContentType())
	hreq.Header.Set("x-api-key", ekycidtest.KeyValid)
	resp, err := srv.Client().Do(hreq)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	b, _ := io.ReadAll(resp.Body)
	assert.Contains(t, string(b), "FILE_TOO_LARGE")
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
