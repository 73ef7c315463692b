package verificar

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

const base = "https://api.example.test/v7"

func newMock(t *testing.T, opts ...kyc.Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	hc, mt := testutil.MockHTTP(t)
	c, err := New(Config{APIUser: "user", APIToken: kyc.NewSecret("tok3n")},
		append([]kyc.Option{kyc.WithHTTPClient(hc), kyc.WithBaseURL(base), kyc.WithRetry(2, 10*time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, mt
}

// capture registers a responder that records the request body.
func capture(mt *httpmock.MockTransport, path string, status int, body string, got *map[string]any, hdr *http.Header) {
	mt.RegisterResponder(http.MethodPost, base+path, func(r *http.Request) (*http.Response, error) {
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
	for _, tt := range []struct {
		cfg   Config
		field string
	}{
		{Config{APIToken: kyc.NewSecret("t")}, "APIUser"},
		{Config{APIUser: "a:b", APIToken: kyc.NewSecret("t")}, "APIUser"},
		{Config{APIUser: "u"}, "APIToken"},
		{Config{APIUser: "u", APIToken: kyc.NewSecret("t"), WebhookUser: "w"}, "WebhookPassword"},
	} {
		_, err := New(tt.cfg)
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
		assert.Equal(t, tt.field, kerr.Field)
	}
	_, err := New(Config{APIUser: "u", APIToken: kyc.NewSecret("t")}, kyc.WithBaseURL("http://api.mensatek.com/v7"))
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest, "plain http is refused")
	c, err := New(Config{APIUser: "u", APIToken: kyc.NewSecret("t")})
	require.NoError(t, err)
	assert.Equal(t, DefaultBaseURL, c.tc.BaseURL().String())
}

func TestSendVerificationWireFormat(t *testing.T) {
	c, mt := newMock(t)
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
	c, mt := newMock(t)
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
	c, mt := newMock(t)
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
			assert.Equal(t, tt.field, kerr.Field)
			assert.Equal(t, "verificar.SendVerification", kerr.Op)
			assert.False(t, kerr.Sent)
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
				c, mt := newMock(t)
				body := strings.Replace(form, "%s", code.res, 1)
				capture(mt, path, 200, body, nil, nil)
				err := call(c)
				var kerr *kyc.Error
				require.ErrorAs(t, err, &kerr, path+" "+body)
				assert.ErrorIs(t, err, code.kind, path+" "+body)
				assert.Equal(t, code.res, kerr.Code)
				assert.Equal(t, 200, kerr.StatusCode)
				assert.True(t, kerr.Sent)
				if code.res == "-3" {
					assert.Contains(t, kerr.VendorMessage, "Falta Telefono", "the vendor's Error text is kept")
					assert.NotContains(t, kerr.Error(), "Falta Telefono", "but not printed")
				}
				assert.Equal(t, 1, mt.GetTotalCallCount(), "never retried")
			}
		}
	}
}

func TestFailurePaths(t *testing.T) {
	type call func(ctx context.Context, c *Client) error
	calls := map[string]call{
		PathSend: func(ctx context.Context, c *Client) error {
			_, err := c.SendVerification(ctx, SendRequest{Phone: "34600000001"})
			return err
		},
		PathCredits:     func(ctx context.Context, c *Client) error { _, err := c.Credits(ctx); return err },
		PathCertificate: func(ctx context.Context, c *Client) error { return c.Certificate(ctx, "1", io.Discard) },
		"/GetOtra":      func(ctx context.Context, c *Client) error { return c.Call(ctx, "/GetOtra", nil, nil) },
	}
	cases := []struct {
		name   string
		status int
		body   string
		kind   error
	}{
		{"500", 500, `<html>oops</html>`, kyc.ErrUnavailable},
		{"502", 502, ``, kyc.ErrUnavailable},
		{"503", 503, `{}`, kyc.ErrUnavailable},
		{"429", 429, ``, kyc.ErrRateLimited},
		{"401", 401, `{"Res":-1}`, kyc.ErrUnauthorized},
		{"403", 403, ``, kyc.ErrUnauthorized},
		{"403 with Res 1", 403, `[{"Res":1}]`, kyc.ErrUnauthorized},
		{"malformed", 200, `{"Res": 1,,}`, kyc.ErrBadResponse},
		{"no Res", 200, `[{"ID":"1"}]`, kyc.ErrBadResponse},
		{"empty array", 200, `[]`, kyc.ErrBadResponse},
	}
	for path, fn := range calls {
		for _, tt := range cases {
			t.Run(path+" "+tt.name, func(t *testing.T) {
				c, mt := newMock(t)
				capture(mt, path, tt.status, tt.body, nil, nil)
				err := fn(context.Background(), c)
				require.Error(t, err)
				assert.ErrorIs(t, err, tt.kind)
				var kerr *kyc.Error
				require.ErrorAs(t, err, &kerr)
				assert.Equal(t, tt.status, kerr.StatusCode)
				assert.True(t, strings.HasPrefix(kerr.Op, "verificar."), kerr.Op)
				assert.Equal(t, 1, mt.GetTotalCallCount(), "sent once, never retried")
			})
		}
		t.Run(path+" cancelled", func(t *testing.T) {
			c, mt := newMock(t)
			capture(mt, path, 200, `[{"Res":1,"ID":"1","Cred":1}]`, nil, nil)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := fn(ctx, c)
			assert.ErrorIs(t, err, kyc.ErrTimeout)
			assert.ErrorIs(t, err, context.Canceled)
			assert.Zero(t, mt.GetTotalCallCount())
		})
	}
}

func TestSendWithoutID(t *testing.T) {
	c, mt := newMock(t)
	capture(mt, PathSend, 200, `[{"Res":1,"Cred":5}]`, nil, nil)
	_, err := c.SendVerification(context.Background(), SendRequest{Phone: "34600000001"})
	assert.ErrorIs(t, err, kyc.ErrBadResponse)
}

func TestCredits(t *testing.T) {
	c, mt := newMock(t)
	var got map[string]any
	capture(mt, PathCredits, 200, string(testutil.Fixture(t, "credits_ok.json")), &got, nil)
	n, err := c.Credits(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1523.5, n)
	assert.Equal(t, map[string]any{"Resp": "JSON"}, got)
}

func TestCall(t *testing.T) {
	c, mt := newMock(t)
	var got map[string]any
	capture(mt, "/GetOtra", 200, `[{"Res":"1","Cred":"7","Extra":"x"}]`, &got, nil)
	var out struct{ Extra string }
	require.NoError(t, c.Call(context.Background(), "/GetOtra", map[string]any{"Id": 3, "resp": "XML"}, &out))
	assert.Equal(t, "x", out.Extra)
	assert.Equal(t, map[string]any{"Id": 3.0, "Resp": "JSON"}, got, "Resp is forced to JSON whatever its case")

	assert.ErrorIs(t, c.Call(context.Background(), "https://evil.example/", nil, nil), kyc.ErrInvalidRequest)
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
			c, mt := newMock(t)
			var got map[string]any
			mt.RegisterResponder(http.MethodPost, base+PathCertificate, func(r *http.Request) (*http.Response, error) {
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
	c, mt := newMock(t)
	for _, id := range []string{"", "12a", "../x", strings.Repeat("1", 21)} {
		var kerr *kyc.Error
		require.ErrorAs(t, c.Certificate(context.Background(), id, io.Discard), &kerr, id)
		assert.Equal(t, "id", kerr.Field)
	}
	assert.ErrorIs(t, c.Certificate(context.Background(), "1", nil), kyc.ErrInvalidRequest)
	assert.Zero(t, mt.GetTotalCallCount())
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestCertificateWriterFails(t *testing.T) {
	c, mt := newMock(t)
	capture(mt, PathCertificate, 200, "%PDF-1.4 abc", nil, nil)
	err := c.Certificate(context.Background(), "1", failWriter{})
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.Equal(t, "w", kerr.Field)
	assert.EqualError(t, kerr.Err, "disk full")
}

func TestNothingSecretLeaks(t *testing.T) {
	logger, logs := testutil.CaptureLogger()
	c, mt := newMock(t, kyc.WithLogger(logger))
	capture(mt, PathSend, 200, `[{"Res":-3,"Error":"Telefono 34611222333 no válido"}]`, nil, nil)
	_, err := c.SendVerification(context.Background(), SendRequest{Phone: "34611222333", DNI: "12345678Z", Message: "Hola Maria [LINK]"})
	require.Error(t, err)
	all := err.Error() + logs.String()
	for _, s := range []string{"tok3n", "dXNlcjp0b2szbg", "611222333", "12345678Z", "Maria"} {
		assert.NotContains(t, all, s)
	}
}
