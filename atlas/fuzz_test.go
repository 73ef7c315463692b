package atlas

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/kyc-go/kyc/internal/transport"
)

func seedFixtures(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"status":"failed","error":"plain string"}`))
	f.Add([]byte(`{"status":"success","data":[{"pan_status":"VALID"}],"error":null}`))
	f.Add([]byte(`{"error":{"code":401,"message":null},"data":{"a":{"b":{"c":{"d":1}}}}}`))
}

// FuzzDecodeEnvelope feeds any body to the envelope decoder and to every
// data decoder behind it; none may panic.
func FuzzDecodeEnvelope(f *testing.F) {
	seedFixtures(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		env, err := DecodeEnvelope(body)
		if err != nil {
			return
		}
		if !bytes.Equal(env.Raw, transport.StripBOM(body)) {
			t.Fatal("Raw must be the body as received, without a BOM")
		}
		_ = env.Failed()
		for _, a := range []answer{&PANResult{}, &FaceMatchResult{}, &VerificationResult{}, &ESignResult{},
			&EnrolFaceResult{}, &VideoChallengeResult{}, &BankAccountResult{}, &AadhaarOTPResult{}} {
			_ = a.fromEnvelope(env)
		}
		_, _ = imageFromData(env.Data)
		var m FaceMatchResult
		_ = m.fromEnvelope(env)
		if s, ok := m.Score.Value(); ok && (s < 0 || s > 1) {
			t.Fatalf("score out of range: %v", s)
		}
	})
}

// FuzzDecodeESignCallback feeds any body, in each accepted content type,
// to the callback parser.
func FuzzDecodeESignCallback(f *testing.F) {
	cb, err := os.ReadFile(filepath.Join("testdata", "esign_callback.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint8(0), []byte(url.Values{"esign_status": {string(cb)}}.Encode()), "")
	f.Add(uint8(1), cb, "")
	f.Add(uint8(1), []byte(`{"esign_status":`+string(mustJSON(string(cb)))+`}`), "")
	f.Add(uint8(2), []byte("--b\r\nContent-Disposition: form-data; name=\"esign_status\"\r\n\r\n"+string(cb)+"\r\n--b--\r\n"), "")
	f.Add(uint8(0), []byte(nil), "esign_id=es-1&token=t&document_status=COMPLETED")
	f.Fuzz(func(t *testing.T, kind uint8, body []byte, query string) {
		ct := [...]string{"application/x-www-form-urlencoded", "application/json", "multipart/form-data; boundary=b"}[kind%3]
		q, _ := url.ParseQuery(query)
		got, err := DecodeESignCallback(ct, body, q)
		if err == nil && got.ESignID == "" {
			t.Fatal("a parsed callback has an esign_id")
		}
	})
}

func mustJSON(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}
