package advanceai

import (
	"net/http"
	"slices"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/verifier"
)

// The operations this package sends, declared once. Each Doc cites the
// section of the vendor's Back-end Integration page of H5 Document
// Verification and its Token Authentication API (https://doc.advance.ai)
// that the path and the class rest on.
var (
	opGenerateToken = kyc.Operation{Name: "advanceai.GenerateToken", Method: http.MethodPost,
		Path: PathGenerateToken, Class: kyc.ClassFree,
		Doc: `https://doc.advance.ai, Back-end Integration, "Token Authentication API": "POST https://api.advance.ai/openapi/auth/ticket/v1/generate-token" ` +
			`(the token exchange: free; its answers say "pricingStrategy":"FREE", Response Examples)`}
	opGenerateURL = kyc.Operation{Name: "advanceai.GenerateURL", Method: http.MethodPost,
		Path: PathGenerateURL, Class: kyc.ClassBilled,
		Doc: `https://doc.advance.ai, Back-end Integration, "Generate URL API": "POST https://api.advance.ai/intl/openapi/face-identity/h5-idv/v1/generate-url" ` +
			`(creates the IDV link, the start of a verification the account may pay for: Response Description, ` +
			`pricingStrategy "Whether the request will be charged"; the code table marks the link itself ` +
			`"free" (Response Code), billed is the safe class for the call that starts the verification). ` +
			`Not messaging: the request has no phone or e-mail ` +
			`(Request Parameters) and the link comes back to the caller (data.url); the vendor sends it to nobody)`}
	opGetResult = kyc.Operation{Name: "advanceai.GetResult", Method: http.MethodPost,
		Path: PathGetResult, Class: kyc.ClassFree,
		Doc: `https://doc.advance.ai, Back-end Integration, "Get Result API": "POST https://api.advance.ai/intl/openapi/face-identity/h5-idv/v1/get-result" ` +
			`(a read of a verification already started, its introduction; repeated to refresh the image ` +
			`links, Response Description)`}
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
// Reference. The vendor's ids are 16 hex digits in its examples; of its
// request ids (transactionId) it says "the max length is 64" (Generate URL
// API, Response Description, https://doc.advance.ai), the bound taken for
// both.
const MaxSignatureIDLength = 64

// idForm is the form of a signatureId, checked before anything is sent: 1
// to 64 ASCII letters, digits, '-' or '_'. The vendor documents no form;
// this one holds its examples and refuses what could change the request's
// meaning (a path, "..", control characters, a huge id).
var idForm = verifier.IDForm(MaxSignatureIDLength)
