package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/verificar"
)

// exitUnsupported is kyc erase's exit code when the vendor has no deletion
// API: nothing was erased, and the line says what the vendor documents of
// its retention.
const exitUnsupported = 4

// eraser is a vendor client that can be asked to erase.
type eraser interface {
	kyc.Eraser
	Close() error
}

// erasers build each vendor's client from the variables kyc check reads.
var erasers = map[kyc.Provider]func(getenv func(string) string, opts []kyc.Option) (eraser, error){
	kyc.Atlas: func(getenv func(string) string, opts []kyc.Option) (eraser, error) {
		cfg := atlas.Config{KeyID: getenv("ATLAS_KEY_ID"), KeySecret: kyc.NewSecret(getenv("ATLAS_KEY_SECRET"))}
		if getenv("ATLAS_AUTH") == "basic" {
			cfg.Auth = atlas.AuthBasic
		}
		return atlas.New(cfg, opts...)
	},
	kyc.Incode: func(getenv func(string) string, opts []kyc.Option) (eraser, error) {
		return incode.New(incode.Config{APIKey: kyc.NewSecret(getenv("INCODE_API_KEY")),
			ConfigurationID: getenv("INCODE_CONFIGURATION_ID"), Environment: getenv("INCODE_ENVIRONMENT"),
			ExecutiveEmail: getenv("INCODE_EXECUTIVE_EMAIL"), ExecutivePassword: kyc.NewSecret(getenv("INCODE_EXECUTIVE_PASSWORD"))}, opts...)
	},
	kyc.AdvanceAI: func(getenv func(string) string, opts []kyc.Option) (eraser, error) {
		return advanceai.New(advanceai.Config{AccessKey: getenv("ADVANCEAI_ACCESS_KEY"), SecretKey: kyc.NewSecret(getenv("ADVANCEAI_SECRET_KEY"))}, opts...)
	},
	kyc.EKYC: func(getenv func(string) string, opts []kyc.Option) (eraser, error) {
		return ekycid.New(ekycid.Config{APIKey: kyc.NewSecret(getenv("EKYC_API_KEY"))}, opts...)
	},
	kyc.Verificar: func(getenv func(string) string, opts []kyc.Option) (eraser, error) {
		return verificar.New(verificar.Config{APIUser: getenv("VERIFICAR_API_USER"), APIToken: kyc.NewSecret(getenv("VERIFICAR_API_TOKEN"))}, opts...)
	},
}

// runErase is kyc erase: it asks the vendor of the reference to erase the
// person's data, with the credentials of the environment.
func runErase(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flags("erase", "[-timeout 30s] [-ca-file FILE] <reference>", stderr)
	timeout := fs.Duration("timeout", 30*time.Second, "time allowed for the erasure")
	cacert := caFileFlag(fs, "PEM file of a CA to trust as well as the system's (e.g. kyc fake -tls's KYC_FAKE_CA_FILE)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "kyc erase: give one reference, such as incode:<interviewId> (flags before it)")
		return exitUsage
	}
	// The reference is never printed as given: an old Incode reference
	// carries a session token. Its fmt form shows the provider and the id's
	// length only.
	ref, err := kyc.ParseReference(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "kyc erase: not a reference of the form <provider>:<id>")
		return exitUsage
	}
	build, ok := erasers[ref.Provider]
	ch, _ := checkerOf(ref.Provider)
	if !ok {
		fmt.Fprintf(stderr, "kyc erase: %v: no such provider (atlas, incode, advanceai, ekycid, verificar)\n", ref)
		return exitUsage
	}
	if !configured(ch, getenv) {
		fmt.Fprintf(stdout, "%-10s not configured (%s)\n", ref.Provider, strings.Join(ch.vars, ", "))
		return exitNone
	}
	hc, err := httpClient(*cacert, 0)
	if err != nil {
		fmt.Fprintln(stderr, "kyc erase: -ca-file:", err)
		return exitUsage
	}
	var opts []kyc.Option
	if hc.Transport != nil {
		opts = append(opts, kyc.WithHTTPClient(hc))
	}
	if u := getenv(baseURLVars[ref.Provider]); u != "" {
		opts = append(opts, kyc.WithBaseURL(u))
	}
	c, err := build(getenv, opts)
	if err != nil {
		fmt.Fprintf(stdout, "%-10s failed: %s\n", ref.Provider, describe(err, ch.fields))
		return exitFailed
	}
	defer c.Close()
	ectx, cancel := context.WithTimeout(ctx, *timeout)
	err = c.Erase(ectx, ref.String())
	cancel()
	var kerr *kyc.Error
	switch {
	case err == nil:
		fmt.Fprintf(stdout, "%-10s erased at the vendor: %v\n", ref.Provider, ref)
		return exitOK
	case errors.Is(err, kyc.ErrUnsupported) && errors.As(err, &kerr):
		fmt.Fprintf(stdout, "%-10s cannot erase at the vendor: %s\n", ref.Provider, kerr.Message)
		return exitUnsupported
	}
	fmt.Fprintf(stdout, "%-10s failed: %s\n", ref.Provider, describe(err, ch.fields))
	return exitFailed
}

// checkerOf returns kyc check's entry of provider p: its variables.
func checkerOf(p kyc.Provider) (checker, bool) {
	for _, ch := range checkers {
		if ch.name == p {
			return ch, true
		}
	}
	return checker{}, false
}

// configured reports whether any of ch's credential variables is set.
func configured(ch checker, getenv func(string) string) bool {
	for _, v := range ch.vars {
		if getenv(v) != "" {
			return true
		}
	}
	return false
}
