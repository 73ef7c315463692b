package kyc

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// Provider names a KYC vendor.
type Provider string

// The providers this module supports, one vendor package each.
const (
	Atlas     Provider = "atlas"     // Atlas by FRS Labs: package atlas
	Incode    Provider = "incode"    // Incode Omni: package incode
	AdvanceAI Provider = "advanceai" // ADVANCE.AI H5 IDV: package advanceai
	EKYC      Provider = "ekycid"    // EKYC Solutions (EkycID): package ekycid
	Verificar Provider = "verificar" // Mensatek /VerificarIdentidad: package verificar
)

// Flow is how a provider's verification reaches its end.
type Flow string

// Flows.
const (
	// FlowDirect: the SDK sends the images and the provider answers; Verify
	// returns a final status when the context allows.
	FlowDirect Flow = "direct"
	// FlowHostedLink: Verify returns a Link for the person to open; the
	// outcome is read later with Result.
	FlowHostedLink Flow = "hosted_link"
	// FlowSMSLink: Verify has the provider text the person a link; the
	// outcome arrives by webhook.
	FlowSMSLink Flow = "sms_link"
)

// Field names a Request field, as Capabilities and Error.Field spell it.
type Field string

// Request fields that providers may require.
const (
	FieldCountry        Field = "Country"
	FieldDocumentType   Field = "Document.Type"
	FieldDocumentNumber Field = "Document.Number"
	FieldDocumentFront  Field = "Document.Front"
	FieldDocumentBack   Field = "Document.Back"
	FieldSelfie         Field = "Selfie"
	FieldFullName       Field = "Person.FullName"
	FieldDateOfBirth    Field = "Person.DateOfBirth"
	FieldPhone          Field = "Person.Phone"
	FieldEmail          Field = "Person.Email"
	FieldReturnURL      Field = "Link.ReturnURL"
	FieldLanguage       Field = "Link.Language"
	// FieldID is Request.ID: the idempotency key of a Router with a store.
	FieldID Field = "ID"
	// FieldReference names a reference argument (Verifier.Result's ref, a
	// Result's Reference).
	FieldReference Field = "Reference"
)

// Capabilities describe what a provider needs and how its flow ends, so that
// callers and the Router can check a Request before anything is sent.
type Capabilities struct {
	// Flow is how a verification ends.
	Flow Flow
	// Countries lists the ISO alpha-3 countries accepted; empty means any.
	Countries []string
	// DocumentTypes lists the document types accepted; empty means any.
	DocumentTypes []DocumentType
	// Requires lists the fields a Request must fill.
	Requires []Field
	// RequiresOneOf lists alternatives: each inner list needs at least one
	// of its fields filled (e.g. a front image, or a document number).
	RequiresOneOf [][]Field
}

// Accepts reports whether c.Check finds nothing wrong with req.
func (c Capabilities) Accepts(req Request) bool { return c.Check(req) == nil }

// Check returns nil when req has what the provider needs, or an
// ErrInvalidRequest *Error whose Field names the first missing or refused
// field. It also runs req.Validate.
func (c Capabilities) Check(req Request) error {
	if err := req.Validate(); err != nil {
		return err
	}
	return c.Lacks(req)
}

// Lacks is Check without req.Validate: only what these capabilities ask
// of a Request that is already valid (countries, document types, required
// fields). The Router validates a Request once, then asks each candidate
// only this.
func (c Capabilities) Lacks(req Request) error {
	const op = "kyc.Capabilities.Check"
	if len(c.Countries) > 0 && !slices.Contains(c.Countries, req.Country) {
		if req.Country == "" {
			return invalid(op, string(FieldCountry), "required")
		}
		return invalid(op, string(FieldCountry), "not supported by this provider (supported: "+strings.Join(c.Countries, ", ")+")")
	}
	if len(c.DocumentTypes) > 0 && req.Document.Type != "" && !slices.Contains(c.DocumentTypes, req.Document.Type) {
		return invalid(op, string(FieldDocumentType), "document type "+string(req.Document.Type)+" not supported by this provider")
	}
	for _, f := range c.Requires {
		if !req.Has(f) {
			return invalid(op, string(f), "required")
		}
	}
	for _, alts := range c.RequiresOneOf {
		if !slices.ContainsFunc(alts, req.Has) {
			names := make([]string, len(alts))
			for i, f := range alts {
				names[i] = string(f)
			}
			return invalid(op, string(alts[0]), "one of "+strings.Join(names, ", ")+" is required")
		}
	}
	return nil
}

// CheckFor is Check for a vendor client: the error it returns names the
// client's provider and operation instead of "kyc.Capabilities.Check".
// When ctx comes from a Router that already validated this very Request
// (every field the same), it runs only Lacks: a Request is validated once
// per Verify, however many candidates the Router tries.
func (c Capabilities) CheckFor(ctx context.Context, p Provider, op string, req Request) error {
	var err error
	if v, ok := ctx.Value(validatedKey{}).(*Request); ok && sameRequest(*v, req) {
		err = c.Lacks(req)
	} else {
		err = c.Check(req)
	}
	var kerr *Error
	if errors.As(err, &kerr) {
		e := *kerr
		e.Provider, e.Op = p, op
		return &e
	}
	return err
}

// validatedKey marks a context whose Request the Router validated.
type validatedKey struct{}

// withValidated returns ctx marked with the validated req.
func withValidated(ctx context.Context, req Request) context.Context {
	return context.WithValue(ctx, validatedKey{}, &req)
}

// sameRequest reports whether a and b have every field the same (images by
// identity), so that a Request changed after validation is validated again.
func sameRequest(a, b Request) bool {
	return a.ID == b.ID && a.Country == b.Country && a.Document == b.Document && a.Selfie == b.Selfie &&
		a.Person.FullName == b.Person.FullName && a.Person.DateOfBirth.Equal(b.Person.DateOfBirth) &&
		a.Person.Phone == b.Person.Phone && a.Person.Email == b.Person.Email &&
		a.Link.ReturnURL == b.Link.ReturnURL && a.Link.FailReturnURL == b.Link.FailReturnURL &&
		a.Link.Message == b.Link.Message && a.Link.Sender == b.Link.Sender && a.Link.SendAt.Equal(b.Link.SendAt) &&
		a.Link.Language == b.Link.Language
}

// Has reports whether req fills field f.
func (req Request) Has(f Field) bool {
	switch f {
	case FieldCountry:
		return req.Country != ""
	case FieldDocumentType:
		return req.Document.Type != ""
	case FieldDocumentNumber:
		return req.Document.Number != ""
	case FieldDocumentFront:
		return req.Document.Front != nil
	case FieldDocumentBack:
		return req.Document.Back != nil
	case FieldSelfie:
		return req.Selfie != nil
	case FieldFullName:
		return strings.TrimSpace(req.Person.FullName) != ""
	case FieldDateOfBirth:
		return !req.Person.DateOfBirth.IsZero()
	case FieldPhone:
		return req.Person.Phone != ""
	case FieldEmail:
		return req.Person.Email != ""
	case FieldReturnURL:
		return req.Link.ReturnURL != ""
	}
	return false
}
