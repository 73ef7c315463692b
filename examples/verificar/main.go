// Command verificar sends an identity verification through Mensatek's API
// and receives its status report on a local webhook handler, printing the
// mapped events.
//
// With no environment it runs against the in-process fake
// (verificartest): the fake sends the SMS, then POSTs the reports a person's
// progress would trigger. With VERIFICAR_API_USER, VERIFICAR_API_TOKEN and
// VERIFICAR_PHONE set, it sends a real verification (it costs credit and
// texts that phone) and only prints the reference: the real reports go to
// the URL configured in your Mensatek panel, where a handler built by
// WebhookHandler must listen.
//
//	go run ./examples/verificar
package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	user, token, phone := os.Getenv("VERIFICAR_API_USER"), os.Getenv("VERIFICAR_API_TOKEN"), os.Getenv("VERIFICAR_PHONE")
	if user != "" && token != "" && phone != "" {
		return sendReal(ctx, user, token, phone)
	}

	srv := verificartest.NewServer()
	defer srv.Close()
	cfg := srv.Config()
	cfg.WebhookUser, cfg.WebhookPassword = "hooks", kyc.NewSecret("hook-password")
	c, err := verificar.New(cfg, srv.Options()...)
	if err != nil {
		return err
	}
	defer c.Close()

	res, err := c.Verify(ctx, request("+34600000001"))
	if err != nil {
		return err
	}
	fmt.Printf("sent (fake): %s, status %s\n", res.Reference, res.Status)
	credits, err := c.Credits(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("credits left: %g\n", credits)

	events := make(chan *kyc.Event, 8)
	hook := httptest.NewServer(c.WebhookHandler(func(_ context.Context, ev *kyc.Event) error {
		events <- ev
		return nil
	}))
	defer hook.Close()

	id := strings.TrimPrefix(res.Reference, "verificar:")
	for _, wh := range []verificartest.Webhook{
		{Estado: verificar.EstadoAccessed},
		{Estado: verificar.EstadoDocumentFront, Form: true},
		{Estado: verificar.EstadoFinished},
		{Estado: verificar.EstadoValidated},
	} {
		wh.URL, wh.ID, wh.User, wh.Password = hook.URL, id, "hooks", "hook-password"
		code, err := srv.SendWebhook(ctx, wh)
		if err != nil {
			return err
		}
		if code != 200 {
			return fmt.Errorf("the webhook handler answered %d", code)
		}
		printEvent(<-events)
	}

	var pdf countWriter
	if err := c.Certificate(ctx, id, &pdf); err != nil {
		return err
	}
	fmt.Printf("certificate: %d bytes of PDF\n", pdf)
	return nil
}

func request(phone string) kyc.Request {
	return kyc.Request{
		Country: "ESP",
		Person:  kyc.Person{Phone: phone},
		Link:    kyc.LinkOptions{Message: "Verifique su identidad en este enlace: [LINK]"},
	}
}

func sendReal(ctx context.Context, user, token, phone string) error {
	c, err := verificar.New(verificar.Config{APIUser: user, APIToken: kyc.NewSecret(token)})
	if err != nil {
		return err
	}
	defer c.Close()
	res, err := c.Verify(ctx, request(phone))
	if err != nil {
		return err
	}
	fmt.Printf("sent: %s, status %s; the outcome arrives at the webhook URL set in the Mensatek panel\n", res.Reference, res.Status)
	return nil
}

func printEvent(ev *kyc.Event) {
	r := ev.Result
	line := fmt.Sprintf("webhook Estado %s: %s", ev.Type, r.Status)
	if len(r.Reasons) > 0 {
		line += fmt.Sprintf(" %v", r.Reasons)
	}
	if fm, ok := r.Scores.FaceMatch.Value(); ok {
		line += fmt.Sprintf(", face match %.2f, liveness %s", fm, r.Scores.Liveness)
	}
	if d := r.Document; d != nil {
		line += fmt.Sprintf(", document %s expiring %s", d.Type, d.ExpiryDate.Format("2006-01-02"))
	}
	fmt.Printf("%s (authenticated %v)\n", line, ev.Authenticated)
}

type countWriter int64

func (w *countWriter) Write(p []byte) (int, error) { *w += countWriter(len(p)); return len(p), nil }
