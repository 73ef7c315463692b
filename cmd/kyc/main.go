// Command kyc is the kyc-go tool for integrators: it serves the five
// vendor fakes to any language, sends vendor-shaped webhooks to a local
// handler, and checks credentials without spending money.
//
//	go install github.com/kyc-go/kyc/cmd/kyc@latest
//	go run ./cmd/kyc -h
//
// # kyc fake
//
//	kyc fake [-listen 127.0.0.1:0] [-tls] [-ca-file FILE] [-env FILE]
//
// serves the Atlas, Incode, ADVANCE.AI, EKYC and Verificar fakes (the
// xxxtest packages: the same magic inputs, faults aside) on loopback ports
// (a -listen host other than localhost or a loopback IP is refused),
// plain HTTP by default, which the SDK accepts on loopback. It prints, as
// KEY=VALUE lines, each vendor's base URL and the credentials the fake
// accepts, under the environment variables the examples and kyc check read,
// then "# kyc fake: ready". With -listen host:port and a port other than 0,
// the fakes take port, port+1, … port+4 in that order. With -tls it serves
// HTTPS with a certificate from a fresh CA, written to -ca-file (default: a
// temporary file, removed on exit) and printed as KYC_FAKE_CA_FILE. -env
// writes the same lines to a file. SIGINT or SIGTERM stops it cleanly
// (http.Server.Shutdown), exit 0.
//
// # kyc webhook
//
//	kyc webhook -provider verificar -state 5100 -id 4242 -url URL [-user U -password P] [-result N | -magic INPUT] [-form]
//	kyc webhook -provider incode -status ONBOARDING_FINISHED -interview ID -url URL [-token T] [-external ID]
//
// POSTs one vendor-shaped, authenticated webhook to URL, built by the same
// code as the fakes (verificartest.PostWebhook, incodetest.WebhookFor and
// incodetest.PostWebhook). Credentials default to VERIFICAR_WEBHOOK_USER,
// VERIFICAR_WEBHOOK_PASSWORD and INCODE_WEBHOOK_TOKEN, so that they need not
// appear on the command line. A plain http URL off loopback is refused (it
// would send the credentials in clear) unless -insecure-plain-http is given;
// -ca-file trusts a CA for an https URL. Exit 0 when the handler answers 2xx, 1
// otherwise, 2 for a usage error.
//
// # kyc check
//
//	kyc check [-timeout 20s] [-ca-file FILE] [-allow-unchecked]
//
// reads each vendor's credentials from the environment variables of the
// examples and checks them with calls that cost nothing: Verificar's credit
// query, ADVANCE.AI's token exchange, Incode's executive log-in (when
// INCODE_EXECUTIVE_EMAIL and INCODE_EXECUTIVE_PASSWORD are set). Atlas and
// EKYC have no free call: it says so and sends them nothing. One line per
// vendor: ok, failed (the error's kind, HTTP status, vendor code and the
// SDK's error text, which says e.g. an untrusted certificate from a refused
// connection; never a secret), not configured, or cannot check for free. Exit codes:
//
//	0  at least one vendor is configured, and every configured vendor checked ok
//	1  a check failed, or a configuration is invalid (a key without its secret)
//	2  usage error
//	3  no vendor is configured
//	4  every check that could run passed, but a configured vendor cannot be
//	   checked for free (Atlas, EKYC, Incode without executive credentials);
//	   -allow-unchecked makes this 0
//
// # kyc erase
//
//	kyc erase [-timeout 30s] [-ca-file FILE] <reference>
//
// asks the vendor of the reference ("incode:<interviewId>") to erase the
// person's data, with the credentials and base URL of the environment
// variables kyc check reads (Incode needs INCODE_EXECUTIVE_EMAIL and
// INCODE_EXECUTIVE_PASSWORD: its deletion takes the executive token). It
// erases at the vendor only: a copy in your own ResultStore is yours to
// erase (kyc.Router.Erase does both). One line: erased, cannot erase (the
// vendor has no deletion API: what it documents of its retention), failed
// (as kyc check says it), or not configured. The reference is printed as
// its provider and the id's length only. Exit codes: 0 erased, 1 failed,
// 2 usage error (no reference, a malformed one, an unknown provider),
// 3 the provider is not configured, 4 the vendor has no deletion API.
//
// -cacert, the old name of -ca-file in kyc webhook and kyc check, still works.
//
// # kyc version
//
// prints the module version ("(devel)" for a build from a source tree) and
// the Go version it was built with.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
)

// Exit codes.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitNone        = 3
	exitUncheckable = 4
)

const usage = `kyc: tools for kyc-go integrators

Usage:
  kyc fake    [-listen 127.0.0.1:0] [-tls] [-ca-file FILE] [-env FILE]
        serve the five vendor fakes on loopback; prints base URLs and credentials
  kyc webhook -provider verificar -state 5100 -id 4242 -url URL [-user U -password P] [-ca-file FILE]
  kyc webhook -provider incode -status ONBOARDING_FINISHED -interview ID -url URL [-token T] [-ca-file FILE]
        send a vendor-shaped, authenticated webhook to URL
  kyc check   [-timeout 20s] [-ca-file FILE] [-allow-unchecked]
        check each vendor's credentials (from the environment) with free calls only
  kyc erase   [-timeout 30s] [-ca-file FILE] <reference>
        ask the reference's vendor to erase the person's data (credentials from the environment)
  kyc version
        print the module version and the Go version

Run "kyc <command> -h" for a command's flags. Exit codes of kyc check:
  0 every configured vendor checked ok, 1 a check failed, 2 usage error,
  3 nothing configured, 4 a configured vendor cannot be checked for free.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the command, for main and the tests.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "fake":
		return runFake(ctx, args[1:], stdout, stderr)
	case "webhook":
		return runWebhook(ctx, args[1:], getenv, stdout, stderr)
	case "check":
		return runCheck(ctx, args[1:], getenv, stdout, stderr)
	case "erase":
		return runErase(ctx, args[1:], getenv, stdout, stderr)
	case "version":
		return runVersion(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "kyc: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// flags returns a FlagSet for a subcommand that writes its usage to stderr.
func flags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("kyc "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: kyc %s %s\n\nFlags:\n", name, synopsis)
		// Print every flag but the hidden aliases.
		shown := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
		shown.SetOutput(stderr)
		fs.VisitAll(func(f *flag.Flag) {
			if f.Usage != hiddenAlias {
				shown.Var(f.Value, f.Name, f.Usage)
			}
		})
		shown.PrintDefaults()
	}
	return fs
}

// hiddenAlias is the usage text of a flag kept for compatibility and left
// out of -h.
const hiddenAlias = "(hidden alias)"

// caFileFlag defines -ca-file, the one name for a CA file in every
// subcommand, and -cacert, its old name in kyc webhook and kyc check, as a
// hidden alias.
func caFileFlag(fs *flag.FlagSet, usage string) *string {
	p := fs.String("ca-file", "", usage)
	fs.StringVar(p, "cacert", "", hiddenAlias)
	return p
}

// runVersion prints the module version and the Go version it was built with.
func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := flags("version", "", stderr)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	bi, ok := debug.ReadBuildInfo()
	fmt.Fprintln(stdout, versionLine(bi, ok))
	return exitOK
}

// versionLine is kyc version's line: "kyc v1.2.3 go1.24.1", with "(devel)"
// for a build from a source tree.
func versionLine(bi *debug.BuildInfo, ok bool) string {
	v, gover := "(devel)", runtime.Version()
	if ok && bi != nil {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		if bi.GoVersion != "" {
			gover = bi.GoVersion
		}
	}
	return "kyc " + v + " " + gover
}

// parse parses a subcommand's flags; it returns an exit code and false
// when the command must stop (-h: 0; a bad flag: 2).
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK, false
		}
		return exitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage, false
	}
	return 0, true
}
