package kycvcr_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/advanceai/advanceaitest"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/atlas/atlastest"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/ekycid/ekycidtest"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/kycvcr"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

// flow is one vendor's verification against its fake: how to build the
// client, the request, and the secrets its config holds.
type flow struct {
	provider kyc.Provider
	start    func(t *testing.T) (config any, opts []kyc.Option, close func())
	client   func(config any, opts []kyc.Option) (kyc.Verifier, error)
	request  func() kyc.Request
}

const (
	personName  = "Ada Lovelace-Example"
	docNumber   = "ABCDE1234F"
	personPhone = "+34612345678"
)

func images() (*kyc.Image, *kyc.Image) {
	a, _ := kyc.ImageFromBytes(kyctest.MagicImage(kyctest.ImageApproved, 0))
	b, _ := kyc.ImageFromBytes(kyctest.MagicImage(kyctest.ImageApproved, 0))
	return a, b
}

func fakeOpts(opts []kyc.Option) ([]kyc.Option, http.RoundTripper) {
	s, _ := kyc.NewSettings(opts...)
	return opts, s.HTTPClient.Transport
}

var flows = []flow{
	{
		provider: kyc.Atlas,
		start: func(t *testing.T) (any, []kyc.Option, func()) {
			f := atlastest.NewServer()
			return f.Config(), f.Options(), f.Close
		},
		client: func(c any, o []kyc.Option) (kyc.Verifier, error) { return atlas.New(c.(atlas.Config), o...) },
		request: func() kyc.Request {
			front, selfie := images()
			return kyc.Request{ID: "case-1", Country: "IND", Selfie: selfie,
				// No FullName: a registry name match compares the vendor's
				// (redacted) name with the Request's, so it cannot replay.
				Document: kyc.Document{Type: kyc.DocumentPAN, Number: docNumber, Front: front}}
		},
	},
	{
		provider: kyc.Incode,
		start: func(t *testing.T) (any, []kyc.Option, func()) {
			f := incodetest.NewServer()
			return f.Config(), f.Options(), f.Close
		},
		client: func(c any, o []kyc.Option) (kyc.Verifier, error) { return incode.New(c.(incode.Config), o...) },
		request: func() kyc.Request {
			front, selfie := images()
			back, _ := kyc.ImageFromBytes(kyctest.MagicImage("", 0))
			return kyc.Request{ID: "case-2", Country: "MEX", Selfie: selfie,
				Document: kyc.Document{Type: kyc.DocumentIDCard, Front: front, Back: back}, Person: kyc.Person{FullName: personName}}
		},
	},
	{
		provider: kyc.AdvanceAI,
		start: func(t *testing.T) (any, []kyc.Option, func()) {
			f := advanceaitest.NewServer()
			return f.Config(), f.Options(), f.Close
		},
		client: func(c any, o []kyc.Option) (kyc.Verifier, error) { return advanceai.New(c.(advanceai.Config), o...) },
		request: func() kyc.Request {
			return kyc.Request{ID: "case-3", Country: "IDN", Person: kyc.Person{FullName: personName},
				Link: kyc.LinkOptions{ReturnURL: "https://example.com/kyc/done"}}
		},
	},
	{
		provider: kyc.EKYC,
		start: func(t *testing.T) (any, []kyc.Option, func()) {
			f := ekycidtest.NewServer()
			return f.Config(), f.Options(), f.Close
		},
		client: func(c any, o []kyc.Option) (kyc.Verifier, error) { return ekycid.New(c.(ekycid.Config), o...) },
		request: func() kyc.Request {
			front, selfie := images()
			return kyc.Request{ID: "case-4", Country: "KHM", Selfie: selfie,
				Document: kyc.Document{Type: kyc.DocumentIDCard, Front: front}, Person: kyc.Person{FullName: personName}}
		},
	},
	{
		provider: kyc.Verificar,
		start: func(t *testing.T) (any, []kyc.Option, func()) {
			f := verificartest.NewServer()
			return f.Config(), f.Options(), f.Close
		},
		client: func(c any, o []kyc.Option) (kyc.Verifier, error) { return verificar.New(c.(verificar.Config), o...) },
		request: func() kyc.Request {
			return kyc.Request{ID: "case-5", Country: "ESP", Person: kyc.Person{FullName: personName, Phone: personPhone},
				Document: kyc.Document{Number: "12345678Z"}}
		},
	},
}

// secretsOf returns every kyc.Secret and credential-like string of a
// vendor Config.
func secretsOf(cfg any) []string {
	var out []string
	v := reflect.ValueOf(cfg)
	for i := range v.NumField() {
		f := v.Field(i)
		if s, ok := f.Interface().(kyc.Secret); ok && !s.IsZero() {
			out = append(out, s.Reveal())
		}
		name := strings.ToLower(v.Type().Field(i).Name)
		if f.Kind() == reflect.String && f.String() != "" && (strings.Contains(name, "key") || strings.Contains(name, "user") || strings.Contains(name, "email")) {
			out = append(out, f.String())
		}
	}
	return out
}

// TestRecordRedactReplay records one flow per vendor against its fake,
// proves that no secret and no personal datum reached the cassette, and
// replays it with the fake gone.
func TestRecordRedactReplay(t *testing.T) {
	dir := t.TempDir()
	for _, fl := range flows {
		t.Run(string(fl.provider), func(t *testing.T) {
			ctx := context.Background()
			cfg, opts, stop := fl.start(t)
			opts, real := fakeOpts(opts)
			name := filepath.Join(dir, string(fl.provider))
			rec, err := kycvcr.Record(name, real)
			require.NoError(t, err)
			client, err := fl.client(cfg, append(opts, kyc.WithHTTPClient(rec.Client())))
			require.NoError(t, err)
			recorded, err := client.Verify(ctx, fl.request())
			require.NoError(t, err)
			require.NoError(t, rec.Stop())
			stop()

			b, err := os.ReadFile(name + ".yaml")
			require.NoError(t, err)
			cassette := string(b)
			if os.Getenv("KYCVCR_DUMP") != "" {
				t.Log(cassette)
			}
			img := kyctest.MagicImage(kyctest.ImageApproved, 0)
			forbidden := append(secretsOf(cfg), personName, atlastest.HolderName, docNumber, "12345678Z",
				strings.TrimPrefix(personPhone, "+"), "612345678", "kyc-fake:",
				base64.StdEncoding.EncodeToString(img)[:40], "Authorization", "X-Incode-Hardware-Id", "X-Access-Token", "X-Api-Key")
			for _, s := range forbidden {
				if s != "" {
					assert.NotContains(t, cassette, s, "the cassette holds a secret or personal datum")
				}
			}
			assert.Contains(t, cassette, kycvcr.Redacted)

			rep, err := kycvcr.Replay(name)
			require.NoError(t, err)
			client, err = fl.client(cfg, append(opts, kyc.WithHTTPClient(rep.Client())))
			require.NoError(t, err)
			replayed, err := client.Verify(ctx, fl.request())
			require.NoError(t, err, "the replay answers as the fake did, with the fake gone")
			assert.Equal(t, recorded.Status, replayed.Status)
			assert.Equal(t, recorded.Reasons, replayed.Reasons)
			require.NoError(t, rep.Stop())
		})
	}
}
