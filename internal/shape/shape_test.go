package shape_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/shape"
	"github.com/kyc-go/kyc/internal/shape/shapetest"
)

// status is an enum of the test's own, allowed in printer.
type status string

// account is a named string that is not allowed: it holds data.
type account string

var printer = shape.New(status(""))

type inner struct {
	Name   string
	Status status
	Ok     bool
}

type sample struct {
	Name      string
	Account   account
	Number    int
	Age       int64
	Score     float64
	Status    status
	KYC       kyc.Status
	Reasons   []kyc.Reason
	Match     kyc.Score
	Class     kyc.Class
	Charged   kyc.Charge
	Wait      time.Duration
	Born      time.Time
	Key       kyc.Secret
	Raw       json.RawMessage
	Tags      []string
	Extra     map[string]string
	Inner     inner
	Ptr       *inner
	NilPtr    *inner
	Flag      *bool
	Any       any
	Err       error
	Fn        func()
	Done      bool
	secret    string
	deep      *sample
	Recursive *sample
}

func (s sample) Format(f fmt.State, verb rune) { printer.Write(f, verb, s) }
func (s sample) GoString() string              { return printer.GoString(s) }

type plain struct{ Name string }

func (p plain) Format(f fmt.State, verb rune) { shape.Format(f, verb, p) }
func (p plain) GoString() string              { return shape.GoString(p) }

func marked() sample {
	yes := true
	in := inner{Name: shapetest.Marker, Status: "ok", Ok: true}
	s := sample{
		Name: shapetest.Marker, Account: shapetest.Marker, Number: shapetest.Number, Age: shapetest.Number,
		Score: shapetest.Number, Status: "approved", KYC: kyc.StatusRejected,
		Reasons: []kyc.Reason{kyc.ReasonFaceMismatch, "free text " + shapetest.Marker}, Match: kyc.NewScore(0.5),
		Class: kyc.ClassMessaging, Charged: kyc.ChargePaid, Wait: 1500 * time.Millisecond,
		Born: time.Date(shapetest.Year, 1, 2, 0, 0, 0, 0, time.UTC), Key: kyc.NewSecret(shapetest.Marker),
		Raw: json.RawMessage(`"` + shapetest.Marker + `"`), Tags: []string{shapetest.Marker},
		Extra: map[string]string{shapetest.Marker: shapetest.Marker}, Inner: in, Ptr: &in, Flag: &yes,
		Any: shapetest.Marker, Err: fmt.Errorf("%s", shapetest.Marker), Fn: func() {}, Done: true,
		secret: shapetest.Marker,
	}
	s.deep = &s
	s.Recursive = &sample{Name: shapetest.Marker}
	for range 5 {
		s.Recursive = &sample{Name: shapetest.Marker, Recursive: s.Recursive}
	}
	return s
}

func TestNoMarkerUnderAnyVerb(t *testing.T) {
	t.Parallel()
	s := marked()
	for name, v := range map[string]any{
		"value": s, "pointer": &s, "slice": []sample{s}, "map": map[string]*sample{"k": &s},
		"nested": struct{ S sample }{s}, "plain": plain{Name: shapetest.Marker}, "*plain": &plain{Name: shapetest.Marker},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Empty(t, shapetest.Leaks(v))
		})
	}
}

func TestShapeSaysWhatIsSet(t *testing.T) {
	t.Parallel()
	s := marked()
	want := "{Name:set Account:set Number:set Age:set Score:set Status:approved KYC:rejected " +
		"Reasons:[face_mismatch ?] Match:0.5 Class:messaging Charged:paid Wait:1.5s Born:set Key:set " +
		"Raw:11 bytes Tags:1 items Extra:1 entries Inner:{Name:set Status:ok Ok:true} " +
		"Ptr:{Name:set Status:ok Ok:true} NilPtr:- Flag:true Any:set Err:set Fn:set Done:true " +
		"Recursive:{Name:set Account:- Number:- Age:- Score:- Status:- KYC:- Reasons:- Match:- Class:billed " +
		"Charged:unknown Wait:0s Born:- Key:- Raw:- Tags:- Extra:- Inner:{Name:- Status:- Ok:false} " +
		"Ptr:- NilPtr:- Flag:- Any:- Err:- Fn:- Done:false Recursive:{"
	for _, verb := range []string{"%v", "%+v", "%s", "%d", "%x"} {
		got := fmt.Sprintf(verb, s)
		require.Greater(t, len(got), len(want), verb)
		assert.Equal(t, want, got[:len(want)], verb)
	}
	assert.Equal(t, "shape_test.sample"+fmt.Sprint(s), fmt.Sprintf("%#v", s))
	assert.Equal(t, fmt.Sprintf("%#v", s), s.GoString())
	assert.Equal(t, fmt.Sprintf("%#v", &s), s.GoString(), "a pointer prints as its value")
	assert.Equal(t, fmt.Sprintf("%q", fmt.Sprint(s)), fmt.Sprintf("%q", s))
	assert.Equal(t, "<nil>", fmt.Sprint((*sample)(nil)))
	assert.Equal(t, "{Name:-}", fmt.Sprint(plain{}))
	assert.Equal(t, "shape_test.plain{Name:set}", fmt.Sprintf("%#v", &plain{Name: "x"}))
}

func TestDepthIsBounded(t *testing.T) {
	t.Parallel()
	s := marked()
	got := fmt.Sprint(s.Recursive)
	// Levels 1 to MaxDepth are shapes; the next one is only "set".
	assert.Equal(t, shape.MaxDepth+1, strings.Count(got, "{Name:set"), got)
	assert.Contains(t, got, "Inner:- Ptr:- NilPtr:- Flag:- Any:- Err:- Fn:- Done:false Recursive:set}}}}", got)
	assert.NotContains(t, got, shapetest.Marker)
}

func TestToken(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                       `""`,
		"approved":               "approved",
		"MANUAL_REVIEW-1.2":      "MANUAL_REVIEW-1.2",
		"1µs":                    "1µs",
		"two words":              "?",
		"line\nforged":           "?",
		"ümlaut":                 "?",
		string(make([]byte, 65)): "?",
	} {
		assert.Equal(t, want, shape.Token(in), "%q", in)
	}
}

func TestFillAndCheck(t *testing.T) {
	t.Parallel()
	var s sample
	shapetest.Fill(t, &s, printer.Allowed)
	assert.Equal(t, shapetest.Marker, s.Name)
	assert.Equal(t, status(""), s.Status, "allowed types stay zero")
	assert.Equal(t, kyc.Status(""), s.KYC, "allowed types stay zero")
	assert.True(t, printer.Allowed(reflect.TypeFor[time.Duration]()))
	assert.False(t, printer.Allowed(reflect.TypeFor[account]()))
	assert.False(t, printer.Allowed(reflect.TypeFor[int]()))
	assert.Equal(t, shapetest.Marker, s.Ptr.Name)
	assert.Equal(t, shapetest.Marker, s.Key.Reveal())
	// Without its Format, the filled value leaks under every verb.
	type bare struct{ S inner }
	assert.NotEmpty(t, shapetest.Leaks(bare{S: s.Inner}))
	assert.Len(t, shapetest.Leaks(&s), 0)
}

// TestFieldsAndTextFollowTheVerbs: a hand-built shape prints as the
// reflective Printer does under each verb.
func TestFieldsAndTextFollowTheVerbs(t *testing.T) {
	t.Parallel()
	var s shape.Fields
	s.Add("Status", shape.Token("approved"))
	s.Set("Name", true)
	s.Set("Unset", false)
	s.Add("Raw", shape.Bytes(3))
	v := handBuilt{s}
	assert.Equal(t, "{Status:approved Name:set Raw:3 bytes}", fmt.Sprint(v))
	assert.Equal(t, "{Status:approved Name:set Raw:3 bytes}", fmt.Sprintf("%+v", v))
	assert.Equal(t, "x.T{Status:approved Name:set Raw:3 bytes}", fmt.Sprintf("%#v", v))
	assert.Equal(t, `"{Status:approved Name:set Raw:3 bytes}"`, fmt.Sprintf("%q", v))
	assert.Equal(t, "{Status:approved Name:set Raw:3 bytes}", fmt.Sprintf("%x", v), "no verb reaches the value")
	assert.Equal(t, "{}", shape.Fields(nil).String())
}

type handBuilt struct{ s shape.Fields }

func (h handBuilt) Format(f fmt.State, verb rune) { h.s.Write(f, verb, "x.T") }
