// Command replicas shows the lifecycle across processes: one replica of a
// service runs Verify through a Router, another one, sharing only the
// ResultStore and the credentials, reads every Result back with
// Router.Result, for each of the five vendors. The store they share is a
// kycpg.Store on PostgreSQL.
//
//	go run ./cmd/kyc fake -env kyc.env &     # the five fakes, reachable from any process
//	set -a; . ./kyc.env; set +a
//	cd kycpg
//	go run ./examples/replicas -database "$DATABASE_URL" -role verify > refs.txt
//	go run ./examples/replicas -database "$DATABASE_URL" -role read $(cat refs.txt)
//
// Each replica runs kycpg's Migrate at start (safe when several do at once).
//
// The verify role prints one Reference per line; the read role prints, for
// each, the provider, the status and who answered: "provider" when the
// vendor reads the verification back (Incode with its executive log-in,
// ADVANCE.AI, EKYC), "store" when the vendor has no read-back (Atlas,
// Verificar) and the Result comes from the shared store.
//
// It reads the variables `kyc fake` prints: ATLAS_BASE_URL, ATLAS_KEY_ID,
// ATLAS_KEY_SECRET, INCODE_BASE_URL, INCODE_API_KEY,
// INCODE_EXECUTIVE_EMAIL, INCODE_EXECUTIVE_PASSWORD, ADVANCEAI_BASE_URL,
// ADVANCEAI_ACCESS_KEY, ADVANCEAI_SECRET_KEY, EKYC_BASE_URL, EKYC_API_KEY,
// VERIFICAR_BASE_URL, VERIFICAR_API_USER and VERIFICAR_API_TOKEN. Against
// the real services, leave the *_BASE_URL variables out; the verify role
// then charges each vendor for one verification.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/kycpg"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/verificar"
)

var required = []string{
	"ATLAS_KEY_ID", "ATLAS_KEY_SECRET",
	"INCODE_API_KEY", "INCODE_EXECUTIVE_EMAIL", "INCODE_EXECUTIVE_PASSWORD",
	"ADVANCEAI_ACCESS_KEY", "ADVANCEAI_SECRET_KEY",
	"EKYC_API_KEY",
	"VERIFICAR_API_USER", "VERIFICAR_API_TOKEN",
}

func main() {
	role := flag.String("role", "", "verify: start one verification per vendor and print the references; read: read the references given as arguments back")
	dsn := flag.String("database", "", "the URL of the PostgreSQL database every replica shares (required)")
	schema := flag.String("schema", kycpg.DefaultSchema, "the schema of the store's tables")
	flag.Parse()
	if err := run(*role, *dsn, *schema, flag.Args(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "replicas:", err)
		os.Exit(1)
	}
}

func run(role, dsn, schema string, refs []string, out io.Writer) error {
	if dsn == "" {
		return errors.New("-database is required: the PostgreSQL database every replica shares")
	}
	var missing []string
	for _, n := range required {
		if os.Getenv(n) == "" {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s not set (run `go run ./cmd/kyc fake -env kyc.env` and load kyc.env)", strings.Join(missing, ", "))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return errors.New("-database is not a valid PostgreSQL URL") // the parse error may quote the password
	}
	defer pool.Close()
	store, err := kycpg.New(pool, kycpg.WithSchema(schema))
	if err != nil {
		return err
	}
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	router, err := newRouter(store)
	if err != nil {
		return err
	}
	defer router.Close()
	switch role {
	case "verify":
		return verify(ctx, router, out)
	case "read":
		return read(ctx, router, refs, out)
	}
	return fmt.Errorf("-role is verify or read, not %q", role)
}

// opts are the options of one vendor's client: its base URL, when the
// environment names one (a sandbox, or `kyc fake`).
func opts(prefix string) []kyc.Option {
	if u := os.Getenv(prefix + "_BASE_URL"); u != "" {
		return []kyc.Option{kyc.WithBaseURL(u)}
	}
	return nil
}

// newRouter builds, from the environment alone, the Router every replica
// builds: the quickstart's routes over the shared store.
func newRouter(store kyc.ResultStore) (*kyc.Router, error) {
	at, err1 := atlas.New(atlas.Config{KeyID: os.Getenv("ATLAS_KEY_ID"), KeySecret: kyc.NewSecret(os.Getenv("ATLAS_KEY_SECRET"))}, opts("ATLAS")...)
	in, err2 := incode.New(incode.Config{APIKey: kyc.NewSecret(os.Getenv("INCODE_API_KEY")),
		ExecutiveEmail: os.Getenv("INCODE_EXECUTIVE_EMAIL"), ExecutivePassword: kyc.NewSecret(os.Getenv("INCODE_EXECUTIVE_PASSWORD"))}, opts("INCODE")...)
	ad, err3 := advanceai.New(advanceai.Config{AccessKey: os.Getenv("ADVANCEAI_ACCESS_KEY"), SecretKey: kyc.NewSecret(os.Getenv("ADVANCEAI_SECRET_KEY"))}, opts("ADVANCEAI")...)
	ek, err4 := ekycid.New(ekycid.Config{APIKey: kyc.NewSecret(os.Getenv("EKYC_API_KEY"))}, opts("EKYC")...)
	ve, err5 := verificar.New(verificar.Config{APIUser: os.Getenv("VERIFICAR_API_USER"), APIToken: kyc.NewSecret(os.Getenv("VERIFICAR_API_TOKEN"))}, opts("VERIFICAR")...)
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		return nil, err
	}
	return kyc.NewRouter(
		kyc.CountryRoute("IND", at),
		kyc.CountryRoute("IDN", ad),
		kyc.CountryRoute("ESP", ve),
		kyc.CountryRoute("KHM", ek),
		kyc.DefaultRoute(in),
		kyc.WithResultStore(store),
	)
}

func verify(ctx context.Context, router *kyc.Router, out io.Writer) error {
	img := func(size int) *kyc.Image {
		im, _ := kyc.ImageFromBytes(kyctest.MagicImage(kyctest.ImageApproved, size))
		return im
	}
	selfie, front, back := img(0), img(1000), img(1200)
	reqs := []kyc.Request{
		{ID: "replica-ind", Country: "IND", Selfie: selfie, Document: kyc.Document{Type: kyc.DocumentIDCard, Front: front}},
		{ID: "replica-idn", Country: "IDN", Link: kyc.LinkOptions{ReturnURL: "https://example.com/kyc/done"}},
		{ID: "replica-esp", Country: "ESP", Person: kyc.Person{Phone: "+34600000001"}},
		{ID: "replica-khm", Country: "KHM", Selfie: selfie, Document: kyc.Document{Type: kyc.DocumentIDCard, Front: front}},
		{ID: "replica-mex", Country: "MEX", Selfie: selfie, Document: kyc.Document{Type: kyc.DocumentIDCard, Front: front, Back: back}},
	}
	for _, req := range reqs {
		res, err := router.Verify(ctx, req)
		if err != nil {
			return fmt.Errorf("%s: %w", req.Country, err)
		}
		fmt.Fprintln(out, res.Reference)
	}
	return nil
}

func read(ctx context.Context, router *kyc.Router, refs []string, out io.Writer) error {
	if len(refs) == 0 {
		return errors.New("-role read needs the references as arguments")
	}
	for _, ref := range refs {
		res, err := router.Result(ctx, ref)
		if err != nil {
			return fmt.Errorf("%s: %w", ref, err)
		}
		fmt.Fprintf(out, "%-9s %-9s source=%s\n", res.Provider, res.Status, res.Source)
	}
	return nil
}
