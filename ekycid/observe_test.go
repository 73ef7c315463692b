package ekycid_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/internal/transport/transporttest"
)

// An Observer's SetHeader sets a trace header, and none of the credential
// headers of any vendor nor those this vendor's signers set, also on an
// attempt that lacks them.
func TestObserverCannotSetCredentialHeaders(t *testing.T) {
	t.Parallel()
	srv := transporttest.NewHeaderServer(t, 200, `{}`)
	probe := &transporttest.HeaderProbe{Headers: append([]string{"traceparent"}, transporttest.CredentialHeaders...)}
	c, err := ekycid.New(ekycid.Config{APIKey: kyc.NewSecret("api-key")},
		kyc.WithBaseURL(srv.URL), kyc.WithObserver(probe), kyc.WithRetry(0, 0))
	require.NoError(t, err)
	_ = c.Call(context.Background(), kyc.Operation{Path: "/probe", Class: kyc.ClassFree}, nil, nil)
	require.NotZero(t, probe.Attempts())
	assert.Equal(t, []string{"traceparent"}, probe.Accepted())
	assert.Equal(t, []string{"Traceparent"}, srv.Probed(), "no credential header arrived with the Observer's value")
}

// An ABIS call through the generic Call, with a DNI in its path: the DNI
// travels as a path parameter, escaped into the path sent, and the
// Observer and the logs see only the template. A template holding the DNI
// itself is refused before sending.
func TestABISCallKeepsTheDNIOutOfTelemetry(t *testing.T) {
	t.Parallel()
	const dni = "12345678Z/.."
	srv := transporttest.NewHeaderServer(t, 200, `{}`)
	probe := &transporttest.HeaderProbe{}
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := ekycid.New(ekycid.Config{APIKey: kyc.NewSecret("api-key")},
		kyc.WithBaseURL(srv.URL), kyc.WithObserver(probe), kyc.WithLogger(logger), kyc.WithRetry(0, 0))
	require.NoError(t, err)
	op := kyc.Operation{Name: "ekycid.ABISVerify", Method: http.MethodPost, Path: "/v1/abis/{dni}/verify"}

	require.NoError(t, c.Call(context.Background(), op, map[string]string{"mode": "1:1"}, nil, dni))
	assert.Equal(t, []string{"/v1/abis/" + url.PathEscape(dni) + "/verify"}, srv.Paths(), "the DNI is escaped into the path sent")
	seen := probe.Seen()
	require.Len(t, seen, 2, "the call and its attempt")
	for _, s := range seen {
		assert.Equal(t, "/v1/abis/{dni}/verify", s.Operation.Path)
	}
	require.NotEmpty(t, logs.String())
	for _, v := range []string{"12345678", url.PathEscape(dni)} {
		assert.NotContains(t, fmt.Sprintf("%+v", seen), v)
		assert.NotContains(t, logs.String(), v)
	}

	tests := []struct {
		name   string
		path   string
		params []string
	}{
		{"the DNI in the template", "/v1/abis/12345678Z/verify", nil},
		{"a placeholder without its value", "/v1/abis/{dni}/verify", nil},
		{"a value without its placeholder", "/v1/abis/verify", []string{dni}},
		{"a value that climbs up", "/v1/abis/{dni}/verify", []string{".."}},
		{"an empty value", "/v1/abis/{dni}/verify", []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := op
			op.Path = tt.path
			err := c.Call(context.Background(), op, nil, nil, tt.params...)
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.True(t, kerr.NotSent)
			assert.NotContains(t, err.Error(), "12345678")
		})
	}
	assert.Len(t, srv.Paths(), 1, "nothing more was sent")
	assert.NotContains(t, logs.String(), "12345678")
}
