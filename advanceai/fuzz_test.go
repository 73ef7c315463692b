package advanceai

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// FuzzDecodeEnvelope feeds arbitrary bodies, with arbitrary HTTP statuses,
// through the envelope decoder and the classification every answer goes
// through, then through the Get Result decoder and its mapping. None may
// panic; a failure must be a *kyc.Error with a kind.
func FuzzDecodeEnvelope(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, 200)
	}
	f.Add([]byte(`{"code":"IAM_FAILED","message":"Access Denied"}`), 401)
	f.Add([]byte(`{"code":"SUCCESS","data":{"idvCode":null,"ocrResult":{"name":1,"birthday":"1989/06/01"}}}`), 200)
	f.Add([]byte(`{"code":12,"message":["x"],"transactionId":{}}`), 500)
	f.Add([]byte(``), 502)

	c, err := New(Config{AccessKey: "a", SecretKey: kyc.NewSecret("s")})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		status = 100 + abs(status)%500
		resp := &transport.Response{StatusCode: status, Body: body}
		if err := c.check(opGetResult, resp); err != nil {
			var kerr *kyc.Error
			if !errors.As(err, &kerr) || kerr.Kind == nil {
				t.Fatalf("not a *kyc.Error with a kind: %v", err)
			}
			_ = kerr.Error()
			return
		}
		var env Envelope
		if err := c.decode(opGetResult, resp, &env); err != nil {
			t.Fatalf("a checked answer does not decode: %v", err)
		}
		if env.Code != CodeSuccess {
			t.Fatalf("success without a SUCCESS envelope")
		}
		r, err := decodeResult(env)
		if err != nil {
			return
		}
		res, err := toResult(r, "advanceai:x")
		if err == nil {
			if !res.Status.Final() && res.Status != kyc.StatusPending && res.Status != kyc.StatusReview {
				t.Fatalf("status %q", res.Status)
			}
			for _, x := range res.Reasons {
				if !x.Valid() {
					t.Fatalf("reason %q outside the closed set", x)
				}
			}
		}
		_ = epochMillis(env.Data)
	})
}

func abs(n int) int {
	if n < 0 {
		return -(n + 1)
	}
	return n
}
