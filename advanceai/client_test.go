package advanceai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

const (
	urlToken    = DefaultBaseURL + PathGenerateToken
	urlGenerate = DefaultBaseURL + PathGenerateURL
	urlResult   = DefaultBaseURL + PathGetResult
	// fixtureToken is the token in testdata/token_success.json.
	fixtureToken = "eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJoNV9saXZlbmVzcyIsInN1YiI6IntcImN1c3RvbWVySWRcIjo1NTAwMDI4MixcImFjY291bnRJZFwiOjU1MDAwMjg0LFwicmVhbElwXCI6XCI0NS4yNTEuMTA3LjExMVwifSIsImF1ZCI6IldFQiIsImlhdCI6MTY0MjU4MDA3MiwiZXhwIjoxNjQyNTgwMTkyfQ.HmIDcuSW67A59x7bnumjGp0Wdcz-FmoDrnHF1YGui6wVPfulLn4Izonay5LQnySgph1dbyC1E0LtifS-BJo8VA"
	secretKey    = "test-secret-key"
)

// fixtureNow is the fixture token's issue time (its JWT iat), so its
// expiredTime, 120 s later, is in the future.
var fixtureNow = time.UnixMilli(1642580072000)

func testConfig() Config {
	return Config{AccessKey: "test-access-key", SecretKey: kyc.NewSecret(secretKey)}
}

// mock returns a client on an httpmock transport, with the clock at
// fixtureNow and the token endpoint answering the documented SUCCESS.
func mock(t *testing.T, opts ...kyc.Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	hc, mt := testutil.MockHTTP(t)
	mt.RegisterResponder(http.MethodPost, urlToken, httpmock.NewBytesResponder(200, testutil.Fixture(t, "token_success.json")))
	opts = append([]kyc.Option{kyc.WithHTTPClient(hc), kyc.WithClock(func() time.Time { return fixtureNow }), kyc.WithRetry(0, 0)}, opts...)
	c, err := New(testConfig(), opts...)
	require.NoError(t, err)
	return c, mt
}

func calls(mt *httpmock.MockTransport, url string) int {
	return mt.GetCallCountInfo()[http.MethodPost+" "+url]
}

func requireKind(t *testing.T, err error, kind error) *kyc.Error {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, kind)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.Equal(t, kyc.AdvanceAI, kerr.Provider)
	return kerr
}

func TestSignatureVector(t *testing.T) {
	t.Parallel()
	// From the vendor's Token Authentication API documentation.
	got := Signature("sampleaccesskey", kyc.NewSecret("samplesecretkey"), 1665993522952)
	assert.Equal(t, "02209bbeaf0d0a3dd587f6a1ba22f84c98d142e3b545e77db7e4906ca56349f5", got)
}

func TestNewValidation(t *testing.T) {
	t.Parallel()
	ok := testConfig()
	tests := []struct {
		name  string
		cfg   func(Config) Config
		opts  []kyc.Option
		field string
	}{
		{"empty access key", func(c Config) Config { c.AccessKey = " "; return c }, nil, "AccessKey"},
		{"control in access key", func(c Config) Config { c.AccessKey = "a\nb"; return c }, nil, "AccessKey"},
		{"empty secret", func(c Config) Config { c.SecretKey = kyc.Secret{}; return c }, nil, "SecretKey"},
		{"ttl 10s", func(c Config) Config { c.TokenTTL = 10 * time.Second; return c }, nil, "TokenTTL"},
		{"ttl 59s", func(c Config) Config { c.TokenTTL = 59 * time.Second; return c }, nil, "TokenTTL"},
		{"ttl over a day", func(c Config) Config { c.TokenTTL = 86401 * time.Second; return c }, nil, "TokenTTL"},
		{"ttl negative", func(c Config) Config { c.TokenTTL = -time.Hour; return c }, nil, "TokenTTL"},
		{"ttl fraction", func(c Config) Config { c.TokenTTL = 90500 * time.Millisecond; return c }, nil, "TokenTTL"},
		{"plain http base", func(c Config) Config { return c }, []kyc.Option{kyc.WithBaseURL("http://api.advance.ai")}, "BaseURL"},
		{"bad option", func(c Config) Config { return c }, []kyc.Option{kyc.WithTimeout(-1)}, "WithTimeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.cfg(ok), tt.opts...)
			assert.Nil(t, c)
			kerr := requireKind(t, err, kyc.ErrInvalidRequest)
			assert.EqualValues(t, tt.field, kerr.Field)
			assert.Equal(t, "advanceai.New", kerr.Op)
		})
	}
	c, err := New(ok)
	require.NoError(t, err)
	assert.Equal(t, "advanceai.Client advanceai.Client advanceai.Client", fmt.Sprintf("%v %+v %#v", c, c, c), "no credential printed")
	for _, ttl := range []time.Duration{0, MinTokenTTL, MaxTokenTTL, 2 * time.Hour} {
		cfg := ok
		cfg.TokenTTL = ttl
		c, err := New(cfg)
		require.NoError(t, err, ttl)
		require.NoError(t, c.Close())
	}
}

func TestWireFormat(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	var tokenBody, genBody map[string]any
	var genHeader http.Header
	mt.RegisterResponder(http.MethodPost, urlToken, func(r *http.Request) (*http.Response, error) {
		require.NoError(t, json.NewDecoder(r.Body).Decode(&tokenBody))
		assert.Empty(t, r.Header.Get(HeaderAccessToken))
		return httpmock.NewBytesResponse(200, testutil.Fixture(t, "token_success.json")), nil
	})
	mt.RegisterResponder(http.MethodPost, urlGenerate, func(r *http.Request) (*http.Response, error) {
		genHeader, genBody = r.Header.Clone(), nil
		require.NoError(t, json.NewDecoder(r.Body).Decode(&genBody))
		return httpmock.NewBytesResponse(200, testutil.Fixture(t, "generate_url_success.json")), nil
	})
	_, err := c.Verify(context.Background(), kyc.Request{ID: "8e44f0089b076e18a718eb9ca3d94674", Country: "IDN",
		Link: kyc.LinkOptions{ReturnURL: "https://www.example.com", FailReturnURL: "https://www.example.com/fail"}})
	require.NoError(t, err)

	ts := fixtureNow.UnixMilli()
	assert.Equal(t, map[string]any{
		"accessKey":    "test-access-key",
		"timestamp":    float64(ts),
		"signature":    Signature("test-access-key", kyc.NewSecret(secretKey), ts),
		"periodSecond": float64(3600),
	}, tokenBody)
	assert.Len(t, tokenBody["signature"], 64)
	assert.Equal(t, map[string]any{
		"returnUrl":     "https://www.example.com",
		"failReturnUrl": "https://www.example.com/fail",
		"userId":        "8e44f0089b076e18a718eb9ca3d94674",
		"region":        "IDN",
	}, genBody)
	assert.Equal(t, fixtureToken, genHeader.Get(HeaderAccessToken))
	assert.Equal(t, "application/json", genHeader.Get("Content-Type"))

	// FailReturnURL defaults to ReturnURL in Verify; userId is omitted
	// when the Request has no ID.
	_, err = c.Verify(context.Background(), kyc.Request{Country: "IDN", Link: kyc.LinkOptions{ReturnURL: "https://a.example/x"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"returnUrl": "https://a.example/x", "failReturnUrl": "https://a.example/x", "region": "IDN"}, genBody)
	assert.Equal(t, 1, calls(mt, urlToken), "the token is cached")
}

func TestAuthFailureRefreshesOnce(t *testing.T) {
	t.Parallel()
	iam := `{"code":"IAM_FAILED","message":"Access Denied","data":null,"extra":null,"transactionId":"iam1","pricingStrategy":"FREE"}`
	t.Run("recovers", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t)
		n := 0
		mt.RegisterResponder(http.MethodPost, urlGenerate, func(r *http.Request) (*http.Response, error) {
			n++
			if n == 1 {
				return httpmock.NewStringResponse(401, iam), nil
			}
			return httpmock.NewBytesResponse(200, testutil.Fixture(t, "generate_url_success.json")), nil
		})
		res, err := c.GenerateURL(context.Background(), GenerateURLRequest{ReturnURL: "https://x.example"})
		require.NoError(t, err)
		assert.Equal(t, "ed8b21c0c87ad617", res.SignatureID)
		assert.Equal(t, 2, calls(mt, urlToken))
		assert.Equal(t, 2, calls(mt, urlGenerate))
	})
	t.Run("IAM_FAILED in a 200", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t)
		mt.RegisterResponder(http.MethodPost, urlResult, httpmock.NewStringResponder(200, iam))
		_, err := c.GetResult(context.Background(), "abc")
		kerr := requireKind(t, err, kyc.ErrUnauthorized)
		assert.Equal(t, "IAM_FAILED", kerr.Code)
		assert.True(t, kerr.Unprocessed, "refused at the gate")
		assert.False(t, kerr.NotSent)
		assert.Equal(t, 2, calls(mt, urlToken), "one refresh")
		assert.Equal(t, 2, calls(mt, urlResult), "one repeat")
	})
	t.Run("gives up after one repeat", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t)
		mt.RegisterResponder(http.MethodPost, urlGenerate, httpmock.NewStringResponder(401, ""))
		_, err := c.GenerateURL(context.Background(), GenerateURLRequest{ReturnURL: "https://x.example"})
		kerr := requireKind(t, err, kyc.ErrUnauthorized)
		assert.Equal(t, 401, kerr.StatusCode)
		assert.True(t, kerr.Unprocessed)
		assert.True(t, kerr.MayHaveBeenSent())
		assert.False(t, kyc.MayHaveCharged(err), "both refused at the gate: no link")
		assert.Equal(t, 2, calls(mt, urlToken))
		assert.Equal(t, 2, calls(mt, urlGenerate))
	})
	// The refused attempt counts as refused unprocessed: what the repeat
	// gives decides whether the call may have charged.
	for _, tt := range []struct {
		status      int
		unprocessed bool
	}{{500, false}, {502, false}, {503, true}, {429, true}} {
		t.Run(fmt.Sprintf("then %d", tt.status), func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t)
			n := 0
			mt.RegisterResponder(http.MethodPost, urlGenerate, func(*http.Request) (*http.Response, error) {
				n++
				if n == 1 {
					return httpmock.NewStringResponse(401, iam), nil
				}
				return httpmock.NewStringResponse(tt.status, ""), nil
			})
			_, err := c.GenerateURL(context.Background(), GenerateURLRequest{ReturnURL: "https://x.example"})
			require.Error(t, err)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, tt.status, kerr.StatusCode)
			assert.Equal(t, tt.unprocessed, kerr.Unprocessed)
			assert.Equal(t, !tt.unprocessed, kyc.MayHaveCharged(err))
			assert.False(t, kerr.NotSent)
			assert.Equal(t, 2, calls(mt, urlGenerate), "one repeat, never more")
		})
	}
	t.Run("a failed token fetch ends the call", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t, kyc.WithRetry(2, time.Millisecond))
		mt.RegisterResponder(http.MethodPost, urlToken, httpmock.NewBytesResponder(200, testutil.Fixture(t, "token_signature_error.json")))
		_, err := c.GenerateURL(context.Background(), GenerateURLRequest{ReturnURL: "https://x.example"})
		kerr := requireKind(t, err, kyc.ErrUnauthorized)
		assert.Equal(t, "advanceai.GenerateURL", kerr.Op, "the error names the call made")
		assert.True(t, kerr.NotSent)
		assert.True(t, kerr.Unprocessed)
		assert.Equal(t, "PARAMETER_ERROR", kerr.Code)
		var cause *kyc.Error
		require.ErrorAs(t, kerr.Err, &cause)
		assert.Equal(t, "advanceai.GenerateToken", cause.Op, "the cause is the token fetch")
		assert.Equal(t, 1, calls(mt, urlToken), "authentication failures are not retried")
		assert.Zero(t, calls(mt, urlGenerate))
	})
}

func TestGenerateURLErrorsAfterTheLinkCarryItsReference(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data, ref string
	}{
		{"no url", `{"signatureId":"ed8b21c0c87ad617","expiredTime":1}`, "advanceai:ed8b21c0c87ad617"},
		{"url with a control character", `{"signatureId":"ed8b21c0c87ad617","url":"https://h5.example/\n"}`, "advanceai:ed8b21c0c87ad617"},
		{"numeric id, no url", `{"signatureId":12345}`, "advanceai:12345"},
		{"no signatureId", `{"url":"https://h5.example/"}`, ""},
		{"a signatureId that is a path", `{"signatureId":"../x","url":"https://h5.example/"}`, ""},
		{"data not an object", `"x"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t)
			mt.RegisterResponder(http.MethodPost, urlGenerate, httpmock.NewStringResponder(200,
				`{"code":"SUCCESS","message":"OK","data":`+tt.data+`,"transactionId":"g1","pricingStrategy":"FREE"}`))
			_, err := c.Verify(context.Background(), kyc.Request{Country: "IDN", Link: kyc.LinkOptions{ReturnURL: "https://x.example"}})
			kerr := requireKind(t, err, kyc.ErrBadResponse)
			assert.Equal(t, tt.ref, kerr.Reference)
			assert.True(t, kyc.MayHaveCharged(err))
			assert.Equal(t, "g1", kerr.RequestID)
		})
	}
}

func TestReferenceIDForm(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, id string }{
		{"200 KB", strings.Repeat("a", 200<<10)},
		{"65 characters", strings.Repeat("a", 65)},
		{"NUL", "ab\x00cd"},
		{"dot dot", ".."},
		{"slash", "ab/cd"},
		{"space", "ab cd"},
		{"newline", "ab\ncd"},
		{"non-ASCII", "abcé"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t)
			_, err := c.Result(context.Background(), "advanceai:"+tt.id)
			kerr := requireKind(t, err, kyc.ErrInvalidRequest)
			assert.EqualValues(t, "ref", kerr.Field)
			assert.True(t, kerr.NotSent)
			assert.Less(t, len(kerr.Error()), 400, "the error does not quote the id")
			_, err = c.GetResult(context.Background(), tt.id)
			kerr = requireKind(t, err, kyc.ErrInvalidRequest)
			assert.EqualValues(t, "signatureID", kerr.Field)
			assert.True(t, kerr.Unprocessed)
			assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent, not even a token request")
		})
	}
	for _, id := range []string{"ed8b21c0c87ad617", "A-b_9", strings.Repeat("f", 64)} {
		assert.NoError(t, idForm(id), id)
	}
}

func TestRefreshTime(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	ttl := time.Hour
	tests := []struct {
		name    string
		expires time.Time
		want    time.Time
	}{
		{"as asked", now.Add(time.Hour), now.Add(time.Hour - time.Minute)},
		{"shorter than asked", now.Add(2 * time.Minute), now.Add(2*time.Minute - 30*time.Second)},
		{"unknown expiry", time.Time{}, now.Add(time.Hour - time.Minute)},
		{"vendor clock behind ours", now.Add(-time.Hour), now.Add(time.Hour - time.Minute)},
		{"vendor clock far ahead", now.Add(3 * time.Hour), now.Add(time.Hour - time.Minute)},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, refreshTime(now, tt.expires, ttl), tt.name)
	}
	assert.Equal(t, now.Add(45*time.Second), refreshTime(now, now.Add(time.Minute), time.Minute), "a 60 s token is replaced after 45 s")
}

func TestNoSecretsInLogsOrErrors(t *testing.T) {
	t.Parallel()
	logger, buf := testutil.CaptureLogger()
	c, mt := mock(t, kyc.WithLogger(logger))
	var errs []error
	mt.RegisterResponder(http.MethodPost, urlGenerate, httpmock.NewStringResponder(401, `{"code":"IAM_FAILED","message":"token `+fixtureToken+` expired"}`))
	_, err := c.GenerateURL(context.Background(), GenerateURLRequest{ReturnURL: "https://x.example", UserID: "u"})
	errs = append(errs, err)
	mt.RegisterResponder(http.MethodPost, urlResult, httpmock.NewStringResponder(200, `{"code":"SUCCESS","data":{"idvCode":`))
	_, err = c.GetResult(context.Background(), "abc")
	errs = append(errs, err)
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, fixtureToken, tok.Reveal())

	sig := Signature("test-access-key", kyc.NewSecret(secretKey), fixtureNow.UnixMilli())
	require.NotEmpty(t, buf.String(), "debug records were written")
	for _, secret := range []string{fixtureToken, secretKey, sig, fixtureToken[:40]} {
		assert.NotContains(t, buf.String(), secret)
		for _, e := range errs {
			require.Error(t, e)
			assert.NotContains(t, e.Error(), secret)
		}
	}
	assert.False(t, errors.Is(errs[1], kyc.ErrUnauthorized))
}

func TestCall(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	var sent map[string]any
	mt.RegisterResponder(http.MethodPost, DefaultBaseURL+"/intl/openapi/other/v1/op", func(r *http.Request) (*http.Response, error) {
		require.NoError(t, json.NewDecoder(r.Body).Decode(&sent))
		assert.Equal(t, fixtureToken, r.Header.Get(HeaderAccessToken))
		return httpmock.NewStringResponse(200, `{"code":"SUCCESS","message":"OK","data":{"score":0.9},"extra":null,"transactionId":"c1","pricingStrategy":"PAY"}`), nil
	})
	op := kyc.Operation{Path: "/intl/openapi/other/v1/op"}
	var out struct{ Score float64 }
	require.NoError(t, c.Call(context.Background(), op, map[string]string{"k": "v"}, &out))
	assert.Equal(t, 0.9, out.Score)
	assert.Equal(t, map[string]any{"k": "v"}, sent)

	var env Envelope
	require.NoError(t, c.Call(context.Background(), op, map[string]string{"k": "v"}, &env))
	assert.Equal(t, "c1", env.TransactionID)
	assert.Equal(t, kyc.ChargePaid, env.Charged())
	assert.JSONEq(t, `{"score":0.9}`, string(env.Data))

	mt.RegisterResponder(http.MethodGet, DefaultBaseURL+"/intl/openapi/other/v1/get", func(r *http.Request) (*http.Response, error) {
		assert.Zero(t, r.ContentLength)
		assert.Equal(t, "1", r.URL.Query().Get("q"))
		return httpmock.NewStringResponse(200, `{"code":"SUCCESS","message":"OK","data":null}`), nil
	})
	out.Score = 7
	require.NoError(t, c.Call(context.Background(), kyc.Operation{Method: http.MethodGet, Path: "/intl/openapi/other/v1/get", Class: kyc.ClassFree},
		url.Values{"q": {"1"}}, &out))
	assert.Equal(t, 7.0, out.Score, "null data leaves out as it is")

	// A vendor error names the operation, or advanceai.Call.
	mt.RegisterResponder(http.MethodPost, DefaultBaseURL+"/x", httpmock.NewStringResponder(200, `{"code":"PARAMETER_ERROR","message":"Parameter should not be empty","transactionId":"c2"}`))
	err := c.Call(context.Background(), kyc.Operation{Path: "/x"}, []byte(`{}`), nil)
	kerr := requireKind(t, err, kyc.ErrInvalidRequest)
	assert.Equal(t, "advanceai.Call", kerr.Op)
	assert.Equal(t, "PARAMETER_ERROR", kerr.Code)
	assert.Equal(t, "c2", kerr.RequestID)
	err = c.Call(context.Background(), kyc.Operation{Name: "advanceai.Other", Path: "/x"}, []byte(`{}`), nil)
	assert.Equal(t, "advanceai.Other", requireKind(t, err, kyc.ErrInvalidRequest).Op)

	err = c.Call(context.Background(), kyc.Operation{Path: "/x"}, func() {}, nil)
	requireKind(t, err, kyc.ErrInvalidRequest)
}

// TestCallIsBilledByDefault: an operation without a class is not resent
// after an ambiguous failure; a free one is.
func TestCallIsBilledByDefault(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		class kyc.Class
		sends int
	}{{kyc.ClassBilled, 1}, {kyc.ClassFree, 3}} {
		t.Run(tt.class.String(), func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t, kyc.WithRetry(2, time.Millisecond))
			mt.RegisterResponder(http.MethodPost, DefaultBaseURL+"/x", httpmock.NewStringResponder(502, ""))
			err := c.Call(context.Background(), kyc.Operation{Method: http.MethodPost, Path: "/x", Class: tt.class}, nil, nil)
			requireKind(t, err, kyc.ErrUnavailable)
			assert.Equal(t, tt.sends, calls(mt, DefaultBaseURL+"/x"))
		})
	}
}
