package incode

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/poll"
)

// Provider returns kyc.Incode.
func (c *Client) Provider() kyc.Provider { return kyc.Incode }

// Capabilities describes a direct flow that needs the front of the document and a
// selfie. The back is sent when given (never for passports); without it the
// front is uploaded with onlyFront. Incode classifies the document itself,
// so any country and document type is accepted.
func (c *Client) Capabilities() kyc.Capabilities {
	return kyc.Capabilities{
		Flow:     kyc.FlowDirect,
		Requires: []kyc.Field{kyc.FieldDocumentFront, kyc.FieldSelfie},
	}
}

// Verify runs Incode's whole flow: start a session (sending req.ID as
// externalCustomerId) → front → back (unless a passport or no back) →
// process ID → selfie → process face → poll the onboarding status with
// backoff until ID processing is over → finish → scores and OCR.
//
// A refused capture (an ID failReason, a spoofed or too dark selfie, an
// error code judging the image such as 4019 "face not found") ends the flow
// early with StatusRejected, the Reason and Resubmit set. Otherwise the
// overall score decides: OK → approved, FAIL → rejected with the reasons of
// the failing checks, WARN/MANUAL → review, empty → pending. A session
// ended early this way is never processed, so Result on its Reference stays
// pending: start a new Verify with the new capture.
//
// If ctx ends once the images are processed (while polling, finishing or
// reading scores), Verify returns StatusPending with ReasonNotFinished and
// the Reference to pass to Result later. The Reference is
// "incode:<interviewId>.<token>": it carries the session token, the only way
// to read the session back, and must be stored like a secret. If ctx ends
// earlier, Verify returns the error. The session start is never resent once
// it may have reached Incode, and Verify never starts a second session.
func (c *Client) Verify(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
	const op = "incode.Verify"
	if err := c.Capabilities().CheckFor(kyc.Incode, op, req); err != nil {
		return nil, err
	}
	passport := req.Document.Type == kyc.DocumentPassport
	back := req.Document.Back
	if passport {
		back = nil
	}
	for _, im := range []struct {
		field kyc.Field
		img   interface{ Size() int64 }
	}{{kyc.FieldDocumentFront, req.Document.Front}, {kyc.FieldDocumentBack, back}, {kyc.FieldSelfie, req.Selfie}} {
		if im.img.Size() > MaxImageBytes {
			return nil, c.tc.Invalid(op, string(im.field), "larger than Incode's 10 MB limit")
		}
	}
	country := req.Country
	if country == "" {
		country = "ALL"
	}
	s, err := c.StartSession(ctx, StartRequest{CountryCode: country, ExternalCustomerID: req.ID})
	if err != nil {
		return nil, err
	}
	res := &kyc.Result{Provider: kyc.Incode, Reference: s.Reference(), Status: kyc.StatusPending}

	front, err := s.AddFrontID(ctx, req.Document.Front, back == nil)
	if err != nil {
		return captureFailed(res, err)
	}
	if !front.Accepted() {
		return rejected(res, front.Reason(), front.Raw), nil
	}
	if back != nil {
		b, err := s.AddBackID(ctx, back)
		if err != nil {
			return captureFailed(res, err)
		}
		if !b.Accepted() {
			return rejected(res, b.Reason(), b.Raw), nil
		}
	}
	if err := s.ProcessID(ctx); err != nil {
		return captureFailed(res, err)
	}
	selfie, err := s.AddSelfie(ctx, req.Selfie)
	if err != nil {
		return captureFailed(res, err)
	}
	if r := selfie.Reason(); r != "" {
		out := rejected(res, r, selfie.Raw)
		if selfie.HasConfidence {
			out.Scores.Liveness = kyc.NewScore(1 - selfie.Confidence)
		}
		return out, nil
	}
	face, err := s.ProcessFace(ctx)
	if err != nil {
		return captureFailed(res, err)
	}
	out, err := c.complete(ctx, s, res, true)
	if err != nil {
		return nil, err
	}
	// Fill what the score tree left out with the binary answers.
	if !out.Scores.Liveness.Given() {
		out.Scores.Liveness = kyc.NewScore(1 - selfie.Confidence)
	}
	if !out.Scores.FaceMatch.Given() && face.HasConfidence {
		out.Scores.FaceMatch = kyc.NewScore(face.Confidence)
	}
	return out, nil
}

// Result reads a session started by Verify, from its Reference, on any
// Client with the same API key: nothing is kept in memory. When ID
// processing is over but the session is not finished (Verify's context
// ended while it waited), Result finishes it, as Verify would have, then
// reads scores and OCR. While processing is still running it returns
// StatusPending.
func (c *Client) Result(ctx context.Context, ref string) (*kyc.Result, error) {
	const op = "incode.Result"
	id, tok, ok := parseReference(ref)
	if !ok {
		return nil, c.tc.Invalid(op, "ref", `an Incode reference, "incode:<interviewId>.<token>"`)
	}
	s, err := c.ResumeSession(id, tok)
	if err != nil {
		return nil, err
	}
	res := &kyc.Result{Provider: kyc.Incode, Reference: ref, Status: kyc.StatusPending}
	return c.complete(ctx, s, res, false)
}

// complete waits for ID processing (polling when wait is set, else reading
// the status once), finishes the session and reads its outcome. In Verify,
// a context that ends during these steps gives StatusPending.
func (c *Client) complete(ctx context.Context, s *Session, res *kyc.Result, wait bool) (*kyc.Result, error) {
	var status OnboardingStatus
	check := func(ctx context.Context) (bool, error) {
		st, err := s.OnboardingStatus(ctx)
		if err != nil {
			return false, err
		}
		status = st
		return st.Ready(), nil
	}
	var err error
	if wait {
		err = poll.Until(ctx, poll.Config{Initial: c.cfg.PollInterval, Max: MaxPollInterval}, check)
	} else {
		_, err = check(ctx)
	}
	if err != nil {
		return pendingOrError(ctx, res, status, err, wait)
	}
	if !status.Ready() {
		return pending(res, status), nil
	}
	if !status.Finished() {
		if _, err := s.FinishStatus(ctx); err != nil {
			return pendingOrError(ctx, res, status, err, wait)
		}
	}
	score, err := s.Score(ctx)
	if err != nil {
		return pendingOrError(ctx, res, status, err, wait)
	}
	ocr, err := s.OCRData(ctx)
	if err != nil {
		return pendingOrError(ctx, res, status, err, wait)
	}
	return outcome(res, status, score, ocr), nil
}

// outcome fills res from the score tree and the OCR data. A manual review
// decided on Incode's dashboard overrides the score.
func outcome(res *kyc.Result, status OnboardingStatus, score *ScoreReport, ocr *OCRData) *kyc.Result {
	res.Status = score.Status()
	switch status {
	case StatusManualReviewApproved:
		res.Status = kyc.StatusApproved
	case StatusManualReviewRejected:
		res.Status = kyc.StatusRejected
	}
	switch res.Status {
	case kyc.StatusRejected:
		res.Reasons = score.Reasons(false)
		if len(res.Reasons) == 0 {
			res.Reasons = []kyc.Reason{kyc.ReasonOther}
		}
	case kyc.StatusReview:
		res.Reasons = score.Reasons(true)
	case kyc.StatusPending:
		res.Reasons = []kyc.Reason{kyc.ReasonNotFinished}
	}
	res.Scores = score.Scores()
	if ocr != nil {
		res.Document = ocr.Document()
	}
	raw, _ := json.Marshal(struct {
		OnboardingStatus OnboardingStatus `json:"onboardingStatus"`
		Score            json.RawMessage  `json:"score"`
		OCRData          json.RawMessage  `json:"ocrData,omitempty"`
	}{status, score.Raw, ocrRaw(ocr)})
	res.Raw = raw
	return res
}

func ocrRaw(o *OCRData) json.RawMessage {
	if o == nil {
		return nil
	}
	return o.Raw
}

func pending(res *kyc.Result, status OnboardingStatus) *kyc.Result {
	res.Status = kyc.StatusPending
	res.Reasons = []kyc.Reason{kyc.ReasonNotFinished}
	if status != "" {
		res.Raw, _ = json.Marshal(map[string]OnboardingStatus{"onboardingStatus": status})
	}
	return res
}

// pendingOrError turns the end of Verify's context into a pending Result;
// any other failure stays an error.
func pendingOrError(ctx context.Context, res *kyc.Result, status OnboardingStatus, err error, wait bool) (*kyc.Result, error) {
	if wait && ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, kyc.ErrTimeout)) {
		return pending(res, status), nil
	}
	return nil, err
}

// rejected is a capture Incode refused: the person may capture again.
func rejected(res *kyc.Result, r kyc.Reason, raw json.RawMessage) *kyc.Result {
	res.Status = kyc.StatusRejected
	res.Reasons = []kyc.Reason{r}
	res.Resubmit = true
	res.Raw = raw
	return res
}

// captureFailed turns an error code that judges the capture into a
// rejection, and returns any other error as it is.
func captureFailed(res *kyc.Result, err error) (*kyc.Result, error) {
	if r, ok := ErrorReason(err); ok {
		return rejected(res, r, errorRaw(err)), nil
	}
	return nil, err
}
