package atlas

import (
	"testing"
	"time"
)

// TestDecodeTolerant: the envelope, its error and a PAN answer are read
// loosely (numbers for strings, an object as a one-element array) and
// trimmed.
func TestDecodeTolerant(t *testing.T) {
	env, err := DecodeEnvelope([]byte("\ufeff" + `{"status":"success","response_timestamp":1595488026806,
		"data":[{"pan_number":" ABCDE1234F ","pan_status":"valid","full_name":" RAHUL SHARMA ","pan_last_updated":"05/06/2021",
		"pan_aadhaar_seeding":"Y","first_name":null}],"error":{"code":500,"message":" boom "}}`))
	if err != nil {
		t.Fatal(err)
	}
	if env.Status != "success" || !env.ResponseTimestamp.Equal(time.UnixMilli(1595488026806)) {
		t.Fatalf("envelope %+v", env)
	}
	if env.Error == nil || env.Error.Code != "500" || env.Error.Message != "boom" {
		t.Fatalf("error %+v", env.Error)
	}
	p, err := decodePAN(env.Data)
	if err != nil {
		t.Fatal(err)
	}
	if p.Number != "ABCDE1234F" || p.Status != PANValid || p.LastName != "RAHUL SHARMA" || p.FirstName != "" ||
		!p.AadhaarSeeded() || !p.LastUpdated.Equal(time.Date(2021, 6, 5, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("pan %+v", p)
	}
	for _, data := range []string{"", "null", "[]", "[null]", `{"pan_status":{}}`, `{"first_name":"A"}`} {
		if _, err := decodePAN([]byte(data)); err == nil {
			t.Errorf("%q: no error", data)
		}
	}
}
