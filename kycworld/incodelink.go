package kycworld

// Incode's hosted link in the World (WithIncodeLink): the person's part of
// Complete.

import (
	"context"
	"fmt"
	"net/http"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/kyctest"
)

// onboard is the person going through an Incode hosted link with marker,
// then Incode's ONBOARDING_FINISHED webhook.
func (w *World) onboard(ctx context.Context, res *kyc.Result, interviewID, marker string) error {
	front, selfie := marker, marker
	if faceInputs[marker] {
		front = ""
	}
	if documentInputs[marker] {
		selfie = ""
	}
	if err := w.Fakes.Incode.Onboard(res.Link.URL, kyctest.MagicImage(front, 0), kyctest.MagicImage(selfie, 0)); err != nil {
		return fmt.Errorf("kycworld: the person on Incode's hosted pages: %w", err)
	}
	status, err := w.Fakes.Incode.SendWebhook(ctx, w.WebhookURL+IncodeWebhookPath, interviewID,
		string(incode.StatusOnboardingFinished), IncodeWebhookToken)
	if err != nil {
		return fmt.Errorf("kycworld: Incode webhook: %w", err)
	}
	if status != http.StatusOK {
		return fmt.Errorf("kycworld: the Incode webhook was answered with HTTP %d", status)
	}
	return nil
}
