package incode

import (
	"context"
	"encoding/base64"
	"encoding/json"
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
