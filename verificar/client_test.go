package verificar

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

const baseURL = "https://api.example.test/v7"

func mock(t *testing.T, opts ...kyc.Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	hc, mt := testutil.MockHTTP(t)
	c, err := New(Config{APIUser: "user", APIToken: kyc.NewSecret("tok3n")},
		append([]kyc.Option{kyc.WithHTTPClient(hc), kyc.WithBaseURL(baseURL), kyc.WithRetry(2, 10*time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, mt
}

// capture registers a responder that records the request body.
func capture(mt *httpmock.MockTransport, path string, status int, body string, got *map[string]any, hdr *http.Header) {
	mt.RegisterResponder(http.MethodPost, baseURL+path, func(r *http.Request) (*http.Response, error) {
		if got != nil {
			b, _ := io.ReadAll(r.Body)
			*got = map[string]any{}
			_ = json.Unmarshal(b, got)
		}
		if hdr != nil {
			*hdr = r.Header.Clone()
		}
		return httpmock.NewStringResponse(status, body), nil
	})
}

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	tok := kyc.NewSecret("t")
	for _, tt := range []struct {
		cfg   Config
		field string
	}{
		{Config{APIToken: tok}, "APIUser"},
		{Config{APIUser: "a:b", APIToken: tok}, "APIUser"},
		{Config{APIUser: "u\r\n", APIToken: tok}, "APIUser"},
		{Config{APIUser: "u"}, "APIToken"},
		{Config{APIUser: "u", APIToken: kyc.NewSecret("t\n")}, "APIToken"},
		{Config{APIUser: "u", APIToken: tok, WebhookUser: "w"}, "WebhookPassword"},
		{Config{APIUser: "u", APIToken: tok, WebhookPassword: kyc.NewSecret("p")}, "WebhookUser"},
		{Config{APIUser: "u", APIToken: tok, WebhookUser: "w:x", WebhookPassword: kyc.NewSecret("p")}, "WebhookUser"},
		{Config{APIUser: "u", APIToken: tok, WebhookUser: "w", WebhookPassword: kyc.NewSecret("p\x00")}, "WebhookPassword"},
		{Config{APIUser: "u", APIToken: tok, WebhookUser: "w", WebhookPassword: kyc.NewSecret("p"), AcceptUnauthenticatedWebhooks: true}, "AcceptUnauthenticatedWebhooks"},
		{Config{APIUser: "u", APIToken: tok, CertificateTimeout: -1}, "CertificateTimeout"},
		{Config{APIUser: "u", APIToken: tok, CertificateStallTimeout: -1}, "CertificateStallTimeout"},
	} {
		_, err := New(tt.cfg)
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr, tt.field)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
		assert.EqualValues(t, tt.field, kerr.Field)
		assert.Equal(t, "verificar.New", kerr.Op)
		assert.True(t, kerr.NotSent && kerr.Unprocessed)
	}
	_, err := New(Config{APIUser: "u", APIToken: tok}, kyc.WithBaseURL("http://api.mensatek.com/v7"))
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest, "plain http is refused")
	c, err := New(Config{APIUser: "u", APIToken: tok})
	require.NoError(t, err)
	assert.Equal(t, DefaultBaseURL, c.tc.BaseURL().String())
	assert.Equal(t, "verificar.Client", c.String())
	assert.Equal(t, "verificar.Client", fmt.Sprintf("%#v", c))
	assert.NoError(t, c.Close())

	// The certificate's bounds: the attempt timeout and the stall default.
	assert.Equal(t, 30*time.Second, c.certTimeout)
	assert.Equal(t, DefaultCertificateStallTimeout, c.certStall)
	c, err = New(Config{APIUser: "u", APIToken: tok}, kyc.WithTimeout(time.Second))
	require.NoError(t, err)
	assert.Equal(t, time.Second, c.certTimeout)
	c, err = New(Config{APIUser: "u", APIToken: tok, CertificateTimeout: time.Minute, CertificateStallTimeout: time.Second}, kyc.WithTimeout(time.Second))
	require.NoError(t, err)
	assert.Equal(t, time.Minute, c.certTimeout)
	assert.Equal(t, time.Second, c.certStall)
}

func TestSendVerificationWireFormat(t *testing.T) {
	c, mt := mock(t)
	var got map[string]any
	var hdr http.Header
	capture(mt, PathSend, 200, string(testutil.Fixture(t, "send_ok.json")), &got, &hdr)

	at := time.Date(2022, 5, 1, 13, 10, 0, 0, time.UTC) // 15:10 in Madrid (CEST)
	res, err := c.SendVerification(context.Background(), SendRequest{
		Phone: "+34600000001", Message: "Verify your identity: [LINK]", DNI: "00000000T", SendAt: at, Sender: "MiEmpresa",
	})
	require.NoError(t, err)
	assert.Equal(t, "299846332", res.ID)
	assert.Equal(t, 99.0, res.Credits)
	assert.JSONEq(t, string(testutil.Fixture(t, "send_ok.json")), string(res.Raw))

	// The documented sample's fields, Mensaje aside (the sample lacks [LINK]).
	var sample map[string]any
	require.NoError(t, json.Unmarshal(testutil.Fixture(t, "send_request_sample.json"), &sample))
	sample["Mensaje"] = "Verify your identity: [LINK]"
	assert.Equal(t, sample, got)
	assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte("user:tok3n")), hdr.Get("Authorization"))
	assert.Equal(t, "application/json", hdr.Get("Content-Type"))
}

func TestSendVerificationOmitsEmptyOptionals(t *testing.T) {
	c, mt := mock(t)
	var got map[string]any
	capture(mt, PathSend, 200, string(testutil.Fixture(t, "send_ok_object_strings.json")), &got, nil)
	res, err := c.SendVerification(context.Background(), SendRequest{Phone: "34600000001"})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"Telefono": "34600000001", "Resp": "JSON"}, got)
	assert.Equal(t, "299846332", res.ID, "numeric ID accepted")
	assert.Equal(t, 99.0, res.Credits, "Cred as a string accepted")
}

func TestFormatSendAt(t *testing.T) {
	for in, want := range map[time.Time]string{
		time.Date(2022, 5, 1, 13, 10, 0, 0, time.UTC):                      "2022-05-01 15:10",
		time.Date(2022, 1, 10, 14, 10, 59, 0, time.UTC):                    "2022-01-10 15:10",
		time.Date(2024, 3, 31, 0, 59, 0, 0, time.UTC):                      "2024-03-31 01:59",
		time.Date(2024, 3, 31, 1, 0, 0, 0, time.UTC):                       "2024-03-31 03:00",
		time.Date(2022, 5, 1, 9, 10, 0, 0, time.FixedZone("EDT", -4*3600)): "2022-05-01 15:10",
	} {
		assert.Equal(t, want, FormatSendAt(in), in.String())
	}
}

// TestEUZoneMatchesTZData checks the fallback used without a time zone
// database against the database, hour by hour over 2020-2035.
func TestEUZoneMatchesTZData(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Skip("no time zone database on this machine")
	}
	for tt := time.Date(2020, 1, 1, 0, 30, 0, 0, time.UTC); tt.Year() < 2036; tt = tt.Add(time.Hour) {
		want := tt.In(loc).Format(SendAtLayout)
		if got := tt.In(euZone(tt)).Format(SendAtLayout); got != want {
			t.Fatalf("%s: got %s, want %s", tt, got, want)
		}
	}
}

func TestBadInputSendsNothing(t *testing.T) {
	c, mt := mock(t)
	capture(mt, PathSend, 200, `[{"Res":1,"ID":"1","Cred":1}]`, nil, nil)
	for _, tt := range []struct {
		name  string
		req   SendRequest
		field string
	}{
		{"no phone", SendRequest{}, "Phone"},
		{"letters in phone", SendRequest{Phone: "34-600-000-001"}, "Phone"},
		{"short phone", SendRequest{Phone: "600"}, "Phone"},
		{"double plus", SendRequest{Phone: "++34600000001"}, "Phone"},
		{"national number", SendRequest{Phone: "600000001"}, "Phone"},
		{"national landline", SendRequest{Phone: "912345678"}, "Phone"},
		{"international prefix 00", SendRequest{Phone: "0034600000001"}, "Phone"},
		{"trunk prefix", SendRequest{Phone: "+0600000001"}, "Phone"},
		{"spaces", SendRequest{Phone: "+34 600 000 001"}, "Phone"},
		{"too long", SendRequest{Phone: "+3460000000112345"}, "Phone"},
		{"not in service", SendRequest{Phone: "34500000001"}, "Phone"},
		{"sender of 12", SendRequest{Phone: "34600000001", Sender: "ABCDEFGHIJKL"}, "Sender"},
		{"message without [LINK]", SendRequest{Phone: "34600000001", Message: "Hola"}, "Message"},
		{"control chars", SendRequest{Phone: "34600000001", Message: "[LINK]\x00"}, "Message"},
		{"DNI too long", SendRequest{Phone: "34600000001", DNI: strings.Repeat("9", 65)}, "DNI"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.SendVerification(context.Background(), tt.req)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
			assert.EqualValues(t, tt.field, kerr.Field)
			assert.Equal(t, "verificar.SendVerification", kerr.Op)
			assert.True(t, kerr.NotSent, "refused before sending")
			assert.False(t, kyc.MayHaveCharged(err))
		})
	}
	assert.Zero(t, mt.GetTotalCallCount(), "bad input sends nothing")

	_, err := c.SendVerification(context.Background(), SendRequest{Phone: "34600000001", Sender: "ÁÉÍÓÚñÑçÇüÜ"})
	assert.NoError(t, err, "11 characters, more bytes, is within the limit")
}

// TestResCodes covers every documented Res code, in both answer forms, for
// each typed method.
func TestResCodes(t *testing.T) {
	codes := []struct {
		res  string
		kind error
	}{
		{"-1", kyc.ErrUnauthorized}, {"-2", kyc.ErrInsufficientCredit}, {"-3", kyc.ErrInvalidRequest},
		{"-4", kyc.ErrForbidden}, {"-5", kyc.ErrUnavailable}, {"-6", kyc.ErrUnavailable},
		{"-7", kyc.ErrUnavailable}, {"-99", kyc.ErrBadResponse},
	}
	calls := map[string]func(c *Client) error{
		PathSend: func(c *Client) error {
			_, err := c.SendVerification(context.Background(), SendRequest{Phone: "34600000001"})
			return err
		},
		PathCredits: func(c *Client) error { _, err := c.Credits(context.Background()); return err },
		PathCertificate: func(c *Client) error {
			return c.Certificate(context.Background(), "1283876988", io.Discard)
		},
	}
	for path, call := range calls {
		for _, code := range codes {
			for _, form := range []string{`[{"Res":%s,"Error":"Falta Telefono"}]`, `{"Res":"%s","Error":"Falta Telefono"}`} {
				c, mt := mock(t)
				body := strings.Replace(form, "%s", code.res, 1)
				capture(mt, path, 200, body, nil, nil)
				err := call(c)
				var kerr *kyc.Error
				require.ErrorAs(t, err, &kerr, path+" "+body)
				assert.ErrorIs(t, err, code.kind, path+" "+body)
				assert.Equal(t, code.res, kerr.Code)
				assert.Equal(t, 200, kerr.StatusCode)
				assert.True(t, kerr.MayHaveBeenSent())
				if code.res == "-3" {
					assert.Contains(t, kerr.VendorMessage, "Falta Telefono", "the vendor's Error text is kept")
					assert.NotContains(t, kerr.Error(), "Falta Telefono", "but not printed")
				}
				assert.Equal(t, 1, mt.GetTotalCallCount(), "never retried")
			}
		}
	}
}

// TestWireFailures runs every operation through HTTP failures and counts
// the requests: the send (messaging) is never resent once written, the
// reads (free) are retried like reads, the generic Call (billed by default)
// only when refused unprocessed. Authentication failures never are.
func TestWireFailures(t *testing.T) {
	t.Parallel()
	type call func(ctx context.Context, c *Client) error
	ops := []struct {
		path  string
		class kyc.Class
		fn    call
	}{
		{PathSend, kyc.ClassMessaging, func(ctx context.Context, c *Client) error {
			_, err := c.SendVerification(ctx, SendRequest{Phone: "34600000001"})
			return err
		}},
		{PathCredits, kyc.ClassFree, func(ctx context.Context, c *Client) error { _, err := c.Credits(ctx); return err }},
		{PathCertificate, kyc.ClassFree, func(ctx context.Context, c *Client) error { return c.Certificate(ctx, "1", io.Discard) }},
		{"/GetOtra", kyc.ClassBilled, func(ctx context.Context, c *Client) error {
			return c.Call(ctx, kyc.Operation{Path: "/GetOtra"}, nil, nil)
		}},
	}
	// sends is how many requests each class makes (WithRetry(2)).
	type sends map[kyc.Class]int
	cases := []struct {
		name   string
		status int
		body   string
		kind   error
		sends  sends
	}{
		{"500", 500, `<html>oops</html>`, kyc.ErrUnavailable, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 3, kyc.ClassBilled: 1}},
		{"502", 502, ``, kyc.ErrUnavailable, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 3, kyc.ClassBilled: 1}},
		{"503", 503, `{}`, kyc.ErrUnavailable, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 3, kyc.ClassBilled: 3}},
		{"429", 429, ``, kyc.ErrRateLimited, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 3, kyc.ClassBilled: 3}},
		{"401", 401, `{"Res":-1}`, kyc.ErrUnauthorized, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 1, kyc.ClassBilled: 1}},
		{"403", 403, ``, kyc.ErrUnauthorized, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 1, kyc.ClassBilled: 1}},
		{"403 with Res 1", 403, `[{"Res":1}]`, kyc.ErrUnauthorized, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 1, kyc.ClassBilled: 1}},
		{"Res -1 in a 200", 200, `[{"Res":-1}]`, kyc.ErrUnauthorized, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 1, kyc.ClassBilled: 1}},
		{"malformed", 200, `{"Res": 1,,}`, kyc.ErrBadResponse, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 1, kyc.ClassBilled: 1}},
		{"no Res", 200, `[{"ID":"1"}]`, kyc.ErrBadResponse, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 1, kyc.ClassBilled: 1}},
		{"empty array", 200, `[]`, kyc.ErrBadResponse, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 1, kyc.ClassBilled: 1}},
		// Res only in integer form: none of these is the success code 1.
		{"Res 1.9", 200, `[{"Res":1.9,"ID":"1","Cred":1}]`, kyc.ErrBadResponse, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 1, kyc.ClassBilled: 1}},
		{"Res 1.0", 200, `[{"Res":1.0,"ID":"1","Cred":1}]`, kyc.ErrBadResponse, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 1, kyc.ClassBilled: 1}},
		{"Res 1e0", 200, `[{"Res":1e0,"ID":"1","Cred":1}]`, kyc.ErrBadResponse, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 1, kyc.ClassBilled: 1}},
		{"Res hex", 200, `[{"Res":"0x1p0","ID":"1","Cred":1}]`, kyc.ErrBadResponse, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 1, kyc.ClassBilled: 1}},
		{"Res 1.5 string", 200, `[{"Res":"1.5","ID":"1","Cred":1}]`, kyc.ErrBadResponse, sends{kyc.ClassMessaging: 1, kyc.ClassFree: 1, kyc.ClassBilled: 1}},
	}
	for _, o := range ops {
		for _, tt := range cases {
			t.Run(o.path+" "+tt.name, func(t *testing.T) {
				t.Parallel()
				c, mt := mock(t)
				capture(mt, o.path, tt.status, tt.body, nil, nil)
				err := o.fn(context.Background(), c)
				require.Error(t, err)
				assert.ErrorIs(t, err, tt.kind)
				var kerr *kyc.Error
				require.ErrorAs(t, err, &kerr)
				assert.Equal(t, tt.status, kerr.StatusCode)
				assert.True(t, strings.HasPrefix(kerr.Op, "verificar."), kerr.Op)
				assert.Equal(t, tt.sends[o.class], mt.GetTotalCallCount(), "%s (%s)", tt.name, o.class)
			})
		}
		t.Run(o.path+" cancelled", func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t)
			capture(mt, o.path, 200, `[{"Res":1,"ID":"1","Cred":1}]`, nil, nil)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := o.fn(ctx, c)
			assert.ErrorIs(t, err, kyc.ErrTimeout)
			assert.ErrorIs(t, err, context.Canceled)
			assert.Zero(t, mt.GetTotalCallCount())
		})
	}
}

// TestBOMAnswers: a UTF-8 BOM or an XSSI guard before a JSON answer
// decodes; a charged send behind one is a success, not ErrBadResponse.
func TestBOMAnswers(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{"\xef\xbb\xbf", ")]}',\n", "\xef\xbb\xbf)]}',\n"} {
		c, mt := mock(t)
		capture(mt, PathSend, 200, prefix+string(testutil.Fixture(t, "send_ok.json")), nil, nil)
		capture(mt, PathCredits, 200, prefix+string(testutil.Fixture(t, "credits_ok.json")), nil, nil)
		capture(mt, PathCertificate, 200, prefix+string(testutil.Fixture(t, "error_invalid.json")), nil, nil)
		capture(mt, "/GetOtra", 200, prefix+`{"Res":1,"Extra":"x"}`, nil, nil)

		res, err := c.SendVerification(context.Background(), SendRequest{Phone: "34600000001"})
		require.NoError(t, err, "%q", prefix)
		assert.Equal(t, "299846332", res.ID)
		assert.Equal(t, 99.0, res.Credits)
		assert.True(t, json.Valid(res.Raw), "Raw is JSON, without the prefix")

		n, err := c.Credits(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 1523.5, n)

		err = c.Certificate(context.Background(), "1", io.Discard)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, "a Res -3 behind a BOM is the vendor's error")

		var out struct{ Extra string }
		require.NoError(t, c.Call(context.Background(), kyc.Operation{Path: "/GetOtra", Class: kyc.ClassFree}, nil, &out))
		assert.Equal(t, "x", out.Extra)
		assert.Equal(t, 1, mt.GetCallCountInfo()["POST "+baseURL+PathSend])
	}
}

func TestSendWithoutID(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`[{"Res":1,"Cred":5}]`, `[{"Res":1,"ID":"../x","Cred":5}]`, `[{"Res":1,"ID":"123456789012345678901"}]`} {
		c, mt := mock(t)
		capture(mt, PathSend, 200, body, nil, nil)
		_, err := c.SendVerification(context.Background(), SendRequest{Phone: "34600000001"})
		assert.ErrorIs(t, err, kyc.ErrBadResponse, body)
		assert.True(t, kyc.MayHaveCharged(err), "the SMS may have gone out")
	}
}

// TestPhoneSentAsDigits: the E.164 form that kyc.Request validation
// produces is sent in Mensatek's form, digits only; a national number is
// refused before sending with the expected form in the message.
func TestPhoneSentAsDigits(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	var got map[string]any
	capture(mt, PathSend, 200, string(testutil.Fixture(t, "send_ok.json")), &got, nil)
	for _, phone := range []string{"+34600000001", "34600000001"} {
		_, err := c.SendVerification(context.Background(), SendRequest{Phone: phone})
		require.NoError(t, err)
		assert.Equal(t, "34600000001", got["Telefono"], phone)
		_, err = c.Verify(context.Background(), kyc.Request{Country: "ESP", Person: kyc.Person{Phone: phone}})
		require.NoError(t, err)
		assert.Equal(t, "34600000001", got["Telefono"], phone)
	}
	// Verify has the Country: a national number is normalised, then sent
	// in Mensatek's form.
	_, err := c.Verify(context.Background(), kyc.Request{Country: "ESP", Person: kyc.Person{Phone: "600 000 001"}})
	require.NoError(t, err)
	assert.Equal(t, "34600000001", got["Telefono"])

	// SendVerification has none: a national number is refused.
	before := mt.GetTotalCallCount()
	_, err = c.SendVerification(context.Background(), SendRequest{Phone: "600000001"})
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
	assert.EqualValues(t, "Phone", kerr.Field)
	assert.Contains(t, kerr.Message, "national number")
	assert.Contains(t, kerr.Error(), "such as 34600000001", "the message says which form is expected")
	assert.Equal(t, before, mt.GetTotalCallCount(), "nothing sent, no credit spent")
}

func TestCredits(t *testing.T) {
	c, mt := mock(t)
	var got map[string]any
	capture(mt, PathCredits, 200, string(testutil.Fixture(t, "credits_ok.json")), &got, nil)
	n, err := c.Credits(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1523.5, n)
	assert.Equal(t, map[string]any{"Resp": "JSON"}, got)
}

func TestCall(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	var got map[string]any
	capture(mt, "/GetOtra", 200, `[{"Res":"1","Cred":"7","Extra":"x"}]`, &got, nil)
	op := kyc.Operation{Path: "/GetOtra", Class: kyc.ClassFree}
	var out struct{ Extra string }
	require.NoError(t, c.Call(context.Background(), op, map[string]any{"Id": 3, "resp": "XML"}, &out))
	assert.Equal(t, "x", out.Extra)
	assert.Equal(t, map[string]any{"Id": 3.0, "Resp": "JSON"}, got, "Resp is forced to JSON whatever its case")

	for name, in := range map[string]any{
		"struct":      struct{ Id string }{"3"},
		"raw":         json.RawMessage(`{"Id":"3"}`),
		"bytes":       []byte(`{"Id":"3","RESP":"TXT"}`),
		"url.Values":  url.Values{"Id": {"3"}},
		"string map":  map[string]string{"Id": "3"},
		"nil is Resp": nil,
	} {
		require.NoError(t, c.Call(context.Background(), op, in, nil), name)
		want := map[string]any{"Id": "3", "Resp": "JSON"}
		if in == nil {
			want = map[string]any{"Resp": "JSON"}
		}
		assert.Equal(t, want, got, name)
	}
	var raw json.RawMessage
	require.NoError(t, c.Call(context.Background(), op, nil, &raw))
	assert.JSONEq(t, `{"Res":"1","Cred":"7","Extra":"x"}`, string(raw), "the first element of the array")

	before := mt.GetTotalCallCount()
	for name, tt := range map[string]struct {
		op    kyc.Operation
		in    any
		field string
	}{
		"absolute URL": {kyc.Operation{Path: "https://evil.example/"}, nil, "op.Path"},
		"no path":      {kyc.Operation{}, nil, "op.Path"},
		"CRLF in path": {kyc.Operation{Path: "/x\r\nHost: evil"}, nil, "op.Path"},
		"not object":   {op, []int{1, 2}, "in"},
		"bad JSON":     {op, []byte(`{"Id":`), "in"},
		"func":         {op, func() {}, "in"},
	} {
		err := c.Call(context.Background(), tt.op, tt.in, nil)
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr, name)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, name)
		assert.EqualValues(t, tt.field, kerr.Field, name)
		assert.Equal(t, "verificar.Call", kerr.Op, name)
		assert.True(t, kerr.NotSent, name)
	}
	assert.Equal(t, before, mt.GetTotalCallCount(), "refused calls send nothing")

	// A vendor error is the typed methods' error, under the op's name.
	capture(mt, "/EnviarSMS", 200, `[{"Res":-2}]`, nil, nil)
	err := c.Call(context.Background(), kyc.Operation{Name: "verificar.EnviarSMS", Path: "/EnviarSMS", Class: kyc.ClassMessaging}, nil, nil)
	assert.ErrorIs(t, err, kyc.ErrInsufficientCredit)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.Equal(t, "verificar.EnviarSMS", kerr.Op)
	assert.Equal(t, "-2", kerr.Code)
}

func TestCertificate(t *testing.T) {
	pdf := "%PDF-1.4\n" + strings.Repeat("x", 100<<10) + "\n%%EOF\n"
	tests := []struct {
		name, ct, body string
		status         int
		kind           error
		want           string
	}{
		{"pdf", "application/pdf", pdf, 200, nil, pdf},
		{"pdf without content type", "", pdf, 200, nil, pdf},
		{"short pdf", "application/pdf", "%PDF-", 200, nil, "%PDF-"},
		{"declared pdf, other bytes", "application/pdf", "binary", 200, nil, "binary"},
		{"json error", "application/json", string(testutil.Fixture(t, "error_invalid.json")), 200, kyc.ErrInvalidRequest, ""},
		{"json error declared pdf", "application/pdf", `[{"Res":-1}]`, 200, kyc.ErrUnauthorized, ""},
		{"res 1 without pdf", "application/json", `[{"Res":1}]`, 200, kyc.ErrBadResponse, ""},
		{"html", "text/html", "<html>error</html>", 200, kyc.ErrBadResponse, ""},
		{"404 pdf", "application/pdf", pdf, 404, kyc.ErrNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := mock(t)
			var got map[string]any
			mt.RegisterResponder(http.MethodPost, baseURL+PathCertificate, func(r *http.Request) (*http.Response, error) {
				b, _ := io.ReadAll(r.Body)
				_ = json.Unmarshal(b, &got)
				resp := httpmock.NewStringResponse(tt.status, tt.body)
				if tt.ct != "" {
					resp.Header.Set("Content-Type", tt.ct)
				}
				return resp, nil
			})
			var out strings.Builder
			err := c.Certificate(context.Background(), "1283876988", &out)
			var sample map[string]any
			require.NoError(t, json.Unmarshal(testutil.Fixture(t, "certificate_request_sample.json"), &sample))
			assert.Equal(t, sample, got, "the documented request body")
			if tt.kind == nil {
				require.NoError(t, err)
				assert.Equal(t, tt.want, out.String())
				return
			}
			assert.ErrorIs(t, err, tt.kind)
			assert.Zero(t, out.Len(), "nothing written for an error")
		})
	}
}

func TestCertificateBadInput(t *testing.T) {
	c, mt := mock(t)
	for _, id := range []string{"", "12a", "../x", strings.Repeat("1", 21)} {
		var kerr *kyc.Error
		require.ErrorAs(t, c.Certificate(context.Background(), id, io.Discard), &kerr, id)
		assert.EqualValues(t, "id", kerr.Field)
	}
	assert.ErrorIs(t, c.Certificate(context.Background(), "1", nil), kyc.ErrInvalidRequest)
	assert.Zero(t, mt.GetTotalCallCount())
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestCertificateWriterFails(t *testing.T) {
	c, mt := mock(t)
	capture(mt, PathCertificate, 200, "%PDF-1.4 abc", nil, nil)
	err := c.Certificate(context.Background(), "1", failWriter{})
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.EqualValues(t, "w", kerr.Field)
	assert.EqualError(t, kerr.Err, "disk full")
}

func TestNothingSecretLeaks(t *testing.T) {
	logger, logs := testutil.CaptureLogger()
	c, mt := mock(t, kyc.WithLogger(logger))
	capture(mt, PathSend, 200, `[{"Res":-3,"Error":"Telefono 34611222333 no válido"}]`, nil, nil)
	_, err := c.SendVerification(context.Background(), SendRequest{Phone: "34611222333", DNI: "12345678Z", Message: "Hola Maria [LINK]"})
	require.Error(t, err)
	all := err.Error() + logs.String()
	for _, s := range []string{"tok3n", "dXNlcjp0b2szbg", "611222333", "12345678Z", "Maria"} {
		assert.NotContains(t, all, s)
	}
}
