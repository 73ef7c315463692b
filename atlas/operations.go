package atlas

import (
	"net/http"
	"slices"

	"github.com/kyc-go/kyc"
)

// The operation table: every operation the client sends, declared once.
// The typed methods, the transport's resend decision, the logs, the
// Observer, the README's table and the tests read it.
//
// Doc cites what it rests on: the vendor's API documentation
// (https://api-docs.atlaskyc.com/atlas-api/), or "inferred from" the vendor's
// official Java sample (GitHub frslabs/atlas-api-sample-java) or independent
// integrators' public code for API v2 (https://api.atlaskyc.com/v2/prod),
// where the vendor's public pages show no path. Classes follow the resend
// policy's definitions: messaging may text a person, billed may charge the
// account, free is a read.
var (
	opEnrolFace = kyc.Operation{Name: "atlas.EnrolFace", Method: http.MethodPost, Path: "/face/enrol",
		Class: kyc.ClassBilled,
		Doc:   `inferred from the vendor's official Java sample (GitHub frslabs/atlas-api-sample-java): POST /face/enrol, multipart face_image; billed: https://api-docs.atlaskyc.com/atlas-api/ "Face Verification … the face is enrolled once"`}
	opCompareFaces = kyc.Operation{Name: "atlas.CompareFaces", Method: http.MethodPost, Path: "/face/compare",
		Class: kyc.ClassBilled,
		Doc:   `inferred from the vendor's official Java sample (GitHub frslabs/atlas-api-sample-java): POST /face/compare, multipart face_image_1, face_image_2; billed: https://api-docs.atlaskyc.com/atlas-api/ "Face Comparison - Compare two faces"`}
	opVerifyFace = kyc.Operation{Name: "atlas.VerifyFace", Method: http.MethodPost, Path: "/face/verify",
		Class: kyc.ClassBilled,
		Doc:   `inferred from the vendor's official Java sample (GitHub frslabs/atlas-api-sample-java): POST /face/verify, query face_id=<enrolled id>, multipart face_image; billed: https://api-docs.atlaskyc.com/atlas-api/ "Face Verification"`}
	opFetchFace = kyc.Operation{Name: "atlas.FetchFace", Method: http.MethodGet, Path: "/face/fetch",
		Class: kyc.ClassFree,
		Doc:   `inferred from the vendor's official Java sample (GitHub frslabs/atlas-api-sample-java): GET /face/fetch, query face_id, answers the image bytes; free: a read`}
	opDeleteFace = kyc.Operation{Name: "atlas.DeleteFace", Method: http.MethodGet, Path: "/face/delete",
		Class: kyc.ClassFree,
		Doc:   `inferred from the vendor's official Java sample (GitHub frslabs/atlas-api-sample-java): GET /face/delete, query face_id; free: inferred, a GET that verifies nothing and is harmless to repeat`}
	opVideoChallenge = kyc.Operation{Name: "atlas.VideoChallenge", Method: http.MethodGet, Path: "/video/challenge",
		Class: kyc.ClassFree,
		Doc:   `inferred from the vendor's official Java sample (GitHub frslabs/atlas-api-sample-java): GET /video/challenge, query no_of_challenges=2; free: inferred, a GET that issues codes and verifies nothing`}
	opVerifyPAN = kyc.Operation{Name: "atlas.VerifyPAN", Method: http.MethodPost, Path: "/verify/pan",
		Class: kyc.ClassBilled,
		Doc:   `inferred from integrators' public code for API v2: POST /verify/pan, query pan_number; billed: https://api-docs.atlaskyc.com/atlas-api/ "Verify PAN - Verify PAN card against issuing authority"`}
	opVerifyGSTIN = kyc.Operation{Name: "atlas.VerifyGSTIN", Method: http.MethodPost, Path: "/verify/gstin",
		Class: kyc.ClassBilled,
		Doc:   `inferred from integrators' public code for API v2: POST /verify/gstin, query gst_number; billed: https://api-docs.atlaskyc.com/atlas-api/ "Verify GSTN - Verify GSTN against issuing authority"`}
	opVerifyBankAccount = kyc.Operation{Name: "atlas.VerifyBankAccount", Method: http.MethodPost, Path: "/verify/bank_advanced",
		Class: kyc.ClassBilled,
		Doc:   `inferred from integrators' public code for API v2: POST /verify/bank_advanced (penny drop), query acc_number, ifsc, name_n_match, name_1_match, fuzzy_match=1; billed: https://api-docs.atlaskyc.com/atlas-api/ "Verify Bank Account - Penny Drop verification"`}
	opVerifyPassport = kyc.Operation{Name: "atlas.VerifyPassport", Method: http.MethodPost, Path: "/verify/passport",
		Class: kyc.ClassBilled,
		Doc:   `inferred from integrators' public code for API v2: POST /verify/passport, query params (names not shown); billed: inferred, an ID verification against the issuing authority like "Verify PAN" on https://api-docs.atlaskyc.com/atlas-api/`}
	opPANToAadhaar = kyc.Operation{Name: "atlas.PANToAadhaar", Method: http.MethodPost, Path: "/verify/pantoadr",
		Class: kyc.ClassBilled,
		Doc:   `inferred from integrators' public code for API v2: POST /verify/pantoadr, form pan_no; billed: inferred, an ID verification like "Verify PAN" on https://api-docs.atlaskyc.com/atlas-api/`}
	opVerifyMSME = kyc.Operation{Name: "atlas.VerifyMSME", Method: http.MethodPost, Path: "/verify/msme",
		Class: kyc.ClassBilled,
		Doc:   `inferred from integrators' public code for API v2: POST /verify/msme, form udyam_no; billed: inferred, a business verification like "Verify GSTN" on https://api-docs.atlaskyc.com/atlas-api/`}
	opVerificationStatus = kyc.Operation{Name: "atlas.VerificationStatus", Method: http.MethodGet, Path: "/verify/status",
		Class: kyc.ClassFree,
		Doc:   `inferred from integrators' public code for API v2: GET /verify/status, query type, id; free: a read`}
	opAadhaarOTP = kyc.Operation{Name: "atlas.AadhaarOTP", Method: http.MethodPost, Path: "/aadhaar/aadhaar_otp",
		Class: kyc.ClassMessaging,
		Doc:   `inferred from integrators' public code for API v2: POST /aadhaar/aadhaar_otp, query aadhaar_number; messaging: UIDAI texts an OTP to the holder's phone (issue 12)`}
	opAadhaarKYC = kyc.Operation{Name: "atlas.AadhaarKYC", Method: http.MethodPost, Path: "/aadhaar/aadhaar_kyc",
		Class: kyc.ClassBilled,
		Doc:   `inferred from integrators' public code for API v2: POST /aadhaar/aadhaar_kyc, query id, otp; billed: inferred, the e-KYC record is the service sold ("Aadhaar services" on https://api-docs.atlaskyc.com/atlas-api/)`}
	opMaskAadhaar = kyc.Operation{Name: "atlas.MaskAadhaar", Method: http.MethodPost, Path: "/aadhaar/mask",
		Class: kyc.ClassBilled,
		Doc:   `inferred from integrators' public code for API v2: POST /aadhaar/mask, multipart part file (jpeg); billed: https://api-docs.atlaskyc.com/atlas-api/ "Aadhaar Masking - Redact the first 8 digits"`}
	opESignRequest = kyc.Operation{Name: "atlas.ESignRequest", Method: http.MethodPost, Path: "/esign/request",
		Class: kyc.ClassMessaging,
		Doc:   `inferred from integrators' public code for API v2: POST /esign/request, form data + files; messaging: inferred, an Aadhaar eSign ("Aadhaar eSign" on https://api-docs.atlaskyc.com/atlas-api/) creates a signing link the vendor may send to the signer, and the stricter class also covers its charge`}
	opESignStatus = kyc.Operation{Name: "atlas.ESignStatus", Method: http.MethodPost, Path: "/esign/status",
		Class: kyc.ClassFree,
		Doc:   `inferred from integrators' public code for API v2: POST /esign/status, query id, answer data.document_status; free: a read, although sent as POST`}
)

var operations = []kyc.Operation{
	opEnrolFace, opCompareFaces, opVerifyFace, opFetchFace, opDeleteFace, opVideoChallenge,
	opVerifyPAN, opVerifyGSTIN, opVerifyBankAccount, opVerifyPassport, opPANToAadhaar, opVerifyMSME,
	opVerificationStatus, opAadhaarOTP, opAadhaarKYC, opMaskAadhaar, opESignRequest, opESignStatus,
}

// Operations returns the package's operation table: every operation the
// client sends, with its method, path template and class. The README's
// table is built from it.
func Operations() []kyc.Operation { return slices.Clone(operations) }
