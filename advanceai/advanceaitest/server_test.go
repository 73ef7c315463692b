package advanceaitest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/advanceai/advanceaitest"
	"github.com/kyc-go/kyc/kyctest"
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
	t.Parallel()
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
	t.Parallel()
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

// TestPackageDocListsEveryMagicInput: the table of the package doc has a
// row for every kyctest magic input, and MagicOutcome agrees with it.
func TestPackageDocListsEveryMagicInput(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("server.go")
	require.NoError(t, err)
	doc := string(src[:bytes.Index(src, []byte("package advanceaitest"))])
	for _, m := range kyctest.MagicInputs() {
		i := strings.Index(doc, "("+m+")")
		require.GreaterOrEqual(t, i, 0, "the package doc has a row for %s", m)
		row := doc[i:]
		row = row[:strings.IndexByte(row, '\n')]
		code, produced := advanceaitest.MagicOutcome(m)
		if produced {
			assert.Contains(t, row, code, "the row of %s names its idvCode", m)
		} else {
			assert.Contains(t, row, "cannot be produced", m)
			assert.Equal(t, advanceai.IDVSuccess, code)
		}
	}
}

func TestCapture(t *testing.T) {
	t.Parallel()
	srv := advanceaitest.New(t)
	c, err := advanceai.New(srv.Config(), srv.Options()...)
	require.NoError(t, err)
	ctx := t.Context()
	link, err := c.GenerateURL(ctx, advanceai.GenerateURLRequest{ReturnURL: "https://example.com/done"})
	require.NoError(t, err)

	require.NoError(t, srv.SetOutcome(link.SignatureID, advanceai.IDVTooManyCards))
	require.NoError(t, srv.Capture(link.SignatureID, kyctest.MagicImage(kyctest.ImageNoDocument, 0)))
	r, err := c.GetResult(ctx, link.SignatureID)
	require.NoError(t, err)
	assert.Equal(t, advanceai.IDVCardNotFound, r.IDVCode, "the marker wins over SetOutcome")
	require.NoError(t, srv.Capture(link.SignatureID, kyctest.MagicImage(kyctest.ImageForged, 0)))
	r, err = c.GetResult(ctx, link.SignatureID)
	require.NoError(t, err)
	assert.Equal(t, advanceai.IDVCardNotFound, r.IDVCode, "a finished verification stays as it is")

	other, err := c.GenerateURL(ctx, advanceai.GenerateURLRequest{ReturnURL: "https://example.com/done"})
	require.NoError(t, err)
	require.NoError(t, srv.SetOutcome(other.SignatureID, advanceai.IDVTooManyCards))
	require.NoError(t, srv.Capture(other.SignatureID, kyctest.MagicImage("", 0)))
	r, err = c.GetResult(ctx, other.SignatureID)
	require.NoError(t, err)
	assert.Equal(t, advanceai.IDVTooManyCards, r.IDVCode, "no marker: SetOutcome")

	assert.Error(t, srv.Capture("nope", nil))
	assert.Equal(t, "ed8b21c0c87ad617", advanceaitest.SignatureID("advanceai:ed8b21c0c87ad617"))
	assert.Equal(t, "x", advanceaitest.SignatureID("x"))
}
