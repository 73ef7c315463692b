// Command atlas verifies a PAN and matches a selfie with the PAN card's
// photo through Atlas (FRS Labs).
//
// With no ATLAS_ variable set it runs against the in-process fake
// (atlastest) and says so. As soon as one is set it calls the real API,
// and refuses to start, naming each variable it lacks, rather than fall
// back to the fake:
//
//	ATLAS_KEY_ID            required: the account's Key ID
//	ATLAS_KEY_SECRET        required: the account's Key Secret
//	ATLAS_PAN               required: the PAN to verify, such as ABCDE1234F
//	ATLAS_CARD              required: path of the PAN card photo (JPEG, PNG or WebP)
//	ATLAS_SELFIE            required: path of the holder's selfie
//	ATLAS_NAME              optional: the holder's name, matched with the registry's
//	ATLAS_AUTH              optional: "aes" (default, API v1.3) or "basic" (API v2)
//	ATLAS_BASE_URL          optional: the base URL (pre-production, a proxy)
//	ATLAS_TIMESTAMP_LAYOUT  optional: the AES header's timestamp layout, as a Java
//	                        pattern (default yyyyMMddHHmmssSSS; the vendor's
//	                        sample uses ddMMyyyyHHmmss)
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/atlas/atlastest"
	"github.com/kyc-go/kyc/kyctest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := run(ctx, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "atlas example:", err)
		os.Exit(1)
	}
}

// variables are every environment variable the example reads, required
// ones first.
var variables = []struct {
	name     string
	required bool
}{
	{"ATLAS_KEY_ID", true}, {"ATLAS_KEY_SECRET", true}, {"ATLAS_PAN", true}, {"ATLAS_CARD", true}, {"ATLAS_SELFIE", true},
	{"ATLAS_NAME", false}, {"ATLAS_AUTH", false}, {"ATLAS_BASE_URL", false}, {"ATLAS_TIMESTAMP_LAYOUT", false},
}

// target is what the example runs against.
type target struct {
	name         string
	cfg          atlas.Config
	opts         []kyc.Option
	pan, holder  string
	card, selfie *kyc.Image
	close        func()
}

// fromEnv builds the target from the environment: the real API when any
// ATLAS_ variable is set (all required ones then must be), the fake when
// none is.
func fromEnv(getenv func(string) string) (*target, error) {
	var missing []string
	set := false
	for _, v := range variables {
		switch {
		case getenv(v.name) != "":
			set = true
		case v.required:
			missing = append(missing, v.name)
		}
	}
	if !set {
		srv := atlastest.NewServer()
		card, _ := kyc.ImageFromBytes(kyctest.MagicImage("", 0))
		selfie, _ := kyc.ImageFromBytes(kyctest.MagicImage(kyctest.ImageApproved, 0))
		return &target{name: "the in-process fake (no ATLAS_ variable is set; set ATLAS_KEY_ID, ATLAS_KEY_SECRET, ATLAS_PAN, ATLAS_CARD and ATLAS_SELFIE for the Atlas API)",
			cfg: srv.Config(), opts: srv.Options(), pan: "ABCDE1234F", holder: atlastest.HolderName,
			card: card, selfie: selfie, close: srv.Close}, nil
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the Atlas API needs %s (not set); unset every ATLAS_ variable to run against the fake instead",
			strings.Join(missing, ", "))
	}
	t := &target{name: "the Atlas API", pan: getenv("ATLAS_PAN"), holder: getenv("ATLAS_NAME"), close: func() {}}
	t.cfg = atlas.Config{KeyID: getenv("ATLAS_KEY_ID"), KeySecret: kyc.NewSecret(getenv("ATLAS_KEY_SECRET")),
		TimestampLayout: getenv("ATLAS_TIMESTAMP_LAYOUT")}
	switch strings.ToLower(getenv("ATLAS_AUTH")) {
	case "", "aes":
	case "basic":
		t.cfg.Auth = atlas.AuthBasic
	default:
		return nil, errors.New(`ATLAS_AUTH must be "aes" or "basic"`)
	}
	if u := getenv("ATLAS_BASE_URL"); u != "" {
		t.opts = append(t.opts, kyc.WithBaseURL(u))
	}
	var err error
	if t.card, err = kyc.ImageFromFile(getenv("ATLAS_CARD")); err != nil {
		return nil, fmt.Errorf("ATLAS_CARD: %w", err)
	}
	if t.selfie, err = kyc.ImageFromFile(getenv("ATLAS_SELFIE")); err != nil {
		return nil, fmt.Errorf("ATLAS_SELFIE: %w", err)
	}
	return t, nil
}

func run(ctx context.Context, getenv func(string) string, out io.Writer) error {
	t, err := fromEnv(getenv)
	if err != nil {
		return err
	}
	defer t.close()
	c, err := atlas.New(t.cfg, t.opts...)
	if err != nil {
		return err
	}
	defer c.Close()
	fmt.Fprintln(out, "Atlas example against", t.name)
	if err := c.Warm(ctx); err != nil { // the AES key's one derivation, before any request
		return err
	}

	p, err := c.VerifyPAN(ctx, t.pan)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "PAN: status %s, holder name given: %t, Aadhaar seeded: %t\n", p.Status, p.FullName() != "", p.AadhaarSeeded())
	if t.holder == "" {
		fmt.Fprintln(out, "ATLAS_NAME is not set: the holder's name is not matched")
	}

	res, err := c.Verify(ctx, kyc.Request{
		Country:  "IND",
		Document: kyc.Document{Type: kyc.DocumentPAN, Number: t.pan, Front: t.card},
		Selfie:   t.selfie,
		Person:   kyc.Person{FullName: t.holder},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Verify: %s (face match %s, reasons %v)\n", res.Status, res.Scores.FaceMatch, res.Reasons)
	fmt.Fprintln(out, "Reference:", res.Reference)
	return nil
}
