package verificar

import (
	"context"
	"errors"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/verifier"
	"github.com/kyc-go/kyc/phone"
)

// Provider returns kyc.Verificar.
func (c *Client) Provider() kyc.Provider { return kyc.Verificar }

// Capabilities describes the flow: Mensatek texts a link to a phone (FlowSMSLink) and verifies
// Spanish documents; a Request needs Person.Phone and Country "ESP".
func (c *Client) Capabilities() kyc.Capabilities {
	return kyc.Capabilities{
		Flow:      kyc.FlowSMSLink,
		Countries: []string{"ESP"},
		Requires:  []kyc.Field{kyc.FieldPhone},
	}
}

// Verify sends the verification SMS (see SendVerification) from the
// Request's Person.Phone, Document.Number (checked against the document
// the person shows) and Link's Message, Sender and SendAt. The phone is
// normalised with Request.Country (so "600000001" with Country "ESP" is
// +34600000001), checked fully against libphonenumber's numbering plans
// (phone.Normalize, stricter than kyc.NormalizePhone) and sent as Mensatek
// documents it, digits only ("34600000001").
// Errors raised before sending name "verificar.Verify" and the Request's
// fields; the vendor's name the operation sent, "verificar.SendVerification".
// It returns StatusPending with the Reference "verificar:<ID>": the outcome
// arrives by webhook (ParseWebhook, WebhookHandler), with the same
// Reference.
//
// Request.ID is not sent: the API has no field for the caller's reference,
// so keep the mapping from Reference to your case on your side.
//
//	POST /VerificarIdentidad (messaging) — through SendVerification; https://www.mensatek.com/api-verificacion-identidad-en.html, "Send Identity Verification Request"
func (c *Client) Verify(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
	return verifier.Traced(ctx, c.tc, "verificar.Verify", func(ctx context.Context) (*kyc.Result, error) {
		return c.verify(ctx, req)
	})
}

// verify is Verify, inside its span.
func (c *Client) verify(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
	const op = "verificar.Verify"
	if err := c.Capabilities().CheckFor(ctx, kyc.Verificar, op, req); err != nil {
		return nil, err
	}
	// CheckFor checked the phone against kyc's compact table; an SMS costs
	// a credit, so libphonenumber checks it fully before it is texted.
	number, err := phone.Normalize(req.Person.Phone, req.Country)
	if err != nil {
		msg := "not a valid phone number"
		var kerr *kyc.Error
		if errors.As(err, &kerr) {
			msg = kerr.Message
		}
		return nil, c.tc.Invalid(op, string(kyc.FieldPhone), msg)
	}
	sent, err := c.requestVerification(ctx, op, SendRequest{
		Phone:   number,
		Message: req.Link.Message,
		DNI:     req.Document.Number,
		SendAt:  req.Link.SendAt,
		Sender:  req.Link.Sender,
	}, verifyFields)
	if err != nil {
		return nil, err
	}
	return verifier.Pending(kyc.Verificar, sent.ID, sent.Raw), nil
}

// Result always fails: Mensatek offers no function to read a
// verification's outcome back. The outcome arrives by webhook; see
// ParseWebhook and WebhookHandler. A reference of another provider, or
// whose id is not digits, is ErrInvalidRequest, any other ErrUnsupported.
// Nothing is sent.
func (c *Client) Result(ctx context.Context, ref string) (*kyc.Result, error) {
	return verifier.NoResult(ctx, c.tc, "verificar.Result", ref,
		"Mensatek has no read-back of a verification: its outcome arrives by webhook (ParseWebhook, WebhookHandler)")
}

var _ kyc.Eraser = (*Client)(nil)

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
	return verifier.Erase(c.tc, "verificar.Erase", ref, verifier.NoDeletion{Vendor: "Mensatek", Docs: "https://www.mensatek.com/api-verificacion-identidad-en.html",
		Note: "it says the verification's data is available in its user panel"})
}
