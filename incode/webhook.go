package incode

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
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

type webhookWire struct {
	InterviewID      tolerant.String `json:"interviewId"`
	ExternalID       tolerant.String `json:"externalId"`
	OnboardingStatus tolerant.String `json:"onboardingStatus"`
}

// errWebhookBody is the cause of a webhook body that cannot be used.
var errWebhookBody = errors.New("incode: not an onboarding-status webhook")

// DecodeWebhook decodes a webhook body. interviewId and onboardingStatus
// are required.
func DecodeWebhook(b []byte) (*WebhookPayload, error) {
	if t := bytes.TrimSpace(b); len(t) == 0 || t[0] != '{' {
		return nil, errWebhookBody
	}
	var w webhookWire
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, err
	}
	if w.InterviewID == "" || w.OnboardingStatus == "" {
		return nil, errWebhookBody
	}
	return &WebhookPayload{InterviewID: string(w.InterviewID), ExternalID: string(w.ExternalID),
		OnboardingStatus: OnboardingStatus(w.OnboardingStatus)}, nil
}

// ParseWebhook reads one onboarding-status webhook. When Config.WebhookToken
// is set, the request must carry it as "Authorization: Bearer <token>"
// (checked in constant time) and Event.Authenticated is true; otherwise the
// webhook is accepted unauthenticated and Authenticated is false.
//
// The body is unsigned and carries no verdict, so act on ConfirmEvent's
// answer, not on the event: Event.Result is approved or rejected only for
// MANUAL_REVIEW_APPROVED and MANUAL_REVIEW_REJECTED, and pending otherwise.
// Event.Reference is empty, because the webhook does not carry the session
// token a Reference needs: find your stored Reference by the payload's
// ExternalID (your Request.ID) or InterviewID (see EventPayload).
func (c *Client) ParseWebhook(r *http.Request) (*kyc.Event, error) {
	const op = "incode.ParseWebhook"
	authenticated := false
	if !c.cfg.WebhookToken.IsZero() {
		if !webhook.CheckBearer(r, c.cfg.WebhookToken) {
			return nil, webhook.Unauthorized(kyc.Incode, op)
		}
		authenticated = true
	}
	body, err := webhook.ReadBody(r, kyc.Incode, op, webhook.MaxBody)
	if err != nil {
		return nil, err
	}
	p, err := DecodeWebhook(body)
	if err != nil {
		return nil, &kyc.Error{Provider: kyc.Incode, Op: op, Kind: kyc.ErrInvalidRequest,
			Message: "the body is not an Incode onboarding-status webhook", Err: err}
	}
	res := &kyc.Result{Provider: kyc.Incode, Status: kyc.StatusPending, Raw: json.RawMessage(body)}
	switch p.OnboardingStatus {
	case StatusManualReviewApproved:
		res.Status = kyc.StatusApproved
	case StatusManualReviewRejected:
		res.Status = kyc.StatusRejected
		res.Reasons = []kyc.Reason{kyc.ReasonOther}
	case StatusOnboardingFinished:
	default:
		res.Reasons = []kyc.Reason{kyc.ReasonNotFinished}
	}
	return &kyc.Event{
		Provider: kyc.Incode, Type: string(p.OnboardingStatus), Result: res,
		Authenticated: authenticated, ReceivedAt: c.tc.Now(), Raw: json.RawMessage(body),
	}, nil
}

// EventPayload decodes the webhook body an Event from ParseWebhook holds.
func EventPayload(ev *kyc.Event) (*WebhookPayload, error) {
	if ev == nil || ev.Provider != kyc.Incode {
		return nil, errWebhookBody
	}
	return DecodeWebhook(ev.Raw)
}

// WebhookHandler serves Incode's webhooks: it parses each with ParseWebhook,
// hands the event to fn, and replies 200 {"success": true} only when fn
// succeeded. Otherwise it replies 401 (bad token), 400 (bad body), 413 (body
// over 1 MiB) or 500 (fn failed), and Incode sends the webhook once more.
func (c *Client) WebhookHandler(fn func(context.Context, *kyc.Event) error) http.Handler {
	return webhook.Handler(c.ParseWebhook, fn, func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"success":true}`))
	}, c.tc.Logger())
}

// ConfirmEvent reads the session an event names back from Incode, with the
// session token held in ref (the Reference Verify returned for it), and
// returns the outcome as Result does. Use it before acting on a webhook,
// which is unsigned. It refuses a ref whose interview id is not the
// event's.
func (c *Client) ConfirmEvent(ctx context.Context, ev *kyc.Event, ref string) (*kyc.Result, error) {
	const op = "incode.ConfirmEvent"
	p, err := EventPayload(ev)
	if err != nil {
		return nil, c.tc.Invalid(op, "ev", "an Incode webhook event")
	}
	id, _, ok := parseReference(ref)
	if !ok {
		return nil, c.tc.Invalid(op, "ref", `an Incode reference, "incode:<interviewId>.<token>"`)
	}
	if id != p.InterviewID {
		return nil, c.tc.Invalid(op, "ref", "the reference is not the event's session")
	}
	return c.Result(ctx, ref)
}
