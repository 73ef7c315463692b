package incodetest

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/kyctest"
)

// Webhook is the body Incode posts for an onboarding-status change:
// {"interviewId", "onboardingStatus"}. WebhookFor adds the externalId.
func Webhook(onboardingStatus, interviewID string) []byte {
	return WebhookFor(onboardingStatus, interviewID, "")
}

// WebhookFor is Webhook with the session's externalId (omitted when empty).
func WebhookFor(onboardingStatus, interviewID, externalID string) []byte {
	b, _ := json.Marshal(incode.WebhookPayload{InterviewID: interviewID, ExternalID: externalID,
		OnboardingStatus: incode.OnboardingStatus(onboardingStatus)})
	return b
}

// Session-event field names: Incode's Salesforce integration reads
// event_type first, another public integration camelCase eventType.
const (
	FieldEventType      = "event_type"
	FieldEventTypeCamel = "eventType"
)

// SessionWebhook is the body of a session event as Incode's Salesforce
// integration reads it: {<field>: event, "interviewId",
// "externalCustomerId" (omitted when empty), "onboardingStatus" (omitted
// when empty)}. field is FieldEventType or FieldEventTypeCamel (empty:
// FieldEventType); event is sent as given, in either value style ("Session
// Succeeded" or "SESSION_SUCCEEDED"). The shape is inferred: Incode's
// session-webhooks page names the events, not the body.
func SessionWebhook(field, event, interviewID, externalCustomerID, onboardingStatus string) []byte {
	if field == "" {
		field = FieldEventType
	}
	type body struct {
		Snake              string `json:"event_type,omitempty"`
		Camel              string `json:"eventType,omitempty"`
		InterviewID        string `json:"interviewId"`
		ExternalCustomerID string `json:"externalCustomerId,omitempty"`
		OnboardingStatus   string `json:"onboardingStatus,omitempty"`
	}
	b := body{InterviewID: interviewID, ExternalCustomerID: externalCustomerID, OnboardingStatus: onboardingStatus}
	if field == FieldEventTypeCamel {
		b.Camel = event
	} else {
		b.Snake = event
	}
	out, _ := json.Marshal(b)
	return out
}

// PostWebhook POSTs a webhook body to url as Incode does, once, with
// "Authorization: Bearer <bearer>" when bearer is not empty (the token your
// OAuth endpoint issued to Incode, incode.Config.WebhookToken), and returns
// the reply's status. hc nil is http.DefaultClient.
func PostWebhook(ctx context.Context, hc *http.Client, url string, body []byte, bearer string) (int, error) {
	return kyctest.Deliver(ctx, hc, Hook{Bearer: bearer}.delivery(url, body, 1))
}

// Hook is one webhook the fake sends with Server.Deliver: its family, its
// value style and its credential.
type Hook struct {
	// InterviewID names the session.
	InterviewID string
	// OnboardingStatus is the session's status. Without Event it is the
	// onboarding-status family's body; with Event it is sent beside the
	// event when not empty.
	OnboardingStatus string
	// Event, when set, sends the session-events family (SessionWebhook),
	// in the field EventField (empty: FieldEventType), as given: "Session
	// Succeeded" or "SESSION_SUCCEEDED".
	Event, EventField string
	// Bearer, when set, is sent as "Authorization: Bearer <Bearer>"
	// (incode.Config.WebhookToken).
	Bearer string
	// HeaderName and HeaderValue, when set, are sent as the static custom
	// header Incode's dashboard configures
	// (incode.Config.WebhookHeaderName and WebhookHeaderValue).
	HeaderName, HeaderValue string
}

// delivery is the webhook Incode sends: JSON, its credential, attempts.
func (h Hook) delivery(url string, body []byte, attempts int) kyctest.Delivery {
	d := kyctest.Delivery{URL: url, ContentType: "application/json", Body: body,
		Authorization: kyctest.BearerAuth(h.Bearer), Attempts: attempts}
	if h.HeaderName != "" {
		d.Header = http.Header{}
		d.Header.Set(h.HeaderName, h.HeaderValue)
	}
	return d
}

// SendWebhook POSTs the onboarding-status webhook for a session to url, as
// Incode does: {"interviewId", "externalId" (when the session has one),
// "onboardingStatus"}, with the bearer token when not empty. Like Incode, it
// retries once when the answer is not 200 or the call fails. It returns the
// last answer's status. Deliver sends the session family and the static
// header.
func (s *Server) SendWebhook(ctx context.Context, url, interviewID, onboardingStatus string, bearer string) (int, error) {
	return s.Deliver(ctx, url, Hook{InterviewID: interviewID, OnboardingStatus: onboardingStatus, Bearer: bearer})
}

// Deliver POSTs h to url as Incode does: the onboarding-status webhook, or
// with h.Event the session event (the session's externalCustomerId
// included when it has one), with h's credentials. Like Incode, it sends
// the webhook once more when the answer is not 200 or the call fails, and
// returns the last answer's status.
func (s *Server) Deliver(ctx context.Context, url string, h Hook) (int, error) {
	s.mu.Lock()
	external := ""
	if ss := s.byID[h.InterviewID]; ss != nil {
		external = ss.external
	}
	s.mu.Unlock()
	body := WebhookFor(h.OnboardingStatus, h.InterviewID, external)
	if h.Event != "" {
		body = SessionWebhook(h.EventField, h.Event, h.InterviewID, external, h.OnboardingStatus)
	}
	return kyctest.Deliver(ctx, s.hook, h.delivery(url, body, 2))
}
