package advanceai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

const (
	urlToken    = DefaultBaseURL + PathGenerateToken
	urlGenerate = DefaultBaseURL + PathGenerateURL
	urlResult   = DefaultBaseURL + PathGetResult
	// fixtureToken is the token in testdata/token_success.json.
	fixtureToken = "eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJoNV9saXZlbmVzcyIsInN1YiI6IntcImN1c3RvbWVySWRcIjo1NTAwMDI4MixcImFjY291bnRJZFwiOjU1MDAwMjg0LFwicmVhbElwXCI6XCI0NS4yNTEuMTA3LjExMVwifSIsImF1ZCI6IldFQiIsImlhdCI6MTY0MjU4MDA3MiwiZXhwIjoxNjQyNTgwMTkyfQ.HmIDcuSW67A59x7bnumjGp0Wdcz-FmoDrnHF1YGui6wVPfulLn4Izonay5LQnySgph1dbyC1E0LtifS-BJo8VA"
	secretKey    = "test-secret-key"
)

// fixtureNow is the fixture token's issue time (its JWT iat), so its
// expiredTime, 120 s later, is in the future.
var fixtureNow = time.UnixMilli(1642580072000)

func testConfig() Config {
	return Config{AccessKey: "test-access-key", SecretKey: kyc.NewSecret(secretKey)}
}

// mock returns a client on an httpmock transport, with the clock at
// fixtureNow and the token endpoint answering the documented SUCCESS.
func mock(t *testing.T, opts ...kyc.Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	hc, mt := testutil.MockHTTP(t)
	mt.RegisterResponder(http.MethodPost, urlToken, httpmock.NewBytesResponder(200, testutil.Fixture(t, "token_success.json")))
	opts = append([]kyc.Option{kyc.WithHTTPClient(hc), kyc.WithClock(func() time.Time { return fixtureNow }), kyc.WithRetry(0, 0)}, opts...)
	c, err := New(testConfig(), opts...)
	require.NoError(t, err)
	return c, mt
}

func calls(mt *httpmock.MockTransport, url string) int {
	return mt.GetCallCountInfo()[http.MethodPost+" "+url]
}

func requireKind(t *testing.T, err error, kind error) *kyc.Error {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, kind)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.Equal(t, kyc.AdvanceAI, kerr.Provider)
	return kerr
}

func TestSignatureVector(t *testing.T) {
	t.Parallel()
	// From the vendor's Token Authentication API documentation.
	got := Signature("sampleaccesskey", kyc.NewSecret("samplesecretkey"), 1665993522952)
	assert.Equal(t, "02209bbeaf0d0a3dd587f6a1ba22f84c98d142e3b545e77db7e4906ca56349f5", got)
}

func TestNewValidation(t *testing.T) {
	t.Parallel()
	ok := testConfig()
	tests := []struct {
		name  string
		cfg   func(Config) Config
		opts  []kyc.Option
		field string
	}{
		{"empty access key", func(c Config) Config { c.AccessKey = " "; return c }, nil, "AccessKey"},
		{"control in access key", func(c Config) Config { c.AccessKey = "a\nb"; return c }, nil, "AccessKey"},
		{"empty secret", func(c Config) Config { c.SecretKey = kyc.Secret{}; return c }, nil, "SecretKey"},
		{"ttl 10s", func(c Config) Config { c.TokenTTL = 10 * time.Second; return c }, nil, "TokenTTL"},
		{"ttl 59s", func(c Config) Config { c.TokenTTL = 59 * time.Second; return c }, nil, "TokenTTL"},
		{"ttl over a day", func(c Config) Config { c.TokenTTL = 86401 * time.Second; return c }, nil, "TokenTTL"},
		{"ttl negative", func(c Config) Config { c.TokenTTL = -time.Hour; return c }, nil, "TokenTTL"},
		{"ttl fraction", func(c Config) Config { c.TokenTTL = 90500 * time.Millisecond; return c }, nil, "TokenTTL"},
		{"plain http base", func(c Config) Config { return c }, []kyc.Option{kyc.WithBaseURL("http://api.advance.ai")}, "BaseURL"},
		{"bad option", func(c Config) Config { return c }, []kyc.Option{kyc.WithTimeout(-1)}, "WithTimeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.cfg(ok), tt.opts...)
			assert.Nil(t, c)
			kerr := requireKind(t, err, kyc.ErrInvalidRequest)
			assert.EqualValues(t, tt.field, kerr.Field)
			assert.Equal(t, "advanceai.New", kerr.Op)
		})
	}
	c, err := New(ok)
	require.NoError(t, err)
	assert.Equal(t, "advanceai.Client advanceai.Client advanceai.Client", fmt.Sprintf("%v %+v %#v", c, c, c), "no credential printed")
	for _, ttl := range []time.Duration{0, MinTokenTTL, MaxTokenTTL, 2 * time.Hour} {
		cfg := ok
		cfg.TokenTTL = ttl
		c, err := New(cfg)
		require.NoError(t, err, ttl)
		require.NoError(t, c.Close())
	}
}

func TestTokenFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		kind    error
		code    string
		txn     string
	}{
		{"token_success.json", nil, "SUCCESS", "6c2c50a3049ce67e"},
		{"token_parameter_empty.json", kyc.ErrInvalidRequest, "PARAMETER_ERROR", "040e769e38f87e3e"},
		{"token_timestamp_error.json", kyc.ErrUnauthorized, "PARAMETER_ERROR", "a9c2a6c199ad5db5"},
		{"token_signature_error.json", kyc.ErrUnauthorized, "PARAMETER_ERROR", "00b05cb9cf6f0fed"},
		{"token_account_disabled.json", kyc.ErrForbidden, "ACCOUNT_DISABLED", "5e00fded1272490e"},
		{"token_client_error.json", kyc.ErrInvalidRequest, "CLIENT_ERROR", "bd5d5653c45d4c6e"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t)
			body := testutil.Fixture(t, tt.fixture)
			mt.RegisterResponder(http.MethodPost, urlToken, httpmock.NewBytesResponder(200, body))
			r, err := c.GenerateToken(context.Background())
			if tt.kind == nil {
				require.NoError(t, err)
				assert.Equal(t, fixtureToken, r.Token.Reveal())
				assert.Equal(t, "[REDACTED]", r.Token.String())
				assert.EqualValues(t, 1642580192430, r.ExpiredTime)
				assert.Equal(t, time.UnixMilli(1642580192430).UTC(), r.ExpiresAt)
				assert.Equal(t, tt.txn, r.TransactionID)
				assert.Equal(t, kyc.ChargeFree, r.Charged())
				assert.JSONEq(t, "null", string(r.Extra))
				return
			}
			kerr := requireKind(t, err, tt.kind)
			assert.Equal(t, tt.code, kerr.Code)
			assert.Equal(t, tt.txn, kerr.RequestID)
			assert.Equal(t, "advanceai.GenerateToken", kerr.Op)
			assert.Equal(t, 200, kerr.StatusCode)
			var env map[string]any
			require.NoError(t, json.Unmarshal(body, &env))
			assert.Equal(t, env["message"], kerr.VendorMessage)
			assert.Equal(t, 1, calls(mt, urlToken), "an answered token request is not retried")
		})
	}
}

func TestGenerateURLFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		kind    error
		code    string
		txn     string
	}{
		{"generate_url_success.json", nil, "SUCCESS", "ed8b21c0c87ad617"},
		{"generate_url_region_wrong.json", kyc.ErrInvalidRequest, "REGION_WRONG", "0f74aeb4dd3f1d48"},
		{"generate_url_parameter_error.json", kyc.ErrInvalidRequest, "PARAMETER_ERROR", "ba134d6112c57a4c"},
		{"generate_url_parameter_empty.json", kyc.ErrInvalidRequest, "PARAMETER_ERROR", "dfcdc346a81f404f"},
		{"generate_url_invalid_return_url.json", kyc.ErrInvalidRequest, "PARAMETER_ERROR", "876cf2a354f73725"},
		{"generate_url_error.json", kyc.ErrUnavailable, "ERROR", "1deae5a13ef2bd5e"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t)
			body := testutil.Fixture(t, tt.fixture)
			mt.RegisterResponder(http.MethodPost, urlGenerate, httpmock.NewBytesResponder(200, body))
			req := kyc.Request{ID: "case-1", Country: "IDN", Link: kyc.LinkOptions{ReturnURL: "https://www.example.com"}}
			res, err := c.Verify(context.Background(), req)
			if tt.kind == nil {
				require.NoError(t, err)
				assert.Equal(t, kyc.StatusPending, res.Status)
				assert.Equal(t, "advanceai:ed8b21c0c87ad617", res.Reference)
				assert.Equal(t, []kyc.Reason{kyc.ReasonNotFinished}, res.Reasons)
				require.NotNil(t, res.Link)
				assert.True(t, strings.HasPrefix(res.Link.URL, "https://h5.advance.ai/h5-idv/?token="))
				assert.Equal(t, time.UnixMilli(1642580192430).UTC(), res.Link.ExpiresAt)
				assert.Equal(t, kyc.ChargeFree, res.Charged)
				assert.Equal(t, body, []byte(res.Raw))
				return
			}
			assert.Nil(t, res)
			kerr := requireKind(t, err, tt.kind)
			assert.Equal(t, tt.code, kerr.Code)
			assert.Equal(t, tt.txn, kerr.RequestID)
			assert.Equal(t, "advanceai.GenerateURL", kerr.Op)
			assert.True(t, kerr.MayHaveBeenSent())
			assert.False(t, kerr.Unprocessed, "the vendor answered: it processed the request")
			assert.Empty(t, kerr.Reference, "no link was created")
			assert.Equal(t, 1, calls(mt, urlGenerate), "GenerateURL is sent once")
		})
	}
}

func TestGetResultFixtures(t *testing.T) {
	t.Parallel()
	t.Run("success", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t)
		body := testutil.Fixture(t, "get_result_success.json")
		mt.RegisterResponder(http.MethodPost, urlResult, httpmock.NewBytesResponder(200, body))
		r, err := c.GetResult(context.Background(), "f302f5d2454a85c2")
		require.NoError(t, err)
		assert.True(t, r.Finished())
		assert.Equal(t, "SUCCESS", r.IDVCode)
		assert.Equal(t, "SCAN", r.ImageType)
		assert.Contains(t, r.Image, "_front_MANUAL.png?Expires=1708657481")
		assert.Contains(t, r.CroppedImage, "_processed.png")
		assert.Equal(t, IDVResult{IsLowQuality: true, ForgeryLabels: []string{"screenshot", "scan"}, QualityLabels: []string{"blur", "dim"}}, r.IDVResult)
		assert.Equal(t, "SUCCESS", r.OCRCode)
		require.NotNil(t, r.OCRResult)
		assert.Equal(t, OCRResult{
			IDNumber: "33******02", Name: "R**A M**H A**H,", BloodType: "O", Religion: "ISLAM", Gender: "PEREMPUAN",
			BirthPlaceBirthday: "SE M**N, 01-06-1989", Province: "J**A T**H", City: "K**A S**G", District: "N**N",
			Village: "W**I", RTRW: "011/002", Occupation: "M**S R**H T**A", ExpiryDate: "S**R H**P",
			Nationality: "WNI", MaritalStatus: "K**N", Address: "JL. G**G J**I T**R R**A", PlaceOfBirth: "SE M**N",
			Birthday: "1989/06/01",
		}, *r.OCRResult)
		assert.Equal(t, "d3fde1547eeaf226", r.TransactionID)
		assert.Equal(t, body, []byte(r.Raw))

		res, err := c.Result(context.Background(), "advanceai:f302f5d2454a85c2")
		require.NoError(t, err)
		assert.Equal(t, kyc.StatusApproved, res.Status)
		assert.Empty(t, res.Reasons)
		assert.False(t, res.Resubmit)
		assert.Equal(t, kyc.ChargeFree, res.Charged)
		d := res.Document
		require.NotNil(t, d)
		assert.Equal(t, kyc.DocumentIDCard, d.Type)
		assert.Equal(t, "33******02", d.Number)
		assert.Equal(t, "R**A M**H A**H", d.FullName)
		assert.Equal(t, time.Date(1989, 6, 1, 0, 0, 0, 0, time.UTC), d.DateOfBirth)
		assert.True(t, d.ExpiryDate.IsZero(), "SEUMUR HIDUP (for life) is not a date")
		assert.Equal(t, "F", d.Sex)
		assert.Equal(t, "IDN", d.Nationality)
		assert.Equal(t, "IDN", d.IssuingCountry)
		assert.Equal(t, "JL. G**G J**I T**R R**A, RT/RW 011/002, W**I, N**N, K**A S**G, J**A T**H", d.Address)
		assert.Len(t, d.Extra, 18)
		assert.Equal(t, "ISLAM", d.Extra["religion"])
	})
	for _, tt := range []struct {
		fixture string
		kind    error
		code    string
		txn     string
	}{
		{"get_result_signature_not_exist.json", kyc.ErrNotFound, "SIGNATURE_NOT_EXIST", "b6d722f7e9f553ae"},
		{"get_result_error.json", kyc.ErrUnavailable, "ERROR", "1deae5a13ef2bd5e"},
	} {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t)
			mt.RegisterResponder(http.MethodPost, urlResult, httpmock.NewBytesResponder(200, testutil.Fixture(t, tt.fixture)))
			_, err := c.Result(context.Background(), "advanceai:f302f5d2454a85c2")
			kerr := requireKind(t, err, tt.kind)
			assert.Equal(t, tt.code, kerr.Code)
			assert.Equal(t, tt.txn, kerr.RequestID)
			assert.Equal(t, "advanceai.GetResult", kerr.Op)
		})
	}
}

func TestWireFormat(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	var tokenBody, genBody map[string]any
	var genHeader http.Header
	mt.RegisterResponder(http.MethodPost, urlToken, func(r *http.Request) (*http.Response, error) {
		require.NoError(t, json.NewDecoder(r.Body).Decode(&tokenBody))
		assert.Empty(t, r.Header.Get(HeaderAccessToken))
		return httpmock.NewBytesResponse(200, testutil.Fixture(t, "token_success.json")), nil
	})
	mt.RegisterResponder(http.MethodPost, urlGenerate, func(r *http.Request) (*http.Response, error) {
		genHeader, genBody = r.Header.Clone(), nil
		require.NoError(t, json.NewDecoder(r.Body).Decode(&genBody))
		return httpmock.NewBytesResponse(200, testutil.Fixture(t, "generate_url_success.json")), nil
	})
	_, err := c.Verify(context.Background(), kyc.Request{ID: "8e44f0089b076e18a718eb9ca3d94674", Country: "IDN",
		Link: kyc.LinkOptions{ReturnURL: "https://www.example.com", FailReturnURL: "https://www.example.com/fail"}})
	require.NoError(t, err)

	ts := fixtureNow.UnixMilli()
	assert.Equal(t, map[string]any{
		"accessKey":    "test-access-key",
		"timestamp":    float64(ts),
		"signature":    Signature("test-access-key", kyc.NewSecret(secretKey), ts),
		"periodSecond": float64(3600),
	}, tokenBody)
	assert.Len(t, tokenBody["signature"], 64)
	assert.Equal(t, map[string]any{
		"returnUrl":     "https://www.example.com",
		"failReturnUrl": "https://www.example.com/fail",
		"userId":        "8e44f0089b076e18a718eb9ca3d94674",
		"region":        "IDN",
	}, genBody)
	assert.Equal(t, fixtureToken, genHeader.Get(HeaderAccessToken))
	assert.Equal(t, "application/json", genHeader.Get("Content-Type"))

	// FailReturnURL defaults to ReturnURL in Verify; userId is omitted
	// when the Request has no ID.
	_, err = c.Verify(context.Background(), kyc.Request{Country: "IDN", Link: kyc.LinkOptions{ReturnURL: "https://a.example/x"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"returnUrl": "https://a.example/x", "failReturnUrl": "https://a.example/x", "region": "IDN"}, genBody)
	assert.Equal(t, 1, calls(mt, urlToken), "the token is cached")
}

// TestAnswerShapes runs every method through the odd answers the shared
// FailurePaths does not try (operations_test.go has those).
func TestAnswerShapes(t *testing.T) {
	t.Parallel()
	methods := []struct {
		name string
		url  string
		call func(ctx context.Context, c *Client) error
	}{
		{"GenerateToken", urlToken, func(ctx context.Context, c *Client) error { _, err := c.GenerateToken(ctx); return err }},
		{"Token", urlToken, func(ctx context.Context, c *Client) error { _, err := c.Token(ctx); return err }},
		{"GenerateURL", urlGenerate, func(ctx context.Context, c *Client) error {
			_, err := c.GenerateURL(ctx, GenerateURLRequest{ReturnURL: "https://x.example", UserID: "u"})
			return err
		}},
		{"Verify", urlGenerate, func(ctx context.Context, c *Client) error {
			_, err := c.Verify(ctx, kyc.Request{Country: "IDN", Link: kyc.LinkOptions{ReturnURL: "https://x.example"}})
			return err
		}},
		{"GetResult", urlResult, func(ctx context.Context, c *Client) error { _, err := c.GetResult(ctx, "abc"); return err }},
		{"Result", urlResult, func(ctx context.Context, c *Client) error { _, err := c.Result(ctx, "advanceai:abc"); return err }},
		{"Call", urlResult, func(ctx context.Context, c *Client) error {
			return c.Call(ctx, kyc.Operation{Path: PathGetResult, Class: kyc.ClassFree}, map[string]string{"signatureId": "abc"}, &json.RawMessage{})
		}},
	}
	cases := []struct {
		name      string
		responder httpmock.Responder
		kind      error
		code      string
	}{
		{"5xx", httpmock.NewStringResponder(500, "<html>Internal Server Error</html>"), kyc.ErrUnavailable, ""},
		{"5xx with envelope", httpmock.NewStringResponder(500, `{"code":"ERROR","message":"Server error","data":null,"extra":null,"transactionId":"t1","pricingStrategy":"FREE"}`), kyc.ErrUnavailable, "ERROR"},
		{"malformed JSON", httpmock.NewStringResponder(200, `{"code": "SUCC`), kyc.ErrBadResponse, ""},
		{"not an object", httpmock.NewStringResponder(200, `[]`), kyc.ErrBadResponse, ""},
		{"no code", httpmock.NewStringResponder(200, `{"data":{}}`), kyc.ErrBadResponse, ""},
		{"success without data", httpmock.NewStringResponder(200, `{"code":"SUCCESS","message":"OK","data":null}`), kyc.ErrBadResponse, ""},
		{"vendor error in 200", httpmock.NewStringResponder(200, `{"code":"ERROR","message":"Server error","data":null,"extra":null,"transactionId":"t2","pricingStrategy":"FREE"}`), kyc.ErrUnavailable, "ERROR"},
		{"unknown code in 200", httpmock.NewStringResponder(200, `{"code":"SOMETHING_NEW","message":"?","transactionId":"t3"}`), kyc.ErrBadResponse, "SOMETHING_NEW"},
	}
	for _, m := range methods {
		for _, tc := range cases {
			t.Run(m.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				if tc.name == "success without data" && (m.name == "GetResult" || m.name == "Result" || m.name == "Call") {
					t.Skip("get-result without data means not finished; Call leaves out as it is")
				}
				c, mt := mock(t)
				mt.RegisterResponder(http.MethodPost, m.url, tc.responder)
				err := m.call(context.Background(), c)
				kerr := requireKind(t, err, tc.kind)
				assert.Equal(t, tc.code, kerr.Code)
				assert.True(t, strings.HasPrefix(kerr.Op, "advanceai."), kerr.Op)
				assert.NotContains(t, kerr.Error(), fixtureToken)
			})
		}
		t.Run(m.name+"/cancelled context", func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := m.call(ctx, c)
			kerr := requireKind(t, err, kyc.ErrTimeout)
			assert.ErrorIs(t, err, context.Canceled)
			assert.False(t, kyc.IsRetryable(err))
			assert.True(t, kerr.NotSent)
			assert.Zero(t, calls(mt, m.url))
		})
	}
}

func TestCodeTable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code, message string
		status        int
		kind          error
	}{
		{"PARAMETER_ERROR", "Parameter error,please check you input.", 200, kyc.ErrInvalidRequest},
		{"PARAMETER_ERROR", "Parameter should not be empty", 200, kyc.ErrInvalidRequest},
		{"PARAMETER_ERROR", "Invalid returnUrl,please check your returnUrl", 200, kyc.ErrInvalidRequest},
		{"PARAMETER_ERROR", "Invalid returnUrl, please check your returnUrl", 200, kyc.ErrInvalidRequest},
		{"PARAMETER_ERROR", "Region is wrong", 200, kyc.ErrInvalidRequest},
		{"PARAMETER_ERROR", "Timestamp error", 200, kyc.ErrUnauthorized},
		{"PARAMETER_ERROR", "Signature error", 200, kyc.ErrUnauthorized},
		{"PARAMETER_ERROR", "Signature error.", 200, kyc.ErrUnauthorized},
		{"PARAMETER_ERROR", "an undocumented message", 200, kyc.ErrInvalidRequest},
		{"REGION_WRONG", "Region is wrong", 200, kyc.ErrInvalidRequest},
		{"SIGNATURE_NOT_EXIST", "This signatureId is not exist", 200, kyc.ErrNotFound},
		{"ACCOUNT_DISABLED", "Account Disabled", 200, kyc.ErrForbidden},
		{"CLIENT_ERROR", "HTTP 400 - Bad Request", 200, kyc.ErrInvalidRequest},
		{"CLIENT_ERROR", "HTTP 400 - Bad Request", 400, kyc.ErrInvalidRequest},
		{"ERROR", "Server error", 200, kyc.ErrUnavailable},
		{"IAM_FAILED", "Access Denied", 401, kyc.ErrUnauthorized},
		{"UNKNOWN_CODE", "", 200, kyc.ErrBadResponse},
		{"UNKNOWN_CODE", "", 429, kyc.ErrRateLimited},
		{"UNKNOWN_CODE", "", 503, kyc.ErrUnavailable},
		{"SUCCESS", "OK", 500, kyc.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.code+"/"+tt.message, func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t)
			body, _ := json.Marshal(map[string]any{"code": tt.code, "message": tt.message, "data": nil, "extra": nil, "transactionId": "txn-9", "pricingStrategy": "FREE"})
			mt.RegisterResponder(http.MethodPost, urlResult, httpmock.NewBytesResponder(tt.status, body))
			_, err := c.GetResult(context.Background(), "abc")
			kerr := requireKind(t, err, tt.kind)
			assert.Equal(t, tt.code, kerr.Code)
			assert.Equal(t, "txn-9", kerr.RequestID)
			assert.Equal(t, tt.status, kerr.StatusCode)
		})
	}
	// Every code in the table is covered above.
	for code := range codeKinds {
		assert.NotNil(t, kindFor(code, "", 200), code)
	}
}

func TestIDVMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		idv      string
		status   kyc.Status
		reasons  []kyc.Reason
		resubmit bool
		err      error
	}{
		{"SUCCESS", kyc.StatusApproved, nil, false, nil},
		{"FORGERY_DETECTED", kyc.StatusRejected, []kyc.Reason{kyc.ReasonDocumentForged}, false, nil},
		{"LOW_QUALITY_IMAGE", kyc.StatusRejected, []kyc.Reason{kyc.ReasonLowQualityImage}, true, nil},
		{"CARD_NOT_FOUND", kyc.StatusRejected, []kyc.Reason{kyc.ReasonNoDocument}, true, nil},
		{"TOO_MANY_CARDS", kyc.StatusRejected, []kyc.Reason{kyc.ReasonOther}, true, nil},
		{"NO_SUPPORTED_CARD", kyc.StatusRejected, []kyc.Reason{kyc.ReasonUnsupportedDocument}, true, nil},
		{"INCOMPLETED_CARD", kyc.StatusRejected, []kyc.Reason{kyc.ReasonLowQualityImage}, true, nil},
		{"TOO_SMALL_CARD", kyc.StatusRejected, []kyc.Reason{kyc.ReasonLowQualityImage}, true, nil},
		{"ERROR", "", nil, false, kyc.ErrUnavailable},
		{"", kyc.StatusPending, []kyc.Reason{kyc.ReasonNotFinished}, false, nil},
		{"SOMETHING_NEW", kyc.StatusReview, []kyc.Reason{kyc.ReasonOther}, false, nil},
	}
	documented := map[string]bool{}
	for _, tt := range tests {
		documented[tt.idv] = true
		t.Run(tt.idv, func(t *testing.T) {
			t.Parallel()
			res, err := toResult(&VerificationResult{Meta: Meta{TransactionID: "t", PricingStrategy: "PAY"}, IDVCode: tt.idv}, "advanceai:x")
			if tt.err != nil {
				kerr := requireKind(t, err, tt.err)
				assert.Equal(t, tt.idv, kerr.Code)
				assert.Equal(t, "t", kerr.RequestID)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.status, res.Status)
			assert.Equal(t, tt.reasons, res.Reasons)
			assert.Equal(t, tt.resubmit, res.Resubmit)
			assert.Equal(t, kyc.ChargePaid, res.Charged)
			assert.Equal(t, "advanceai:x", res.Reference)
			for _, r := range res.Reasons {
				assert.True(t, r.Valid())
			}
		})
	}
	for _, code := range IDVCodes() {
		assert.True(t, documented[code], "idvCode %s has a row", code)
	}
}

func TestCharged(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]kyc.Charge{"FREE": kyc.ChargeFree, "PAY": kyc.ChargePaid, "pay": kyc.ChargePaid, "": kyc.ChargeUnknown, "X": kyc.ChargeUnknown} {
		assert.Equal(t, want, Meta{PricingStrategy: in}.Charged(), in)
	}
}

func TestDocumentDataFallbacks(t *testing.T) {
	t.Parallel()
	d := documentData(&OCRResult{BirthPlaceBirthday: "JAKARTA, 17-08-1990", Gender: "LAKI-LAKI", Nationality: "WNA", ExpiryDate: "17-08-2030"})
	assert.Equal(t, time.Date(1990, 8, 17, 0, 0, 0, 0, time.UTC), d.DateOfBirth)
	assert.Equal(t, time.Date(2030, 8, 17, 0, 0, 0, 0, time.UTC), d.ExpiryDate)
	assert.Equal(t, "M", d.Sex)
	assert.Equal(t, "WNA", d.Nationality)
	assert.Empty(t, d.Address)
	// Pending answers carry no document even if an OCR object came.
	res, err := toResult(&VerificationResult{OCRResult: &OCRResult{Name: "X"}}, "advanceai:x")
	require.NoError(t, err)
	assert.Nil(t, res.Document)
}

func TestAuthFailureRefreshesOnce(t *testing.T) {
	t.Parallel()
	iam := `{"code":"IAM_FAILED","message":"Access Denied","data":null,"extra":null,"transactionId":"iam1","pricingStrategy":"FREE"}`
	t.Run("recovers", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t)
		n := 0
		mt.RegisterResponder(http.MethodPost, urlGenerate, func(r *http.Request) (*http.Response, error) {
			n++
			if n == 1 {
				return httpmock.NewStringResponse(401, iam), nil
			}
			return httpmock.NewBytesResponse(200, testutil.Fixture(t, "generate_url_success.json")), nil
		})
		res, err := c.GenerateURL(context.Background(), GenerateURLRequest{ReturnURL: "https://x.example"})
		require.NoError(t, err)
		assert.Equal(t, "ed8b21c0c87ad617", res.SignatureID)
		assert.Equal(t, 2, calls(mt, urlToken))
		assert.Equal(t, 2, calls(mt, urlGenerate))
	})
	t.Run("IAM_FAILED in a 200", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t)
		mt.RegisterResponder(http.MethodPost, urlResult, httpmock.NewStringResponder(200, iam))
		_, err := c.GetResult(context.Background(), "abc")
		kerr := requireKind(t, err, kyc.ErrUnauthorized)
		assert.Equal(t, "IAM_FAILED", kerr.Code)
		assert.True(t, kerr.Unprocessed, "refused at the gate")
		assert.False(t, kerr.NotSent)
		assert.Equal(t, 2, calls(mt, urlToken), "one refresh")
		assert.Equal(t, 2, calls(mt, urlResult), "one repeat")
	})
	t.Run("gives up after one repeat", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t)
		mt.RegisterResponder(http.MethodPost, urlGenerate, httpmock.NewStringResponder(401, ""))
		_, err := c.GenerateURL(context.Background(), GenerateURLRequest{ReturnURL: "https://x.example"})
		kerr := requireKind(t, err, kyc.ErrUnauthorized)
		assert.Equal(t, 401, kerr.StatusCode)
		assert.True(t, kerr.Unprocessed)
		assert.True(t, kerr.MayHaveBeenSent())
		assert.False(t, kyc.MayHaveCharged(err), "both refused at the gate: no link")
		assert.Equal(t, 2, calls(mt, urlToken))
		assert.Equal(t, 2, calls(mt, urlGenerate))
	})
	// The refused attempt counts as refused unprocessed: what the repeat
	// gives decides whether the call may have charged.
	for _, tt := range []struct {
		status      int
		unprocessed bool
	}{{500, false}, {502, false}, {503, true}, {429, true}} {
		t.Run(fmt.Sprintf("then %d", tt.status), func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t)
			n := 0
			mt.RegisterResponder(http.MethodPost, urlGenerate, func(*http.Request) (*http.Response, error) {
				n++
				if n == 1 {
					return httpmock.NewStringResponse(401, iam), nil
				}
				return httpmock.NewStringResponse(tt.status, ""), nil
			})
			_, err := c.GenerateURL(context.Background(), GenerateURLRequest{ReturnURL: "https://x.example"})
			require.Error(t, err)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, tt.status, kerr.StatusCode)
			assert.Equal(t, tt.unprocessed, kerr.Unprocessed)
			assert.Equal(t, !tt.unprocessed, kyc.MayHaveCharged(err))
			assert.False(t, kerr.NotSent)
			assert.Equal(t, 2, calls(mt, urlGenerate), "one repeat, never more")
		})
	}
	t.Run("a failed token fetch ends the call", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t, kyc.WithRetry(2, time.Millisecond))
		mt.RegisterResponder(http.MethodPost, urlToken, httpmock.NewBytesResponder(200, testutil.Fixture(t, "token_signature_error.json")))
		_, err := c.GenerateURL(context.Background(), GenerateURLRequest{ReturnURL: "https://x.example"})
		kerr := requireKind(t, err, kyc.ErrUnauthorized)
		assert.Equal(t, "advanceai.GenerateURL", kerr.Op, "the error names the call made")
		assert.True(t, kerr.NotSent)
		assert.True(t, kerr.Unprocessed)
		assert.Equal(t, "PARAMETER_ERROR", kerr.Code)
		var cause *kyc.Error
		require.ErrorAs(t, kerr.Err, &cause)
		assert.Equal(t, "advanceai.GenerateToken", cause.Op, "the cause is the token fetch")
		assert.Equal(t, 1, calls(mt, urlToken), "authentication failures are not retried")
		assert.Zero(t, calls(mt, urlGenerate))
	})
}

func TestGenerateURLErrorsAfterTheLinkCarryItsReference(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data, ref string
	}{
		{"no url", `{"signatureId":"ed8b21c0c87ad617","expiredTime":1}`, "advanceai:ed8b21c0c87ad617"},
		{"url with a control character", `{"signatureId":"ed8b21c0c87ad617","url":"https://h5.example/\n"}`, "advanceai:ed8b21c0c87ad617"},
		{"numeric id, no url", `{"signatureId":12345}`, "advanceai:12345"},
		{"no signatureId", `{"url":"https://h5.example/"}`, ""},
		{"a signatureId that is a path", `{"signatureId":"../x","url":"https://h5.example/"}`, ""},
		{"data not an object", `"x"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t)
			mt.RegisterResponder(http.MethodPost, urlGenerate, httpmock.NewStringResponder(200,
				`{"code":"SUCCESS","message":"OK","data":`+tt.data+`,"transactionId":"g1","pricingStrategy":"FREE"}`))
			_, err := c.Verify(context.Background(), kyc.Request{Country: "IDN", Link: kyc.LinkOptions{ReturnURL: "https://x.example"}})
			kerr := requireKind(t, err, kyc.ErrBadResponse)
			assert.Equal(t, tt.ref, kerr.Reference)
			assert.True(t, kyc.MayHaveCharged(err))
			assert.Equal(t, "g1", kerr.RequestID)
		})
	}
}

func TestReferenceIDForm(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, id string }{
		{"200 KB", strings.Repeat("a", 200<<10)},
		{"65 characters", strings.Repeat("a", 65)},
		{"NUL", "ab\x00cd"},
		{"dot dot", ".."},
		{"slash", "ab/cd"},
		{"space", "ab cd"},
		{"newline", "ab\ncd"},
		{"non-ASCII", "abcé"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t)
			_, err := c.Result(context.Background(), "advanceai:"+tt.id)
			kerr := requireKind(t, err, kyc.ErrInvalidRequest)
			assert.EqualValues(t, "ref", kerr.Field)
			assert.True(t, kerr.NotSent)
			assert.Less(t, len(kerr.Error()), 400, "the error does not quote the id")
			_, err = c.GetResult(context.Background(), tt.id)
			kerr = requireKind(t, err, kyc.ErrInvalidRequest)
			assert.EqualValues(t, "signatureID", kerr.Field)
			assert.True(t, kerr.Unprocessed)
			assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent, not even a token request")
		})
	}
	for _, id := range []string{"ed8b21c0c87ad617", "A-b_9", strings.Repeat("f", 64)} {
		assert.NoError(t, idForm(id), id)
	}
}

func TestRefreshTime(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	ttl := time.Hour
	tests := []struct {
		name    string
		expires time.Time
		want    time.Time
	}{
		{"as asked", now.Add(time.Hour), now.Add(time.Hour - time.Minute)},
		{"shorter than asked", now.Add(2 * time.Minute), now.Add(2*time.Minute - 30*time.Second)},
		{"unknown expiry", time.Time{}, now.Add(time.Hour - time.Minute)},
		{"vendor clock behind ours", now.Add(-time.Hour), now.Add(time.Hour - time.Minute)},
		{"vendor clock far ahead", now.Add(3 * time.Hour), now.Add(time.Hour - time.Minute)},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, refreshTime(now, tt.expires, ttl), tt.name)
	}
	assert.Equal(t, now.Add(45*time.Second), refreshTime(now, now.Add(time.Minute), time.Minute), "a 60 s token is replaced after 45 s")
}

func TestNoSecretsInLogsOrErrors(t *testing.T) {
	t.Parallel()
	logger, buf := testutil.CaptureLogger()
	c, mt := mock(t, kyc.WithLogger(logger))
	var errs []error
	mt.RegisterResponder(http.MethodPost, urlGenerate, httpmock.NewStringResponder(401, `{"code":"IAM_FAILED","message":"token `+fixtureToken+` expired"}`))
	_, err := c.GenerateURL(context.Background(), GenerateURLRequest{ReturnURL: "https://x.example", UserID: "u"})
	errs = append(errs, err)
	mt.RegisterResponder(http.MethodPost, urlResult, httpmock.NewStringResponder(200, `{"code":"SUCCESS","data":{"idvCode":`))
	_, err = c.GetResult(context.Background(), "abc")
	errs = append(errs, err)
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, fixtureToken, tok.Reveal())

	sig := Signature("test-access-key", kyc.NewSecret(secretKey), fixtureNow.UnixMilli())
	require.NotEmpty(t, buf.String(), "debug records were written")
	for _, secret := range []string{fixtureToken, secretKey, sig, fixtureToken[:40]} {
		assert.NotContains(t, buf.String(), secret)
		for _, e := range errs {
			require.Error(t, e)
			assert.NotContains(t, e.Error(), secret)
		}
	}
	assert.False(t, errors.Is(errs[1], kyc.ErrUnauthorized))
}

func TestCall(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	var sent map[string]any
	mt.RegisterResponder(http.MethodPost, DefaultBaseURL+"/intl/openapi/other/v1/op", func(r *http.Request) (*http.Response, error) {
		require.NoError(t, json.NewDecoder(r.Body).Decode(&sent))
		assert.Equal(t, fixtureToken, r.Header.Get(HeaderAccessToken))
		return httpmock.NewStringResponse(200, `{"code":"SUCCESS","message":"OK","data":{"score":0.9},"extra":null,"transactionId":"c1","pricingStrategy":"PAY"}`), nil
	})
	op := kyc.Operation{Path: "/intl/openapi/other/v1/op"}
	var out struct{ Score float64 }
	require.NoError(t, c.Call(context.Background(), op, map[string]string{"k": "v"}, &out))
	assert.Equal(t, 0.9, out.Score)
	assert.Equal(t, map[string]any{"k": "v"}, sent)

	var env Envelope
	require.NoError(t, c.Call(context.Background(), op, map[string]string{"k": "v"}, &env))
	assert.Equal(t, "c1", env.TransactionID)
	assert.Equal(t, kyc.ChargePaid, env.Charged())
	assert.JSONEq(t, `{"score":0.9}`, string(env.Data))

	mt.RegisterResponder(http.MethodGet, DefaultBaseURL+"/intl/openapi/other/v1/get", func(r *http.Request) (*http.Response, error) {
		assert.Zero(t, r.ContentLength)
		assert.Equal(t, "1", r.URL.Query().Get("q"))
		return httpmock.NewStringResponse(200, `{"code":"SUCCESS","message":"OK","data":null}`), nil
	})
	out.Score = 7
	require.NoError(t, c.Call(context.Background(), kyc.Operation{Method: http.MethodGet, Path: "/intl/openapi/other/v1/get", Class: kyc.ClassFree},
		url.Values{"q": {"1"}}, &out))
	assert.Equal(t, 7.0, out.Score, "null data leaves out as it is")

	// A vendor error names the operation, or advanceai.Call.
	mt.RegisterResponder(http.MethodPost, DefaultBaseURL+"/x", httpmock.NewStringResponder(200, `{"code":"PARAMETER_ERROR","message":"Parameter should not be empty","transactionId":"c2"}`))
	err := c.Call(context.Background(), kyc.Operation{Path: "/x"}, []byte(`{}`), nil)
	kerr := requireKind(t, err, kyc.ErrInvalidRequest)
	assert.Equal(t, "advanceai.Call", kerr.Op)
	assert.Equal(t, "PARAMETER_ERROR", kerr.Code)
	assert.Equal(t, "c2", kerr.RequestID)
	err = c.Call(context.Background(), kyc.Operation{Name: "advanceai.Other", Path: "/x"}, []byte(`{}`), nil)
	assert.Equal(t, "advanceai.Other", requireKind(t, err, kyc.ErrInvalidRequest).Op)

	err = c.Call(context.Background(), kyc.Operation{Path: "/x"}, func() {}, nil)
	requireKind(t, err, kyc.ErrInvalidRequest)
}

// TestCallIsBilledByDefault: an operation without a class is not resent
// after an ambiguous failure; a free one is.
func TestCallIsBilledByDefault(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		class kyc.Class
		sends int
	}{{kyc.ClassBilled, 1}, {kyc.ClassFree, 3}} {
		t.Run(tt.class.String(), func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t, kyc.WithRetry(2, time.Millisecond))
			mt.RegisterResponder(http.MethodPost, DefaultBaseURL+"/x", httpmock.NewStringResponder(502, ""))
			err := c.Call(context.Background(), kyc.Operation{Method: http.MethodPost, Path: "/x", Class: tt.class}, nil, nil)
			requireKind(t, err, kyc.ErrUnavailable)
			assert.Equal(t, tt.sends, calls(mt, DefaultBaseURL+"/x"))
		})
	}
}
