package atlas_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/internal/testutil"
	"github.com/kyc-go/kyc/kyctest"
)

// composite are the client's methods that take a context but are not one
// operation: Verify and Result run operations of the table, Call sends the
// caller's own, Warm sends nothing (it derives the AES key), and Erase
// sends nothing (Atlas has no deletion call).
var composite = []string{"Verify", "Result", "Call", "Warm", "Erase"}

func TestOperationTable(t *testing.T) {
	t.Parallel()
	c, _ := mock(t)
	testutil.OperationTable(t, "atlas", c, atlas.Operations(), composite, nil)

	classes := map[kyc.Class]int{}
	for _, op := range atlas.Operations() {
		classes[op.Class]++
	}
	assert.Equal(t, map[kyc.Class]int{kyc.ClassBilled: 11, kyc.ClassMessaging: 2, kyc.ClassFree: 5}, classes)
	byName := map[string]kyc.Operation{}
	for _, op := range atlas.Operations() {
		byName[op.Name] = op
	}
	assert.Equal(t, kyc.ClassMessaging, byName["atlas.AadhaarOTP"].Class, "UIDAI texts the person an OTP")
	for _, n := range []string{"VerifyPAN", "VerifyGSTIN", "VerifyBankAccount", "VerifyPassport", "CompareFaces", "VerifyFace", "EnrolFace"} {
		assert.Equal(t, kyc.ClassBilled, byName["atlas."+n].Class, n)
	}
	for _, n := range []string{"FetchFace", "VerificationStatus", "ESignStatus"} {
		assert.Equal(t, kyc.ClassFree, byName["atlas."+n].Class, n)
	}
	ops := atlas.Operations()
	ops[0].Class = kyc.ClassFree
	assert.NotEqual(t, ops[0].Class, atlas.Operations()[0].Class, "Operations returns a copy")
}

// typedMethods is every typed method of the client, called with valid
// input: the list FailurePaths runs, and the wire tests' too.
func typedMethods(t *testing.T) []testutil.Method {
	img := mustImage(t, "")
	client := func(c any) *atlas.Client { return c.(*atlas.Client) }
	m := func(name string, call func(ctx context.Context, c *atlas.Client) error) testutil.Method {
		return testutil.Method{Name: "atlas." + name, Call: func(ctx context.Context, c any) error { return call(ctx, client(c)) },
			VendorError: testutil.Fixture(t, "error_400.json"), VendorErrorKind: kyc.ErrInvalidRequest}
	}
	return []testutil.Method{
		m("EnrolFace", func(ctx context.Context, c *atlas.Client) error { _, err := c.EnrolFace(ctx, img); return err }),
		m("CompareFaces", func(ctx context.Context, c *atlas.Client) error { _, err := c.CompareFaces(ctx, img, img); return err }),
		m("VerifyFace", func(ctx context.Context, c *atlas.Client) error {
			_, err := c.VerifyFace(ctx, "00b85b02_477a300c", img)
			return err
		}),
		m("FetchFace", func(ctx context.Context, c *atlas.Client) error {
			_, err := c.FetchFace(ctx, "00b85b02_477a300c")
			return err
		}),
		m("DeleteFace", func(ctx context.Context, c *atlas.Client) error { return c.DeleteFace(ctx, "00b85b02_477a300c") }),
		m("VideoChallenge", func(ctx context.Context, c *atlas.Client) error { _, err := c.VideoChallenge(ctx, 2); return err }),
		m("VerifyPAN", func(ctx context.Context, c *atlas.Client) error { _, err := c.VerifyPAN(ctx, "ABCDE1234F"); return err }),
		m("VerifyGSTIN", func(ctx context.Context, c *atlas.Client) error {
			_, err := c.VerifyGSTIN(ctx, "27ABCDE1234F1Z5")
			return err
		}),
		m("VerifyBankAccount", func(ctx context.Context, c *atlas.Client) error {
			_, err := c.VerifyBankAccount(ctx, atlas.BankAccountRequest{AccountNumber: "123456789012", IFSC: "SBIN0000001", Name: "Rahul Sharma"})
			return err
		}),
		m("VerifyPassport", func(ctx context.Context, c *atlas.Client) error {
			_, err := c.VerifyPassport(ctx, url.Values{"file_number": {"MH1234567890123"}})
			return err
		}),
		m("PANToAadhaar", func(ctx context.Context, c *atlas.Client) error {
			_, err := c.PANToAadhaar(ctx, "ABCDE1234F")
			return err
		}),
		m("VerifyMSME", func(ctx context.Context, c *atlas.Client) error {
			_, err := c.VerifyMSME(ctx, "UDYAM-MH-01-0000001")
			return err
		}),
		m("VerificationStatus", func(ctx context.Context, c *atlas.Client) error {
			_, err := c.VerificationStatus(ctx, "gstin", "v-1")
			return err
		}),
		m("AadhaarOTP", func(ctx context.Context, c *atlas.Client) error {
			_, err := c.AadhaarOTP(ctx, "2345 6789 0123")
			return err
		}),
		m("AadhaarKYC", func(ctx context.Context, c *atlas.Client) error {
			_, err := c.AadhaarKYC(ctx, "otp-1234", "123456")
			return err
		}),
		m("MaskAadhaar", func(ctx context.Context, c *atlas.Client) error { _, err := c.MaskAadhaar(ctx, img); return err }),
		m("ESignRequest", func(ctx context.Context, c *atlas.Client) error {
			_, err := c.ESignRequest(ctx, atlas.ESignRequest{Fields: url.Values{"signer_name": {"R"}}, Document: []byte("%PDF-1.4\n%%EOF")})
			return err
		}),
		m("ESignStatus", func(ctx context.Context, c *atlas.Client) error { _, err := c.ESignStatus(ctx, "es-1"); return err }),
	}
}

func TestFailurePaths(t *testing.T) {
	methods := typedMethods(t)
	require.Len(t, methods, len(atlas.Operations()), "every typed method is listed")
	for _, auth := range []atlas.AuthMode{atlas.AuthBasic, atlas.AuthAES} {
		t.Run(auth.String(), func(t *testing.T) {
			newClient := func(baseURL string, opts ...kyc.Option) (any, error) {
				return atlas.New(atlas.Config{KeyID: "k-test", KeySecret: kyc.NewSecret("s-failure-paths"), Auth: auth},
					append(opts, kyc.WithBaseURL(baseURL))...)
			}
			testutil.FailurePaths(t, kyc.Atlas, newClient, methods)
		})
	}
}

func mustImage(t testing.TB, marker string) *kyc.Image {
	t.Helper()
	img, err := kyc.ImageFromBytes(kyctest.MagicImage(marker, 0))
	require.NoError(t, err)
	return img
}
