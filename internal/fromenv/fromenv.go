// Package fromenv builds each vendor's client from the environment
// variables the README lists (ATLAS_KEY_ID, INCODE_API_KEY, …): the one
// place where kyc check, kyc erase and the quickstart's -live mode read a
// vendor's credentials.
package fromenv

import (
	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/verificar"
)

// Client is what every vendor's client is: a kyc.Verifier and a
// kyc.Eraser to close after use. Assert its concrete type (*atlas.Client,
// …) for a vendor's own methods.
type Client interface {
	kyc.Verifier
	kyc.Eraser
	Close() error
}

// Vendor is one vendor's client as the environment configures it.
type Vendor struct {
	// Provider is the vendor.
	Provider kyc.Provider
	// Vars are its credential variables: the vendor is configured when
	// any of them is set.
	Vars []string
	// Fields maps the names of its Config fields to the variables they
	// come from, to name the variable in a configuration error.
	Fields map[string]string
	// BaseURL is the variable that points it at another host (a sandbox,
	// kyc fake); New does not read it (see Options).
	BaseURL string
	// New builds the vendor's client from the variables getenv returns.
	New func(getenv func(string) string, opts ...kyc.Option) (Client, error)
}

// Configured reports whether any of v's credential variables is set.
func (v Vendor) Configured(getenv func(string) string) bool {
	for _, name := range v.Vars {
		if getenv(name) != "" {
			return true
		}
	}
	return false
}

// Options returns opts with kyc.WithBaseURL of v's BaseURL variable
// appended when it is set.
func (v Vendor) Options(getenv func(string) string, opts ...kyc.Option) []kyc.Option {
	if u := getenv(v.BaseURL); u != "" {
		opts = append(opts, kyc.WithBaseURL(u))
	}
	return opts
}

// Vendors returns the five vendors, in the order kyc check lists them.
func Vendors() []Vendor {
	return []Vendor{
		{Provider: kyc.Atlas, Vars: []string{"ATLAS_KEY_ID", "ATLAS_KEY_SECRET"},
			Fields:  map[string]string{"KeyID": "ATLAS_KEY_ID", "KeySecret": "ATLAS_KEY_SECRET"},
			BaseURL: "ATLAS_BASE_URL",
			New: func(getenv func(string) string, opts ...kyc.Option) (Client, error) {
				cfg := atlas.Config{KeyID: getenv("ATLAS_KEY_ID"), KeySecret: kyc.NewSecret(getenv("ATLAS_KEY_SECRET"))}
				if getenv("ATLAS_AUTH") == "basic" {
					cfg.Auth = atlas.AuthBasic
				}
				return client(atlas.New(cfg, opts...))
			}},
		{Provider: kyc.Incode, Vars: []string{"INCODE_API_KEY", "INCODE_EXECUTIVE_EMAIL", "INCODE_EXECUTIVE_PASSWORD"},
			Fields: map[string]string{"APIKey": "INCODE_API_KEY", "ConfigurationID": "INCODE_CONFIGURATION_ID",
				"Environment": "INCODE_ENVIRONMENT", "ExecutiveEmail": "INCODE_EXECUTIVE_EMAIL", "ExecutivePassword": "INCODE_EXECUTIVE_PASSWORD"},
			BaseURL: "INCODE_BASE_URL",
			New: func(getenv func(string) string, opts ...kyc.Option) (Client, error) {
				return client(incode.New(incode.Config{APIKey: kyc.NewSecret(getenv("INCODE_API_KEY")),
					ConfigurationID: getenv("INCODE_CONFIGURATION_ID"), Environment: getenv("INCODE_ENVIRONMENT"),
					ExecutiveEmail: getenv("INCODE_EXECUTIVE_EMAIL"), ExecutivePassword: kyc.NewSecret(getenv("INCODE_EXECUTIVE_PASSWORD"))}, opts...))
			}},
		{Provider: kyc.AdvanceAI, Vars: []string{"ADVANCEAI_ACCESS_KEY", "ADVANCEAI_SECRET_KEY"},
			Fields:  map[string]string{"AccessKey": "ADVANCEAI_ACCESS_KEY", "SecretKey": "ADVANCEAI_SECRET_KEY"},
			BaseURL: "ADVANCEAI_BASE_URL",
			New: func(getenv func(string) string, opts ...kyc.Option) (Client, error) {
				return client(advanceai.New(advanceai.Config{AccessKey: getenv("ADVANCEAI_ACCESS_KEY"), SecretKey: kyc.NewSecret(getenv("ADVANCEAI_SECRET_KEY"))}, opts...))
			}},
		{Provider: kyc.EKYC, Vars: []string{"EKYC_API_KEY"},
			Fields:  map[string]string{"APIKey": "EKYC_API_KEY"},
			BaseURL: "EKYC_BASE_URL",
			New: func(getenv func(string) string, opts ...kyc.Option) (Client, error) {
				return client(ekycid.New(ekycid.Config{APIKey: kyc.NewSecret(getenv("EKYC_API_KEY"))}, opts...))
			}},
		{Provider: kyc.Verificar, Vars: []string{"VERIFICAR_API_USER", "VERIFICAR_API_TOKEN"},
			Fields:  map[string]string{"APIUser": "VERIFICAR_API_USER", "APIToken": "VERIFICAR_API_TOKEN"},
			BaseURL: "VERIFICAR_BASE_URL",
			New: func(getenv func(string) string, opts ...kyc.Option) (Client, error) {
				return client(verificar.New(verificar.Config{APIUser: getenv("VERIFICAR_API_USER"), APIToken: kyc.NewSecret(getenv("VERIFICAR_API_TOKEN"))}, opts...))
			}},
	}
}

// client returns c as a Client, or a nil Client with err (never a Client
// holding a nil pointer).
func client[C Client](c C, err error) (Client, error) {
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Lookup returns the Vendor of provider p.
func Lookup(p kyc.Provider) (Vendor, bool) {
	for _, v := range Vendors() {
		if v.Provider == p {
			return v, true
		}
	}
	return Vendor{}, false
}
