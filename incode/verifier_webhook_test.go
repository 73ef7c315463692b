package incode_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/internal/testutil"
)

func TestWebhooks(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t, incodetest.WithDelay(10*time.Millisecond))
	c := client(t, srv, func(cfg *incode.Config) { cfg.WebhookToken = kyc.NewSecret("hook-token") })
	res, err := c.Verify(context.Background(), request(t, "hook-user", "", "", ""))
	require.NoError(t, err)
	id := strings.TrimPrefix(res.Reference, "incode:")

	var mu sync.Mutex
	var events []*kyc.Event
	var confirmed *kyc.Event
	fail := false
	hook := httptest.NewServer(c.WebhookHandler(func(ctx context.Context, ev *kyc.Event) error {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
		if fail {
			return errors.New("database down")
		}
		r, err := c.ConfirmEvent(ctx, ev)
		confirmed = r
		return err
	}))
	defer hook.Close()

	status, err := srv.SendWebhook(context.Background(), hook.URL, id, "ONBOARDING_FINISHED", "hook-token")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)
	require.Len(t, events, 1)
	ev := events[0]
	assert.True(t, ev.Authenticated)
	assert.Equal(t, res.Reference, ev.Reference, "every Event carries its Reference")
	assert.Equal(t, "ONBOARDING_FINISHED", ev.Type)
	assert.Equal(t, kyc.StatusPending, ev.Result.Status, "the webhook carries no verdict")
	p, err := incode.EventPayload(ev)
	require.NoError(t, err)
	assert.Equal(t, "hook-user", p.ExternalID)
	require.NotNil(t, confirmed)
	assert.True(t, confirmed.Confirmed)
	assert.Equal(t, kyc.StatusApproved, confirmed.Result.Status)
	assert.True(t, confirmed.Result.Scores.FaceMatch.Given(), "a confirmed event has the read-back scores")
	assert.False(t, ev.Confirmed, "ConfirmEvent returns a copy")

	status, _ = srv.SendWebhook(context.Background(), hook.URL, id, "ONBOARDING_FINISHED", "wrong")
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _ = srv.SendWebhook(context.Background(), hook.URL, id, "ONBOARDING_FINISHED", "")
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Len(t, events, 1, "unauthenticated webhooks never reach fn")

	mu.Lock()
	fail = true
	mu.Unlock()
	status, _ = srv.SendWebhook(context.Background(), hook.URL, id, "ONBOARDING_FINISHED", "hook-token")
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Len(t, events, 3, "a failed handler gets Incode's one retry")
}

// TestWebhookMatrix runs every receiver setup against every kind of
// webhook: the status code, and what the handler received.
func TestWebhookMatrix(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t, incodetest.WithDelay(10*time.Millisecond))
	const id = "6595c84ce69d469f69ad39fb"
	good := incodetest.Webhook("MANUAL_REVIEW_APPROVED", id)
	receivers := map[string]func(*incode.Config){
		"no credentials":  func(*incode.Config) {},
		"token":           func(cfg *incode.Config) { cfg.WebhookToken = kyc.NewSecret("tok") },
		"unauthenticated": func(cfg *incode.Config) { cfg.AcceptUnauthenticatedWebhooks = true },
	}
	type want struct {
		code   int
		status kyc.Status // what the handler saw; "" when not called
	}
	cases := []struct {
		name   string
		body   []byte
		bearer string
		want   map[string]want
	}{
		{"right credentials", good, "tok", map[string]want{"no credentials": {401, ""}, "token": {200, kyc.StatusApproved}, "unauthenticated": {200, kyc.StatusPending}}},
		{"wrong credentials", good, "nope", map[string]want{"no credentials": {401, ""}, "token": {401, ""}, "unauthenticated": {200, kyc.StatusPending}}},
		{"no credentials", good, "", map[string]want{"no credentials": {401, ""}, "token": {401, ""}, "unauthenticated": {200, kyc.StatusPending}}},
		{"oversized", append(good[:len(good):len(good)], bytes.Repeat([]byte(" "), 2<<20)...), "tok", map[string]want{"no credentials": {401, ""}, "token": {413, ""}, "unauthenticated": {413, ""}}},
		{"malformed", []byte(`{"interviewId":`), "tok", map[string]want{"no credentials": {401, ""}, "token": {400, ""}, "unauthenticated": {400, ""}}},
		{"control characters", []byte(`{"interviewId":"` + id + `","onboardingStatus":"ONBOARDING_FINISHED\nFORGED"}`), "tok", map[string]want{"no credentials": {401, ""}, "token": {400, ""}, "unauthenticated": {400, ""}}},
		{"unknown id form", incodetest.Webhook("ONBOARDING_FINISHED", "../../x"), "tok", map[string]want{"no credentials": {401, ""}, "token": {400, ""}, "unauthenticated": {400, ""}}},
		{"undocumented status", incodetest.Webhook("APPROVED_BY_ME", id), "tok", map[string]want{"no credentials": {401, ""}, "token": {400, ""}, "unauthenticated": {400, ""}}},
	}
	for rname, cfg := range receivers {
		logger, logs := testutil.CaptureLogger()
		c := client(t, srv, cfg)
		c2, err := incode.New(func() incode.Config { x := srv.Config(); cfg(&x); return x }(), append(srv.Options(), kyc.WithLogger(logger))...)
		require.NoError(t, err)
		_ = c
		for _, tc := range cases {
			var got *kyc.Event
			h := c2.WebhookHandler(func(_ context.Context, ev *kyc.Event) error { got = ev; return nil })
			req := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(tc.body))
			if tc.bearer != "" {
				req.Header.Set("Authorization", "Bearer "+tc.bearer)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			w := tc.want[rname]
			assert.Equal(t, w.code, rec.Code, "%s / %s", rname, tc.name)
			if w.status == "" {
				assert.Nil(t, got, "%s / %s: the handler is not called", rname, tc.name)
				var body struct {
					Success bool
					Error   string
				}
				require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), "%s / %s", rname, tc.name)
				assert.False(t, body.Success)
				assert.NotEmpty(t, body.Error, "the refusal names its reason")
				assert.NotContains(t, body.Error, "FORGED", "the reason never echoes input")
				assert.NotContains(t, body.Error, "../")
				continue
			}
			require.NotNil(t, got, "%s / %s", rname, tc.name)
			assert.Equal(t, w.status, got.Result.Status, "%s / %s", rname, tc.name)
			assert.Equal(t, "incode:"+id, got.Reference)
			assert.Equal(t, rname == "token", got.Authenticated)
		}
		out := logs.String()
		assert.Contains(t, out, "level=DEBUG", rname)
		assert.NotContains(t, out, "level=WARN", rname)
		assert.Contains(t, out, "reason=", rname)
		assert.NotContains(t, out, "FORGED", rname)
	}
	rec := httptest.NewRecorder()
	client(t, srv).WebhookHandler(func(context.Context, *kyc.Event) error { return nil }).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/hook", nil))
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
}

func TestConfirmEventRefusals(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	c := client(t, srv, func(cfg *incode.Config) { *cfg = srv.ExecutiveConfig() })
	_, err := c.ConfirmEvent(context.Background(), nil)
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
	_, err = c.ConfirmEvent(context.Background(), &kyc.Event{Provider: kyc.Verificar, Reference: "verificar:1"})
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
	ev := &kyc.Event{Provider: kyc.Incode, Reference: "incode:000000000000000000000000",
		Raw: incodetest.Webhook("ONBOARDING_FINISHED", "6595c84ce69d469f69ad39fb")}
	_, err = c.ConfirmEvent(context.Background(), ev)
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest, "a Reference that is not the body's interview is refused")
	assert.Zero(t, srv.LogIns())
}
