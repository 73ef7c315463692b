package atlas_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
)

// TestESignCallbackThroughTheMux serves eSign callbacks through a
// kyc.WebhookMux, the same exchange as the other vendors' webhooks: refused
// without the opt-in, accepted unauthenticated with it, never a Result,
// and no callback text in the Type, the answer or the logs.
func TestESignCallbackThroughTheMux(t *testing.T) {
	t.Parallel()
	form := url.Values{"esign_status": {`{"download_link":"https://x.test/dl?token=SECRETLINK","document_status":"COMPLETED","esign_id":"es-1"}`}}.Encode()
	for _, tt := range []struct {
		name   string
		accept bool
		method string
		ctype  string
		body   string
		code   int
		typ    string
	}{
		{"not opted in", false, "POST", "application/x-www-form-urlencoded", form, 401, ""},
		{"form", true, "POST", "application/x-www-form-urlencoded", form, 200, "esign.completed"},
		{"json", true, "POST", "application/json", `{"document_status":"FAILED for Maria","esign_id":"es-2"}`, 200, "esign.not_completed"},
		{"no esign_id", true, "POST", "application/json", `{"document_status":"COMPLETED"}`, 400, ""},
		{"not JSON", true, "POST", "application/json", `{"esign_status": Maria`, 400, ""},
		{"redirect is not a callback", true, "GET", "", "", 405, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			c, err := atlas.New(atlas.Config{KeyID: "k", KeySecret: kyc.NewSecret("s"), AcceptESignCallbacks: tt.accept})
			require.NoError(t, err)
			var got *kyc.Event
			mux, err := kyc.NewWebhookMux(func(_ context.Context, ev *kyc.Event) error { got = ev; return nil },
				kyc.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			require.NoError(t, err)
			mux.Handle("/callbacks/esign", c)
			r := httptest.NewRequest(tt.method, "/callbacks/esign", strings.NewReader(tt.body))
			if tt.ctype != "" {
				r.Header.Set("Content-Type", tt.ctype)
			}
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, r)
			assert.Equal(t, tt.code, w.Code)
			out := w.Body.String() + logs.String()
			assert.NotContains(t, out, "Maria")
			assert.NotContains(t, out, "SECRETLINK")
			if tt.code != http.StatusOK {
				assert.Nil(t, got)
				return
			}
			require.NotNil(t, got)
			assert.Equal(t, tt.typ, got.Type)
			assert.False(t, got.Authenticated)
			assert.Nil(t, got.Result, "an eSign is not a verification")
			assert.Empty(t, got.Reference)
			cb, err := atlas.EventESign(got)
			require.NoError(t, err)
			assert.Equal(t, tt.typ == "esign.completed", cb.Completed())
			assert.NotContains(t, slogText(got), "es-")
		})
	}
}

// slogText is how ev prints through slog.
func slogText(ev *kyc.Event) string {
	var b bytes.Buffer
	slog.New(slog.NewTextHandler(&b, nil)).Info("ev", "ev", ev)
	return b.String()
}
