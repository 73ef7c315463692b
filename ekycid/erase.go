package ekycid

import (
	"context"

	"github.com/kyc-go/kyc"
)

var _ kyc.Eraser = (*Client)(nil)

// eraseUnsupported is what Erase answers: what the vendor documents of
// its retention, and what to do instead.
const eraseUnsupported = "EKYC Solutions documents no call that deletes a submission's data, and no retention period (https://docs.ekycsolutions.com): ask EKYC Solutions to erase it"

// Erase implements kyc.Eraser. EKYC Solutions' public documentation
// (https://docs.ekycsolutions.com) has no call that deletes a
// submission's data and states no retention period.
//
// Erase sends nothing: it answers an ErrUnsupported *kyc.Error whose
// Message says so (a kyc.Router erases its store's copy all the same). A
// reference that is not an EKYC one is ErrInvalidRequest.
func (c *Client) Erase(_ context.Context, ref string) error {
	const op = "ekycid.Erase"
	if _, err := c.tc.Ref(op, ref); err != nil {
		return err
	}
	return &kyc.Error{Provider: kyc.EKYC, Op: op, Kind: kyc.ErrUnsupported, NotSent: true, Unprocessed: true,
		Message: eraseUnsupported}
}
