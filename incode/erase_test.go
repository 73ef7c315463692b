package incode

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

const testExecToken = "eyJleGVjIn0.eyJ4IjoxfQ.c2ln"

// execMock is a wire-test client with executive credentials, whose log-in
// answers testExecToken.
func execMock(t *testing.T) (*Client, *httpmock.MockTransport) {
	t.Helper()
	hc, mt := testutil.MockHTTP(t)
	c, err := New(Config{APIKey: kyc.NewSecret(testKey), ExecutiveEmail: "exec@example.com", ExecutivePassword: kyc.NewSecret("exec-password")},
		kyc.WithHTTPClient(hc), kyc.WithBaseURL(testBase), kyc.WithRetry(2, 10*time.Millisecond))
	require.NoError(t, err)
	mt.RegisterResponder("POST", testBase+"/executive/log-in", jsonResponder(`{"token":"`+testExecToken+`"}`))
	return c, mt
}

// TestEraseWire checks the deletion request of Incode's sample code, and
// how each answer is read.
func TestEraseWire(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		body   string
		kind   error // nil: erased
		calls  int   // DELETEs sent
	}{
		{"200 with JSON", 200, `{}`, nil, 1},
		{"200 with any JSON", 200, `{"deleted":1}`, nil, 1},
		{"204 without a body", 204, ``, nil, 1},
		{"malformed answer", 200, `{"truncated": `, kyc.ErrBadResponse, 1},
		{"unknown session", 404, `{"status":404,"error":"Not Found"}`, kyc.ErrNotFound, 1},
		{"vendor error in a 200", 200, `{"timestamp":1,"status":4019,"error":"Face not found."}`, kyc.ErrInvalidRequest, 1},
		{"500 is resent: the deletion is free", 500, `{"error":"internal"}`, kyc.ErrUnavailable, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := execMock(t)
			var got *http.Request
			var body []byte
			mt.RegisterResponder("DELETE", testBase+"/omni/interviews", func(r *http.Request) (*http.Response, error) {
				got, body = r.Clone(context.Background()), readAll(t, r)
				return jsonResponse(tt.status, tt.body), nil
			})
			err := c.Erase(context.Background(), "incode:"+testID)
			assert.Equal(t, tt.calls, mt.GetCallCountInfo()["DELETE "+testBase+"/omni/interviews"])
			if tt.kind != nil {
				require.ErrorIs(t, err, tt.kind)
				var kerr *kyc.Error
				require.ErrorAs(t, err, &kerr)
				assert.Equal(t, "incode.Erase", kerr.Op)
			} else {
				require.NoError(t, err)
			}
			require.NotNil(t, got)
			assert.Equal(t, testExecToken, got.Header.Get("X-Incode-Hardware-Id"), "the executive token")
			assert.Equal(t, testKey, got.Header.Get("x-api-key"))
			assert.Equal(t, "1.0", got.Header.Get("api-version"))
			assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
			assert.Empty(t, got.URL.RawQuery, "the id goes in the body, never in the URL")
			assert.JSONEq(t, `{"filter":{"ids":["`+testID+`"]},"config":{"deletePiiDataOnly":true,"sendNotification":false,"relatedEntitiesToKeep":["deviceFingerPrints","stats"]}}`, string(body))
		})
	}
}

// TestEraseRefusedBeforeSending: what Erase refuses sends nothing.
func TestEraseRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		exec  bool
		ref   string
		field kyc.Field
	}{
		{"no executive credentials", false, "incode:" + testID, "ExecutiveEmail"},
		{"another provider", true, "atlas:" + testID, "ref"},
		{"not an interview id", true, "incode:../x", "ref"},
		{"empty", true, "", "ref"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := execMock(t)
			if !tt.exec {
				c, _, mt = mock(t)
			}
			err := c.Erase(context.Background(), tt.ref)
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, tt.field, kerr.Field)
			assert.True(t, kerr.NotSent)
			assert.Zero(t, mt.GetTotalCallCount(), "nothing is sent")
		})
	}
}

// TestEraseRenewsTheExecutiveToken: a 401 on the deletion (the executive
// token expired) logs in again and sends the deletion once more.
func TestEraseRenewsTheExecutiveToken(t *testing.T) {
	t.Parallel()
	c, mt := execMock(t)
	var tokens []string
	mt.RegisterResponder("DELETE", testBase+"/omni/interviews", func(r *http.Request) (*http.Response, error) {
		tokens = append(tokens, r.Header.Get("X-Incode-Hardware-Id"))
		if len(tokens) == 1 {
			return jsonResponse(401, `{"status":401,"error":"Unauthorized"}`), nil
		}
		return jsonResponse(200, `{}`), nil
	})
	require.NoError(t, c.Erase(context.Background(), "incode:"+testID))
	assert.Len(t, tokens, 2)
	assert.Equal(t, 2, mt.GetCallCountInfo()["POST "+testBase+"/executive/log-in"], "logged in again after the 401")
}

// TestEraseLogInFailure: a refused log-in is Erase's error, NotSent, with
// the log-in's kind.
func TestEraseLogInFailure(t *testing.T) {
	t.Parallel()
	c, mt := execMock(t)
	mt.RegisterResponder("POST", testBase+"/executive/log-in", func(*http.Request) (*http.Response, error) {
		return jsonResponse(401, `{"status":401,"error":"Unauthorized"}`), nil
	})
	err := c.Erase(context.Background(), "incode:"+testID)
	require.ErrorIs(t, err, kyc.ErrUnauthorized)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.Equal(t, "incode.Erase", kerr.Op)
	assert.True(t, kerr.NotSent)
	assert.Zero(t, mt.GetCallCountInfo()["DELETE "+testBase+"/omni/interviews"])
}

// TestEraseForgetsTheKeptToken: after the deletion the client no longer
// holds the session's token.
func TestEraseForgetsTheKeptToken(t *testing.T) {
	t.Parallel()
	c, mt := execMock(t)
	mt.RegisterResponder("DELETE", testBase+"/omni/interviews", jsonResponder(`{}`))
	_, err := c.ResumeSession(testID, kyc.NewSecret(testToken))
	require.NoError(t, err)
	_, kept := c.kept.get(testID)
	require.True(t, kept)
	require.NoError(t, c.Erase(context.Background(), "incode:"+testID))
	_, kept = c.kept.get(testID)
	assert.False(t, kept)
}

// eraseMethod has the failure paths' server answer the executive log-in,
// so that the failure reaches the deletion itself.
func eraseMethod(m testutil.Method) testutil.Method {
	m.Serve = func(status int, body []byte) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if r.URL.Path == "/executive/log-in" {
				_, _ = w.Write([]byte(`{"token":"` + testExecToken + `"}`))
				return
			}
			w.WriteHeader(status)
			_, _ = w.Write(body)
		})
	}
	return m
}
