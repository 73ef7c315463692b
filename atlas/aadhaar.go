package atlas

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// The Aadhaar endpoints are API v2's, seen in integrators' code; their
// response bodies are not public (see Verification).

// AadhaarOTPSent is AadhaarOTP's answer. ID, the handle to pass to
// AadhaarKYC with the OTP, is inferred to be the first of data.id,
// request_id, ref_id, reference_id, client_id or transaction_id.
type AadhaarOTPSent struct {
	ID string
	Verification
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

// AadhaarOTP has UIDAI text an OTP to the phone linked to an Aadhaar
// (POST /aadhaar/aadhaar_otp?aadhaar_number=…). It messages a person and
// may be billed, so it is never resent once it may have reached the
// vendor. The number is 12 digits, not starting with 0 or 1; spaces are
// removed.
func (c *Client) AadhaarOTP(ctx context.Context, aadhaarNumber string) (*AadhaarOTPSent, error) {
	const op = "atlas.AadhaarOTP"
	n := strings.Join(strings.Fields(aadhaarNumber), "")
	if !isDigits(n, 12) || n[0] < '2' {
		return nil, c.tc.Invalid(op, "aadhaar_number", "an Aadhaar number is 12 digits, not starting with 0 or 1")
	}
	env, id, err := c.do(ctx, newCall("AadhaarOTP", http.MethodPost, "/aadhaar/aadhaar_otp", url.Values{"aadhaar_number": {n}}, transport.Unsafe))
	if err != nil {
		return nil, err
	}
	v := newVerification(env, id, "otp_status")
	out := &AadhaarOTPSent{Verification: *v}
	out.ID = flatten(env.Data).first("id", "request_id", "ref_id", "reference_id", "client_id", "transaction_id")
	if out.ID == "" {
		return nil, c.tc.BadResponse(op, &transport.Response{StatusCode: http.StatusOK, Body: env.Raw, RequestID: id}, errNoField("id"))
	}
	return out, nil
}

// AadhaarKYC submits the OTP the person received and returns their Aadhaar
// e-KYC record (POST /aadhaar/aadhaar_kyc?id=…&otp=…). The record's shape
// is inferred; see Verification. Billed, and an OTP works once: never
// resent once it may have reached the vendor.
func (c *Client) AadhaarKYC(ctx context.Context, id, otp string) (*Verification, error) {
	const op = "atlas.AadhaarKYC"
	if err := c.checkID(op, "id", id); err != nil {
		return nil, err
	}
	if !isDigits(otp, 6) {
		return nil, c.tc.Invalid(op, "otp", "the OTP is 6 digits")
	}
	env, rid, err := c.do(ctx, newCall("AadhaarKYC", http.MethodPost, "/aadhaar/aadhaar_kyc", url.Values{"id": {id}, "otp": {otp}}, transport.Unsafe))
	if err != nil {
		return nil, err
	}
	return newVerification(env, rid, "kyc_status", "aadhaar_status"), nil
}

// MaskAadhaar returns a copy of an Aadhaar card image with the first eight
// digits of the number redacted (POST /aadhaar/mask, multipart part file).
// The vendor answers either with the JPEG itself or with JSON holding it in
// base64 (data.file, possibly as a data: URI); both are read. Billed.
func (c *Client) MaskAadhaar(ctx context.Context, img *kyc.Image) (*kyc.Image, error) {
	const op = "atlas.MaskAadhaar"
	if err := c.checkImages(op, namedImage{"file", img}); err != nil {
		return nil, err
	}
	cl, err := multipartCall("MaskAadhaar", "/aadhaar/mask", nil, transport.Part{Name: "file", Image: img})
	if err != nil {
		return nil, c.tc.Invalid(op, "file", err.Error())
	}
	s, err := c.send(ctx, cl, false)
	if err != nil {
		return nil, err
	}
	return c.imageAnswer(op, s)
}
