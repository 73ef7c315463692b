package atlas_test

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/internal/testutil"
	"github.com/kyc-go/kyc/kyctest"
)

const base = "https://api.example.test"

func mustImage(t testing.TB, marker string) *kyc.Image {
	t.Helper()
	img, err := kyc.ImageFromBytes(kyctest.MagicImage(marker, 0))
	require.NoError(t, err)
	return img
}

// mockClient returns a client on httpmock. Basic auth keeps the wire tests
// free of PBKDF2's cost; the AES header has its own tests.
func mockClient(t *testing.T, opts ...kyc.Option) (*atlas.Client, *httpmock.MockTransport) {
	t.Helper()
	hc, mt := testutil.MockHTTP(t)
	c, err := atlas.New(atlas.Config{KeyID: "k-test", KeySecret: kyc.NewSecret("s-test"), Auth: atlas.AuthBasic},
		append([]kyc.Option{kyc.WithHTTPClient(hc), kyc.WithBaseURL(base), kyc.WithRetry(0, 0)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, mt
}

type methodCase struct {
	name, method, path string
	fixture            string // a success body (a fixture name, or inline JSON)
	call               func(ctx context.Context, t *testing.T, c *atlas.Client) error
}

func methods(t *testing.T) []methodCase {
	img := mustImage(t, "")
	return []methodCase{
		{"EnrolFace", "POST", "/face/enrol", "enrol.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.EnrolFace(ctx, img)
			return err
		}},
		{"CompareFaces", "POST", "/face/compare", "face_compare.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.CompareFaces(ctx, img, img)
			return err
		}},
		{"VerifyFace", "POST", "/face/verify", "face_compare.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.VerifyFace(ctx, "00b85b02_477a300c", img)
			return err
		}},
		{"FetchFace", "GET", "/face/fetch", "", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.FetchFace(ctx, "00b85b02_477a300c")
			return err
		}},
		{"DeleteFace", "GET", "/face/delete", `{"status":"success","data":{"deleted":true},"error":null}`, func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			return c.DeleteFace(ctx, "00b85b02_477a300c")
		}},
		{"VideoChallenge", "GET", "/video/challenge", "video_challenge.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.VideoChallenge(ctx, 2)
			return err
		}},
		{"VerifyPAN", "POST", "/verify/pan", "pan_valid.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.VerifyPAN(ctx, "ABCDE1234F")
			return err
		}},
		{"VerifyGSTIN", "POST", "/verify/gstin", "gstin.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.VerifyGSTIN(ctx, "27ABCDE1234F1Z5")
			return err
		}},
		{"VerifyBankAccount", "POST", "/verify/bank_advanced", "bank_success.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.VerifyBankAccount(ctx, atlas.BankAccount{AccountNumber: "123456789012", IFSC: "SBIN0000001", Name: "Rahul Sharma"})
			return err
		}},
		{"VerifyPassport", "POST", "/verify/passport", "gstin.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.VerifyPassport(ctx, url.Values{"file_number": {"MH1234567890123"}})
			return err
		}},
		{"PANToAadhaar", "POST", "/verify/pantoadr", "gstin.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.PANToAadhaar(ctx, "ABCDE1234F")
			return err
		}},
		{"VerifyMSME", "POST", "/verify/msme", "gstin.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.VerifyMSME(ctx, "UDYAM-MH-01-0000001")
			return err
		}},
		{"VerificationStatus", "GET", "/verify/status", "gstin.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.VerificationStatus(ctx, "gstin", "v-1")
			return err
		}},
		{"AadhaarOTP", "POST", "/aadhaar/aadhaar_otp", "aadhaar_otp.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.AadhaarOTP(ctx, "2345 6789 0123")
			return err
		}},
		{"AadhaarKYC", "POST", "/aadhaar/aadhaar_kyc", "gstin.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.AadhaarKYC(ctx, "otp-1234", "123456")
			return err
		}},
		{"MaskAadhaar", "POST", "/aadhaar/mask", "", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.MaskAadhaar(ctx, img)
			return err
		}},
		{"ESignRequest", "POST", "/esign/request", "esign_status.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.ESignRequest(ctx, atlas.ESignParams{Fields: url.Values{"signer_name": {"R"}}, Document: []byte("%PDF-1.4\n%%EOF")})
			return err
		}},
		{"ESignStatus", "POST", "/esign/status", "esign_status.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			_, err := c.ESignStatus(ctx, "es-1")
			return err
		}},
		{"Call", "POST", "/digilocker/aadhaar_xml", "gstin.json", func(ctx context.Context, t *testing.T, c *atlas.Client) error {
			var out map[string]any
			_, err := c.Call(ctx, "POST", "/digilocker/aadhaar_xml", nil, url.Values{"x": {"1"}}, &out)
			return err
		}},
	}
}

func successBody(t *testing.T, m methodCase) httpmock.Responder {
	switch {
	case m.fixture == "":
		return httpmock.NewBytesResponder(200, kyctest.MagicImage("answer", 0))
	case strings.HasPrefix(m.fixture, "{"):
		return httpmock.NewStringResponder(200, m.fixture)
	}
	return httpmock.NewBytesResponder(200, testutil.Fixture(t, m.fixture))
}

func TestEveryMethodFailurePaths(t *testing.T) {
	for _, m := range methods(t) {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			c, mt := mockClient(t)
			target := m.method + " " + base + m.path

			mt.RegisterResponder(m.method, base+m.path, successBody(t, m))
			require.NoError(t, m.call(ctx, t, c), "success")

			mt.RegisterResponder(m.method, base+m.path, httpmock.NewBytesResponder(500, testutil.Fixture(t, "error_500.json")))
			err := m.call(ctx, t, c)
			require.ErrorIs(t, err, kyc.ErrUnavailable, "5xx")
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, "500", kerr.Code)
			assert.Equal(t, "atlas."+m.name, kerr.Op)
			assert.Equal(t, 500, kerr.StatusCode)
			assert.NotEmpty(t, kerr.RequestID, "the request_id sent is kept for support")

			mt.RegisterResponder(m.method, base+m.path, httpmock.NewStringResponder(200, `{"status": "succ<html>`))
			assert.ErrorIs(t, m.call(ctx, t, c), kyc.ErrBadResponse, "malformed JSON")

			mt.RegisterResponder(m.method, base+m.path, httpmock.NewBytesResponder(200, testutil.Fixture(t, "error_400.json")))
			err = m.call(ctx, t, c)
			require.ErrorIs(t, err, kyc.ErrInvalidRequest, "vendor error inside a 200")
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, "400", kerr.Code)
			assert.Equal(t, 200, kerr.StatusCode)

			before := mt.GetCallCountInfo()[target]
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			err = m.call(cctx, t, c)
			assert.ErrorIs(t, err, context.Canceled, "cancelled context")
			assert.ErrorIs(t, err, kyc.ErrTimeout)
			assert.Equal(t, before, mt.GetCallCountInfo()[target], "nothing sent after cancellation")
		})
	}
}

func TestDocumentedErrorCodes(t *testing.T) {
	hints := map[string]string{"400": "missing parameters", "401": "API token", "403": "permissions", "404": "formatted the url",
		"405": "POST method", "408": "not connected", "413": "100 mb", "414": "Please check URL", "415": "content-type",
		"429": "retry after", "500": "try again", "502": "invalid response", "503": "maintenance", "505": "http version"}
	kinds := map[string]error{"400": kyc.ErrInvalidRequest, "401": kyc.ErrUnauthorized, "403": kyc.ErrForbidden,
		"404": kyc.ErrNotFound, "405": kyc.ErrInvalidRequest, "408": kyc.ErrTimeout, "413": kyc.ErrInvalidRequest,
		"414": kyc.ErrInvalidRequest, "415": kyc.ErrInvalidRequest, "429": kyc.ErrRateLimited, "500": kyc.ErrUnavailable,
		"502": kyc.ErrUnavailable, "503": kyc.ErrUnavailable, "505": kyc.ErrInvalidRequest}
	require.Len(t, kinds, 14, "every code of the docs' table")
	for code, kind := range kinds {
		for _, status := range []int{0, 200} { // the code as the HTTP status, and inside a 200
			t.Run(code+"/"+http.StatusText(status), func(t *testing.T) {
				c, mt := mockClient(t)
				st := status
				if st == 0 {
					st = atoi(code)
				}
				mt.RegisterResponder("POST", base+"/verify/pan", httpmock.NewBytesResponder(st, testutil.Fixture(t, "error_"+code+".json")))
				_, err := c.VerifyPAN(context.Background(), "ABCDE1234F")
				require.ErrorIs(t, err, kind)
				var kerr *kyc.Error
				require.ErrorAs(t, err, &kerr)
				assert.Equal(t, code, kerr.Code)
				assert.Equal(t, st, kerr.StatusCode)
				assert.Contains(t, kerr.Message, hints[code], "the docs' what-to-do is in the message")
				assert.Equal(t, atlas.Hint(code), kerr.Message[len(kerr.Message)-len(atlas.Hint(code)):])
				assert.NotContains(t, err.Error(), "frslabs.com", "Error() redacts addresses")
			})
		}
	}
	t.Run("bare status without body", func(t *testing.T) {
		c, mt := mockClient(t)
		mt.RegisterResponder("POST", base+"/verify/pan", httpmock.NewStringResponder(403, "<html>Forbidden</html>"))
		_, err := c.VerifyPAN(context.Background(), "ABCDE1234F")
		require.ErrorIs(t, err, kyc.ErrForbidden)
		assert.Contains(t, err.Error(), "Client does not have the necessary permissions")
	})
	t.Run("429 carries Retry-After", func(t *testing.T) {
		c, mt := mockClient(t)
		resp := httpmock.NewBytesResponse(429, testutil.Fixture(t, "error_429.json"))
		resp.Header.Set("Retry-After", "7")
		mt.RegisterResponder("POST", base+"/verify/pan", httpmock.ResponderFromResponse(resp))
		_, err := c.VerifyPAN(context.Background(), "ABCDE1234F")
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr)
		assert.Equal(t, 7*time.Second, kerr.RetryAfter)
		assert.True(t, kyc.IsRetryable(err))
	})
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestFixturesMapped(t *testing.T) {
	ctx := context.Background()
	t.Run("documented error body", func(t *testing.T) {
		env, err := atlas.DecodeEnvelope(testutil.Fixture(t, "error_500.json"))
		require.NoError(t, err)
		assert.True(t, env.Failed())
		assert.Equal(t, &atlas.APIError{Code: "500", Message: "Internal server error."}, env.Error)
		assert.Equal(t, int64(1595488026806), env.ResponseTimestamp.UnixMilli())
		assert.Nil(t, env.Data)
	})
	t.Run("PAN valid", func(t *testing.T) {
		c, mt := mockClient(t)
		// Registered with its query: only the normalized PAN in the query matches.
		mt.RegisterResponder("POST", base+"/verify/pan?pan_number=ABCDE1234F", httpmock.NewBytesResponder(200, testutil.Fixture(t, "pan_valid.json")))
		p, err := c.VerifyPAN(ctx, " abcde1234f ")
		require.NoError(t, err)
		assert.True(t, p.Valid())
		assert.Equal(t, atlas.PANValid, p.Status)
		assert.Equal(t, "RAHUL KUMAR SHARMA", p.FullName())
		assert.Equal(t, "Shri", p.Title)
		assert.Equal(t, time.Date(2021, 3, 15, 0, 0, 0, 0, time.UTC), p.LastUpdated)
		assert.True(t, p.AadhaarSeeded())
		assert.NotEmpty(t, p.RequestID)
		assert.JSONEq(t, string(testutil.Fixture(t, "pan_valid.json")), string(p.Raw))
	})
	t.Run("PAN invalid is a result", func(t *testing.T) {
		c, mt := mockClient(t)
		mt.RegisterResponder("POST", base+"/verify/pan", httpmock.NewBytesResponder(200, testutil.Fixture(t, "pan_invalid.json")))
		p, err := c.VerifyPAN(ctx, "ABCDE1234F")
		require.NoError(t, err)
		assert.False(t, p.Valid())
		assert.Equal(t, atlas.PANInvalid, p.Status)
	})
	t.Run("bank", func(t *testing.T) {
		c, mt := mockClient(t)
		var q url.Values
		mt.RegisterResponder("POST", base+"/verify/bank_advanced", func(r *http.Request) (*http.Response, error) {
			q = r.URL.Query()
			return httpmock.NewBytesResponse(200, testutil.Fixture(t, "bank_success.json")), nil
		})
		b, err := c.VerifyBankAccount(ctx, atlas.BankAccount{AccountNumber: "123456789012", IFSC: "sbin0000001", Name: "Rahul Kumar Sharma"})
		require.NoError(t, err)
		assert.True(t, b.AccountExists())
		assert.Equal(t, "RAHUL KUMAR SHARMA", b.BeneficiaryName)
		assert.Equal(t, "SUCCESS", b.NameMatchStatus)
		s, ok := b.NameMatchScore.Value()
		assert.True(t, ok)
		assert.InDelta(t, 0.925, s, 1e-9)
		assert.Equal(t, url.Values{"acc_number": {"123456789012"}, "ifsc": {"SBIN0000001"}, "name_n_match": {"1"},
			"name_1_match": {"Rahul Kumar Sharma"}, "fuzzy_match": {"1"}}, q)
	})
	t.Run("face compare (inferred shape)", func(t *testing.T) {
		c, mt := mockClient(t)
		mt.RegisterResponder("POST", base+"/face/compare", httpmock.NewBytesResponder(200, testutil.Fixture(t, "face_compare.json")))
		m, err := c.CompareFaces(ctx, mustImage(t, "a"), mustImage(t, "b"))
		require.NoError(t, err)
		s, ok := m.Score.Value()
		assert.True(t, ok)
		assert.InDelta(t, 0.912, s, 1e-9)
		require.NotNil(t, m.Matched)
		assert.True(t, *m.Matched)
		assert.False(t, m.NoFace)

		mt.RegisterResponder("POST", base+"/face/compare", httpmock.NewBytesResponder(200, testutil.Fixture(t, "face_noface.json")))
		m, err = c.CompareFaces(ctx, mustImage(t, "a"), mustImage(t, "b"))
		require.NoError(t, err)
		assert.True(t, m.NoFace)
	})
	t.Run("enrol, challenge, otp, gstin, esign", func(t *testing.T) {
		c, mt := mockClient(t)
		for path, fx := range map[string]string{"/face/enrol": "enrol.json", "/aadhaar/aadhaar_otp": "aadhaar_otp.json",
			"/verify/gstin": "gstin.json", "/esign/status": "esign_status.json"} {
			mt.RegisterResponder("POST", base+path, httpmock.NewBytesResponder(200, testutil.Fixture(t, fx)))
		}
		mt.RegisterResponder("GET", base+"/video/challenge", httpmock.NewBytesResponder(200, testutil.Fixture(t, "video_challenge.json")))
		e, err := c.EnrolFace(ctx, mustImage(t, ""))
		require.NoError(t, err)
		assert.Equal(t, "00b85b02_477a300c-5290-4d25-ad4b-e523327d174b", e.FaceID)
		v, err := c.VideoChallenge(ctx, 2)
		require.NoError(t, err)
		assert.Equal(t, []string{"1379", "2758"}, v.Challenges)
		assert.Equal(t, "ch-1", v.ID)
		o, err := c.AadhaarOTP(ctx, "234567890123")
		require.NoError(t, err)
		assert.Equal(t, "otp-1234", o.ID)
		assert.Equal(t, "SENT", o.Status)
		g, err := c.VerifyGSTIN(ctx, "27ABCDE1234F1Z5")
		require.NoError(t, err)
		assert.Equal(t, "ACTIVE", g.Status)
		assert.Equal(t, "SHARMA TRADERS", g.Fields["legal_name"])
		s, err := c.ESignStatus(ctx, "es-5f1c2d3e-0000-4000-8000-000000000001")
		require.NoError(t, err)
		assert.True(t, s.Completed())
		assert.Contains(t, s.DownloadLink, "download/signed/document")
	})
}

func TestWireFormat(t *testing.T) {
	hc, mt := testutil.MockHTTP(t)
	c, err := atlas.New(atlas.Config{KeyID: "k", KeySecret: kyc.NewSecret("s"), Auth: atlas.AuthBasic},
		kyc.WithHTTPClient(hc), kyc.WithBaseURL("https://api.example.test/v2/prod/"))
	require.NoError(t, err)
	var got *http.Request
	var parts map[string][]byte
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		got = r
		parts = map[string][]byte{}
		if mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
			mr := multipart.NewReader(r.Body, params["boundary"])
			for {
				p, err := mr.NextPart()
				if err != nil {
					break
				}
				b, _ := io.ReadAll(p)
				parts[p.FormName()] = b
			}
		}
		return httpmock.NewBytesResponse(200, testutil.Fixture(t, "face_compare.json")), nil
	})
	a, b := kyctest.MagicImage("one", 0), kyctest.MagicImage("two", 0)
	ia, _ := kyc.ImageFromBytes(a)
	ib, _ := kyc.ImageFromBytes(b)
	_, err = c.CompareFaces(context.Background(), ia, ib)
	require.NoError(t, err)
	assert.Equal(t, "/v2/prod/face/compare", got.URL.Path, "joined without a double slash")
	assert.Equal(t, a, parts["face_image_1"])
	assert.Equal(t, b, parts["face_image_2"])
	assert.Equal(t, "POST", got.Method)
}

func TestBadInputRefusedBeforeSending(t *testing.T) {
	ctx := context.Background()
	c, mt := mockClient(t)
	img := mustImage(t, "")
	empty := &kyc.Image{}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"malformed PAN", func() error { _, err := c.VerifyPAN(ctx, "ABCDE1234"); return err }, "pan_number"},
		{"PAN with digits first", func() error { _, err := c.VerifyPAN(ctx, "1BCDE1234F"); return err }, "pan_number"},
		{"empty face image", func() error { _, err := c.CompareFaces(ctx, empty, img); return err }, "face_image_1"},
		{"nil face image", func() error { _, err := c.CompareFaces(ctx, img, nil); return err }, "face_image_2"},
		{"empty enrol image", func() error { _, err := c.EnrolFace(ctx, empty); return err }, "face_image"},
		{"no face id", func() error { _, err := c.VerifyFace(ctx, "", img); return err }, "face_id"},
		{"GSTIN", func() error { _, err := c.VerifyGSTIN(ctx, "27ABCDE1234F1X5"); return err }, "gst_number"},
		{"IFSC", func() error {
			_, err := c.VerifyBankAccount(ctx, atlas.BankAccount{AccountNumber: "123456789", IFSC: "SBIN1000001"})
			return err
		}, "IFSC"},
		{"Aadhaar", func() error { _, err := c.AadhaarOTP(ctx, "123456789012"); return err }, "aadhaar_number"},
		{"OTP", func() error { _, err := c.AadhaarKYC(ctx, "id", "12345"); return err }, "otp"},
		{"Udyam", func() error { _, err := c.VerifyMSME(ctx, "UDYAM-MH-1-0000001"); return err }, "udyam_no"},
		{"challenges", func() error { _, err := c.VideoChallenge(ctx, 0); return err }, "no_of_challenges"},
		{"eSign document", func() error { _, err := c.ESignRequest(ctx, atlas.ESignParams{}); return err }, "Document"},
		{"Verify malformed PAN", func() error {
			_, err := c.Verify(ctx, kyc.Request{Document: kyc.Document{Type: kyc.DocumentPAN, Number: "ABCDE1234", Front: img}, Selfie: img})
			return err
		}, "Document.Number"},
		{"Verify empty selfie", func() error {
			_, err := c.Verify(ctx, kyc.Request{Document: kyc.Document{Type: kyc.DocumentPAN, Number: "ABCDE1234F", Front: img}, Selfie: empty})
			return err
		}, "Selfie"},
		{"Verify without selfie", func() error {
			_, err := c.Verify(ctx, kyc.Request{Document: kyc.Document{Front: img}})
			return err
		}, "Selfie"},
		{"Verify PAN outside India", func() error {
			_, err := c.Verify(ctx, kyc.Request{Country: "USA", Document: kyc.Document{Type: kyc.DocumentPAN, Number: "ABCDE1234F", Front: img}, Selfie: img})
			return err
		}, "Country"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.True(t, errors.As(err, &kerr))
			assert.Equal(t, tt.field, kerr.Field)
			assert.Equal(t, kyc.Atlas, kerr.Provider)
		})
	}
	assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent")
}

func TestRetryModes(t *testing.T) {
	ctx := context.Background()
	c, mt := mockClient(t, kyc.WithRetry(2, 10*time.Millisecond))
	mt.RegisterResponder("POST", base+"/verify/pan", httpmock.NewBytesResponder(502, testutil.Fixture(t, "error_502.json")))
	mt.RegisterResponder("GET", base+"/verify/status", httpmock.NewBytesResponder(502, testutil.Fixture(t, "error_502.json")))
	_, err := c.VerifyPAN(ctx, "ABCDE1234F")
	require.ErrorIs(t, err, kyc.ErrUnavailable)
	_, err = c.VerificationStatus(ctx, "pan", "1")
	require.ErrorIs(t, err, kyc.ErrUnavailable)
	info := mt.GetCallCountInfo()
	assert.Equal(t, 1, info["POST "+base+"/verify/pan"], "a billed call is not resent after a 502")
	assert.Equal(t, 3, info["GET "+base+"/verify/status"], "a read is retried")
}

func TestResultUnsupported(t *testing.T) {
	c, _ := mockClient(t)
	_, err := c.Result(context.Background(), "atlas:abc123")
	assert.ErrorIs(t, err, kyc.ErrUnsupported)
	_, err = c.Result(context.Background(), "incode:abc")
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
	_, err = c.Result(context.Background(), "nope")
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
}
