package incode_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
)

func sample(marker string) *kyc.Image {
	im, err := kyc.ImageFromBytes(kyctest.MagicImage(marker, 0))
	if err != nil {
		panic(err)
	}
	return im
}

func ExampleNew() {
	c, err := incode.New(incode.Config{
		APIKey:          kyc.NewSecret(os.Getenv("INCODE_API_KEY")),
		ConfigurationID: os.Getenv("INCODE_CONFIGURATION_ID"),
		Environment:     incode.EnvironmentDemo,
	})
	if err != nil {
		fmt.Println(err) // no INCODE_API_KEY set
		return
	}
	defer c.Close()
}

func ExampleClient_Verify() {
	srv := incodetest.NewServer() // the fake; use incode.New(cfg) for Incode itself
	defer srv.Close()
	c, err := incode.New(srv.Config(), srv.Options()...)
	if err != nil {
		panic(err)
	}
	defer c.Close()

	res, err := c.Verify(context.Background(), kyc.Request{
		ID:       "user-42",
		Document: kyc.Document{Type: kyc.DocumentDriverLicense, Front: sample(""), Back: sample("")},
		Selfie:   sample(""),
	})
	if err != nil {
		panic(err)
	}
	// res.Reference is "incode:<interviewId>": no credential in it.
	fmt.Println(res.Status, res.Document.FullName)

	spoof, _ := c.Verify(context.Background(), kyc.Request{
		ID:       "user-43",
		Document: kyc.Document{Type: kyc.DocumentPassport, Front: sample("")},
		Selfie:   sample(kyctest.ImageLivenessFailed),
	})
	fmt.Println(spoof.Status, spoof.Reasons, spoof.Resubmit)
	// Output:
	// approved ALEX GINMAN
	// rejected [liveness_failed] true
}

func ExampleClient_Result() {
	srv := incodetest.NewServer()
	defer srv.Close()
	c, _ := incode.New(srv.Config(), srv.Options()...)
	defer c.Close()
	res, _ := c.Verify(context.Background(), kyc.Request{ID: "user-44",
		Document: kyc.Document{Front: sample("")}, Selfie: sample(kyctest.ImageFaceMismatch)})

	// Later: this process keeps the session token; another process needs
	// executive credentials (Config.ExecutiveEmail) or a shared TokenStore.
	again, err := c.Result(context.Background(), res.Reference)
	if err != nil {
		panic(err)
	}
	fmt.Println(again.Status, again.Reasons)
	// Output: rejected [face_mismatch]
}

func ExampleClient_StartSession() {
	srv := incodetest.NewServer()
	defer srv.Close()
	c, _ := incode.New(srv.Config(), srv.Options()...)
	defer c.Close()
	ctx := context.Background()

	s, err := c.StartSession(ctx, incode.StartRequest{ExternalCustomerID: "user-45"})
	if err != nil {
		panic(err)
	}
	front, err := s.AddFrontID(ctx, sample(incodetest.FailReasonImage("DOCUMENT_NOT_READABLE")), false)
	if err != nil {
		panic(err)
	}
	// A refused image is an answer, not an error: Incode says HTTP 200.
	fmt.Println(front.Accepted(), front.FailReason, front.Reason())

	selfie, err := s.AddSelfie(ctx, sample(kyctest.ImageLowQuality))
	if err != nil {
		panic(err)
	}
	fmt.Println(selfie.IsBright, selfie.Reason())

	_, err = s.AddSelfie(ctx, sample(kyctest.ImageNoFace))
	reason, ok := incode.ErrorReason(err)
	fmt.Println(ok, reason)
	// Output:
	// false DOCUMENT_NOT_READABLE low_quality_image
	// false low_quality_image
	// true no_face
}

func ExampleClient_WebhookHandler() {
	c, err := incode.New(incode.Config{
		APIKey:            kyc.NewSecret(os.Getenv("INCODE_API_KEY")),
		WebhookToken:      kyc.NewSecret(os.Getenv("INCODE_WEBHOOK_TOKEN")),
		ExecutiveEmail:    os.Getenv("INCODE_EXECUTIVE_EMAIL"), // read-back in any process
		ExecutivePassword: kyc.NewSecret(os.Getenv("INCODE_EXECUTIVE_PASSWORD")),
	})
	if err != nil {
		return
	}
	http.Handle("/webhooks/incode", c.WebhookHandler(func(ctx context.Context, ev *kyc.Event) error {
		// The body is a status only: read the session back before acting.
		confirmed, err := c.ConfirmEvent(ctx, ev)
		if err != nil {
			return err // answered 500: Incode sends the webhook once more
		}
		return saveOutcome(ctx, confirmed.Reference, confirmed.Result.Status)
	}))
}

// Authenticate webhooks by the static custom header set on Incode's
// dashboard, and answer 200 for an interview Incode no longer knows, so
// that it stops sending that webhook.
func ExampleClient_WebhookHandler_staticHeader() {
	c, err := incode.New(incode.Config{
		APIKey:             kyc.NewSecret(os.Getenv("INCODE_API_KEY")),
		WebhookHeaderName:  "X-Incode-Secret", // the name configured on the dashboard
		WebhookHeaderValue: kyc.NewSecret(os.Getenv("INCODE_WEBHOOK_SECRET")),
		ExecutiveEmail:     os.Getenv("INCODE_EXECUTIVE_EMAIL"),
		ExecutivePassword:  kyc.NewSecret(os.Getenv("INCODE_EXECUTIVE_PASSWORD")),
	})
	if err != nil {
		return
	}
	http.Handle("/webhooks/incode", c.WebhookHandler(func(ctx context.Context, ev *kyc.Event) error {
		// ev.Type is SESSION_SUCCEEDED, ONBOARDING_FINISHED…, whichever
		// family and value style Incode sent.
		confirmed, err := c.ConfirmEvent(ctx, ev)
		if errors.Is(err, kyc.ErrNotFound) {
			return nil // never started here, or erased: nothing to retry
		}
		if err != nil {
			return err
		}
		return saveOutcome(ctx, confirmed.Reference, confirmed.Result.Status)
	}))
}

func saveOutcome(context.Context, string, kyc.Status) error { return nil }
