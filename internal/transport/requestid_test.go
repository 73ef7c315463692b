package transport

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// The vendor's request id is found under every name the vendor gives,
// in any case, in the response first and then the request, and also
// under a non-canonical name a signer set as it is (request_id).
func TestRequestIDLooksEveryNameUp(t *testing.T) {
	t.Parallel()
	c, err := New(Params{Provider: "bench", BaseURL: "https://vendor.example", RequestIDHeaders: []string{"x-vendor-trace", "request_id"}}, nil)
	require.NoError(t, err)
	tests := []struct {
		name      string
		req, resp http.Header
		want      string
	}{
		{"none", http.Header{}, http.Header{}, ""},
		{"X-Request-Id in the response", http.Header{}, http.Header{"X-Request-Id": {"r1"}}, "r1"},
		{"the vendor's name, canonical in the response", http.Header{}, http.Header{"X-Vendor-Trace": {"t1"}}, "t1"},
		{"an empty X-Request-Id is passed over", http.Header{}, http.Header{"X-Request-Id": {""}, "X-Vendor-Trace": {"t2"}}, "t2"},
		{"the response before the request", http.Header{"X-Request-Id": {"q1"}}, http.Header{"X-Vendor-Trace": {"t3"}}, "t3"},
		{"the request when the response has none", http.Header{"X-Request-Id": {"q2"}}, http.Header{}, "q2"},
		{"a non-canonical name as it was set", http.Header{"request_id": {"q3"}}, http.Header{}, "q3"},
		{"a non-canonical name in canonical form", http.Header{}, http.Header{"Request_id": {"t4"}}, "t4"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, c.requestID(tt.req, tt.resp), tt.name)
	}
}

// SetHeader sets its header under the canonical name, as http.Header.Set
// does, whatever the case it was given in.
func TestSetHeaderCanonicalName(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"x-api-key", "X-API-KEY", "X-Api-Key"} {
		h := http.Header{}
		require.NoError(t, SetHeader(name, kyc.NewSecret("k1"))(context.Background(), h))
		assert.Equal(t, http.Header{"X-Api-Key": {"k1"}}, h, name)
	}
}
