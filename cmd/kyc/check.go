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
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/incode"
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

// checker checks one vendor. It builds the client from the environment,
// and calls free operations only.
type checker struct {
	name kyc.Provider
	// vars are the credential variables: the vendor is configured when
	// any of them is set.
	vars []string
	// fields maps Config field names to the variables they come from, for
	// configuration errors.
	fields map[string]string
	check  func(ctx context.Context, getenv func(string) string, opts []kyc.Option) (verdict, string, error)
}

var checkers = []checker{
	{name: kyc.Atlas, vars: []string{"ATLAS_KEY_ID", "ATLAS_KEY_SECRET"},
		fields: map[string]string{"KeyID": "ATLAS_KEY_ID", "KeySecret": "ATLAS_KEY_SECRET"},
		check: func(_ context.Context, getenv func(string) string, opts []kyc.Option) (verdict, string, error) {
			cfg := atlas.Config{KeyID: getenv("ATLAS_KEY_ID"), KeySecret: kyc.NewSecret(getenv("ATLAS_KEY_SECRET"))}
			if getenv("ATLAS_AUTH") == "basic" {
				cfg.Auth = atlas.AuthBasic
			}
			c, err := atlas.New(cfg, opts...)
			if err != nil {
				return checkFailed, "", err
			}
			_ = c.Close()
			return uncheckable, "every Atlas check is billed; nothing was sent", nil
		}},
	{name: kyc.Incode, vars: []string{"INCODE_API_KEY", "INCODE_EXECUTIVE_EMAIL", "INCODE_EXECUTIVE_PASSWORD"},
		fields: map[string]string{"APIKey": "INCODE_API_KEY", "ConfigurationID": "INCODE_CONFIGURATION_ID",
			"Environment": "INCODE_ENVIRONMENT", "ExecutiveEmail": "INCODE_EXECUTIVE_EMAIL", "ExecutivePassword": "INCODE_EXECUTIVE_PASSWORD"},
		check: func(ctx context.Context, getenv func(string) string, opts []kyc.Option) (verdict, string, error) {
			c, err := incode.New(incode.Config{APIKey: kyc.NewSecret(getenv("INCODE_API_KEY")),
				ConfigurationID: getenv("INCODE_CONFIGURATION_ID"), Environment: getenv("INCODE_ENVIRONMENT"),
				ExecutiveEmail: getenv("INCODE_EXECUTIVE_EMAIL"), ExecutivePassword: kyc.NewSecret(getenv("INCODE_EXECUTIVE_PASSWORD"))}, opts...)
			if err != nil {
				return checkFailed, "", err
			}
			defer c.Close()
			if getenv("INCODE_EXECUTIVE_EMAIL") == "" {
				return uncheckable, "the API key alone has no free call; set INCODE_EXECUTIVE_EMAIL and INCODE_EXECUTIVE_PASSWORD to check with the executive log-in", nil
			}
			if err := c.ExecutiveLogIn(ctx); err != nil {
				return checkFailed, "", err
			}
			return checkedOK, "executive log-in accepted (free)", nil
		}},
	{name: kyc.AdvanceAI, vars: []string{"ADVANCEAI_ACCESS_KEY", "ADVANCEAI_SECRET_KEY"},
		fields: map[string]string{"AccessKey": "ADVANCEAI_ACCESS_KEY", "SecretKey": "ADVANCEAI_SECRET_KEY"},
		check: func(ctx context.Context, getenv func(string) string, opts []kyc.Option) (verdict, string, error) {
			c, err := advanceai.New(advanceai.Config{AccessKey: getenv("ADVANCEAI_ACCESS_KEY"), SecretKey: kyc.NewSecret(getenv("ADVANCEAI_SECRET_KEY"))}, opts...)
			if err != nil {
				return checkFailed, "", err
			}
			defer c.Close()
			if _, err := c.GenerateToken(ctx); err != nil {
				return checkFailed, "", err
			}
			return checkedOK, "token exchange accepted (free)", nil
		}},
	{name: kyc.EKYC, vars: []string{"EKYC_API_KEY"},
		fields: map[string]string{"APIKey": "EKYC_API_KEY"},
		check: func(_ context.Context, getenv func(string) string, opts []kyc.Option) (verdict, string, error) {
			c, err := ekycid.New(ekycid.Config{APIKey: kyc.NewSecret(getenv("EKYC_API_KEY"))}, opts...)
			if err != nil {
				return checkFailed, "", err
			}
			_ = c.Close()
			return uncheckable, "every EKYC operation is billed; nothing was sent", nil
		}},
	{name: kyc.Verificar, vars: []string{"VERIFICAR_API_USER", "VERIFICAR_API_TOKEN"},
		fields: map[string]string{"APIUser": "VERIFICAR_API_USER", "APIToken": "VERIFICAR_API_TOKEN"},
		check: func(ctx context.Context, getenv func(string) string, opts []kyc.Option) (verdict, string, error) {
			c, err := verificar.New(verificar.Config{APIUser: getenv("VERIFICAR_API_USER"), APIToken: kyc.NewSecret(getenv("VERIFICAR_API_TOKEN"))}, opts...)
			if err != nil {
				return checkFailed, "", err
			}
			defer c.Close()
			credit, err := c.Credits(ctx)
			if err != nil {
				return checkFailed, "", err
			}
			return checkedOK, fmt.Sprintf("credit query accepted (free): %g credits left", credit), nil
		}},
}

// baseURLVars are the variables that point a vendor at another host (a
// sandbox, or kyc fake).
var baseURLVars = map[kyc.Provider]string{
	kyc.Atlas: "ATLAS_BASE_URL", kyc.Incode: "INCODE_BASE_URL", kyc.AdvanceAI: "ADVANCEAI_BASE_URL",
	kyc.EKYC: "EKYC_BASE_URL", kyc.Verificar: "VERIFICAR_BASE_URL",
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
	for _, ch := range checkers {
		set := false
		for _, v := range ch.vars {
			set = set || getenv(v) != ""
		}
		if !set {
			fmt.Fprintf(stdout, "%-10s not configured (%s)\n", ch.name, strings.Join(ch.vars, ", "))
			continue
		}
		configured++
		opts := []kyc.Option{kyc.WithRetry(1, 2*time.Second)} // a check tells, it does not insist
		if hc.Transport != nil {
			opts = append(opts, kyc.WithHTTPClient(hc))
		}
		if u := getenv(baseURLVars[ch.name]); u != "" {
			opts = append(opts, kyc.WithBaseURL(u))
		}
		cctx, cancel := context.WithTimeout(ctx, *timeout)
		v, detail, err := ch.check(cctx, getenv, opts)
		cancel()
		switch v {
		case checkedOK:
			fmt.Fprintf(stdout, "%-10s ok: %s\n", ch.name, detail)
		case uncheckable:
			unchecked++
			fmt.Fprintf(stdout, "%-10s cannot check for free: %s\n", ch.name, detail)
		default:
			failed++
			fmt.Fprintf(stdout, "%-10s failed: %s\n", ch.name, describe(err, ch.fields))
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
