package incode_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
)

// TestFakeSendsBothFamilies: the fake delivers both families, in both
// value styles and both event fields, with the static header or the bearer
// token, to WebhookHandler; each arrives authenticated as the same kind of
// Event, and ConfirmEvent reads the session back to its verdict.
func TestFakeSendsBothFamilies(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	ctx := context.Background()
	for _, mode := range []struct {
		name string
		cfg  func(*incode.Config)
		hook incodetest.Hook
	}{
		{"static header", func(c *incode.Config) {
			c.WebhookHeaderName, c.WebhookHeaderValue = hookHeader, kyc.NewSecret(hookValue)
		}, incodetest.Hook{HeaderName: hookHeader, HeaderValue: hookValue}},
		{"bearer", func(c *incode.Config) { c.WebhookToken = kyc.NewSecret(hookBearer) }, incodetest.Hook{Bearer: hookBearer}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			c := client(t, srv, mode.cfg)
			res, err := c.Verify(ctx, request(t, "hook-"+mode.name, "", "", ""))
			require.NoError(t, err)
			require.Equal(t, kyc.StatusApproved, res.Status)
			parsed, err := kyc.ParseReference(res.Reference)
			require.NoError(t, err)
			id := parsed.ID

			got := make(chan *kyc.Event, 8)
			hs := httptest.NewServer(c.WebhookHandler(func(_ context.Context, ev *kyc.Event) error { got <- ev; return nil }))
			defer hs.Close()
			hooks := []incodetest.Hook{
				{OnboardingStatus: "ONBOARDING_FINISHED"},
				{Event: "Session Succeeded", OnboardingStatus: "ONBOARDING_FINISHED"},
				{Event: "SESSION_SUCCEEDED", EventField: incodetest.FieldEventTypeCamel},
			}
			for _, h := range hooks {
				h.InterviewID, h.Bearer, h.HeaderName, h.HeaderValue = id, mode.hook.Bearer, mode.hook.HeaderName, mode.hook.HeaderValue
				status, err := srv.Deliver(ctx, hs.URL, h)
				require.NoError(t, err)
				assert.Equal(t, http.StatusOK, status)
			}
			wrong := incodetest.Hook{InterviewID: id, Event: "Session Succeeded"}
			status, err := srv.Deliver(ctx, hs.URL, wrong)
			require.NoError(t, err)
			assert.Equal(t, http.StatusUnauthorized, status, "no credential")

			close(got)
			require.Len(t, got, len(hooks))
			for _, want := range []string{"ONBOARDING_FINISHED", "SESSION_SUCCEEDED", "SESSION_SUCCEEDED"} {
				ev := <-got
				assert.True(t, ev.Authenticated)
				assert.Equal(t, want, ev.Type)
				assert.Equal(t, res.Reference, ev.Reference)
				assert.Equal(t, kyc.StatusPending, ev.Result.Status, "a session event is no verdict")
				p, err := incode.EventPayload(ev)
				require.NoError(t, err)
				assert.Equal(t, "hook-"+mode.name, p.ExternalID, "the session's externalCustomerId")
				confirmed, err := c.ConfirmEvent(ctx, ev)
				require.NoError(t, err)
				assert.True(t, confirmed.Confirmed)
				assert.Equal(t, kyc.StatusApproved, confirmed.Result.Status)
			}
		})
	}
}

// TestUnknownInterviewIsNotFound: a webhook naming an interview Incode
// does not know (never started, or erased) is parsed, and confirming it
// with the executive token gives a *kyc.Error of kind ErrNotFound from the
// status read, so that the WebhookMux can answer it 200 and Incode stops
// retrying. Incode's answer to this case is not documented: the fake
// answers 404 {"status":404,"error":"Not Found"}, the documented HTTP
// status, and any 404 maps to ErrNotFound.
func TestUnknownInterviewIsNotFound(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	c := client(t, srv, func(cfg *incode.Config) {
		*cfg = srv.ExecutiveConfig()
		cfg.WebhookHeaderName, cfg.WebhookHeaderValue = hookHeader, kyc.NewSecret(hookValue)
	})
	ctx := context.Background()
	var ev *kyc.Event
	hs := httptest.NewServer(c.WebhookHandler(func(_ context.Context, e *kyc.Event) error { ev = e; return nil }))
	defer hs.Close()
	const unknown = "0123456789abcdef01234567"
	status, err := srv.Deliver(ctx, hs.URL, incodetest.Hook{InterviewID: unknown, Event: "Session Succeeded",
		HeaderName: hookHeader, HeaderValue: hookValue})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status)
	require.NotNil(t, ev)

	for name, call := range map[string]func() error{
		"ConfirmEvent": func() error { _, err := c.ConfirmEvent(ctx, ev); return err },
		"Result":       func() error { _, err := c.Result(ctx, ev.Reference); return err },
	} {
		err := call()
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr, name)
		assert.ErrorIs(t, err, kyc.ErrNotFound, name)
		assert.Equal(t, kyc.Incode, kerr.Provider, name)
		assert.Equal(t, http.StatusNotFound, kerr.StatusCode, name)
		assert.Equal(t, "incode.OnboardingStatus", kerr.Op, name)
		assert.False(t, kerr.NotSent, name)
		assert.False(t, errors.Is(err, kyc.ErrUnauthorized), name)
		t.Logf("%s: %v", name, err)
	}

	// Without executive credentials (nor a TokenStore) nothing can read
	// the session: that is the client's setup, not Incode's answer.
	plain := client(t, srv)
	_, err = plain.ConfirmEvent(ctx, ev)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.ErrorIs(t, err, kyc.ErrUnsupported)
	assert.True(t, kerr.NotSent)
}

// TestMuxAcknowledgesUnknownInterviews: through a kyc.WebhookMux that
// confirms events, a session event for an interview Incode does not know
// is answered 200 (so Incode stops retrying), the handler is not called
// and nothing is stored; a known one reaches the handler confirmed.
func TestMuxAcknowledgesUnknownInterviews(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	c := client(t, srv, func(cfg *incode.Config) {
		*cfg = srv.ExecutiveConfig()
		cfg.WebhookHeaderName, cfg.WebhookHeaderValue = hookHeader, kyc.NewSecret(hookValue)
	})
	ctx := context.Background()
	res, err := c.Verify(ctx, request(t, "mux-1", "", "", ""))
	require.NoError(t, err)
	parsed, err := kyc.ParseReference(res.Reference)
	require.NoError(t, err)

	store := kyc.NewMemoryStore(0)
	got := make(chan *kyc.Event, 4)
	mux, err := kyc.NewWebhookMux(func(_ context.Context, ev *kyc.Event) error { got <- ev; return nil },
		kyc.ConfirmEvents(), kyc.WithResultStore(store))
	require.NoError(t, err)
	hs := httptest.NewServer(mux.Handler(c))
	defer hs.Close()

	const unknown = "0123456789abcdef01234567"
	for _, id := range []string{unknown, parsed.ID} {
		status, err := srv.Deliver(ctx, hs.URL, incodetest.Hook{InterviewID: id, Event: "Session Succeeded",
			OnboardingStatus: "ONBOARDING_FINISHED", HeaderName: hookHeader, HeaderValue: hookValue})
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, status, id)
	}
	close(got)
	require.Len(t, got, 1, "only the known interview reaches the handler")
	ev := <-got
	assert.Equal(t, res.Reference, ev.Reference)
	assert.True(t, ev.Confirmed)
	assert.Equal(t, kyc.StatusApproved, ev.Result.Status)
	_, err = store.Get(ctx, "incode:"+unknown)
	assert.ErrorIs(t, err, kyc.ErrNotFound, "nothing stored for the unknown interview")
}
