package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/internal/fromenv"
	"github.com/kyc-go/kyc/verificar"
)

// verdict is the result of checking one vendor.
type verdict int

const (
	notConfigured verdict = iota
	checkedOK
	checkFailed
	uncheckable
)

// checks check each vendor with its client, built from the environment,
// calling free operations only.
var checks = map[kyc.Provider]func(ctx context.Context, c fromenv.Client, getenv func(string) string) (verdict, string, error){
	kyc.Atlas: func(context.Context, fromenv.Client, func(string) string) (verdict, string, error) {
		return uncheckable, "every Atlas check is billed; nothing was sent", nil
	},
	kyc.Incode: func(ctx context.Context, c fromenv.Client, getenv func(string) string) (verdict, string, error) {
		if getenv("INCODE_EXECUTIVE_EMAIL") == "" {
			return uncheckable, "the API key alone has no free call; set INCODE_EXECUTIVE_EMAIL and INCODE_EXECUTIVE_PASSWORD to check with the executive log-in", nil
		}
		if err := c.(*incode.Client).ExecutiveLogIn(ctx); err != nil {
			return checkFailed, "", err
		}
		return checkedOK, "executive log-in accepted (free)", nil
	},
	kyc.AdvanceAI: func(ctx context.Context, c fromenv.Client, _ func(string) string) (verdict, string, error) {
		if _, err := c.(*advanceai.Client).GenerateToken(ctx); err != nil {
			return checkFailed, "", err
		}
		return checkedOK, "token exchange accepted (free)", nil
	},
	kyc.EKYC: func(context.Context, fromenv.Client, func(string) string) (verdict, string, error) {
		return uncheckable, "every EKYC operation is billed; nothing was sent", nil
	},
	kyc.Verificar: func(ctx context.Context, c fromenv.Client, _ func(string) string) (verdict, string, error) {
		credit, err := c.(*verificar.Client).Credits(ctx)
		if err != nil {
			return checkFailed, "", err
		}
		return checkedOK, fmt.Sprintf("credit query accepted (free): %g credits left", credit), nil
	},
}

func runCheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flags("check", "[-timeout 20s] [-ca-file FILE] [-allow-unchecked]", stderr)
	timeout := fs.Duration("timeout", 20*time.Second, "time allowed for each vendor's check")
	cacert := caFileFlag(fs, "PEM file of a CA to trust as well as the system's (e.g. kyc fake -tls's KYC_FAKE_CA_FILE)")
	allow := fs.Bool("allow-unchecked", false, "exit 0 even when a configured vendor cannot be checked for free")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	hc, err := httpClient(*cacert, 0)
	if err != nil {
		fmt.Fprintln(stderr, "kyc check: -ca-file:", err)
		return exitUsage
	}

	var configured, failed, unchecked int
	for _, v := range fromenv.Vendors() {
		if !v.Configured(getenv) {
			fmt.Fprintf(stdout, "%-10s not configured (%s)\n", v.Provider, strings.Join(v.Vars, ", "))
			continue
		}
		configured++
		opts := []kyc.Option{kyc.WithRetry(1, 2*time.Second)} // a check tells, it does not insist
		if hc.Transport != nil {
			opts = append(opts, kyc.WithHTTPClient(hc))
		}
		verdict, detail, err := check(ctx, v, getenv, v.Options(getenv, opts...), *timeout)
		switch verdict {
		case checkedOK:
			fmt.Fprintf(stdout, "%-10s ok: %s\n", v.Provider, detail)
		case uncheckable:
			unchecked++
			fmt.Fprintf(stdout, "%-10s cannot check for free: %s\n", v.Provider, detail)
		default:
			failed++
			fmt.Fprintf(stdout, "%-10s failed: %s\n", v.Provider, describe(err, v.Fields))
		}
	}
	switch {
	case failed > 0:
		return exitFailed
	case configured == 0:
		fmt.Fprintln(stderr, "kyc check: no vendor is configured: set the environment variables listed above")
		return exitNone
	case unchecked > 0 && !*allow:
		return exitUncheckable
	}
	return exitOK
}

// check builds vendor v's client with opts and checks it, within timeout.
func check(ctx context.Context, v fromenv.Vendor, getenv func(string) string, opts []kyc.Option, timeout time.Duration) (verdict, string, error) {
	c, err := v.New(getenv, opts...)
	if err != nil {
		return checkFailed, "", err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return checks[v.Provider](ctx, c, getenv)
}

// describe says why a check failed without any secret: the kind, the HTTP
// status, the vendor's code, and for a configuration error the variable.
func describe(err error, fields map[string]string) string {
	var kerr *kyc.Error
	if !errors.As(err, &kerr) {
		return kindName(err)
	}
	s := kindName(err)
	if kerr.Field != "" {
		name := fields[string(kerr.Field)]
		if name == "" {
			name = string(kerr.Field)
		}
		s += ": " + name
		if kerr.Message != "" {
			s += ": " + kerr.Message
		}
		return s
	}
	var extra []string
	if kerr.StatusCode != 0 {
		extra = append(extra, fmt.Sprintf("HTTP %d", kerr.StatusCode))
	}
	if kerr.Code != "" {
		extra = append(extra, "code "+kerr.Code)
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	// The cause: a *kyc.Error's text is safe to print by construction (it
	// never quotes a secret), and it says an untrusted certificate from a
	// refused connection.
	return s + ": " + kerr.Error()
}

// kindName names an error's kind ("unauthorized"), or "error" for an error
// that has none: its text might quote what was sent.
func kindName(err error) string {
	if k := kyc.KindOf(err); k != nil {
		return k.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	return "error"
}
