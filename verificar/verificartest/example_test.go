package verificartest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

// Start a fake and send a verification to it.
func ExampleNewServer() {
	srv := verificartest.NewServer(verificartest.WithCredits(5))
	defer srv.Close()
	c, err := verificar.New(srv.Config(), srv.Options()...)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()

	res, err := c.Verify(context.Background(), kyc.Request{Country: "ESP", Person: kyc.Person{Phone: "+34600000001"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.Reference, srv.Credits(), srv.Sends("34600000001"))
	// Output: pending verificar:299846332 4 1
}

// Make a rejection: the outcome of an SMS-link verification arrives by
// webhook, and a kyctest magic input picks the report the fake sends.
func ExampleOutcome() {
	srv := verificartest.NewServer()
	defer srv.Close()
	c, _ := verificar.New(srv.Config(), srv.Options()...)
	defer c.Close()
	ctx := context.Background()
	sent, _ := c.SendVerification(ctx, verificar.SendRequest{Phone: "34600000001"})

	hook := httptest.NewServer(c.WebhookHandler(func(_ context.Context, ev *kyc.Event) error {
		fmt.Println(ev.Type, ev.Result.Status, ev.Result.Reasons)
		return nil
	}))
	defer hook.Close()
	for _, magic := range []string{kyctest.ImageExpired, kyctest.ImageUnderage, kyctest.ImageForged} {
		_, produced := verificartest.Outcome(magic)
		fmt.Print(magic, " produced=", produced, ": ")
		_, _ = srv.SendWebhook(ctx, verificartest.Webhook{URL: hook.URL, ID: sent.ID, Magic: magic})
	}
	// Output:
	// expired produced=true: 5001 rejected [document_expired]
	// underage produced=true: 5001 rejected [underage]
	// forged produced=false: 5001 approved []
}

// Inject a fault: the answer to the send is lost behind a 502 after
// Mensatek processed it. The send is never resent, and the error says it
// may have gone out.
func ExampleServer_Inject() {
	srv := verificartest.NewServer()
	defer srv.Close()
	c, _ := verificar.New(srv.Config(), srv.Options()...)
	defer c.Close()

	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: http.StatusBadGateway, After: true})
	_, err := c.SendVerification(context.Background(), verificar.SendRequest{Phone: "34600000001"})
	fmt.Println(errors.Is(err, kyc.ErrUnavailable), kyc.MayHaveBeenSent(err), srv.Sends("34600000001"), srv.Count(verificar.PathSend))

	_, err = c.SendVerification(context.Background(), verificar.SendRequest{Phone: verificartest.PhoneServerError})
	fmt.Println(err)
	// Output:
	// true true 1 1
	// verificar.SendVerification: provider unavailable (HTTP 500): Internal Server Error
}

// Send a webhook: the fake POSTs Mensatek's report, with its webhook
// credentials, to a handler the client built.
func ExampleServer_SendWebhook() {
	srv := verificartest.NewServer()
	defer srv.Close()
	c, _ := verificar.New(srv.Config(), srv.Options()...)
	defer c.Close()
	ctx := context.Background()
	sent, _ := c.SendVerification(ctx, verificar.SendRequest{Phone: "34600000001"})

	hook := httptest.NewServer(c.WebhookHandler(func(_ context.Context, ev *kyc.Event) error {
		fmt.Println(ev.Type, ev.Reference, ev.Result.Status, ev.Authenticated)
		return nil
	}))
	defer hook.Close()
	_, _ = srv.SendWebhook(ctx, verificartest.Webhook{URL: hook.URL, ID: sent.ID, Estado: verificar.EstadoAccessed})
	_, _ = srv.SendWebhook(ctx, verificartest.Webhook{URL: hook.URL, ID: sent.ID, Estado: verificar.EstadoValidated, Form: true})
	code, _ := srv.SendWebhook(ctx, verificartest.Webhook{URL: hook.URL, ID: sent.ID, Estado: verificar.EstadoValidated, NoAuth: true})
	fmt.Println("without credentials:", code)
	// Output:
	// 3000 verificar:299846332 pending true
	// 5100 verificar:299846332 approved true
	// without credentials: 401
}

// PostWebhook sends a report without a fake, to any URL: a local handler
// under development, as `kyc webhook` does.
func ExamplePostWebhook() {
	c, _ := verificar.New(verificar.Config{APIUser: "u", APIToken: kyc.NewSecret("t"),
		WebhookUser: "hooks", WebhookPassword: kyc.NewSecret("hook-password")})
	hook := httptest.NewServer(c.WebhookHandler(func(_ context.Context, ev *kyc.Event) error {
		fmt.Println(ev.Type, ev.Reference, ev.Result.Status)
		return nil
	}))
	defer hook.Close()

	code, err := verificartest.PostWebhook(context.Background(), nil, verificartest.Webhook{
		URL: hook.URL, ID: "1283876988", Estado: verificar.EstadoRejected, Resultado: -8,
		User: "hooks", Password: "hook-password",
	})
	fmt.Println(code, err)
	fmt.Println(strings.Contains(string(verificartest.WebhookPayload("1283876988", 5100)), `"Estado":"5100"`))
	// Output:
	// 5500 verificar:1283876988 rejected
	// 200 <nil>
	// true
}
