// Command verificar sends an identity verification through Mensatek's API
// and receives its status reports on a webhook handler, printing the mapped
// events.
//
// With -fake it runs against the in-process fake (verificartest): the fake
// sends the SMS, then POSTs the reports a person's progress would trigger.
//
//	go run ./examples/verificar -fake
//
// Without -fake it sends a real verification: it costs credit and texts
// the phone. It reads
//
//	VERIFICAR_API_USER     the API User (Your Data → Configure Account)
//	VERIFICAR_API_TOKEN    the API Token
//	VERIFICAR_PHONE        the phone to text: +34600000001 or 34600000001
//
// and, with -listen, the Basic credentials set for report reception in the
// Mensatek panel:
//
//	VERIFICAR_WEBHOOK_USER
//	VERIFICAR_WEBHOOK_PASSWORD
//
// A missing variable is named; the command never falls back to the fake.
// Without -listen it prints the reference and exits: the reports go to the
// URL configured in the panel. With -listen :8080 it serves them on
// /webhooks/verificar and prints each event until interrupted.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// env lists every variable the command reads, with what it holds.
var env = []struct{ name, what string }{
	{"VERIFICAR_API_USER", "the API User from Your Data → Configure Account"},
	{"VERIFICAR_API_TOKEN", "the API Token from the same page"},
	{"VERIFICAR_PHONE", "the phone to text, such as +34600000001"},
	{"VERIFICAR_WEBHOOK_USER", "the Basic user set for report reception (needed with -listen)"},
	{"VERIFICAR_WEBHOOK_PASSWORD", "the Basic password set for report reception (needed with -listen)"},
}

func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	fs := flag.NewFlagSet("verificar", flag.ContinueOnError)
	fs.SetOutput(out)
	fake := fs.Bool("fake", false, "run against the in-process fake instead of Mensatek")
	listen := fs.String("listen", "", "with real credentials, serve the webhook reports on this address (e.g. :8080)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *fake {
		return runFake(ctx, out)
	}
	need := []string{"VERIFICAR_API_USER", "VERIFICAR_API_TOKEN", "VERIFICAR_PHONE"}
	if *listen != "" {
		need = append(need, "VERIFICAR_WEBHOOK_USER", "VERIFICAR_WEBHOOK_PASSWORD")
	}
	if err := missing(getenv, need); err != nil {
		return err
	}
	return runReal(ctx, getenv, *listen, out)
}

// missing names every variable of names that is not set, with what it
// holds, and how to run without them.
func missing(getenv func(string) string, names []string) error {
	var lines []string
	for _, n := range names {
		if getenv(n) != "" {
			continue
		}
		for _, e := range env {
			if e.name == n {
				lines = append(lines, fmt.Sprintf("  %s: %s", n, e.what))
			}
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return errors.New("not set:\n" + strings.Join(lines, "\n") +
		"\nset them to send a real verification (it costs credit and texts the phone), or run with -fake")
}

func request(phone string) kyc.Request {
	return kyc.Request{
		Country: "ESP",
		Person:  kyc.Person{Phone: phone},
		Link:    kyc.LinkOptions{Message: "Verifique su identidad en este enlace: [LINK]"},
	}
}

func runReal(ctx context.Context, getenv func(string) string, listen string, out io.Writer) error {
	c, err := verificar.New(verificar.Config{
		APIUser:         getenv("VERIFICAR_API_USER"),
		APIToken:        kyc.NewSecret(getenv("VERIFICAR_API_TOKEN")),
		WebhookUser:     getenv("VERIFICAR_WEBHOOK_USER"),
		WebhookPassword: kyc.NewSecret(getenv("VERIFICAR_WEBHOOK_PASSWORD")),
	})
	if err != nil {
		return err
	}
	defer c.Close()
	sendCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := c.Verify(sendCtx, request(getenv("VERIFICAR_PHONE")))
	if err != nil {
		if kyc.MayHaveBeenSent(err) {
			fmt.Fprintln(out, "the SMS may have been sent: check the Mensatek panel before sending again")
		}
		return err
	}
	fmt.Fprintf(out, "sent: %s, status %s\n", res.Reference, res.Status)
	if listen == "" {
		fmt.Fprintln(out, "the outcome arrives at the webhook URL set in the Mensatek panel (run with -listen to receive it here)")
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("/webhooks/verificar", c.WebhookHandler(func(_ context.Context, ev *kyc.Event) error {
		printEvent(out, ev)
		return nil
	}))
	srv := &http.Server{Addr: listen, Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 15 * time.Second, IdleTimeout: 60 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	fmt.Fprintf(out, "listening on %s/webhooks/verificar; interrupt to stop\n", listen)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func runFake(ctx context.Context, out io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	srv := verificartest.NewServer()
	defer srv.Close()
	// The fake's Config carries its webhook credentials, which SendWebhook
	// sends: the handler receives authenticated reports.
	c, err := verificar.New(srv.Config(), srv.Options()...)
	if err != nil {
		return err
	}
	defer c.Close()

	res, err := c.Verify(ctx, request("+34600000001"))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "sent (fake): %s, status %s\n", res.Reference, res.Status)
	credits, err := c.Credits(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "credits left: %g\n", credits)

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
		wh.URL, wh.ID = hook.URL, id
		code, err := srv.SendWebhook(ctx, wh)
		if err != nil {
			return err
		}
		if code != http.StatusOK {
			return fmt.Errorf("the webhook handler answered %d", code)
		}
		printEvent(out, <-events)
	}

	var pdf countWriter
	if err := c.Certificate(ctx, id, &pdf); err != nil {
		return err
	}
	fmt.Fprintf(out, "certificate: %d bytes of PDF\n", pdf)
	return nil
}

func printEvent(out io.Writer, ev *kyc.Event) {
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
	fmt.Fprintf(out, "%s (authenticated %v)\n", line, ev.Authenticated)
}

type countWriter int64

func (w *countWriter) Write(p []byte) (int, error) { *w += countWriter(len(p)); return len(p), nil }
