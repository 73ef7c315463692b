package ekycid

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

func TestErrorFixtures(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	tests := []struct {
		status  int
		fixture string
		kind    error
		code    string
	}{
		{401, "error_missing_key.json", kyc.ErrUnauthorized, "MISSING_API_KEY"},
		{401, "error_invalid_key.json", kyc.ErrUnauthorized, "INVALID_API_KEY"},
		{401, "error_expired_key.json", kyc.ErrUnauthorized, "EXPIRED_API_KEY"},
		{403, "error_permission.json", kyc.ErrForbidden, "INSUFFICIENT_PERMISSIONS"},
		{404, "error_not_found.json", kyc.ErrNotFound, "NOT_FOUND"},
		{409, "error_duplicate.json", kyc.ErrInvalidRequest, "DUPLICATE_IDEMPOTENT_ID"},
		{401, "error_fastify.json", kyc.ErrUnauthorized, ""},
		{500, "error_missing_key.json", kyc.ErrUnauthorized, "MISSING_API_KEY"}, // the code wins over the status
		{200, "error_permission.json", kyc.ErrForbidden, "INSUFFICIENT_PERMISSIONS"},
		{502, "error_502.html", kyc.ErrUnavailable, ""},
		{503, "reply_pending.json", kyc.ErrUnavailable, ""},
		{400, "reply_pending.json", kyc.ErrInvalidRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			mt.RegisterResponder("POST", testBase+"/v0/ocr", fixtureResponder(t, tt.status, tt.fixture))
			_, err := c.OCR(context.Background(), OCRRequest{Image: MediaURL("https://cdn.example.test/c.jpg")})
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.kind)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, tt.code, kerr.Code)
			assert.Equal(t, tt.status, kerr.StatusCode)
			assert.Equal(t, "ekycid.OCR", kerr.Op)
			assert.True(t, kerr.MayHaveBeenSent())
			assert.NotContains(t, err.Error(), testKey)
			if tt.code == "INSUFFICIENT_PERMISSIONS" {
				assert.Equal(t, "Insufficient permissions for the requested operation", kerr.VendorMessage)
				assert.Equal(t, "insufficient permissions for the requested operation", kerr.Message)
			}
		})
	}
}

func TestCodeTables(t *testing.T) {
	t.Parallel()
	for code, kind := range codeKinds {
		assert.Equal(t, kind, codeKind(code, ""), code)
		assert.Equal(t, kind, codeKind(strings.ToLower(code), ""), code)
	}
	words := []struct {
		text string
		kind error
	}{
		{"Missing API key", kyc.ErrUnauthorized},
		{"Invalid or expired API key", kyc.ErrUnauthorized},
		{"Insufficient permissions for the requested operation", kyc.ErrForbidden},
		{"api_key_revoked", kyc.ErrUnauthorized},
		{"duplicate idempotency key", kyc.ErrInvalidRequest},
		{"request not found", kyc.ErrNotFound},
		{"rate limit exceeded", kyc.ErrRateLimited},
		{"too many requests", kyc.ErrRateLimited},
		{"no credit left", kyc.ErrInsufficientCredit},
		{"internal server error", kyc.ErrUnavailable},
		{"upstream timeout", kyc.ErrTimeout},
		{"cannot extract information", nil},
		{"", nil},
	}
	for _, w := range words {
		assert.Equal(t, w.kind, codeKind("", w.text), w.text)
	}
	for code, want := range codeReasons {
		r, resubmit, ok := reasonFor(&ReplyError{Code: code})
		assert.True(t, ok, code)
		assert.Equal(t, want.reason, r, code)
		assert.Equal(t, want.resubmit, resubmit, code)
	}
	for _, k := range reasonKeywords {
		text := strings.Join(k.words, " ")
		r, _, ok := reasonFor(&ReplyError{Code: "E1", Message: text})
		assert.True(t, ok, text)
		assert.True(t, r.Valid(), text)
	}
	msgs := []struct {
		msg    string
		reason kyc.Reason
	}{
		{"invalid national id", kyc.ReasonLowQualityImage},
		{"face not detected", kyc.ReasonNoFace},
		{"no document detected", kyc.ReasonNoDocument},
		{"liveness check failed", kyc.ReasonLivenessFailed},
	}
	for _, m := range msgs {
		r, _, ok := reasonFor(&ReplyError{Code: "422", Message: m.msg})
		assert.True(t, ok, m.msg)
		assert.Equal(t, m.reason, r, m.msg)
	}
	_, _, ok := reasonFor(&ReplyError{Code: "INVALID_API_KEY", Message: "ocr"})
	assert.False(t, ok, "a credential error is never a rejection")
}
