package advanceai

import (
	"encoding/json"
	"testing"
)

// TestDecodeTolerant: the envelope and the result are read loosely, as
// their wire twins were: numbers for strings, null for an unread field.
func TestDecodeTolerant(t *testing.T) {
	env, err := decodeEnvelope([]byte("\ufeff" + `{"code":"SUCCESS","message":7,"transactionId":123,"pricingStrategy":null,"extra":null,
		"data":{"idvCode":"SUCCESS","idvResult":{"isLowQuality":"true","forgeryLabels":["retake"]},"ocrCode":"SUCCESS",
		"ocrResult":{"idNumber":3171234567890123,"name":null,"city":"JAKARTA"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if env.Code != CodeSuccess || env.Message != "7" || env.TransactionID != "123" || env.PricingStrategy != "" || string(env.Extra) != "null" {
		t.Fatalf("meta %+v", env.Meta)
	}
	r, err := decodeResult(*env)
	if err != nil {
		t.Fatal(err)
	}
	if r.TransactionID != "123" || r.IDVCode != CodeSuccess || !r.IDVResult.IsLowQuality || len(r.IDVResult.ForgeryLabels) != 1 {
		t.Fatalf("result %+v", r)
	}
	if o := r.OCRResult; o == nil || o.IDNumber != "3171234567890123" || o.Name != "" || o.City != "JAKARTA" {
		t.Fatalf("ocr %+v", r.OCRResult)
	}
	for _, body := range []string{"", "null", "[]", `{"code":{}}`, `{"code":"SUCCESS"} x`} {
		if _, err := decodeEnvelope([]byte(body)); err == nil {
			t.Errorf("%q: no error", body)
		}
	}
	if _, err := decodeResult(Envelope{Data: json.RawMessage(`{"ocrResult":"x"}`)}); err == nil {
		t.Error("an ocrResult string: no error")
	}
}
