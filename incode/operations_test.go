package incode

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
)

func TestOperationTable(t *testing.T) {
	t.Parallel()
	c, s, _ := mock(t)
	sessionSteps := []string{"AddFrontID", "AddBackID", "ProcessID", "AddSelfie", "ProcessFace",
		"OnboardingStatus", "FinishStatus", "Score", "OCRData", "Approve", "OnboardingURL"}
	composite := []string{"Verify", "Result", "Call", "ConfirmEvent"}
	// The table against the Client's methods, then against the Session's:
	// each type's operations are the other's steps.
	testutil.OperationTable(t, "incode", c, Operations(), composite, sessionSteps)
	testutil.OperationTable(t, "incode", s, Operations(), nil, []string{"ExecutiveLogIn", "StartSession", "Erase"})

	classes := map[string]kyc.Class{}
	for _, op := range Operations() {
		classes[op.Name] = op.Class
	}
	assert.Equal(t, kyc.ClassFree, classes["incode.ExecutiveLogIn"], "the token exchange is free")
	assert.Equal(t, kyc.ClassBilled, classes["incode.StartSession"])
	for _, read := range []string{"incode.OnboardingStatus", "incode.Score", "incode.OCRData"} {
		assert.Equal(t, kyc.ClassFree, classes[read], read)
	}
	ops := Operations()
	ops[0].Name = "changed"
	assert.NotEqual(t, "changed", Operations()[0].Name, "Operations returns a copy")
}

// TestFailurePaths runs every typed method through the shared failure
// paths: 500, a vendor error inside a 200, malformed JSON, a cancelled
// context and a refused connection.
func TestFailurePaths(t *testing.T) {
	t.Parallel()
	newClient := func(baseURL string, opts ...kyc.Option) (any, error) {
		return New(Config{APIKey: kyc.NewSecret(testKey), ExecutiveEmail: "exec@example.com",
			ExecutivePassword: kyc.NewSecret("exec-password")}, append(opts, kyc.WithBaseURL(baseURL))...)
	}
	session := func(c any) *Session {
		s, err := c.(*Client).ResumeSession(testID, kyc.NewSecret(testToken))
		if err != nil {
			panic(err)
		}
		return s
	}
	vendorError := []byte(`{"timestamp":1695335887367,"status":4019,"error":"Face not found.","path":"/omni/add/face/third-party"}`)
	m := func(name string, call func(ctx context.Context, c any) error) testutil.Method {
		return testutil.Method{Name: "incode." + name, Call: call, VendorError: vendorError, VendorErrorKind: kyc.ErrInvalidRequest}
	}
	methods := []testutil.Method{
		m("ExecutiveLogIn", func(ctx context.Context, c any) error { return c.(*Client).ExecutiveLogIn(ctx) }),
		m("StartSession", func(ctx context.Context, c any) error {
			_, err := c.(*Client).StartSession(ctx, StartRequest{ExternalCustomerID: "fp"})
			return err
		}),
		m("AddFrontID", func(ctx context.Context, c any) error {
			_, err := session(c).AddFrontID(ctx, img(t, ""), false)
			return err
		}),
		m("AddBackID", func(ctx context.Context, c any) error {
			_, err := session(c).AddBackID(ctx, img(t, ""))
			return err
		}),
		m("ProcessID", func(ctx context.Context, c any) error { return session(c).ProcessID(ctx) }),
		m("AddSelfie", func(ctx context.Context, c any) error {
			_, err := session(c).AddSelfie(ctx, img(t, ""))
			return err
		}),
		m("ProcessFace", func(ctx context.Context, c any) error {
			_, err := session(c).ProcessFace(ctx)
			return err
		}),
		m("OnboardingStatus", func(ctx context.Context, c any) error {
			_, err := session(c).OnboardingStatus(ctx)
			return err
		}),
		m("FinishStatus", func(ctx context.Context, c any) error {
			_, err := session(c).FinishStatus(ctx)
			return err
		}),
		m("Score", func(ctx context.Context, c any) error {
			_, err := session(c).Score(ctx)
			return err
		}),
		m("OCRData", func(ctx context.Context, c any) error {
			_, err := session(c).OCRData(ctx)
			return err
		}),
		m("Approve", func(ctx context.Context, c any) error {
			_, err := session(c).Approve(ctx)
			return err
		}),
		m("OnboardingURL", func(ctx context.Context, c any) error {
			_, err := session(c).OnboardingURL(ctx)
			return err
		}),
		eraseMethod(m("Erase", func(ctx context.Context, c any) error { return c.(*Client).Erase(ctx, "incode:"+testID) })),
		m("Call", func(ctx context.Context, c any) error {
			var out map[string]any
			session(c) // the client keeps the session token
			return c.(*Client).Call(ctx, kyc.Operation{Path: "/omni/get/score", Class: kyc.ClassFree},
				SessionInput{InterviewID: testID}, &out)
		}),
	}
	require.Len(t, methods, len(operations)+1, "every operation's method, and the generic Call")
	testutil.FailurePaths(t, kyc.Incode, newClient, methods)
}

// TestExecutiveTokenWire checks the log-in request and the token's use.
func TestExecutiveTokenWire(t *testing.T) {
	t.Parallel()
	hc, mt := testutil.MockHTTP(t)
	c, err := New(Config{APIKey: kyc.NewSecret(testKey), ExecutiveEmail: "exec@example.com", ExecutivePassword: kyc.NewSecret("exec-password")},
		kyc.WithHTTPClient(hc), kyc.WithBaseURL(testBase))
	require.NoError(t, err)
	var login *http.Request
	var loginBody []byte
	mt.RegisterResponder("POST", testBase+"/executive/log-in", func(r *http.Request) (*http.Response, error) {
		login = r.Clone(context.Background())
		loginBody = readAll(t, r)
		return jsonResponse(200, `{"token":"eyJleGVjIn0.eyJ4IjoxfQ.c2ln"}`), nil
	})
	var hw, query string
	mt.RegisterResponder("GET", testBase+"/omni/get/score", func(r *http.Request) (*http.Response, error) {
		hw, query = r.Header.Get("X-Incode-Hardware-Id"), r.URL.RawQuery
		return jsonResponse(200, string(testutil.Fixture(t, "score.json"))), nil
	})
	mt.RegisterResponder("GET", testBase+"/omni/get/onboarding/status", jsonResponder(`{"onboardingStatus":"ONBOARDING_FINISHED"}`))
	mt.RegisterResponder("GET", testBase+"/omni/get/ocr-data", jsonResponder(string(testutil.Fixture(t, "ocr.json"))))
	res, err := c.Result(context.Background(), "incode:"+testID)
	require.NoError(t, err)
	assert.Equal(t, "incode:"+testID, res.Reference)
	require.NotNil(t, login)
	assert.Equal(t, testKey, login.Header.Get("x-api-key"))
	assert.Equal(t, "1.0", login.Header.Get("api-version"))
	assert.JSONEq(t, `{"email":"exec@example.com","password":"exec-password"}`, string(loginBody))
	assert.Equal(t, "eyJleGVjIn0.eyJ4IjoxfQ.c2ln", hw, "the executive token goes in X-Incode-Hardware-Id")
	assert.Equal(t, "id="+testID, query)
	assert.Equal(t, 1, mt.GetCallCountInfo()["POST "+testBase+"/executive/log-in"], "the token is cached")
	for _, format := range []string{"%v", "%+v", "%#v"} {
		assert.NotContains(t, sprintf(format, c), "eyJleGVjIn0", format)
		assert.NotContains(t, sprintf(format, c), "exec-password", format)
	}
}
