package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/verificar"
)

// liveVendor is one vendor's real client, built from the environment.
type liveVendor struct {
	country string
	env     []string // the variables it needs
	build   func() (kyc.Verifier, error)
	adjust  func(*kyc.Request) // live values the sample request lacks
}

func liveVendors() []liveVendor {
	return []liveVendor{
		{country: "IND", env: []string{"ATLAS_KEY_ID", "ATLAS_KEY_SECRET", "ATLAS_PAN", "ATLAS_NAME"},
			build: func() (kyc.Verifier, error) {
				return atlas.New(atlas.Config{KeyID: os.Getenv("ATLAS_KEY_ID"), KeySecret: kyc.NewSecret(os.Getenv("ATLAS_KEY_SECRET"))})
			},
			adjust: func(r *kyc.Request) {
				r.Document.Number, r.Person.FullName = os.Getenv("ATLAS_PAN"), os.Getenv("ATLAS_NAME")
			}},
		{country: "IDN", env: []string{"ADVANCEAI_ACCESS_KEY", "ADVANCEAI_SECRET_KEY"},
			build: func() (kyc.Verifier, error) {
				return advanceai.New(advanceai.Config{AccessKey: os.Getenv("ADVANCEAI_ACCESS_KEY"), SecretKey: kyc.NewSecret(os.Getenv("ADVANCEAI_SECRET_KEY"))})
			}},
		{country: "ESP", env: []string{"VERIFICAR_API_USER", "VERIFICAR_API_TOKEN", "VERIFICAR_PHONE"},
			build: func() (kyc.Verifier, error) {
				return verificar.New(verificar.Config{APIUser: os.Getenv("VERIFICAR_API_USER"), APIToken: kyc.NewSecret(os.Getenv("VERIFICAR_API_TOKEN"))})
			},
			adjust: func(r *kyc.Request) { r.Person.Phone = os.Getenv("VERIFICAR_PHONE") }},
		{country: "KHM", env: []string{"EKYC_API_KEY"},
			build: func() (kyc.Verifier, error) {
				return ekycid.New(ekycid.Config{APIKey: kyc.NewSecret(os.Getenv("EKYC_API_KEY"))})
			}},
		{country: "MEX", env: []string{"INCODE_API_KEY"},
			build: func() (kyc.Verifier, error) {
				return incode.New(incode.Config{APIKey: kyc.NewSecret(os.Getenv("INCODE_API_KEY")), ConfigurationID: os.Getenv("INCODE_CONFIGURATION_ID")})
			}},
	}
}

// runLive runs the sample requests against each vendor whose credentials
// are in the environment. Link flows stay pending: a person must finish
// them. Nothing is compared with an expected status.
func runLive(ctx context.Context) error {
	im, err := loadImages()
	if err != nil {
		return err
	}
	reqs := map[string]kyc.Request{}
	for _, r := range requests(im) {
		reqs[r.Country] = r
	}
	fmt.Println("kyc-go quickstart -live: real services, for each vendor whose credentials are set")
	var rows []row
	for _, v := range liveVendors() {
		if missing := missingEnv(v.env); len(missing) > 0 {
			fmt.Printf("skipping %s: set %v\n", v.country, missing)
			continue
		}
		client, err := v.build()
		if err != nil {
			rows = append(rows, row{country: v.country, err: err})
			continue
		}
		req := reqs[v.country]
		if v.adjust != nil {
			v.adjust(&req)
		}
		start := time.Now()
		res, err := client.Verify(ctx, req)
		r := row{country: v.country, res: res, err: err, elapsed: time.Since(start)}
		if err == nil && res.Link != nil {
			r.note = "open " + res.Link.URL
		}
		rows = append(rows, r)
		if c, ok := client.(interface{ Close() error }); ok {
			_ = c.Close()
		}
	}
	if len(rows) == 0 {
		return fmt.Errorf("no vendor credentials in the environment; see the README's per-vendor sections")
	}
	return printRows(rows)
}

func missingEnv(names []string) []string {
	var out []string
	for _, n := range names {
		if os.Getenv(n) == "" {
			out = append(out, n)
		}
	}
	return out
}
