package verificar

import (
	"net/url"
	"testing"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

// FuzzDecodeEnvelope: any answer decodes or fails cleanly, and the
// classification never panics.
func FuzzDecodeEnvelope(f *testing.F) {
	for _, name := range []string{"send_ok.json", "send_ok_object_strings.json", "error_invalid.json", "credits_ok.json"} {
		f.Add(testutil.Fixture(f, name))
	}
	f.Add([]byte(`[]`))
	f.Add([]byte(`[[{"Res":1}]]`))
	f.Add([]byte(`{"Res":"1e400","Cred":"NaN","ID":{}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		env, err := decodeEnvelope(b)
		if err == nil && env.Res == nil {
			t.Fatal("an envelope without Res was accepted")
		}
		_ = looksJSON(b)
	})
}

// FuzzParseWebhook: any body, in any of the three formats, parses or fails
// with a *kyc.Error; a parsed event always has a reference and a status.
func FuzzParseWebhook(f *testing.F) {
	sample := testutil.Fixture(f, "webhook_sample.json")
	f.Add("application/json", sample)
	f.Add("", sample)
	f.Add("application/json", testutil.Fixture(f, "webhook_result.json"))
	v := url.Values{"ID": {"1"}, "Estado": {"5001"}, "Result": {`{"Resultado":-9,"DNI":{"Nombre":"A,B","FechaNacimiento":"31/02/2000"}}`}}
	f.Add("application/x-www-form-urlencoded", []byte(v.Encode()))
	f.Add("multipart/form-data; boundary=x", []byte("--x\r\nContent-Disposition: form-data; name=\"ID\"\r\n\r\n1\r\n--x--\r\n"))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		ev, err := parseReport("fuzz", contentType, body)
		if err != nil {
			if kyc.KindOf(err) == nil {
				t.Fatalf("not a *kyc.Error: %v", err)
			}
			return
		}
		if ev.Result == nil || ev.Reference == "" || ev.Result.Status == "" {
			t.Fatalf("incomplete event %+v", ev)
		}
		for _, r := range ev.Result.Reasons {
			if !r.Valid() {
				t.Fatalf("reason %q outside the closed set", r)
			}
		}
	})
}
