package ekycid

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/poll"
	"github.com/kyc-go/kyc/internal/transport"
)

// ObjectType names the kind of document OCR reads.
type ObjectType string

// NationalID is the Cambodian national ID card, the only object type the
// vendor's Node SDK names. Other types (the Flutter SDK has driver licence
// and vehicle registration models) can be passed as strings.
const NationalID ObjectType = "NATIONAL_ID_0"

// OCRRequest reads a document's fields (POST v0/ocr).
type OCRRequest struct {
	// Image is the document: "image_url", or the uploaded file "image".
	Image Media
	// ObjectType defaults to NationalID.
	ObjectType ObjectType
	// Raw asks for the vendor's raw OCR output ("is_raw": yes).
	Raw bool
	// IdempotentID resends an earlier submission; empty means a fresh one.
	IdempotentID string
}

// DetectIDRequest finds an identity document in an image (POST
// v0/id-detection).
type DetectIDRequest struct {
	Image        Media
	IdempotentID string
}

// CompareFacesRequest compares two faces (POST v0/face-compare):
// "face_image_0_url"/"face_image_1_url", or uploads named without "_url".
type CompareFacesRequest struct {
	Face0, Face1 Media
	IdempotentID string
}

// LivenessRequest checks that videos show a live person performing the
// checks (POST v0/liveness-detection).
type LivenessRequest struct {
	Sequences    []Sequence
	IdempotentID string
}

// ManualKYCRequest runs OCR and face checks whose result a person reviews
// (POST v0/manual-kyc). FaceLeft and FaceRight are photos of the head turned
// left and right, sent as "face_turn_left_image(_url)" and
// "face_turn_right_image(_url)".
type ManualKYCRequest struct {
	Document     Media
	Face         Media
	FaceLeft     Media
	FaceRight    Media
	ObjectType   ObjectType
	Raw          bool
	IdempotentID string
}

// ExpressKYCRequest runs OCR, face comparison and, with Sequences, video
// liveness in one operation (POST v0/express-kyc).
type ExpressKYCRequest struct {
	// Document is the ID card: "ocr_image_url" or the file "ocr_image".
	Document Media
	// Face is the selfie: "face_image_url" or the file "face_image".
	Face       Media
	Sequences  []Sequence
	ObjectType ObjectType
	Raw        bool
	// IdempotentID resends an earlier submission; empty means a fresh one.
	IdempotentID string
}

// OCR submits a document for OCR. Read the outcome with Wait or Reply;
// Reply.Document decodes it.
func (c *Client) OCR(ctx context.Context, req OCRRequest) (*Submission, error) {
	const op = "ekycid.OCR"
	f, err := c.newForm(op, req.IdempotentID)
	if err != nil {
		return nil, err
	}
	if err := c.checkMedia(op, "Image", req.Image, true); err != nil {
		return nil, err
	}
	f.Set("is_raw", yesNo(req.Raw)).Set("object_type", string(objectType(req.ObjectType))).media("image", req.Image)
	return c.submit(ctx, op, "v0/ocr", f)
}

// DetectID submits an image to find an identity document in it.
func (c *Client) DetectID(ctx context.Context, req DetectIDRequest) (*Submission, error) {
	const op = "ekycid.DetectID"
	f, err := c.newForm(op, req.IdempotentID)
	if err != nil {
		return nil, err
	}
	if err := c.checkMedia(op, "Image", req.Image, true); err != nil {
		return nil, err
	}
	f.media("image", req.Image)
	return c.submit(ctx, op, "v0/id-detection", f)
}

// CompareFaces submits two faces for comparison; Reply.FaceMatch decodes the
// outcome.
func (c *Client) CompareFaces(ctx context.Context, req CompareFacesRequest) (*Submission, error) {
	const op = "ekycid.CompareFaces"
	f, err := c.newForm(op, req.IdempotentID)
	if err != nil {
		return nil, err
	}
	if err := c.checkMedia(op, "Face0", req.Face0, true); err != nil {
		return nil, err
	}
	if err := c.checkMedia(op, "Face1", req.Face1, true); err != nil {
		return nil, err
	}
	f.media("face_image_0", req.Face0).media("face_image_1", req.Face1)
	return c.submit(ctx, op, "v0/face-compare", f)
}

// Liveness submits liveness videos; Reply.Liveness decodes the outcome.
func (c *Client) Liveness(ctx context.Context, req LivenessRequest) (*Submission, error) {
	const op = "ekycid.Liveness"
	f, err := c.newForm(op, req.IdempotentID)
	if err != nil {
		return nil, err
	}
	if len(req.Sequences) == 0 {
		return nil, c.tc.Invalid(op, "Sequences", "at least one sequence is required")
	}
	if err := c.checkSequences(op, req.Sequences); err != nil {
		return nil, err
	}
	f.sequences(req.Sequences)
	return c.submit(ctx, op, "v0/liveness-detection", f)
}

// ManualKYC submits a document and face photos for a KYC check a person
// reviews on the vendor's side.
func (c *Client) ManualKYC(ctx context.Context, req ManualKYCRequest) (*Submission, error) {
	const op = "ekycid.ManualKYC"
	f, err := c.newForm(op, req.IdempotentID)
	if err != nil {
		return nil, err
	}
	for _, m := range []struct {
		field    string
		m        Media
		required bool
	}{{"Document", req.Document, true}, {"Face", req.Face, true}, {"FaceLeft", req.FaceLeft, false}, {"FaceRight", req.FaceRight, false}} {
		if err := c.checkMedia(op, m.field, m.m, m.required); err != nil {
			return nil, err
		}
	}
	f.Set("is_raw", yesNo(req.Raw)).Set("object_type", string(objectType(req.ObjectType))).
		media("ocr_image", req.Document).media("face_image", req.Face)
	if !req.FaceLeft.IsZero() {
		f.media("face_turn_left_image", req.FaceLeft)
	}
	if !req.FaceRight.IsZero() {
		f.media("face_turn_right_image", req.FaceRight)
	}
	return c.submit(ctx, op, "v0/manual-kyc", f)
}

// ExpressKYC submits a document, a selfie and optional liveness videos in
// one operation; Reply.Outcome decodes the result.
func (c *Client) ExpressKYC(ctx context.Context, req ExpressKYCRequest) (*Submission, error) {
	const op = "ekycid.ExpressKYC"
	f, err := c.newForm(op, req.IdempotentID)
	if err != nil {
		return nil, err
	}
	if err := c.checkMedia(op, "Document", req.Document, true); err != nil {
		return nil, err
	}
	if err := c.checkMedia(op, "Face", req.Face, true); err != nil {
		return nil, err
	}
	if err := c.checkSequences(op, req.Sequences); err != nil {
		return nil, err
	}
	f.Set("is_raw", yesNo(req.Raw)).Set("object_type", string(objectType(req.ObjectType))).
		media("ocr_image", req.Document).media("face_image", req.Face).sequences(req.Sequences)
	return c.submit(ctx, op, "v0/express-kyc", f)
}

// Reply reads the reply to a submission (GET v0/api-request-reply/{id}).
// A reply that is not ready has neither Result nor Error (Done is false).
// When the vendor reports an error in the reply, Reply returns the reply
// and a *kyc.Error of the matching kind with the vendor's code.
func (c *Client) Reply(ctx context.Context, id string) (*Reply, error) {
	return c.reply(ctx, "ekycid.Reply", id)
}

func (c *Client) reply(ctx context.Context, op, id string) (*Reply, error) {
	if id == "" {
		return nil, c.tc.Invalid(op, "id", "required")
	}
	resp, err := c.tc.Do(ctx, &transport.Request{
		Op: op, Method: http.MethodGet, Path: "v0/api-request-reply/" + url.PathEscape(id), Mode: transport.Idempotent,
	})
	if err != nil {
		return nil, err
	}
	// A 200 reply carries the operation's error in its envelope: decode it
	// as a reply, not as a failed call.
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, c.check(op, resp)
	}
	r, err := DecodeReply(resp.Body)
	if err != nil {
		return nil, c.tc.BadResponse(op, resp, err)
	}
	r.ID = id
	if r.Error != nil {
		// An operation that ran and failed without a recognised kind most
		// likely refused its input (an unreadable card, no face).
		kind := codeKind(r.Error.Code, r.Error.Message)
		if kind == nil {
			kind = kyc.ErrInvalidRequest
		}
		return r, c.apiError(op, resp, kind, r.Error.Code, r.Error.Message)
	}
	return r, nil
}

// Wait reads the reply to a submission until it is done, waiting longer
// between reads (Config.PollInterval, doubling to MaxPollInterval). It
// returns as Reply does once the reply is done. If ctx ends first, it
// returns the last reply read (nil if none) with an ErrTimeout *kyc.Error
// that wraps the context's error. Transient failures of a read (a 5xx, a
// dropped connection) do not end the wait.
func (c *Client) Wait(ctx context.Context, id string) (*Reply, error) {
	const op = "ekycid.Wait"
	var last *Reply
	var final error
	err := poll.Until(ctx, c.poll, func(ctx context.Context) (bool, error) {
		r, err := c.reply(ctx, op, id)
		if r != nil {
			last = r
		}
		switch {
		case err != nil && r != nil: // an error in the reply: done
			final = err
			return true, nil
		case err != nil && kyc.IsRetryable(err) && ctx.Err() == nil:
			return false, nil
		case err != nil:
			return false, err
		}
		return r.Done(), nil
	})
	if final != nil {
		return last, final
	}
	if err != nil {
		if ctx.Err() != nil {
			return last, &kyc.Error{Provider: kyc.EKYC, Op: op, Kind: kyc.ErrTimeout, Sent: true, Err: ctx.Err(),
				Message: "the context ended before the reply was ready"}
		}
		return last, err
	}
	return last, nil
}

func (c *Client) newForm(op, id string) (*Form, error) {
	if id != "" && !isUUID(id) {
		return nil, c.tc.Invalid(op, "IdempotentID", "must be a UUID")
	}
	return newFormWithID(id), nil
}

func (c *Client) checkMedia(op, field string, m Media, required bool) error {
	switch {
	case m.IsZero() && required:
		return c.tc.Invalid(op, field, "an image or a URL is required")
	case m.URL != "" && m.Image != nil:
		return c.tc.Invalid(op, field, "set either the URL or the image, not both")
	case m.URL != "" && !checkURL(m.URL):
		return c.tc.Invalid(op, field, "the URL must be an absolute http(s) URL")
	case m.Image != nil && m.Image.Size() > MaxImageSize:
		return c.tc.Invalid(op, field, fmt.Sprintf("the image exceeds %d MiB", MaxImageSize>>20))
	}
	return nil
}

func (c *Client) checkSequences(op string, seqs []Sequence) error {
	for i, s := range seqs {
		field := fmt.Sprintf("Sequences[%d]", i)
		switch {
		case len(s.Checks) == 0:
			return c.tc.Invalid(op, field+".Checks", "at least one check is required")
		case s.Video.IsZero():
			return c.tc.Invalid(op, field+".Video", "a video or a video URL is required")
		case s.Video.URL != "" && len(s.Video.data) > 0:
			return c.tc.Invalid(op, field+".Video", "set either the URL or the content, not both")
		case s.Video.URL != "" && !checkURL(s.Video.URL):
			return c.tc.Invalid(op, field+".Video", "the URL must be an absolute http(s) URL")
		case s.Video.Size() > MaxVideoSize:
			return c.tc.Invalid(op, field+".Video", fmt.Sprintf("the video exceeds %d MiB", MaxVideoSize>>20))
		}
		for _, ch := range s.Checks {
			if ch != CheckLeft && ch != CheckRight && ch != CheckBlink {
				return c.tc.Invalid(op, field+".Checks", "checks are left, right or blink")
			}
		}
	}
	return nil
}

func objectType(t ObjectType) ObjectType {
	if t == "" {
		return NationalID
	}
	return t
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
