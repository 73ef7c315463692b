package incode_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
)

const (
	hookID     = "6595c84ce69d469f69ad39fb"
	hookHeader = "X-Incode-Secret"
	hookValue  = "s3cret-static-value"
	hookBearer = "oauth-access-token"
)

// headerClient is a client authenticating Incode's webhooks by the static
// header, optionally opted in to unauthenticated ones.
func headerClient(t *testing.T, cfg incode.Config) *incode.Client {
	t.Helper()
	cfg.APIKey = kyc.NewSecret("k")
	c, err := incode.New(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// TestWebhookFamiliesToEvents maps every fixture of both families (see
// testdata/README.md: webhook.json and the inferred_session_* and
// inferred_onboarding_* bodies) to its Event: the canonical Type, the
// Reference, and the verdict of an authenticated webhook, which comes from
// onboardingStatus alone. Unauthenticated, the same body claims nothing.
func TestWebhookFamiliesToEvents(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file     string
		typ      string
		event    incode.SessionEvent
		status   kyc.Status
		reasons  []kyc.Reason
		resubmit bool
		sequence int64
		external string
	}{
		{"webhook.json", "ONBOARDING_FINISHED", "", kyc.StatusPending, []kyc.Reason{kyc.ReasonNotFinished}, false, 0, "user-123"},
		{"inferred_onboarding_second_id.json", "ID_VALIDATION_FINISHED_SECOND_ID", "", kyc.StatusPending, []kyc.Reason{kyc.ReasonNotFinished}, false, 0, "user-123"},
		{"inferred_onboarding_manual_rejected.json", "MANUAL_REVIEW_REJECTED", "", kyc.StatusRejected, []kyc.Reason{kyc.ReasonOther}, false, incode.SequenceManualReview, "user-123"},
		{"inferred_onboarding_expired.json", "EXPIRED", "", kyc.StatusRejected, []kyc.Reason{kyc.ReasonNotFinished}, true, 0, ""},
		{"inferred_session_succeeded.json", "SESSION_SUCCEEDED", incode.EventSessionSucceeded, kyc.StatusPending, []kyc.Reason{kyc.ReasonNotFinished}, false, 0, "user-123"},
		{"inferred_session_failed.json", "SESSION_FAILED", incode.EventSessionFailed, kyc.StatusPending, []kyc.Reason{kyc.ReasonNotFinished}, false, 0, "user-123"},
		{"inferred_session_pending_review.json", "SESSION_PENDING_REVIEW", incode.EventSessionPendingReview, kyc.StatusPending, []kyc.Reason{kyc.ReasonNotFinished}, false, 0, "user-123"},
		{"inferred_session_started.json", "SESSION_STARTED", incode.EventSessionStarted, kyc.StatusPending, []kyc.Reason{kyc.ReasonNotFinished}, false, 0, ""},
	}
	authed := headerClient(t, incode.Config{WebhookHeaderName: hookHeader, WebhookHeaderValue: kyc.NewSecret(hookValue)})
	open := headerClient(t, incode.Config{AcceptUnauthenticatedWebhooks: true})
	for _, tt := range cases {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			body := fixture(t, tt.file)
			p, err := incode.DecodeWebhook(body)
			require.NoError(t, err)
			assert.Equal(t, hookID, p.InterviewID)
			assert.Equal(t, tt.event, p.Event)
			assert.Equal(t, tt.external, p.ExternalID)

			r := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(body))
			r.Header.Set(hookHeader, hookValue)
			ev, err := authed.ParseWebhook(r)
			require.NoError(t, err)
			assert.True(t, ev.Authenticated)
			assert.Equal(t, tt.typ, ev.Type)
			assert.Equal(t, "incode:"+hookID, ev.Reference)
			assert.Equal(t, body, []byte(ev.Raw), "Raw is the body as received")
			assert.Equal(t, tt.status, ev.Result.Status)
			assert.Equal(t, tt.reasons, ev.Result.Reasons)
			assert.Equal(t, tt.resubmit, ev.Result.Resubmit)
			assert.Equal(t, tt.sequence, ev.Result.Sequence)

			r = httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(body))
			ev, err = open.ParseWebhook(r)
			require.NoError(t, err)
			assert.False(t, ev.Authenticated)
			assert.Equal(t, tt.typ, ev.Type)
			assert.Equal(t, kyc.StatusPending, ev.Result.Status, "never a verdict unauthenticated")
			assert.Empty(t, ev.Result.Reasons)
			assert.False(t, ev.Result.Resubmit)
			assert.Zero(t, ev.Result.Sequence)
		})
	}
}

// TestWebhookValueStyles: every session event and status reads the same in
// both value styles and both event fields, and gives the canonical Type.
func TestWebhookValueStyles(t *testing.T) {
	t.Parallel()
	title := func(canonical string) string {
		words := strings.Split(strings.ToLower(canonical), "_")
		for i, w := range words {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
		return strings.Join(words, " ")
	}
	c := headerClient(t, incode.Config{WebhookToken: kyc.NewSecret(hookBearer)})
	parse := func(t *testing.T, body []byte) *kyc.Event {
		r := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+hookBearer)
		ev, err := c.ParseWebhook(r)
		require.NoError(t, err, "%s", body)
		return ev
	}
	for _, e := range incode.SessionEvents() {
		for _, field := range []string{incodetest.FieldEventType, incodetest.FieldEventTypeCamel} {
			for _, style := range []string{string(e), title(string(e))} {
				ev := parse(t, incodetest.SessionWebhook(field, style, hookID, "", ""))
				assert.Equal(t, string(e), ev.Type, "%s %q", field, style)
				assert.Equal(t, kyc.StatusPending, ev.Result.Status)
			}
		}
	}
	for _, st := range append(incode.OnboardingStatuses(), incode.StatusExpired) {
		for _, style := range []string{string(st), title(string(st))} {
			ev := parse(t, incodetest.Webhook(style, hookID))
			assert.Equal(t, string(st), ev.Type, "%q", style)
			final := st == incode.StatusManualReviewApproved || st == incode.StatusManualReviewRejected || st == incode.StatusExpired
			assert.Equal(t, final, ev.Result.Status.Final(), "%q", style)
		}
	}
	assert.Equal(t, "Session Pending Review", title("SESSION_PENDING_REVIEW"))
}

// TestWebhookRefusesHostileBodies: unknown events and statuses, conflicting
// fields, look-alike names and control characters are refused 400 with the
// SDK's reason, and the reply never echoes the body.
func TestWebhookRefusesHostileBodies(t *testing.T) {
	t.Parallel()
	const echo = "FORGED"
	long := strings.Repeat("A", 65)
	cases := []struct {
		name, body, reason string
	}{
		{"unknown event", `{"event_type":"SESSION_` + echo + `","interviewId":"` + hookID + `"}`, "event_type or eventType is not a documented session event"},
		{"unknown camel event", `{"eventType":"Session ` + echo + `","interviewId":"` + hookID + `"}`, "event_type or eventType is not a documented session event"},
		{"empty event", `{"event_type":"","interviewId":"` + hookID + `"}`, "event_type or eventType is not a documented session event"},
		{"two events", `{"event_type":"Session Succeeded","eventType":"SESSION_FAILED","interviewId":"` + hookID + `"}`, "event_type and eventType name different events"},
		{"long-s look-alike", `{"event_type":"ſession ſucceeded","interviewId":"` + hookID + `"}`, "event_type or eventType is not a documented session event"},
		{"double space", `{"event_type":"Session  Succeeded","interviewId":"` + hookID + `"}`, "event_type or eventType is not a documented session event"},
		{"padded event", `{"event_type":" Session Succeeded","interviewId":"` + hookID + `"}`, "event_type or eventType is not a documented session event"},
		{"long event", `{"event_type":"` + long + `","interviewId":"` + hookID + `"}`, "event_type or eventType is not a documented session event"},
		{"unknown status", `{"onboardingStatus":"` + echo + `","interviewId":"` + hookID + `"}`, "onboardingStatus is missing or not a documented status"},
		{"unknown status beside an event", `{"event_type":"Session Succeeded","onboardingStatus":"` + echo + `","interviewId":"` + hookID + `"}`, "onboardingStatus is missing or not a documented status"},
		{"no event nor status", `{"interviewId":"` + hookID + `"}`, "onboardingStatus is missing or not a documented status"},
		{"event as a number", `{"eventType":7,"interviewId":"` + hookID + `"}`, "the body is not a JSON object"},
		{"control in event", `{"eventType":"Session Succeeded\r\n` + echo + `","interviewId":"` + hookID + `"}`, "a field contains control characters"},
		{"control in identity", `{"eventType":"Session Succeeded","identityId":"\u0000` + echo + `","interviewId":"` + hookID + `"}`, "a field contains control characters"},
		{"two external ids", `{"eventType":"Session Succeeded","externalId":"a","externalCustomerId":"` + echo + `","interviewId":"` + hookID + `"}`, "externalId or externalCustomerId is too long, or the two differ"},
		{"long identity", `{"eventType":"Session Succeeded","identityId":"` + strings.Repeat("x", kyc.MaxIDLength+1) + `","interviewId":"` + hookID + `"}`, "identityId is too long"},
		{"bad interview", `{"eventType":"Session Succeeded","interviewId":"../` + echo + `"}`, "interviewId is missing or not an Incode interview id"},
		{"array", `[{"eventType":"Session Succeeded"}]`, "the body is not a JSON object"},
	}
	c := headerClient(t, incode.Config{WebhookHeaderName: hookHeader, WebhookHeaderValue: kyc.NewSecret(hookValue)})
	var calls atomic.Int32
	h := c.WebhookHandler(func(context.Context, *kyc.Event) error { calls.Add(1); return nil })
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(tt.body))
			r.Header.Set(hookHeader, hookValue)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			assert.Equal(t, http.StatusBadRequest, w.Code)
			assert.JSONEq(t, `{"success":false,"error":"`+tt.reason+`"}`, w.Body.String())
			assert.NotContains(t, w.Body.String(), echo)
			_, err := incode.DecodeWebhook([]byte(tt.body))
			require.Error(t, err)
			assert.NotContains(t, err.Error(), echo)
		})
	}
	assert.Zero(t, calls.Load(), "no refused webhook reaches the handler")
}

// TestWebhookVerdictOrdering: in a ResultStore, a manual review from a
// webhook replaces the automatic verdict read back earlier (Sequence 2
// after 1), and an expiry never replaces a verdict.
func TestWebhookVerdictOrdering(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := headerClient(t, incode.Config{WebhookToken: kyc.NewSecret(hookBearer)})
	parse := func(status string) *kyc.Result {
		r := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(incodetest.Webhook(status, hookID)))
		r.Header.Set("Authorization", "Bearer "+hookBearer)
		ev, err := c.ParseWebhook(r)
		require.NoError(t, err)
		return ev.Result
	}
	auto := &kyc.Result{Provider: kyc.Incode, Reference: "incode:" + hookID, Status: kyc.StatusApproved,
		Sequence: incode.SequenceAutomatic}
	store := kyc.NewMemoryStore(0)
	for _, step := range []struct {
		res  *kyc.Result
		want kyc.Applied
	}{
		{auto, kyc.AppliedStored},
		{parse("EXPIRED"), kyc.AppliedUnchanged},
		{parse("MANUAL_REVIEW_REJECTED"), kyc.AppliedStored},
		{auto, kyc.AppliedUnchanged},
		{parse("EXPIRED"), kyc.AppliedUnchanged},
	} {
		got, err := store.Apply(ctx, step.res)
		require.NoError(t, err)
		assert.Equal(t, step.want, got, "%s", step.res.Status)
	}
	got, err := store.Get(ctx, "incode:"+hookID)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusRejected, got.Status)
	assert.Equal(t, []kyc.Reason{kyc.ReasonOther}, got.Reasons, "the manual review stays")

	fresh := kyc.NewMemoryStore(0)
	applied, err := fresh.Apply(ctx, parse("EXPIRED"))
	require.NoError(t, err)
	assert.Equal(t, kyc.AppliedStored, applied, "an expiry is final on its own")
}
