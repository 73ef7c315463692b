package atlas

import (
	"context"
	"net/url"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// The Aadhaar endpoints are API v2's, seen in integrators' code; their
// response bodies are not public (see VerificationResult).

// AadhaarOTPResult is AadhaarOTP's answer. ID, the handle to pass to
// AadhaarKYC with the OTP, is inferred to be the first of data.id,
// request_id, ref_id, reference_id, client_id or transaction_id.
type AadhaarOTPResult struct {
	ID string
	VerificationResult
}

func (a *AadhaarOTPResult) fromEnvelope(env *Envelope) error {
	a.statusKeys = []string{"otp_status"}
	if err := a.VerificationResult.fromEnvelope(env); err != nil {
		return err
	}
	for _, k := range []string{"id", "request_id", "ref_id", "reference_id", "client_id", "transaction_id"} {
		if a.ID = a.Fields[k]; a.ID != "" {
			return nil
		}
	}
	return errNoField("id")
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// AadhaarOTP has UIDAI text an OTP to the phone linked to an Aadhaar (query
// aadhaar_number). It messages a person, so it is never resent once it was
// written, whatever the answer: not even after a 429 or 503. The number is
// 12 digits, not starting with 0 or 1; spaces are removed.
//
//	POST /aadhaar/aadhaar_otp (messaging) — inferred from integrators' public code for API v2
func (c *Client) AadhaarOTP(ctx context.Context, aadhaarNumber string) (*AadhaarOTPResult, error) {
	n := strings.Join(strings.Fields(aadhaarNumber), "")
	if !isDigits(n, 12) || n[0] < '2' {
		return nil, c.tc.Invalid(opAadhaarOTP.Name, "aadhaar_number", "an Aadhaar number is 12 digits, not starting with 0 or 1")
	}
	out := new(AadhaarOTPResult)
	return sendFor(ctx, c, opAadhaarOTP, url.Values{"aadhaar_number": {n}}, transport.Body{}, out, &out.RequestID)
}

// AadhaarKYC submits the OTP the person received and returns their Aadhaar
// e-KYC record (query id and otp). The record's shape is inferred; see
// VerificationResult. Billed, and an OTP works once: never resent once it
// may have reached the vendor.
//
//	POST /aadhaar/aadhaar_kyc (billed) — inferred from integrators' public code for API v2
func (c *Client) AadhaarKYC(ctx context.Context, id, otp string) (*VerificationResult, error) {
	if err := c.checkID(opAadhaarKYC.Name, "id", id); err != nil {
		return nil, err
	}
	if !isDigits(otp, 6) {
		return nil, c.tc.Invalid(opAadhaarKYC.Name, "otp", "the OTP is 6 digits")
	}
	return c.verification(ctx, opAadhaarKYC, url.Values{"id": {id}, "otp": {otp}}, transport.Body{}, "kyc_status", "aadhaar_status")
}

// MaskAadhaar returns a copy of an Aadhaar card image with the first eight
// digits of the number redacted (multipart part file). The vendor answers
// either with the JPEG itself or with JSON holding it in base64 (data.file,
// possibly as a data: URI); both are read. Billed.
//
//	POST /aadhaar/mask (billed) — inferred from integrators' public code for API v2
func (c *Client) MaskAadhaar(ctx context.Context, img *kyc.Image) (*kyc.Image, error) {
	body, err := c.multipart(opMaskAadhaar.Name, namedImage{name: "file", img: img})
	if err != nil {
		return nil, err
	}
	var out *kyc.Image
	if _, err := c.send(ctx, opMaskAadhaar, nil, body, &out); err != nil {
		return nil, err
	}
	return out, nil
}
