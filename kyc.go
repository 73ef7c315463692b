package kyc

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// Verifier is what every provider client implements: one way to start a
// verification and one way to read its outcome back, whatever the vendor.
//
// Each vendor package's *Client satisfies Verifier and carries the vendor's
// complete API beside it. [Router] is a Verifier too, so code written against
// this interface works with one vendor, several, or [kyctest.FakeVerifier].
type Verifier interface {
	// Provider names the vendor behind this Verifier.
	Provider() Provider
	// Capabilities says which inputs the provider needs and how its flow
	// ends, so a Request can be checked before anything is sent.
	Capabilities() Capabilities
	// Verify starts one verification. Direct providers finish it when the
	// context allows and return a final Status; otherwise, and for link
	// providers, the Result is StatusPending with a Reference to resume.
	// A rejection is a Result, never an error.
	Verify(ctx context.Context, req Request) (*Result, error)
	// Result reads the outcome of a verification started earlier, from the
	// Reference a previous Verify returned, in any process holding the same
	// credentials. Providers without a read-back return ErrUnsupported.
	Result(ctx context.Context, ref string) (*Result, error)
}

// Request is one verification, as the caller knows it. Providers use the
// fields their Capabilities list and ignore the rest.
//
// Its fmt verbs (%v, %+v, %#v, %s…) print only its shape: the country, the
// document type and which fields are set; never the ID, a name, a number,
// a phone or an e-mail. Person and Document print the same way.
type Request struct {
	// ID is the caller's identifier for the applicant or case. It is sent as
	// the vendor's reference field where one exists, so it should not itself
	// be personal data.
	ID string
	// Country is the ISO 3166-1 alpha-3 code of the document's issuing
	// country, such as "IND", "IDN", "ESP" or "KHM".
	Country string
	// Document is the identity document to check.
	Document Document
	// Selfie is a photo of the person's face, for face match and liveness.
	Selfie *Image
	// Person holds what the caller already knows about the person.
	Person Person
	// Link configures providers whose flow sends the person a link.
	Link LinkOptions
}

// LogValue implements slog.LogValuer: it logs the shape of the request (which
// inputs are present) and never a value that identifies the person.
func (r Request) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", r.ID),
		slog.String("country", r.Country),
		slog.String("document_type", string(r.Document.Type)),
		slog.Bool("document_number", r.Document.Number != ""),
		slog.Bool("front", r.Document.Front != nil),
		slog.Bool("back", r.Document.Back != nil),
		slog.Bool("selfie", r.Selfie != nil),
		slog.Bool("phone", r.Person.Phone != ""),
		slog.Bool("email", r.Person.Email != ""),
		slog.Bool("return_url", r.Link.ReturnURL != ""),
	)
}

// DocumentType is the kind of identity document. Vendor packages translate it
// into their own names.
type DocumentType string

// Document types understood across providers.
const (
	DocumentIDCard          DocumentType = "id_card"
	DocumentPassport        DocumentType = "passport"
	DocumentDriverLicense   DocumentType = "driver_license"
	DocumentResidencePermit DocumentType = "residence_permit"
	// DocumentPAN is India's Permanent Account Number card.
	DocumentPAN DocumentType = "pan"
	// DocumentAadhaar is India's Aadhaar card.
	DocumentAadhaar DocumentType = "aadhaar"
)

// Document is an identity document: its kind, its number when the caller
// knows it, and photos of its sides.
type Document struct {
	Type   DocumentType
	Number string
	Front  *Image
	Back   *Image
}

// Person is what the caller already knows about the person being verified.
type Person struct {
	FullName    string
	DateOfBirth time.Time
	// Phone is in international form: country code and number, digits only
	// with an optional leading '+', such as "+34600000000".
	Phone string
	Email string
}

// LinkOptions configures providers whose flow hands the person a link
// (ADVANCE.AI's hosted page, Verificar's SMS).
type LinkOptions struct {
	// ReturnURL is where the hosted page sends the person when done.
	ReturnURL string
	// FailReturnURL is where the hosted page sends the person on failure;
	// empty means ReturnURL.
	FailReturnURL string
	// Message is the text of an SMS; Verificar requires the "[LINK]"
	// placeholder in it.
	Message string
	// Sender is the SMS sender name.
	Sender string
	// SendAt schedules the SMS; zero sends now.
	SendAt time.Time
	// Language is the language of the hosted pages, as a language tag
	// ("en-US", "es"; ASCII letters, digits and '-', at most
	// MaxLanguageLength); empty means the client's own default (Incode's
	// Config.Language, then Incode's). Incode's hosted link takes it.
	Language string
}

// MaxLanguageLength bounds LinkOptions.Language: the longest language tag
// in common use (BCP 47 with extensions) fits.
const MaxLanguageLength = 35

// Status is where a verification stands.
type Status string

// The four statuses every provider maps onto.
const (
	// StatusPending: not finished yet; read it again later with Result, or
	// wait for a webhook.
	StatusPending Status = "pending"
	// StatusApproved: the provider accepted the person's identity.
	StatusApproved Status = "approved"
	// StatusRejected: the provider refused it; Reasons say why and
	// Result.Resubmit whether the person may capture again.
	StatusRejected Status = "rejected"
	// StatusReview: the provider could not decide; a person must look.
	StatusReview Status = "review"
)

// Final reports whether the status will not change any more.
func (s Status) Final() bool { return s == StatusApproved || s == StatusRejected }

// Result is the outcome of a verification, in provider-neutral terms, with
// the vendor's own body kept in Raw.
//
// A Result is personal data: Document holds what was read from the
// person's document and Raw the vendor's whole body. Its fmt verbs (%v,
// %+v, %#v, %s…) and its slog value print only its shape: provider, status,
// reasons, scores, and which fields are set. Its JSON (encoding/json) is
// complete, so that it can be stored and read back: store and transmit it
// as personal data, never log it.
type Result struct {
	// Provider is the vendor that produced this result.
	Provider Provider
	// Reference resumes this verification with Verifier.Result. Store it as
	// it is. See NewReference for its form.
	Reference string
	Status    Status
	// Reasons explain a rejection, a review or a pending state; empty for an
	// approval.
	Reasons []Reason
	// Resubmit reports that the person may capture again (a blurred photo,
	// a document not found), as opposed to a final rejection.
	Resubmit bool
	Scores   Scores
	// Document holds the fields the provider read from the document, when it
	// returns any.
	Document *DocumentData
	// Link is set by link providers: the URL to hand the person.
	Link *Link
	// Charged says whether the vendor billed the call, where it says so.
	Charged Charge
	// Sequence is the vendor's own order among the Results of one
	// verification, 0 where the vendor gives none: Verificar's
	// UltimaActualizacion (Unix milliseconds), Incode's 1 for the automatic
	// verdict and 2 for a manual review. The ordering rule of ResultStore
	// (see Decide) reads it: a final verdict replaces another only when its
	// Sequence is greater.
	Sequence int64 `json:",omitempty"`
	// ValidUntil is when the vendor says its verdict stops being valid,
	// where it says so; zero otherwise. See ReverifyBy.
	ValidUntil time.Time `json:",omitzero"`
	// Raw is the vendor's body this Result was built from. It is personal
	// data: it may hold the document's OCR fields, names, numbers and, for
	// some vendors (ADVANCE.AI), signed URLs of the person's images that
	// stay valid for hours. Never log it; keep it only where personal data
	// may be kept.
	Raw json.RawMessage
	// Source says who gave this Result: SourceProvider (the vendor answered,
	// on Verify or on a read-back), SourceStore (a ResultStore answered,
	// because the vendor has no read-back), SourceWebhook (taken from a
	// webhook body, not confirmed). Empty when the vendor client was called
	// directly, which is the vendor's answer; the Router and the WebhookMux
	// set it.
	Source Source
}

// Source says who gave a Result.
type Source string

// Sources of a Result.
const (
	// SourceProvider: the vendor answered, on Verify or on a read-back.
	SourceProvider Source = "provider"
	// SourceStore: the Router's ResultStore answered, because the vendor
	// has no read-back of this verification (Atlas, Verificar) or no longer
	// knows it.
	SourceStore Source = "store"
	// SourceWebhook: the Result was taken from a webhook's body and not
	// confirmed by reading it back from the vendor.
	SourceWebhook Source = "webhook"
)

// LogValue implements slog.LogValuer. It logs the provider, status, reasons
// and scores: never the reference, the document fields or the raw body.
func (r *Result) LogValue() slog.Value {
	if r == nil {
		return slog.StringValue("<nil>")
	}
	reasons := make([]string, len(r.Reasons))
	for i, x := range r.Reasons {
		reasons[i] = string(x)
	}
	return slog.GroupValue(
		slog.String("provider", string(r.Provider)),
		slog.String("status", string(r.Status)),
		slog.String("reasons", strings.Join(reasons, ",")),
		slog.Bool("resubmit", r.Resubmit),
		slog.String("face_match", r.Scores.FaceMatch.String()),
		slog.String("liveness", r.Scores.Liveness.String()),
		slog.String("document", r.Scores.Document.String()),
	)
}

// ReverifyBy returns when an approved verdict lapses, so that a
// re-verification can be scheduled: the earlier of ValidUntil (the
// vendor's own validity) and the expiry date read from the document
// (Document.ExpiryDate), or the zero time when neither is known or the
// Result is not approved.
//
//	if at := res.ReverifyBy(); !at.IsZero() {
//		jobs.Schedule(ctx, at.AddDate(0, 0, -30), reverify, caseID) // a month ahead
//	}
func (r *Result) ReverifyBy() time.Time {
	if r == nil || r.Status != StatusApproved {
		return time.Time{}
	}
	at := r.ValidUntil
	if r.Document != nil && !r.Document.ExpiryDate.IsZero() && (at.IsZero() || r.Document.ExpiryDate.Before(at)) {
		at = r.Document.ExpiryDate
	}
	return at
}

// HasReason reports whether r lists reason x.
func (r *Result) HasReason(x Reason) bool {
	if r == nil {
		return false
	}
	for _, y := range r.Reasons {
		if y == x {
			return true
		}
	}
	return false
}

// Charge says whether a vendor billed a call.
type Charge int

// Charge values. ChargeUnknown is the zero value: the vendor did not say.
const (
	ChargeUnknown Charge = iota
	ChargeFree
	ChargePaid
)

// String returns "unknown", "free" or "paid".
func (c Charge) String() string {
	switch c {
	case ChargeFree:
		return "free"
	case ChargePaid:
		return "paid"
	default:
		return "unknown"
	}
}

// Link is a URL the person must open to continue the verification.
type Link struct {
	URL string
	// ExpiresAt is when the link stops working; zero if the vendor does not
	// say.
	ExpiresAt time.Time
}

// DocumentData holds the fields a provider read from a document, normalized:
// names trimmed, dates as time.Time at midnight UTC. Fields a provider does
// not return are empty. Extra holds vendor fields with no place here.
//
// It is personal data. Its fmt verbs and slog value print only which fields
// are set; its JSON is complete.
type DocumentData struct {
	Type           DocumentType
	Number         string
	FullName       string
	FirstName      string
	LastName       string
	DateOfBirth    time.Time
	IssueDate      time.Time
	ExpiryDate     time.Time
	Sex            string
	Nationality    string
	IssuingCountry string
	Address        string
	Extra          map[string]string
}

// LogValue implements slog.LogValuer; document data is personal, so only
// which fields are present is logged.
func (d *DocumentData) LogValue() slog.Value {
	if d == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(
		slog.String("type", string(d.Type)),
		slog.Bool("number", d.Number != ""),
		slog.Bool("name", d.FullName != "" || d.LastName != ""),
		slog.Bool("birth_date", !d.DateOfBirth.IsZero()),
		slog.Int("extra_fields", len(d.Extra)),
	)
}

// Scores are the provider's confidence figures, each from 0 to 1. A score the
// provider did not give is distinguishable from a score of 0.
type Scores struct {
	// FaceMatch: how likely the selfie and the document show the same face.
	FaceMatch Score
	// Liveness: how likely the selfie is of a live person, not a spoof.
	Liveness Score
	// Document: how likely the document is genuine.
	Document Score
}

// Score is a confidence from 0 to 1 that may be absent. The zero Score is
// "not given".
type Score struct {
	value float64
	set   bool
}

// NewScore returns a given score, clamped to [0, 1]. NaN gives "not given".
func NewScore(v float64) Score {
	if v != v { // NaN
		return Score{}
	}
	return Score{value: min(max(v, 0), 1), set: true}
}

// Value returns the score and whether the provider gave one.
func (s Score) Value() (float64, bool) { return s.value, s.set }

// Given reports whether the provider gave this score.
func (s Score) Given() bool { return s.set }

// String formats the score with at most two decimals, trailing zeros dropped
// ("0.96", "0.5", "1"), or "-" when not given.
func (s Score) String() string {
	if !s.set {
		return "-"
	}
	return strings.TrimRight(strings.TrimRight(formatFloat(s.value), "0"), ".")
}

// MarshalJSON encodes a given score as a number and a missing one as null.
func (s Score) MarshalJSON() ([]byte, error) {
	if !s.set {
		return []byte("null"), nil
	}
	return json.Marshal(s.value)
}

// UnmarshalJSON decodes a number or null.
func (s *Score) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*s = Score{}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = NewScore(v)
	return nil
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
