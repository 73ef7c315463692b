package incodetest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
)

func do(t *testing.T, srv *incodetest.Server, method, path, key, version, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, bytes.NewReader([]byte(body)))
	require.NoError(t, err)
	if key != "" {
		req.Header.Set("x-api-key", key)
	}
	if version != "" {
		req.Header.Set("api-version", version)
	}
	if token != "" {
		req.Header.Set("X-Incode-Hardware-Id", token)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, out
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	st, body := do(t, srv, "POST", "/omni/start", incodetest.APIKey, "", "", `{}`)
	assert.Equal(t, 400, st, "api-version is mandatory")
	assert.EqualValues(t, 400, body["status"])
	st, body = do(t, srv, "POST", "/omni/start", "wrong", "1.0", "", `{}`)
	assert.Equal(t, 403, st)
	assert.Equal(t, "/omni/start", body["path"])
	assert.NotNil(t, body["timestamp"])
	st, _ = do(t, srv, "GET", "/omni/get/score", incodetest.APIKey, "1.0", "not-a-token", "")
	assert.Equal(t, 401, st)

	st, body = do(t, srv, "POST", "/omni/start", incodetest.APIKey, "1.0", "", `{"countryCode":"ALL","externalCustomerId":"k1"}`)
	require.Equal(t, 200, st)
	token, id := body["token"].(string), body["interviewId"].(string)
	assert.Len(t, id, 24)
	st, _ = do(t, srv, "GET", "/omni/get/score?id=000000000000000000000000", incodetest.APIKey, "1.0", token, "")
	assert.Equal(t, 401, st, "a token reads only its own session")
	st, body = do(t, srv, "GET", "/omni/get/onboarding/status?id="+id, incodetest.APIKey, "1.0", token, "")
	assert.Equal(t, 200, st)
	assert.Equal(t, "UNKNOWN", body["onboardingStatus"])
	st, _ = do(t, srv, "GET", "/omni/nope", incodetest.APIKey, "1.0", token, "")
	assert.Equal(t, 404, st)
	st, _ = do(t, srv, "POST", "/omni/add/front-id/v2", incodetest.APIKey, "1.0", token, `{"base64Image":"!!"}`)
	assert.Equal(t, 400, st)

	do(t, srv, "POST", "/omni/start", incodetest.APIKey, "1.0", "", `{"externalCustomerId":"k1"}`)
	do(t, srv, "POST", "/omni/start", incodetest.APIKey, "1.0", "", `{"externalCustomerId":"k2"}`)
	assert.Equal(t, 2, srv.Sends("k1"))
	assert.Equal(t, 1, srv.Sends("k2"))
	assert.Equal(t, 1, srv.DuplicateSends())
	assert.Equal(t, 3, srv.Sessions())
}

func TestConfigAndOptions(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t, incodetest.WithAPIKey("other-key"), incodetest.WithDelay(time.Millisecond))
	cfg := srv.Config()
	assert.Equal(t, "other-key", cfg.APIKey.Reveal())
	c, err := incode.New(cfg, srv.Options()...)
	require.NoError(t, err)
	defer c.Close()
	s, err := c.StartSession(context.Background(), incode.StartRequest{ExternalCustomerID: "x"})
	require.NoError(t, err)
	assert.NotEmpty(t, s.InterviewID)
}

func TestSendWebhook(t *testing.T) {
	t.Parallel()
	var got []*http.Request
	var bodies []string
	hook := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got, bodies = append(got, r), append(bodies, string(b))
		if len(got) == 1 {
			w.WriteHeader(500) // the first delivery fails: Incode retries once
			return
		}
		_, _ = w.Write([]byte(`{"success":true}`))
	}))
	defer hook.Close()
	srv := incodetest.New(t, incodetest.WithWebhookClient(hook.Client()))
	c, err := incode.New(srv.Config(), srv.Options()...)
	require.NoError(t, err)
	s, err := c.StartSession(context.Background(), incode.StartRequest{ExternalCustomerID: "ext-9"})
	require.NoError(t, err)
	st, err := srv.SendWebhook(context.Background(), hook.URL, s.InterviewID, "ONBOARDING_FINISHED", "tok")
	require.NoError(t, err)
	assert.Equal(t, 200, st)
	require.Len(t, got, 2)
	assert.Equal(t, "Bearer tok", got[1].Header.Get("Authorization"))
	assert.JSONEq(t, `{"interviewId":"`+s.InterviewID+`","externalId":"ext-9","onboardingStatus":"ONBOARDING_FINISHED"}`, bodies[1])
}

func TestExecutiveLogIn(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	st, _ := do(t, srv, "POST", "/executive/log-in", incodetest.APIKey, "1.0", "",
		`{"email":"`+incodetest.ExecutiveEmail+`","password":"wrong"}`)
	assert.Equal(t, 401, st)
	st, body := do(t, srv, "POST", "/executive/log-in", incodetest.APIKey, "1.0", "",
		`{"email":"`+incodetest.ExecutiveEmail+`","password":"`+incodetest.ExecutivePassword+`"}`)
	require.Equal(t, 200, st)
	exec := body["token"].(string)
	assert.Equal(t, 1, srv.LogIns())
	_, start := do(t, srv, "POST", "/omni/start", incodetest.APIKey, "1.0", "", `{}`)
	id := start["interviewId"].(string)
	st, _ = do(t, srv, "GET", "/omni/get/onboarding/status?id="+id, incodetest.APIKey, "1.0", exec, "")
	assert.Equal(t, 200, st, "an executive token reads any session by id")
	st, _ = do(t, srv, "GET", "/omni/finish-status", incodetest.APIKey, "1.0", exec, "")
	assert.Equal(t, 400, st, "an executive token names no session by itself")
	srv.ExpireExecutiveTokens()
	st, _ = do(t, srv, "GET", "/omni/get/onboarding/status?id="+id, incodetest.APIKey, "1.0", exec, "")
	assert.Equal(t, 401, st)
	assert.Contains(t, srv.Tokens(), exec)
}

func TestOverCapBodyIsRefused(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	_, start := do(t, srv, "POST", "/omni/start", incodetest.APIKey, "1.0", "", `{}`)
	token := start["token"].(string)
	big := `{"base64Image":"` + strings.Repeat("A", incode.MaxImageBytes/3*4+8192) + `"}`
	st, body := do(t, srv, "POST", "/omni/add/front-id/v2", incodetest.APIKey, "1.0", token, big)
	assert.Equal(t, http.StatusRequestEntityTooLarge, st)
	assert.EqualValues(t, 413, body["status"])
}

func TestWebhookHelpers(t *testing.T) {
	t.Parallel()
	assert.JSONEq(t, `{"interviewId":"abc","onboardingStatus":"ONBOARDING_FINISHED"}`, string(incodetest.Webhook("ONBOARDING_FINISHED", "abc")))
	var got http.Header
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Header.Clone() }))
	defer hook.Close()
	st, err := incodetest.PostWebhook(context.Background(), nil, hook.URL, incodetest.Webhook("UNKNOWN", "abc"), "tok")
	require.NoError(t, err)
	assert.Equal(t, 200, st)
	assert.Equal(t, "Bearer tok", got.Get("Authorization"))
}
