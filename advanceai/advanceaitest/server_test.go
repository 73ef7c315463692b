package advanceaitest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/advanceai/advanceaitest"
)

func post(t *testing.T, srv *advanceaitest.Server, path, body string) (int, map[string]any) {
	t.Helper()
	resp, err := srv.Client().Post(srv.URL+path, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var env map[string]any
	require.NoError(t, json.Unmarshal(b, &env), string(b))
	for _, k := range []string{"code", "message", "data", "extra", "transactionId", "pricingStrategy"} {
		assert.Contains(t, env, k)
	}
	return resp.StatusCode, env
}

func TestTokenEndpointChecks(t *testing.T) {
	clk := advanceaitest.NewClock(time.UnixMilli(1665993522952))
	srv := advanceaitest.New(t, advanceaitest.WithClock(clk.Now), advanceaitest.WithCredentials("sampleaccesskey", "samplesecretkey"))
	ts := int64(1665993522952)
	sig := advanceai.Signature("sampleaccesskey", kyc.NewSecret("samplesecretkey"), ts)
	body := func(ak, sig, ts, period string) string {
		return `{"accessKey":"` + ak + `","signature":"` + sig + `","timestamp":` + ts + period + `}`
	}
	tests := []struct {
		name, body, code, message string
		status                    int
	}{
		{"number timestamp", body("sampleaccesskey", sig, strconv.FormatInt(ts, 10), ""), "SUCCESS", "OK", 200},
		{"string timestamp and period", body("sampleaccesskey", sig, `"`+strconv.FormatInt(ts, 10)+`"`, `,"periodSecond":"120"`), "SUCCESS", "OK", 200},
		{"documented vector", body("sampleaccesskey", "02209bbeaf0d0a3dd587f6a1ba22f84c98d142e3b545e77db7e4906ca56349f5", "1665993522952", ""), "SUCCESS", "OK", 200},
		{"wrong signature", body("sampleaccesskey", strings.Repeat("0", 64), strconv.FormatInt(ts, 10), ""), "PARAMETER_ERROR", "Signature error", 200},
		{"wrong access key", body("other", sig, strconv.FormatInt(ts, 10), ""), "PARAMETER_ERROR", "Signature error", 200},
		{"10-digit timestamp", body("sampleaccesskey", sig, "1665993522", ""), "PARAMETER_ERROR", "Timestamp error", 200},
		{"skewed timestamp", body("sampleaccesskey", advanceai.Signature("sampleaccesskey", kyc.NewSecret("samplesecretkey"), ts-301000), strconv.FormatInt(ts-301000, 10), ""), "PARAMETER_ERROR", "Timestamp error", 200},
		{"empty", `{}`, "PARAMETER_ERROR", "Parameter should not be empty", 200},
		{"period too short", body("sampleaccesskey", sig, strconv.FormatInt(ts, 10), `,"periodSecond":10`), "PARAMETER_ERROR", "Parameter error,please check you input.", 200},
		{"not JSON", `nope`, "CLIENT_ERROR", "HTTP 400 - Bad Request", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, env := post(t, srv, advanceai.PathGenerateToken, tt.body)
			assert.Equal(t, tt.status, status)
			assert.Equal(t, tt.code, env["code"])
			assert.Equal(t, tt.message, env["message"])
			assert.Equal(t, "FREE", env["pricingStrategy"])
			if tt.code == "SUCCESS" {
				data := env["data"].(map[string]any)
				assert.NotEmpty(t, data["token"])
				assert.Greater(t, data["expiredTime"].(float64), float64(ts))
			} else {
				assert.Nil(t, env["data"])
			}
		})
	}
	assert.Equal(t, len(tests), srv.TokenRequests())
}

func TestBusinessCallsNeedALiveToken(t *testing.T) {
	clk := advanceaitest.NewClock(time.Now())
	srv := advanceaitest.New(t, advanceaitest.WithClock(clk.Now), advanceaitest.WithTokenTTL(time.Minute))
	c, err := advanceai.New(srv.Config(), srv.Options()...)
	require.NoError(t, err)
	tok, err := c.GenerateToken(t.Context())
	require.NoError(t, err)
	assert.Equal(t, clk.Now().Add(time.Minute).UnixMilli(), tok.ExpiredTime, "WithTokenTTL overrides periodSecond")

	call := func(token string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+advanceai.PathGetResult, strings.NewReader(`{"signatureId":"x"}`))
		if token != "" {
			req.Header.Set(advanceai.HeaderAccessToken, token)
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, 200, call(tok.Token.Reveal()))
	assert.Equal(t, 401, call(""))
	assert.Equal(t, 401, call("made-up"))
	clk.Advance(time.Minute)
	assert.Equal(t, 401, call(tok.Token.Reveal()), "expired by the fake's clock")

	status, env := post(t, srv, "/no/such/path", `{}`)
	assert.Equal(t, 404, status)
	assert.Equal(t, "CLIENT_ERROR", env["code"])
}
