package incode_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/internal/webhook/webhooktest"
)

// TestWebhookAuthModes sends both families, in both value styles, to a
// receiver configured with the static header, the bearer token, or
// nothing (opted in or not), with every kind of credential field, over
// HTTP/1.1 and HTTP/2. Only the configured credential, byte for byte,
// authenticates; a padded field is refused over HTTP/2, where it is
// malformed, and accepted over HTTP/1.1, where the padding is not part of
// the value (both servers hand the handler the same bytes either way).
func TestWebhookAuthModes(t *testing.T) {
	bodies := map[string][]byte{
		"onboarding":           incodetest.Webhook("MANUAL_REVIEW_APPROVED", hookID),
		"onboarding title":     incodetest.Webhook("Manual Review Approved", hookID),
		"session snake title":  incodetest.SessionWebhook(incodetest.FieldEventType, "Session Succeeded", hookID, "user-1", "MANUAL_REVIEW_APPROVED"),
		"session camel upper":  incodetest.SessionWebhook(incodetest.FieldEventTypeCamel, "SESSION_SUCCEEDED", hookID, "", "MANUAL_REVIEW_APPROVED"),
		"session without a st": incodetest.SessionWebhook(incodetest.FieldEventType, "SESSION_PROGRESS", hookID, "", ""),
	}
	type sent = http.Header
	// Each credential is sent to each receiver; want is the answer by
	// receiver (0: webhooktest.Padded).
	const padded = 0
	receivers := []struct {
		name string
		cfg  incode.Config
	}{
		{"static header", incode.Config{WebhookHeaderName: hookHeader, WebhookHeaderValue: kyc.NewSecret(hookValue)}},
		{"bearer", incode.Config{WebhookToken: kyc.NewSecret(hookBearer)}},
		{"none, opted in", incode.Config{AcceptUnauthenticatedWebhooks: true}},
		{"none", incode.Config{}},
	}
	credentials := []struct {
		name string
		h    sent
		want []int // by receiver, in the order above
	}{
		{"nothing", sent{}, []int{401, 401, 200, 401}},
		{"header", sent{hookHeader: {hookValue}}, []int{200, 401, 200, 401}},
		{"header, lower-case name", sent{"x-incode-secret": {hookValue}}, []int{200, 401, 200, 401}},
		{"bearer", sent{"Authorization": {"Bearer " + hookBearer}}, []int{401, 200, 200, 401}},
		{"both", sent{hookHeader: {hookValue}, "Authorization": {"Bearer " + hookBearer}}, []int{200, 200, 200, 401}},
		{"header value as bearer", sent{"Authorization": {"Bearer " + hookValue}}, []int{401, 401, 200, 401}},
		{"bearer value as header", sent{hookHeader: {hookBearer}}, []int{401, 401, 200, 401}},
		{"wrong header", sent{hookHeader: {"s3cret-static-valuE"}}, []int{401, 401, 200, 401}},
		{"header prefix", sent{hookHeader: {hookValue[:len(hookValue)-1]}}, []int{401, 401, 200, 401}},
		{"header longer", sent{hookHeader: {hookValue + "x"}}, []int{401, 401, 200, 401}},
		{"header two fields, first right", sent{hookHeader: {hookValue, "x"}}, []int{401, 401, 200, 401}},
		{"header two fields, both right", sent{hookHeader: {hookValue, hookValue}}, []int{401, 401, 200, 401}},
		{"header twice in one field", sent{hookHeader: {hookValue + ", " + hookValue}}, []int{401, 401, 200, 401}},
		{"header padded after", sent{hookHeader: {hookValue + " "}}, []int{padded, 401, 200, 401}},
		{"header padded before", sent{hookHeader: {" " + hookValue}}, []int{padded, 401, 200, 401}},
		{"header padded tab", sent{hookHeader: {hookValue + "\t"}}, []int{padded, 401, 200, 401}},
		{"bearer padded", sent{"Authorization": {"Bearer " + hookBearer + " "}}, []int{401, padded, 200, 401}},
		{"bearer two fields", sent{"Authorization": {"Bearer " + hookBearer, "Bearer x"}}, []int{401, 401, 200, 401}},
		{"header name with a suffix", sent{hookHeader + "-2": {hookValue}}, []int{401, 401, 200, 401}},
	}
	for ri, rcv := range receivers {
		c := headerClient(t, rcv.cfg)
		var last atomic.Pointer[kyc.Event]
		var calls atomic.Int32
		h := c.WebhookHandler(func(_ context.Context, ev *kyc.Event) error {
			calls.Add(1)
			last.Store(ev)
			return nil
		})
		for proto, srv := range webhooktest.Servers(t, h) {
			for _, cred := range credentials {
				for bname, body := range bodies {
					t.Run(rcv.name+"/"+cred.name+"/"+bname+"/"+proto, func(t *testing.T) {
						last.Store(nil)
						before := calls.Load()
						want := cred.want[ri]
						if want == padded {
							want = webhooktest.Padded(proto)
						}
						assert.Equal(t, want, webhooktest.Post(t, srv, proto, cred.h, body))
						assert.Equal(t, want == 200, calls.Load() == before+1, "the handler runs only on acceptance")
						if want != 200 {
							return
						}
						ev := last.Load()
						require.NotNil(t, ev)
						configured := rcv.cfg.WebhookToken.Reveal() != "" || rcv.cfg.WebhookHeaderName != ""
						assert.Equal(t, configured, ev.Authenticated)
						approves := bname != "session without a st"
						assert.Equal(t, configured && approves, ev.Result.Status == kyc.StatusApproved, "a verdict only when authenticated")
					})
				}
			}
		}
	}
}

// TestNewChecksWebhookCredentials: New refuses a static header it could
// never match, a field with a meaning of its own, half a header, and both
// credentials at once, naming the field.
func TestNewChecksWebhookCredentials(t *testing.T) {
	t.Parallel()
	v := kyc.NewSecret(hookValue)
	cases := []struct {
		name  string
		cfg   incode.Config
		field kyc.Field
	}{
		{"name without value", incode.Config{WebhookHeaderName: hookHeader}, "WebhookHeaderValue"},
		{"value without name", incode.Config{WebhookHeaderValue: v}, "WebhookHeaderValue"},
		{"blank value", incode.Config{WebhookHeaderName: hookHeader, WebhookHeaderValue: kyc.NewSecret("   ")}, "WebhookHeaderValue"},
		{"padded value", incode.Config{WebhookHeaderName: hookHeader, WebhookHeaderValue: kyc.NewSecret(hookValue + " ")}, "WebhookHeaderValue"},
		{"control in value", incode.Config{WebhookHeaderName: hookHeader, WebhookHeaderValue: kyc.NewSecret("a\r\nb")}, "WebhookHeaderValue"},
		{"non-ASCII value", incode.Config{WebhookHeaderName: hookHeader, WebhookHeaderValue: kyc.NewSecret("clé")}, "WebhookHeaderValue"},
		{"name with a space", incode.Config{WebhookHeaderName: "X Secret", WebhookHeaderValue: v}, "WebhookHeaderName"},
		{"name with a colon", incode.Config{WebhookHeaderName: "X-Secret:", WebhookHeaderValue: v}, "WebhookHeaderName"},
		{"name non-ASCII", incode.Config{WebhookHeaderName: "X-Clé", WebhookHeaderValue: v}, "WebhookHeaderName"},
		{"Authorization", incode.Config{WebhookHeaderName: "authorization", WebhookHeaderValue: v}, "WebhookHeaderName"},
		{"Proxy-Authorization", incode.Config{WebhookHeaderName: "Proxy-Authorization", WebhookHeaderValue: v}, "WebhookHeaderName"},
		{"Cookie", incode.Config{WebhookHeaderName: "Cookie", WebhookHeaderValue: v}, "WebhookHeaderName"},
		{"Host", incode.Config{WebhookHeaderName: "Host", WebhookHeaderValue: v}, "WebhookHeaderName"},
		{"Content-Length", incode.Config{WebhookHeaderName: "Content-Length", WebhookHeaderValue: v}, "WebhookHeaderName"},
		{"Connection", incode.Config{WebhookHeaderName: "Connection", WebhookHeaderValue: v}, "WebhookHeaderName"},
		{"both credentials", incode.Config{WebhookToken: kyc.NewSecret(hookBearer), WebhookHeaderName: hookHeader, WebhookHeaderValue: v}, "WebhookHeaderName"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := tt.cfg
			cfg.APIKey = kyc.NewSecret("k")
			_, err := incode.New(cfg)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
			assert.Equal(t, tt.field, kerr.Field)
			assert.NotEmpty(t, kerr.Message)
			assert.NotContains(t, err.Error(), hookValue, "the value is never quoted")
		})
	}
	for _, name := range []string{"X-Incode-Secret", "x-webhook-key", "X_Secret", "Api-Key"} {
		_, err := incode.New(incode.Config{APIKey: kyc.NewSecret("k"), WebhookHeaderName: name, WebhookHeaderValue: v})
		assert.NoError(t, err, name)
	}
}
