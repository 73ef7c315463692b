package kyc_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// Markers stand for personal data; none may appear in any fmt output.
const (
	mName    = "MKNAMEzaphod"
	mFirst   = "MKFIRSTford"
	mLast    = "MKLASTprefect"
	mPhone   = "+34699887766"
	mEmail   = "mkmail@example.org"
	mNumber  = "MKDOCNUM9876"
	mID      = "MKCASEID42"
	mRef     = "MKREFID7777"
	mToken   = "MKTOKENsecret"
	mRaw     = "MKRAWbody"
	mAddress = "MKADDRESS street"
	mExtra   = "MKEXTRAvalue"
	mURL     = "https://MKURL.example/x"
	mMessage = "MKMESSAGE [LINK]"
)

// mBirth is a date of birth; its forms are markers too.
var mBirth = time.Date(1961, 3, 14, 0, 0, 0, 0, time.UTC)

func markers() []string {
	return []string{mName, mFirst, mLast, "699887766", mEmail, mNumber, mID, mRef, mToken, mRaw, mAddress,
		mExtra, "MKURL", "MKMESSAGE", "1961", "Sender-MK"}
}

func markedValues(t *testing.T) map[string]any {
	t.Helper()
	img, err := kyc.ImageFromBytes(jpegBytes)
	require.NoError(t, err)
	person := kyc.Person{FullName: mName, DateOfBirth: mBirth, Phone: mPhone, Email: mEmail}
	doc := kyc.Document{Type: kyc.DocumentPassport, Number: mNumber, Front: img, Back: img}
	req := kyc.Request{ID: mID, Country: "ESP", Document: doc, Selfie: img, Person: person,
		Link: kyc.LinkOptions{ReturnURL: mURL, FailReturnURL: mURL, Message: mMessage, Sender: "Sender-MK", SendAt: mBirth}}
	data := kyc.DocumentData{Type: kyc.DocumentPassport, Number: mNumber, FullName: mName, FirstName: mFirst,
		LastName: mLast, DateOfBirth: mBirth, IssueDate: mBirth, ExpiryDate: mBirth, Sex: "F", Nationality: "ESP",
		IssuingCountry: "ESP", Address: mAddress, Extra: map[string]string{"k": mExtra}}
	res := kyc.Result{Provider: kyc.Incode, Reference: "incode:" + mRef + "." + mToken, Status: kyc.StatusRejected,
		Reasons: []kyc.Reason{kyc.ReasonFaceMismatch}, Resubmit: true, Scores: kyc.Scores{FaceMatch: kyc.NewScore(0.12)},
		Document: &data, Link: &kyc.Link{URL: mURL, ExpiresAt: mBirth}, Charged: kyc.ChargePaid,
		Raw: json.RawMessage(`{"name":"` + mRaw + `"}`), Source: kyc.SourceProvider}
	ev := kyc.Event{Provider: kyc.Incode, Reference: res.Reference, Type: "ONBOARDING_FINISHED", Result: &res,
		Authenticated: true, Confirmed: true, ReceivedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		Raw: json.RawMessage(`{"x":"` + mRaw + `"}`)}
	ref := kyc.Reference{Provider: kyc.Incode, ID: mRef + "." + mToken}
	return map[string]any{
		"Request": req, "*Request": &req, "Person": person, "*Person": &person, "Document": doc, "*Document": &doc,
		"DocumentData": data, "*DocumentData": &data, "Result": res, "*Result": &res, "Event": ev, "*Event": &ev,
		"Reference": ref, "*Reference": &ref, "Link": *res.Link, "*Link": res.Link,
		"[]*Result":            []*kyc.Result{&res},
		"map[string]kyc.Event": map[string]kyc.Event{"k": ev},
		"struct{R kyc.Result}": struct{ R kyc.Result }{res},
		"struct{E *kyc.Event}": struct{ E *kyc.Event }{&ev},
	}
}

// verbs are every verb worth trying. %p is tried on pointers only: on a
// value, fmt reports a bad verb by printing the value with reflection,
// without asking its Format method, so no type can guard it.
var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%e", "%U", "%c", "%10.3v", "%-8s", "%T", "%!", "%z"}

// noVerb is a format without verbs: fmt prints the extra argument.
var noVerb = "extra"

// TestShapeOnlyPrinting prints every type under every verb and looks for
// the markers.
func TestShapeOnlyPrinting(t *testing.T) {
	t.Parallel()
	for name, v := range markedValues(t) {
		vs := verbs
		if strings.HasPrefix(name, "*") || strings.HasPrefix(name, "[]") || strings.HasPrefix(name, "map") {
			vs = append(vs, "%p")
		}
		for _, verb := range vs {
			out := fmt.Sprintf(verb, v)
			for _, m := range markers() {
				assert.NotContains(t, out, m, "%s under %s: %s", name, verb, out)
			}
		}
		for _, out := range []string{fmt.Sprint(v), fmt.Sprintln(v), fmt.Sprintf(noVerb, v), fmt.Sprintf("%[2]v", 1, v)} {
			for _, m := range markers() {
				assert.NotContains(t, out, m, name)
			}
		}
	}
}

func TestShapesSayWhatIsSet(t *testing.T) {
	t.Parallel()
	vals := markedValues(t)
	res := vals["Result"].(kyc.Result)
	got := fmt.Sprintf("%v", res)
	for _, want := range []string{"Provider:incode", "Status:rejected", "Reasons:[face_mismatch]", "Resubmit:true",
		"FaceMatch:0.12", "Charged:paid", "Source:provider", "Reference:set", "Number:set", "Extra:1 fields", "Raw:"} {
		assert.Contains(t, got, want)
	}
	assert.True(t, strings.HasPrefix(fmt.Sprintf("%#v", &res), "kyc.Result{"), fmt.Sprintf("%#v", &res))
	assert.Equal(t, fmt.Sprintf("%#v", res), res.GoString())
	assert.Equal(t, fmt.Sprintf("%q", fmt.Sprintf("%v", res)), fmt.Sprintf("%q", res))

	req := vals["Request"].(kyc.Request)
	assert.Equal(t, "{ID:set Country:ESP Document:{Type:passport Number:set Front:set Back:set} Selfie:set "+
		"Person:{FullName:set DateOfBirth:set Phone:set Email:set} "+
		"Link:{ReturnURL:set FailReturnURL:set Message:set Sender:set SendAt:set}}", fmt.Sprint(req))
	assert.Equal(t, "{Document:{} Person:{}}", fmt.Sprint(kyc.Request{}))
	assert.Equal(t, "{URL:set ExpiresAt:set}", fmt.Sprint(res.Link))

	ev := vals["Event"].(kyc.Event)
	assert.Contains(t, fmt.Sprint(ev), "Type:ONBOARDING_FINISHED Reference:set Authenticated:true Confirmed:true ReceivedAt:2025-01-02T03:04:05Z")
	forged := kyc.Event{Type: "x\nforged line"}
	assert.Contains(t, fmt.Sprint(forged), "Type:?", "free text never reaches a shape")

	var nilRes *kyc.Result
	assert.Equal(t, "<nil>", fmt.Sprint(nilRes))
	assert.Equal(t, "<nil>", fmt.Sprintf("%+v", (*kyc.Event)(nil)))
}

func TestReferencePrinting(t *testing.T) {
	t.Parallel()
	ref, err := kyc.ParseReference("incode:64f0a1b2c3d4e5f6a7b8c9d0")
	require.NoError(t, err)
	assert.Equal(t, "incode:64f0a1b2c3d4e5f6a7b8c9d0", ref.String(), "String is the storable form")
	assert.Equal(t, "incode:[id, 24 bytes]", fmt.Sprint(ref))
	assert.Equal(t, "incode:[id, 24 bytes]", fmt.Sprintf("%s", ref))
	assert.Equal(t, "kyc.Reference{Provider:incode ID:[24 bytes]}", fmt.Sprintf("%#v", ref))
	assert.Equal(t, `"incode:[id, 24 bytes]"`, fmt.Sprintf("%q", &ref))
}

// JSON of Result and Event stays complete: users store it.
func TestResultAndEventJSONStayComplete(t *testing.T) {
	t.Parallel()
	vals := markedValues(t)
	for _, name := range []string{"Result", "Event"} {
		b, err := json.Marshal(vals[name])
		require.NoError(t, err)
		for _, m := range []string{mName, mNumber, mRef, mToken, mRaw, mAddress, mExtra} {
			assert.Contains(t, string(b), m, name)
		}
	}
	res := vals["*Result"].(*kyc.Result)
	b, err := json.Marshal(res)
	require.NoError(t, err)
	var back kyc.Result
	require.NoError(t, json.Unmarshal(b, &back))
	b2, err := json.Marshal(&back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(b2), "a Result survives its JSON")
}

// TestShapeOnlyLogging logs every type that has a LogValue through slog's
// JSON and text handlers, as a value and as a pointer: no marker may show.
// Request logs the caller's own ID by design; Result, DocumentData and
// Event log through their pointers (a value of them in a JSON handler is
// encoded as JSON, complete, as users store it).
func TestShapeOnlyLogging(t *testing.T) {
	t.Parallel()
	vals := markedValues(t)
	handlers := map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, noTime) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, noTime) },
	}
	for _, name := range []string{"Person", "*Person", "Document", "*Document", "Reference", "*Reference",
		"Request", "*Request", "*Result", "*DocumentData", "*Event"} {
		for hn, h := range handlers {
			var buf bytes.Buffer
			slog.New(h(&buf)).Info("m", "v", vals[name], "group", slog.GroupValue(slog.Any("nested", vals[name])))
			for _, m := range markers() {
				if m == mID && strings.Contains(name, "Request") {
					continue
				}
				assert.NotContains(t, buf.String(), m, "%s through %s: %s", name, hn, buf.String())
			}
		}
	}
}

// TestRootPrintsThroughShape: every Format method of the root package
// hands its fmt.State to internal/shape (shape.Text, or a shape.Fields'
// Write) and never writes to it itself, so that the module has one shape
// printer.
func TestRootPrintsThroughShape(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	fset := token.NewFileSet()
	found := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		require.NoError(t, err)
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "Format" || fn.Body == nil {
				continue
			}
			found++
			state := fn.Type.Params.List[0].Names[0].Name
			through := 0
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, _ := call.Fun.(*ast.SelectorExpr)
				toShape := false
				if sel != nil {
					x, _ := sel.X.(*ast.Ident)
					toShape = x != nil && x.Name == "shape" && sel.Sel.Name == "Text" || // shape.Text(f, …)
						(x == nil || x.Name != state) && sel.Sel.Name == "Write" && len(call.Args) == 3 // Fields.Write(f, verb, name)
					if x != nil && x.Name == state {
						t.Errorf("%s: Format writes to its fmt.State itself", fset.Position(call.Pos()))
					}
				}
				for _, a := range call.Args {
					if id, ok := a.(*ast.Ident); ok && id.Name == state {
						if toShape {
							through++
						} else {
							t.Errorf("%s: Format hands its fmt.State to another printer than internal/shape", fset.Position(call.Pos()))
						}
					}
				}
				return true
			})
			assert.Positive(t, through, "%s: Format does not go through internal/shape", fset.Position(fn.Pos()))
		}
	}
	assert.GreaterOrEqual(t, found, 8, "the root's Format methods were found")
}

// noTime drops the record's time: its digits ("17:17:19.196180") could
// hold a marker ("1961") the test looks for.
var noTime = &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}}
