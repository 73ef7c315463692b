package incode_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/internal/transport/transporttest"
)

// An Observer's SetHeader sets a trace header, and none of the credential
// headers of any vendor nor those this vendor's signers set, also on an
// attempt that lacks them (here api-version).
func TestObserverCannotSetCredentialHeaders(t *testing.T) {
	t.Parallel()
	srv := transporttest.NewHeaderServer(t, 200, `{}`)
	probe := &transporttest.HeaderProbe{Headers: append([]string{"traceparent", "api-version"}, transporttest.CredentialHeaders...)}
	c, err := incode.New(incode.Config{APIKey: kyc.NewSecret("api-key")},
		kyc.WithBaseURL(srv.URL), kyc.WithObserver(probe), kyc.WithRetry(0, 0))
	require.NoError(t, err)
	_ = c.Call(context.Background(), kyc.Operation{Path: "/probe", Class: kyc.ClassFree}, nil, nil)
	require.NotZero(t, probe.Attempts())
	assert.Equal(t, []string{"traceparent"}, probe.Accepted())
	assert.Equal(t, []string{"Traceparent"}, srv.Probed(), "no credential header arrived with the Observer's value")
}
