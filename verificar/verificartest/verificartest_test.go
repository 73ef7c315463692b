package verificartest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/phone"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

// post sends body to the fake's function fn with plain net/http, outside
// the SDK, and returns the status and the decoded answer.
func post(t *testing.T, srv *verificartest.Server, method, fn, body string, auth bool) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+fn, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if auth {
		req.SetBasicAuth(verificartest.APIUser, verificartest.APIToken)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var arr []map[string]any
	if json.Unmarshal(b, &arr) == nil && len(arr) == 1 {
		return resp.StatusCode, arr[0]
	}
	return resp.StatusCode, nil
}

// TestFakeChecksTheDocumentedParameters: the fake refuses what Mensatek
// refuses, with the documented Res codes, so a client that sends the wrong
// form fails its tests.
func TestFakeChecksTheDocumentedParameters(t *testing.T) {
	t.Parallel()
	srv := verificartest.New(t)
	for name, tt := range map[string]struct {
		fn, body string
		auth     bool
		res      float64
		errText  string
	}{
		"no credentials":       {verificar.PathSend, `{"Telefono":"34600000001","Resp":"JSON"}`, false, -1, ""},
		"plus in Telefono":     {verificar.PathSend, `{"Telefono":"+34600000001","Resp":"JSON"}`, true, -3, "Telefono no válido"},
		"no Telefono":          {verificar.PathSend, `{"Resp":"JSON"}`, true, -3, "Falta el parámetro Telefono"},
		"Remitente of 12":      {verificar.PathSend, `{"Telefono":"34600000001","Remitente":"ABCDEFGHIJKL","Resp":"JSON"}`, true, -3, "Remitente: máximo 11 caracteres"},
		"Mensaje without LINK": {verificar.PathSend, `{"Telefono":"34600000001","Mensaje":"Hola","Resp":"JSON"}`, true, -3, "El Mensaje debe incluir [LINK]"},
		"bad Fecha":            {verificar.PathSend, `{"Telefono":"34600000001","Fecha":"mañana","Resp":"JSON"}`, true, -3, "Fecha no válida"},
		"no Resp":              {verificar.PathCredits, `{}`, true, -3, "Falta el parámetro Resp=JSON"},
		"unknown certificate":  {verificar.PathCertificate, `{"Id":"1","Resp":"JSON"}`, true, -3, "Id no válido"},
		"not activated":        {verificar.PathSend, `{"Telefono":"` + verificartest.PhoneNotActivated + `","Resp":"JSON"}`, true, -4, ""},
		"general error":        {verificar.PathSend, `{"Telefono":"` + verificartest.PhoneGeneralError + `","Resp":"JSON"}`, true, -5, ""},
		"over 1 MiB":           {verificar.PathSend, `{"Telefono":"34600000001","Resp":"JSON","X":"` + strings.Repeat("a", 1<<20) + `"}`, true, -3, "Parámetros no válidos"},
	} {
		status, ans := post(t, srv, http.MethodPost, tt.fn, tt.body, tt.auth)
		assert.Equal(t, http.StatusOK, status, name)
		require.NotNil(t, ans, name)
		assert.Equal(t, tt.res, ans["Res"], name)
		if tt.errText != "" {
			assert.Equal(t, tt.errText, ans["Error"], name)
		}
	}
	assert.Zero(t, srv.Sends("34600000001"), "no refused send is charged")
	assert.Equal(t, float64(verificartest.DefaultCredits), srv.Credits())

	status, _ := post(t, srv, http.MethodGet, verificar.PathCredits, ``, true)
	assert.Equal(t, http.StatusMethodNotAllowed, status)
	status, _ = post(t, srv, http.MethodPost, "/EnviarSMS", `{}`, true)
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = post(t, srv, http.MethodPost, verificar.PathSend, `{"Telefono":"`+verificartest.PhoneServerError+`","Resp":"JSON"}`, true)
	assert.Equal(t, http.StatusInternalServerError, status)
}

// TestWebhookPayload: the package-level payload is the documented report,
// nested fields as JSON strings, whatever the fake.
func TestWebhookPayload(t *testing.T) {
	t.Parallel()
	var m map[string]string
	require.NoError(t, json.Unmarshal(verificartest.WebhookPayload("299846332", verificar.EstadoFinished), &m))
	assert.Equal(t, verificar.ServiceIdentity, m["Servicio"])
	assert.Equal(t, "299846332", m["ID"])
	assert.Equal(t, "5001", m["Estado"])
	assert.True(t, json.Valid([]byte(m["Result"])), "Result is JSON inside a string")
	ct, body := verificartest.Webhook{ID: "7", Estado: verificar.EstadoAccessed, Form: true}.Body()
	assert.Equal(t, "application/x-www-form-urlencoded", ct)
	assert.True(t, bytes.Contains(body, []byte("Estado=3000")))
	_, body = verificartest.Webhook{ID: "7", Estado: verificar.EstadoAccessed}.Body()
	assert.NotContains(t, string(body), "Result", "no Result before the process finished")
}

// The magic phones reach no real person: each is in the North American
// fiction range (kyctest.FictionPhone), in Mensatek's form, valid for
// Verificar's strict check (so Verify can send it), and the fake answers it.
func TestMagicPhonesAreFiction(t *testing.T) {
	srv := verificartest.New(t)
	for _, tc := range []struct {
		phone string
		res   int
	}{{verificartest.PhoneNotActivated, -4}, {verificartest.PhoneGeneralError, -5}, {verificartest.SamplePhone, 1}} {
		n, err := strconv.Atoi(strings.TrimPrefix(tc.phone, "1201555"))
		require.NoError(t, err, tc.phone)
		assert.Equal(t, kyctest.FictionPhone(n-100), "+"+tc.phone, "%s is not in the fiction range", tc.phone)
		assert.True(t, phone.IsValid("+"+tc.phone), "%s: Verify must be able to send it", tc.phone)
		status, body := post(t, srv, http.MethodPost, verificar.PathSend, `{"Telefono":"`+tc.phone+`","Resp":"JSON"}`, true)
		assert.Equal(t, http.StatusOK, status)
		assert.EqualValues(t, tc.res, body["Res"], tc.phone)
	}
	assert.Equal(t, kyctest.FictionPhone(50), "+"+verificartest.PhoneServerError)
	assert.True(t, phone.IsValid("+"+verificartest.PhoneServerError), "Verify must be able to send PhoneServerError")
}
