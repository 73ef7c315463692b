package atlas

import (
	"context"

	"github.com/kyc-go/kyc"
)

var _ kyc.Eraser = (*Client)(nil)

// eraseUnsupported is what Erase answers: what the vendor documents of
// its retention, and what to do instead.
const eraseUnsupported = "Atlas (FRS Labs) documents no call that deletes a verification's data, and no retention period (https://api-docs.atlaskyc.com/atlas-api/; its /face/delete, DeleteFace, removes only a face enrolled with EnrolFace): ask FRS Labs to erase it (support@frslabs.com)"

// Erase implements kyc.Eraser. FRS Labs' public API documentation
// (https://api-docs.atlaskyc.com/atlas-api/) has no call that deletes a
// verification's data and states no retention period; its /face/delete
// (DeleteFace) removes only a face enrolled with EnrolFace.
//
// Erase sends nothing: it answers an ErrUnsupported *kyc.Error whose
// Message says so (a kyc.Router erases its store's copy all the same). A
// reference that is not an Atlas one is ErrInvalidRequest.
func (c *Client) Erase(_ context.Context, ref string) error {
	const op = "atlas.Erase"
	if _, err := c.tc.Ref(op, ref); err != nil {
		return err
	}
	return &kyc.Error{Provider: kyc.Atlas, Op: op, Kind: kyc.ErrUnsupported, NotSent: true, Unprocessed: true,
		Message: eraseUnsupported}
}
