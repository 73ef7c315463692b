package incode_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
)

// TestWebhookVerdicts maps an authenticated webhook's onboardingStatus to
// its Result, and shows that the same body unauthenticated claims nothing.
// The cross-receiver matrix is internal/webhook's TestWebhookMatrix.
func TestWebhookVerdicts(t *testing.T) {
	t.Parallel()
	const id = "6595c84ce69d469f69ad39fb"
	cases := []struct {
		status  string
		want    kyc.Status
		reasons []kyc.Reason
	}{
		{"MANUAL_REVIEW_APPROVED", kyc.StatusApproved, nil},
		{"MANUAL_REVIEW_REJECTED", kyc.StatusRejected, []kyc.Reason{kyc.ReasonOther}},
		{"ONBOARDING_FINISHED", kyc.StatusPending, []kyc.Reason{kyc.ReasonNotFinished}},
	}
	for _, tt := range cases {
		t.Run(tt.status, func(t *testing.T) {
			t.Parallel()
			for _, authenticated := range []bool{true, false} {
				cfg := incode.Config{APIKey: kyc.NewSecret("k"), AcceptUnauthenticatedWebhooks: !authenticated}
				if authenticated {
					cfg.WebhookToken = kyc.NewSecret("tok")
				}
				c, err := incode.New(cfg)
				require.NoError(t, err)
				r := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(incodetest.Webhook(tt.status, id)))
				r.Header.Set("Authorization", "Bearer tok")
				ev, err := c.ParseWebhook(r)
				require.NoError(t, err)
				assert.Equal(t, authenticated, ev.Authenticated)
				assert.Equal(t, tt.status, ev.Type)
				assert.Equal(t, "incode:"+id, ev.Reference)
				if authenticated {
					assert.Equal(t, tt.want, ev.Result.Status)
					assert.Equal(t, tt.reasons, ev.Result.Reasons)
				} else {
					assert.Equal(t, kyc.StatusPending, ev.Result.Status, "never a final Status unauthenticated")
					assert.Empty(t, ev.Result.Reasons)
				}
			}
		})
	}
}
