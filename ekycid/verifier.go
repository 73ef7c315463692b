package ekycid

import (
	"context"
	"fmt"
	"time"

	"github.com/kyc-go/kyc"
)

// DefaultCountry is the country Verify assumes when the Request names none:
// the vendor reads Cambodian national ID cards.
const DefaultCountry = "KHM"

// Provider returns kyc.EKYC.
func (c *Client) Provider() kyc.Provider { return kyc.EKYC }

// Capabilities describes a direct flow for Cambodian ID cards, with the card's front
// and a selfie.
func (c *Client) Capabilities() kyc.Capabilities {
	return kyc.Capabilities{
		Flow:          kyc.FlowDirect,
		Countries:     []string{DefaultCountry},
		DocumentTypes: []kyc.DocumentType{kyc.DocumentIDCard},
		Requires:      []kyc.Field{kyc.FieldDocumentFront, kyc.FieldSelfie},
	}
}

// Verify submits the document's front and the selfie to ExpressKYC, waits
// for the reply within ctx, and maps it: Approved when the faces match and
// liveness (when the vendor reports it) passed; Rejected with reasons for a
// face mismatch, a failed liveness, an expired card, or a reply error about
// the images (an unreadable card, no face: Resubmit is then true); Review
// when the vendor did not score the face match. If ctx ends before the
// reply is ready, Verify returns StatusPending with the Reference
// "ekycid:<id>" and no error; Result reads the outcome later.
//
// kyc.Request has no video: use VerifyWithLiveness to add liveness videos.
func (c *Client) Verify(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
	return c.verify(ctx, "ekycid.Verify", req, nil)
}

// VerifyWithLiveness is Verify with liveness sequences (videos of the person
// turning left, right or blinking) sent with the ExpressKYC submission.
func (c *Client) VerifyWithLiveness(ctx context.Context, req kyc.Request, seqs ...Sequence) (*kyc.Result, error) {
	const op = "ekycid.VerifyWithLiveness"
	if len(seqs) == 0 {
		return nil, c.tc.Invalid(op, "Sequences", "at least one sequence is required")
	}
	return c.verify(ctx, op, req, seqs)
}

func (c *Client) verify(ctx context.Context, op string, req kyc.Request, seqs []Sequence) (*kyc.Result, error) {
	if req.Country == "" {
		req.Country = DefaultCountry
	}
	if err := c.Capabilities().CheckFor(kyc.EKYC, op, req); err != nil {
		return nil, err
	}
	if err := c.checkSequences(op, seqs); err != nil {
		return nil, err
	}
	// Checked here too, so the error names the Request field rather than
	// the vendor's form field.
	for _, im := range []struct {
		field kyc.Field
		img   *kyc.Image
	}{{kyc.FieldDocumentFront, req.Document.Front}, {kyc.FieldSelfie, req.Selfie}} {
		if im.img.Size() > MaxImageSize {
			return nil, c.tc.Invalid(op, string(im.field), fmt.Sprintf("the image exceeds %d MiB", MaxImageSize>>20))
		}
	}
	f := NewForm()
	f.Set("is_raw", "no").Set("object_type", string(NationalID)).
		media("ocr_image", MediaImage(req.Document.Front)).media("face_image", MediaImage(req.Selfie)).sequences(seqs)
	sub, err := c.submit(ctx, op, "v0/express-kyc", f)
	if err != nil {
		return nil, err
	}
	r, err := c.Wait(ctx, sub.ID)
	if err != nil && !r.Done() {
		if ctx.Err() != nil {
			return c.pending(sub.ID, r), nil
		}
		return nil, err
	}
	return c.toResult(r, err)
}

// Result reads the outcome of a verification from its Reference. A reply
// not ready yet gives StatusPending.
func (c *Client) Result(ctx context.Context, ref string) (*kyc.Result, error) {
	const op = "ekycid.Result"
	id, err := c.tc.VendorID(op, ref)
	if err != nil {
		return nil, err
	}
	r, err := c.reply(ctx, op, id)
	if r == nil {
		return nil, err
	}
	if !r.Done() {
		return c.pending(id, r), nil
	}
	return c.toResult(r, err)
}

func (c *Client) pending(id string, r *Reply) *kyc.Result {
	res := &kyc.Result{Provider: kyc.EKYC, Reference: kyc.NewReference(kyc.EKYC, id), Status: kyc.StatusPending,
		Reasons: []kyc.Reason{kyc.ReasonNotFinished}}
	if r != nil {
		res.Raw = r.Raw
	}
	return res
}

// toResult maps a done reply. replyErr is the error Reply derived from the
// reply's error object: one about the images is a rejection, any other is
// returned.
func (c *Client) toResult(r *Reply, replyErr error) (*kyc.Result, error) {
	res := &kyc.Result{Provider: kyc.EKYC, Reference: kyc.NewReference(kyc.EKYC, r.ID), Raw: r.Raw}
	if r.Error != nil {
		reason, resubmit, ok := reasonFor(r.Error)
		if !ok {
			if replyErr == nil {
				replyErr = &kyc.Error{Provider: kyc.EKYC, Op: "ekycid.Result", Kind: kyc.ErrBadResponse, Code: r.Error.Code,
					Message: "the reply carries an error", VendorMessage: r.Error.Message, Sent: true}
			}
			return nil, replyErr
		}
		res.Status, res.Reasons, res.Resubmit = kyc.StatusRejected, []kyc.Reason{reason}, resubmit
		return res, nil
	}
	o := r.Outcome()
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
