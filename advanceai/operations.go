package advanceai

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/kyc-go/kyc"
)

// The operations this package sends, declared once. Each Doc cites the line
// of vendor-docs/advanceai.txt (the vendor's Back-end Integration page of
// H5 Document Verification and its Token Authentication API) that the
// path and the class rest on.
var (
	opGenerateToken = kyc.Operation{Name: "advanceai.GenerateToken", Method: http.MethodPost,
		Path: PathGenerateToken, Class: kyc.ClassFree,
		Doc: `vendor-docs/advanceai.txt:276 "POST https://api.advance.ai/openapi/auth/ticket/v1/generate-token" ` +
			`(the token exchange: free; its answers say "pricingStrategy":"FREE", line 324)`}
	opGenerateURL = kyc.Operation{Name: "advanceai.GenerateURL", Method: http.MethodPost,
		Path: PathGenerateURL, Class: kyc.ClassBilled,
		Doc: `vendor-docs/advanceai.txt:16 "POST https://api.advance.ai/intl/openapi/face-identity/h5-idv/v1/generate-url" ` +
			`(creates the IDV link, the start of a verification the account may pay for: line 40, ` +
			`pricingStrategy "Whether the request will be charged"; the code table marks the link itself ` +
			`"free" (line 49), billed is the safe class for the call that starts the verification). ` +
			`Not messaging: the request has no phone or e-mail ` +
			`(lines 27-30) and the link comes back to the caller (line 43); the vendor sends it to nobody)`}
	opGetResult = kyc.Operation{Name: "advanceai.GetResult", Method: http.MethodPost,
		Path: PathGetResult, Class: kyc.ClassFree,
		Doc: `vendor-docs/advanceai.txt:121 "POST https://api.advance.ai/intl/openapi/face-identity/h5-idv/v1/get-result" ` +
			`(a read of a verification already started, lines 112-113; repeated to refresh the image ` +
			`links, line 138)`}
)

var operations = []kyc.Operation{opGenerateToken, opGenerateURL, opGetResult}

// Operations returns the package's operation table: every operation the
// client sends, with its method, path template and class. The README's
// table is built from it.
func Operations() []kyc.Operation { return slices.Clone(operations) }

// The names of the composite methods, for the errors they raise before any
// operation is sent (a Request or a Reference refused).
const (
	nameVerify = "advanceai.Verify"
	nameResult = "advanceai.Result"
)

// MaxSignatureIDLength bounds a signatureId, the id inside an ADVANCE.AI
// Reference. The vendor's ids are 16 hex digits in its examples; its
// request ids are "at most 64" characters (vendor-docs/advanceai.txt:39),
// the bound taken for both.
const MaxSignatureIDLength = 64

// idForm is the form of a signatureId, checked before anything is sent: 1
// to 64 ASCII letters, digits, '-' or '_'. The vendor documents no form;
// this one holds its examples and refuses what could change the request's
// meaning (a path, "..", control characters, a huge id).
func idForm(id string) error {
	switch {
	case id == "":
		return errors.New("empty")
	case len(id) > MaxSignatureIDLength:
		return errors.New("longer than " + strconv.Itoa(MaxSignatureIDLength) + " characters")
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return errors.New("only ASCII letters, digits, '-' and '_'")
		}
	}
	return nil
}
