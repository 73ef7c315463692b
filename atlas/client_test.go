package atlas_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
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

// mock returns a client on httpmock. Basic auth keeps the wire tests
// free of PBKDF2's cost; the AES header has its own tests.
func mock(t *testing.T, opts ...kyc.Option) (*atlas.Client, *httpmock.MockTransport) {
	t.Helper()
	hc, mt := testutil.MockHTTP(t)
	c, err := atlas.New(atlas.Config{KeyID: "k-test", KeySecret: kyc.NewSecret("s-test"), Auth: atlas.AuthBasic},
		append([]kyc.Option{kyc.WithHTTPClient(hc), kyc.WithBaseURL(base), kyc.WithRetry(0, 0)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, mt
}

// fixtures is a success body per operation: a fixture name, inline JSON,
// or "" for an image answer.
var fixtures = map[string]string{
	"atlas.EnrolFace": "enrol.json", "atlas.CompareFaces": "face_compare.json", "atlas.VerifyFace": "face_compare.json",
	"atlas.FetchFace": "", "atlas.DeleteFace": `{"status":"success","data":{"deleted":true},"error":null}`,
	"atlas.VideoChallenge": "video_challenge.json", "atlas.VerifyPAN": "pan_valid.json", "atlas.VerifyGSTIN": "gstin.json",
	"atlas.VerifyBankAccount": "bank_success.json", "atlas.VerifyPassport": "gstin.json", "atlas.PANToAadhaar": "gstin.json",
	"atlas.VerifyMSME": "gstin.json", "atlas.VerificationStatus": "gstin.json", "atlas.AadhaarOTP": "aadhaar_otp.json",
	"atlas.AadhaarKYC": "gstin.json", "atlas.MaskAadhaar": "", "atlas.ESignRequest": "esign_status.json",
	"atlas.ESignStatus": "esign_status.json",
}

func successBody(t *testing.T, fixture string) httpmock.Responder {
	switch {
	case fixture == "":
		return httpmock.NewBytesResponder(200, kyctest.MagicImage("answer", 0))
	case strings.HasPrefix(fixture, "{"):
		return httpmock.NewStringResponder(200, fixture)
	}
	return httpmock.NewBytesResponder(200, testutil.Fixture(t, fixture))
}

// TestEveryMethodOnTheWire sends every typed method as its operation
// declares it, and checks what FailurePaths does not: the request_id sent
// is kept on an error, and nothing is sent after the context ended.
func TestEveryMethodOnTheWire(t *testing.T) {
	t.Parallel()
	ops := map[string]kyc.Operation{}
	for _, op := range atlas.Operations() {
		ops[op.Name] = op
	}
	for _, m := range typedMethods(t) {
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			op, ok := ops[m.Name]
			require.True(t, ok)
			fixture, ok := fixtures[m.Name]
			require.True(t, ok, "a success body for %s", m.Name)
			ctx := context.Background()
			c, mt := mock(t)
			target := op.Method + " " + base + op.Path
			mt.RegisterResponder(op.Method, base+op.Path, successBody(t, fixture))
			require.NoError(t, m.Call(ctx, c), "success")
			assert.Equal(t, 1, mt.GetCallCountInfo()[target], "sent as %s %s", op.Method, op.Path)

			mt.RegisterResponder(op.Method, base+op.Path, httpmock.NewBytesResponder(500, testutil.Fixture(t, "error_500.json")))
			err := m.Call(ctx, c)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, "500", kerr.Code)
			assert.Len(t, kerr.RequestID, 22, "the request_id sent is kept for support")
			assert.Contains(t, kerr.Message, "Internal server error.", "the docs' text for the code")

			before := mt.GetCallCountInfo()[target]
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			assert.ErrorIs(t, m.Call(cctx, c), context.Canceled)
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
				c, mt := mock(t)
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
				assert.Contains(t, err.Error(), atlas.Hint(code), "the SDK's own text, the vendor's support address included, stays intact")
			})
		}
	}
	t.Run("bare status without body", func(t *testing.T) {
		c, mt := mock(t)
		mt.RegisterResponder("POST", base+"/verify/pan", httpmock.NewStringResponder(403, "<html>Forbidden</html>"))
		_, err := c.VerifyPAN(context.Background(), "ABCDE1234F")
		require.ErrorIs(t, err, kyc.ErrForbidden)
		assert.Contains(t, err.Error(), "Client does not have the necessary permissions")
	})
	t.Run("429 carries Retry-After", func(t *testing.T) {
		c, mt := mock(t)
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
		assert.Equal(t, &atlas.ErrorBody{Code: "500", Message: "Internal server error."}, env.Error)
		assert.Equal(t, int64(1595488026806), env.ResponseTimestamp.UnixMilli())
		assert.Nil(t, env.Data)
	})
	t.Run("PAN valid", func(t *testing.T) {
		c, mt := mock(t)
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
		c, mt := mock(t)
		mt.RegisterResponder("POST", base+"/verify/pan", httpmock.NewBytesResponder(200, testutil.Fixture(t, "pan_invalid.json")))
		p, err := c.VerifyPAN(ctx, "ABCDE1234F")
		require.NoError(t, err)
		assert.False(t, p.Valid())
		assert.Equal(t, atlas.PANInvalid, p.Status)
	})
	t.Run("bank", func(t *testing.T) {
		c, mt := mock(t)
		var q url.Values
		mt.RegisterResponder("POST", base+"/verify/bank_advanced", func(r *http.Request) (*http.Response, error) {
			q = r.URL.Query()
			return httpmock.NewBytesResponse(200, testutil.Fixture(t, "bank_success.json")), nil
		})
		b, err := c.VerifyBankAccount(ctx, atlas.BankAccountRequest{AccountNumber: "123456789012", IFSC: "sbin0000001", Name: "Rahul Kumar Sharma"})
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
		c, mt := mock(t)
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
		c, mt := mock(t)
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
	c, mt := mock(t)
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
			_, err := c.VerifyBankAccount(ctx, atlas.BankAccountRequest{AccountNumber: "123456789", IFSC: "SBIN1000001"})
			return err
		}, "IFSC"},
		{"Aadhaar", func() error { _, err := c.AadhaarOTP(ctx, "123456789012"); return err }, "aadhaar_number"},
		{"OTP", func() error { _, err := c.AadhaarKYC(ctx, "id", "12345"); return err }, "otp"},
		{"Udyam", func() error { _, err := c.VerifyMSME(ctx, "UDYAM-MH-1-0000001"); return err }, "udyam_no"},
		{"challenges", func() error { _, err := c.VideoChallenge(ctx, 0); return err }, "no_of_challenges"},
		{"eSign document", func() error { _, err := c.ESignRequest(ctx, atlas.ESignRequest{}); return err }, "Document"},
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
			assert.EqualValues(t, tt.field, kerr.Field)
			assert.Equal(t, kyc.Atlas, kerr.Provider)
		})
	}
	assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent")
}

// TestResendPolicyByClass: each operation is resent as its class allows
// under the default retries.
func TestResendPolicyByClass(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		call   func(ctx context.Context, c *atlas.Client) error
		target string
		sends  int
	}{
		{"messaging: AadhaarOTP is not resent after a 503", 503, func(ctx context.Context, c *atlas.Client) error {
			_, err := c.AadhaarOTP(ctx, "234567890123")
			return err
		}, "POST " + base + "/aadhaar/aadhaar_otp", 1},
		{"messaging: AadhaarOTP is not resent after a 429", 429, func(ctx context.Context, c *atlas.Client) error {
			_, err := c.AadhaarOTP(ctx, "234567890123")
			return err
		}, "POST " + base + "/aadhaar/aadhaar_otp", 1},
		{"billed: VerifyPAN is resent after a 503 (refused unprocessed)", 503, func(ctx context.Context, c *atlas.Client) error {
			_, err := c.VerifyPAN(ctx, "ABCDE1234F")
			return err
		}, "POST " + base + "/verify/pan", 3},
		{"billed: VerifyPAN is not resent after a 502", 502, func(ctx context.Context, c *atlas.Client) error {
			_, err := c.VerifyPAN(ctx, "ABCDE1234F")
			return err
		}, "POST " + base + "/verify/pan", 1},
		{"billed: VerifyBankAccount is not resent after a 500", 500, func(ctx context.Context, c *atlas.Client) error {
			_, err := c.VerifyBankAccount(ctx, atlas.BankAccountRequest{AccountNumber: "123456789012", IFSC: "SBIN0000001"})
			return err
		}, "POST " + base + "/verify/bank_advanced", 1},
		{"free: VerificationStatus is retried after a 502", 502, func(ctx context.Context, c *atlas.Client) error {
			_, err := c.VerificationStatus(ctx, "pan", "1")
			return err
		}, "GET " + base + "/verify/status", 3},
		{"free: ESignStatus (a POST) is retried after a 504", 504, func(ctx context.Context, c *atlas.Client) error {
			_, err := c.ESignStatus(ctx, "es-1")
			return err
		}, "POST " + base + "/esign/status", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t, kyc.WithRetry(2, time.Millisecond))
			method, url, _ := strings.Cut(tt.target, " ")
			mt.RegisterResponder(method, url, httpmock.NewStringResponder(tt.status, `{"status":"failed","data":null,"error":{"code":"`+strconv.Itoa(tt.status)+`","message":"x"}}`))
			require.Error(t, tt.call(context.Background(), c))
			assert.Equal(t, tt.sends, mt.GetCallCountInfo()[tt.target])
		})
	}
}

// TestResultRefChecked: a Reference's id must be a request_id of this
// package (22 letters and digits) before anything happens.
func TestResultRefChecked(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	ctx := context.Background()
	_, err := c.Result(ctx, "atlas:0lx3k2v9aB3dE5f0001a01")
	assert.ErrorIs(t, err, kyc.ErrUnsupported)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.True(t, kerr.NotSent)
	for _, ref := range []string{"incode:abc", "nope", "atlas:abc123", "atlas:0lx3k2v9aB3dE5f0001a0-", "atlas:" + strings.Repeat("a", 200_000),
		"atlas:0lx3k2v9aB3dE5f0001a0\x00", "atlas:../../0lx3k2v9aB3dE5f00"} {
		_, err := c.Result(ctx, ref)
		require.ErrorIs(t, err, kyc.ErrInvalidRequest, "%.40q", ref)
		require.ErrorAs(t, err, &kerr)
		assert.EqualValues(t, "ref", kerr.Field)
		assert.True(t, kerr.NotSent)
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestGenericCall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("url.Values are the query; out gets data", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t)
		var got *http.Request
		mt.RegisterResponder("GET", base+"/digilocker/status", func(r *http.Request) (*http.Response, error) {
			got = r
			return httpmock.NewBytesResponse(200, testutil.Fixture(t, "gstin.json")), nil
		})
		var out struct {
			Status string `json:"gstin_status"`
		}
		err := c.Call(ctx, kyc.Operation{Method: "GET", Path: "/digilocker/status", Class: kyc.ClassFree}, url.Values{"id": {"d-1"}}, &out)
		require.NoError(t, err)
		assert.Equal(t, "ACTIVE", out.Status)
		assert.Equal(t, "d-1", got.URL.Query().Get("id"))
		assert.Len(t, got.Header["request_id"], 1, "a request_id per attempt") //lint:ignore SA1008 sent as the docs spell it
		assert.NotEmpty(t, got.Header.Get("Authorization"))
	})
	t.Run("*Envelope receives the whole envelope", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t)
		mt.RegisterResponder("POST", base+"/verify/pan", httpmock.NewBytesResponder(200, testutil.Fixture(t, "pan_valid.json")))
		var env atlas.Envelope
		require.NoError(t, c.Call(ctx, kyc.Operation{Method: "POST", Path: "/verify/pan"}, url.Values{"pan_number": {"ABCDE1234F"}}, &env))
		assert.Equal(t, "success", env.Status)
		assert.Contains(t, string(env.Data), "pan_status")
	})
	t.Run("Form, parts and JSON bodies", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t)
		var types []string
		mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			mtype, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			types = append(types, mtype)
			return httpmock.NewBytesResponse(200, testutil.Fixture(t, "gstin.json")), nil
		})
		op := kyc.Operation{Name: "atlas.DigiLocker", Method: "POST", Path: "/digilocker/aadhaar_xml"}
		require.NoError(t, c.Call(ctx, op, atlas.Form{"x": {"1"}}, nil))
		require.NoError(t, c.Call(ctx, op, []atlas.Part{{Name: "file", Image: mustImage(t, "")}, {Name: "note", Value: "n"}}, nil))
		require.NoError(t, c.Call(ctx, op, map[string]string{"a": "b"}, nil))
		assert.Equal(t, []string{"application/x-www-form-urlencoded", "multipart/form-data", "application/json"}, types)
	})
	t.Run("billed by default: not resent after a 502", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t, kyc.WithRetry(2, time.Millisecond))
		mt.RegisterResponder("POST", base+"/ocr/doc", httpmock.NewBytesResponder(502, testutil.Fixture(t, "error_502.json")))
		err := c.Call(ctx, kyc.Operation{Path: "/ocr/doc"}, map[string]string{"a": "b"}, nil)
		require.ErrorIs(t, err, kyc.ErrUnavailable)
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr)
		assert.Equal(t, "atlas.Call", kerr.Op)
		assert.Equal(t, "502", kerr.Code)
		assert.Equal(t, 1, mt.GetTotalCallCount())
	})
	t.Run("vendor error in a 200, bad path, bad part", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t)
		mt.RegisterNoResponder(httpmock.NewBytesResponder(200, testutil.Fixture(t, "error_403.json")))
		assert.ErrorIs(t, c.Call(ctx, kyc.Operation{Path: "/x"}, nil, nil), kyc.ErrForbidden)
		assert.ErrorIs(t, c.Call(ctx, kyc.Operation{Path: "https://evil.example/x"}, nil, nil), kyc.ErrInvalidRequest)
		assert.ErrorIs(t, c.Call(ctx, kyc.Operation{Path: "/x"}, []atlas.Part{{Name: "file", Image: &kyc.Image{}}}, nil), kyc.ErrInvalidRequest)
		assert.Equal(t, 1, mt.GetTotalCallCount())
	})
}

// TestBOMBodiesDecode: a UTF-8 BOM or an XSSI guard before the JSON does
// not turn a charged, successful answer into ErrBadResponse.
func TestBOMBodiesDecode(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{"\xef\xbb\xbf", ")]}',\n"} {
		c, mt := mock(t)
		mt.RegisterResponder("POST", base+"/verify/pan", httpmock.NewBytesResponder(200, append([]byte(prefix), testutil.Fixture(t, "pan_valid.json")...)))
		p, err := c.VerifyPAN(context.Background(), "ABCDE1234F")
		require.NoError(t, err, "%q", prefix)
		assert.True(t, p.Valid())
		assert.True(t, json.Valid(p.Raw), "Raw is JSON")
	}
}

// personal is what the query strings carry, which no error may hold.
var personal = []string{"234567890123", "123456789012", "SBIN0000001", "Rahul Kumar Sharma", "Rahul+Kumar+Sharma", "Rahul%20Kumar", "ABCDE1234F"}

// TestNoPersonalDataInErrors: Atlas sends aadhaar_number, acc_number,
// ifsc, name_1_match and the PAN in query strings. No error of any kind,
// nor any error of its Unwrap chain, may carry them.
func TestNoPersonalDataInErrors(t *testing.T) {
	t.Parallel()
	calls := map[string]func(ctx context.Context, c *atlas.Client) error{
		"AadhaarOTP": func(ctx context.Context, c *atlas.Client) error {
			_, err := c.AadhaarOTP(ctx, "234567890123")
			return err
		},
		"VerifyBankAccount": func(ctx context.Context, c *atlas.Client) error {
			_, err := c.VerifyBankAccount(ctx, atlas.BankAccountRequest{AccountNumber: "123456789012", IFSC: "SBIN0000001", Name: "Rahul Kumar Sharma"})
			return err
		},
		"VerifyPAN": func(ctx context.Context, c *atlas.Client) error { _, err := c.VerifyPAN(ctx, "ABCDE1234F"); return err },
	}
	echo := `{"status":"failed","data":null,"error":{"code":"400","message":"bad 234567890123 123456789012 SBIN0000001 Rahul Kumar Sharma ABCDE1234F"}}`
	faults := map[string]http.HandlerFunc{
		"500 echoing the input":          func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500); _, _ = io.WriteString(w, echo) },
		"vendor error echoing the input": func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, echo) },
		"HTML page echoing the input": func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(502)
			_, _ = io.WriteString(w, "<html>Dear Rahul Kumar Sharma, ABCDE1234F failed</html>")
		},
		"malformed": func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, `{"data": "ABCDE1234F`) },
		"attempt timeout": func(w http.ResponseWriter, r *http.Request) {
			select { // the client gives up after 200 ms
			case <-r.Context().Done():
			case <-time.After(time.Second):
			}
		},
		"reset": func(w http.ResponseWriter, _ *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		},
	}
	for name, call := range calls {
		for fault, h := range faults {
			t.Run(name+"/"+fault, func(t *testing.T) {
				t.Parallel()
				srv := httptest.NewServer(h)
				t.Cleanup(srv.Close)
				c, err := atlas.New(atlas.Config{KeyID: "k", KeySecret: kyc.NewSecret("s"), Auth: atlas.AuthBasic},
					kyc.WithBaseURL(srv.URL), kyc.WithRetry(0, 0), kyc.WithTimeout(200*time.Millisecond))
				require.NoError(t, err)
				assertNoPersonalData(t, call(context.Background(), c))
			})
		}
		t.Run(name+"/refused", func(t *testing.T) {
			t.Parallel()
			c, err := atlas.New(atlas.Config{KeyID: "k", KeySecret: kyc.NewSecret("s"), Auth: atlas.AuthBasic},
				kyc.WithBaseURL("http://127.0.0.1:1"), kyc.WithRetry(0, 0))
			require.NoError(t, err)
			assertNoPersonalData(t, call(context.Background(), c))
		})
	}
}

func assertNoPersonalData(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	texts := []string{err.Error(), fmt.Sprintf("%v %+v %#v %s", err, err, err, err), kerr.Message}
	var walk func(e error)
	walk = func(e error) {
		if e == nil {
			return
		}
		texts = append(texts, e.Error())
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	for _, text := range texts {
		for _, p := range personal {
			assert.NotContains(t, text, p, "an error in the chain of %v", err)
		}
	}
}
