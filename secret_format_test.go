package kyc_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// captureT is a testing.T stand-in that keeps what a failing assertion
// prints.
type captureT struct {
	out    strings.Builder
	failed bool
}

func (c *captureT) Errorf(format string, args ...any) {
	c.failed = true
	fmt.Fprintf(&c.out, format, args...)
}

// TestSecretOpaqueToTestify fails an assert.Equal on two configs inside a
// fake T and checks that neither secret reaches its message, diff included
// (testify's diff dumps with spew, methods disabled, following pointers).
func TestSecretOpaqueToTestify(t *testing.T) {
	t.Parallel()
	type config struct {
		APIUser string
		APIKey  kyc.Secret
		inner   struct{ token kyc.Secret }
	}
	const s1, s2 = "sk_live_AAAAsecretONE", "sk_live_BBBBsecretTWO"
	a := config{APIUser: "u1", APIKey: kyc.NewSecret(s1)}
	a.inner.token = kyc.NewSecret(s1)
	b := config{APIUser: "u2", APIKey: kyc.NewSecret(s2)}
	b.inner.token = kyc.NewSecret(s2)

	for name, check := range map[string]func(assert.TestingT) bool{
		"Equal":       func(ft assert.TestingT) bool { return assert.Equal(ft, a, b) },
		"Equal ptr":   func(ft assert.TestingT) bool { return assert.Equal(ft, &a, &b) },
		"EqualValues": func(ft assert.TestingT) bool { return assert.EqualValues(ft, a, b) },
		"Exactly":     func(ft assert.TestingT) bool { return assert.Exactly(ft, a, b) },
		"NotEqual":    func(ft assert.TestingT) bool { return assert.NotEqual(ft, a, a) },
		"Contains":    func(ft assert.TestingT) bool { return assert.Contains(ft, []config{a}, b) },
		"ElementsMatch": func(ft assert.TestingT) bool {
			return assert.ElementsMatch(ft, []config{a}, []config{b})
		},
		"Empty": func(ft assert.TestingT) bool { return assert.Empty(ft, a) },
		"Nil":   func(ft assert.TestingT) bool { return assert.Nil(ft, &b) },
	} {
		ft := &captureT{}
		assert.False(t, check(ft), name)
		require.True(t, ft.failed, name)
		out := ft.out.String()
		assert.NotEmpty(t, out)
		// spew dumps bytes 16 a line with an ASCII column: look for each
		// line's worth too.
		for _, secret := range []string{s1, s2, s1[:16], s2[:16], "sk_live_"} {
			assert.NotContains(t, out, secret, "%s printed a secret:\n%s", name, out)
		}
	}

	// Equal secrets stay equal for reflection, so configs still compare.
	c := config{APIUser: "u1", APIKey: kyc.NewSecret(s1)}
	c.inner.token = kyc.NewSecret(s1)
	assert.Equal(t, a, c)
	assert.NotEqual(t, a, b)
	assert.Equal(t, s1, a.APIKey.Reveal())
	assert.Equal(t, s1, c.inner.token.Reveal())
	for _, v := range []string{"", "x", strings.Repeat("long-secret-", 20), "héllo\x00"} {
		assert.Equal(t, v, kyc.NewSecret(v).Reveal(), "round trip of %d bytes", len(v))
	}
	assert.True(t, kyc.NewSecret("").IsZero())
}

// TestErrorFormatLeavesVendorMessageOut: no verb and no JSON of *Error
// prints VendorMessage or the cause's text.
func TestErrorFormatLeavesVendorMessageOut(t *testing.T) {
	t.Parallel()
	const vendor = "Dear MKVENDOR Beeblebrox, your passport X99 is invalid"
	cause := errors.New("Get https://api.example/x?name=MKCAUSE: reset")
	e := &kyc.Error{Provider: kyc.Atlas, Op: "atlas.VerifyPAN", Kind: kyc.ErrUnavailable, StatusCode: 502,
		Code: "E42", Message: "the vendor failed", VendorMessage: vendor, Field: "", RequestID: "req-123",
		RetryAfter: 2 * time.Second, Unprocessed: true, Reference: "atlas:REQ1", Err: cause}
	values := map[string]any{"*Error": e, "Error": *e, "wrapped": fmt.Errorf("ctx: %w", e), "[]error": []error{e},
		"struct": struct{ Err *kyc.Error }{e}}
	for name, v := range values {
		vs := verbs
		if name == "wrapped" {
			// fmt.wrapError keeps the *Error in an unexported field, which
			// fmt prints raw under a verb it finds bad for it (%t, %e…):
			// only fmt's own verbs for errors are tried there.
			vs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"}
		}
		for _, verb := range vs {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, "MKVENDOR", "%s %s: %s", name, verb, out)
			assert.NotContains(t, out, "MKCAUSE", "%s %s: %s", name, verb, out)
		}
	}
	gs := fmt.Sprintf("%#v", e)
	assert.Equal(t, e.GoString(), gs)
	for _, want := range []string{`&kyc.Error{Provider:"atlas"`, `Op:"atlas.VerifyPAN"`, `Kind:"provider unavailable"`,
		"StatusCode:502", `RequestID:"req-123"`, "Unprocessed:true", `Reference:"atlas:REQ1"`,
		"VendorMessage:[omitted, 54 bytes]", "Err:*errors.errorString"} {
		assert.Contains(t, gs, want)
	}
	assert.Equal(t, e.Error(), fmt.Sprintf("%v", e))
	assert.Equal(t, e.Error(), fmt.Sprintf("%+v", e))
	assert.Equal(t, fmt.Sprintf("%q", e.Error()), fmt.Sprintf("%q", e))

	b, err := json.Marshal(e)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "MKVENDOR")
	assert.NotContains(t, string(b), "MKCAUSE")
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, e.Error(), got["error"])
	assert.Equal(t, "provider unavailable", got["kind"])
	assert.Equal(t, "atlas:REQ1", got["reference"])
	assert.Equal(t, true, got["unprocessed"])
	assert.Equal(t, false, got["not_sent"])
	assert.NotContains(t, got, "vendor_message")
	b2, err := json.Marshal(struct{ E error }{e})
	require.NoError(t, err)
	assert.Contains(t, string(b2), `"error":`, "an *Error inside an error field marshals the same")
}
