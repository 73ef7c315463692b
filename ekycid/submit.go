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
	return c.submit(opOCR, req.IdempotentID).kind(req.Raw, req.ObjectType).
		media("image", "Image", req.Image, true).send(ctx)
}

// DetectID submits an image to find an identity document in it. The
// submission is billed; its idempotent_id makes a resend safe.
//
//	POST /v0/id-detection (billed) — https://github.com/EKYCSolutions/node-sdk (packages/ml-vision/src/index.ts)
func (c *Client) DetectID(ctx context.Context, req DetectIDRequest) (*SubmissionResult, error) {
	return c.submit(opDetectID, req.IdempotentID).media("image", "Image", req.Image, true).send(ctx)
}

// CompareFaces submits two faces for comparison; ReplyResult.FaceMatch
// decodes the outcome. The submission is billed; its idempotent_id makes a
// resend safe.
//
//	POST /v0/face-compare (billed) — https://github.com/EKYCSolutions/node-sdk (packages/ml-vision/src/index.ts)
func (c *Client) CompareFaces(ctx context.Context, req CompareFacesRequest) (*SubmissionResult, error) {
	return c.submit(opCompareFaces, req.IdempotentID).
		media("face_image_0", "Face0", req.Face0, true).media("face_image_1", "Face1", req.Face1, true).send(ctx)
}

// Liveness submits liveness videos; ReplyResult.Liveness decodes the
// outcome. The submission is billed; its idempotent_id makes a resend safe.
//
//	POST /v0/liveness-detection (billed) — https://github.com/EKYCSolutions/node-sdk (packages/ml-vision/src/index.ts)
func (c *Client) Liveness(ctx context.Context, req LivenessRequest) (*SubmissionResult, error) {
	s := c.submit(opLiveness, req.IdempotentID)
	if len(req.Sequences) == 0 {
		s.refuse("Sequences", "at least one sequence is required")
	}
	return s.sequences(req.Sequences).send(ctx)
}

// ManualKYC submits a document and face photos for a KYC check a person
// reviews on the vendor's side. The submission is billed; its idempotent_id
// makes a resend safe.
//
//	POST /v0/manual-kyc (billed) — https://github.com/EKYCSolutions/node-sdk (packages/ml-vision/src/index.ts)
func (c *Client) ManualKYC(ctx context.Context, req ManualKYCRequest) (*SubmissionResult, error) {
	return c.submit(opManualKYC, req.IdempotentID).kind(req.Raw, req.ObjectType).
		media("ocr_image", "Document", req.Document, true).media("face_image", "Face", req.Face, true).
		media("face_turn_left_image", "FaceLeft", req.FaceLeft, false).media("face_turn_right_image", "FaceRight", req.FaceRight, false).
		send(ctx)
}

// ExpressKYC submits a document, a selfie and optional liveness videos in
// one operation; ReplyResult.Outcome decodes the result. The submission is
// billed; its idempotent_id makes a resend safe.
//
//	POST /v0/express-kyc (billed) — https://github.com/EKYCSolutions/node-sdk (packages/ml-vision/src/index.ts)
func (c *Client) ExpressKYC(ctx context.Context, req ExpressKYCRequest) (*SubmissionResult, error) {
	return c.submit(opExpressKYC, req.IdempotentID).kind(req.Raw, req.ObjectType).
		media("ocr_image", "Document", req.Document, true).media("face_image", "Face", req.Face, true).
		sequences(req.Sequences).send(ctx)
}

// submission is a v0 submission being built: each input is checked as it
// is added, in the order of the form's parts, and the first refusal is
// kept; send sends the form only when every input passed.
type submission struct {
	c   *Client
	op  kyc.Operation
	f   *Form
	err error
}

// submit starts the submission of op with idempotent_id id: a UUID, or
// empty for a fresh one.
func (c *Client) submit(op kyc.Operation, id string) *submission {
	s := &submission{c: c, op: op, f: newFormWithID(id)}
	if id != "" && !isUUID(id) {
		s.refuse("IdempotentID", "must be a UUID")
	}
	return s
}

// refuse records the refusal of field, unless an earlier one was recorded.
func (s *submission) refuse(field, msg string) {
	if s.err == nil {
		s.err = s.c.tc.Invalid(s.op.Name, field, msg)
	}
}

// keep records err, unless an earlier refusal was recorded; it reports
// whether the submission is still valid.
func (s *submission) keep(err error) bool {
	if s.err == nil {
		s.err = err
	}
	return s.err == nil
}

// kind adds is_raw and object_type (NationalID when t is empty), t checked.
func (s *submission) kind(raw bool, t ObjectType) *submission {
	if s.keep(s.c.checkObjectType(s.op, t)) {
		s.f.Set("is_raw", yesNo(raw)).Set("object_type", string(objectType(t)))
	}
	return s
}

// media adds m as the part name (see Form.media), checked (see checkMedia);
// an optional m that is zero adds nothing.
func (s *submission) media(name, field string, m Media, required bool) *submission {
	if s.keep(s.c.checkMedia(s.op, field, m, required)) && !m.IsZero() {
		s.f.media(name, field, m)
	}
	return s
}

// sequences adds the liveness sequences, checked (see checkSequences).
func (s *submission) sequences(seqs []Sequence) *submission {
	if s.keep(s.c.checkSequences(s.op.Name, seqs)) {
		s.f.sequences(seqs)
	}
	return s
}

// send sends the submission through sendForm, or returns its first refusal.
func (s *submission) send(ctx context.Context) (*SubmissionResult, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.c.sendForm(ctx, s.op, s.f)
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
