package incodetest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc/incode/incodetest"
)

// TestDeletionEndpoint: DELETE /omni/interviews needs the executive token
// and a body naming ids and deletePiiDataOnly; it forgets the session.
func TestDeletionEndpoint(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	key := incodetest.APIKey
	st, body := do(t, srv, "POST", "/omni/start", key, "1.0", "", `{"countryCode":"ALL"}`)
	require.Equal(t, 200, st)
	token, id := body["token"].(string), body["interviewId"].(string)
	st, body = do(t, srv, "POST", "/executive/log-in", key, "1.0", "",
		`{"email":"`+incodetest.ExecutiveEmail+`","password":"`+incodetest.ExecutivePassword+`"}`)
	require.Equal(t, 200, st)
	exec := body["token"].(string)
	good := `{"filter":{"ids":["` + id + `"]},"config":{"deletePiiDataOnly":true,"sendNotification":false,"relatedEntitiesToKeep":["stats"]}}`

	tests := []struct {
		name, token, body string
		status            int
	}{
		{"session token", token, good, 401},
		{"no token", "", good, 401},
		{"malformed body", exec, `{"filter":`, 400},
		{"no ids", exec, `{"filter":{"ids":[]},"config":{"deletePiiDataOnly":true}}`, 400},
		{"no deletePiiDataOnly", exec, `{"filter":{"ids":["` + id + `"]},"config":{}}`, 400},
	}
	for _, tt := range tests {
		st, _ := do(t, srv, "DELETE", "/omni/interviews", key, "1.0", tt.token, tt.body)
		assert.Equal(t, tt.status, st, tt.name)
	}
	assert.Empty(t, srv.Deletions(), "a refused deletion is not recorded")
	require.Equal(t, 1, srv.Sessions())

	st, _ = do(t, srv, "DELETE", "/omni/interviews", key, "1.0", exec, good)
	require.Equal(t, 200, st)
	require.Len(t, srv.Deletions(), 1)
	assert.Equal(t, []string{id}, srv.Deletions()[0].IDs)
	assert.Equal(t, []string{"stats"}, srv.Deletions()[0].RelatedEntitiesToKeep)
	assert.Zero(t, srv.Sessions())
	st, _ = do(t, srv, "GET", "/omni/get/score?id="+id, key, "1.0", token, "")
	assert.Equal(t, 401, st, "the session's token no longer opens it")
}
