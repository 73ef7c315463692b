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
	"github.com/kyc-go/kyc/internal/fromenv"
)

// exitUnsupported is kyc erase's exit code when the vendor has no deletion
// API: nothing was erased, and the line says what the vendor documents of
// its retention.
const exitUnsupported = 4

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
	v, ok := fromenv.Lookup(ref.Provider)
	if !ok {
		fmt.Fprintf(stderr, "kyc erase: %v: no such provider (atlas, incode, advanceai, ekycid, verificar)\n", ref)
		return exitUsage
	}
	if !v.Configured(getenv) {
		fmt.Fprintf(stdout, "%-10s not configured (%s)\n", ref.Provider, strings.Join(v.Vars, ", "))
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
	c, err := v.New(getenv, v.Options(getenv, opts...)...)
	if err != nil {
		fmt.Fprintf(stdout, "%-10s failed: %s\n", ref.Provider, describe(err, v.Fields))
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
	fmt.Fprintf(stdout, "%-10s failed: %s\n", ref.Provider, describe(err, v.Fields))
	return exitFailed
}
