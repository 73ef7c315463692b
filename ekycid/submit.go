package ekycid

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kyc-go/kyc"
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

// SubmissionResult is the vendor's answer to a v0 operation: the id of the
// reply to read with Reply or Wait, and the idempotent_id it was sent with.
type SubmissionResult struct {
	// ID is the vendor's request id; Reply and Wait take it, and
	// kyc.NewReference(kyc.EKYC, ID) is its Reference.
	ID string
	// IdempotentID is the UUID the submission carried. Submitting the same
	// request again with it (the IdempotentID field of the request types)
	// cannot run the operation twice: the vendor answers the same ID.
	IdempotentID string
}

// submitAnswer is the body of a submission's answer, {"id"}.
type submitAnswer struct {
	ID json.RawMessage `json:"id"`
}

// sendForm sends one v0 submission through send. The form, and so its
// idempotent_id, is built once: every attempt the transport makes sends the
// same bytes, which is what makes the operation's Idempotent flag true.
func (c *Client) sendForm(ctx context.Context, op kyc.Operation, f *Form) (*SubmissionResult, error) {
	body, err := f.body(op.Name, c)
	if err != nil {
		return nil, err
	}
	var out submitAnswer
	resp, err := c.send(ctx, op, nil, body, &out)
	if err != nil {
		return nil, err
	}
	id := scalarString(out.ID)
	if idForm(id) != nil {
		return nil, c.tc.BadResponse(op.Name, resp, errors.New("ekycid: the answer carries no usable id"))
	}
	return &SubmissionResult{ID: id, IdempotentID: f.idempotentID}, nil
}

// OCR submits a document for OCR. Read the outcome with Wait or Reply;
// ReplyResult.Document decodes it. The submission is billed; its
// idempotent_id makes a resend safe.
//
//	POST /v0/ocr (billed) — https://github.com/EKYCSolutions/node-sdk (packages/ml-vision/src/index.ts)
func (c *Client) OCR(ctx context.Context, req OCRRequest) (*SubmissionResult, error) {
	op := opOCR
	f, err := c.newForm(op, req.IdempotentID)
	if err != nil {
		return nil, err
	}
	if err := c.checkMedia(op, "Image", req.Image, true); err != nil {
		return nil, err
	}
	if err := c.checkObjectType(op, req.ObjectType); err != nil {
		return nil, err
	}
	f.Set("is_raw", yesNo(req.Raw)).Set("object_type", string(objectType(req.ObjectType))).media("image", "Image", req.Image)
	return c.sendForm(ctx, op, f)
}

// DetectID submits an image to find an identity document in it. The
// submission is billed; its idempotent_id makes a resend safe.
//
//	POST /v0/id-detection (billed) — https://github.com/EKYCSolutions/node-sdk (packages/ml-vision/src/index.ts)
func (c *Client) DetectID(ctx context.Context, req DetectIDRequest) (*SubmissionResult, error) {
	op := opDetectID
	f, err := c.newForm(op, req.IdempotentID)
	if err != nil {
		return nil, err
	}
	if err := c.checkMedia(op, "Image", req.Image, true); err != nil {
		return nil, err
	}
	f.media("image", "Image", req.Image)
	return c.sendForm(ctx, op, f)
}

// CompareFaces submits two faces for comparison; ReplyResult.FaceMatch
// decodes the outcome. The submission is billed; its idempotent_id makes a
// resend safe.
//
//	POST /v0/face-compare (billed) — https://github.com/EKYCSolutions/node-sdk (packages/ml-vision/src/index.ts)
func (c *Client) CompareFaces(ctx context.Context, req CompareFacesRequest) (*SubmissionResult, error) {
	op := opCompareFaces
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
	f.media("face_image_0", "Face0", req.Face0).media("face_image_1", "Face1", req.Face1)
	return c.sendForm(ctx, op, f)
}

// Liveness submits liveness videos; ReplyResult.Liveness decodes the
// outcome. The submission is billed; its idempotent_id makes a resend safe.
//
//	POST /v0/liveness-detection (billed) — https://github.com/EKYCSolutions/node-sdk (packages/ml-vision/src/index.ts)
func (c *Client) Liveness(ctx context.Context, req LivenessRequest) (*SubmissionResult, error) {
	op := opLiveness
	f, err := c.newForm(op, req.IdempotentID)
	if err != nil {
		return nil, err
	}
	if len(req.Sequences) == 0 {
		return nil, c.tc.Invalid(op.Name, "Sequences", "at least one sequence is required")
	}
	if err := c.checkSequences(op.Name, req.Sequences); err != nil {
		return nil, err
	}
	f.sequences(req.Sequences)
	return c.sendForm(ctx, op, f)
}

// ManualKYC submits a document and face photos for a KYC check a person
// reviews on the vendor's side. The submission is billed; its idempotent_id
// makes a resend safe.
//
//	POST /v0/manual-kyc (billed) — https://github.com/EKYCSolutions/node-sdk (packages/ml-vision/src/index.ts)
func (c *Client) ManualKYC(ctx context.Context, req ManualKYCRequest) (*SubmissionResult, error) {
	op := opManualKYC
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
	if err := c.checkObjectType(op, req.ObjectType); err != nil {
		return nil, err
	}
	f.Set("is_raw", yesNo(req.Raw)).Set("object_type", string(objectType(req.ObjectType))).
		media("ocr_image", "Document", req.Document).media("face_image", "Face", req.Face)
	if !req.FaceLeft.IsZero() {
		f.media("face_turn_left_image", "FaceLeft", req.FaceLeft)
	}
	if !req.FaceRight.IsZero() {
		f.media("face_turn_right_image", "FaceRight", req.FaceRight)
	}
	return c.sendForm(ctx, op, f)
}

// ExpressKYC submits a document, a selfie and optional liveness videos in
// one operation; ReplyResult.Outcome decodes the result. The submission is
// billed; its idempotent_id makes a resend safe.
//
//	POST /v0/express-kyc (billed) — https://github.com/EKYCSolutions/node-sdk (packages/ml-vision/src/index.ts)
func (c *Client) ExpressKYC(ctx context.Context, req ExpressKYCRequest) (*SubmissionResult, error) {
	op := opExpressKYC
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
	if err := c.checkSequences(op.Name, req.Sequences); err != nil {
		return nil, err
	}
	if err := c.checkObjectType(op, req.ObjectType); err != nil {
		return nil, err
	}
	f.Set("is_raw", yesNo(req.Raw)).Set("object_type", string(objectType(req.ObjectType))).
		media("ocr_image", "Document", req.Document).media("face_image", "Face", req.Face).sequences(req.Sequences)
	return c.sendForm(ctx, op, f)
}

func (c *Client) newForm(op kyc.Operation, id string) (*Form, error) {
	if id != "" && !isUUID(id) {
		return nil, c.tc.Invalid(op.Name, "IdempotentID", "must be a UUID")
	}
	return newFormWithID(id), nil
}

// checkMedia checks one image input. Its size is capped by the form
// (MaxImageSize, transport.Part.Max), for streams of unknown length too.
func (c *Client) checkMedia(op kyc.Operation, field string, m Media, required bool) error {
	switch {
	case m.IsZero() && required:
		return c.tc.Invalid(op.Name, field, "an image or a URL is required")
	case m.URL != "" && m.Image != nil:
		return c.tc.Invalid(op.Name, field, "set either the URL or the image, not both")
	case m.URL != "" && !checkURL(m.URL):
		return c.tc.Invalid(op.Name, field, "the URL must be an absolute http(s) URL")
	}
	return nil
}

func (c *Client) checkObjectType(op kyc.Operation, t ObjectType) error {
	if !transport.SafeText(string(t)) || len(t) > 64 {
		return c.tc.Invalid(op.Name, "ObjectType", "at most 64 characters, without control characters")
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
