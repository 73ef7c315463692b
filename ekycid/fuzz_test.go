package ekycid

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kyc-go/kyc"
)

func seed(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"result":"{\"ENG\":{\"birth_date\":\"1990\"}}"}`))
	f.Add([]byte(`{"result":{"data":{"score":1e400}},"error":"boom"}`))
	f.Add([]byte(`{"result":[1,2],"error":{"code":{"x":1}},"service_usage":[]}`))
}

// FuzzDecodeReply feeds arbitrary bodies to the reply decoder and every
// result decoder, and to the mapping of a reply onto a kyc.Result.
func FuzzDecodeReply(f *testing.F) {
	seed(f)
	c, err := New(Config{APIKey: kyc.NewSecret("k")}, kyc.WithClock(func() time.Time { return time.Unix(1.7e9, 0) }))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := DecodeReply(body)
		if err != nil {
			if r != nil {
				t.Fatal("a reply with an error")
			}
			return
		}
		r.ID = "r1"
		_ = r.Document()
		_ = r.FaceMatch()
		_ = r.Liveness()
		o := r.Outcome()
		for _, v := range []Verdict{o.FaceMatch, o.Liveness} {
			if s, ok := v.Score.Value(); ok && (s < 0 || s > 1) {
				t.Fatalf("score %v out of range", s)
			}
		}
		if r.Done() {
			res, err := c.toResult(r, nil)
			if err == nil && (res == nil || !res.Status.Final() && res.Status != kyc.StatusReview) {
				t.Fatalf("a done reply gave %+v", res)
			}
			if res != nil {
				for _, x := range res.Reasons {
					if !x.Valid() {
						t.Fatalf("reason %q outside the closed set", x)
					}
				}
			}
		}
	})
}

// FuzzErrorBody feeds arbitrary bodies to the error classifier.
func FuzzErrorBody(f *testing.F) {
	seed(f)
	f.Add([]byte(`{"statusCode":401,"error":"Unauthorized","message":"Invalid or expired API key"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if e := errorBody(body); e != nil {
			_ = codeKind(e.Code, e.Message)
			_, _, _ = reasonFor(e)
		}
	})
}
