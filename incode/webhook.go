package incode

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
	"github.com/kyc-go/kyc/internal/webhook"
)

// WebhookPayload is Incode's onboarding-status webhook
// (https://docs.incode.com/docs/omni-api/api/web-hooks). It is not signed:
// Incode authenticates it only with an optional OAuth bearer token.
type WebhookPayload struct {
	// InterviewID is the session's id.
	InterviewID string `json:"interviewId"`
	// ExternalID is the externalCustomerId the session was started with
	// (kyc.Request.ID in Verify), when there was one.
	ExternalID string `json:"externalId,omitempty"`
	// OnboardingStatus is the session's new status.
	OnboardingStatus OnboardingStatus `json:"onboardingStatus"`
}

// refusal is a webhook refused for a reason the SDK names itself: its text
// never holds anything from the request.
type refusal struct{ reason string }

func (r *refusal) Error() string { return "incode webhook: " + r.reason }

// The reasons a webhook body is refused.
var (
	errNotJSON     = &refusal{"the body is not a JSON object"}
	errInterviewID = &refusal{"interviewId is missing or not an Incode interview id"}
	errStatus      = &refusal{"onboardingStatus is missing or not a documented status"}
	errExternalID  = &refusal{"externalId is too long"}
	errControl     = &refusal{"a field contains control characters"}
)

// DecodeWebhook decodes and checks a webhook body: interviewId in Incode's
// id form, onboardingStatus from the documented set (OnboardingStatuses),
// externalId at most kyc.MaxIDLength long, and no control characters in
// any of them.
func DecodeWebhook(b []byte) (*WebhookPayload, error) {
	b = transport.StripBOM(b)
	if t := bytes.TrimSpace(b); len(t) == 0 || t[0] != '{' {
		return nil, errNotJSON
	}
	var w struct {
		InterviewID      *string `json:"interviewId"`
		ExternalID       *string `json:"externalId"`
		OnboardingStatus *string `json:"onboardingStatus"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, errNotJSON
	}
	p := &WebhookPayload{}
	for _, f := range []struct {
		v   *string
		dst *string
	}{{w.InterviewID, &p.InterviewID}, {w.ExternalID, &p.ExternalID}} {
		if f.v != nil {
			if !transport.SafeText(*f.v) {
				return nil, errControl
			}
			*f.dst = *f.v
		}
	}
	if w.OnboardingStatus != nil {
		if !transport.SafeText(*w.OnboardingStatus) {
			return nil, errControl
		}
		p.OnboardingStatus = OnboardingStatus(*w.OnboardingStatus)
	}
	switch {
	case idForm(p.InterviewID) != nil || strings.Contains(p.InterviewID, "."):
		return nil, errInterviewID
	case !p.OnboardingStatus.Documented():
		return nil, errStatus
	case len(p.ExternalID) > kyc.MaxIDLength:
		return nil, errExternalID
	}
	return p, nil
}

// ParseWebhook reads one onboarding-status webhook, failing closed:
//
//   - with Config.WebhookToken set, the request must carry it as
//     "Authorization: Bearer <token>" (checked in constant time, before the
//     body is read), and Event.Authenticated is true;
//   - without it, every webhook is refused (ErrUnauthorized, 401) unless
//     Config.AcceptUnauthenticatedWebhooks is set; it is then accepted with
//     Authenticated false.
//
// A body over 1 MiB is refused (413), and one that DecodeWebhook refuses
// (ErrInvalidRequest, 400) with its reason as the error's Message.
//
// Event.Reference is "incode:<interviewId>", the Reference Verify returned.
// The body carries no verdict: Event.Result is pending, except for
// MANUAL_REVIEW_APPROVED and MANUAL_REVIEW_REJECTED on an authenticated
// webhook. An unauthenticated Event never carries a final Status, nor any
// reason: confirm it with ConfirmEvent, which reads the session back.
func (c *Client) ParseWebhook(r *http.Request) (*kyc.Event, error) {
	return c.webhooks().Parse(r)
}

// WebhookHandler serves Incode's webhooks: it is kyc.WebhookHandler for
// this client (the exchange every kyc.WebhookMux runs), with the client's
// logger and Config.WebhookReadTimeout. It parses each webhook with
// ParseWebhook, hands the event to fn, and replies 200 {"success": true}
// only when fn succeeded. Otherwise it replies 401 (no or wrong
// credentials, or none configured), 400 (a body that is not a valid
// webhook), 413 (body over 1 MiB), 408 (the request not read within
// Config.WebhookReadTimeout), 405 (not a POST) or 500 (fn failed), and
// Incode sends the webhook once more. A refusal's body is {"success":
// false, "error": "<reason>"} (see ReplyWebhook), the reason in the SDK's
// own words, never echoing the request; it is logged at debug level with
// the provider, the same reason and the error's kind ("handler error" when
// fn failed, never fn's error text).
func (c *Client) WebhookHandler(fn func(context.Context, *kyc.Event) error) http.Handler {
	return kyc.WebhookHandler(c, fn, webhook.Options(c.tc.Logger(), c.cfg.WebhookReadTimeout)...)
}

// ReplyWebhook implements kyc.WebhookReplier with the answer Incode
// expects: {"success": true} for a 2xx status, otherwise {"success":
// false, "error": "<reason>"}.
func (c *Client) ReplyWebhook(w http.ResponseWriter, status int, reason string) {
	reply(w, status, reason)
}

// webhooks is the receiver: the shared rules with Incode's bearer token
// and body.
func (c *Client) webhooks() *webhook.Receiver {
	return &webhook.Receiver{
		Provider: kyc.Incode, Op: "incode.ParseWebhook",
		Auth:   webhook.Bearer(c.cfg.WebhookToken, c.cfg.AcceptUnauthenticatedWebhooks),
		Decode: c.decodeEvent, Now: c.tc.Now,
	}
}

// decodeEvent turns a webhook body into an Event, as if authenticated (the
// shared receiver strips the verdict of an unauthenticated one).
func (c *Client) decodeEvent(_ *http.Request, body []byte) (*kyc.Event, error) {
	p, err := DecodeWebhook(body)
	if err != nil {
		reason := "the body is not an Incode onboarding-status webhook"
		var rf *refusal
		if errors.As(err, &rf) {
			reason = rf.reason
		}
		return nil, webhook.Refuse(kyc.Incode, "incode.ParseWebhook", kyc.ErrInvalidRequest, 0, reason, err)
	}
	ref := reference(p.InterviewID)
	res := &kyc.Result{Provider: kyc.Incode, Reference: ref, Status: kyc.StatusPending,
		Reasons: []kyc.Reason{kyc.ReasonNotFinished}, Raw: json.RawMessage(body)}
	switch p.OnboardingStatus {
	case StatusManualReviewApproved:
		res.Status, res.Reasons = kyc.StatusApproved, nil
	case StatusManualReviewRejected:
		res.Status, res.Reasons = kyc.StatusRejected, []kyc.Reason{kyc.ReasonOther}
	}
	return &kyc.Event{Provider: kyc.Incode, Reference: ref, Type: string(p.OnboardingStatus), Result: res,
		Raw: json.RawMessage(body)}, nil
}

// EventPayload decodes the webhook body an Event from ParseWebhook holds.
func EventPayload(ev *kyc.Event) (*WebhookPayload, error) {
	if ev == nil || ev.Provider != kyc.Incode {
		return nil, errNotJSON
	}
	return DecodeWebhook(ev.Raw)
}

// reply writes Incode's expected answer, {"success": true}, or a refusal
// naming its reason: {"success": false, "error": "<reason>"}.
func reply(w http.ResponseWriter, status int, reason string) {
	body := map[string]any{"success": status >= 200 && status < 300}
	if reason != "" {
		body["error"] = reason
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// ConfirmEvent reads the session an Incode event names (ev.Reference) back
// from Incode, as Result does, and returns a copy of the event with that
// Result and Confirmed set: an event from an unauthenticated webhook, or a
// status-only one, becomes a Result with scores this way. It finds the token
// as Result does (see Config). It refuses an event that is not Incode's, or
// whose Reference is not its body's interview.
func (c *Client) ConfirmEvent(ctx context.Context, ev *kyc.Event) (*kyc.Event, error) {
	const op = "incode.ConfirmEvent"
	if ev == nil || ev.Provider != kyc.Incode {
		return nil, c.tc.Invalid(op, "ev", "an Incode webhook event")
	}
	id, _, err := c.ref(op, ev.Reference)
	if err != nil {
		return nil, err
	}
	if len(ev.Raw) > 0 {
		if p, err := DecodeWebhook(ev.Raw); err != nil || p.InterviewID != id {
			return nil, c.tc.Invalid(op, "ev", "the event's Reference is not its body's interview")
		}
	}
	res, err := c.Result(ctx, ev.Reference)
	if err != nil {
		return nil, err
	}
	out := *ev
	out.Result, out.Confirmed, out.Reference = res, true, res.Reference
	return &out, nil
}
