package incodetest_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
)

func image(marker string) *kyc.Image {
	im, err := kyc.ImageFromBytes(kyctest.MagicImage(marker, 0))
	if err != nil {
		panic(err)
	}
	return im
}

func request(id, front, selfie string) kyc.Request {
	return kyc.Request{ID: id, Document: kyc.Document{Type: kyc.DocumentPassport, Front: image(front)}, Selfie: image(selfie)}
}

// Start a fake and verify a person against it.
func ExampleNewServer() {
	srv := incodetest.NewServer()
	defer srv.Close()
	c, err := incode.New(srv.Config(), srv.Options()...)
	if err != nil {
		panic(err)
	}
	defer c.Close()
	res, err := c.Verify(context.Background(), request("user-1", kyctest.ImageApproved, kyctest.ImageApproved))
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Status, srv.Sessions())
	// Output: approved 1
}

// Make a rejection with the shared magic inputs.
func ExampleServer_rejection() {
	srv := incodetest.NewServer()
	defer srv.Close()
	c, _ := incode.New(srv.Config(), srv.Options()...)
	defer c.Close()
	res, _ := c.Verify(context.Background(), request("user-2", kyctest.ImageApproved, kyctest.ImageFaceMismatch))
	fmt.Println(res.Status, res.Reasons)
	res, _ = c.Verify(context.Background(), request("user-3", kyctest.ImageExpired, kyctest.ImageApproved))
	fmt.Println(res.Status, res.Reasons)
	// Output:
	// rejected [face_mismatch]
	// rejected [document_expired]
}

// Inject a fault: a 503 on the session start is refused unprocessed, so it
// is resent, and one session is started.
func ExampleServer_Inject() {
	srv := incodetest.NewServer()
	defer srv.Close()
	c, _ := incode.New(srv.Config(), srv.Options()...)
	defer c.Close()
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503, Path: "/omni/start"})
	res, err := c.Verify(context.Background(), request("user-4", "", ""))
	fmt.Println(res.Status, err, srv.Sends("user-4"), srv.Count("/omni/start"))
	// Output: approved <nil> 1 2
}

// Send an Incode-shaped webhook to a handler, authenticated with the bearer
// token the receiver expects, and confirm it by reading the session back.
func ExampleServer_SendWebhook() {
	srv := incodetest.NewServer()
	defer srv.Close()
	cfg := srv.Config()
	cfg.WebhookToken = kyc.NewSecret("hook-token")
	c, _ := incode.New(cfg, srv.Options()...)
	defer c.Close()
	res, _ := c.Verify(context.Background(), request("user-5", "", ""))

	hook := httptest.NewServer(c.WebhookHandler(func(ctx context.Context, ev *kyc.Event) error {
		confirmed, err := c.ConfirmEvent(ctx, ev)
		if err != nil {
			return err
		}
		fmt.Println(ev.Type, ev.Reference == res.Reference, confirmed.Confirmed, confirmed.Result.Status)
		return nil
	}))
	defer hook.Close()
	interviewID := res.Reference[len("incode:"):]
	status, err := srv.SendWebhook(context.Background(), hook.URL, interviewID, "ONBOARDING_FINISHED", "hook-token")
	fmt.Println(status, err)
	// Output:
	// ONBOARDING_FINISHED true true approved
	// 200 <nil>
}

// Send a session event in Incode's production value style, with the static
// custom header the receiver expects.
func ExampleServer_Deliver() {
	srv := incodetest.NewServer()
	defer srv.Close()
	cfg := srv.Config()
	cfg.WebhookHeaderName, cfg.WebhookHeaderValue = "X-Incode-Secret", kyc.NewSecret("hook-secret")
	c, _ := incode.New(cfg, srv.Options()...)
	defer c.Close()
	res, _ := c.Verify(context.Background(), request("user-6", "", ""))

	hook := httptest.NewServer(c.WebhookHandler(func(ctx context.Context, ev *kyc.Event) error {
		fmt.Println(ev.Type, ev.Authenticated, ev.Result.Status)
		return nil
	}))
	defer hook.Close()
	status, err := srv.Deliver(context.Background(), hook.URL, incodetest.Hook{
		InterviewID: res.Reference[len("incode:"):], Event: "Session Succeeded",
		HeaderName: "X-Incode-Secret", HeaderValue: "hook-secret"})
	fmt.Println(status, err)
	// Output:
	// SESSION_SUCCEEDED true pending
	// 200 <nil>
}

// Post a webhook body built by Webhook, as the kyc command does.
func ExamplePostWebhook() {
	srv := incodetest.NewServer()
	defer srv.Close()
	c, _ := incode.New(srv.Config(), srv.Options()...) // no WebhookToken: fails closed
	defer c.Close()
	hook := httptest.NewServer(c.WebhookHandler(func(context.Context, *kyc.Event) error { return nil }))
	defer hook.Close()
	status, _ := incodetest.PostWebhook(context.Background(), nil, hook.URL,
		incodetest.Webhook("ONBOARDING_FINISHED", "6595c84ce69d469f69ad39fb"), "")
	fmt.Println(status)
	// Output: 401
}
