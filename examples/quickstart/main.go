// Command quickstart runs one verification per provider through a
// kyc.Router and prints what each answered.
//
//	go run ./examples/quickstart          # the five in-process fakes, no credentials
//	go run ./examples/quickstart -live    # the real services, for each vendor whose credentials are set
//
// Offline, it starts the five fakes, routes IND to Atlas, IDN to ADVANCE.AI,
// ESP to Verificar, KHM to EKYC and every other country to Incode, sends the
// sample images under testdata/, completes the two link flows on the fakes
// (it opens the ADVANCE.AI link; the Verificar fake sends its webhook to a
// local kyc.WebhookMux) and prints a table. It exits 0 when every provider
// gave the expected status.
//
// With -live it does the same against the real services, skipping each
// vendor whose environment variables are missing (see the README), and
// prints link flows as pending with their link: completing them takes a
// person.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/advanceai/advanceaitest"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/atlas/atlastest"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/ekycid/ekycidtest"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

func main() {
	live := flag.Bool("live", false, "use the real services (credentials from the environment) instead of the in-process fakes")
	timeout := flag.Duration("timeout", 60*time.Second, "time allowed for all verifications")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	var err error
	if *live {
		err = runLive(ctx)
	} else {
		err = runOffline(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// images are the sample images shipped under testdata/.
type images struct{ selfie, front, back *kyc.Image }

func loadImages() (images, error) {
	dir := "examples/quickstart/testdata"
	if _, file, _, ok := runtime.Caller(0); ok { // works from any directory of the module
		if d := filepath.Join(filepath.Dir(file), "testdata"); dirExists(d) {
			dir = d
		}
	}
	var im images
	var err error
	for _, x := range []struct {
		dst  **kyc.Image
		name string
	}{{&im.selfie, "selfie.jpg"}, {&im.front, "id_front.jpg"}, {&im.back, "id_back.jpg"}} {
		if *x.dst, err = kyc.ImageFromFile(filepath.Join(dir, x.name)); err != nil {
			return im, fmt.Errorf("sample image %s: %w", x.name, err)
		}
	}
	return im, nil
}

func dirExists(d string) bool { st, err := os.Stat(d); return err == nil && st.IsDir() }

// row is one line of the table.
type row struct {
	country  string
	res      *kyc.Result
	err      error
	elapsed  time.Duration
	expected kyc.Status
	note     string
}

// requests are the five verifications, one per route.
func requests(im images) []kyc.Request {
	return []kyc.Request{
		{ID: "quickstart-ind", Country: "IND", Selfie: im.selfie,
			Document: kyc.Document{Type: kyc.DocumentPAN, Number: "ABCDE1234F", Front: im.front},
			Person:   kyc.Person{FullName: atlastest.HolderName}},
		{ID: "quickstart-idn", Country: "IDN",
			Link: kyc.LinkOptions{ReturnURL: "https://example.com/kyc/done"}},
		{ID: "quickstart-esp", Country: "ESP",
			Person: kyc.Person{Phone: "+34600000001"},
			Link:   kyc.LinkOptions{Message: "Verifica tu identidad: [LINK]", Sender: "KYCGO"}},
		{ID: "quickstart-khm", Country: "KHM", Selfie: im.selfie,
			Document: kyc.Document{Type: kyc.DocumentIDCard, Front: im.front}},
		{ID: "quickstart-mex", Country: "MEX", Selfie: im.selfie,
			Document: kyc.Document{Type: kyc.DocumentIDCard, Front: im.front, Back: im.back}},
	}
}

func runOffline(ctx context.Context) error {
	im, err := loadImages()
	if err != nil {
		return err
	}
	atlasSrv, incodeSrv, advSrv, ekycSrv, verSrv := atlastest.NewServer(), incodetest.NewServer(), advanceaitest.NewServer(), ekycidtest.NewServer(), verificartest.NewServer()
	defer atlasSrv.Close()
	defer incodeSrv.Close()
	defer advSrv.Close()
	defer ekycSrv.Close()
	defer verSrv.Close()

	const hookUser, hookPass = "quickstart", "hook-secret"
	verCfg := verSrv.Config()
	verCfg.WebhookUser, verCfg.WebhookPassword = hookUser, kyc.NewSecret(hookPass)

	atlasC, err1 := atlas.New(atlasSrv.Config(), atlasSrv.Options()...)
	incodeC, err2 := incode.New(incodeSrv.Config(), incodeSrv.Options()...)
	advC, err3 := advanceai.New(advSrv.Config(), advSrv.Options()...)
	ekycC, err4 := ekycid.New(ekycSrv.Config(), ekycSrv.Options()...)
	verC, err5 := verificar.New(verCfg, verSrv.Options()...)
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		return err
	}
	router, err := kyc.NewRouter(
		kyc.CountryRoute("IND", atlasC),
		kyc.CountryRoute("IDN", advC),
		kyc.CountryRoute("ESP", verC),
		kyc.CountryRoute("KHM", ekycC),
		kyc.DefaultRoute(incodeC),
	)
	if err != nil {
		return err
	}
	defer router.Close()

	// Webhooks: one mux for every vendor that sends them; events arrive on a
	// channel by reference.
	events := make(chan *kyc.Event, 16)
	mux, err := kyc.NewWebhookMux(func(ctx context.Context, ev *kyc.Event) error {
		events <- ev
		return nil
	})
	if err != nil {
		return err
	}
	mux.Handle("/webhooks/verificar", verC)
	mux.Handle("/webhooks/incode", incodeC)
	hooks := httptest.NewServer(mux)
	defer hooks.Close()

	fmt.Println("kyc-go quickstart: five providers behind one kyc.Router, against in-process fakes")
	began := time.Now()
	defer func() {
		fmt.Printf("%d verifications in %v\n", len(requests(im)), time.Since(began).Round(time.Millisecond))
	}()
	var rows []row
	for _, req := range requests(im) {
		start := time.Now()
		res, err := router.Verify(ctx, req)
		r := row{country: req.Country, res: res, err: err, expected: kyc.StatusApproved}
		if err == nil && res.Status == kyc.StatusPending {
			switch res.Provider {
			case kyc.AdvanceAI: // the person opens the link and captures the card
				r.note = "link opened on the fake"
				r.res, r.err = openLink(ctx, advSrv.Client(), res, router)
			case kyc.Verificar: // the person follows the SMS; Mensatek reports by webhook
				r.note = "result by webhook"
				r.res, r.err = awaitWebhook(ctx, verSrv, hooks.URL+"/webhooks/verificar", hookUser, hookPass, res, events)
			}
		}
		r.elapsed = time.Since(start)
		rows = append(rows, r)
	}
	return printRows(rows)
}

// openLink "completes" an ADVANCE.AI verification the way a person would,
// by opening its link (the fake's H5 page), then reads the outcome.
func openLink(ctx context.Context, hc *http.Client, pending *kyc.Result, v kyc.Verifier) (*kyc.Result, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pending.Link.URL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return v.Result(ctx, pending.Reference)
}

// awaitWebhook has the Verificar fake send the "finished, data available"
// report for this verification, and waits for it on the mux.
func awaitWebhook(ctx context.Context, srv *verificartest.Server, url, user, pass string, pending *kyc.Result, events <-chan *kyc.Event) (*kyc.Result, error) {
	ref, err := kyc.ParseReference(pending.Reference)
	if err != nil {
		return nil, err
	}
	status, err := srv.SendWebhook(ctx, verificartest.Webhook{URL: url, ID: ref.ID, Estado: verificar.EstadoFinished, Resultado: 93, User: user, Password: pass})
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("the webhook was answered with HTTP %d", status)
	}
	for {
		select {
		case ev := <-events:
			if ev.Reference == pending.Reference && ev.Result != nil {
				return ev.Result, nil
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func printRows(rows []row) error {
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COUNTRY\tPROVIDER\tSTATUS\tREASONS\tFACE\tLIVENESS\tDOCUMENT\tREFERENCE\tELAPSED\tNOTE")
	var failures []string
	for _, r := range rows {
		if r.err != nil {
			fmt.Fprintf(tw, "%s\t-\terror\t-\t-\t-\t-\t-\t%s\t%s\n", r.country, r.elapsed.Round(time.Millisecond), r.err)
			failures = append(failures, r.country+": "+r.err.Error())
			continue
		}
		res := r.res
		reasons := "-"
		if len(res.Reasons) > 0 {
			parts := make([]string, len(res.Reasons))
			for i, x := range res.Reasons {
				parts[i] = string(x)
			}
			reasons = strings.Join(parts, ",")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.country, res.Provider, res.Status, reasons,
			res.Scores.FaceMatch, res.Scores.Liveness, res.Scores.Document, printable(res.Reference),
			r.elapsed.Round(time.Millisecond), r.note)
		if r.expected != "" && res.Status != r.expected {
			failures = append(failures, fmt.Sprintf("%s: %s answered %s, expected %s", r.country, res.Provider, res.Status, r.expected))
		}
	}
	tw.Flush()
	if len(failures) > 0 {
		return errors.New(strings.Join(failures, "; "))
	}
	return nil
}

// printable shortens a reference for the table. An Incode reference carries
// its session token after the '.', which is a credential: it is never
// printed.
func printable(ref string) string {
	if p, err := kyc.ParseReference(ref); err == nil && p.Provider == kyc.Incode {
		if id, _, ok := strings.Cut(p.ID, "."); ok {
			return string(p.Provider) + ":" + id + ".<token>"
		}
	}
	return ref
}
