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

// WebhookPayload is one of Incode's two webhook families, decoded: the
// onboarding-status webhook (https://docs.incode.com/docs/omni-api/api/web-hooks,
// {interviewId, externalId, onboardingStatus}) or a session event
// (https://developer.incode.com/docs/session-webhooks, {event_type or
// eventType, interviewId, externalCustomerId, onboardingStatus,
// identityId}). It is not signed: Incode authenticates it only with a
// static custom header or an OAuth bearer token (see Config).
type WebhookPayload struct {
	// InterviewID is the session's id.
	InterviewID string `json:"interviewId"`
	// ExternalID is the externalCustomerId the session was started with
	// (kyc.Request.ID in Verify), when there was one: the onboarding-status
	// family names it externalId, the session family externalCustomerId.
	ExternalID string `json:"externalId,omitempty"`
	// OnboardingStatus is the session's new status, in its canonical form
	// (ONBOARDING_FINISHED); empty in a session event that carries none.
	OnboardingStatus OnboardingStatus `json:"onboardingStatus"`
	// Event is the session event, in its canonical form
	// (SESSION_SUCCEEDED); empty in an onboarding-status webhook.
	Event SessionEvent `json:"event_type,omitempty"`
	// IdentityID is the identity Incode enrolled, in a session event that
	// carries it (SESSION_SUCCEEDED, by Incode's Salesforce integration).
	IdentityID string `json:"identityId,omitempty"`
}

// refusal is a webhook refused for a reason the SDK names itself: its text
// never holds anything from the request.
type refusal struct{ reason string }

func (r *refusal) Error() string { return "incode webhook: " + r.reason }

// The reasons a webhook body is refused.
var (
	errNotJSON       = &refusal{"the body is not a JSON object"}
	errInterviewID   = &refusal{"interviewId is missing or not an Incode interview id"}
	errStatus        = &refusal{"onboardingStatus is missing or not a documented status"}
	errEvent         = &refusal{"event_type or eventType is not a documented session event"}
	errEventConflict = &refusal{"event_type and eventType name different events"}
	errExternalID    = &refusal{"externalId or externalCustomerId is too long, or the two differ"}
	errIdentityID    = &refusal{"identityId is too long"}
	errControl       = &refusal{"a field contains control characters"}
)

// DecodeWebhook decodes and checks a webhook body of either family. It
// reads the session event from event_type, then eventType (both given
// must name the same event), and the status from onboardingStatus, each in
// either value style ("Session Succeeded" or SESSION_SUCCEEDED), and gives
// them in the canonical form. It requires interviewId in Incode's id form;
// a session event from SessionEvents, or else an onboardingStatus, which
// when present must be one of OnboardingStatuses or StatusExpired;
// externalId or externalCustomerId (the same when both are given) and
// identityId at most kyc.MaxIDLength long; and no control characters in
// any of them.
func DecodeWebhook(b []byte) (*WebhookPayload, error) {
	b = transport.StripBOM(b)
	if t := bytes.TrimSpace(b); len(t) == 0 || t[0] != '{' {
		return nil, errNotJSON
	}
	var w struct {
		InterviewID        *string `json:"interviewId"`
		ExternalID         *string `json:"externalId"`
		ExternalCustomerID *string `json:"externalCustomerId"`
		OnboardingStatus   *string `json:"onboardingStatus"`
		EventTypeSnake     *string `json:"event_type"`
		EventTypeCamel     *string `json:"eventType"`
		IdentityID         *string `json:"identityId"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, errNotJSON
	}
	text := func(v *string) string {
		if v == nil {
			return ""
		}
		return *v
	}
	for _, v := range []*string{w.InterviewID, w.ExternalID, w.ExternalCustomerID, w.OnboardingStatus,
		w.EventTypeSnake, w.EventTypeCamel, w.IdentityID} {
		if !transport.SafeText(text(v)) {
			return nil, errControl
		}
	}
	p := &WebhookPayload{InterviewID: text(w.InterviewID), ExternalID: text(w.ExternalID), IdentityID: text(w.IdentityID)}
	if idForm(p.InterviewID) != nil || strings.Contains(p.InterviewID, ".") {
		return nil, errInterviewID
	}
	if ext := text(w.ExternalCustomerID); ext != "" {
		if p.ExternalID != "" && p.ExternalID != ext {
			return nil, errExternalID
		}
		p.ExternalID = ext
	}
	for _, v := range []*string{w.EventTypeSnake, w.EventTypeCamel} {
		if v == nil {
			continue
		}
		e := SessionEvent(canonical(*v))
		switch {
		case !e.Documented():
			return nil, errEvent
		case p.Event != "" && p.Event != e:
			return nil, errEventConflict
		}
		p.Event = e
	}
	if text(w.OnboardingStatus) != "" || p.Event == "" {
		p.OnboardingStatus = OnboardingStatus(canonical(text(w.OnboardingStatus)))
		if !webhookStatus(p.OnboardingStatus) {
			return nil, errStatus
		}
	}
	switch {
	case len(p.ExternalID) > kyc.MaxIDLength:
		return nil, errExternalID
	case len(p.IdentityID) > kyc.MaxIDLength:
		return nil, errIdentityID
	}
	return p, nil
}

// ParseWebhook reads one webhook of either family (see DecodeWebhook),
// failing closed; the credential is checked in constant time, before the
// body is read:
//
//   - with Config.WebhookHeaderName set, the request must carry exactly one
//     field of that name whose value is Config.WebhookHeaderValue, byte for
//     byte (Incode's static custom headers), and Event.Authenticated is
//     true;
//   - with Config.WebhookToken set, it must carry "Authorization: Bearer
//     <token>" (Incode's OAuth2 client-credentials option), and
//     Event.Authenticated is true;
//   - with neither, every webhook is refused (ErrUnauthorized, 401) unless
//     Config.AcceptUnauthenticatedWebhooks is set; it is then accepted with
//     Authenticated false.
//
// A padded, repeated or empty credential field never matches, over HTTP/1.1
// and HTTP/2 alike. A body over 1 MiB is refused (413), and one that
// DecodeWebhook refuses (ErrInvalidRequest, 400) with its reason as the
// error's Message, in the SDK's words, never quoting the body.
//
// Event.Reference is "incode:<interviewId>", the Reference Verify returned.
// Event.Type is the session event (SESSION_SUCCEEDED) or, in the
// onboarding-status family, the status (ONBOARDING_FINISHED), in the
// canonical form. The verdict comes from onboardingStatus alone, in either
// family, and only on an authenticated webhook:
//
//   - MANUAL_REVIEW_APPROVED: StatusApproved, Sequence SequenceManualReview;
//   - MANUAL_REVIEW_REJECTED: StatusRejected with ReasonOther, Sequence
//     SequenceManualReview;
//   - EXPIRED: StatusRejected with ReasonNotFinished and Resubmit (the
//     session can no longer finish: start a new one), Sequence 0, so that
//     it never replaces a verdict in a kyc.ResultStore;
//   - anything else, every session event included: StatusPending with
//     ReasonNotFinished. A session event's name is not a verdict: Incode
//     says to decide by the score's overall status, which the body does
//     not carry (see the package documentation).
//
// An unauthenticated Event never carries a final Status, nor any reason:
// confirm it with ConfirmEvent, which reads the session back.
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
// Incode sends the webhook again. A refusal's body is {"success":
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

// webhooks is the receiver: the shared rules with Incode's credential
// (the static header or the bearer token, New allows one) and body.
func (c *Client) webhooks() *webhook.Receiver {
	auth := webhook.Bearer(c.cfg.WebhookToken, c.cfg.AcceptUnauthenticatedWebhooks)
	if c.cfg.WebhookHeaderName != "" {
		auth = webhook.Header(c.cfg.WebhookHeaderName, c.cfg.WebhookHeaderValue, c.cfg.AcceptUnauthenticatedWebhooks)
	}
	return &webhook.Receiver{
		Provider: kyc.Incode, Op: "incode.ParseWebhook", Auth: auth,
		Decode: c.decodeEvent, Now: c.tc.Now,
	}
}

// decodeEvent turns a webhook body into an Event, as if authenticated (the
// shared receiver strips the verdict of an unauthenticated one).
func (c *Client) decodeEvent(_ *http.Request, body []byte) (*kyc.Event, error) {
	p, err := DecodeWebhook(body)
	if err != nil {
		reason := "the body is not an Incode webhook"
		var rf *refusal
		if errors.As(err, &rf) {
			reason = rf.reason
		}
		return nil, webhook.Refuse(kyc.Incode, "incode.ParseWebhook", kyc.ErrInvalidRequest, 0, reason, err)
	}
	ref := reference(p.InterviewID)
	res := webhookVerdict(&kyc.Result{Provider: kyc.Incode, Reference: ref, Raw: json.RawMessage(body)}, p.OnboardingStatus)
	typ := string(p.Event)
	if typ == "" {
		typ = string(p.OnboardingStatus)
	}
	return &kyc.Event{Provider: kyc.Incode, Reference: ref, Type: typ, Result: res, Raw: json.RawMessage(body)}, nil
}

// webhookVerdict fills res with what an authenticated webhook's
// onboardingStatus says (see ParseWebhook).
func webhookVerdict(res *kyc.Result, st OnboardingStatus) *kyc.Result {
	switch st {
	case StatusManualReviewApproved:
		res.Status, res.Sequence = kyc.StatusApproved, SequenceManualReview
	case StatusManualReviewRejected:
		res.Status, res.Reasons, res.Sequence = kyc.StatusRejected, []kyc.Reason{kyc.ReasonOther}, SequenceManualReview
	case StatusExpired:
		res.Status, res.Reasons, res.Resubmit = kyc.StatusRejected, []kyc.Reason{kyc.ReasonNotFinished}, true
	default:
		res.Status, res.Reasons = kyc.StatusPending, []kyc.Reason{kyc.ReasonNotFinished}
	}
	return res
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
//
// For an interview Incode answers 404 for (one the account does not have:
// never started, or erased), it returns a *kyc.Error of kind
// kyc.ErrNotFound with StatusCode 404 (Op "incode.OnboardingStatus", the
// read that was refused): answer such a webhook 200, so that Incode stops
// sending it. Without executive credentials or a TokenStore holding the
// session's token, the session cannot be read at all and the error is
// kyc.ErrUnsupported, sent nowhere.
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
