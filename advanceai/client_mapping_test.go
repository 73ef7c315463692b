package advanceai

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

func TestCodeTable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code, message string
		status        int
		kind          error
	}{
		{"PARAMETER_ERROR", "Parameter error,please check you input.", 200, kyc.ErrInvalidRequest},
		{"PARAMETER_ERROR", "Parameter should not be empty", 200, kyc.ErrInvalidRequest},
		{"PARAMETER_ERROR", "Invalid returnUrl,please check your returnUrl", 200, kyc.ErrInvalidRequest},
		{"PARAMETER_ERROR", "Invalid returnUrl, please check your returnUrl", 200, kyc.ErrInvalidRequest},
		{"PARAMETER_ERROR", "Region is wrong", 200, kyc.ErrInvalidRequest},
		{"PARAMETER_ERROR", "Timestamp error", 200, kyc.ErrUnauthorized},
		{"PARAMETER_ERROR", "Signature error", 200, kyc.ErrUnauthorized},
		{"PARAMETER_ERROR", "Signature error.", 200, kyc.ErrUnauthorized},
		{"PARAMETER_ERROR", "an undocumented message", 200, kyc.ErrInvalidRequest},
		{"REGION_WRONG", "Region is wrong", 200, kyc.ErrInvalidRequest},
		{"SIGNATURE_NOT_EXIST", "This signatureId is not exist", 200, kyc.ErrNotFound},
		{"ACCOUNT_DISABLED", "Account Disabled", 200, kyc.ErrForbidden},
		{"CLIENT_ERROR", "HTTP 400 - Bad Request", 200, kyc.ErrInvalidRequest},
		{"CLIENT_ERROR", "HTTP 400 - Bad Request", 400, kyc.ErrInvalidRequest},
		{"ERROR", "Server error", 200, kyc.ErrUnavailable},
		{"IAM_FAILED", "Access Denied", 401, kyc.ErrUnauthorized},
		{"UNKNOWN_CODE", "", 200, kyc.ErrBadResponse},
		{"UNKNOWN_CODE", "", 429, kyc.ErrRateLimited},
		{"UNKNOWN_CODE", "", 503, kyc.ErrUnavailable},
		{"SUCCESS", "OK", 500, kyc.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.code+"/"+tt.message, func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t)
			body, _ := json.Marshal(map[string]any{"code": tt.code, "message": tt.message, "data": nil, "extra": nil, "transactionId": "txn-9", "pricingStrategy": "FREE"})
			mt.RegisterResponder(http.MethodPost, urlResult, httpmock.NewBytesResponder(tt.status, body))
			_, err := c.GetResult(context.Background(), "abc")
			kerr := requireKind(t, err, tt.kind)
			assert.Equal(t, tt.code, kerr.Code)
			assert.Equal(t, "txn-9", kerr.RequestID)
			assert.Equal(t, tt.status, kerr.StatusCode)
		})
	}
	// Every code in the table is covered above.
	for code := range codeKinds {
		assert.NotNil(t, kindFor(code, "", 200), code)
	}
}

func TestIDVMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		idv      string
		status   kyc.Status
		reasons  []kyc.Reason
		resubmit bool
		err      error
	}{
		{"SUCCESS", kyc.StatusApproved, nil, false, nil},
		{"FORGERY_DETECTED", kyc.StatusRejected, []kyc.Reason{kyc.ReasonDocumentForged}, false, nil},
		{"LOW_QUALITY_IMAGE", kyc.StatusRejected, []kyc.Reason{kyc.ReasonLowQualityImage}, true, nil},
		{"CARD_NOT_FOUND", kyc.StatusRejected, []kyc.Reason{kyc.ReasonNoDocument}, true, nil},
		{"TOO_MANY_CARDS", kyc.StatusRejected, []kyc.Reason{kyc.ReasonOther}, true, nil},
		{"NO_SUPPORTED_CARD", kyc.StatusRejected, []kyc.Reason{kyc.ReasonUnsupportedDocument}, true, nil},
		{"INCOMPLETED_CARD", kyc.StatusRejected, []kyc.Reason{kyc.ReasonLowQualityImage}, true, nil},
		{"TOO_SMALL_CARD", kyc.StatusRejected, []kyc.Reason{kyc.ReasonLowQualityImage}, true, nil},
		{"ERROR", "", nil, false, kyc.ErrUnavailable},
		{"", kyc.StatusPending, []kyc.Reason{kyc.ReasonNotFinished}, false, nil},
		{"SOMETHING_NEW", kyc.StatusReview, []kyc.Reason{kyc.ReasonOther}, false, nil},
	}
	documented := map[string]bool{}
	for _, tt := range tests {
		documented[tt.idv] = true
		t.Run(tt.idv, func(t *testing.T) {
			t.Parallel()
			res, err := toResult(&VerificationResult{Meta: Meta{TransactionID: "t", PricingStrategy: "PAY"}, IDVCode: tt.idv}, "advanceai:x")
			if tt.err != nil {
				kerr := requireKind(t, err, tt.err)
				assert.Equal(t, tt.idv, kerr.Code)
				assert.Equal(t, "t", kerr.RequestID)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.status, res.Status)
			assert.Equal(t, tt.reasons, res.Reasons)
			assert.Equal(t, tt.resubmit, res.Resubmit)
			assert.Equal(t, kyc.ChargePaid, res.Charged)
			assert.Equal(t, "advanceai:x", res.Reference)
			for _, r := range res.Reasons {
				assert.True(t, r.Valid())
			}
		})
	}
	for _, code := range IDVCodes() {
		assert.True(t, documented[code], "idvCode %s has a row", code)
	}
}

func TestCharged(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]kyc.Charge{"FREE": kyc.ChargeFree, "PAY": kyc.ChargePaid, "pay": kyc.ChargePaid, "": kyc.ChargeUnknown, "X": kyc.ChargeUnknown} {
		assert.Equal(t, want, Meta{PricingStrategy: in}.Charged(), in)
	}
}

func TestDocumentDataFallbacks(t *testing.T) {
	t.Parallel()
	d := documentData(&OCRResult{BirthPlaceBirthday: "JAKARTA, 17-08-1990", Gender: "LAKI-LAKI", Nationality: "WNA", ExpiryDate: "17-08-2030"})
	assert.Equal(t, time.Date(1990, 8, 17, 0, 0, 0, 0, time.UTC), d.DateOfBirth)
	assert.Equal(t, time.Date(2030, 8, 17, 0, 0, 0, 0, time.UTC), d.ExpiryDate)
	assert.Equal(t, "M", d.Sex)
	assert.Equal(t, "WNA", d.Nationality)
	assert.Empty(t, d.Address)
	// Pending answers carry no document even if an OCR object came.
	res, err := toResult(&VerificationResult{OCRResult: &OCRResult{Name: "X"}}, "advanceai:x")
	require.NoError(t, err)
	assert.Nil(t, res.Document)
}
