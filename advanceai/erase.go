package advanceai

import (
	"context"

	"github.com/kyc-go/kyc"
)

var _ kyc.Eraser = (*Client)(nil)

// eraseUnsupported is what Erase answers: what the vendor documents of
// its retention, and what to do instead.
const eraseUnsupported = "ADVANCE.AI documents no call that deletes a verification's data, and no retention period (https://doc.advance.ai); it says only that the image links of a Get Result answer expire after 24 hours, which is the link's life, not the images' retention: ask ADVANCE.AI to erase it"

// Erase implements kyc.Eraser. ADVANCE.AI's public documentation
// (https://doc.advance.ai) has no call that deletes a verification's
// data and states no retention period; it says only that the image links
// of a Get Result answer expire after 24 hours ("This link will be
// expired in 1 day"), which is the link's life, not the images'.
//
// Erase sends nothing: it answers an ErrUnsupported *kyc.Error whose
// Message says so (a kyc.Router erases its store's copy all the same). A
// reference that is not an ADVANCE.AI one is ErrInvalidRequest.
func (c *Client) Erase(_ context.Context, ref string) error {
	const op = "advanceai.Erase"
	if _, err := c.tc.Ref(op, ref); err != nil {
		return err
	}
	return &kyc.Error{Provider: kyc.AdvanceAI, Op: op, Kind: kyc.ErrUnsupported, NotSent: true, Unprocessed: true,
		Message: eraseUnsupported}
}
