package webhook_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/internal/webhook"
	"github.com/kyc-go/kyc/verificar"
)

// vendor is one webhook receiver of the SDK, with the webhooks the matrix
// sends it and the reasons its refusals give.
type vendor struct {
	name      string
	reference string // the Reference of good's verification
	// receiver builds the receiver: with its credentials (configured), or
	// none, opted in to unauthenticated webhooks or not.
	receiver func(t *testing.T, logger *slog.Logger, configured, optIn bool) kyc.WebhookReceiver
	// sign adds the receiver's credentials to r, or wrong ones.
	sign func(r *http.Request, right bool)
	// good is a webhook that reports an approval; malformed, control and
	// unknownID are refused by the vendor's field checks.
	good, malformed, control, unknownID []byte
	// reasons are the vendor's refusal texts, by row.
	reasons map[string]string
	// reason reads the reason out of a refusal's response body.
	reason func(t *testing.T, body []byte) string
	// success is the body of the vendor's expected success answer.
	success string
}

const (
	incodeID    = "6595c84ce69d469f69ad39fb"
	hookToken   = "hook-token"
	hookUser    = "mensatek"
	hookPass    = "hook-password"
	forgedEcho  = "FORGED"
	verificarID = "4242"
	// reasonHandler is the exchange's answer when fn failed.
	reasonHandler = "the receiver's handler failed; send the webhook again later"
)

var vendors = []vendor{
	{
		name:      "incode",
		reference: "incode:" + incodeID,
		receiver: func(t *testing.T, logger *slog.Logger, configured, optIn bool) kyc.WebhookReceiver {
			cfg := incode.Config{APIKey: kyc.NewSecret("k"), AcceptUnauthenticatedWebhooks: optIn}
			if configured {
				cfg.WebhookToken = kyc.NewSecret(hookToken)
			}
			c, err := incode.New(cfg, kyc.WithLogger(logger))
			require.NoError(t, err)
			return c
		},
		sign: func(r *http.Request, right bool) {
			tok := hookToken
			if !right {
				tok = "guess"
			}
			r.Header.Set("Authorization", "Bearer "+tok)
		},
		good:      incodetest.Webhook("MANUAL_REVIEW_APPROVED", incodeID),
		malformed: []byte(`{"interviewId":`),
		control:   []byte(`{"interviewId":"` + incodeID + `","onboardingStatus":"ONBOARDING_FINISHED\n` + forgedEcho + `"}`),
		unknownID: incodetest.Webhook("ONBOARDING_FINISHED", "../../x"),
		reasons: map[string]string{
			"malformed": "the body is not a JSON object",
			"control":   "a field contains control characters",
			"unknownID": "interviewId is missing or not an Incode interview id",
		},
		reason: func(t *testing.T, body []byte) string {
			var r struct {
				Success *bool  `json:"success"`
				Error   string `json:"error"`
			}
			require.NoError(t, json.Unmarshal(body, &r), "a refusal is Incode's JSON form")
			require.NotNil(t, r.Success)
			assert.False(t, *r.Success)
			return r.Error
		},
		success: `{"success":true}` + "\n",
	},
	{
		name:      "verificar",
		reference: "verificar:" + verificarID,
		receiver: func(t *testing.T, logger *slog.Logger, configured, optIn bool) kyc.WebhookReceiver {
			cfg := verificar.Config{APIUser: "u", APIToken: kyc.NewSecret("t"), AcceptUnauthenticatedWebhooks: optIn}
			if configured {
				cfg.WebhookUser, cfg.WebhookPassword = hookUser, kyc.NewSecret(hookPass)
			}
			c, err := verificar.New(cfg, kyc.WithLogger(logger))
			require.NoError(t, err)
			return c
		},
		sign: func(r *http.Request, right bool) {
			pass := hookPass
			if !right {
				pass = "guess"
			}
			r.SetBasicAuth(hookUser, pass)
		},
		good:      []byte(`{"Servicio":"VERIFICACION_IDENTIDAD","ID":"` + verificarID + `","Estado":5100}`),
		malformed: []byte(`{"ID":"1","Estado":`),
		control:   []byte(`{"ID":"1","Estado":5100,"Telefono":"34600000001\r\nSet-Cookie: ` + forgedEcho + `"}`),
		unknownID: []byte(`{"ID":"../../x","Estado":5100}`),
		reasons: map[string]string{
			"malformed": "the webhook body cannot be decoded",
			"control":   "the webhook holds control characters",
			"unknownID": "the webhook ID is not a Mensatek request id (digits, at most 20)",
		},
		reason: func(t *testing.T, body []byte) string {
			s, ok := strings.CutPrefix(string(body), "verificar webhook refused: ")
			require.True(t, ok, "a refusal is plain text: %q", body)
			return strings.TrimSuffix(s, "\n")
		},
		success: "",
	},
}

// vendorHandler is a vendor client's WebhookHandler.
type vendorHandler interface {
	WebhookHandler(fn func(context.Context, *kyc.Event) error) http.Handler
}

// mode is how a receiver is configured: with its vendor's credentials, or
// opted in to unauthenticated webhooks (AcceptUnauthenticatedWebhooks).
type mode string

const (
	withCredentials mode = "credentials"
	optedIn         mode = "opted in"
)

// seen is what the application's function received.
type seen struct {
	Reference     string
	Authenticated bool
	Status        kyc.Status
}

// want is one cell: the status answered, the refusal's reason (a row of
// vendor.reasons, or a shared webhook.Reason* text; "" for success), and
// what fn received (nil: not called).
type want struct {
	code   int
	reason string
	got    *seen
}

// body picks the webhook a row sends.
type body func(v vendor) []byte

func good(v vendor) []byte      { return v.good }
func malformed(v vendor) []byte { return v.malformed }
func control(v vendor) []byte   { return v.control }
func unknownID(v vendor) []byte { return v.unknownID }
func oversized(v vendor) []byte {
	return append(bytes.Clone(v.good), bytes.Repeat([]byte(" "), webhook.MaxBody)...)
}

// TestWebhookMatrix: every receiver (incode with its bearer token, verificar
// with its Basic credentials, each also opted in to unauthenticated
// webhooks) × every kind of webhook, with the status answered, the reason
// the response body names, what the application's function received, and
// the log records (debug only, never the request's content).
func TestWebhookMatrix(t *testing.T) {
	t.Parallel()
	type creds int
	const (
		noneSent creds = iota
		wrong
		right
	)
	approved := func(v vendor) *seen { return &seen{v.reference, true, kyc.StatusApproved} }
	pending := func(v vendor) *seen { return &seen{v.reference, false, kyc.StatusPending} }
	type cell func(v vendor) want
	refused := func(code int, reason string) cell {
		return func(v vendor) want {
			if r, ok := v.reasons[reason]; ok {
				return want{code: code, reason: r}
			}
			return want{code: code, reason: reason}
		}
	}
	accepted := func(got func(vendor) *seen) cell { return func(v vendor) want { return want{code: 200, got: got(v)} } }
	cases := []struct {
		name       string
		configured bool // the receiver's credentials are configured (in mode withCredentials)
		creds      creds
		body       body
		chunked    bool  // sent without Content-Length
		fnErr      error // what fn returns
		want       map[mode]cell
	}{
		{"no credentials configured", false, right, good, false, nil, map[mode]cell{
			withCredentials: refused(401, webhook.ReasonNoCredentials), optedIn: accepted(pending)}},
		{"no credentials configured, none sent", false, noneSent, good, false, nil, map[mode]cell{
			withCredentials: refused(401, webhook.ReasonNoCredentials), optedIn: accepted(pending)}},
		{"wrong credentials", true, wrong, good, false, nil, map[mode]cell{
			withCredentials: refused(401, webhook.ReasonCredentials), optedIn: accepted(pending)}},
		{"credentials missing", true, noneSent, good, false, nil, map[mode]cell{
			withCredentials: refused(401, webhook.ReasonCredentials), optedIn: accepted(pending)}},
		{"right credentials", true, right, good, false, nil, map[mode]cell{
			withCredentials: accepted(approved), optedIn: accepted(pending)}},
		{"oversized body", true, right, oversized, false, nil, map[mode]cell{
			withCredentials: refused(413, webhook.ReasonTooLarge), optedIn: refused(413, webhook.ReasonTooLarge)}},
		{"oversized body, no Content-Length", true, right, oversized, true, nil, map[mode]cell{
			withCredentials: refused(413, webhook.ReasonTooLarge), optedIn: refused(413, webhook.ReasonTooLarge)}},
		{"oversized body, wrong credentials", true, wrong, oversized, false, nil, map[mode]cell{
			withCredentials: refused(401, webhook.ReasonCredentials), optedIn: refused(413, webhook.ReasonTooLarge)}},
		{"malformed body", true, right, malformed, false, nil, map[mode]cell{
			withCredentials: refused(400, "malformed"), optedIn: refused(400, "malformed")}},
		{"control characters", true, right, control, false, nil, map[mode]cell{
			withCredentials: refused(400, "control"), optedIn: refused(400, "control")}},
		{"unknown id form", true, right, unknownID, false, nil, map[mode]cell{
			withCredentials: refused(400, "unknownID"), optedIn: refused(400, "unknownID")}},
		{"handler failed", true, right, good, false, errors.New("db down for " + forgedEcho), map[mode]cell{
			withCredentials: refused(500, reasonHandler), optedIn: refused(500, reasonHandler)}},
	}
	for _, v := range vendors {
		for _, m := range []mode{withCredentials, optedIn} {
			for _, tt := range cases {
				t.Run(v.name+"/"+string(m)+"/"+tt.name, func(t *testing.T) {
					t.Parallel()
					w := tt.want[m](v)
					var logs bytes.Buffer
					logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug - 4}))
					rcv := v.receiver(t, logger, m == withCredentials && tt.configured, m == optedIn)

					var got *kyc.Event
					h := rcv.(vendorHandler).WebhookHandler(func(_ context.Context, ev *kyc.Event) error { got = ev; return tt.fnErr })
					r := httptest.NewRequest(http.MethodPost, "/hooks/"+v.name, bytes.NewReader(tt.body(v)))
					r.Header.Set("Content-Type", "application/json")
					if tt.chunked {
						r.ContentLength = -1
					}
					if tt.creds != noneSent {
						v.sign(r, tt.creds == right)
					}
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, r)

					assert.Equal(t, w.code, rec.Code)
					records := decodeRecords(t, logs.Bytes())
					for _, l := range records {
						assert.Equal(t, "DEBUG", l["level"], "no record above debug: %v", l)
					}
					assert.NotContains(t, rec.Body.String()+logs.String(), forgedEcho, "no input is echoed")
					assert.NotContains(t, rec.Body.String()+logs.String(), "../")

					if w.got == nil || tt.fnErr != nil {
						if tt.fnErr == nil {
							assert.Nil(t, got, "the handler is not called")
						}
						assert.Equal(t, w.reason, v.reason(t, rec.Body.Bytes()), "the body names the reason")
						require.Len(t, records, 1, "one debug record per refusal")
						kind := "unauthorized"
						switch w.code {
						case 400, 413:
							kind = "invalid request"
							if v.name == "verificar" && w.reason == v.reasons["malformed"] {
								kind = "bad response"
							}
						case 500:
							kind = "handler error"
						}
						assert.Equal(t, v.name, records[0]["provider"])
						assert.Equal(t, w.reason, records[0]["reason"])
						assert.Equal(t, kind, records[0]["error_kind"])
						assert.Equal(t, float64(w.code), records[0]["status"])
						return
					}
					assert.Equal(t, v.success, rec.Body.String(), "the vendor's success answer")
					assert.Empty(t, records)
					require.NotNil(t, got, "the handler is called")
					require.NotNil(t, got.Result)
					assert.Equal(t, *w.got, seen{got.Reference, got.Authenticated, got.Result.Status})
					assert.Equal(t, got.Reference, got.Result.Reference)
					assert.NotEmpty(t, got.Type, "the reported state is in Type")
					assert.NotEmpty(t, got.Raw)
					assert.False(t, got.Confirmed)
					assert.False(t, got.ReceivedAt.IsZero())
					if !got.Authenticated {
						assert.Equal(t, &kyc.Result{Provider: got.Provider, Reference: got.Reference,
							Status: kyc.StatusPending, Source: kyc.SourceWebhook, Raw: got.Raw}, got.Result,
							"an unauthenticated Event keeps nothing the body claims")
					}
				})
			}
		}
	}
}

// decodeRecords reads the JSON log records of a test's logger.
func decodeRecords(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m))
		out = append(out, m)
	}
	return out
}
