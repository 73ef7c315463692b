package atlas

import (
	"context"
	"encoding/json"
	"net/http"
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

// PANVerification is VerifyPAN's answer. Its fields are data.pan_number,
// pan_status, pan_status_desc, pan_holder_title, first_name, middle_name,
// last_name, pan_last_updated (dd/MM/yyyy) and pan_aadhaar_seeding ("Y"),
// as seen in a sample response quoted in public integrator code; the
// envelope around it is the documented one.
type PANVerification struct {
	Number            string
	Status            PANStatus
	StatusDescription string
	Title             string
	FirstName         string
	MiddleName        string
	LastName          string
	// LastUpdated is when the registry last updated the record, midnight
	// UTC; zero when not sent.
	LastUpdated time.Time
	// AadhaarSeeding is pan_aadhaar_seeding as sent: "Y" when the PAN is
	// linked to an Aadhaar.
	AadhaarSeeding string
	RequestID      string
	Raw            json.RawMessage
}

// Valid reports whether the registry knows the PAN as valid.
func (p *PANVerification) Valid() bool { return strings.EqualFold(string(p.Status), string(PANValid)) }

// AadhaarSeeded reports whether the PAN is linked to an Aadhaar.
func (p *PANVerification) AadhaarSeeded() bool {
	v, ok := yesNo(p.AadhaarSeeding)
	return ok && v
}

// FullName joins the holder's first, middle and last names.
func (p *PANVerification) FullName() string {
	return strings.Join(strings.Fields(p.FirstName+" "+p.MiddleName+" "+p.LastName), " ")
}

type panData struct {
	Number      tolerant.String `json:"pan_number"`
	Status      tolerant.String `json:"pan_status"`
	StatusDesc  tolerant.String `json:"pan_status_desc"`
	Title       tolerant.String `json:"pan_holder_title"`
	FirstName   tolerant.String `json:"first_name"`
	MiddleName  tolerant.String `json:"middle_name"`
	LastName    tolerant.String `json:"last_name"`
	FullName    tolerant.String `json:"full_name"`
	LastUpdated tolerant.String `json:"pan_last_updated"`
	Seeding     tolerant.String `json:"pan_aadhaar_seeding"`
}

// decodePAN reads the data of a PAN answer.
func decodePAN(data json.RawMessage) (*PANVerification, error) {
	var d panData
	if err := tolerant.One(data, &d); err != nil {
		return nil, err
	}
	p := &PANVerification{
		Number: strings.TrimSpace(string(d.Number)), Status: PANStatus(strings.ToUpper(strings.TrimSpace(string(d.Status)))),
		StatusDescription: strings.TrimSpace(string(d.StatusDesc)), Title: strings.TrimSpace(string(d.Title)),
		FirstName: strings.TrimSpace(string(d.FirstName)), MiddleName: strings.TrimSpace(string(d.MiddleName)),
		LastName:       strings.TrimSpace(string(d.LastName)),
		LastUpdated:    tolerant.Date(string(d.LastUpdated), "02/01/2006", "02-01-2006", "2006-01-02"),
		AadhaarSeeding: strings.TrimSpace(string(d.Seeding)),
	}
	if p.FirstName == "" && p.LastName == "" {
		p.LastName = strings.TrimSpace(string(d.FullName))
	}
	if p.Status == "" {
		return nil, errNoField("pan_status")
	}
	return p, nil
}

// VerifyPAN checks a PAN against the income-tax registry (POST
// /verify/pan?pan_number=…) and returns the holder's names. A PAN the
// registry does not know is a result with Status INVALID, not an error. A
// malformed PAN is refused before sending. The call is billed, so it is
// never resent once it may have reached the vendor.
func (c *Client) VerifyPAN(ctx context.Context, pan string) (*PANVerification, error) {
	const op = "atlas.VerifyPAN"
	p, ok := NormalizePAN(pan)
	if !ok {
		return nil, c.tc.Invalid(op, "pan_number", "a PAN is five letters, four digits and a letter, such as ABCDE1234F")
	}
	env, id, err := c.do(ctx, newCall("VerifyPAN", http.MethodPost, "/verify/pan", url.Values{"pan_number": {p}}, transport.Unsafe))
	if err != nil {
		return nil, err
	}
	out, err := decodePAN(env.Data)
	if err != nil {
		return nil, c.tc.BadResponse(op, &transport.Response{StatusCode: http.StatusOK, Body: env.Raw, RequestID: id}, err)
	}
	out.RequestID, out.Raw = id, env.Raw
	return out, nil
}

// VerifyGSTIN checks a GST identification number (POST
// /verify/gstin?gst_number=…). The response shape is not public; see
// Verification. Billed: never resent once it may have reached the vendor.
func (c *Client) VerifyGSTIN(ctx context.Context, gstin string) (*Verification, error) {
	const op = "atlas.VerifyGSTIN"
	g := strings.ToUpper(strings.TrimSpace(gstin))
	if !gstinPattern.MatchString(g) {
		return nil, c.tc.Invalid(op, "gst_number", "a GSTIN is 15 characters: state code, PAN, entity code, Z, check character")
	}
	env, id, err := c.do(ctx, newCall("VerifyGSTIN", http.MethodPost, "/verify/gstin", url.Values{"gst_number": {g}}, transport.Unsafe))
	if err != nil {
		return nil, err
	}
	return newVerification(env, id, "gstin_status", "gst_status"), nil
}

// BankAccount is the account to check with VerifyBankAccount.
type BankAccount struct {
	// AccountNumber is the account number, digits (some banks use letters).
	AccountNumber string
	// IFSC is the branch's IFSC code, such as "SBIN0000001".
	IFSC string
	// Name, when set, is matched against the beneficiary name the bank
	// returns (fuzzy).
	Name string
}

// BankAccountVerification is VerifyBankAccount's answer, from
// data.bank_status (SUCCESS/FAILED), data.bank_details.beneficiary_name,
// data.match_status and data.match_score.name_1_match_score (a percentage
// as a string), as seen in public integrator code.
type BankAccountVerification struct {
	Status          string
	BeneficiaryName string
	NameMatchStatus string
	NameMatchScore  kyc.Score
	RequestID       string
	Raw             json.RawMessage
}

// AccountExists reports whether the penny drop reached the account.
func (b *BankAccountVerification) AccountExists() bool {
	return strings.EqualFold(b.Status, "SUCCESS")
}

// VerifyBankAccount runs a penny-drop check of an Indian bank account, with
// a fuzzy match of the holder's name (POST /verify/bank_advanced with acc_number, ifsc,
// name_n_match, name_1_match and fuzzy_match=1; name_n_match is taken to be
// the number of names to match, an inference). It moves money, so it is
// never resent once it may have reached the vendor.
func (c *Client) VerifyBankAccount(ctx context.Context, acc BankAccount) (*BankAccountVerification, error) {
	const op = "atlas.VerifyBankAccount"
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
		if len(name) > kyc.MaxNameLength {
			return nil, c.tc.Invalid(op, "Name", "too long")
		}
		q.Set("name_n_match", "1")
		q.Set("name_1_match", name)
		q.Set("fuzzy_match", "1")
	}
	env, id, err := c.do(ctx, newCall("VerifyBankAccount", http.MethodPost, "/verify/bank_advanced", q, transport.Unsafe))
	if err != nil {
		return nil, err
	}
	f := flatten(env.Data)
	out := &BankAccountVerification{
		Status:          f.first("bank_status", "status"),
		BeneficiaryName: f.first("bank_details.beneficiary_name", "beneficiary_name", "name_at_bank"),
		NameMatchStatus: f.first("match_status", "name_match_status"),
		NameMatchScore:  f.score("match_score.name_1_match_score", "name_1_match_score", "name_match_score"),
		RequestID:       id, Raw: env.Raw,
	}
	if out.Status == "" {
		return nil, c.tc.BadResponse(op, &transport.Response{StatusCode: http.StatusOK, Body: env.Raw, RequestID: id}, errNoField("bank_status"))
	}
	return out, nil
}

// VerifyPassport checks an Indian passport (POST /verify/passport). Its
// parameter names are not public (integrators send them in the query
// string), so they are given as they are in params, such as the file number
// and date of birth under the names your Atlas documentation uses. The
// response shape is inferred; see Verification. Billed.
func (c *Client) VerifyPassport(ctx context.Context, params url.Values) (*Verification, error) {
	const op = "atlas.VerifyPassport"
	if len(params) == 0 {
		return nil, c.tc.Invalid(op, "params", "required")
	}
	env, id, err := c.do(ctx, newCall("VerifyPassport", http.MethodPost, "/verify/passport", params, transport.Unsafe))
	if err != nil {
		return nil, err
	}
	return newVerification(env, id, "passport_status"), nil
}

// formCall builds a POST with an application/x-www-form-urlencoded body.
func formCall(op, path string, form url.Values) call {
	cl := newCall(op, http.MethodPost, path, nil, transport.Unsafe)
	cl.body = transport.Form(form)
	return cl
}

// PANToAadhaar asks whether a PAN is linked to an Aadhaar (POST
// /verify/pantoadr, form field pan_no). The response shape is inferred; see
// Verification. Billed.
func (c *Client) PANToAadhaar(ctx context.Context, pan string) (*Verification, error) {
	const op = "atlas.PANToAadhaar"
	p, ok := NormalizePAN(pan)
	if !ok {
		return nil, c.tc.Invalid(op, "pan_no", "a PAN is five letters, four digits and a letter, such as ABCDE1234F")
	}
	env, id, err := c.do(ctx, formCall("PANToAadhaar", "/verify/pantoadr", url.Values{"pan_no": {p}}))
	if err != nil {
		return nil, err
	}
	return newVerification(env, id, "aadhaar_seeding_status", "link_status", "seeding_status"), nil
}

// VerifyMSME checks an Udyam (MSME) registration number such as
// "UDYAM-MH-01-0000001" (POST /verify/msme, form field udyam_no). The
// response shape is inferred; see Verification. Billed.
func (c *Client) VerifyMSME(ctx context.Context, udyam string) (*Verification, error) {
	const op = "atlas.VerifyMSME"
	u := strings.ToUpper(strings.TrimSpace(udyam))
	if !udyamPattern.MatchString(u) {
		return nil, c.tc.Invalid(op, "udyam_no", "an Udyam number looks like UDYAM-MH-01-0000001")
	}
	env, id, err := c.do(ctx, formCall("VerifyMSME", "/verify/msme", url.Values{"udyam_no": {u}}))
	if err != nil {
		return nil, err
	}
	return newVerification(env, id, "msme_status", "udyam_status"), nil
}

// VerificationStatus reads the status of an earlier verification (GET
// /verify/status?type=…&id=…). Which types and ids it accepts is not
// public. A read: retried like one.
func (c *Client) VerificationStatus(ctx context.Context, typ, id string) (*Verification, error) {
	const op = "atlas.VerificationStatus"
	if err := c.checkID(op, "type", typ); err != nil {
		return nil, err
	}
	if err := c.checkID(op, "id", id); err != nil {
		return nil, err
	}
	env, rid, err := c.do(ctx, newCall("VerificationStatus", http.MethodGet, "/verify/status",
		url.Values{"type": {typ}, "id": {id}}, transport.Idempotent))
	if err != nil {
		return nil, err
	}
	return newVerification(env, rid), nil
}
