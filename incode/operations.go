package incode

import (
	"net/http"
	"slices"

	"github.com/kyc-go/kyc"
)

// The operation table: every operation the client sends, declared once.
// Typed methods, the transport's resend policy, logs, the Observer, the
// README's table and the tests all read it.
//
// Classes: Incode bills per onboarding session and per check it runs on
// that session; its pricing is not public, so every call that starts a
// session or runs a check on it (an upload runs classification or
// liveness at once) is billed, and only reads and the executive log-in are
// free.
var (
	opExecutiveLogIn = kyc.Operation{Name: "incode.ExecutiveLogIn", Method: http.MethodPost,
		Path: "/executive/log-in", Class: kyc.ClassFree,
		Doc: "https://developer.incode.com/reference/how-to-get-an-session-token: an executive token is \"generated from a user's password and email\", \"The TTL value of these tokens defaults to 24 hours\" (POST /executive/log-in with body {email, password} → {token}); a token exchange"}
	opStartSession = kyc.Operation{Name: "incode.StartSession", Method: http.MethodPost,
		Path: "/omni/start", Class: kyc.ClassBilled,
		Doc: "https://docs.incode.com/docs/omni-api/integration-guide: \"create a session and get a session token (step 1)\" (https://developer.incode.com/reference/startinterview); a new onboarding session may be billed"}
	opAddFrontID = kyc.Operation{Name: "incode.AddFrontID", Method: http.MethodPost,
		Path: "/omni/add/front-id/v2", Class: kyc.ClassBilled,
		Doc: "https://docs.incode.com/docs/omni-api/integration-guide: \"upload the front and back (if applicable) images of the ID (steps 2 and 3)\"; inferred billed: the upload runs Incode's classifier at once"}
	opAddBackID = kyc.Operation{Name: "incode.AddBackID", Method: http.MethodPost,
		Path: "/omni/add/back-id/v2", Class: kyc.ClassBilled,
		Doc: "https://docs.incode.com/docs/omni-api/integration-guide: \"upload the front and back (if applicable) images of the ID (steps 2 and 3)\"; inferred billed, as the front"}
	opProcessID = kyc.Operation{Name: "incode.ProcessID", Method: http.MethodPost,
		Path: "/omni/process/id", Class: kyc.ClassBilled,
		Doc: "https://docs.incode.com/docs/omni-api/integration-guide: \"start the ID processing job (step 4)... runs the ID validation tests\"; a check, billed"}
	opAddSelfie = kyc.Operation{Name: "incode.AddSelfie", Method: http.MethodPost,
		Path: "/omni/add/face/third-party", Class: kyc.ClassBilled,
		Doc: "https://docs.incode.com/docs/omni-api/integration-guide: \"upload the selfie (step 5)\"; https://developer.incode.com/docs/api-onboarding-face-validation: liveness is \"Performed as soon as you add a selfie image\"; a check, billed"}
	opProcessFace = kyc.Operation{Name: "incode.ProcessFace", Method: http.MethodPost,
		Path: "/omni/process/face", Class: kyc.ClassBilled,
		Doc: "https://docs.incode.com/docs/omni-api/integration-guide: \"perform the face recognition (step 6)\"; a check, billed"}
	opOnboardingStatus = kyc.Operation{Name: "incode.OnboardingStatus", Method: http.MethodGet,
		Path: "/omni/get/onboarding/status", Class: kyc.ClassFree,
		Doc: "https://docs.incode.com/docs/omni-api/integration-guide: \"poll the fetch onboarding status endpoint until onboardingStatus is equal to ONBOARDING_FINISHED\"; a read"}
	opFinishStatus = kyc.Operation{Name: "incode.FinishStatus", Method: http.MethodGet,
		Path: "/omni/finish-status", Class: kyc.ClassFree,
		Doc: "https://docs.incode.com/docs/omni-api/integration-guide: \"finish the session (step 8). This will mark the session as completed\"; inferred free: a GET that completes a session already billed, and finishing twice changes nothing"}
	opScore = kyc.Operation{Name: "incode.Score", Method: http.MethodGet,
		Path: "/omni/get/score", Class: kyc.ClassFree,
		Doc: "https://docs.incode.com/docs/omni-api/integration-guide: \"get the scores and OCR data (step 9 and 10)\" (https://developer.incode.com/docs/fetch-scores); a read"}
	opOCRData = kyc.Operation{Name: "incode.OCRData", Method: http.MethodGet,
		Path: "/omni/get/ocr-data", Class: kyc.ClassFree,
		Doc: "https://docs.incode.com/docs/omni-api/integration-guide: \"get the scores and OCR data (step 9 and 10)\" (https://developer.incode.com/docs/fetch-extracted-ocr); a read"}
	opApprove = kyc.Operation{Name: "incode.Approve", Method: http.MethodPost,
		Path: "/omni/process/approve", Class: kyc.ClassBilled,
		Doc: "inferred from Incode's official sample server (GitHub Incode-Technologies-Example-Repos/nodejs-samples, sample-server/index.js): creates the customer identity; inferred billed"}
)

// opCall names the generic Call when its operation has no name.
const opCall = "incode.Call"

var operations = []kyc.Operation{
	opExecutiveLogIn, opStartSession, opAddFrontID, opAddBackID, opProcessID, opAddSelfie,
	opProcessFace, opOnboardingStatus, opFinishStatus, opScore, opOCRData, opApprove,
	opErase,         // erasure: the block after Operations
	opOnboardingURL, // the hosted link: the block at the end
}

// Operations returns the package's operation table: every operation the
// client sends, with its method, path template and class. The README's
// table is built from it.
func Operations() []kyc.Operation { return slices.Clone(operations) }

// Erasure (kyc.Eraser). Incode publishes no reference page for it: the
// call is inferred from Incode's official sample code. Not billed, and
// deleting twice leaves the same state, so it is resent like a read; it
// carries no idempotency key (Idempotent false).
var opErase = kyc.Operation{Name: "incode.Erase", Method: http.MethodDelete,
	Path: "/omni/interviews", Class: kyc.ClassFree,
	Doc: "inferred from Incode's official sample code (GitHub Incode-Technologies-Example-Repos/nodejs-samples, purge-webhook/src/api/delete-multiple-sessions.ts): DELETE with the executive token and body {filter:{ids:[interviewId]}, config:{deletePiiDataOnly:true, sendNotification:false, relatedEntitiesToKeep:[deviceFingerPrints, stats]}}; inferred free: a deletion, not a check, and deleting twice leaves the same state"}

// The hosted link (Config.Flow kyc.FlowHostedLink). The path and the
// answer's url are documented; the class is inferred: a read of a session
// already started (and billed), so it is resent like a read.
var opOnboardingURL = kyc.Operation{Name: "incode.OnboardingURL", Method: http.MethodGet,
	Path: "/0/omni/onboarding-url", Class: kyc.ClassFree,
	Doc: "https://developer.incode.com/docs/generate-onboarding-url: GET /0/omni/onboarding-url?clientId=… with the session token in X-Incode-Hardware-Id answers {\"url\": …}, the flow's settings coming from POST /omni/start; inferred free: it reads the URL of a session already started"}
