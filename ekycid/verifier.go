package ekycid

import (
	"context"
	"errors"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/verifier"
)

// Country is the one country EKYC verifies: the vendor reads Cambodian
// national ID cards.
const Country = "KHM"

// DefaultCountry is Country.
//
// Deprecated: a Request without Country is refused, by Verify as by
// Capabilities().Check; use Country.
const DefaultCountry = Country

// Provider returns kyc.EKYC.
func (c *Client) Provider() kyc.Provider { return kyc.EKYC }

// Capabilities describes a direct flow for Cambodian ID cards (Country
// "KHM", required), with the card's front and a selfie. Verify checks a
// Request with exactly these Capabilities, so the two agree: a Request
// without Country is refused by both, and a Router skips EKYC for it.
func (c *Client) Capabilities() kyc.Capabilities {
	return kyc.Capabilities{
		Flow:          kyc.FlowDirect,
		Countries:     []string{Country},
		DocumentTypes: []kyc.DocumentType{kyc.DocumentIDCard},
		Requires:      []kyc.Field{kyc.FieldCountry, kyc.FieldDocumentFront, kyc.FieldSelfie},
	}
}

// Verify submits the document's front and the selfie to ExpressKYC, waits
// for the reply, and maps it: Approved when the faces match and liveness
// (when the vendor reports it) passed; Rejected with reasons for a face
// mismatch, a failed liveness, an expired card, or a reply error about the
// images (an unreadable card, no face: Resubmit is then true); Review when
// the vendor did not score the face match.
//
// The Request needs Country "KHM" (Capabilities): one without Country is
// refused with kyc.ErrInvalidRequest naming "Country", before anything is
// sent.
//
// The wait is bounded by ctx and by Config.PollTimeout (DefaultPollTimeout,
// 64 s): if either ends before the reply is ready, Verify returns
// StatusPending with the Reference "ekycid:<id>" and no error, even under
// context.Background(); Result reads the outcome later. Any error returned
// after the submission got its id carries that Reference in
// kyc.Error.Reference: the submission is billed, so resume it with Result
// rather than verify again. Errors from the wire name the operation that
// failed ("ekycid.ExpressKYC", "ekycid.Reply").
//
// kyc.Request has no video: use VerifyWithLiveness to add liveness videos.
//
//	POST /v0/express-kyc (billed), then GET /v0/api-request-reply/{id} (free) — https://github.com/EKYCSolutions/node-sdk (packages/ml-vision/src/index.ts, packages/client/src/node.ts)
func (c *Client) Verify(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
	return c.verify(ctx, "ekycid.Verify", req, nil)
}

// VerifyWithLiveness is Verify with liveness sequences (videos of the person
// turning left, right or blinking) sent with the ExpressKYC submission.
//
//	POST /v0/express-kyc (billed), then GET /v0/api-request-reply/{id} (free) — https://github.com/EKYCSolutions/node-sdk (packages/ml-vision/src/index.ts, packages/client/src/node.ts)
func (c *Client) VerifyWithLiveness(ctx context.Context, req kyc.Request, seqs ...Sequence) (*kyc.Result, error) {
	const op = "ekycid.VerifyWithLiveness"
	if len(seqs) == 0 {
		return nil, c.tc.Invalid(op, "Sequences", "at least one sequence is required")
	}
	return c.verify(ctx, op, req, seqs)
}

// verify runs Verify and VerifyWithLiveness inside their span.
func (c *Client) verify(ctx context.Context, op string, req kyc.Request, seqs []Sequence) (*kyc.Result, error) {
	return verifier.Traced(ctx, c.tc, op, func(ctx context.Context) (*kyc.Result, error) {
		return c.verifyIn(ctx, op, req, seqs)
	})
}

func (c *Client) verifyIn(ctx context.Context, op string, req kyc.Request, seqs []Sequence) (*kyc.Result, error) {
	if err := c.Capabilities().CheckFor(ctx, kyc.EKYC, op, req); err != nil {
		var kerr *kyc.Error
		if errors.As(err, &kerr) {
			return nil, c.tc.Invalid(op, string(kerr.Field), kerr.Message) // nothing was sent
		}
		return nil, err
	}
	if err := c.checkSequences(op, seqs); err != nil {
		return nil, err
	}
	f := NewForm()
	f.Set("is_raw", "no").Set("object_type", string(NationalID)).
		media("ocr_image", string(kyc.FieldDocumentFront), MediaImage(req.Document.Front)).
		media("face_image", string(kyc.FieldSelfie), MediaImage(req.Selfie)).sequences(seqs)
	sub, err := c.sendForm(ctx, opExpressKYC, f)
	if err != nil {
		return nil, err
	}
	ref := kyc.NewReference(kyc.EKYC, sub.ID)
	r, ended, err := c.wait(ctx, sub.ID)
	switch {
	case ended:
		return c.pending(sub.ID, r), nil
	case err != nil && !r.Done():
		return nil, c.tc.WithReference(op, err, ref)
	}
	res, err := c.toResult(r, err)
	if err != nil {
		return nil, c.tc.WithReference(op, err, ref)
	}
	return res, nil
}

// Result reads the outcome of a verification from its Reference. A reply
// not ready yet gives StatusPending. The reference's id is checked before
// anything is sent (see Reply).
//
//	GET /v0/api-request-reply/{id} (free) — https://github.com/EKYCSolutions/node-sdk (packages/client/src/node.ts)
func (c *Client) Result(ctx context.Context, ref string) (*kyc.Result, error) {
	return verifier.Traced(ctx, c.tc, "ekycid.Result", func(ctx context.Context) (*kyc.Result, error) {
		return c.result(ctx, ref)
	})
}

// result is Result, inside its span.
func (c *Client) result(ctx context.Context, ref string) (*kyc.Result, error) {
	id, err := c.tc.Ref("ekycid.Result", ref)
	if err != nil {
		return nil, err
	}
	r, err := c.Reply(ctx, id)
	if r == nil {
		return nil, err
	}
	if !r.Done() {
		return c.pending(id, r), nil
	}
	return c.toResult(r, err)
}

var _ kyc.Eraser = (*Client)(nil)

// Erase implements kyc.Eraser. EKYC Solutions' public documentation
// (https://docs.ekycsolutions.com) has no call that deletes a
// submission's data and states no retention period.
//
// Erase sends nothing: it answers an ErrUnsupported *kyc.Error whose
// Message says so (a kyc.Router erases its store's copy all the same). A
// reference that is not an EKYC one is ErrInvalidRequest.
func (c *Client) Erase(_ context.Context, ref string) error {
	return verifier.Erase(c.tc, "ekycid.Erase", ref, verifier.NoDeletion{Vendor: "EKYC Solutions", Data: "a submission's data",
		Docs: "https://docs.ekycsolutions.com"})
}

func (c *Client) pending(id string, r *ReplyResult) *kyc.Result {
	if r == nil {
		return verifier.Pending(kyc.EKYC, id, nil)
	}
	return verifier.Pending(kyc.EKYC, id, r.Raw)
}

// toResult maps a done reply. replyErr is the error Reply derived from the
// reply's error object: one about the images is a rejection, any other is
// returned.
func (c *Client) toResult(r *ReplyResult, replyErr error) (*kyc.Result, error) {
	res := &kyc.Result{Provider: kyc.EKYC, Reference: kyc.NewReference(kyc.EKYC, r.ID), Raw: r.Raw}
	if r.Error != nil {
		reason, resubmit, ok := reasonFor(r.Error)
		if !ok {
			if replyErr == nil {
				replyErr = &kyc.Error{Provider: kyc.EKYC, Op: opReply.Name, Kind: kyc.ErrBadResponse, Code: r.Error.Code,
					Message: "the reply carries an error", VendorMessage: r.Error.Message}
			}
			return nil, replyErr
		}
		res.Status, res.Reasons, res.Resubmit = kyc.StatusRejected, []kyc.Reason{reason}, resubmit
		return res, nil
	}
	o := r.Outcome()
	if o.FaceMatch.OutOfRange() || o.Liveness.OutOfRange() {
		return nil, &kyc.Error{Provider: kyc.EKYC, Op: opReply.Name, Kind: kyc.ErrBadResponse,
			Message: "the reply's score is not a decimal from 0 to 100"}
	}
	res.Document = o.Document
	res.Scores = kyc.Scores{FaceMatch: o.FaceMatch.Score, Liveness: o.Liveness.Score}
	face, faceKnown := o.FaceMatch.Passed(c.cfg.FaceMatchThreshold)
	live, liveKnown := o.Liveness.Passed(c.cfg.LivenessThreshold)
	if faceKnown && !face {
		res.Reasons = append(res.Reasons, kyc.ReasonFaceMismatch)
	}
	if liveKnown && !live {
		res.Reasons = append(res.Reasons, kyc.ReasonLivenessFailed)
	}
	if d := o.Document; d != nil && !d.ExpiryDate.IsZero() && d.ExpiryDate.Before(today(c.tc.Now())) {
		res.Reasons = append(res.Reasons, kyc.ReasonDocumentExpired)
	}
	switch {
	case len(res.Reasons) > 0:
		res.Status = kyc.StatusRejected
	case !faceKnown:
		res.Status, res.Reasons = kyc.StatusReview, []kyc.Reason{kyc.ReasonOther}
	default:
		res.Status = kyc.StatusApproved
	}
	return res, nil
}

func today(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
