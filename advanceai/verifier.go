package advanceai

import (
	"context"
	"slices"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
	"github.com/kyc-go/kyc/internal/transport"
	"github.com/kyc-go/kyc/internal/verifier"
)

// Provider returns kyc.AdvanceAI.
func (c *Client) Provider() kyc.Provider { return kyc.AdvanceAI }

// Capabilities describes a hosted link, for Indonesian KTP cards only; the
// Request needs Country "IDN" and Link.ReturnURL. The person captures the
// card on the vendor's page, so no image is sent.
func (c *Client) Capabilities() kyc.Capabilities {
	return kyc.Capabilities{
		Flow:          kyc.FlowHostedLink,
		Countries:     SupportedRegions(),
		DocumentTypes: []kyc.DocumentType{kyc.DocumentIDCard},
		Requires:      []kyc.Field{kyc.FieldCountry, kyc.FieldReturnURL},
	}
}

// Verify creates an H5 IDV link (GenerateURL) for the person to open. It
// returns StatusPending with ReasonNotFinished, Result.Link (the URL and its
// expiry) and Reference "advanceai:<signatureId>" to read the outcome later
// with Result. req.ID is sent as the vendor's userId; Link.FailReturnURL
// defaults to Link.ReturnURL. A Request without Country "IDN" or
// Link.ReturnURL is refused before anything is sent. An error returned
// after the vendor created the link carries its Reference
// (kyc.Error.Reference). Result.Raw is the vendor's answer, the link
// included.
//
//	POST /intl/openapi/face-identity/h5-idv/v1/generate-url (billed) — https://doc.advance.ai, Back-end Integration, "Generate URL API"
func (c *Client) Verify(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
	return verifier.Traced(ctx, c.tc, "advanceai.Verify", func(ctx context.Context) (*kyc.Result, error) {
		return c.verify(ctx, req)
	})
}

// verify is Verify, inside its span.
func (c *Client) verify(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
	if err := c.Capabilities().CheckFor(ctx, kyc.AdvanceAI, nameVerify, req); err != nil {
		return nil, c.asInvalid(nameVerify, err, nil)
	}
	if !transport.SafeText(req.ID) { // sent as userId
		return nil, c.tc.Invalid(nameVerify, "ID", "must not contain control characters")
	}
	fail := req.Link.FailReturnURL
	if fail == "" {
		fail = req.Link.ReturnURL
	}
	g, err := c.GenerateURL(ctx, GenerateURLRequest{ReturnURL: req.Link.ReturnURL, FailReturnURL: fail, Region: req.Country, UserID: req.ID})
	if err != nil {
		return nil, err
	}
	res := verifier.Pending(kyc.AdvanceAI, g.SignatureID, g.Raw)
	res.Link, res.Charged = &kyc.Link{URL: g.URL, ExpiresAt: g.ExpiresAt}, g.Charged()
	return res, nil
}

// Result reads the outcome of a verification Verify started (GetResult) and
// maps its idvCode: SUCCESS is approved, with the card's OCR in Document;
// FORGERY_DETECTED is a final rejection; capture problems (low quality, no
// card, several cards, a cropped or small card) and NO_SUPPORTED_CARD are
// rejections the person may resubmit; no idvCode yet is StatusPending. The
// vendor's idvCode ERROR is an ErrUnavailable error. An undocumented idvCode
// is StatusReview with ReasonOther. ref's id is checked (1 to 64 letters,
// digits, '-' or '_') before anything is sent.
//
// Result.Raw is the vendor's answer: the card's OCR and signed links to
// its photos, which anyone may open for 24 hours. It is personal data.
//
//	POST /intl/openapi/face-identity/h5-idv/v1/get-result (free) — https://doc.advance.ai, Back-end Integration, "Get Result API"
func (c *Client) Result(ctx context.Context, ref string) (*kyc.Result, error) {
	return verifier.Traced(ctx, c.tc, "advanceai.Result", func(ctx context.Context) (*kyc.Result, error) {
		return c.result(ctx, ref)
	})
}

// result is Result, inside its span.
func (c *Client) result(ctx context.Context, ref string) (*kyc.Result, error) {
	id, err := c.tc.Ref(nameResult, ref)
	if err != nil {
		return nil, err
	}
	res, err := c.GetResult(ctx, id)
	if err != nil {
		return nil, err
	}
	return toResult(res, ref)
}

var _ kyc.Eraser = (*Client)(nil)

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
	return verifier.Erase(c.tc, "advanceai.Erase", ref, verifier.NoDeletion{Vendor: "ADVANCE.AI", Docs: "https://doc.advance.ai",
		Note: "it says only that the image links of a Get Result answer expire after 24 hours, which is the link's life, not the images' retention"})
}

// toResult maps a Get Result answer onto a kyc.Result.
func toResult(res *VerificationResult, ref string) (*kyc.Result, error) {
	v := verdictFor(res.IDVCode)
	if v.err != nil {
		return nil, &kyc.Error{Provider: kyc.AdvanceAI, Op: nameResult, Kind: v.err, Code: res.IDVCode,
			Message: "the vendor's document verification failed on its side", RequestID: res.TransactionID}
	}
	out := &kyc.Result{
		Provider:  kyc.AdvanceAI,
		Reference: ref,
		Status:    v.status,
		Reasons:   slices.Clone(v.reasons),
		Resubmit:  v.resubmit,
		Charged:   res.Charged(),
		Raw:       res.Raw,
	}
	if res.OCRResult != nil && v.status != kyc.StatusPending {
		out.Document = documentData(res.OCRResult)
	}
	return out, nil
}

// documentData normalizes a KTP's OCR; every non-empty vendor field is also
// kept as printed in Extra, under the vendor's name.
func documentData(o *OCRResult) *kyc.DocumentData {
	d := &kyc.DocumentData{
		Type:           kyc.DocumentIDCard,
		IssuingCountry: RegionIndonesia,
		Number:         strings.TrimSpace(o.IDNumber),
		FullName:       strings.TrimRight(strings.TrimSpace(o.Name), ", "),
		Sex:            sex(o.Gender),
		Nationality:    nationality(o.Nationality),
		Address:        address(o),
		DateOfBirth:    tolerant.Date(o.Birthday, "2006/01/02", "2006-01-02", "02-01-2006"),
		ExpiryDate:     tolerant.Date(o.ExpiryDate, "02-01-2006", "2006/01/02", "2006-01-02"),
	}
	if d.DateOfBirth.IsZero() {
		// "Place, DD-MM-YYYY": the date follows the last comma.
		if i := strings.LastIndexByte(o.BirthPlaceBirthday, ','); i >= 0 {
			d.DateOfBirth = tolerant.Date(o.BirthPlaceBirthday[i+1:], "02-01-2006", "02/01/2006")
		}
	}
	extra := map[string]string{}
	for k, v := range map[string]string{
		"idNumber": o.IDNumber, "name": o.Name, "bloodType": o.BloodType, "religion": o.Religion,
		"gender": o.Gender, "birthPlaceBirthday": o.BirthPlaceBirthday, "province": o.Province,
		"city": o.City, "district": o.District, "village": o.Village, "rtrw": o.RTRW,
		"occupation": o.Occupation, "expiryDate": o.ExpiryDate, "nationality": o.Nationality,
		"maritalStatus": o.MaritalStatus, "address": o.Address, "placeOfBirth": o.PlaceOfBirth,
		"birthday": o.Birthday,
	} {
		if v != "" {
			extra[k] = v
		}
	}
	if len(extra) > 0 {
		d.Extra = extra
	}
	return d
}

// sex maps the KTP's Indonesian gender: LAKI-LAKI (male) is "M", PEREMPUAN
// (female) "F"; other text is kept.
func sex(g string) string {
	switch strings.ToUpper(strings.TrimSpace(g)) {
	case "LAKI-LAKI", "LAKI LAKI":
		return "M"
	case "PEREMPUAN":
		return "F"
	}
	return strings.TrimSpace(g)
}

// nationality maps WNI (Warga Negara Indonesia) to "IDN"; other text is
// kept.
func nationality(n string) string {
	if strings.EqualFold(strings.TrimSpace(n), "WNI") {
		return RegionIndonesia
	}
	return strings.TrimSpace(n)
}

// address joins the KTP's address lines: street, RT/RW, village, district,
// city, province.
func address(o *OCRResult) string {
	var parts []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	add(o.Address)
	if strings.TrimSpace(o.RTRW) != "" {
		add("RT/RW " + o.RTRW)
	}
	add(o.Village)
	add(o.District)
	add(o.City)
	add(o.Province)
	return strings.Join(parts, ", ")
}
