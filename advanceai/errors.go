package advanceai

import (
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// The envelope codes the vendor documents for the three endpoints, plus
// IAM_FAILED.
const (
	CodeSuccess           = "SUCCESS"
	CodeParameterError    = "PARAMETER_ERROR"
	CodeRegionWrong       = "REGION_WRONG"
	CodeSignatureNotExist = "SIGNATURE_NOT_EXIST"
	CodeAccountDisabled   = "ACCOUNT_DISABLED"
	CodeClientError       = "CLIENT_ERROR"
	CodeError             = "ERROR"
	// CodeIAMFailed refuses an expired or unknown access token, with HTTP
	// 401. Reported by public material, not by the vendor's documentation.
	CodeIAMFailed = "IAM_FAILED"
)

// codeKinds maps envelope codes to error kinds. PARAMETER_ERROR is looked up
// by message in parameterErrorKinds; a code in neither table is
// ErrBadResponse (or the HTTP status's kind, when the status is an error),
// with the code kept in kyc.Error.Code.
var codeKinds = map[string]error{
	CodeParameterError:    kyc.ErrInvalidRequest,
	CodeRegionWrong:       kyc.ErrInvalidRequest,
	CodeSignatureNotExist: kyc.ErrNotFound,
	CodeAccountDisabled:   kyc.ErrForbidden,
	CodeClientError:       kyc.ErrInvalidRequest,
	CodeError:             kyc.ErrUnavailable,
	CodeIAMFailed:         kyc.ErrUnauthorized,
}

// parameterErrorKinds maps every documented PARAMETER_ERROR message
// (lowercased, without a final period) to a kind: the token endpoint's
// signature and timestamp errors are authentication failures, the rest are
// bad requests. Unlisted messages are ErrInvalidRequest.
var parameterErrorKinds = map[string]error{
	"parameter error,please check you input":         kyc.ErrInvalidRequest,
	"parameter should not be empty":                  kyc.ErrInvalidRequest,
	"invalid returnurl,please check your returnurl":  kyc.ErrInvalidRequest,
	"invalid returnurl, please check your returnurl": kyc.ErrInvalidRequest,
	"region is wrong":                                kyc.ErrInvalidRequest,
	"timestamp error":                                kyc.ErrUnauthorized,
	"signature error":                                kyc.ErrUnauthorized,
}

func normalizeMessage(m string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(m)), ".")
}

// kindFor classifies a non-SUCCESS answer (or a SUCCESS with an error
// status).
func kindFor(code, message string, status int) error {
	if code == CodeParameterError {
		if k, ok := parameterErrorKinds[normalizeMessage(message)]; ok {
			return k
		}
	}
	if k, ok := codeKinds[code]; ok {
		return k
	}
	if status >= 400 {
		return transport.KindForStatus(status)
	}
	return kyc.ErrBadResponse
}

// The idvCode values of Get Result.
const (
	IDVSuccess         = "SUCCESS"
	IDVLowQualityImage = "LOW_QUALITY_IMAGE"
	IDVForgeryDetected = "FORGERY_DETECTED"
	IDVCardNotFound    = "CARD_NOT_FOUND"
	IDVTooManyCards    = "TOO_MANY_CARDS"
	IDVNoSupportedCard = "NO_SUPPORTED_CARD"
	IDVIncompletedCard = "INCOMPLETED_CARD"
	IDVTooSmallCard    = "TOO_SMALL_CARD"
	IDVError           = "ERROR"
)

// IDVCodes returns every documented idvCode.
func IDVCodes() []string {
	return []string{IDVSuccess, IDVLowQualityImage, IDVForgeryDetected, IDVCardNotFound, IDVTooManyCards,
		IDVNoSupportedCard, IDVIncompletedCard, IDVTooSmallCard, IDVError}
}

// The ocrCode values of Get Result.
const (
	OCRSuccess  = "SUCCESS"
	OCRNoResult = "OCR_NO_RESULT"
	OCRError    = "ERROR"
)

// verdict is what an idvCode means in kyc terms.
type verdict struct {
	status   kyc.Status
	reasons  []kyc.Reason
	resubmit bool
	// err is set for codes that are a failure, not a verdict.
	err error
}

// idvVerdicts maps every documented idvCode. Capture problems let the person
// try again (Resubmit); a forgery is final. NO_SUPPORTED_CARD also allows a
// resubmission, since the vendor's text asks the person to use a KTP. An
// undocumented idvCode becomes StatusReview with ReasonOther, the code kept
// in Raw.
var idvVerdicts = map[string]verdict{
	IDVSuccess:         {status: kyc.StatusApproved},
	IDVForgeryDetected: {status: kyc.StatusRejected, reasons: []kyc.Reason{kyc.ReasonDocumentForged}},
	IDVLowQualityImage: {status: kyc.StatusRejected, reasons: []kyc.Reason{kyc.ReasonLowQualityImage}, resubmit: true},
	IDVCardNotFound:    {status: kyc.StatusRejected, reasons: []kyc.Reason{kyc.ReasonNoDocument}, resubmit: true},
	IDVTooManyCards:    {status: kyc.StatusRejected, reasons: []kyc.Reason{kyc.ReasonOther}, resubmit: true},
	IDVIncompletedCard: {status: kyc.StatusRejected, reasons: []kyc.Reason{kyc.ReasonLowQualityImage}, resubmit: true},
	IDVTooSmallCard:    {status: kyc.StatusRejected, reasons: []kyc.Reason{kyc.ReasonLowQualityImage}, resubmit: true},
	IDVNoSupportedCard: {status: kyc.StatusRejected, reasons: []kyc.Reason{kyc.ReasonUnsupportedDocument}, resubmit: true},
	IDVError:           {err: kyc.ErrUnavailable},
}

// verdictFor returns the verdict for an idvCode; "" is not finished yet.
func verdictFor(idvCode string) verdict {
	if idvCode == "" {
		return verdict{status: kyc.StatusPending, reasons: []kyc.Reason{kyc.ReasonNotFinished}}
	}
	if v, ok := idvVerdicts[idvCode]; ok {
		return v
	}
	return verdict{status: kyc.StatusReview, reasons: []kyc.Reason{kyc.ReasonOther}}
}
