package atlastest_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/atlas/atlastest"
)

// replay sends a recorded request again with another request_id.
func replay(t *testing.T, srv *atlastest.Server, i int, requestID string) int {
	t.Helper()
	rec := srv.Requests()[i]
	req, err := http.NewRequest(rec.Method, srv.URL+rec.Path+"?"+rec.Query, bytes.NewReader(rec.Body))
	require.NoError(t, err)
	req.Header = rec.Header.Clone()
	req.Header.Set("request_id", requestID)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestDuplicateSendsCountsAResentCall(t *testing.T) {
	t.Parallel()
	srv := atlastest.New(t, atlastest.WithAuth(atlas.AuthBasic))
	c, err := atlas.New(srv.Config(), srv.Options()...)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.VerifyPAN(context.Background(), "ABCDE1234F")
	require.NoError(t, err)
	require.Zero(t, srv.DuplicateSends())
	keys := srv.SendKeys()
	require.Len(t, keys, 1)
	rec := srv.Requests()[0]
	id := rec.Header.Get("request_id")
	assert.Equal(t, keys[0], atlastest.SendKey(rec.Method, rec.Path, mustQuery(t, rec.Query), id, rec.Body))

	// The same call's second attempt (same call id, next attempt number) is
	// a duplicate; the same parameters under another call id are not.
	assert.Equal(t, http.StatusOK, replay(t, srv, 0, id[:atlastest.CallIDLen]+"02"))
	assert.Equal(t, 1, srv.DuplicateSends())
	assert.Equal(t, 2, srv.Sends(keys[0]))
	assert.Equal(t, http.StatusOK, replay(t, srv, 0, "zzzzzzzzzzzzzzzzzzzz01"))
	assert.Equal(t, 1, srv.DuplicateSends())

	// A reused request_id is refused before anything is processed.
	assert.Equal(t, http.StatusBadRequest, replay(t, srv, 0, id))
	assert.Equal(t, 1, srv.DuplicateSends())
}

func TestWrongPathAndMethod(t *testing.T) {
	t.Parallel()
	srv := atlastest.New(t, atlastest.WithAuth(atlas.AuthBasic))
	for _, tt := range []struct {
		method, path string
		want         int
	}{{"GET", "/verify/pan", 405}, {"POST", "/nope", 404}, {"POST", "/v2/prod/verify/pan?pan_number=ABCDE1234F", 200}} {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
		req.SetBasicAuth(atlastest.KeyID, atlastest.KeySecret)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, tt.want, resp.StatusCode, tt.path)
	}
	req, _ := http.NewRequest("POST", srv.URL+"/verify/pan", nil)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func mustQuery(t *testing.T, q string) url.Values {
	v, err := url.ParseQuery(q)
	require.NoError(t, err)
	return v
}
