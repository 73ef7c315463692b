package incode

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
	"github.com/kyc-go/kyc/internal/transport"
)

// StartRequest is the body of POST /omni/start
// (https://developer.incode.com/reference/startinterview).
type StartRequest struct {
	// CountryCode is the document's issuing country (ISO alpha-2 or
	// alpha-3) or "ALL", the default, for the general classifier. Incode
	// asks for "BRA" with Brazilian IDs.
	CountryCode string
	// ConfigurationID is the dashboard flow; empty means Config's.
	ConfigurationID string
	// ExternalCustomerID is your id for the person (kyc.Request.ID in
	// Verify). Incode echoes it in webhooks as externalId.
	ExternalCustomerID string
	// Language is "en-US", "es-ES" or "pt-BR"; empty for the default.
	Language string
	// RedirectionURL is where Incode's hosted pages send the person.
	RedirectionURL string
	// CustomFields are stored with the session.
	CustomFields map[string]string
}

type startBody struct {
	CountryCode        string            `json:"countryCode"`
	ConfigurationID    string            `json:"configurationId,omitempty"`
	ExternalCustomerID string            `json:"externalCustomerId,omitempty"`
	Language           string            `json:"language,omitempty"`
	RedirectionURL     string            `json:"redirectionUrl,omitempty"`
	CustomFields       map[string]string `json:"customFields,omitempty"`
}

type startWire struct {
	Token           tolerant.String `json:"token"`
	InterviewID     tolerant.String `json:"interviewId"`
	InterviewCode   tolerant.String `json:"interviewCode"`
	FlowType        tolerant.String `json:"flowType"`
	ClientID        tolerant.String `json:"clientId"`
	Env             tolerant.String `json:"env"`
	ExistingSession tolerant.Bool   `json:"existingSession"`
}

// Session is one onboarding session: its id and the token that every
// per-session call sends in X-Incode-Hardware-Id. The token lasts 90 days
// by default and is the only way this SDK reads the session back, so store
// it like a secret (Reference does, in its vendor part). A Session is safe
// for concurrent use, though Incode expects its steps in order.
type Session struct {
	// InterviewID identifies the session (24 hex characters).
	InterviewID string
	// Token is the session's JWT.
	Token kyc.Secret
	// InterviewCode, FlowType, ClientID, Env and ExistingSession are what
	// /omni/start answered; empty for a resumed session.
	InterviewCode   string
	FlowType        string
	ClientID        string
	Env             string
	ExistingSession bool

	c *Client
}

// StartSession creates a session (POST /omni/start) and returns it with its
// token. It may be billed, so it is never resent once it may have reached
// Incode; a failure after that has Error.Sent set.
func (c *Client) StartSession(ctx context.Context, req StartRequest) (*Session, error) {
	const op = "incode.StartSession"
	if req.CountryCode == "" {
		req.CountryCode = "ALL"
	}
	if req.ConfigurationID == "" {
		req.ConfigurationID = c.cfg.ConfigurationID
	}
	for _, f := range []struct{ name, v string }{
		{"CountryCode", req.CountryCode}, {"ConfigurationID", req.ConfigurationID},
		{"ExternalCustomerID", req.ExternalCustomerID}, {"Language", req.Language},
		{"RedirectionURL", req.RedirectionURL},
	} {
		if !textSafe(f.v, kyc.MaxURLLength) {
			return nil, c.tc.Invalid(op, f.name, "too long or contains control characters")
		}
	}
	if len(req.ExternalCustomerID) > kyc.MaxIDLength {
		return nil, c.tc.Invalid(op, "ExternalCustomerID", "too long")
	}
	body, err := transport.JSON(startBody(req))
	if err != nil {
		return nil, c.tc.Invalid(op, "CustomFields", "cannot be encoded as JSON")
	}
	resp, err := c.send(ctx, call{op: op, method: http.MethodPost, path: "omni/start", body: body, mode: transport.Unsafe})
	if err != nil {
		return nil, err
	}
	var w startWire
	if err := c.decode(op, resp, &w); err != nil {
		return nil, err
	}
	if w.Token == "" || w.InterviewID == "" || strings.Contains(string(w.InterviewID), ".") {
		return nil, c.tc.BadResponse(op, resp, nil)
	}
	return &Session{
		InterviewID: string(w.InterviewID), Token: kyc.NewSecret(string(w.Token)),
		InterviewCode: string(w.InterviewCode), FlowType: string(w.FlowType), ClientID: string(w.ClientID),
		Env: string(w.Env), ExistingSession: bool(w.ExistingSession), c: c,
	}, nil
}

// ResumeSession returns the Session with this id and token, from an earlier
// StartSession in any process; it sends nothing.
func (c *Client) ResumeSession(interviewID string, token kyc.Secret) (*Session, error) {
	const op = "incode.ResumeSession"
	if interviewID == "" || strings.Contains(interviewID, ".") || !textSafe(interviewID, 128) {
		return nil, c.tc.Invalid(op, "interviewID", "an Incode interview id")
	}
	if token.IsZero() || !headerSafe(token.Reveal()) {
		return nil, c.tc.Invalid(op, "token", "a session token")
	}
	return &Session{InterviewID: interviewID, Token: token, c: c}, nil
}

// Reference is the storable kyc reference of this session,
// "incode:<interviewId>.<token>". It carries the session token, the only way
// to read the session back, so store it like a secret.
func (s *Session) Reference() string {
	return kyc.NewReference(kyc.Incode, s.InterviewID+"."+s.Token.Reveal())
}

// ParseReference splits a Reference made by Verify or Session.Reference
// into the interview id and the session token, e.g. to match a webhook's
// interviewId or to ResumeSession. It refuses anything else with
// ErrInvalidRequest.
func ParseReference(ref string) (interviewID string, token kyc.Secret, err error) {
	id, tok, ok := parseReference(ref)
	if !ok {
		return "", kyc.Secret{}, &kyc.Error{Provider: kyc.Incode, Op: "incode.ParseReference", Kind: kyc.ErrInvalidRequest,
			Field: "ref", Message: `an Incode reference, "incode:<interviewId>.<token>"`}
	}
	return id, tok, nil
}

// parseReference splits a reference made by Session.Reference. The token
// is a JWT with dots of its own; the interview id has none.
func parseReference(ref string) (id string, token kyc.Secret, ok bool) {
	r, err := kyc.ParseReference(ref)
	if err != nil || r.Provider != kyc.Incode {
		return "", kyc.Secret{}, false
	}
	id, tok, found := strings.Cut(r.ID, ".")
	if !found || id == "" || tok == "" {
		return "", kyc.Secret{}, false
	}
	return id, kyc.NewSecret(tok), true
}

func (s *Session) call(op, method, path string, q url.Values, body transport.Body, mode transport.Mode) call {
	return call{op: op, method: method, path: path, query: q, body: body, mode: mode, token: s.Token}
}

// Call sends any Omni path with this session's token; see Client.Call.
func (s *Session) Call(ctx context.Context, method, path string, body, out any) error {
	return s.c.Call(ctx, method, path, s.Token, body, out)
}

// imageBody builds {"base64Image": "..."} with the image base64-encoded
// while the request is written, after checking Incode's size cap.
func (s *Session) imageBody(op, field string, img *kyc.Image) (transport.Body, error) {
	if img == nil {
		return transport.Body{}, s.c.tc.Invalid(op, field, "required")
	}
	if img.Size() > MaxImageBytes {
		return transport.Body{}, s.c.tc.Invalid(op, field, "larger than Incode's 10 MB limit")
	}
	b, err := transport.JSONImages(struct {
		Base64Image transport.Base64 `json:"base64Image"`
	}{transport.Base64{Image: img}}, img)
	if err != nil {
		return transport.Body{}, s.c.tc.Invalid(op, field, "cannot be encoded")
	}
	return b, nil
}

// IDSideResult is the answer to a front or back ID upload. Incode answers
// HTTP 200 even when it refuses the image: FailReason then says why. A
// false Classification alone is kept, not treated as a refusal (Incode
// recommends failing on it, but production clients see it false on accepted
// images).
type IDSideResult struct {
	Classification       bool
	FailReason           string
	Sharpness            int
	Glare                int
	HorizontalResolution int
	Readability          bool
	TypeOfID             string
	CountryCode          string
	IssueName            string
	IssueYear            int
	SessionStatus        string
	CorrectGlare         bool
	CorrectSharpness     bool
	// Raw is the body as Incode sent it.
	Raw json.RawMessage
}

// Accepted reports that Incode gave no failReason.
func (r *IDSideResult) Accepted() bool { return r.FailReason == "" }

// Reason maps FailReason onto a kyc.Reason ("" when accepted).
func (r *IDSideResult) Reason() kyc.Reason { return FailReasonReason(r.FailReason) }

type sideWire struct {
	Classification       tolerant.Bool   `json:"classification"`
	FailReason           tolerant.String `json:"failReason"`
	Sharpness            tolerant.Int    `json:"sharpness"`
	Glare                tolerant.Int    `json:"glare"`
	HorizontalResolution tolerant.Int    `json:"horizontalResolution"`
	Readability          tolerant.Bool   `json:"readability"`
	TypeOfID             tolerant.String `json:"typeOfId"`
	CountryCode          tolerant.String `json:"countryCode"`
	IssueName            tolerant.String `json:"issueName"`
	IssueYear            tolerant.Int    `json:"issueYear"`
	SessionStatus        tolerant.String `json:"sessionStatus"`
	CorrectGlare         tolerant.Bool   `json:"correctGlare"`
	CorrectSharpness     tolerant.Bool   `json:"correctSharpness"`
}

// decodeSide decodes an ID upload answer.
func decodeSide(b []byte) (*IDSideResult, error) {
	var w sideWire
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, err
	}
	return &IDSideResult{
		Classification: bool(w.Classification), FailReason: string(w.FailReason),
		Sharpness: int(w.Sharpness), Glare: int(w.Glare), HorizontalResolution: int(w.HorizontalResolution),
		Readability: bool(w.Readability), TypeOfID: string(w.TypeOfID), CountryCode: string(w.CountryCode),
		IssueName: string(w.IssueName), IssueYear: int(w.IssueYear), SessionStatus: string(w.SessionStatus),
		CorrectGlare: bool(w.CorrectGlare), CorrectSharpness: bool(w.CorrectSharpness),
		Raw: json.RawMessage(b),
	}, nil
}

// AddFrontID uploads the front of the ID (POST /omni/add/front-id/v2).
// onlyFront tells Incode the document has no back, as for passports. A
// refused image is an IDSideResult with FailReason, not an error.
func (s *Session) AddFrontID(ctx context.Context, img *kyc.Image, onlyFront bool) (*IDSideResult, error) {
	q := url.Values{"onlyFront": {"false"}}
	if onlyFront {
		q.Set("onlyFront", "true")
	}
	return s.addSide(ctx, "incode.AddFrontID", "omni/add/front-id/v2", q, img)
}

// AddBackID uploads the back of the ID (POST /omni/add/back-id/v2), after
// the front. A refused image is an IDSideResult with FailReason.
func (s *Session) AddBackID(ctx context.Context, img *kyc.Image) (*IDSideResult, error) {
	return s.addSide(ctx, "incode.AddBackID", "omni/add/back-id/v2", nil, img)
}

func (s *Session) addSide(ctx context.Context, op, path string, q url.Values, img *kyc.Image) (*IDSideResult, error) {
	body, err := s.imageBody(op, "image", img)
	if err != nil {
		return nil, err
	}
	// Uploading a side again replaces it, so a lost answer may be resent.
	resp, err := s.c.send(ctx, s.call(op, http.MethodPost, path, q, body, transport.Idempotent))
	if err != nil {
		return nil, err
	}
	r, err := decodeSide(resp.Body)
	if err != nil {
		return nil, s.c.tc.BadResponse(op, resp, err)
	}
	return r, nil
}

type successWire struct {
	Success *tolerant.Bool `json:"success"`
}

// ProcessID starts Incode's asynchronous ID processing (POST
// /omni/process/id): validation tests and OCR. Call it once both sides are
// uploaded; Incode refuses to process an ID twice, so the call is never
// resent once it may have arrived. Code 6000 wraps ErrRestartSession.
func (s *Session) ProcessID(ctx context.Context) error {
	const op = "incode.ProcessID"
	resp, err := s.c.send(ctx, s.call(op, http.MethodPost, "omni/process/id", nil,
		transport.Bytes("application/json", []byte("{}")), transport.Unsafe))
	if err != nil {
		return err
	}
	return s.checkSuccess(op, resp)
}

// checkSuccess refuses {"success": false} (inferred: the docs show only
// success true) and a body that is not JSON.
func (s *Session) checkSuccess(op string, resp *transport.Response) error {
	var w successWire
	if err := s.c.decode(op, resp, &w); err != nil {
		return err
	}
	if w.Success != nil && !bool(*w.Success) {
		return s.c.failed(op, resp, "Incode answered success false")
	}
	return nil
}

// SelfieResult is the answer to a selfie upload, which runs the liveness
// check. Confidence reads the opposite way to FaceMatchResult's: 0 means the
// person is live, 1 that a spoof is suspected; no confidence at all means
// the selfie was too dark to judge.
type SelfieResult struct {
	// Confidence is Incode's spoof confidence, valid when HasConfidence.
	Confidence    float64
	HasConfidence bool
	IsBright      bool
	HasLenses     bool
	HasFaceMask   bool
	Age           int
	SessionStatus string
	Raw           json.RawMessage
}

// Live reports that Incode judged the selfie live (confidence 0).
func (r *SelfieResult) Live() bool { return r.HasConfidence && r.Confidence < 0.5 }

// Reason is ReasonLivenessFailed for a suspected spoof,
// ReasonLowQualityImage when the confidence is missing (too dark), and ""
// for a live selfie.
func (r *SelfieResult) Reason() kyc.Reason {
	switch {
	case !r.HasConfidence:
		return kyc.ReasonLowQualityImage
	case !r.Live():
		return kyc.ReasonLivenessFailed
	}
	return ""
}

type selfieWire struct {
	Confidence    tolerant.Float  `json:"confidence"`
	IsBright      tolerant.Bool   `json:"isBright"`
	HasLenses     tolerant.Bool   `json:"hasLenses"`
	HasFaceMask   tolerant.Bool   `json:"hasFaceMask"`
	Age           tolerant.Int    `json:"age"`
	SessionStatus tolerant.String `json:"sessionStatus"`
}

func decodeSelfie(b []byte) (*SelfieResult, error) {
	var w selfieWire
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, err
	}
	return &SelfieResult{
		Confidence: w.Confidence.Value, HasConfidence: w.Confidence.Valid,
		IsBright: bool(w.IsBright), HasLenses: bool(w.HasLenses), HasFaceMask: bool(w.HasFaceMask),
		Age: int(w.Age), SessionStatus: string(w.SessionStatus), Raw: json.RawMessage(b),
	}, nil
}

// AddSelfie uploads the selfie (POST /omni/add/face/third-party?imageType=selfie),
// which runs liveness at once. Capture problems (no face, blurred, glare…)
// come as errors with Incode's code; ErrorReason maps them.
func (s *Session) AddSelfie(ctx context.Context, img *kyc.Image) (*SelfieResult, error) {
	const op = "incode.AddSelfie"
	body, err := s.imageBody(op, "image", img)
	if err != nil {
		return nil, err
	}
	resp, err := s.c.send(ctx, s.call(op, http.MethodPost, "omni/add/face/third-party",
		url.Values{"imageType": {"selfie"}}, body, transport.Idempotent))
	if err != nil {
		return nil, err
	}
	r, err := decodeSelfie(resp.Body)
	if err != nil {
		return nil, s.c.tc.BadResponse(op, resp, err)
	}
	return r, nil
}

// FaceMatchResult is the answer to ProcessFace: Confidence 1 means the
// selfie matches the ID photo, 0 that it does not.
type FaceMatchResult struct {
	Confidence          float64
	HasConfidence       bool
	ExistingUser        bool
	ExistingInterviewID string
	ExistingExternalID  string
	NameMatched         bool
	Raw                 json.RawMessage
}

// Match reports that the selfie matches the ID photo (confidence 1).
func (r *FaceMatchResult) Match() bool { return r.HasConfidence && r.Confidence >= 0.5 }

type faceWire struct {
	Confidence          tolerant.Float  `json:"confidence"`
	ExistingUser        tolerant.Bool   `json:"existingUser"`
	ExistingInterviewID tolerant.String `json:"existingInterviewId"`
	ExistingExternalID  tolerant.String `json:"existingExternalId"`
	NameMatched         tolerant.Bool   `json:"nameMatched"`
}

func decodeFace(b []byte) (*FaceMatchResult, error) {
	var w faceWire
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, err
	}
	return &FaceMatchResult{
		Confidence: w.Confidence.Value, HasConfidence: w.Confidence.Valid, ExistingUser: bool(w.ExistingUser),
		ExistingInterviewID: string(w.ExistingInterviewID), ExistingExternalID: string(w.ExistingExternalID),
		NameMatched: bool(w.NameMatched), Raw: json.RawMessage(b),
	}, nil
}

// ProcessFace runs the 1:1 face match between the selfie and the ID photo,
// and Incode's 1:N search for an existing user (POST /omni/process/face).
// Call it after the front and the selfie. It is never resent once it may
// have arrived.
func (s *Session) ProcessFace(ctx context.Context) (*FaceMatchResult, error) {
	const op = "incode.ProcessFace"
	resp, err := s.c.send(ctx, s.call(op, http.MethodPost, "omni/process/face", url.Values{"imageType": {"selfie"}},
		transport.Bytes("application/json", []byte("{}")), transport.Unsafe))
	if err != nil {
		return nil, err
	}
	r, err := decodeFace(resp.Body)
	if err != nil {
		return nil, s.c.tc.BadResponse(op, resp, err)
	}
	return r, nil
}

// OnboardingStatus is where a session stands. The set is open: Incode adds
// values (ID_VALIDATION_FINISHED_SECOND_ID, GOVERNMENT_VALIDATION_FINISHED).
type OnboardingStatus string

// Documented onboarding statuses.
const (
	StatusUnknown                OnboardingStatus = "UNKNOWN"
	StatusIDValidationFinished   OnboardingStatus = "ID_VALIDATION_FINISHED"
	StatusPostProcessingFinished OnboardingStatus = "POST_PROCESSING_FINISHED"
	StatusFaceValidationFinished OnboardingStatus = "FACE_VALIDATION_FINISHED"
	StatusOnboardingFinished     OnboardingStatus = "ONBOARDING_FINISHED"
	StatusManualReviewApproved   OnboardingStatus = "MANUAL_REVIEW_APPROVED"
	StatusManualReviewRejected   OnboardingStatus = "MANUAL_REVIEW_REJECTED"
)

// Ready reports that the ID processing started by ProcessID is over, so
// scores and OCR can be read: Incode moves past ID_VALIDATION_FINISHED only
// then (inferred from its status descriptions).
func (st OnboardingStatus) Ready() bool {
	switch st {
	case StatusPostProcessingFinished, StatusFaceValidationFinished, StatusOnboardingFinished,
		StatusManualReviewApproved, StatusManualReviewRejected:
		return true
	}
	return false
}

// Finished reports that the session is complete: no FinishStatus needed.
func (st OnboardingStatus) Finished() bool {
	return st == StatusOnboardingFinished || st == StatusManualReviewApproved || st == StatusManualReviewRejected
}

type statusWire struct {
	OnboardingStatus tolerant.String `json:"onboardingStatus"`
}

// OnboardingStatus reads the session's status (GET
// /omni/get/onboarding/status). Poll it after ProcessID until Ready, or
// wait for the webhook.
func (s *Session) OnboardingStatus(ctx context.Context) (OnboardingStatus, error) {
	const op = "incode.OnboardingStatus"
	resp, err := s.c.send(ctx, s.call(op, http.MethodGet, "omni/get/onboarding/status",
		url.Values{"id": {s.InterviewID}}, transport.Body{}, transport.Idempotent))
	if err != nil {
		return "", err
	}
	var w statusWire
	if err := s.c.decode(op, resp, &w); err != nil {
		return "", err
	}
	if w.OnboardingStatus == "" {
		return "", s.c.tc.BadResponse(op, resp, nil)
	}
	return OnboardingStatus(w.OnboardingStatus), nil
}

// FinishResult is the answer to FinishStatus.
type FinishResult struct {
	RedirectionURL string
	// Action is Incode's verdict for the redirect, such as "approved"; the
	// full set is not documented.
	Action string
	Raw    json.RawMessage
}

type finishWire struct {
	RedirectionURL tolerant.String `json:"redirectionUrl"`
	Action         tolerant.String `json:"action"`
}

// FinishStatus marks the session complete (GET /omni/finish-status): Incode
// applies the flow's rules, recalculates the score and sends the
// ONBOARDING_FINISHED webhook. It is needed only when the flow does not
// complete sessions by itself. Finishing twice changes nothing, so a lost
// answer may be resent.
func (s *Session) FinishStatus(ctx context.Context) (*FinishResult, error) {
	const op = "incode.FinishStatus"
	resp, err := s.c.send(ctx, s.call(op, http.MethodGet, "omni/finish-status", nil, transport.Body{}, transport.Idempotent))
	if err != nil {
		return nil, err
	}
	var w finishWire
	if err := s.c.decode(op, resp, &w); err != nil {
		return nil, err
	}
	return &FinishResult{RedirectionURL: string(w.RedirectionURL), Action: string(w.Action), Raw: json.RawMessage(resp.Body)}, nil
}

// Score reads the session's scores (GET /omni/get/score). Its Overall
// status is Incode's verdict, empty until the session is finished.
func (s *Session) Score(ctx context.Context) (*ScoreReport, error) {
	const op = "incode.Score"
	resp, err := s.c.send(ctx, s.call(op, http.MethodGet, "omni/get/score",
		url.Values{"id": {s.InterviewID}}, transport.Body{}, transport.Idempotent))
	if err != nil {
		return nil, err
	}
	r, err := DecodeScore(resp.Body)
	if err != nil {
		return nil, s.c.tc.BadResponse(op, resp, err)
	}
	return r, nil
}

// OCRData reads what Incode extracted from the ID (GET /omni/get/ocr-data).
// Its fields depend on the document.
func (s *Session) OCRData(ctx context.Context) (*OCRData, error) {
	const op = "incode.OCRData"
	resp, err := s.c.send(ctx, s.call(op, http.MethodGet, "omni/get/ocr-data",
		url.Values{"id": {s.InterviewID}}, transport.Body{}, transport.Idempotent))
	if err != nil {
		return nil, err
	}
	r, err := DecodeOCR(resp.Body)
	if err != nil {
		return nil, s.c.tc.BadResponse(op, resp, err)
	}
	return r, nil
}

// ApproveResult is the answer to Approve. Its identity token is not kept.
type ApproveResult struct {
	Success bool
	// UUID is the customer identity Incode created.
	UUID             string
	TotalScore       string
	ExistingCustomer bool
}

type approveWire struct {
	Success          tolerant.Bool   `json:"success"`
	UUID             tolerant.String `json:"uuid"`
	TotalScore       tolerant.String `json:"totalScore"`
	ExistingCustomer tolerant.Bool   `json:"existingCustomer"`
}

// Approve approves the session and creates the customer identity (POST
// /omni/process/approve), as Incode's sample servers do after
// ONBOARDING_FINISHED. It is never resent once it may have arrived.
func (s *Session) Approve(ctx context.Context) (*ApproveResult, error) {
	const op = "incode.Approve"
	resp, err := s.c.send(ctx, s.call(op, http.MethodPost, "omni/process/approve", url.Values{"interviewId": {s.InterviewID}},
		transport.Bytes("application/json", []byte("{}")), transport.Unsafe))
	if err != nil {
		return nil, err
	}
	var w approveWire
	if err := s.c.decode(op, resp, &w); err != nil {
		return nil, err
	}
	if !w.Success {
		return nil, s.c.failed(op, resp, "Incode answered success false")
	}
	return &ApproveResult{Success: true, UUID: string(w.UUID), TotalScore: string(w.TotalScore), ExistingCustomer: bool(w.ExistingCustomer)}, nil
}

// failed is the ErrUnavailable for an answer that says it failed without a
// vendor error body.
func (c *Client) failed(op string, resp *transport.Response, msg string) *kyc.Error {
	e := c.tc.APIError(op, resp, kyc.ErrUnavailable, "", "")
	e.Message = msg
	return e
}
