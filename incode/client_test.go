package incode

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
	"github.com/kyc-go/kyc/kyctest"
)

const (
	testBase  = "https://api.example.test"
	testID    = "6595c84ce69d469f69ad39fb"
	testToken = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"
	testKey   = "test-api-key-123"
)

// mock is the wire-test constructor: a client on httpmock, and a session
// resumed with a token.
func mock(t *testing.T, opts ...kyc.Option) (*Client, *Session, *httpmock.MockTransport) {
	t.Helper()
	hc, mt := testutil.MockHTTP(t)
	c, err := New(Config{APIKey: kyc.NewSecret(testKey), ConfigurationID: "flow-1"},
		append([]kyc.Option{kyc.WithHTTPClient(hc), kyc.WithBaseURL(testBase), kyc.WithRetry(2, 10*time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	s, err := c.ResumeSession(testID, kyc.NewSecret(testToken))
	require.NoError(t, err)
	return c, s, mt
}

func img(t testing.TB, marker string) *kyc.Image {
	t.Helper()
	im, err := kyc.ImageFromBytes(kyctest.MagicImage(marker, 0))
	require.NoError(t, err)
	return im
}

func TestNewValidates(t *testing.T) {
	key := kyc.NewSecret("k")
	tests := []struct {
		name  string
		cfg   Config
		opts  []kyc.Option
		field string
	}{
		{"no key", Config{}, nil, "APIKey"},
		{"key with newline", Config{APIKey: kyc.NewSecret("a\nb")}, nil, "APIKey"},
		{"bad environment", Config{APIKey: key, Environment: "staging"}, nil, "Environment"},
		{"bad version", Config{APIKey: key, APIVersion: "1\r\n"}, nil, "APIVersion"},
		{"bad configuration", Config{APIKey: key, ConfigurationID: "a\x00"}, nil, "ConfigurationID"},
		{"negative poll", Config{APIKey: key, PollInterval: -1}, nil, "PollInterval"},
		{"http base", Config{APIKey: key}, []kyc.Option{kyc.WithBaseURL("http://example.com")}, "BaseURL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, tt.opts...)
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.EqualValues(t, tt.field, kerr.Field)
		})
	}
	for env, want := range map[string]string{"": DemoURL, EnvironmentDemo: DemoURL, EnvironmentProduction: ProductionURL} {
		c, err := New(Config{APIKey: key, Environment: env})
		require.NoError(t, err)
		assert.Equal(t, want, strings.TrimRight(c.tc.BaseURL().String(), "/"))
	}
}

func TestStartSessionWire(t *testing.T) {
	c, _, mt := mock(t)
	var got map[string]any
	var header http.Header
	mt.RegisterResponder("POST", testBase+"/omni/start", func(r *http.Request) (*http.Response, error) {
		header = r.Header.Clone()
		require.NoError(t, json.NewDecoder(r.Body).Decode(&got))
		return httpmock.NewBytesResponse(200, testutil.Fixture(t, "inferred_start.json")), nil
	})
	s, err := c.StartSession(context.Background(), StartRequest{ExternalCustomerID: "user-42", Language: "es-ES"})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"countryCode": "ALL", "configurationId": "flow-1", "externalCustomerId": "user-42", "language": "es-ES"}, got)
	assert.Equal(t, testKey, header.Get("x-api-key"))
	assert.Equal(t, "1.0", header.Get("api-version"))
	assert.Empty(t, header.Get("X-Incode-Hardware-Id"), "start is sent without a session token")
	assert.Equal(t, testID, s.InterviewID)
	assert.Equal(t, "A1B2C3", s.InterviewCode)
	assert.Equal(t, "democlient", s.ClientID)
	assert.True(t, strings.HasPrefix(s.Token.Reveal(), "eyJ"))
	assert.Equal(t, "incode:"+testID, s.Reference(), "a Reference carries no credential")
	kept, ok := c.kept.get(testID)
	require.True(t, ok, "the client keeps the session token itself")
	assert.True(t, kept.Equal(s.Token))

	// The documented sample request body decodes into the same fields.
	var sample map[string]any
	require.NoError(t, json.Unmarshal(testutil.Fixture(t, "start_request.json"), &sample))
	for k := range sample {
		assert.Contains(t, got, k)
	}
}

func TestStartSessionIsNotResent(t *testing.T) {
	for _, status := range []int{500, 502, 504} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			c, _, mt := mock(t)
			mt.RegisterResponder("POST", testBase+"/omni/start", httpmock.NewStringResponder(status, `{"status":500,"error":"Internal Server Error"}`))
			_, err := c.StartSession(context.Background(), StartRequest{ExternalCustomerID: "x"})
			require.ErrorIs(t, err, kyc.ErrUnavailable)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.True(t, kerr.MayHaveBeenSent())
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
	c, _, mt := mock(t)
	mt.RegisterResponder("POST", testBase+"/omni/start", httpmock.NewStringResponder(200, `{"interviewId":"x"}`))
	_, err := c.StartSession(context.Background(), StartRequest{})
	assert.ErrorIs(t, err, kyc.ErrBadResponse, "a start answer without a token is unusable")
}

func TestFixtures(t *testing.T) {
	ctx := context.Background()
	_, s, mt := mock(t)
	var headers []http.Header
	record := func(name string) httpmock.Responder {
		body := testutil.Fixture(t, name)
		return func(r *http.Request) (*http.Response, error) {
			headers = append(headers, r.Header.Clone())
			return httpmock.NewBytesResponse(200, body), nil
		}
	}
	mt.RegisterResponder("POST", testBase+"/omni/add/front-id/v2", record("front_ok.json"))
	mt.RegisterResponder("POST", testBase+"/omni/add/back-id/v2", record("front_wrong_side.json"))
	mt.RegisterResponder("POST", testBase+"/omni/process/id", record("process_id.json"))
	mt.RegisterResponder("POST", testBase+"/omni/add/face/third-party", record("selfie_live.json"))
	mt.RegisterResponder("POST", testBase+"/omni/process/face", record("face_match.json"))
	mt.RegisterResponder("GET", testBase+"/omni/get/onboarding/status", record("status.json"))
	mt.RegisterResponder("GET", testBase+"/omni/finish-status", record("inferred_finish.json"))
	mt.RegisterResponder("GET", testBase+"/omni/get/score", record("score.json"))
	mt.RegisterResponder("GET", testBase+"/omni/get/ocr-data", record("ocr.json"))
	mt.RegisterResponder("POST", testBase+"/omni/process/approve", record("approve.json"))

	front, err := s.AddFrontID(ctx, img(t, ""), false)
	require.NoError(t, err)
	assert.True(t, front.Accepted(), "classification false alone is not a refusal")
	assert.False(t, front.Classification)
	assert.Equal(t, "DriversLicense", front.TypeOfID)
	assert.Equal(t, "USA", front.CountryCode)
	assert.Equal(t, 2016, front.IssueYear)
	assert.Equal(t, kyc.Reason(""), front.Reason())

	back, err := s.AddBackID(ctx, img(t, ""))
	require.NoError(t, err, "a failReason arrives in a 200 and is a result, not an error")
	assert.False(t, back.Accepted())
	assert.Equal(t, "WRONG_DOCUMENT_SIDE", back.FailReason)
	assert.Equal(t, kyc.ReasonFrontBackMismatch, back.Reason())

	require.NoError(t, s.ProcessID(ctx))

	selfie, err := s.AddSelfie(ctx, img(t, ""))
	require.NoError(t, err)
	assert.True(t, selfie.Live())
	assert.Equal(t, 31, selfie.Age)
	assert.True(t, selfie.IsBright)
	assert.Equal(t, kyc.Reason(""), selfie.Reason())

	face, err := s.ProcessFace(ctx)
	require.NoError(t, err)
	assert.True(t, face.Match())
	assert.False(t, face.ExistingUser)

	st, err := s.OnboardingStatus(ctx)
	require.NoError(t, err)
	assert.Equal(t, StatusIDValidationFinished, st)
	assert.False(t, st.Ready())

	fin, err := s.FinishStatus(ctx)
	require.NoError(t, err)
	assert.Equal(t, "approved", fin.Action)

	score, err := s.Score(ctx)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusPending, score.Status(), "the documented sample's overall status is empty")
	assert.Equal(t, ScoreOK, score.IDValidation.Overall.Status)
	assert.Len(t, score.IDValidation.PhotoSecurityAndQuality, 6)
	assert.Equal(t, "tamperCheck", score.IDValidation.PhotoSecurityAndQuality[0].Key)
	assert.Equal(t, ScoreFail, score.FaceRecognition.NameMatch.Status)
	assert.True(t, bool(score.FaceRecognition.ExistingUser))
	sc := score.Scores()
	v, _ := sc.Document.Value()
	assert.InDelta(t, 1.0, v, 1e-9)
	v, _ = sc.Liveness.Value()
	assert.InDelta(t, 0.999, v, 1e-9)
	v, _ = sc.FaceMatch.Value()
	assert.InDelta(t, 0.747, v, 1e-9)
	assert.Contains(t, string(score.ReasonMsg), "passed")

	ocr, err := s.OCRData(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ALEX GINMAN", ocr.Name.FullName)
	assert.Equal(t, "S3441243", ocr.DocumentNumber)
	assert.Equal(t, 2024, ocr.ExpirationDate)
	assert.InDelta(t, 0.9975609, ocr.Confidence["birthDateConfidence"], 1e-9)
	doc := ocr.Document()
	assert.Equal(t, kyc.DocumentDriverLicense, doc.Type)
	assert.Equal(t, "ALEX", doc.FirstName)
	assert.Equal(t, "GINMAN", doc.LastName)
	assert.Equal(t, time.Date(2019, 6, 13, 0, 0, 0, 0, time.UTC), doc.IssueDate)
	assert.Equal(t, time.Date(2050, 10, 15, 0, 0, 0, 0, time.UTC), doc.ExpiryDate)
	assert.True(t, doc.DateOfBirth.IsZero(), "the sample has no birthDate")
	assert.Equal(t, "MASSACHUSETTS", doc.Extra["issuingState"])
	assert.Equal(t, "76 PARKER HILL AVE 1\nBOSTON, MA 02120", doc.Address)

	ap, err := s.Approve(ctx)
	require.NoError(t, err)
	assert.Equal(t, testID, ap.UUID)
	assert.Equal(t, "OK", ap.TotalScore)

	require.Len(t, headers, 10)
	for _, h := range headers {
		assert.Equal(t, testToken, h.Get("X-Incode-Hardware-Id"))
		assert.Equal(t, testKey, h.Get("x-api-key"))
		assert.Equal(t, "1.0", h.Get("api-version"))
	}
}

func TestImageBodyIsBase64JSON(t *testing.T) {
	c, s, mt := mock(t)
	_ = c
	raw := kyctest.MagicImage("marker", 100_000)
	var got struct {
		Base64Image string `json:"base64Image"`
	}
	var query string
	mt.RegisterResponder("POST", testBase+"/omni/add/front-id/v2", func(r *http.Request) (*http.Response, error) {
		query = r.URL.RawQuery
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		require.NoError(t, json.NewDecoder(r.Body).Decode(&got))
		return httpmock.NewBytesResponse(200, testutil.Fixture(t, "front_ok.json")), nil
	})
	im, err := kyc.ImageFromBytes(raw)
	require.NoError(t, err)
	_, err = s.AddFrontID(context.Background(), im, true)
	require.NoError(t, err)
	assert.Equal(t, "onlyFront=true", query)
	dec, err := base64.StdEncoding.DecodeString(got.Base64Image)
	require.NoError(t, err)
	assert.Equal(t, raw, dec)
}

func TestImageCapRefusedBeforeSending(t *testing.T) {
	_, s, mt := mock(t)
	big := kyctest.MagicImage("", MaxImageBytes+1)
	im, err := kyc.ImageFromBytes(big)
	require.NoError(t, err)
	for name, call := range map[string]func() error{
		"front":  func() error { _, err := s.AddFrontID(context.Background(), im, false); return err },
		"back":   func() error { _, err := s.AddBackID(context.Background(), im); return err },
		"selfie": func() error { _, err := s.AddSelfie(context.Background(), im); return err },
		"nil":    func() error { _, err := s.AddSelfie(context.Background(), nil); return err },
	} {
		err := call()
		require.ErrorIs(t, err, kyc.ErrInvalidRequest, name)
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr)
		assert.EqualValues(t, "image", kerr.Field)
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

// methods lists every typed method with its route, for the failure paths.
func methods(t *testing.T) []struct {
	name, method, path string
	call               func(context.Context, *Client, *Session) error
} {
	return []struct {
		name, method, path string
		call               func(context.Context, *Client, *Session) error
	}{
		{"StartSession", "POST", "/omni/start", func(ctx context.Context, c *Client, _ *Session) error {
			_, err := c.StartSession(ctx, StartRequest{})
			return err
		}},
		{"AddFrontID", "POST", "/omni/add/front-id/v2", func(ctx context.Context, _ *Client, s *Session) error {
			_, err := s.AddFrontID(ctx, img(t, ""), false)
			return err
		}},
		{"AddBackID", "POST", "/omni/add/back-id/v2", func(ctx context.Context, _ *Client, s *Session) error {
			_, err := s.AddBackID(ctx, img(t, ""))
			return err
		}},
		{"ProcessID", "POST", "/omni/process/id", func(ctx context.Context, _ *Client, s *Session) error {
			return s.ProcessID(ctx)
		}},
		{"AddSelfie", "POST", "/omni/add/face/third-party", func(ctx context.Context, _ *Client, s *Session) error {
			_, err := s.AddSelfie(ctx, img(t, ""))
			return err
		}},
		{"ProcessFace", "POST", "/omni/process/face", func(ctx context.Context, _ *Client, s *Session) error {
			_, err := s.ProcessFace(ctx)
			return err
		}},
		{"OnboardingStatus", "GET", "/omni/get/onboarding/status", func(ctx context.Context, _ *Client, s *Session) error {
			_, err := s.OnboardingStatus(ctx)
			return err
		}},
		{"FinishStatus", "GET", "/omni/finish-status", func(ctx context.Context, _ *Client, s *Session) error {
			_, err := s.FinishStatus(ctx)
			return err
		}},
		{"Score", "GET", "/omni/get/score", func(ctx context.Context, _ *Client, s *Session) error {
			_, err := s.Score(ctx)
			return err
		}},
		{"OCRData", "GET", "/omni/get/ocr-data", func(ctx context.Context, _ *Client, s *Session) error {
			_, err := s.OCRData(ctx)
			return err
		}},
		{"Approve", "POST", "/omni/process/approve", func(ctx context.Context, _ *Client, s *Session) error {
			_, err := s.Approve(ctx)
			return err
		}},
		{"Call", "GET", "/omni/get/score", func(ctx context.Context, c *Client, _ *Session) error {
			var out map[string]any
			return c.Call(ctx, kyc.Operation{Name: "incode.Call", Method: "GET", Path: "/omni/get/score", Class: kyc.ClassFree},
				SessionInput{InterviewID: testID, Query: url.Values{"verbose": {"true"}}}, &out)
		}},
	}
}

func TestErrorMapping(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		kind   error
		code   string
	}{
		{"5xx", 500, `{"timestamp":1,"status":500,"error":"Internal Server Error","path":"/x"}`, kyc.ErrUnavailable, "500"},
		{"5xx html", 503, `<html>down</html>`, kyc.ErrUnavailable, ""},
		{"malformed json", 200, `{"status": "succ<html>` + "\x00", kyc.ErrBadResponse, ""},
		{"empty 200", 200, ``, kyc.ErrBadResponse, ""},
		{"error inside 200", 200, `{"timestamp":1695335887367,"status":4019,"error":"Face not found.","path":"/x"}`, kyc.ErrInvalidRequest, "4019"},
		{"bad token", 401, `{"timestamp":1,"status":401,"error":"Unauthorized","path":"/x"}`, kyc.ErrUnauthorized, "401"},
		{"bad key", 403, `{"message":"Forbidden"}`, kyc.ErrUnauthorized, ""},
	}
	for _, m := range methods(t) {
		for _, tc := range cases {
			if m.name == "Call" && tc.name == "empty 200" {
				continue // an empty answer is fine for the generic call
			}
			t.Run(m.name+"/"+tc.name, func(t *testing.T) {
				c, s, mt := mock(t, kyc.WithRetry(0, 0))
				mt.RegisterResponder(m.method, testBase+m.path, httpmock.NewStringResponder(tc.status, tc.body))
				err := m.call(context.Background(), c, s)
				require.ErrorIs(t, err, tc.kind)
				var kerr *kyc.Error
				require.ErrorAs(t, err, &kerr)
				assert.Equal(t, kyc.Incode, kerr.Provider)
				assert.Equal(t, "incode."+m.name, kerr.Op)
				assert.Equal(t, tc.code, kerr.Code)
				assert.Equal(t, tc.status, kerr.StatusCode)
				assert.NotContains(t, err.Error(), testToken)
				assert.NotContains(t, err.Error(), testKey)
			})
		}
		t.Run(m.name+"/cancelled", func(t *testing.T) {
			c, s, mt := mock(t)
			mt.RegisterResponder(m.method, testBase+m.path, httpmock.NewStringResponder(200, `{}`))
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := m.call(ctx, c, s)
			require.ErrorIs(t, err, context.Canceled)
			assert.ErrorIs(t, err, kyc.ErrTimeout)
			assert.Zero(t, mt.GetTotalCallCount())
		})
	}
}

func TestSuccessFalse(t *testing.T) {
	c, s, mt := mock(t)
	_ = c
	mt.RegisterResponder("POST", testBase+"/omni/process/id", httpmock.NewStringResponder(200, `{"success":false}`))
	mt.RegisterResponder("POST", testBase+"/omni/process/approve", httpmock.NewStringResponder(200, `{"success":false}`))
	assert.ErrorIs(t, s.ProcessID(context.Background()), kyc.ErrUnavailable)
	_, err := s.Approve(context.Background())
	assert.ErrorIs(t, err, kyc.ErrUnavailable)
}

// TestErrorCodes covers every documented Incode code, through the selfie
// upload where most of them arise.
func TestErrorCodes(t *testing.T) {
	tests := []struct {
		code    int
		http    int
		kind    error
		reason  kyc.Reason
		restart bool
	}{
		{100, 400, kyc.ErrInvalidRequest, kyc.ReasonLowQualityImage, false},
		{101, 400, kyc.ErrInvalidRequest, kyc.ReasonLowQualityImage, false},
		{1001, 400, kyc.ErrInvalidRequest, kyc.ReasonLowQualityImage, false},
		{1003, 400, kyc.ErrInvalidRequest, kyc.ReasonLowQualityImage, false},
		{3002, 400, kyc.ErrInvalidRequest, kyc.ReasonLowQualityImage, false},
		{3004, 400, kyc.ErrInvalidRequest, kyc.ReasonLowQualityImage, false},
		{3005, 400, kyc.ErrInvalidRequest, kyc.ReasonLowQualityImage, false},
		{3006, 400, kyc.ErrInvalidRequest, kyc.ReasonLowQualityImage, false},
		{3007, 400, kyc.ErrInvalidRequest, kyc.ReasonLowQualityImage, false},
		{3008, 400, kyc.ErrInvalidRequest, kyc.ReasonLowQualityImage, false},
		{3009, 400, kyc.ErrInvalidRequest, kyc.ReasonLowQualityImage, false},
		{3010, 400, kyc.ErrInvalidRequest, kyc.ReasonLowQualityImage, false},
		{4005, 400, kyc.ErrInvalidRequest, kyc.ReasonLivenessFailed, false},
		{4010, 400, kyc.ErrInvalidRequest, kyc.ReasonNoFace, false},
		{4019, 400, kyc.ErrInvalidRequest, kyc.ReasonNoFace, false},
		{500, 500, kyc.ErrUnavailable, "", false},
		{6000, 400, kyc.ErrUnavailable, "", true},
		{6000, 500, kyc.ErrUnavailable, "", true},
		{9999, 400, kyc.ErrInvalidRequest, "", false},
		{9999, 404, kyc.ErrNotFound, "", false},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.code)+"/"+strconv.Itoa(tt.http), func(t *testing.T) {
			_, s, mt := mock(t, kyc.WithRetry(0, 0))
			body := `{"timestamp":1,"status":` + strconv.Itoa(tt.code) + `,"error":"x","path":"/omni/add/face/third-party"}`
			mt.RegisterResponder("POST", testBase+"/omni/add/face/third-party", httpmock.NewStringResponder(tt.http, body))
			_, err := s.AddSelfie(context.Background(), img(t, ""))
			require.ErrorIs(t, err, tt.kind)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, strconv.Itoa(tt.code), kerr.Code)
			r, ok := ErrorReason(err)
			assert.Equal(t, tt.reason, r)
			assert.Equal(t, tt.reason != "", ok)
			assert.Equal(t, tt.restart, errors.Is(err, ErrRestartSession))
		})
	}
	// Every code in the tables is covered above.
	for code := range codeKinds {
		found := false
		for _, tt := range tests {
			found = found || strconv.Itoa(tt.code) == code
		}
		assert.True(t, found, code)
	}
	for code := range codeReasons {
		_, ok := codeKinds[code]
		assert.True(t, ok, "code %s has a reason but no kind", code)
	}
}

func TestDocumentedErrorBodies(t *testing.T) {
	for name, want := range map[string]struct {
		code   string
		reason kyc.Reason
	}{
		"error_4005.json": {"4005", kyc.ReasonLivenessFailed},
		"error_4019.json": {"4019", kyc.ReasonNoFace},
		"error_6000.json": {"6000", ""},
	} {
		_, s, mt := mock(t)
		mt.RegisterResponder("POST", testBase+"/omni/add/face/third-party", httpmock.NewBytesResponder(400, testutil.Fixture(t, name)))
		_, err := s.AddSelfie(context.Background(), img(t, ""))
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr, name)
		assert.Equal(t, want.code, kerr.Code, name)
		r, _ := ErrorReason(err)
		assert.Equal(t, want.reason, r, name)
		assert.NotEmpty(t, kerr.Message, name)
	}
}

func TestFailReasons(t *testing.T) {
	want := map[string]kyc.Reason{
		"UNKNOWN_DOCUMENT_TYPE":           kyc.ReasonUnsupportedDocument,
		"WRONG_DOCUMENT_SIDE":             kyc.ReasonFrontBackMismatch,
		"WRONG_ONE_SIDED_DOCUMENT":        kyc.ReasonFrontBackMismatch,
		"WRONG_UNFOLDED_DOCUMENT":         kyc.ReasonFrontBackMismatch,
		"UNFOLDED_DOCUMENT_PAGE_MISMATCH": kyc.ReasonFrontBackMismatch,
		"DOCUMENT_NOT_READABLE":           kyc.ReasonLowQualityImage,
		"UNABLE_TO_ALIGN_DOCUMENT":        kyc.ReasonLowQualityImage,
		"ID_TYPE_UNACCEPTABLE":            kyc.ReasonUnsupportedDocument,
		"UNEXPECTED_ERROR_OCCURRED":       kyc.ReasonOther,
		"SOMETHING_NEW":                   kyc.ReasonOther,
	}
	assert.Len(t, failReasons, 9)
	for fr, reason := range want {
		t.Run(fr, func(t *testing.T) {
			_, s, mt := mock(t)
			body := `{"classification":false,"failReason":"` + fr + `","sharpness":100,"glare":100,"horizontalResolution":0}`
			mt.RegisterResponder("POST", testBase+"/omni/add/front-id/v2", httpmock.NewStringResponder(200, body))
			res, err := s.AddFrontID(context.Background(), img(t, ""), false)
			require.NoError(t, err)
			assert.False(t, res.Accepted())
			assert.Equal(t, fr, res.FailReason)
			assert.Equal(t, reason, res.Reason())
			assert.True(t, reason.Valid())
		})
	}
}

func TestSelfieAndFaceQuirks(t *testing.T) {
	tests := []struct {
		body   string
		live   bool
		reason kyc.Reason
	}{
		{`{"confidence":0,"isBright":true}`, true, ""},
		{`{"confidence":1,"isBright":true}`, false, kyc.ReasonLivenessFailed},
		{`{"confidence":"1"}`, false, kyc.ReasonLivenessFailed},
		{`{"isBright":false}`, false, kyc.ReasonLowQualityImage},
		{`{"confidence":null}`, false, kyc.ReasonLowQualityImage},
	}
	for _, tt := range tests {
		r, err := decodeSelfie([]byte(tt.body))
		require.NoError(t, err)
		assert.Equal(t, tt.live, r.Live(), tt.body)
		assert.Equal(t, tt.reason, r.Reason(), tt.body)
	}
	for body, match := range map[string]bool{`{"confidence":1}`: true, `{"confidence":0}`: false, `{}`: false, `{"confidence":"1.0"}`: true} {
		r, err := decodeFace([]byte(body))
		require.NoError(t, err)
		assert.Equal(t, match, r.Match(), body)
	}
}

func TestScoreMapping(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		status  kyc.Status
		reasons []kyc.Reason
	}{
		{"ok", `{"overall":{"status":"OK"}}`, kyc.StatusApproved, nil},
		{"empty", `{"overall":{"value":null,"status":""}}`, kyc.StatusPending, nil},
		{"missing", `{}`, kyc.StatusPending, nil},
		{"warn", `{"overall":{"status":"WARN"},"liveness":{"overall":{"status":"WARN"}}}`, kyc.StatusReview, nil},
		{"manual", `{"overall":{"status":"MANUAL"}}`, kyc.StatusReview, nil},
		{"manual ok", `{"overall":{"status":"MANUAL_OK"}}`, kyc.StatusApproved, nil},
		{"lower case", `{"overall":{"status":"fail"}}`, kyc.StatusRejected, []kyc.Reason{kyc.ReasonOther}},
		{"new status", `{"overall":{"status":"SOMETHING"}}`, kyc.StatusReview, nil},
		{"liveness", `{"overall":{"status":"FAIL"},"liveness":{"livenessScore":{"status":"FAIL"},"overall":{"status":"FAIL"}}}`,
			kyc.StatusRejected, []kyc.Reason{kyc.ReasonLivenessFailed}},
		{"face", `{"overall":{"status":"FAIL"},"faceRecognition":{"overall":{"value":"10","status":"FAIL"}}}`,
			kyc.StatusRejected, []kyc.Reason{kyc.ReasonFaceMismatch}},
		{"expired and tampered", `{"overall":{"status":"FAIL"},"idValidation":{"photoSecurityAndQuality":[{"key":"tamperCheck","value":"FAILED","status":"FAIL"}],
			"idSpecific":[{"key":"expirationDateValidity","value":"0","status":"FAIL"},{"key":"documentExpired","value":"0","status":"FAIL"}],"overall":{"status":"FAIL"}}}`,
			kyc.StatusRejected, []kyc.Reason{kyc.ReasonDocumentForged, kyc.ReasonDocumentExpired}},
		{"unknown leaf", `{"overall":{"status":"FAIL"},"idValidation":{"idSpecific":{"newCheck":{"status":"FAIL"}},"overall":{"status":"FAIL"}}}`,
			kyc.StatusRejected, []kyc.Reason{kyc.ReasonOther}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DecodeScore([]byte(tt.body))
			require.NoError(t, err)
			assert.Equal(t, tt.status, r.Status())
			assert.Equal(t, tt.reasons, r.Reasons(false))
		})
	}
	r, err := DecodeScore([]byte(`{"liveness":{"overall":{"status":"WARN"}}}`))
	require.NoError(t, err)
	assert.Equal(t, []kyc.Reason{kyc.ReasonLivenessFailed}, r.Reasons(true), "warnings explain a review")
	_, err = DecodeScore([]byte(`[]`))
	assert.Error(t, err)
	r, err = DecodeScore([]byte(`{"idValidation":{"idSpecific":{"b":{"status":"OK"},"a":{"status":"FAIL"}}}}`))
	require.NoError(t, err)
	assert.Equal(t, "a", r.IDValidation.IDSpecific[0].Key, "an object of leaves is read in key order")
}

func TestOCRDates(t *testing.T) {
	d, err := DecodeOCR([]byte(`{"birthDate":-315619200000,"expireAt":"1654041600000","issuedAt":"","issueDate":"2019","name":{"givenName":"ANA","paternalLastName":"GARCIA","maternalLastName":"LOPEZ"},"typeOfId":"Passport"}`))
	require.NoError(t, err)
	doc := d.Document()
	assert.Equal(t, time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), doc.DateOfBirth)
	assert.Equal(t, time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC), doc.ExpiryDate)
	assert.True(t, doc.IssueDate.IsZero())
	assert.Equal(t, 2019, d.IssueDate)
	assert.Equal(t, "ANA GARCIA LOPEZ", doc.FullName)
	assert.Equal(t, "GARCIA LOPEZ", doc.LastName)
	assert.Equal(t, kyc.DocumentPassport, doc.Type)
	_, err = DecodeOCR([]byte(`"x"`))
	assert.Error(t, err)
}

func TestCallEscapeHatch(t *testing.T) {
	c, s, mt := mock(t)
	var query, token string
	var body []byte
	mt.RegisterResponder("POST", testBase+"/omni/add/user-consent", func(r *http.Request) (*http.Response, error) {
		query, token = r.URL.RawQuery, r.Header.Get("X-Incode-Hardware-Id")
		body, _ = io.ReadAll(r.Body)
		return httpmock.NewStringResponse(200, `{"success":true}`), nil
	})
	_ = s
	var out struct{ Success bool }
	op := kyc.Operation{Path: "/omni/add/user-consent"} // billed by default
	require.NoError(t, c.Call(context.Background(), op,
		SessionInput{InterviewID: testID, Query: url.Values{"x": {"1"}}, Body: map[string]any{"status": true}}, &out))
	assert.True(t, out.Success)
	assert.Equal(t, "x=1", query)
	assert.Equal(t, testToken, token, "the session's token is found by the client")
	assert.JSONEq(t, `{"status":true}`, string(body))
	assert.ErrorIs(t, c.Call(context.Background(), kyc.Operation{Path: "https://evil.example/x"}, nil, nil), kyc.ErrInvalidRequest)
	err := c.Call(context.Background(), op, SessionInput{InterviewID: "000000000000000000000000"}, nil)
	assert.ErrorIs(t, err, kyc.ErrUnsupported, "no token is known for that interview")
	assert.False(t, kyc.MayHaveBeenSent(err))
}

func TestResumeSessionValidates(t *testing.T) {
	c, _, _ := mock(t)
	for _, tc := range []struct {
		id  string
		tok kyc.Secret
	}{{"", kyc.NewSecret("t")}, {"a.b", kyc.NewSecret("t")}, {"a/b", kyc.Secret{}}, {"id", kyc.NewSecret("a\nb")}, {"id", kyc.NewSecret(strings.Repeat("a", MaxTokenLength+1))}} {
		_, err := c.ResumeSession(tc.id, tc.tok)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
	}
	for _, ref := range []string{"", "incode:", "atlas:abc.def", "incode:.tok", "incode:abc.", "incode:a/b", "incode:" + strings.Repeat("a", 65), "incode:abc.tok\n"} {
		_, _, err := c.ref("incode.Result", ref)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, ref)
	}
	id, tok, err := c.ref("incode.Result", "incode:"+testID+"."+testToken)
	require.NoError(t, err, "the old <id>.<token> form still parses")
	assert.Equal(t, testID, id)
	assert.Equal(t, testToken, tok.Reveal())
	id, tok, err = c.ref("incode.Result", "incode:"+testID)
	require.NoError(t, err)
	assert.Equal(t, testID, id)
	assert.True(t, tok.IsZero())
}

func TestNothingSecretIsLogged(t *testing.T) {
	logger, buf := testutil.CaptureLogger()
	_, s, mt := mock(t, kyc.WithLogger(logger))
	mt.RegisterResponder("POST", testBase+"/omni/add/face/third-party", httpmock.NewStringResponder(401, `{"status":401,"error":"Unauthorized"}`))
	_, err := s.AddSelfie(context.Background(), img(t, "secret_marker"))
	require.ErrorIs(t, err, kyc.ErrUnauthorized)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "authentication failures are not retried")
	out := buf.String()
	assert.Contains(t, out, "incode.AddSelfie")
	for _, secret := range []string{testKey, testToken, "secret_marker", testID} {
		assert.NotContains(t, out, secret)
		assert.NotContains(t, err.Error(), secret)
	}
}

func TestSessionDoesNotPrintItsToken(t *testing.T) {
	_, s, _ := mock(t)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(format, s), testToken, format)
		assert.NotContains(t, fmt.Sprintf(format, *s), testToken, format)
	}
}

func TestCaptureErrorBecomesRejection(t *testing.T) {
	c, _, mt := mock(t)
	mt.RegisterResponder("POST", testBase+"/omni/start", httpmock.NewBytesResponder(200, testutil.Fixture(t, "inferred_start.json")))
	mt.RegisterResponder("POST", testBase+"/omni/add/front-id/v2", httpmock.NewBytesResponder(200, testutil.Fixture(t, "front_ok.json")))
	mt.RegisterResponder("POST", testBase+"/omni/add/back-id/v2", httpmock.NewBytesResponder(200, testutil.Fixture(t, "front_ok.json")))
	mt.RegisterResponder("POST", testBase+"/omni/process/id", httpmock.NewBytesResponder(200, testutil.Fixture(t, "process_id.json")))
	mt.RegisterResponder("POST", testBase+"/omni/add/face/third-party", httpmock.NewBytesResponder(400, testutil.Fixture(t, "error_4019.json")))
	res, err := c.Verify(context.Background(), kyc.Request{ID: "u", Document: kyc.Document{Front: img(t, ""), Back: img(t, "")}, Selfie: img(t, "")})
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusRejected, res.Status)
	assert.Equal(t, []kyc.Reason{kyc.ReasonNoFace}, res.Reasons)
	assert.True(t, res.Resubmit)
	assert.JSONEq(t, string(testutil.Fixture(t, "error_4019.json")), string(res.Raw))
	assert.Equal(t, "incode:"+testID, res.Reference)
}

func readAll(t *testing.T, r *http.Request) []byte {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	return b
}

func jsonResponse(status int, body string) *http.Response {
	resp := httpmock.NewStringResponse(status, body)
	resp.Header.Set("Content-Type", "application/json")
	return resp
}

func jsonResponder(body string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) { return jsonResponse(200, body), nil }
}

func sprintf(format string, v any) string { return fmt.Sprintf(format, v) }

// TestRecordedAndRelayedBodies decodes every body in testdata through the
// typed method it answers (see testdata/README.md for their sources).
func TestRecordedAndRelayedBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file   string
		method string
		path   string
		call   func(ctx context.Context, s *Session) (any, error)
		check  func(t *testing.T, v any)
	}{
		{"recorded_approve.json", "POST", "/omni/process/approve", func(ctx context.Context, s *Session) (any, error) { return s.Approve(ctx) },
			func(t *testing.T, v any) {
				r := v.(*ApproveResult)
				assert.Equal(t, "6595c84ce69d469f69ad39fb", r.UUID)
				assert.Equal(t, "OK", r.TotalScore)
				assert.False(t, r.ExistingCustomer)
				assert.NotContains(t, fmt.Sprintf("%+v", r), "eyJ", "the identity token is not kept")
			}},
		{"approve.json", "POST", "/omni/process/approve", func(ctx context.Context, s *Session) (any, error) { return s.Approve(ctx) },
			func(t *testing.T, v any) { assert.True(t, v.(*ApproveResult).Success) }},
		{"front_ok.json", "POST", "/omni/add/front-id/v2", func(ctx context.Context, s *Session) (any, error) { return s.AddFrontID(ctx, img(t, ""), false) },
			func(t *testing.T, v any) { assert.True(t, v.(*IDSideResult).Accepted()) }},
		{"front_wrong_side.json", "POST", "/omni/add/front-id/v2", func(ctx context.Context, s *Session) (any, error) { return s.AddFrontID(ctx, img(t, ""), false) },
			func(t *testing.T, v any) { assert.Equal(t, kyc.ReasonFrontBackMismatch, v.(*IDSideResult).Reason()) }},
		{"selfie_live.json", "POST", "/omni/add/face/third-party", func(ctx context.Context, s *Session) (any, error) { return s.AddSelfie(ctx, img(t, "")) },
			func(t *testing.T, v any) { assert.Equal(t, kyc.Reason(""), v.(*SelfieResult).Reason()) }},
		{"inferred_selfie_not_bright.json", "POST", "/omni/add/face/third-party", func(ctx context.Context, s *Session) (any, error) { return s.AddSelfie(ctx, img(t, "")) },
			func(t *testing.T, v any) {
				assert.False(t, v.(*SelfieResult).IsBright)
				assert.Equal(t, kyc.ReasonLowQualityImage, v.(*SelfieResult).Reason())
			}},
		{"inferred_selfie_lenses.json", "POST", "/omni/add/face/third-party", func(ctx context.Context, s *Session) (any, error) { return s.AddSelfie(ctx, img(t, "")) },
			func(t *testing.T, v any) { assert.Equal(t, kyc.ReasonLowQualityImage, v.(*SelfieResult).Reason()) }},
		{"inferred_selfie_face_mask.json", "POST", "/omni/add/face/third-party", func(ctx context.Context, s *Session) (any, error) { return s.AddSelfie(ctx, img(t, "")) },
			func(t *testing.T, v any) { assert.Equal(t, kyc.ReasonLowQualityImage, v.(*SelfieResult).Reason()) }},
		{"face_match.json", "POST", "/omni/process/face", func(ctx context.Context, s *Session) (any, error) { return s.ProcessFace(ctx) },
			func(t *testing.T, v any) { assert.True(t, v.(*FaceMatchResult).Match()) }},
		{"process_id.json", "POST", "/omni/process/id", func(ctx context.Context, s *Session) (any, error) { return nil, s.ProcessID(ctx) },
			func(*testing.T, any) {}},
		{"status.json", "GET", "/omni/get/onboarding/status", func(ctx context.Context, s *Session) (any, error) { return s.OnboardingStatus(ctx) },
			func(t *testing.T, v any) { assert.Equal(t, StatusIDValidationFinished, v.(OnboardingStatus)) }},
		{"inferred_finish.json", "GET", "/omni/finish-status", func(ctx context.Context, s *Session) (any, error) { return s.FinishStatus(ctx) },
			func(t *testing.T, v any) { assert.Equal(t, "approved", v.(*FinishResult).Action) }},
		{"score.json", "GET", "/omni/get/score", func(ctx context.Context, s *Session) (any, error) { return s.Score(ctx) },
			func(t *testing.T, v any) {
				r := v.(*ScoreResult)
				assert.Equal(t, kyc.StatusPending, r.Status())
				assert.True(t, r.FaceRecognition.ExistingUser)
			}},
		{"inferred_score_name_mismatch.json", "GET", "/omni/get/score", func(ctx context.Context, s *Session) (any, error) { return s.Score(ctx) },
			func(t *testing.T, v any) {
				r := v.(*ScoreResult)
				assert.Equal(t, kyc.StatusRejected, r.Status())
				assert.Equal(t, []kyc.Reason{kyc.ReasonNameMismatch}, r.Reasons(false), "a customFields name FAIL reaches Reasons")
				require.Len(t, r.IDValidation.CustomFields, 2)
			}},
		{"ocr.json", "GET", "/omni/get/ocr-data", func(ctx context.Context, s *Session) (any, error) { return s.OCRData(ctx) },
			func(t *testing.T, v any) { assert.Equal(t, "ALEX GINMAN", v.(*OCRResult).Name.FullName) }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			_, s, mt := mock(t)
			mt.RegisterResponder(tt.method, testBase+tt.path, httpmock.NewBytesResponder(200, testutil.Fixture(t, tt.file)))
			v, err := tt.call(context.Background(), s)
			require.NoError(t, err)
			tt.check(t, v)
		})
	}
}

func TestProcessFaceSendsNoQuery(t *testing.T) {
	t.Parallel()
	_, s, mt := mock(t)
	var query string
	mt.RegisterResponder("POST", testBase+"/omni/process/face", func(r *http.Request) (*http.Response, error) {
		query = r.URL.RawQuery
		return httpmock.NewBytesResponse(200, testutil.Fixture(t, "face_match.json")), nil
	})
	var selfieQuery string
	mt.RegisterResponder("POST", testBase+"/omni/add/face/third-party", func(r *http.Request) (*http.Response, error) {
		selfieQuery = r.URL.RawQuery
		return httpmock.NewBytesResponse(200, testutil.Fixture(t, "selfie_live.json")), nil
	})
	_, err := s.ProcessFace(context.Background())
	require.NoError(t, err)
	assert.Empty(t, query, "process/face is sent without imageType, as real clients send it")
	_, err = s.AddSelfie(context.Background(), img(t, ""))
	require.NoError(t, err)
	assert.Equal(t, "imageType=selfie", selfieQuery, "the selfie upload keeps its documented query")
}

func TestSessionTokensAreBounded(t *testing.T) {
	t.Parallel()
	hc, mt := testutil.MockHTTP(t)
	c, err := New(Config{APIKey: kyc.NewSecret(testKey), SessionTokens: 3}, kyc.WithHTTPClient(hc), kyc.WithBaseURL(testBase))
	require.NoError(t, err)
	n := 0
	mt.RegisterResponder("POST", testBase+"/omni/start", func(*http.Request) (*http.Response, error) {
		n++
		return jsonResponse(200, fmt.Sprintf(`{"token":"eyJ.tok%d.sig","interviewId":"%024d"}`, n, n)), nil
	})
	var ids []string
	for range 5 {
		s, err := c.StartSession(context.Background(), StartRequest{})
		require.NoError(t, err)
		ids = append(ids, s.InterviewID)
	}
	assert.Equal(t, 3, c.kept.len(), "at most SessionTokens are kept")
	_, ok := c.kept.get(ids[0])
	assert.False(t, ok, "the least recently used token left first")
	_, ok = c.kept.get(ids[4])
	assert.True(t, ok)
	none, err := New(Config{APIKey: kyc.NewSecret(testKey), SessionTokens: -1})
	require.NoError(t, err)
	none.kept.put("x", kyc.NewSecret("t"))
	assert.Zero(t, none.kept.len(), "a negative bound keeps none")
}
