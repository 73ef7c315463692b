package webhook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

func TestHandlerStatuses(t *testing.T) {
	pass := kyc.NewSecret("pw")
	parse := func(r *http.Request) (*kyc.Event, error) {
		if !CheckBasic(r, "hook", pass) {
			return nil, Unauthorized("test", "test.ParseWebhook")
		}
		if _, err := ReadBody(r, "test", "test.ParseWebhook", 16); err != nil {
			return nil, err
		}
		return &kyc.Event{Provider: "test"}, nil
	}
	var calls int
	fnErr := error(nil)
	h := Handler(parse, func(context.Context, *kyc.Event) error { calls++; return fnErr }, nil, nil)
	do := func(method, user, pw, body string) int {
		r := httptest.NewRequest(method, "/hook", strings.NewReader(body))
		if user != "" {
			r.SetBasicAuth(user, pw)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	assert.Equal(t, 200, do("POST", "hook", "pw", "{}"))
	assert.Equal(t, 1, calls)
	assert.Equal(t, 401, do("POST", "hook", "bad", "{}"))
	assert.Equal(t, 401, do("POST", "", "", "{}"))
	assert.Equal(t, 413, do("POST", "hook", "pw", strings.Repeat("x", 17)))
	assert.Equal(t, 405, do("GET", "hook", "pw", ""))
	assert.Equal(t, 1, calls, "fn runs only for accepted webhooks")
	fnErr = errors.New("db down")
	assert.Equal(t, 500, do("POST", "hook", "pw", "{}"), "a failed handler asks the vendor to send again")
}

func TestCheckBearer(t *testing.T) {
	r := httptest.NewRequest("POST", "/", nil)
	r.Header.Set("Authorization", "bearer tok")
	assert.True(t, CheckBearer(r, kyc.NewSecret("tok")))
	assert.False(t, CheckBearer(r, kyc.NewSecret("other")))
	r.Header.Set("Authorization", "Basic tok")
	assert.False(t, CheckBearer(r, kyc.NewSecret("tok")))
}

func TestReadBodyLimit(t *testing.T) {
	r := httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("a", MaxBody+1)))
	_, err := ReadBody(r, "test", "op", MaxBody)
	require.Error(t, err)
	assert.Equal(t, http.StatusRequestEntityTooLarge, StatusFor(err))
	r = httptest.NewRequest("POST", "/", strings.NewReader("ok"))
	b, err := ReadBody(r, "test", "op", MaxBody)
	require.NoError(t, err)
	assert.Equal(t, "ok", string(b))
}
