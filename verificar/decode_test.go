package verificar

import (
	"errors"
	"testing"

	"github.com/kyc-go/kyc"
)

// TestDecodeForms pins the loose forms the wire-tag decoding reads: a
// Result sent as a one-element array, [null] as no Result, keys in any
// case, and an envelope of null as one without Res.
func TestDecodeForms(t *testing.T) {
	for body, want := range map[string]kyc.Status{
		`{"ID":"1","Estado":5001,"Result":[{"Resultado":"-9","DNI":{"Nombre":"A, B","DNI":123}}]}`: kyc.StatusRejected,
		`{"ID":"1","Estado":5001,"Result":[null]}`:                                                 kyc.StatusReview,
		`{"id":" 12 ","estado":"5500","result":{"resultado":-3}}`:                                  kyc.StatusRejected,
	} {
		ev, err := parseReport("test", "application/json", []byte(body))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if ev.Result.Status != want {
			t.Errorf("%s: status %s, want %s", body, ev.Result.Status, want)
		}
	}
	ev, err := parseReport("test", "application/json", []byte(`{"ID":"1","Estado":5001,"Result":[{"Resultado":"-9","DNI":{"Nombre":"A, B","DNI":123}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if d := ev.Result.Document; d == nil || d.Number != "123" || d.FirstName != "B" || d.LastName != "A" {
		t.Errorf("document %+v", d)
	}
	for _, b := range []string{`null`, `[null]`} {
		if _, err := decodeEnvelope([]byte(b)); !errors.Is(err, errNoRes) {
			t.Errorf("%s: %v, want errNoRes", b, err)
		}
	}
	env, err := decodeEnvelope([]byte(`[{"res":1,"cred":"2,5","id":7}]`))
	if err != nil || !env.HasCred || env.Cred != 2.5 || env.ID != "7" {
		t.Errorf("envelope %+v, %v", env, err)
	}
	if env, err := decodeEnvelope([]byte(`{"Res":"1","Cred":" "}`)); err != nil || env.HasCred {
		t.Errorf("blank Cred: %+v, %v", env, err)
	}
}
