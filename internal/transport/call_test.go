package transport

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// A request's renew hook runs once after a failed answer; when it renews,
// the request is sent once more, and the repeat's error is not NotSent.
func TestCallRenewsOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		renew    bool
		statuses []int
		requests int32
		wantErr  bool
	}{
		{"renewed, then accepted", true, []int{401, 200}, 2, false},
		{"renewed, refused again", true, []int{401, 401}, 2, true},
		{"not renewed", false, []int{401}, 1, true},
		{"accepted at once", true, []int{200}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				i := int(n.Add(1)) - 1
				w.WriteHeader(tt.statuses[min(i, len(tt.statuses)-1)])
			})
			c.p.Check = func(_ kyc.Operation, resp *Response) error {
				if resp.StatusCode >= 400 {
					return c.APIError("test.Op", resp, nil, "", "")
				}
				return nil
			}
			renews := 0
			r := &Request{Operation: at(op("test.Op"), "/x"), Renew: func(context.Context, error) bool {
				renews++
				return tt.renew
			}}
			_, err := c.Call(context.Background(), r, nil)
			assert.Equal(t, tt.requests, n.Load())
			if !tt.wantErr {
				require.NoError(t, err)
				return
			}
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.False(t, kerr.NotSent)
			assert.LessOrEqual(t, renews, 1)
		})
	}
}

// WithReference copies a *kyc.Error with the Reference, keeps one it
// already names, wraps any other error, and leaves nil alone.
func TestWithReference(t *testing.T) {
	t.Parallel()
	c, err := New(Params{Provider: "test", BaseURL: "https://x.example"}, nil)
	require.NoError(t, err)
	orig := &kyc.Error{Provider: "test", Op: "test.Op", Kind: kyc.ErrUnavailable}
	got := c.WithReference("test.Verify", orig, "test:1")
	var kerr *kyc.Error
	require.ErrorAs(t, got, &kerr)
	assert.Equal(t, "test:1", kerr.Reference)
	assert.Empty(t, orig.Reference, "the original is not modified")
	assert.ErrorIs(t, got, kyc.ErrUnavailable)

	named := &kyc.Error{Provider: "test", Op: "test.Op", Kind: kyc.ErrUnavailable, Reference: "test:0"}
	assert.Same(t, named, c.WithReference("test.Verify", named, "test:1"))

	foreign := errors.New("boom")
	got = c.WithReference("test.Verify", foreign, "test:1")
	require.ErrorAs(t, got, &kerr)
	assert.Equal(t, "test:1", kerr.Reference)
	assert.Equal(t, "test.Verify", kerr.Op)
	assert.ErrorIs(t, got, foreign)

	assert.NoError(t, c.WithReference("test.Verify", nil, "test:1"))
	assert.Same(t, foreign, c.WithReference("test.Verify", foreign, ""))
}
