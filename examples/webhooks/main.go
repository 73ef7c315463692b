// Command webhooks is a small service that receives Verificar's and
// Incode's webhooks through one kyc.WebhookMux, confirmed and correlated:
// the handler (handler.go) knows no vendor, every Event carries the
// Reference that Verify returned, Incode's status-only events are confirmed
// by reading the session back before the handler sees them, and every
// Result lands in one kyc.ResultStore that Router.Result reads.
//
//	go run ./examples/webhooks                         # the fakes send the webhooks, then it exits
//	go run ./examples/webhooks -listen 127.0.0.1:8080  # serve until interrupted
//
// Without -listen, it starts the two fakes, verifies one person with each
// through a Router, has the fakes POST their documented webhooks (Verificar
// with Basic auth, Incode with its bearer token) plus one forged webhook,
// and reads both results back through the Router.
//
// With -listen, point the vendors' webhook settings at
// http(s)://<host>/webhooks/verificar and /webhooks/incode, or send test
// webhooks with `go run ./cmd/kyc webhook`. It reads VERIFICAR_API_USER,
// VERIFICAR_API_TOKEN, VERIFICAR_WEBHOOK_USER, VERIFICAR_WEBHOOK_PASSWORD,
// INCODE_API_KEY and INCODE_WEBHOOK_TOKEN (all required: a receiver without
// webhook credentials refuses every webhook), and INCODE_EXECUTIVE_EMAIL and
// INCODE_EXECUTIVE_PASSWORD (optional: without them Incode events are
// confirmed only for sessions this process started), and INCODE_BASE_URL and
// VERIFICAR_BASE_URL (optional: another host, such as `kyc fake`'s).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

func main() {
	listen := flag.String("listen", "", "serve webhooks on this address until interrupted (e.g. 127.0.0.1:8080)")
	flag.Parse()
	var err error
	if *listen != "" {
		err = serve(*listen, os.Stdout)
	} else {
		err = demo(os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "webhooks:", err)
		os.Exit(1)
	}
}

// newMux serves both vendors' webhooks, confirms each Event through its
// vendor's read-back, and puts every trusted Result into store.
func newMux(ver *verificar.Client, inc *incode.Client, store kyc.ResultStore, fn func(context.Context, *kyc.Event) error) (*kyc.WebhookMux, error) {
	mux, err := kyc.NewWebhookMux(fn, kyc.ConfirmEvents(), kyc.WithResultStore(store))
	if err != nil {
		return nil, err
	}
	mux.Handle("/webhooks/verificar", ver)
	mux.Handle("/webhooks/incode", inc)
	return mux, nil
}

func demo(out io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	verSrv, incSrv := verificartest.NewServer(), incodetest.NewServer()
	defer verSrv.Close()
	defer incSrv.Close()

	ver, err := verificar.New(verSrv.Config(), verSrv.Options()...) // the fake's webhook credentials included
	if err != nil {
		return err
	}
	defer ver.Close()
	incCfg := incSrv.ExecutiveConfig() // executive log-in: any session reads back, in any process
	incCfg.WebhookToken = kyc.NewSecret("incode-webhook-token")
	inc, err := incode.New(incCfg, incSrv.Options()...)
	if err != nil {
		return err
	}
	defer inc.Close()

	store := kyc.NewMemoryStore(0) // the service's database in production
	router, err := kyc.NewRouter(kyc.CountryRoute("ESP", ver), kyc.DefaultRoute(inc), kyc.WithResultStore(store))
	if err != nil {
		return err
	}
	img := func(size int) *kyc.Image { im, _ := kyc.ImageFromBytes(kyctest.MagicImage("", size)); return im }
	verRes, err := router.Verify(ctx, kyc.Request{ID: "case-es", Country: "ESP", Person: kyc.Person{Phone: "+34600000001"}})
	if err != nil {
		return err
	}
	incRes, err := router.Verify(ctx, kyc.Request{ID: "case-mx", Country: "MEX", Selfie: img(0), Document: kyc.Document{Front: img(1000), Back: img(1200)}})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "verify  %-9s ref=%s status=%s\n", verRes.Provider, verRes.Reference, verRes.Status)
	fmt.Fprintf(out, "verify  %-9s ref=%s status=%s\n", incRes.Provider, incRes.Reference, incRes.Status)

	a := newApp(out)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux, err := newMux(ver, inc, store, a.handle)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout: 15 * time.Second, IdleTimeout: 60 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	base := "http://" + ln.Addr().String()

	verID := strings.TrimPrefix(verRes.Reference, "verificar:")
	interviewID := strings.TrimPrefix(incRes.Reference, "incode:")
	sends := []struct {
		what string
		send func() (int, error)
	}{
		{"verificar 3000 (link opened)", func() (int, error) {
			return verSrv.SendWebhook(ctx, verificartest.Webhook{URL: base + "/webhooks/verificar", ID: verID, Estado: verificar.EstadoAccessed})
		}},
		{"verificar 5100 (validated)", func() (int, error) {
			return verSrv.SendWebhook(ctx, verificartest.Webhook{URL: base + "/webhooks/verificar", ID: verID, Estado: verificar.EstadoValidated, Form: true})
		}},
		{"incode ONBOARDING_FINISHED", func() (int, error) {
			return incSrv.SendWebhook(ctx, base+"/webhooks/incode", interviewID, "ONBOARDING_FINISHED", "incode-webhook-token")
		}},
		{"forged verificar 5100, no credentials", func() (int, error) {
			return verSrv.SendWebhook(ctx, verificartest.Webhook{URL: base + "/webhooks/verificar", ID: "4242", Estado: verificar.EstadoValidated, NoAuth: true})
		}},
	}
	fmt.Fprintln(out, "webhooks received on", base)
	for _, s := range sends {
		status, err := s.send()
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "webhook %-38s answered HTTP %d\n", s.what, status)
	}
	// Any replica sharing the store (and the credentials) reads the results
	// back: Verificar from the store (no read-back at the vendor), Incode
	// from the vendor.
	for _, ref := range []string{verRes.Reference, incRes.Reference} {
		res, err := router.Result(ctx, ref)
		if err != nil {
			return err
		}
		seen, _ := a.status(ref)
		fmt.Fprintf(out, "result  %-9s ref=%s status=%s source=%s (handler saw %s)\n", res.Provider, ref, res.Status, res.Source, seen)
	}
	return nil
}

func serve(addr string, out io.Writer) error {
	env, missing := readEnv("VERIFICAR_API_USER", "VERIFICAR_API_TOKEN", "VERIFICAR_WEBHOOK_USER", "VERIFICAR_WEBHOOK_PASSWORD",
		"INCODE_API_KEY", "INCODE_WEBHOOK_TOKEN")
	if len(missing) > 0 {
		return fmt.Errorf("-listen needs %s (a receiver without webhook credentials refuses every webhook)", strings.Join(missing, ", "))
	}
	ver, err := verificar.New(verificar.Config{
		APIUser: env["VERIFICAR_API_USER"], APIToken: kyc.NewSecret(env["VERIFICAR_API_TOKEN"]),
		WebhookUser: env["VERIFICAR_WEBHOOK_USER"], WebhookPassword: kyc.NewSecret(env["VERIFICAR_WEBHOOK_PASSWORD"]),
	}, baseURL("VERIFICAR_BASE_URL")...)
	if err != nil {
		return err
	}
	incCfg := incode.Config{APIKey: kyc.NewSecret(env["INCODE_API_KEY"]), WebhookToken: kyc.NewSecret(env["INCODE_WEBHOOK_TOKEN"]),
		ExecutiveEmail: os.Getenv("INCODE_EXECUTIVE_EMAIL"), ExecutivePassword: kyc.NewSecret(os.Getenv("INCODE_EXECUTIVE_PASSWORD"))}
	inc, err := incode.New(incCfg, baseURL("INCODE_BASE_URL")...)
	if err != nil {
		return err
	}
	a := newApp(out)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	mux, err := newMux(ver, inc, kyc.NewMemoryStore(0), a.handle)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout: 15 * time.Second, IdleTimeout: 60 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	fmt.Fprintln(out, "serving webhooks on", ln.Addr().String(), "at /webhooks/verificar and /webhooks/incode")
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// baseURL is the option of a vendor host named by an environment variable,
// none when it is not set.
func baseURL(name string) []kyc.Option {
	if u := os.Getenv(name); u != "" {
		return []kyc.Option{kyc.WithBaseURL(u)}
	}
	return nil
}

// readEnv returns the named variables and the names of those not set.
func readEnv(names ...string) (map[string]string, []string) {
	env := map[string]string{}
	var missing []string
	for _, n := range names {
		v := os.Getenv(n)
		if v == "" {
			missing = append(missing, n)
		}
		env[n] = v
	}
	return env, missing
}
