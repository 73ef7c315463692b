package verificar

import (
	"context"

	"github.com/kyc-go/kyc"
)

var _ kyc.Eraser = (*Client)(nil)

// eraseUnsupported is what Erase answers: what the vendor documents of
// its retention, and what to do instead.
const eraseUnsupported = "Mensatek documents no call that deletes a verification's data, and no retention period; it says the verification's data is available in its user panel (https://www.mensatek.com/api-verificacion-identidad-en.html): ask Mensatek to erase it"

// Erase implements kyc.Eraser. Mensatek's public API documentation
// (https://www.mensatek.com/api-verificacion-identidad-en.html) has no
// call that deletes a verification's data and states no retention period;
// it says that once the process has finished "the information is
// available in the panel".
//
// Erase sends nothing: it answers an ErrUnsupported *kyc.Error whose
// Message says so (a kyc.Router erases its store's copy all the same). A
// reference that is not a Verificar one is ErrInvalidRequest.
func (c *Client) Erase(_ context.Context, ref string) error {
	const op = "verificar.Erase"
	if _, err := c.tc.Ref(op, ref); err != nil {
		return err
	}
	return &kyc.Error{Provider: kyc.Verificar, Op: op, Kind: kyc.ErrUnsupported, NotSent: true, Unprocessed: true,
		Message: eraseUnsupported}
}
