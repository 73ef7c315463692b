package soak_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

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
	"github.com/kyc-go/kyc/internal/testutil"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/kycworld"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

// The personal markers of the scans: values no output may carry.
const (
	markName   = "Zaphod Beeblebrox"
	markPhone  = "34699887766"
	markNumber = "ZB4242QX"
	markDOB    = "1942-05-25"
)

// verbs are every fmt verb the scan prints values with.
var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"}

// staticSecrets are every credential the fakes accept.
func staticSecrets() map[string]string {
	return map[string]string{
		atlastest.KeySecret:               "atlas key secret",
		incodetest.APIKey:                 "incode API key",
		incodetest.ExecutivePassword:      "incode executive password",
		advanceaitest.SecretKey:           "advanceai secret key",
		ekycidtest.KeyValid:               "ekycid API key",
		verificartest.APIToken:            "verificar API token",
		verificartest.WebhookPassword:     "verificar webhook password",
		kycworld.IncodeWebhookToken:       "incode webhook token",
		"wrong-" + atlastest.KeySecret:    "atlas wrong secret",
		"wrong-" + incodetest.APIKey:      "incode wrong key",
		"wrong-" + verificartest.APIToken: "verificar wrong token",
	}
}

func personalMarkers() map[string]string {
	return map[string]string{markName: "person's name", "Zaphod": "person's first name", markPhone: "phone",
		markNumber: "document number", markDOB: "date of birth"}
}

// scan fails the test for every marker found in text.
func scan(t *testing.T, what, text string, markers map[string]string) {
	t.Helper()
	for _, l := range leaks(what, text, markers) {
		t.Error(l)
	}
}

// leaks lists the markers found in text.
func leaks(what, text string, markers map[string]string) []string {
	var out []string
	for v, label := range markers {
		if v != "" && strings.Contains(text, v) {
			out = append(out, fmt.Sprintf("LEAK: %s carries the %s (%q)", what, label, v))
		}
	}
	return out
}

// knownLeaks are the findings the lead must fix in code this package does
// not own. A subtest in it is skipped while it leaks, with the leaks
// printed, and passes (so the skip ends) once it no longer does.
var knownLeaks = map[string]string{
	"*advanceai.Client":    "F6: advanceai caches its access token as a plain string; %d of the client prints it",
	"*kyc.Router":          "F6: %s and %q of a Router print its clients deeply (bad-verb path), the advanceai access token included",
	"atlas.BankAccountReq": "F7: vendor request types have no shape-only Format",
	"verificar.SendReq":    "F7: vendor request types have no shape-only Format",
	"incode.StartRequest":  "F7: vendor request types have no shape-only Format",
	"ekycid.OCRRequest":    "F7: vendor request types have no shape-only Format",
}

// chain returns every error in err's Unwrap tree, err first.
func chain(err error) []error {
	var out []error
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		out = append(out, e)
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}

// errorText is everything an application could print of err: each level's
// Error(), every verb of the top, and the JSON of each *kyc.Error.
func errorText(err error) string {
	var b strings.Builder
	for _, e := range chain(err) {
		b.WriteString(e.Error())
		b.WriteString("\n")
		var kerr *kyc.Error
		if errors.As(e, &kerr) && kerr == e {
			j, _ := json.Marshal(kerr)
			b.Write(j)
			b.WriteString("\n")
		}
	}
	for _, v := range verbs {
		fmt.Fprintf(&b, v+"\n", err)
	}
	return b.String()
}

// errorBodies are the vendor error bodies of the scan, each carrying the
// person's markers: non-JSON (HTML, plain text) and BOM-prefixed or
// XSSI-guarded JSON.
var errorBodies = []struct {
	name   string
	status int
	body   string
}{
	{"html 500", 500, "<html><body>Dear " + markName + ", error for " + markNumber + "</body></html>"},
	{"text 400", 400, "Bad Request: " + markName + " +" + markPhone + " born " + markDOB},
	{"bom json 400", 400, "\ufeff" + `{"error":{"code":"BAD","message":"name ` + markName + ` number ` + markNumber + `"},"message":"` + markName + `"}`},
	{"xssi json 422", 422, ")]}',\n" + `{"message":"` + markName + ` ` + markPhone + `"}`},
	{"bom json 200", 200, "\ufeff" + `{"status":"failed","error":{"code":"X","message":"` + markName + `"},"Res":-3,"Error":"` + markName + `"}`},
}

// TestErrorBodiesNeverLeak answers every billed and messaging operation of
// every vendor with error bodies that carry a person's data, and scans every
// error in the Unwrap chain (Error() of each level, every fmt verb, JSON of
// kyc.Error) and the debug log for the markers and the credentials.
func TestErrorBodiesNeverLeak(t *testing.T) {
	t.Parallel()
	type job struct {
		k    kit
		op   kyc.Operation
		body int
		err  error
		logs string
		sec  map[string]string
		fail error
	}
	var jobs []*job
	for _, k := range kits() {
		for _, op := range billedOrMessaging(k) {
			for i := range errorBodies {
				jobs = append(jobs, &job{k: k, op: op, body: i})
			}
		}
	}
	runConcurrently(len(jobs), 32, func(i int) {
		j := jobs[i]
		logger, logs := testutil.CaptureLogger()
		r, err := j.k.start(&tripper{}, kyc.WithRetry(0, 0), kyc.WithLogger(logger))
		if err != nil {
			j.fail = err
			return
		}
		defer r.close()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		call, err := j.k.calls[j.op.Name](ctx, r)
		if err != nil {
			j.fail = err
			return
		}
		b := errorBodies[j.body]
		r.fake.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: b.status, Body: b.body, Path: j.op.Path, Times: 10})
		j.err = call(ctx)
		j.logs = logs.String()
		j.sec = r.secrets
		for _, tok := range r.tokens() {
			j.sec[tok] = "token the fake issued"
		}
	})
	markers := personalMarkers()
	for k, v := range staticSecrets() {
		markers[k] = v
	}
	for _, j := range jobs {
		t.Run(j.op.Name+"/"+errorBodies[j.body].name, func(t *testing.T) {
			require.NoError(t, j.fail)
			m := map[string]string{}
			for k, v := range markers {
				m[k] = v
			}
			for k, v := range j.sec {
				m[k] = v
			}
			if j.err == nil {
				// A 200 whose body the vendor check accepts: nothing to scan
				// but the logs.
				scan(t, "debug log", j.logs, m)
				return
			}
			scan(t, "error", errorText(j.err), m)
			scan(t, "debug log", j.logs, m)
		})
	}
}

// TestPrintingNeverLeaks prints every exported struct type of the root
// package that holds personal data or secrets, and each vendor's Config
// and Client, with every fmt verb, and scans the text.
func TestPrintingNeverLeaks(t *testing.T) {
	t.Parallel()
	w := kycworld.New(t, kycworld.WithClientOptions(kyc.WithLogger(discardLogger)))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Warm the token caches, so the clients hold live tokens.
	_, err := w.AdvanceAI.Token(ctx)
	require.NoError(t, err)
	require.NoError(t, w.Incode.ExecutiveLogIn(ctx))
	res, err := w.Router.Verify(ctx, w.Request(kyc.Incode, kyctest.ImageApproved))
	require.NoError(t, err)

	dob := time.Date(1942, 5, 25, 0, 0, 0, 0, time.UTC)
	doc := &kyc.DocumentData{Type: kyc.DocumentPassport, Number: markNumber, FullName: markName, FirstName: "Zaphod",
		LastName: "Beeblebrox", DateOfBirth: dob, Address: "Betelgeuse " + markName, Extra: map[string]string{"mother": markName}}
	result := &kyc.Result{Provider: kyc.Incode, Reference: "incode:" + markNumber, Status: kyc.StatusApproved, Document: doc,
		Raw: json.RawMessage(`{"name":"` + markName + `"}`)}
	person := kyc.Person{FullName: markName, DateOfBirth: dob, Phone: "+" + markPhone, Email: "zaphod@example.com"}
	document := kyc.Document{Type: kyc.DocumentPassport, Number: markNumber}
	values := map[string]any{
		"kyc.Request":      kyc.Request{ID: "case-1", Country: "ESP", Person: person, Document: document},
		"kyc.Person":       person,
		"kyc.Document":     document,
		"kyc.DocumentData": doc,
		"kyc.Result":       result,
		"kyc.Result value": *result,
		"kyc.Event":        &kyc.Event{Provider: kyc.Incode, Reference: result.Reference, Result: result, Raw: result.Raw},
		"kyc.Event value":  kyc.Event{Provider: kyc.Incode, Reference: result.Reference, Result: result, Raw: result.Raw},
		"kyc.Reference":    kyc.Reference{Provider: kyc.Incode, ID: markNumber},
		"kyc.Error": &kyc.Error{Op: "x.Op", Kind: kyc.ErrInvalidRequest, VendorMessage: "bad " + markName,
			Err: errors.New("cause")},
		"kyc.Secret":           kyc.NewSecret(incodetest.APIKey),
		"incode Result":        res,
		"atlas.Config":         w.Fakes.Atlas.Config(),
		"incode.Config":        w.Fakes.Incode.ExecutiveConfig(),
		"advanceai.Config":     w.Fakes.AdvanceAI.Config(),
		"ekycid.Config":        w.Fakes.EKYC.Config(),
		"verificar.Config":     w.Fakes.Verificar.Config(),
		"*atlas.Client":        w.Atlas,
		"*incode.Client":       w.Incode,
		"*advanceai.Client":    w.AdvanceAI,
		"*ekycid.Client":       w.EKYC,
		"*verificar.Client":    w.Verificar,
		"*kyc.Router":          w.Router,
		"atlas.BankAccountReq": atlas.BankAccountRequest{AccountNumber: markNumber, IFSC: "SBIN0000001", Name: markName},
		"verificar.SendReq":    verificar.SendRequest{Phone: markPhone, DNI: markNumber},
		"incode.StartRequest":  incode.StartRequest{ExternalCustomerID: "c", CustomFields: map[string]string{"name": markName}},
		"advanceai.GenURLReq":  advanceai.GenerateURLRequest{ReturnURL: "https://example.com/", UserID: "u"},
		"ekycid.OCRRequest":    ekycid.OCRRequest{Image: ekycid.MediaURL("https://example.com/" + markNumber + ".jpg")},
	}
	markers := personalMarkers()
	for k, v := range staticSecrets() {
		markers[k] = v
	}
	for _, tok := range w.Fakes.Incode.Tokens() {
		markers[tok] = "incode session or executive token"
	}
	if tok, err := w.AdvanceAI.Token(ctx); err == nil {
		markers[tok.Reveal()] = "advanceai access token"
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var found []string
			for _, verb := range verbs {
				found = append(found, leaks(name+" under "+verb, fmt.Sprintf(verb, v), markers)...)
			}
			if f, ok := knownLeaks[name]; ok && len(found) > 0 {
				t.Skipf("FINDING %s:\n%s", f, strings.Join(found, "\n"))
			}
			for _, l := range found {
				t.Error(l)
			}
		})
	}
}
