package ekycid

import (
	"net/http"
	"slices"

	"github.com/kyc-go/kyc"
)

// The operations of the EWS v0 API, declared once. The typed methods, the
// transport's resend decision, the logs, the Observer, the README's table
// and the tests read them from here.
//
// Every v0 submission is billed, and every one carries the vendor's
// idempotency key: the form field idempotent_id, a UUID made once per
// logical request and sent unchanged by every attempt. The vendor answers a
// resend with the same id and content with the first submission's id, so a
// submission may be resent like a read (Idempotent). Reading a reply is
// free.
var (
	opOCR = kyc.Operation{Name: "ekycid.OCR", Method: http.MethodPost, Path: "/v0/ocr",
		Class: kyc.ClassBilled, Idempotent: true,
		Doc: `inferred from the vendor's Node SDK (GitHub EKYCSolutions/node-sdk, packages/ml-vision/src/index.ts): POST v0/ocr with image_url, object_type, is_raw; every form also carries idempotent_id (packages/client/src/node.ts prepareFormData)`}
	opDetectID = kyc.Operation{Name: "ekycid.DetectID", Method: http.MethodPost, Path: "/v0/id-detection",
		Class: kyc.ClassBilled, Idempotent: true,
		Doc: `inferred from the vendor's Node SDK (GitHub EKYCSolutions/node-sdk, packages/ml-vision/src/index.ts): POST v0/id-detection with image_url, and idempotent_id`}
	opCompareFaces = kyc.Operation{Name: "ekycid.CompareFaces", Method: http.MethodPost, Path: "/v0/face-compare",
		Class: kyc.ClassBilled, Idempotent: true,
		Doc: `inferred from the vendor's Node SDK (GitHub EKYCSolutions/node-sdk, packages/ml-vision/src/index.ts): POST v0/face-compare with face_image_0_url, face_image_1_url, and idempotent_id`}
	opLiveness = kyc.Operation{Name: "ekycid.Liveness", Method: http.MethodPost, Path: "/v0/liveness-detection",
		Class: kyc.ClassBilled, Idempotent: true,
		Doc: `inferred from the vendor's Node SDK (GitHub EKYCSolutions/node-sdk, packages/ml-vision/src/index.ts): POST v0/liveness-detection with sequences[i][checks], sequences[i][video_url], and idempotent_id`}
	opManualKYC = kyc.Operation{Name: "ekycid.ManualKYC", Method: http.MethodPost, Path: "/v0/manual-kyc",
		Class: kyc.ClassBilled, Idempotent: true,
		Doc: `inferred from the vendor's Node SDK (GitHub EKYCSolutions/node-sdk, packages/ml-vision/src/index.ts): POST v0/manual-kyc with is_raw, object_type, ocr_image_url, face_image_url, face_turn_left_image_url, face_turn_right_image_url, and idempotent_id`}
	opExpressKYC = kyc.Operation{Name: "ekycid.ExpressKYC", Method: http.MethodPost, Path: "/v0/express-kyc",
		Class: kyc.ClassBilled, Idempotent: true,
		Doc: `inferred from the vendor's Node SDK (GitHub EKYCSolutions/node-sdk, packages/ml-vision/src/index.ts): POST v0/express-kyc with is_raw, object_type, ocr_image_url, face_image_url, sequences[i][checks], sequences[i][video_url], and idempotent_id`}
	opReply = kyc.Operation{Name: "ekycid.Reply", Method: http.MethodGet, Path: "/v0/api-request-reply/{id}",
		Class: kyc.ClassFree,
		Doc:   `inferred from the vendor's Node SDK (GitHub EKYCSolutions/node-sdk, packages/client/src/node.ts): GET v0/api-request-reply/{id}; a read of a submission already billed`}
)

var operations = []kyc.Operation{opOCR, opDetectID, opCompareFaces, opLiveness, opManualKYC, opExpressKYC, opReply}

// Operations returns the package's operation table: every operation the
// client sends, with its method, path template and class. The README's table
// is built from it.
func Operations() []kyc.Operation { return slices.Clone(operations) }
