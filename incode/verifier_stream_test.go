package incode_test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
)

// xs is what slowReader streams, a read's worth at a time.
var xs = bytes.Repeat([]byte{'x'}, 64<<10)

// slowReader streams an image of unknown size.
type slowReader struct{ left int }

func (r *slowReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.left)], xs) // one copy, not a loop per byte: -race instruments each
	r.left -= n
	return n, nil
}

// TestStreamOverCapIsAborted streams an over-cap image of unknown size into
// each of Verify's three uploads: the upload is aborted, and the error names
// the kyc.Request field, not the vendor's body field.
func TestStreamOverCapIsAborted(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		field, path string
		set         func(*kyc.Request, *kyc.Image)
	}{
		{"Document.Front", "/omni/add/front-id/v2", func(r *kyc.Request, im *kyc.Image) { r.Document.Front = im }},
		{"Document.Back", "/omni/add/back-id/v2", func(r *kyc.Request, im *kyc.Image) { r.Document.Back = im }},
		{"Selfie", "/omni/add/face/third-party", func(r *kyc.Request, im *kyc.Image) { r.Selfie = im }},
	} {
		t.Run(tc.field, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t, incodetest.WithDelay(10*time.Millisecond))
			head := kyctest.MagicImage("", 0)
			big, err := kyc.ImageFromReader(io.MultiReader(bytes.NewReader(head[:len(head)-2]), &slowReader{left: 30 << 20}, bytes.NewReader(head[len(head)-2:])))
			require.NoError(t, err)
			req := request(t, "cap-1", "", "", "")
			tc.set(&req, big)
			_, err = c.Verify(context.Background(), req)
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.EqualValues(t, tc.field, kerr.Field)
			assert.NotEmpty(t, kerr.Reference, "the session was started before the upload")
			for _, r := range srv.Requests() {
				if r.Path == tc.path {
					assert.Less(t, len(r.Body), incode.MaxImageBytes, "the fake never receives a complete over-cap body")
				}
			}
		})
	}
}
