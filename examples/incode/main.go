// Command incode runs Incode's whole onboarding flow through kyc-go.
//
// With INCODE_API_KEY set it runs against Incode's demo environment and
// needs INCODE_FRONT and INCODE_SELFIE (image files; INCODE_BACK too for a
// two-sided document, otherwise the front is sent as a passport).
// INCODE_CONFIGURATION_ID names the flow (optional). INCODE_EXECUTIVE_EMAIL
// and INCODE_EXECUTIVE_PASSWORD (optional, both or neither) let the client
// read the session back in any process; they are checked first with the free
// executive log-in. A missing variable is named, never replaced by the fake.
//
// Without INCODE_API_KEY it says so and runs against the in-process fake
// (incodetest) with sample images: every outcome, then a webhook that is
// confirmed by reading the session back.
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
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
)

// Env lists every environment variable the example reads.
var Env = []string{"INCODE_API_KEY", "INCODE_CONFIGURATION_ID", "INCODE_FRONT", "INCODE_BACK", "INCODE_SELFIE",
	"INCODE_EXECUTIVE_EMAIL", "INCODE_EXECUTIVE_PASSWORD"}

func main() {
	if err := run(os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "incode example:", err)
		os.Exit(1)
	}
}

func run(getenv func(string) string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if getenv("INCODE_API_KEY") == "" {
		fmt.Fprintln(os.Stderr, "INCODE_API_KEY is not set: running against the in-process fake (incodetest), not Incode")
		return runFake(ctx)
	}
	return runDemo(ctx, getenv)
}

// demoRequest builds the request from the image variables, naming the first
// one missing or unreadable.
func demoRequest(getenv func(string) string) (kyc.Request, error) {
	req := kyc.Request{ID: "kyc-go-example", Document: kyc.Document{Type: kyc.DocumentPassport}}
	for _, f := range []struct {
		env      string
		dst      **kyc.Image
		required bool
	}{{"INCODE_FRONT", &req.Document.Front, true}, {"INCODE_BACK", &req.Document.Back, false}, {"INCODE_SELFIE", &req.Selfie, true}} {
		path := getenv(f.env)
		if path == "" {
			if f.required {
				return req, fmt.Errorf("%s is not set: with INCODE_API_KEY set, name the image file in %s", f.env, f.env)
			}
			continue
		}
		im, err := kyc.ImageFromFile(path)
		if err != nil {
			return req, fmt.Errorf("%s: %w", f.env, err)
		}
		*f.dst = im
	}
	if req.Document.Back != nil {
		req.Document.Type = kyc.DocumentIDCard
	}
	return req, nil
}

// fields maps Config fields to the variables they come from, for errors.
var fields = map[string]string{"APIKey": "INCODE_API_KEY", "ConfigurationID": "INCODE_CONFIGURATION_ID",
	"ExecutiveEmail": "INCODE_EXECUTIVE_EMAIL", "ExecutivePassword": "INCODE_EXECUTIVE_PASSWORD"}

// runDemo verifies one person against Incode's demo environment.
func runDemo(ctx context.Context, getenv func(string) string) error {
	req, err := demoRequest(getenv)
	if err != nil {
		return err
	}
	c, err := incode.New(incode.Config{
		APIKey: kyc.NewSecret(getenv("INCODE_API_KEY")), ConfigurationID: getenv("INCODE_CONFIGURATION_ID"),
		Environment:    incode.EnvironmentDemo,
		ExecutiveEmail: getenv("INCODE_EXECUTIVE_EMAIL"), ExecutivePassword: kyc.NewSecret(getenv("INCODE_EXECUTIVE_PASSWORD")),
	})
	var kerr *kyc.Error
	if errors.As(err, &kerr) && fields[string(kerr.Field)] != "" {
		return fmt.Errorf("%s: %w", fields[string(kerr.Field)], err)
	}
	if err != nil {
		return err
	}
	defer c.Close()
	if getenv("INCODE_EXECUTIVE_EMAIL") != "" {
		if err := c.ExecutiveLogIn(ctx); err != nil {
			return fmt.Errorf("INCODE_EXECUTIVE_EMAIL/INCODE_EXECUTIVE_PASSWORD: %w", err)
		}
		fmt.Println("demo: executive log-in works")
	}
	res, err := c.Verify(ctx, req)
	if err != nil {
		if ref := referenceOf(err); ref != "" {
			return fmt.Errorf("%w (the session %s was started: Result(ref) reads it later)", err, ref)
		}
		return err
	}
	fmt.Printf("demo: %s %v reference=%s\n", res.Status, res.Reasons, res.Reference)
	return nil
}

func referenceOf(err error) string {
	var kerr *kyc.Error
	if errors.As(err, &kerr) {
		return kerr.Reference
	}
	return ""
}

// runFake runs each outcome against the fake, then a webhook round trip.
func runFake(ctx context.Context) error {
	srv := incodetest.NewServer()
	defer srv.Close()
	cfg := srv.Config()
	cfg.WebhookToken = kyc.NewSecret("example-webhook-token")
	c, err := incode.New(cfg, srv.Options()...)
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
		{"genuine person", kyctest.ImageApproved, kyctest.ImageApproved},
		{"face mismatch", "", kyctest.ImageFaceMismatch},
		{"spoofed selfie", "", kyctest.ImageLivenessFailed},
		{"dark selfie", "", kyctest.ImageLowQuality},
		{"expired ID", kyctest.ImageExpired, ""},
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
	var confirmed *kyc.Event
	hook := httptest.NewServer(c.WebhookHandler(func(ctx context.Context, ev *kyc.Event) error {
		out, err := c.ConfirmEvent(ctx, ev)
		confirmed = out
		return err
	}))
	defer hook.Close()
	interviewID := strings.TrimPrefix(approvedRef, "incode:")
	status, err := srv.SendWebhook(ctx, hook.URL, interviewID, string(incode.StatusOnboardingFinished), "example-webhook-token")
	if err != nil || status != http.StatusOK || confirmed == nil {
		return fmt.Errorf("webhook: status %d: %v", status, err)
	}
	fmt.Printf("webhook ONBOARDING_FINISHED for %s confirmed by read-back: %s\n", confirmed.Reference, confirmed.Result.Status)
	return nil
}
