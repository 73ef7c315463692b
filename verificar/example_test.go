package verificar_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

func ExampleNew() {
	c, err := verificar.New(verificar.Config{
		APIUser:  "my-api-user",
		APIToken: kyc.NewSecret("my-api-token"),
		// Basic credentials configured for report reception in the panel.
		WebhookUser:     "hooks",
		WebhookPassword: kyc.NewSecret("hook-password"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	fmt.Println(c.Provider(), c.Capabilities().Flow)
	// Output: verificar sms_link
}

func ExampleClient_Verify() {
	srv := verificartest.NewServer()
	defer srv.Close()
	c, _ := verificar.New(srv.Config(), srv.Options()...)
	defer c.Close()

	res, err := c.Verify(context.Background(), kyc.Request{
		Country: "ESP",
		Person:  kyc.Person{Phone: "+34600000001"},
		Link:    kyc.LinkOptions{Message: "Verify your identity: [LINK]", Sender: "MyCompany"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.Reference)
	// Output: pending verificar:299846332
}

func ExampleClient_SendVerification() {
	srv := verificartest.NewServer(verificartest.WithCredits(10))
	defer srv.Close()
	c, _ := verificar.New(srv.Config(), srv.Options()...)
	defer c.Close()

	sent, err := c.SendVerification(context.Background(), verificar.SendRequest{
		Phone:   "34600000001",
		Message: "We need to verify your identity: [LINK]",
		DNI:     "00000000T",
		Sender:  "MyCompany",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sent.ID, sent.Credits)

	_, err = c.SendVerification(context.Background(), verificar.SendRequest{Phone: "34600000001", Sender: "MyCompanyLtd"})
	fmt.Println(err)
	// Output:
	// 299846332 9
	// verificar.SendVerification: invalid request (field Sender): at most 11 characters
}

func ExampleClient_Credits() {
	srv := verificartest.NewServer(verificartest.WithCredits(42))
	defer srv.Close()
	c, _ := verificar.New(srv.Config(), srv.Options()...)
	defer c.Close()

	n, err := c.Credits(context.Background())
	fmt.Println(n, err)
	// Output: 42 <nil>
}

func ExampleClient_Certificate() {
	srv := verificartest.NewServer()
	defer srv.Close()
	c, _ := verificar.New(srv.Config(), srv.Options()...)
	defer c.Close()
	ctx := context.Background()
	sent, _ := c.SendVerification(ctx, verificar.SendRequest{Phone: "34600000001"})

	f, err := os.CreateTemp("", "certificate-*.pdf")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := c.Certificate(ctx, sent.ID, f); err != nil {
		fmt.Println(err)
		return
	}
	st, _ := f.Stat()
	fmt.Println(st.Size(), "bytes")
	// Output: 4096 bytes
}

func ExampleClient_WebhookHandler() {
	srv := verificartest.NewServer()
	defer srv.Close()
	c, _ := verificar.New(srv.Config(), srv.Options()...)
	defer c.Close()
	ctx := context.Background()
	sent, _ := c.SendVerification(ctx, verificar.SendRequest{Phone: "34600000001"})

	hook := httptest.NewServer(c.WebhookHandler(func(_ context.Context, ev *kyc.Event) error {
		fmt.Println(strings.TrimSpace(fmt.Sprint(ev.Type, " ", ev.Reference, " ", ev.Result.Status, " ", strings.Join(reasons(ev.Result), ","))))
		return nil
	}))
	defer hook.Close()
	_, _ = srv.SendWebhook(ctx, verificartest.Webhook{URL: hook.URL, ID: sent.ID, Estado: 3000})
	_, _ = srv.SendWebhook(ctx, verificartest.Webhook{URL: hook.URL, ID: sent.ID, Estado: 5001, Resultado: -5, Form: true})
	// Output:
	// 3000 verificar:299846332 pending
	// 5001 verificar:299846332 rejected document_expired
}

func reasons(r *kyc.Result) []string {
	out := make([]string, len(r.Reasons))
	for i, x := range r.Reasons {
		out[i] = string(x)
	}
	return out
}

func ExampleClient_Call() {
	srv := verificartest.NewServer(verificartest.WithCredits(7))
	defer srv.Close()
	c, _ := verificar.New(srv.Config(), srv.Options()...)
	defer c.Close()

	// A function the typed methods do not cover, declared as a free read;
	// Resp=JSON is added to the parameters.
	var out struct{ Cred json.Number }
	err := c.Call(context.Background(), kyc.Operation{Name: "verificar.GetCreditos", Path: "/GetCreditos", Class: kyc.ClassFree}, nil, &out)
	fmt.Println(out.Cred, err)
	// Output: 7 <nil>
}

func ExampleOperations() {
	for _, op := range verificar.Operations() {
		fmt.Println(op.Method, op.Path, op.Class)
	}
	// Output:
	// POST /VerificarIdentidad messaging
	// POST /GetCertificadoIdentidad free
	// POST /GetCreditos free
}
