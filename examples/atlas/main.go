// Command atlas verifies a PAN and matches a selfie with the PAN card's
// photo through Atlas (FRS Labs).
//
// With no environment it runs against the in-process fake (atlastest).
// With ATLAS_KEY_ID and ATLAS_KEY_SECRET set it calls the real API, with
// the PAN from ATLAS_PAN, the holder's name from ATLAS_NAME and the images
// from ATLAS_CARD and ATLAS_SELFIE (file paths). ATLAS_AUTH=basic selects
// API v2; ATLAS_BASE_URL overrides the base URL.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/atlas/atlastest"
	"github.com/kyc-go/kyc/kyctest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "atlas example:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var (
		cfg            atlas.Config
		opts           []kyc.Option
		card, selfie   *kyc.Image
		pan, name, env string
		err            error
	)
	if id, secret := os.Getenv("ATLAS_KEY_ID"), os.Getenv("ATLAS_KEY_SECRET"); id != "" && secret != "" {
		env = "the Atlas API"
		cfg = atlas.Config{KeyID: id, KeySecret: kyc.NewSecret(secret)}
		if os.Getenv("ATLAS_AUTH") == "basic" {
			cfg.Auth = atlas.AuthBasic
		}
		if u := os.Getenv("ATLAS_BASE_URL"); u != "" {
			opts = append(opts, kyc.WithBaseURL(u))
		}
		pan, name = os.Getenv("ATLAS_PAN"), os.Getenv("ATLAS_NAME")
		if card, err = kyc.ImageFromFile(os.Getenv("ATLAS_CARD")); err != nil {
			return err
		}
		if selfie, err = kyc.ImageFromFile(os.Getenv("ATLAS_SELFIE")); err != nil {
			return err
		}
	} else {
		env = "the in-process fake (set ATLAS_KEY_ID and ATLAS_KEY_SECRET for the real API)"
		srv := atlastest.NewServer()
		defer srv.Close()
		cfg, opts = srv.Config(), srv.Options()
		pan, name = "ABCDE1234F", "Rahul Kumar Sharma"
		card, _ = kyc.ImageFromBytes(kyctest.MagicImage("", 0))
		selfie, _ = kyc.ImageFromBytes(kyctest.MagicImage(atlastest.ImageMatch, 0))
	}

	c, err := atlas.New(cfg, opts...)
	if err != nil {
		return err
	}
	defer c.Close()
	fmt.Println("Atlas example against", env)

	p, err := c.VerifyPAN(ctx, pan)
	if err != nil {
		return err
	}
	fmt.Printf("PAN: status %s, holder name given: %t, Aadhaar seeded: %t\n", p.Status, p.FullName() != "", p.AadhaarSeeded())

	res, err := c.Verify(ctx, kyc.Request{
		Country:  "IND",
		Document: kyc.Document{Type: kyc.DocumentPAN, Number: pan, Front: card},
		Selfie:   selfie,
		Person:   kyc.Person{FullName: name},
	})
	if err != nil {
		return err
	}
	fmt.Printf("Verify: %s (face match %s, reasons %v)\n", res.Status, res.Scores.FaceMatch, res.Reasons)
	fmt.Println("Reference:", res.Reference)
	return nil
}
