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

// PostWebhook POSTs a webhook body to url as Incode does, once, with
// "Authorization: Bearer <bearer>" when bearer is not empty (the token your
// OAuth endpoint issued to Incode, incode.Config.WebhookToken), and returns
// the reply's status. hc nil is http.DefaultClient.
func PostWebhook(ctx context.Context, hc *http.Client, url string, body []byte, bearer string) (int, error) {
	return kyctest.Deliver(ctx, hc, delivery(url, body, bearer, 1))
}

// delivery is the webhook Incode sends: JSON, a bearer token, attempts.
func delivery(url string, body []byte, bearer string, attempts int) kyctest.Delivery {
	return kyctest.Delivery{URL: url, ContentType: "application/json", Body: body,
		Authorization: kyctest.BearerAuth(bearer), Attempts: attempts}
}

// SendWebhook POSTs the onboarding-status webhook for a session to url, as
// Incode does: {"interviewId", "externalId" (when the session has one),
// "onboardingStatus"}, with the bearer token when not empty. Like Incode, it
// retries once when the answer is not 200 or the call fails. It returns the
// last answer's status.
func (s *Server) SendWebhook(ctx context.Context, url, interviewID, onboardingStatus string, bearer string) (int, error) {
	s.mu.Lock()
	external := ""
	if ss := s.byID[interviewID]; ss != nil {
		external = ss.external
	}
	s.mu.Unlock()
	body := WebhookFor(onboardingStatus, interviewID, external)
	return kyctest.Deliver(ctx, s.hook, delivery(url, body, bearer, 2))
}
