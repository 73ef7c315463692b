package verificar

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

// Webhook credentials of the tests' receivers.
const hookUser, hookPass = "mensatek", "s3cret"

// webhookClient is a receiver configured by edit (nil: hookUser and
// hookPass), logging at debug level into the returned buffer.
func webhookClient(t *testing.T, edit func(*Config)) (*Client, *testutil.Buffer) {
	t.Helper()
	now := time.Date(2021, 10, 10, 10, 11, 0, 0, time.UTC)
	cfg := Config{APIUser: "u", APIToken: kyc.NewSecret("t"), WebhookUser: hookUser, WebhookPassword: kyc.NewSecret(hookPass)}
	if edit != nil {
		edit(&cfg)
	}
	logger, logs := testutil.CaptureLogger()
	c, err := New(cfg, kyc.WithClock(func() time.Time { return now }), kyc.WithLogger(logger))
	require.NoError(t, err)
	return c, logs
}

// noCredentials configures no webhook credentials; optIn accepts
// unauthenticated webhooks on top.
func noCredentials(cfg *Config) { cfg.WebhookUser, cfg.WebhookPassword = "", kyc.Secret{} }
func optIn(cfg *Config)         { noCredentials(cfg); cfg.AcceptUnauthenticatedWebhooks = true }

// signed adds the receivers' Basic credentials to r.
func signed(r *http.Request) *http.Request { r.SetBasicAuth(hookUser, hookPass); return r }

func post(contentType string, body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/hooks/verificar", bytes.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

// formOf turns the JSON sample into the form the panel can send instead.
func formOf(t *testing.T, sample []byte) url.Values {
	var m map[string]string
	require.NoError(t, json.Unmarshal(sample, &m))
	v := url.Values{}
	for k, x := range m {
		v.Set(k, x)
	}
	return v
}

func multipartOf(t *testing.T, v url.Values) (string, []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k := range v {
		require.NoError(t, mw.WriteField(k, v.Get(k)))
	}
	require.NoError(t, mw.Close())
	return mw.FormDataContentType(), buf.Bytes()
}

// TestWebhookSample parses the documentation's full sample, whose nested
// fields are escaped JSON strings, in the three body formats.
func TestWebhookSample(t *testing.T) {
	t.Parallel()
	sample := testutil.Fixture(t, "webhook_sample.json")
	form := formOf(t, sample)
	mpType, mpBody := multipartOf(t, form)
	for name, req := range map[string]*http.Request{
		"json":         post("application/json", sample),
		"json sniffed": post("", sample),
		"json BOM":     post("application/json", append([]byte("\xef\xbb\xbf"), sample...)),
		"form":         post("application/x-www-form-urlencoded", []byte(form.Encode())),
		"multipart":    post(mpType, mpBody),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _ := webhookClient(t, nil)
			ev, err := c.ParseWebhook(signed(req))
			require.NoError(t, err)
			assert.Equal(t, kyc.Verificar, ev.Provider)
			assert.Equal(t, "verificar:299846332", ev.Reference)
			assert.Equal(t, "5001", ev.Type)
			assert.True(t, ev.Authenticated)
			assert.False(t, ev.Confirmed, "Mensatek has no read-back")
			assert.Equal(t, time.Date(2021, 10, 10, 10, 11, 0, 0, time.UTC), ev.ReceivedAt)

			res := ev.Result
			require.NotNil(t, res)
			assert.Equal(t, kyc.StatusApproved, res.Status, "93.96 >= 80 with PruebaDeVida Si")
			assert.Empty(t, res.Reasons)
			assert.Equal(t, ev.Reference, res.Reference)
			fm, ok := res.Scores.FaceMatch.Value()
			assert.True(t, ok)
			assert.InDelta(t, 0.93957847595214844, fm, 1e-12)
			lv, ok := res.Scores.Liveness.Value()
			assert.True(t, ok)
			assert.Equal(t, 1.0, lv)

			d := res.Document
			require.NotNil(t, d)
			assert.Equal(t, kyc.DocumentIDCard, d.Type)
			assert.Equal(t, "00000000T", d.Number)
			assert.Equal(t, "RAFAEL", d.FirstName)
			assert.Equal(t, "APARICIO GARCIA", d.LastName)
			assert.Equal(t, "RAFAEL APARICIO GARCIA", d.FullName)
			assert.Equal(t, time.Date(1955, 12, 18, 0, 0, 0, 0, time.UTC), d.DateOfBirth)
			assert.Equal(t, time.Date(2027, 10, 19, 0, 0, 0, 0, time.UTC), d.ExpiryDate)
			assert.Equal(t, "M", d.Sex)
			assert.Equal(t, "ESP", d.Nationality)
			assert.Equal(t, "ESP", d.IssuingCountry)
			assert.Equal(t, map[string]string{"NumeroSerie": "BGT78666", "TipoDocumento": "ID-1", "Caducado": "No", "Edad": "66"}, d.Extra)

			// Raw is JSON with the nested fields decoded in place.
			var raw map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(ev.Raw, &raw))
			for field, fixture := range map[string]string{
				"Acceso": "webhook_acceso.json", "Posicion": "webhook_posicion.json",
				"Dispositivo": "webhook_dispositivo.json",
			} {
				assert.JSONEq(t, string(testutil.Fixture(t, fixture)), string(raw[field]), field)
			}
			var result map[string]any
			require.NoError(t, json.Unmarshal(raw["Result"], &result))
			assert.Equal(t, "N/A", result["DNISolicitadoCoincide"])
			assert.Equal(t, 93.957847595214844, result["Resultado"])
		})
	}
}

// TestWebhookResultAsObject: the Result given directly as JSON, not as a
// string (the documented Example form).
func TestWebhookResultAsObject(t *testing.T) {
	t.Parallel()
	body := `{"Servicio":"VERIFICACION_IDENTIDAD","ID":299846332,"Estado":5001,"Result":` +
		string(bytes.TrimSpace(testutil.Fixture(t, "webhook_result.json"))) + `}`
	ev, err := parseReport("t", "application/json", []byte(body))
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, ev.Result.Status)
	assert.Equal(t, "JUAN", ev.Result.Document.FirstName)
	assert.Equal(t, "APARICIO LOPEZ", ev.Result.Document.LastName)
}

// TestEstadoResultadoTable maps every documented Estado, and every
// documented Resultado under Estado 5001 and 5500.
func TestEstadoResultadoTable(t *testing.T) {
	t.Parallel()
	type want struct {
		status kyc.Status
		reason kyc.Reason // "" for none
	}
	cases := []struct {
		estado    int
		resultado string // "" for no Result
		vida      string
		want      want
	}{
		{3000, "", "", want{kyc.StatusPending, ""}},
		{3001, "", "", want{kyc.StatusPending, ""}},
		{3002, "", "", want{kyc.StatusPending, ""}},
		{3003, "", "", want{kyc.StatusPending, ""}},
		{5000, "", "", want{kyc.StatusPending, ""}},
		{5100, "", "", want{kyc.StatusApproved, ""}},
		{5100, "93.5", "Si", want{kyc.StatusApproved, ""}},
		{5500, "", "", want{kyc.StatusRejected, kyc.ReasonOther}},
		{5500, "-8", "Si", want{kyc.StatusRejected, kyc.ReasonFaceMismatch}},
		{5500, "91", "Si", want{kyc.StatusRejected, kyc.ReasonOther}},
		{5001, "93.957847595214844", "Si", want{kyc.StatusApproved, ""}},
		{5001, "80", "Si", want{kyc.StatusApproved, ""}},
		{5001, "100", "Sí", want{kyc.StatusApproved, ""}},
		{5001, "85", "No", want{kyc.StatusReview, kyc.ReasonLivenessFailed}},
		{5001, "79.9", "Si", want{kyc.StatusReview, kyc.ReasonFaceMismatch}},
		{5001, "-1", "Si", want{kyc.StatusReview, kyc.ReasonFaceMismatch}},
		{5001, "-2", "Si", want{kyc.StatusRejected, kyc.ReasonUnderage}},
		{5001, "-3", "Si", want{kyc.StatusRejected, kyc.ReasonFrontBackMismatch}},
		{5001, "-4", "Si", want{kyc.StatusRejected, kyc.ReasonDifferentPerson}},
		{5001, "-5", "Si", want{kyc.StatusRejected, kyc.ReasonDocumentExpired}},
		{5001, "-6", "No", want{kyc.StatusRejected, kyc.ReasonLivenessFailed}},
		{5001, "-7", "", want{kyc.StatusPending, kyc.ReasonNotFinished}},
		{5001, "-8", "Si", want{kyc.StatusRejected, kyc.ReasonFaceMismatch}},
		{5001, "-9", "Si", want{kyc.StatusRejected, kyc.ReasonDocumentNumberMismatch}},
		{5001, `"-9"`, "Si", want{kyc.StatusRejected, kyc.ReasonDocumentNumberMismatch}},
		{5001, "-42", "Si", want{kyc.StatusReview, kyc.ReasonOther}},
		{5001, "", "", want{kyc.StatusReview, kyc.ReasonOther}},
	}
	for _, tt := range cases {
		name := strconv.Itoa(tt.estado) + "/" + tt.resultado + "/" + tt.vida
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fields := map[string]string{"Servicio": "VERIFICACION_IDENTIDAD", "ID": "7", "Estado": strconv.Itoa(tt.estado)}
			if tt.resultado != "" {
				fields["Result"] = `{"Resultado":` + tt.resultado + `,"PruebaDeVida":"` + tt.vida + `"}`
			}
			body, _ := json.Marshal(fields)
			ev, err := parseReport("t", "application/json", body)
			require.NoError(t, err)
			assert.Equal(t, tt.want.status, ev.Result.Status)
			if tt.want.reason == "" {
				assert.Empty(t, ev.Result.Reasons)
			} else {
				assert.Equal(t, []kyc.Reason{tt.want.reason}, ev.Result.Reasons)
			}
			for _, r := range ev.Result.Reasons {
				assert.True(t, r.Valid())
			}
		})
	}
	// Every documented code is in the tables.
	for _, e := range []int64{3000, 3001, 3002, 3003, 5000, 5100, 5500} {
		assert.Contains(t, estadoStatus, e)
	}
	for r := int64(-9); r <= -1; r++ {
		assert.Contains(t, resultadoOutcomes, r)
	}
}

func TestWebhookRefusals(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct {
		body, reason string
	}{
		"not json":          {`{"ID":`, refuseUndecodable},
		"no id":             {`{"Servicio":"VERIFICACION_IDENTIDAD","Estado":5001}`, refuseNoID},
		"no estado":         {`{"Servicio":"VERIFICACION_IDENTIDAD","ID":"1"}`, refuseNoEstado},
		"other service":     {`{"Servicio":"SMSRECIBIDO","ID":"1","Estado":3000}`, refuseService},
		"bad result":        {`{"ID":"1","Estado":5001,"Result":"{not json"}`, refuseResult},
		"estado object":     {`{"ID":"1","Estado":{}}`, refuseUndecodable},
		"array of array":    {`[[1]]`, refuseUndecodable},
		"undocumented":      {`{"ID":"4242","Estado":4242}`, refuseEstado},
		"id path":           {`{"ID":"../../x","Estado":5100}`, refuseIDForm},
		"id letters":        {`{"ID":"12a","Estado":5100}`, refuseIDForm},
		"id too long":       {`{"ID":"123456789012345678901","Estado":5100}`, refuseIDForm},
		"id header forgery": {`{"ID":"../../x\r\nSet-Cookie: a=b","Estado":5100}`, refuseControl},
		"newline in name":   {`{"ID":"1","Estado":5001,"Result":{"Resultado":90,"DNI":{"Nombre":"A,B\nFORGED log line"}}}`, refuseControl},
		"NUL in a key":      {`{"ID":"1","Estado":5001,"X\u0000":"y"}`, refuseControl},
		"nested string":     {`{"ID":"1","Estado":5001,"Result":"{\"Resultado\":90,\"Sexo\":\"M\\u001b[31m\"}"}`, refuseControl},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, logs := webhookClient(t, nil)
			w := httptest.NewRecorder()
			called := false
			c.WebhookHandler(func(context.Context, *kyc.Event) error { called = true; return nil }).
				ServeHTTP(w, signed(post("application/json", []byte(tt.body))))
			assert.Equal(t, 400, w.Code)
			assert.False(t, called)
			assert.Equal(t, "verificar webhook refused: "+tt.reason+"\n", w.Body.String(), "the body names the reason")
			assert.Contains(t, logs.String(), "level=DEBUG")
			assert.Contains(t, logs.String(), `reason="`+tt.reason+`"`)
			assert.NotContains(t, logs.String(), "level=WARN")
			for _, echo := range []string{"Set-Cookie", "FORGED", "../"} {
				assert.NotContains(t, w.Body.String()+logs.String(), echo, "no input is echoed")
			}
		})
	}
}

// TestWebhookUnauthenticatedSample: opted in to unauthenticated webhooks,
// the documentation's sample (approved, with a document and scores) reaches
// fn as a bare pending Event. The cross-receiver matrix is
// internal/webhook's TestWebhookMatrix.
func TestWebhookUnauthenticatedSample(t *testing.T) {
	t.Parallel()
	c, logs := webhookClient(t, optIn)
	var ev *kyc.Event
	w := httptest.NewRecorder()
	c.WebhookHandler(func(_ context.Context, e *kyc.Event) error { ev = e; return nil }).
		ServeHTTP(w, signed(post("application/json", testutil.Fixture(t, "webhook_sample.json"))))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Empty(t, w.Body.String())
	assert.Empty(t, logs.String())
	require.NotNil(t, ev)
	assert.False(t, ev.Authenticated, "no credentials configured: the sent ones are not checked")
	assert.Equal(t, "5001", ev.Type, "the reported state is in Type")
	assert.Equal(t, &kyc.Result{Provider: kyc.Verificar, Reference: "verificar:299846332", Status: kyc.StatusPending, Source: kyc.SourceWebhook, Raw: ev.Raw},
		ev.Result, "no reasons, scores or document from an unauthenticated body")
}

// TestWebhookNoCredentials: a receiver without credentials refuses every
// webhook, signed or not, and says why.
func TestWebhookNoCredentials(t *testing.T) {
	t.Parallel()
	for name, r := range map[string]*http.Request{
		"none sent": post("application/json", testutil.Fixture(t, "webhook_sample.json")),
		"some sent": signed(post("application/json", testutil.Fixture(t, "webhook_sample.json"))),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _ := webhookClient(t, noCredentials)
			_, err := c.ParseWebhook(r)
			require.ErrorIs(t, err, kyc.ErrUnauthorized)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, refuseNoCredentials, kerr.Message)
			assert.Equal(t, http.StatusUnauthorized, kerr.StatusCode)
		})
	}
}
