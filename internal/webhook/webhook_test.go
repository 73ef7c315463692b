package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// testReceiver is a Basic-auth receiver with a 16-byte cap whose decoder
// reports an approved Event (or refuses the body "bad"), and counts how
// often it read a body.
func testReceiver(auth Auth, decoded *atomic.Int32) *Receiver {
	return &Receiver{
		Provider: "test", Op: "test.ParseWebhook", Auth: auth, MaxBody: 16,
		Now: func() time.Time { return time.Unix(42, 0) },
		Decode: func(_ *http.Request, body []byte) (*kyc.Event, error) {
			decoded.Add(1)
			switch string(body) {
			case "bad":
				return nil, Refuse("test", "test.ParseWebhook", kyc.ErrInvalidRequest, 0, "a test reason", nil)
			case "opaque":
				return nil, errors.New("opaque decoder error with input opaque")
			}
			return &kyc.Event{Provider: "test", Reference: "test:1",
				Result: &kyc.Result{Provider: "test", Reference: "test:1", Status: kyc.StatusApproved,
					Reasons: []kyc.Reason{kyc.ReasonOther}}}, nil
		},
	}
}

// served is a Receiver as a kyc.WebhookReceiver, as a vendor client is.
type served struct{ rc *Receiver }

func (s served) Provider() kyc.Provider                           { return s.rc.Provider }
func (s served) ParseWebhook(r *http.Request) (*kyc.Event, error) { return s.rc.Parse(r) }

// replying is a served Receiver with its vendor's own answers.
type replying struct {
	served
	reply func(w http.ResponseWriter, status int, reason string)
}

func (s replying) ReplyWebhook(w http.ResponseWriter, status int, reason string) {
	s.reply(w, status, reason)
}

// handler serves rc through the one exchange, as a vendor's WebhookHandler
// does.
func handler(rc *Receiver, fn func(context.Context, *kyc.Event) error, opts ...kyc.Option) http.Handler {
	return kyc.WebhookHandler(served{rc}, fn, opts...)
}

func TestHandlerStatuses(t *testing.T) {
	t.Parallel()
	basic := Basic("hook", kyc.NewSecret("pw"), false)
	cases := []struct {
		name       string
		auth       Auth
		method     string
		user, pw   string
		body       string
		fnErr      error
		code       int
		reason     string
		kind       string
		called     bool
		decoded    bool
		authorized bool
	}{
		{"right credentials", basic, "POST", "hook", "pw", "{}", nil, 200, "", "", true, true, true},
		{"wrong password", basic, "POST", "hook", "bad", "{}", nil, 401, ReasonCredentials, "unauthorized", false, false, false},
		{"wrong user", basic, "POST", "other", "pw", "{}", nil, 401, ReasonCredentials, "unauthorized", false, false, false},
		{"no credentials sent", basic, "POST", "", "", "{}", nil, 401, ReasonCredentials, "unauthorized", false, false, false},
		{"none configured", Basic("", kyc.Secret{}, false), "POST", "hook", "pw", "{}", nil, 401, ReasonNoCredentials, "unauthorized", false, false, false},
		{"none configured, opted in", Basic("", kyc.Secret{}, true), "POST", "", "", "{}", nil, 200, "", "", true, true, false},
		{"oversized", basic, "POST", "hook", "pw", strings.Repeat("x", 17), nil, 413, ReasonTooLarge, "invalid request", false, false, false},
		{"vendor refusal", basic, "POST", "hook", "pw", "bad", nil, 400, "a test reason", "invalid request", false, true, false},
		{"opaque decoder error", basic, "POST", "hook", "pw", "opaque", nil, 400, ReasonUnusable, "invalid request", false, true, false},
		{"not a POST", basic, "GET", "hook", "pw", "", nil, 405, "only POST is accepted", "invalid request", false, false, false},
		{"handler failed", basic, "POST", "hook", "pw", "{}", errors.New("db down for Maria"), 500, "the receiver's handler failed; send the webhook again later", "handler error", true, true, true},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var decoded atomic.Int32
			rc := testReceiver(tt.auth, &decoded)
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			var got *kyc.Event
			h := handler(rc, func(_ context.Context, ev *kyc.Event) error { got = ev; return tt.fnErr }, kyc.WithLogger(logger))
			r := httptest.NewRequest(tt.method, "/hook", strings.NewReader(tt.body))
			if tt.user != "" {
				r.SetBasicAuth(tt.user, tt.pw)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			assert.Equal(t, tt.code, w.Code)
			assert.Equal(t, tt.called, got != nil, "fn runs only for accepted webhooks")
			assert.Equal(t, tt.decoded, decoded.Load() == 1, "the body is decoded only after authentication")
			out := logs.String()
			assert.NotContains(t, out, "Maria")
			assert.NotContains(t, w.Body.String(), "Maria")
			assert.NotContains(t, out+w.Body.String(), "opaque decoder")
			if tt.reason == "" {
				assert.Empty(t, out)
			} else {
				assert.Equal(t, tt.reason+"\n", w.Body.String())
				var rec map[string]any
				require.NoError(t, json.Unmarshal(logs.Bytes(), &rec), "one record")
				delete(rec, "time")
				assert.Equal(t, map[string]any{"level": "DEBUG", "msg": "kyc webhook refused", "provider": "test",
					"status": float64(tt.code), "reason": tt.reason, "error_kind": tt.kind}, rec)
			}
			if got != nil {
				assert.Equal(t, tt.authorized, got.Authenticated)
				assert.Equal(t, time.Unix(42, 0), got.ReceivedAt)
				if !tt.authorized {
					assert.Equal(t, &kyc.Result{Provider: "test", Reference: "test:1", Status: kyc.StatusPending, Source: kyc.SourceWebhook}, got.Result,
						"an unauthenticated Event keeps nothing the body claims")
				}
			}
		})
	}
}

func TestHandlerReplies(t *testing.T) {
	t.Parallel()
	var decoded atomic.Int32
	rc := testReceiver(Bearer(kyc.NewSecret("tok"), false), &decoded)
	h := kyc.WebhookHandler(replying{served{rc}, func(w http.ResponseWriter, status int, reason string) {
		if status == http.StatusOK {
			w.WriteHeader(http.StatusAccepted)
			_, _ = w.Write([]byte("yes"))
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte("no: " + reason))
	}}, nil)
	for _, tt := range []struct {
		auth string
		code int
		body string
	}{
		{"Bearer tok", 202, "yes"},
		{"Bearer nope", 401, "no: " + ReasonCredentials},
	} {
		r := httptest.NewRequest("POST", "/", strings.NewReader("{}"))
		r.Header.Set("Authorization", tt.auth)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		assert.Equal(t, tt.code, w.Code)
		assert.Equal(t, tt.body, w.Body.String())
	}
}

func TestCheckBearer(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		header, token string
		ok            bool
	}{
		{"Bearer tok", "tok", true},
		{"bearer tok", "tok", true},
		{"Bearer tok", "other", false},
		{"Bearer to", "tok", false},
		{"Basic tok", "tok", false},
		{"", "tok", false},
		{"Bearer", "tok", false},
	} {
		r := httptest.NewRequest("POST", "/", nil)
		if tt.header != "" {
			r.Header.Set("Authorization", tt.header)
		}
		assert.Equal(t, tt.ok, CheckBearer(r, kyc.NewSecret(tt.token)), tt.header)
	}
}

func TestCheckBasic(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		user, pass string
		ok         bool
	}{
		{"hook", "pw", true},
		{"hook", "pw2", false},
		{"hoo", "pw", false},
		{"", "", false},
	} {
		r := httptest.NewRequest("POST", "/", nil)
		if tt.user != "" {
			r.SetBasicAuth(tt.user, tt.pass)
		}
		assert.Equal(t, tt.ok, CheckBasic(r, "hook", kyc.NewSecret("pw")), tt.user+":"+tt.pass)
	}
}

func TestReadBodyLimit(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("a", MaxBody+1)))
	_, err := ReadBody(r, "test", "op", MaxBody)
	require.Error(t, err)
	assert.Equal(t, http.StatusRequestEntityTooLarge, statusOf(err))
	r = httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("a", MaxBody+1)))
	r.ContentLength = -1
	_, err = ReadBody(r, "test", "op", MaxBody)
	assert.Equal(t, http.StatusRequestEntityTooLarge, statusOf(err), "without Content-Length")
	r = httptest.NewRequest("POST", "/", strings.NewReader("ok"))
	b, err := ReadBody(r, "test", "op", MaxBody)
	require.NoError(t, err)
	assert.Equal(t, "ok", string(b))
}

// statusOf is the StatusCode of err's *kyc.Error.
func statusOf(err error) int {
	var kerr *kyc.Error
	if errors.As(err, &kerr) {
		return kerr.StatusCode
	}
	return 0
}
