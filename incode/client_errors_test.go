package incode

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

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
