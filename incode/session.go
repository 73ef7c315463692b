package incode

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
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

// Session is one onboarding session: its id and, for a session this client
// started (or was given with ResumeSession), the token that every
// per-session call sends in X-Incode-Hardware-Id. The token lasts 90 days by
// default; it is a bearer credential for the person's session and never
// appears in a Reference. A Session is safe for concurrent use, though
// Incode expects its steps in order.
type Session struct {
	// InterviewID identifies the session (24 hex characters).
	InterviewID string `wire:"interviewId"`
	// Token is the session's JWT, zero for a session resumed without one:
	// its calls then use the token the client finds (see Config).
	Token kyc.Secret
	// InterviewCode, FlowType, ClientID, Env and ExistingSession are what
	// /omni/start answered; empty for a resumed session.
	InterviewCode   string `wire:"interviewCode"`
	FlowType        string `wire:"flowType"`
	ClientID        string `wire:"clientId"`
	Env             string `wire:"env"`
	ExistingSession bool   `wire:"existingSession"`

	c *Client
}

// StartSession creates a session and returns it with its token, which the
// client keeps (in memory, and in Config.TokenStore when set) so that
// Result finds it later. It may be billed, so it is never resent once it may
// have reached Incode. If the TokenStore cannot keep the token and no
// executive credentials are set, StartSession fails with an error whose
// Reference names the started session (Result works in this process).
//
//	POST /omni/start (billed) — https://developer.incode.com/reference/startinterview
func (c *Client) StartSession(ctx context.Context, req StartRequest) (*Session, error) {
	op := opStartSession
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
		if len(f.v) > kyc.MaxURLLength || !transport.SafeText(f.v) {
			return nil, c.tc.Invalid(op.Name, f.name, "too long or contains control characters")
		}
	}
	if len(req.ExternalCustomerID) > kyc.MaxIDLength {
		return nil, c.tc.Invalid(op.Name, "ExternalCustomerID", "too long")
	}
	body, err := transport.JSON(startBody(req))
	if err != nil {
		return nil, c.tc.Invalid(op.Name, "CustomFields", "cannot be encoded as JSON")
	}
	s, _, err := fetch(ctx, c, call{op: op, body: body}, decodeStart)
	if err != nil {
		return nil, err
	}
	s.c = c
	if err := c.keep(ctx, op.Name, s.InterviewID, s.Token); err != nil && !c.hasExecutive() {
		return nil, c.tc.WithReference(op.Name, err, s.Reference())
	}
	return s, nil
}

// decodeStart decodes the answer to /omni/start: the Session's fields and,
// beside them, its token, which a kyc.Secret then holds.
func decodeStart(b []byte) (*Session, error) {
	w, err := decodeInto(b, &struct {
		*Session
		Token string `wire:"token"`
	}{Session: &Session{}})
	if err != nil {
		return nil, err
	}
	s := w.Session
	if tokenForm(w.Token) != nil || idForm(s.InterviewID) != nil || strings.Contains(s.InterviewID, ".") {
		return nil, errors.New("no usable token or interviewId in the answer")
	}
	s.Token = kyc.NewSecret(w.Token)
	return s, nil
}

// ResumeSession returns the Session with this id, from an earlier
// StartSession in any process; it sends nothing. token may be zero: the
// session's calls then use the token the client finds (kept in memory,
// Config.TokenStore, or the executive token). A token given is kept in
// memory.
func (c *Client) ResumeSession(interviewID string, token kyc.Secret) (*Session, error) {
	const op = "incode.ResumeSession"
	if idForm(interviewID) != nil || strings.Contains(interviewID, ".") {
		return nil, c.tc.Invalid(op, "interviewID", "an Incode interview id")
	}
	if !token.IsZero() {
		if tokenForm(token.Reveal()) != nil {
			return nil, c.tc.Invalid(op, "token", "a session token")
		}
		c.kept.put(interviewID, token)
	}
	return &Session{InterviewID: interviewID, Token: token, c: c}, nil
}

// Reference is the storable kyc reference of this session,
// "incode:<interviewId>". It carries no credential.
func (s *Session) Reference() string { return reference(s.InterviewID) }

// token is the token this session's calls send; exec reports the
// executive token.
func (s *Session) token(ctx context.Context, op string) (tok kyc.Secret, exec bool, err error) {
	if !s.Token.IsZero() {
		return s.Token, false, nil
	}
	return s.c.sessionToken(ctx, op, s.InterviewID)
}

// ownToken reports that the session's calls carry its own session token,
// not the executive token.
func (s *Session) ownToken(ctx context.Context) bool {
	_, exec, err := s.token(ctx, opFinishStatus.Name)
	return err == nil && !exec
}

func (s *Session) call(op kyc.Operation, q url.Values, body transport.Body) call {
	return call{op: op, query: q, body: body, s: s}
}

// fetch sends r and decodes its checked answer with decode: the one
// send → decode path of the typed methods. An answer decode refuses is a
// BadResponse of r's operation. resp is the answer, for a check after.
func fetch[T any](ctx context.Context, c *Client, r call, decode func([]byte) (*T, error)) (v *T, resp *transport.Response, err error) {
	resp, err = c.send(ctx, r)
	if err != nil {
		return nil, resp, err
	}
	if v, err = decode(resp.Body); err != nil {
		return nil, resp, c.tc.BadResponse(r.op.Name, resp, err)
	}
	return v, resp, nil
}

// decodeInto fills v, which holds its defaults, from the answer b through
// its wire tags (tolerant.Decode) and returns it.
func decodeInto[T any](b []byte, v *T) (*T, error) {
	if err := tolerant.Decode(transport.StripBOM(b), v); err != nil {
		return nil, err
	}
	return v, nil
}

// imageBody builds {"base64Image": "..."} with the image base64-encoded
// while the request is written, capped at MaxImageBytes: a known size over
// the cap is refused before sending, a stream of unknown size is aborted
// past it.
func (s *Session) imageBody(op, field string, img *kyc.Image) (transport.Body, error) {
	if img == nil {
		return transport.Body{}, s.c.tc.Invalid(op, field, "required")
	}
	b, err := transport.JSONImages(struct {
		Base64Image transport.Base64 `json:"base64Image"`
	}{transport.Base64{Image: img, Max: MaxImageBytes, Field: field}}, img)
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
	Classification       bool   `wire:"classification"`
	FailReason           string `wire:"failReason"`
	Sharpness            int    `wire:"sharpness"`
	Glare                int    `wire:"glare"`
	HorizontalResolution int    `wire:"horizontalResolution"`
	Readability          bool   `wire:"readability"`
	TypeOfID             string `wire:"typeOfId"`
	CountryCode          string `wire:"countryCode"`
	IssueName            string `wire:"issueName"`
	IssueYear            int    `wire:"issueYear"`
	SessionStatus        string `wire:"sessionStatus"`
	CorrectGlare         bool   `wire:"correctGlare"`
	CorrectSharpness     bool   `wire:"correctSharpness"`
	// Raw is the body as Incode sent it.
	Raw json.RawMessage
}

// Accepted reports that Incode gave no failReason.
func (r *IDSideResult) Accepted() bool { return r.FailReason == "" }

// Reason maps FailReason onto a kyc.Reason ("" when accepted).
func (r *IDSideResult) Reason() kyc.Reason { return ReasonForFailure(r.FailReason) }

// decodeSide decodes an ID upload answer.
func decodeSide(b []byte) (*IDSideResult, error) {
	return decodeInto(b, &IDSideResult{Raw: json.RawMessage(b)})
}

// AddFrontID uploads the front of the ID. onlyFront tells Incode the
// document has no back, as for passports. A refused image is an
// IDSideResult with FailReason, not an error. The upload runs Incode's
// classifier, so it is never resent once it may have arrived.
//
//	POST /omni/add/front-id/v2 (billed) — https://developer.incode.com/reference/addfrontidv2_1
func (s *Session) AddFrontID(ctx context.Context, img *kyc.Image, onlyFront bool) (*IDSideResult, error) {
	return s.addFrontID(ctx, img, onlyFront, "image")
}

// addFrontID is AddFrontID naming the image field as field in a cap error:
// "image" for the typed method, the kyc.Request field for Verify.
func (s *Session) addFrontID(ctx context.Context, img *kyc.Image, onlyFront bool, field string) (*IDSideResult, error) {
	q := url.Values{"onlyFront": {strconv.FormatBool(onlyFront)}}
	return s.addSide(ctx, opAddFrontID, q, img, field)
}

// AddBackID uploads the back of the ID, after the front. A refused image is
// an IDSideResult with FailReason.
//
//	POST /omni/add/back-id/v2 (billed) — https://docs.incode.com/docs/omni-api/api/onboarding (add back side of ID)
func (s *Session) AddBackID(ctx context.Context, img *kyc.Image) (*IDSideResult, error) {
	return s.addSide(ctx, opAddBackID, nil, img, "image")
}

func (s *Session) addSide(ctx context.Context, op kyc.Operation, q url.Values, img *kyc.Image, field string) (*IDSideResult, error) {
	body, err := s.imageBody(op.Name, field, img)
	if err != nil {
		return nil, err
	}
	r, _, err := fetch(ctx, s.c, s.call(op, q, body), decodeSide)
	return r, err
}

// success is the answer of Incode's POSTs that say whether they worked;
// one without the key worked.
type success struct {
	Success bool `wire:"success"`
}

func decodeSuccess(b []byte) (*success, error) { return decodeInto(b, &success{Success: true}) }

// emptyJSON is the body of Incode's POSTs that take none.
func emptyJSON() transport.Body { return transport.Bytes("application/json", []byte("{}")) }

// ProcessID starts Incode's asynchronous ID processing: validation tests
// and OCR. Call it once both sides are uploaded; Incode refuses to process
// an ID twice, so the call is never resent once it may have arrived. Code
// 6000 wraps ErrRestartSession.
//
//	POST /omni/process/id (billed) — https://docs.incode.com/docs/omni-api/api/onboarding (process ID)
func (s *Session) ProcessID(ctx context.Context) error {
	w, resp, err := fetch(ctx, s.c, s.call(opProcessID, nil, emptyJSON()), decodeSuccess)
	if err != nil {
		return err
	}
	if !w.Success {
		return s.c.failed(opProcessID.Name, resp, "Incode answered success false")
	}
	return nil
}

// OnboardingStatus is where a session stands.
type OnboardingStatus string

// Documented onboarding statuses: https://docs.incode.com/docs/omni-api/api/web-hooks,
// and the second-ID and government ones that developer.incode.com adds.
const (
	StatusUnknown                      OnboardingStatus = "UNKNOWN"
	StatusIDValidationFinished         OnboardingStatus = "ID_VALIDATION_FINISHED"
	StatusIDValidationFinishedSecondID OnboardingStatus = "ID_VALIDATION_FINISHED_SECOND_ID"
	StatusPostProcessingFinished       OnboardingStatus = "POST_PROCESSING_FINISHED"
	StatusGovernmentValidationFinished OnboardingStatus = "GOVERNMENT_VALIDATION_FINISHED"
	StatusFaceValidationFinished       OnboardingStatus = "FACE_VALIDATION_FINISHED"
	StatusOnboardingFinished           OnboardingStatus = "ONBOARDING_FINISHED"
	StatusManualReviewApproved         OnboardingStatus = "MANUAL_REVIEW_APPROVED"
	StatusManualReviewRejected         OnboardingStatus = "MANUAL_REVIEW_REJECTED"
)

// OnboardingStatuses lists the documented statuses, the set a webhook's
// onboardingStatus is checked against.
func OnboardingStatuses() []OnboardingStatus {
	return []OnboardingStatus{StatusUnknown, StatusIDValidationFinished, StatusIDValidationFinishedSecondID,
		StatusPostProcessingFinished, StatusGovernmentValidationFinished, StatusFaceValidationFinished,
		StatusOnboardingFinished, StatusManualReviewApproved, StatusManualReviewRejected}
}

// Documented reports whether st is one of OnboardingStatuses.
func (st OnboardingStatus) Documented() bool { return slices.Contains(OnboardingStatuses(), st) }

// Ready reports that the ID processing started by ProcessID is over, so
// the whole score (ID, liveness, face) and the OCR can be read.
//
// ID_VALIDATION_FINISHED is not ready. Footprint's production client reads
// the ID results at that status, but Incode describes it as "User finished
// with capturing of ID" and POST_PROCESSING_FINISHED as "ID postprocessing
// finished on server", and its integration guide says to wait for the
// processing started in step 4. Verify reads the whole score, not the ID
// part alone, so it waits for POST_PROCESSING_FINISHED or a later status.
func (st OnboardingStatus) Ready() bool {
	switch st {
	case StatusPostProcessingFinished, StatusGovernmentValidationFinished, StatusFaceValidationFinished,
		StatusOnboardingFinished, StatusManualReviewApproved, StatusManualReviewRejected:
		return true
	}
	return false
}

// Finished reports that the session is complete: no FinishStatus needed.
func (st OnboardingStatus) Finished() bool {
	return st == StatusOnboardingFinished || st == StatusManualReviewApproved || st == StatusManualReviewRejected
}

// decodeStatus reads the onboardingStatus of an answer, refusing none.
func decodeStatus(b []byte) (*OnboardingStatus, error) {
	w, err := decodeInto(b, &struct {
		OnboardingStatus OnboardingStatus `wire:"onboardingStatus"`
	}{})
	if err != nil {
		return nil, err
	}
	if st := w.OnboardingStatus; st == "" || len(st) > 64 || !transport.SafeText(string(st)) {
		return nil, errors.New("no onboardingStatus")
	}
	return &w.OnboardingStatus, nil
}

// OnboardingStatus reads the session's status. Poll it after ProcessID
// until Ready, or wait for the webhook.
//
//	GET /omni/get/onboarding/status (free) — https://docs.incode.com/docs/omni-api/api/onboarding (fetch onboarding status)
func (s *Session) OnboardingStatus(ctx context.Context) (OnboardingStatus, error) {
	st, _, err := fetch(ctx, s.c, s.call(opOnboardingStatus, url.Values{"id": {s.InterviewID}}, transport.Body{}), decodeStatus)
	if err != nil {
		return "", err
	}
	return *st, nil
}

// FinishResult is the answer to FinishStatus.
type FinishResult struct {
	RedirectionURL string `wire:"redirectionUrl"`
	// Action is Incode's verdict for the redirect, such as "approved"; the
	// full set is not documented.
	Action string `wire:"action"`
	// Raw is the body as Incode sent it.
	Raw json.RawMessage
}

func decodeFinish(b []byte) (*FinishResult, error) {
	return decodeInto(b, &FinishResult{Raw: json.RawMessage(b)})
}

// FinishStatus marks the session complete: Incode applies the flow's
// rules, recalculates the score and sends the ONBOARDING_FINISHED webhook.
// It is needed only when the flow does not complete sessions by itself.
//
//	GET /omni/finish-status (free) — https://docs.incode.com/docs/omni-api/api/onboarding (mark onboarding complete)
func (s *Session) FinishStatus(ctx context.Context) (*FinishResult, error) {
	r, _, err := fetch(ctx, s.c, s.call(opFinishStatus, nil, transport.Body{}), decodeFinish)
	return r, err
}

// Score reads the session's scores. Its Overall status is Incode's
// verdict, empty until the session is finished.
//
//	GET /omni/get/score (free) — https://developer.incode.com/docs/fetch-scores
func (s *Session) Score(ctx context.Context) (*ScoreResult, error) {
	r, _, err := fetch(ctx, s.c, s.call(opScore, url.Values{"id": {s.InterviewID}}, transport.Body{}), DecodeScore)
	return r, err
}

// OCRData reads what Incode extracted from the ID. Its fields depend on the
// document.
//
//	GET /omni/get/ocr-data (free) — https://developer.incode.com/docs/fetch-extracted-ocr
func (s *Session) OCRData(ctx context.Context) (*OCRResult, error) {
	r, _, err := fetch(ctx, s.c, s.call(opOCRData, url.Values{"id": {s.InterviewID}}, transport.Body{}), DecodeOCR)
	return r, err
}

// ApproveResult is the answer to Approve. Its identity token is not kept.
type ApproveResult struct {
	Success bool `wire:"success"`
	// UUID is the customer identity Incode created.
	UUID             string `wire:"uuid"`
	TotalScore       string `wire:"totalScore"`
	ExistingCustomer bool   `wire:"existingCustomer"`
}

func decodeApprove(b []byte) (*ApproveResult, error) { return decodeInto(b, &ApproveResult{}) }

// Approve approves the session and creates the customer identity, as
// Incode's sample servers do after ONBOARDING_FINISHED. It is never resent
// once it may have arrived.
//
//	POST /omni/process/approve (billed) — inferred from Incode's official sample server (GitHub Incode-Technologies-Example-Repos/nodejs-samples, sample-server/index.js)
func (s *Session) Approve(ctx context.Context) (*ApproveResult, error) {
	r, resp, err := fetch(ctx, s.c, s.call(opApprove, url.Values{"interviewId": {s.InterviewID}}, emptyJSON()), decodeApprove)
	if err != nil {
		return nil, err
	}
	if !r.Success {
		return nil, s.c.failed(opApprove.Name, resp, "Incode answered success false")
	}
	return r, nil
}

// failed is the ErrUnavailable for an answer that says it failed without a
// vendor error body.
func (c *Client) failed(op string, resp *transport.Response, msg string) *kyc.Error {
	e := c.tc.APIError(op, resp, kyc.ErrUnavailable, "", "")
	e.Message = msg
	return e
}
