package incode

// The selfie and the face match of a session: liveness on upload, then
// the 1:1 match against the ID photo.

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
	"github.com/kyc-go/kyc/internal/transport"
)

// SelfieResult is the answer to a selfie upload, which runs the liveness
// check. Confidence reads the opposite way to FaceMatchResult's: 0 means the
// person is live, anything above 0 that a spoof is suspected; no confidence
// at all means the selfie was too dark to judge. A confidence outside 0..1
// (negative, over 1, NaN, an infinity) or not a number is refused: AddSelfie
// returns a *kyc.Error of kind kyc.ErrBadResponse.
type SelfieResult struct {
	// Confidence is Incode's spoof confidence, valid when HasConfidence.
	Confidence    float64 `wire:"confidence,valid=HasConfidence"`
	HasConfidence bool
	// IsBright is false only when Incode answered isBright false.
	IsBright    bool `wire:"isBright"`
	HasLenses   bool `wire:"hasLenses"`
	HasFaceMask bool `wire:"hasFaceMask"`
	Age         int  `wire:"age"`
	// SessionStatus is Incode's session state ("Alive").
	SessionStatus string `wire:"sessionStatus"`
	// Raw is the body as Incode sent it.
	Raw json.RawMessage
}

// Live reports that Incode judged the selfie live (confidence 0).
func (r *SelfieResult) Live() bool { return r.HasConfidence && r.Confidence <= 0 }

// Reason follows Incode's integration guide (https://docs.incode.com/docs/omni-api/integration-guide), which
// says to "display error & repeat image capture" when confidence > 0,
// hasLenses, hasFaceMask or !isBright: ReasonLivenessFailed for a suspected
// spoof, ReasonLowQualityImage when the confidence is missing (too dark),
// the selfie is not bright, or shows lenses or a face mask, and "" for a
// selfie to go on with. Verify turns a reason into a StatusRejected Result
// with Resubmit set: the person captures again.
func (r *SelfieResult) Reason() kyc.Reason {
	switch {
	case !r.HasConfidence:
		return kyc.ReasonLowQualityImage
	case !r.Live():
		return kyc.ReasonLivenessFailed
	case !r.IsBright, r.HasLenses, r.HasFaceMask:
		return kyc.ReasonLowQualityImage
	}
	return ""
}

func (r *SelfieResult) confidence() tolerant.Float {
	return tolerant.Float{Value: r.Confidence, Valid: r.HasConfidence}
}

func decodeSelfie(b []byte) (*SelfieResult, error) {
	return decodeConfident(b, &SelfieResult{IsBright: true, Raw: json.RawMessage(b)})
}

// confident is an answer carrying a 0..1 confidence.
type confident interface{ confidence() tolerant.Float }

// decodeConfident fills r, which holds its defaults, from the answer b
// through its wire tags and refuses a confidence outside 0..1.
func decodeConfident[T confident](b []byte, r T) (T, error) {
	var none T
	if err := tolerant.Decode(transport.StripBOM(b), r); err != nil {
		return none, err
	}
	if !unit(r.confidence()) {
		return none, errConfidenceRange
	}
	return r, nil
}

// AddSelfie uploads the selfie, which runs liveness at once. Capture
// problems (no face, blurred, glare…) come as errors with Incode's code;
// ErrorReason maps them. The answer's own checks are SelfieResult.Reason.
//
//	POST /omni/add/face/third-party?imageType=selfie (billed) — https://developer.incode.com/docs/api-onboarding-face-validation
func (s *Session) AddSelfie(ctx context.Context, img *kyc.Image) (*SelfieResult, error) {
	return s.addSelfie(ctx, img, "image")
}

// addSelfie is AddSelfie naming the image field as field in a cap error.
func (s *Session) addSelfie(ctx context.Context, img *kyc.Image, field string) (*SelfieResult, error) {
	body, err := s.imageBody(opAddSelfie.Name, field, img)
	if err != nil {
		return nil, err
	}
	r, _, err := fetch(ctx, s.c, s.call(opAddSelfie, url.Values{"imageType": {"selfie"}}, body), decodeSelfie)
	return r, err
}

// FaceMatchResult is the answer to ProcessFace: Confidence 1 means the
// selfie matches the ID photo, 0 that it does not. A confidence outside
// 0..1 (1e308, NaN, an infinity, a negative) or not a number is refused:
// ProcessFace returns a *kyc.Error of kind kyc.ErrBadResponse.
type FaceMatchResult struct {
	Confidence          float64 `wire:"confidence,valid=HasConfidence"`
	HasConfidence       bool
	ExistingUser        bool   `wire:"existingUser"`
	ExistingInterviewID string `wire:"existingInterviewId"`
	ExistingExternalID  string `wire:"existingExternalId"`
	NameMatched         bool   `wire:"nameMatched"`
	// Raw is the body as Incode sent it.
	Raw json.RawMessage
}

// Match reports that the selfie matches the ID photo (confidence 1).
func (r *FaceMatchResult) Match() bool { return r.HasConfidence && r.Confidence >= 0.5 }

func (r *FaceMatchResult) confidence() tolerant.Float {
	return tolerant.Float{Value: r.Confidence, Valid: r.HasConfidence}
}

func decodeFace(b []byte) (*FaceMatchResult, error) {
	return decodeConfident(b, &FaceMatchResult{Raw: json.RawMessage(b)})
}

// ProcessFace runs the 1:1 face match between the selfie and the ID photo,
// and Incode's 1:N search for an existing user. Call it after the front and
// the selfie. It is sent without a query, as every production client sends
// it. It is never resent once it may have arrived.
//
//	POST /omni/process/face (billed) — https://developer.incode.com/reference/processface
func (s *Session) ProcessFace(ctx context.Context) (*FaceMatchResult, error) {
	r, _, err := fetch(ctx, s.c, s.call(opProcessFace, nil, emptyJSON()), decodeFace)
	return r, err
}
