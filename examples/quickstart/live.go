package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/fromenv"
)

// liveVendor is one vendor's real client, built from the environment
// (internal/fromenv, as kyc check builds it).
type liveVendor struct {
	country  string
	provider kyc.Provider
	env      []string           // the variables it needs
	adjust   func(*kyc.Request) // live values the sample request lacks
}

func liveVendors() []liveVendor {
	return []liveVendor{
		{country: "IND", provider: kyc.Atlas, env: []string{"ATLAS_KEY_ID", "ATLAS_KEY_SECRET", "ATLAS_PAN", "ATLAS_NAME"},
			adjust: func(r *kyc.Request) {
				r.Document.Number, r.Person.FullName = os.Getenv("ATLAS_PAN"), os.Getenv("ATLAS_NAME")
			}},
		{country: "IDN", provider: kyc.AdvanceAI, env: []string{"ADVANCEAI_ACCESS_KEY", "ADVANCEAI_SECRET_KEY"}},
		{country: "ESP", provider: kyc.Verificar, env: []string{"VERIFICAR_API_USER", "VERIFICAR_API_TOKEN", "VERIFICAR_PHONE"},
			adjust: func(r *kyc.Request) { r.Person.Phone = os.Getenv("VERIFICAR_PHONE") }},
		{country: "KHM", provider: kyc.EKYC, env: []string{"EKYC_API_KEY"}},
		{country: "MEX", provider: kyc.Incode, env: []string{"INCODE_API_KEY"}},
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
		vendor, _ := fromenv.Lookup(v.provider)
		client, err := vendor.New(os.Getenv)
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
		_ = client.Close()
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
