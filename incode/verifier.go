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

// Capabilities describes the flow Config.Flow chose. The direct flow (the
// default) needs the front of the document and a selfie: the back is sent
// when given (never for passports); without it the front is uploaded with
// onlyFront. The hosted link (kyc.FlowHostedLink) needs Link.ReturnURL and
// no image: the person captures everything on Incode's pages. Incode classifies the document itself, so any country and
// document type is accepted.
func (c *Client) Capabilities() kyc.Capabilities {
	if c.hosted() {
		return hostedCapabilities()
	}
	return kyc.Capabilities{
		Flow:     kyc.FlowDirect,
		Requires: []kyc.Field{kyc.FieldDocumentFront, kyc.FieldSelfie},
	}
}

// Verify runs the flow Config.Flow chose. With kyc.FlowHostedLink it starts
// a session and returns StatusPending with the link to Incode's hosted
// pages, as the package doc's "Hosted link" section says. Otherwise it
// runs Incode's whole direct flow: start a session (sending req.ID as
// externalCustomerId) → front → back (unless a passport or no back) →
// process ID → selfie → process face → poll the onboarding status with
// backoff until ID processing is over → finish → scores and OCR.
//
// A refused capture (an ID failReason, a selfie that Incode's guide says to
// capture again — spoof suspected, too dark, not bright, lenses, a face mask
// — or an error code judging the image such as 4019 "face not found") ends
// the flow early with StatusRejected, the Reason and Resubmit set.
// Otherwise the overall score decides: OK → approved, FAIL → rejected with
// the reasons of the failing checks, WARN/MANUAL → review, empty → pending.
// A session ended early this way is never processed, so Result on its
// Reference stays pending: start a new Verify with the new capture.
//
// The Reference is "incode:<interviewId>": it carries no credential.
// Polling is bounded by Config.PollTimeout (DefaultPollTimeout): when it
// passes, or when ctx ends once the images are processed, Verify returns
// StatusPending with ReasonNotFinished and the Reference to pass to Result
// later. Any error returned after the session started carries that
// Reference in kyc.Error.Reference. The session start is never resent once
// it may have reached Incode, and Verify never starts a second session.
func (c *Client) Verify(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
	ctx, end := c.tc.Span(ctx, "incode.Verify")
	res, err := c.verify(ctx, req)
	end(res, err)
	return res, err
}

// verify is Verify, inside its span.
func (c *Client) verify(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
	const op = "incode.Verify"
	if c.hosted() {
		return c.verifyLink(ctx, req)
	}
	if err := c.Capabilities().CheckFor(ctx, kyc.Incode, op, req); err != nil {
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
	ref := s.Reference()
	res := &kyc.Result{Provider: kyc.Incode, Reference: ref, Status: kyc.StatusPending}
	out, err := c.run(ctx, s, res, req.Document.Front, back, req.Selfie)
	if err != nil {
		return nil, c.tc.WithReference("incode.Verify", err, ref)
	}
	return out, nil
}

// run is Verify after the session started.
func (c *Client) run(ctx context.Context, s *Session, res *kyc.Result, frontImg, back, selfieImg *kyc.Image) (*kyc.Result, error) {
	front, err := s.addFrontID(ctx, frontImg, back == nil, string(kyc.FieldDocumentFront))
	if err != nil {
		return captureFailed(res, err)
	}
	if !front.Accepted() {
		return rejected(res, front.Reason(), front.Raw), nil
	}
	if back != nil {
		b, err := s.addSide(ctx, opAddBackID, nil, back, string(kyc.FieldDocumentBack))
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
	selfie, err := s.addSelfie(ctx, selfieImg, string(kyc.FieldSelfie))
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
	if out.Status != kyc.StatusPending {
		if !out.Scores.Liveness.Given() {
			out.Scores.Liveness = kyc.NewScore(1 - selfie.Confidence)
		}
		if !out.Scores.FaceMatch.Given() && face.HasConfidence {
			out.Scores.FaceMatch = kyc.NewScore(face.Confidence)
		}
	}
	return out, nil
}

// Result reads a session back from its Reference, in any process that
// finds a token for it (see Config: executive credentials or a shared
// TokenStore give cross-process read-back; otherwise the process that ran
// Verify). References of the old form "incode:<interviewId>.<token>" still
// parse: their token is used for this read, kept like any session token,
// and the Result's Reference is the new form. When ID processing is over
// but the session is not finished (Verify's context ended while it waited),
// Result finishes it, as Verify would have, then reads scores and OCR.
// While processing is still running it returns StatusPending. A client of
// the hosted link (Config.Flow) never finishes a session itself: the person
// may still be on Incode's pages, so its Result is StatusPending until the
// flow marks the session completed (ONBOARDING_FINISHED, or a manual
// review).
func (c *Client) Result(ctx context.Context, ref string) (*kyc.Result, error) {
	ctx, end := c.tc.Span(ctx, "incode.Result")
	res, err := c.result(ctx, ref)
	end(res, err)
	return res, err
}

// result is Result, inside its span.
func (c *Client) result(ctx context.Context, ref string) (*kyc.Result, error) {
	const op = "incode.Result"
	id, legacy, err := c.ref(op, ref)
	if err != nil {
		return nil, err
	}
	s, err := c.ResumeSession(id, legacy)
	if err != nil {
		return nil, err
	}
	res := &kyc.Result{Provider: kyc.Incode, Reference: reference(id), Status: kyc.StatusPending}
	return c.complete(ctx, s, res, false)
}

// complete waits for ID processing (polling when wait is set, within
// Config.PollTimeout, else reading the status once), finishes the session
// and reads its outcome. In Verify, a context or poll bound that ends during
// these steps gives StatusPending.
func (c *Client) complete(ctx context.Context, s *Session, res *kyc.Result, wait bool) (*kyc.Result, error) {
	var status OnboardingStatus
	check := func(ctx context.Context) (bool, error) {
		st, err := s.OnboardingStatus(ctx)
		if err != nil {
			return false, err
		}
		status = st
		return st.Ready() || st == StatusExpired, nil
	}
	var err error
	if wait {
		pctx, cancel := context.WithTimeout(ctx, c.cfg.PollTimeout)
		err = poll.Until(pctx, poll.Config{Initial: c.cfg.PollInterval, Max: MaxPollInterval}, check)
		bounded := pctx.Err() != nil && ctx.Err() == nil
		cancel()
		if bounded {
			return pending(res, status), nil // the poll bound passed; ctx is still alive
		}
	} else {
		_, err = check(ctx)
	}
	if err != nil {
		return pendingOrError(ctx, res, status, err, wait)
	}
	if status == StatusExpired {
		// The session expired before the person finished it (inferred
		// from Incode's purge sample, as the webhook's EXPIRED is): what
		// its webhook says, without waiting for a score that never comes.
		res = webhookVerdict(res, status)
		res.Raw, _ = json.Marshal(map[string]OnboardingStatus{"onboardingStatus": status})
		return res, nil
	}
	if !status.Ready() || (c.hosted() && !status.Finished()) {
		return pending(res, status), nil
	}
	if !status.Finished() && s.ownToken(ctx) {
		// finish-status names no session: it is scoped by the session's
		// own token, so a read-back with the executive token leaves the
		// session to the flow's completion rule (or its own process).
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

// Sequences of Incode's verdicts (kyc.Result.Sequence): a manual review
// decided on Incode's dashboard comes after the automatic verdict, and
// replaces it in a kyc.ResultStore.
const (
	SequenceAutomatic    = 1
	SequenceManualReview = 2
)

// outcome fills res from the score tree and the OCR data. A manual review
// decided on Incode's dashboard overrides the score, and carries the later
// Sequence.
func outcome(res *kyc.Result, status OnboardingStatus, score *ScoreResult, ocr *OCRResult) *kyc.Result {
	res.Status = score.Status()
	res.Sequence = SequenceAutomatic
	switch score.Overall.Status {
	case ScoreManualOK, ScoreManualFail:
		res.Sequence = SequenceManualReview
	}
	switch status {
	case StatusManualReviewApproved:
		res.Status, res.Sequence = kyc.StatusApproved, SequenceManualReview
	case StatusManualReviewRejected:
		res.Status, res.Sequence = kyc.StatusRejected, SequenceManualReview
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

func ocrRaw(o *OCRResult) json.RawMessage {
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
