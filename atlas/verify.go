package atlas

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
	"github.com/kyc-go/kyc/internal/transport"
)

// The ID-verification endpoints are API v2's (base DefaultURLv2), seen in
// independent integrators' code rather than in public vendor docs: they
// take their parameters in the query string, even on POST. They are India
// only.

var (
	panPattern   = regexp.MustCompile(`^[A-Z]{5}[0-9]{4}[A-Z]$`)
	gstinPattern = regexp.MustCompile(`^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$`)
	ifscPattern  = regexp.MustCompile(`^[A-Z]{4}0[A-Z0-9]{6}$`)
	udyamPattern = regexp.MustCompile(`^UDYAM-[A-Z]{2}-[0-9]{2}-[0-9]{7}$`)
	accPattern   = regexp.MustCompile(`^[0-9A-Z]{6,20}$`)
)

// NormalizePAN upper-cases and trims a PAN and reports whether it has the
// PAN form: five letters, four digits, one letter ("ABCDE1234F").
func NormalizePAN(pan string) (string, bool) {
	p := strings.ToUpper(strings.TrimSpace(pan))
	return p, panPattern.MatchString(p)
}

// PANStatus is pan_status as the vendor sends it.
type PANStatus string

// PAN statuses seen in public integrations. Others may be sent (the
// income-tax registry also knows deactivated, deleted and fake PANs); they
// are kept as sent.
const (
	PANValid   PANStatus = "VALID"
	PANInvalid PANStatus = "INVALID"
)

// PANResult is VerifyPAN's answer. Its fields are data.pan_number,
// pan_status, pan_status_desc, pan_holder_title, first_name, middle_name,
// last_name, pan_last_updated (dd/MM/yyyy) and pan_aadhaar_seeding ("Y"),
// as seen in a sample response quoted in public integrator code; the
// envelope around it is the documented one.
type PANResult struct {
	Number            string    `wire:"pan_number"`
	Status            PANStatus `wire:"pan_status"`
	StatusDescription string    `wire:"pan_status_desc"`
	Title             string    `wire:"pan_holder_title"`
	FirstName         string    `wire:"first_name"`
	MiddleName        string    `wire:"middle_name"`
	LastName          string    `wire:"last_name"`
	// LastUpdated is when the registry last updated the record, midnight
	// UTC; zero when not sent.
	LastUpdated time.Time
	// AadhaarSeeding is pan_aadhaar_seeding as sent: "Y" when the PAN is
	// linked to an Aadhaar.
	AadhaarSeeding string `wire:"pan_aadhaar_seeding"`
	RequestID      string
	// Raw is the vendor's body (personal data).
	Raw json.RawMessage
}

// Valid reports whether the registry knows the PAN as valid.
func (p *PANResult) Valid() bool { return strings.EqualFold(string(p.Status), string(PANValid)) }

// AadhaarSeeded reports whether the PAN is linked to an Aadhaar.
func (p *PANResult) AadhaarSeeded() bool {
	v, ok := yesNo(p.AadhaarSeeding)
	return ok && v
}

// FullName joins the holder's first, middle and last names.
func (p *PANResult) FullName() string {
	return strings.Join(strings.Fields(p.FirstName+" "+p.MiddleName+" "+p.LastName), " ")
}

func (p *PANResult) fromEnvelope(env *Envelope) error {
	d, err := decodePAN(env.Data)
	if err != nil {
		return err
	}
	*p = *d
	p.Raw = env.Raw
	return nil
}

// decodePAN reads the data of a PAN answer: an object, or one sent as a
// one-element array. Its values are read tolerantly and trimmed; a holder
// sent only as full_name is taken as LastName.
func decodePAN(data json.RawMessage) (*PANResult, error) {
	var obj json.RawMessage
	if err := tolerant.One(data, &obj); err != nil {
		return nil, err
	}
	// The keys read otherwise than into a PANResult field ride beside it.
	rest := struct {
		*PANResult
		FullName    string `wire:"full_name"`
		LastUpdated string `wire:"pan_last_updated"`
	}{PANResult: &PANResult{}}
	p := rest.PANResult
	if string(obj) != "null" {
		if err := tolerant.Decode(obj, &rest); err != nil {
			return nil, err
		}
	}
	for _, f := range []*string{&p.Number, &p.StatusDescription, &p.Title, &p.FirstName, &p.MiddleName, &p.LastName, &p.AadhaarSeeding} {
		*f = strings.TrimSpace(*f)
	}
	p.Status = PANStatus(strings.ToUpper(strings.TrimSpace(string(p.Status))))
	p.LastUpdated = tolerant.Date(rest.LastUpdated, "02/01/2006", "02-01-2006", "2006-01-02")
	if p.FirstName == "" && p.LastName == "" {
		p.LastName = strings.TrimSpace(rest.FullName)
	}
	if p.Status == "" {
		return nil, errNoField("pan_status")
	}
	return p, nil
}

// VerifyPAN checks a PAN against the income-tax registry (query
// pan_number) and returns the holder's names. A PAN the registry does not
// know is a result with Status INVALID, not an error. A malformed PAN is
// refused before sending. The call is billed, so it is never resent once it
// may have reached the vendor.
//
//	POST /verify/pan (billed) — inferred from integrators' public code for API v2
func (c *Client) VerifyPAN(ctx context.Context, pan string) (*PANResult, error) {
	p, ok := NormalizePAN(pan)
	if !ok {
		return nil, c.tc.Invalid(opVerifyPAN.Name, "pan_number", "a PAN is five letters, four digits and a letter, such as ABCDE1234F")
	}
	out := new(PANResult)
	return sendFor(ctx, c, opVerifyPAN, url.Values{"pan_number": {p}}, transport.Body{}, out, &out.RequestID)
}

// verification sends op and reads its answer as a VerificationResult whose
// Status is the first of statusKeys, "status", or any "<x>_status".
func (c *Client) verification(ctx context.Context, op kyc.Operation, q url.Values, body transport.Body, statusKeys ...string) (*VerificationResult, error) {
	out := &VerificationResult{statusKeys: statusKeys}
	return sendFor(ctx, c, op, q, body, out, &out.RequestID)
}

// VerifyGSTIN checks a GST identification number (query gst_number). The
// response shape is not public; see VerificationResult. Billed: never
// resent once it may have reached the vendor.
//
//	POST /verify/gstin (billed) — inferred from integrators' public code for API v2
func (c *Client) VerifyGSTIN(ctx context.Context, gstin string) (*VerificationResult, error) {
	g := strings.ToUpper(strings.TrimSpace(gstin))
	if !gstinPattern.MatchString(g) {
		return nil, c.tc.Invalid(opVerifyGSTIN.Name, "gst_number", "a GSTIN is 15 characters: state code, PAN, entity code, Z, check character")
	}
	return c.verification(ctx, opVerifyGSTIN, url.Values{"gst_number": {g}}, transport.Body{}, "gstin_status", "gst_status")
}

// BankAccountRequest is the account to check with VerifyBankAccount.
type BankAccountRequest struct {
	// AccountNumber is the account number, digits (some banks use letters).
	AccountNumber string
	// IFSC is the branch's IFSC code, such as "SBIN0000001".
	IFSC string
	// Name, when set, is matched against the beneficiary name the bank
	// returns (fuzzy).
	Name string
}

// BankAccountResult is VerifyBankAccount's answer, from data.bank_status
// (SUCCESS/FAILED), data.bank_details.beneficiary_name, data.match_status
// and data.match_score.name_1_match_score (a percentage as a string), as
// seen in public integrator code.
type BankAccountResult struct {
	Status          string
	BeneficiaryName string
	NameMatchStatus string
	NameMatchScore  kyc.Score
	RequestID       string
	// Raw is the vendor's body (personal data).
	Raw json.RawMessage
}

// AccountExists reports whether the penny drop reached the account.
func (b *BankAccountResult) AccountExists() bool {
	return strings.EqualFold(b.Status, "SUCCESS")
}

func (b *BankAccountResult) fromEnvelope(env *Envelope) error {
	f := flatten(env.Data)
	score, err := f.score("match_score.name_1_match_score", "name_1_match_score", "name_match_score")
	if err != nil {
		return err
	}
	*b = BankAccountResult{
		Status:          f.first("bank_status", "status"),
		BeneficiaryName: f.first("bank_details.beneficiary_name", "beneficiary_name", "name_at_bank"),
		NameMatchStatus: f.first("match_status", "name_match_status"),
		NameMatchScore:  score,
		Raw:             env.Raw,
	}
	if b.Status == "" {
		return errNoField("bank_status")
	}
	return nil
}

// VerifyBankAccount runs a penny-drop check of an Indian bank account, with
// a fuzzy match of the holder's name (query acc_number, ifsc, name_n_match,
// name_1_match and fuzzy_match=1; name_n_match is taken to be the number of
// names to match, an inference). It moves money, so it is never resent
// once it may have reached the vendor.
//
//	POST /verify/bank_advanced (billed) — inferred from integrators' public code for API v2
func (c *Client) VerifyBankAccount(ctx context.Context, acc BankAccountRequest) (*BankAccountResult, error) {
	op := opVerifyBankAccount.Name
	num := strings.ToUpper(strings.TrimSpace(acc.AccountNumber))
	ifsc := strings.ToUpper(strings.TrimSpace(acc.IFSC))
	if !accPattern.MatchString(num) {
		return nil, c.tc.Invalid(op, "AccountNumber", "6 to 20 letters or digits")
	}
	if !ifscPattern.MatchString(ifsc) {
		return nil, c.tc.Invalid(op, "IFSC", "an IFSC is four letters, a zero and six letters or digits")
	}
	q := url.Values{"acc_number": {num}, "ifsc": {ifsc}}
	if name := strings.TrimSpace(acc.Name); name != "" {
		switch {
		case len(name) > kyc.MaxNameLength:
			return nil, c.tc.Invalid(op, "Name", "too long")
		case !transport.SafeText(name):
			return nil, c.tc.Invalid(op, "Name", "must not contain control characters")
		}
		q.Set("name_n_match", "1")
		q.Set("name_1_match", name)
		q.Set("fuzzy_match", "1")
	}
	out := new(BankAccountResult)
	return sendFor(ctx, c, opVerifyBankAccount, q, transport.Body{}, out, &out.RequestID)
}

// VerifyPassport checks an Indian passport. Its parameter names are not
// public (integrators send them in the query string), so they are given as
// they are in params, such as the file number and date of birth under the
// names your Atlas documentation uses. The response shape is inferred; see
// VerificationResult. Billed.
//
//	POST /verify/passport (billed) — inferred from integrators' public code for API v2
func (c *Client) VerifyPassport(ctx context.Context, params url.Values) (*VerificationResult, error) {
	if len(params) == 0 {
		return nil, c.tc.Invalid(opVerifyPassport.Name, "params", "required")
	}
	for k, vs := range params {
		for _, v := range append(vs, k) {
			if !transport.SafeText(v) {
				return nil, c.tc.Invalid(opVerifyPassport.Name, "params", "must not contain control characters")
			}
		}
	}
	return c.verification(ctx, opVerifyPassport, params, transport.Body{}, "passport_status")
}

// PANToAadhaar asks whether a PAN is linked to an Aadhaar (form field
// pan_no). The response shape is inferred; see VerificationResult. Billed.
//
//	POST /verify/pantoadr (billed) — inferred from integrators' public code for API v2
func (c *Client) PANToAadhaar(ctx context.Context, pan string) (*VerificationResult, error) {
	p, ok := NormalizePAN(pan)
	if !ok {
		return nil, c.tc.Invalid(opPANToAadhaar.Name, "pan_no", "a PAN is five letters, four digits and a letter, such as ABCDE1234F")
	}
	return c.verification(ctx, opPANToAadhaar, nil, transport.Form(url.Values{"pan_no": {p}}),
		"aadhaar_seeding_status", "link_status", "seeding_status")
}

// VerifyMSME checks an Udyam (MSME) registration number such as
// "UDYAM-MH-01-0000001" (form field udyam_no). The response shape is
// inferred; see VerificationResult. Billed.
//
//	POST /verify/msme (billed) — inferred from integrators' public code for API v2
func (c *Client) VerifyMSME(ctx context.Context, udyam string) (*VerificationResult, error) {
	u := strings.ToUpper(strings.TrimSpace(udyam))
	if !udyamPattern.MatchString(u) {
		return nil, c.tc.Invalid(opVerifyMSME.Name, "udyam_no", "an Udyam number looks like UDYAM-MH-01-0000001")
	}
	return c.verification(ctx, opVerifyMSME, nil, transport.Form(url.Values{"udyam_no": {u}}), "msme_status", "udyam_status")
}

// VerificationStatus reads the status of an earlier verification (query
// type and id). Which types and ids it accepts is not public. A read:
// retried like one.
//
//	GET /verify/status (free) — inferred from integrators' public code for API v2
func (c *Client) VerificationStatus(ctx context.Context, typ, id string) (*VerificationResult, error) {
	if err := c.checkID(opVerificationStatus.Name, "type", typ); err != nil {
		return nil, err
	}
	if err := c.checkID(opVerificationStatus.Name, "id", id); err != nil {
		return nil, err
	}
	return c.verification(ctx, opVerificationStatus, url.Values{"type": {typ}, "id": {id}}, transport.Body{})
}
