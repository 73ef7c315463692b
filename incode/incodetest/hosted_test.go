package incodetest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
)

// TestHostedLinkWire: onboarding-url takes the session token and the
// clientId, answers the same link each time, and the link opens the page
// without API headers.
func TestHostedLinkWire(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	code, started := do(t, srv, http.MethodPost, "/omni/start", incodetest.APIKey, "1.0", "", `{"countryCode":"ALL","redirectionUrl":"https://example.com/done"}`)
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, incodetest.ClientID, started["clientId"])
	tok := started["token"].(string)

	for _, tc := range []struct {
		name, path, token string
		want              int
	}{
		{"no clientId", "/0/omni/onboarding-url", tok, http.StatusBadRequest},
		{"wrong clientId", "/0/omni/onboarding-url?clientId=other", tok, http.StatusBadRequest},
		{"no token", "/0/omni/onboarding-url?clientId=" + incodetest.ClientID, "", http.StatusUnauthorized},
		{"without /0", "/omni/onboarding-url?clientId=" + incodetest.ClientID, tok, http.StatusNotFound},
	} {
		code, _ := do(t, srv, http.MethodGet, tc.path, incodetest.APIKey, "1.0", tc.token, "")
		assert.Equal(t, tc.want, code, tc.name)
	}
	code, first := do(t, srv, http.MethodGet, "/0/omni/onboarding-url?clientId="+incodetest.ClientID, incodetest.APIKey, "1.0", tok, "")
	require.Equal(t, http.StatusOK, code)
	link := first["url"].(string)
	assert.True(t, strings.HasPrefix(link, srv.URL+incodetest.HostedPagePath+"?token="))
	_, second := do(t, srv, http.MethodGet, "/0/omni/onboarding-url?clientId="+incodetest.ClientID, incodetest.APIKey, "1.0", tok, "")
	assert.Equal(t, link, second["url"], "one link per session")

	for url, want := range map[string]int{link: http.StatusOK, srv.URL + incodetest.HostedPagePath + "?token=unknown": http.StatusNotFound} {
		resp, err := srv.Client().Get(url)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode)
	}

	// A refused capture leaves the session as it was; a good one finishes it.
	require.ErrorIs(t, srv.Onboard(link, kyctest.MagicImage("", 0), kyctest.MagicImage(incodetest.ImageLenses, 0)), incodetest.ErrCaptureRefused)
	require.ErrorIs(t, srv.Onboard(link, kyctest.MagicImage(incodetest.FailReasonImage("WRONG_DOCUMENT_SIDE"), 0), kyctest.MagicImage("", 0)), incodetest.ErrCaptureRefused)
	id := started["interviewId"].(string)
	_, st := do(t, srv, http.MethodGet, "/omni/get/onboarding/status?id="+id, incodetest.APIKey, "1.0", tok, "")
	assert.Equal(t, "UNKNOWN", st["onboardingStatus"])
	require.NoError(t, srv.Onboard(link, kyctest.MagicImage("", 0), kyctest.MagicImage("", 0)))
	_, st = do(t, srv, http.MethodGet, "/omni/get/onboarding/status?id="+id, incodetest.APIKey, "1.0", tok, "")
	assert.Equal(t, "ONBOARDING_FINISHED", st["onboardingStatus"])
}
