// Command webhooks is a small server that receives Verificar's and Incode's
// webhooks through one kyc.WebhookMux and prints each provider-neutral
// Event.
//
//	go run ./examples/webhooks                  # the fakes send a few webhooks, then it exits
//	go run ./examples/webhooks -listen :8080    # serve until interrupted
//
// Without -listen, it starts the two fakes, has them POST their documented
// webhooks (Verificar with Basic auth, Incode with a bearer token) to the
// server, and exits. Verificar's reports carry the outcome; Incode's only
// say the status changed, and are unsigned by design, so the handler
// confirms them by reading the session back with the stored Reference.
//
// With -listen, point the vendors' webhook settings at
// http(s)://<host>/webhooks/verificar and /webhooks/incode; credentials come
// from VERIFICAR_API_USER, VERIFICAR_API_TOKEN, VERIFICAR_WEBHOOK_USER,
// VERIFICAR_WEBHOOK_PASSWORD, INCODE_API_KEY and INCODE_WEBHOOK_TOKEN.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

func main() {
	listen := flag.String("listen", "", "serve webhooks on this address until interrupted (e.g. :8080)")
	flag.Parse()
	var err error
	if *listen != "" {
		err = serve(*listen)
	} else {
		err = demo()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "webhooks:", err)
		os.Exit(1)
	}
}

// newMux routes both vendors' webhooks to one function.
func newMux(ver *verificar.Client, inc *incode.Client, fn func(context.Context, *kyc.Event) error) *kyc.WebhookMux {
	mux := kyc.NewWebhookMux(fn)
	mux.Handle("/webhooks/verificar", ver)
	mux.Handle("/webhooks/incode", inc)
	return mux
}

func describe(ev *kyc.Event) string {
	s := fmt.Sprintf("%-9s type=%-22s authenticated=%-5v", ev.Provider, ev.Type, ev.Authenticated)
	if ev.Result != nil {
		s += fmt.Sprintf(" status=%s face=%s liveness=%s", ev.Result.Status, ev.Result.Scores.FaceMatch, ev.Result.Scores.Liveness)
	}
	return s
}

func demo() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	verSrv, incSrv := verificartest.NewServer(), incodetest.NewServer()
	defer verSrv.Close()
	defer incSrv.Close()

	verCfg := verSrv.Config()
	verCfg.WebhookUser, verCfg.WebhookPassword = "hooks", kyc.NewSecret("hook-password")
	ver, err := verificar.New(verCfg, verSrv.Options()...)
	if err != nil {
		return err
	}
	defer ver.Close()
	incCfg := incSrv.Config()
	incCfg.WebhookToken = kyc.NewSecret("incode-webhook-token")
	inc, err := incode.New(incCfg, incSrv.Options()...)
	if err != nil {
		return err
	}
	defer inc.Close()

	// Start one verification on each, as an application would, storing the
	// references by the vendor's id.
	res, err := ver.Verify(ctx, kyc.Request{ID: "case-es", Country: "ESP", Person: kyc.Person{Phone: "+34600000001"}})
	if err != nil {
		return err
	}
	verID := strings.TrimPrefix(res.Reference, "verificar:")
	img := func(size int) *kyc.Image { im, _ := kyc.ImageFromBytes(kyctest.MagicImage("", size)); return im }
	incRes, err := inc.Verify(ctx, kyc.Request{ID: "case-mx", Country: "MEX", Selfie: img(0), Document: kyc.Document{Front: img(1000), Back: img(1200)}})
	if err != nil {
		return err
	}
	store := map[string]string{} // Incode interview id → stored Reference
	ref, err := kyc.ParseReference(incRes.Reference)
	if err != nil {
		return err
	}
	interviewID, _, _ := strings.Cut(ref.ID, ".")
	store[interviewID] = incRes.Reference

	received := make(chan string, 8)
	mux := newMux(ver, inc, func(ctx context.Context, ev *kyc.Event) error {
		line := describe(ev)
		if ev.Provider == kyc.Incode {
			// Incode's webhook only says the status changed, unsigned: read
			// the session back with the stored Reference before acting.
			p, err := incode.EventPayload(ev)
			if err != nil {
				return err
			}
			r, err := inc.ConfirmEvent(ctx, ev, store[p.InterviewID])
			if err != nil {
				return err
			}
			line += fmt.Sprintf(" confirmed=%s", r.Status)
		}
		received <- line
		return nil
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	base := "http://" + ln.Addr().String()

	sends := []func() (int, error){
		func() (int, error) {
			return verSrv.SendWebhook(ctx, verificartest.Webhook{URL: base + "/webhooks/verificar", ID: verID, Estado: verificar.EstadoAccessed, User: "hooks", Password: "hook-password"})
		},
		func() (int, error) {
			return verSrv.SendWebhook(ctx, verificartest.Webhook{URL: base + "/webhooks/verificar", ID: verID, Estado: verificar.EstadoFinished, Resultado: 91, Form: true, User: "hooks", Password: "hook-password"})
		},
		func() (int, error) {
			return incSrv.SendWebhook(ctx, base+"/webhooks/incode", interviewID, "ONBOARDING_FINISHED", "incode-webhook-token")
		},
		func() (int, error) { // wrong credentials: refused, the handler is not called
			return verSrv.SendWebhook(ctx, verificartest.Webhook{URL: base + "/webhooks/verificar", ID: verID, Estado: verificar.EstadoFinished, User: "hooks", Password: "wrong"})
		},
	}
	fmt.Println("webhooks received on", base)
	for i, send := range sends {
		status, err := send()
		if err != nil {
			return err
		}
		fmt.Printf("webhook %d answered HTTP %d\n", i+1, status)
		if status == http.StatusOK {
			fmt.Println("  ", <-received)
		}
	}
	return nil
}

func serve(addr string) error {
	ver, err := verificar.New(verificar.Config{
		APIUser: os.Getenv("VERIFICAR_API_USER"), APIToken: kyc.NewSecret(os.Getenv("VERIFICAR_API_TOKEN")),
		WebhookUser: os.Getenv("VERIFICAR_WEBHOOK_USER"), WebhookPassword: kyc.NewSecret(os.Getenv("VERIFICAR_WEBHOOK_PASSWORD")),
	})
	if err != nil {
		return err
	}
	inc, err := incode.New(incode.Config{APIKey: kyc.NewSecret(os.Getenv("INCODE_API_KEY")), WebhookToken: kyc.NewSecret(os.Getenv("INCODE_WEBHOOK_TOKEN"))})
	if err != nil {
		return err
	}
	mux := newMux(ver, inc, func(ctx context.Context, ev *kyc.Event) error {
		fmt.Println(describe(ev))
		return nil
	})
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	fmt.Println("serving webhooks on", addr, "at /webhooks/verificar and /webhooks/incode")
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
