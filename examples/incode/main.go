// Command incode runs Incode's whole onboarding flow through kyc-go: against
// the in-process fake (incodetest) with sample images, or against Incode's
// demo environment when INCODE_API_KEY and INCODE_CONFIGURATION_ID are set
// (then INCODE_FRONT, INCODE_BACK and INCODE_SELFIE name the image files).
//
//	go run ./examples/incode
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "incode example:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if key := os.Getenv("INCODE_API_KEY"); key != "" {
		return runDemo(ctx, key, os.Getenv("INCODE_CONFIGURATION_ID"))
	}
	return runFake(ctx)
}

// runDemo verifies one person against Incode's demo environment.
func runDemo(ctx context.Context, key, flow string) error {
	c, err := incode.New(incode.Config{APIKey: kyc.NewSecret(key), ConfigurationID: flow, Environment: incode.EnvironmentDemo})
	if err != nil {
		return err
	}
	defer c.Close()
	req := kyc.Request{ID: "kyc-go-example", Document: kyc.Document{Type: kyc.DocumentDriverLicense}}
	for _, f := range []struct {
		env string
		dst **kyc.Image
	}{{"INCODE_FRONT", &req.Document.Front}, {"INCODE_BACK", &req.Document.Back}, {"INCODE_SELFIE", &req.Selfie}} {
		path := os.Getenv(f.env)
		if path == "" {
			continue
		}
		if *f.dst, err = kyc.ImageFromFile(path); err != nil {
			return err
		}
	}
	res, err := c.Verify(ctx, req)
	if err != nil {
		return err
	}
	fmt.Printf("demo: %s %v\n", res.Status, res.Reasons)
	return nil
}

// runFake runs each outcome against the fake, then a webhook round trip.
func runFake(ctx context.Context) error {
	srv := incodetest.NewServer()
	defer srv.Close()
	c, err := incode.New(srv.Config(), srv.Options()...)
	if err != nil {
		return err
	}
	defer c.Close()
	img := func(marker string) *kyc.Image {
		im, _ := kyc.ImageFromBytes(kyctest.MagicImage(marker, 0))
		return im
	}
	cases := []struct {
		name          string
		front, selfie string
	}{
		{"genuine person", "", ""},
		{"face mismatch", "", incodetest.ImageMismatch},
		{"spoofed selfie", "", incodetest.ImageSpoof},
		{"expired ID", incodetest.ImageExpiredID, ""},
		{"unreadable ID", incodetest.FailReasonImage("DOCUMENT_NOT_READABLE"), ""},
	}
	var approvedRef string
	for i, tc := range cases {
		start := time.Now()
		res, err := c.Verify(ctx, kyc.Request{
			ID:       fmt.Sprintf("applicant-%d", i+1),
			Country:  "USA",
			Document: kyc.Document{Type: kyc.DocumentDriverLicense, Front: img(tc.front), Back: img("")},
			Selfie:   img(tc.selfie),
		})
		if err != nil {
			return fmt.Errorf("%s: %w", tc.name, err)
		}
		name := ""
		if res.Document != nil {
			name = res.Document.FullName
		}
		fmt.Printf("%-15s %-9s reasons=%v resubmit=%v face=%s liveness=%s document=%s name=%q (%s)\n",
			tc.name, res.Status, res.Reasons, res.Resubmit, res.Scores.FaceMatch, res.Scores.Liveness,
			res.Scores.Document, name, time.Since(start).Round(time.Millisecond))
		if res.Status == kyc.StatusApproved {
			approvedRef = res.Reference
		}
	}
	if approvedRef == "" {
		return errors.New("the genuine person was not approved")
	}

	// Webhook: the fake posts ONBOARDING_FINISHED; the handler confirms it
	// by reading the session back before trusting it.
	var confirmed *kyc.Result
	hook := httptest.NewServer(c.WebhookHandler(func(ctx context.Context, ev *kyc.Event) error {
		res, err := c.ConfirmEvent(ctx, ev, approvedRef)
		confirmed = res
		return err
	}))
	defer hook.Close()
	interviewID, _, err := incode.ParseReference(approvedRef)
	if err != nil {
		return err
	}
	status, err := srv.SendWebhook(ctx, hook.URL, interviewID, string(incode.StatusOnboardingFinished), "")
	if err != nil || status != http.StatusOK || confirmed == nil {
		return fmt.Errorf("webhook: status %d: %v", status, err)
	}
	fmt.Printf("webhook ONBOARDING_FINISHED confirmed by read-back: %s\n", confirmed.Status)
	return nil
}
