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
// Doc cites the line it rests on: vendor-docs/atlas.txt (the vendor's own
// documentation) or research/atlas.md (the vendor's Java sample, and
// independent integrators' code for API v2). Classes follow the resend
// policy's definitions: messaging may text a person, billed may charge the
// account, free is a read.
var (
	opEnrolFace = kyc.Operation{Name: "atlas.EnrolFace", Method: http.MethodPost, Path: "/face/enrol",
		Class: kyc.ClassBilled,
		Doc:   `research/atlas.md:252: "POST | /face/enrol | multipart face_image" (vendor's Java sample); billed: vendor-docs/atlas.txt:104 "Face Verification … the face is enrolled once"`}
	opCompareFaces = kyc.Operation{Name: "atlas.CompareFaces", Method: http.MethodPost, Path: "/face/compare",
		Class: kyc.ClassBilled,
		Doc:   `research/atlas.md:253: "POST | /face/compare | … multipart face_image_1, face_image_2" (Java sample); billed: vendor-docs/atlas.txt:103 "Face Comparison - Compare two faces"`}
	opVerifyFace = kyc.Operation{Name: "atlas.VerifyFace", Method: http.MethodPost, Path: "/face/verify",
		Class: kyc.ClassBilled,
		Doc:   `research/atlas.md:254: "POST | /face/verify | query face_id=<enrolled id>; multipart face_image" (Java sample); billed: vendor-docs/atlas.txt:104 "Face Verification"`}
	opFetchFace = kyc.Operation{Name: "atlas.FetchFace", Method: http.MethodGet, Path: "/face/fetch",
		Class: kyc.ClassFree,
		Doc:   `research/atlas.md:255: "GET | /face/fetch | query face_id | Returns the image bytes" (Java sample); free: a read`}
	opDeleteFace = kyc.Operation{Name: "atlas.DeleteFace", Method: http.MethodGet, Path: "/face/delete",
		Class: kyc.ClassFree,
		Doc:   `research/atlas.md:256: "GET | /face/delete | query face_id" (Java sample); free: inferred, a GET that verifies nothing and is harmless to repeat`}
	opVideoChallenge = kyc.Operation{Name: "atlas.VideoChallenge", Method: http.MethodGet, Path: "/video/challenge",
		Class: kyc.ClassFree,
		Doc:   `research/atlas.md:257: "GET | /video/challenge | query no_of_challenges=2" (Java sample); free: inferred, a GET that issues codes and verifies nothing`}
	opVerifyPAN = kyc.Operation{Name: "atlas.VerifyPAN", Method: http.MethodPost, Path: "/verify/pan",
		Class: kyc.ClassBilled,
		Doc:   `research/atlas.md:274: "POST | /verify/pan | query pan_number"; billed: vendor-docs/atlas.txt:125 "Verify PAN - Verify PAN card against issuing authority"`}
	opVerifyGSTIN = kyc.Operation{Name: "atlas.VerifyGSTIN", Method: http.MethodPost, Path: "/verify/gstin",
		Class: kyc.ClassBilled,
		Doc:   `research/atlas.md:275: "POST | /verify/gstin | query gst_number"; billed: vendor-docs/atlas.txt:128 "Verify GSTN - Verify GSTN against issuing authority"`}
	opVerifyBankAccount = kyc.Operation{Name: "atlas.VerifyBankAccount", Method: http.MethodPost, Path: "/verify/bank_advanced",
		Class: kyc.ClassBilled,
		Doc:   `research/atlas.md:276: "POST | /verify/bank_advanced (penny drop) | query acc_number, ifsc, name_n_match, name_1_match, fuzzy_match=1"; billed: vendor-docs/atlas.txt:124 "Verify Bank Account - Penny Drop verification"`}
	opVerifyPassport = kyc.Operation{Name: "atlas.VerifyPassport", Method: http.MethodPost, Path: "/verify/passport",
		Class: kyc.ClassBilled,
		Doc:   `research/atlas.md:278: "POST | /verify/passport | query params (names not shown)"; billed: inferred, an ID verification against the issuing authority like vendor-docs/atlas.txt:125`}
	opPANToAadhaar = kyc.Operation{Name: "atlas.PANToAadhaar", Method: http.MethodPost, Path: "/verify/pantoadr",
		Class: kyc.ClassBilled,
		Doc:   `research/atlas.md:279: "POST | /verify/pantoadr | form pan_no"; billed: inferred, an ID verification like vendor-docs/atlas.txt:125`}
	opVerifyMSME = kyc.Operation{Name: "atlas.VerifyMSME", Method: http.MethodPost, Path: "/verify/msme",
		Class: kyc.ClassBilled,
		Doc:   `research/atlas.md:280: "POST | /verify/msme | form udyam_no"; billed: inferred, a business verification like vendor-docs/atlas.txt:128`}
	opVerificationStatus = kyc.Operation{Name: "atlas.VerificationStatus", Method: http.MethodGet, Path: "/verify/status",
		Class: kyc.ClassFree,
		Doc:   `research/atlas.md:277: "GET | /verify/status | query type, id"; free: a read`}
	opAadhaarOTP = kyc.Operation{Name: "atlas.AadhaarOTP", Method: http.MethodPost, Path: "/aadhaar/aadhaar_otp",
		Class: kyc.ClassMessaging,
		Doc:   `research/atlas.md:281: "POST | /aadhaar/aadhaar_otp | query aadhaar_number"; messaging: UIDAI texts an OTP to the holder's phone (issue 12)`}
	opAadhaarKYC = kyc.Operation{Name: "atlas.AadhaarKYC", Method: http.MethodPost, Path: "/aadhaar/aadhaar_kyc",
		Class: kyc.ClassBilled,
		Doc:   `research/atlas.md:282: "POST | /aadhaar/aadhaar_kyc | query id, otp"; billed: inferred, the e-KYC record is the service sold (vendor-docs/atlas.txt:109)`}
	opMaskAadhaar = kyc.Operation{Name: "atlas.MaskAadhaar", Method: http.MethodPost, Path: "/aadhaar/mask",
		Class: kyc.ClassBilled,
		Doc:   `research/atlas.md:283: "POST | /aadhaar/mask | multipart part file (jpeg)"; billed: vendor-docs/atlas.txt:111 "Aadhaar Masking - Redact the first 8 digits"`}
	opESignRequest = kyc.Operation{Name: "atlas.ESignRequest", Method: http.MethodPost, Path: "/esign/request",
		Class: kyc.ClassMessaging,
		Doc:   `research/atlas.md:285: "POST | /esign/request | form data + files"; messaging: inferred, an Aadhaar eSign (vendor-docs/atlas.txt:112) creates a signing link the vendor may send to the signer, and the stricter class also covers its charge`}
	opESignStatus = kyc.Operation{Name: "atlas.ESignStatus", Method: http.MethodPost, Path: "/esign/status",
		Class: kyc.ClassFree,
		Doc:   `research/atlas.md:286: "POST | /esign/status | query id | data.document_status"; free: a read, although sent as POST`}
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
