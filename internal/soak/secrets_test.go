package soak_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

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
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

// TestSecretsNeverLeak runs every provider through successes, vendor
// errors, transport faults and refused credentials with debug logging on,
// logs every Request, Result and error the way an application would, and
// asserts that no credential, token, image byte or personal value of the
// requests and of the fakes' answers appears in any captured log line or
// error string.
func TestSecretsNeverLeak(t *testing.T) {
	w := newWorld(t)
	defer w.close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	app := slog.New(slog.NewJSONHandler(w.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	var said []string // every error string and formatted value
	forbidden := map[string]string{
		atlastest.KeySecret:     "atlas key secret",
		incodetest.APIKey:       "incode API key",
		advanceaitest.SecretKey: "advanceai secret key",
		ekycidtest.KeyValid:     "ekycid API key",
		verificartest.APIToken:  "verificar API token",
		base64.StdEncoding.EncodeToString([]byte(verificartest.APIUser + ":" + verificartest.APIToken)): "verificar Basic header",
		atlastest.HolderName: "PAN holder name",
		"ABCDE0000F":         "PAN number",
		"600000002":          "phone number",
	}
	for _, im := range [][]byte{kyctest.MagicImage("", 1000), kyctest.MagicImage("", 1200)} {
		forbidden[base64.StdEncoding.EncodeToString(im)[40:80]] = "image bytes as base64"
		forbidden[string(im[600:640])] = "image bytes"
	}
	if tok, err := w.clients[kyc.AdvanceAI].(*advanceai.Client).Token(ctx); assert.NoError(t, err) {
		forbidden[tok.Reveal()] = "advanceai access token"
	}
	remember := func(res *kyc.Result) {
		if res == nil {
			return
		}
		if d := res.Document; d != nil {
			for _, v := range []string{d.FullName, d.FirstName, d.LastName, d.Number, d.Address} {
				if len(v) >= 5 {
					forbidden[v] = "document field from " + string(res.Provider)
				}
			}
			if !d.DateOfBirth.IsZero() {
				forbidden[d.DateOfBirth.Format("2006-01-02")] = "birth date"
			}
		}
	}
	record := func(label string, res *kyc.Result, err error) {
		if err != nil {
			said = append(said, err.Error(), fmt.Sprintf("%v", err))
			app.Error(label, "error", err)
		}
		if res != nil {
			app.Info(label, "result", res, "document", res.Document)
		}
		remember(res)
	}

	// Successes through the Router, with the read-back where there is one.
	for i := 0; i < 5; i++ {
		req := request(i)
		if req.Country == "ESP" {
			req.Person.Phone = "+34600000002"
		}
		if req.Country == "IND" {
			req.Document.Number = "ABCDE0000F"
		}
		app.Info("verify", "request", req)
		res, err := w.router.Verify(ctx, req)
		record("verify "+req.Country, res, err)
		if err == nil && res.Provider != kyc.Verificar && res.Provider != kyc.Atlas {
			res2, err := w.router.Result(ctx, res.Reference)
			record("result "+req.Country, res2, err)
		}
	}
	// An approved ADVANCE.AI result carries OCR data.
	if ids := w.adv.Verifications(); assert.NotEmpty(t, ids) {
		require.NoError(t, w.adv.Complete(ids[0], advanceai.IDVSuccess))
		res, err := w.clients[kyc.AdvanceAI].Result(ctx, kyc.NewReference(kyc.AdvanceAI, ids[0]))
		record("advanceai result", res, err)
		require.NotNil(t, res.Document, "the scan must see OCR values to look for them")
	}

	// Vendor errors and transport faults on every provider.
	faults := []kyctest.Fault{
		{Kind: kyctest.FaultStatus, Status: 500, Body: `{"message":"internal error for ` + atlastest.HolderName + `"}`},
		{Kind: kyctest.FaultMalformed},
		{Kind: kyctest.FaultDrop},
		{Kind: kyctest.FaultStatus, Status: 401, Body: `{"error":"bad key ` + incodetest.APIKey + `"}`},
	}
	for i, c := range countries {
		p := w.routes[c]
		for _, f := range faults {
			f.Times = 3
			w.fakes[p].Inject(f)
			req := request(i)
			res, err := w.router.Verify(ctx, req)
			record("fault "+c, res, err)
		}
	}

	// Refused credentials.
	bad := badClients(t, w)
	for i, c := range countries {
		res, err := bad[w.routes[c]].Verify(ctx, request(i))
		assert.Error(t, err, "%s with a wrong credential", c)
		record("bad credentials "+c, res, err)
	}

	// Printing or logging a client, with its token cache warm, shows nothing
	// either (fmt reads unexported fields by reflection, past kyc.Secret).
	for p, c := range w.clients {
		said = append(said, fmt.Sprintf("%v %+v %#v %s", c, c, c, c))
		app.Info("client", "provider", p, "client", c)
	}
	said = append(said, fmt.Sprintf("%+v %#v", w.router, w.router))

	// Every token the fakes issued (Incode's session and executive tokens;
	// references no longer carry them) and the other credentials.
	for _, tok := range w.incode.Tokens() {
		forbidden[tok] = "incode session or executive token"
	}
	for v, what := range staticSecrets() {
		forbidden[v] = what
	}
	require.NotEmpty(t, w.incode.Tokens(), "the scan knows Incode's session tokens")

	text := w.logs.String() + "\n" + strings.Join(said, "\n")
	require.NotEmpty(t, w.logs.String())
	for value, what := range forbidden {
		if value == "" {
			continue
		}
		assert.NotContains(t, text, value, "%s leaked", what)
	}
	t.Logf("scanned %d bytes of logs and %d error strings for %d values", len(w.logs.String()), len(said), len(forbidden))
}

// badClients are the five clients with a wrong credential each, pointed at
// the same fakes.
func badClients(t *testing.T, w *world) map[kyc.Provider]kyc.Verifier {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(w.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts := func(base []kyc.Option) []kyc.Option { return append(base, kyc.WithLogger(logger), kyc.WithRetry(0, 0)) }
	ac := w.atlas.Config()
	ac.KeySecret = kyc.NewSecret("wrong-" + atlastest.KeySecret)
	a, err := atlas.New(ac, opts(w.atlas.Options())...)
	require.NoError(t, err)
	ic := w.incode.Config()
	ic.APIKey = kyc.NewSecret("wrong-" + incodetest.APIKey)
	i, err := incode.New(ic, opts(w.incode.Options())...)
	require.NoError(t, err)
	dc := w.adv.Config()
	dc.SecretKey = kyc.NewSecret("wrong-" + advanceaitest.SecretKey)
	d, err := advanceai.New(dc, opts(w.adv.Options())...)
	require.NoError(t, err)
	ec := w.ekyc.Config()
	ec.APIKey = kyc.NewSecret(ekycidtest.KeyExpired)
	e, err := ekycid.New(ec, opts(w.ekyc.Options())...)
	require.NoError(t, err)
	vc := w.ver.Config()
	vc.APIToken = kyc.NewSecret("wrong-" + verificartest.APIToken)
	v, err := verificar.New(vc, opts(w.ver.Options())...)
	require.NoError(t, err)
	return map[kyc.Provider]kyc.Verifier{kyc.Atlas: a, kyc.Incode: i, kyc.AdvanceAI: d, kyc.EKYC: e, kyc.Verificar: v}
}
