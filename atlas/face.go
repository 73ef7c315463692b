package atlas

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// MaxRequestBytes is the vendor's request size limit ("Make sure, size
// limit of your request does not exceed 100 mb", error 413). Images of
// known size over it, together, are refused before sending; an image of
// unknown size (kyc.ImageFromReader) is counted as it is sent, capped at
// what the images of known size leave of the limit, and the request is
// aborted past it: the call then fails with ErrInvalidRequest naming the
// image's field.
const MaxRequestBytes = 100_000_000

// The face endpoints come from the vendor's Java sample (API v1); their
// response bodies are not public. Every result keeps Raw, and the typed
// fields are read tolerantly from the keys listed in each doc comment.

// EnrolFaceResult is EnrolFace's answer. The shape is inferred: FaceID is
// data.face_id (or data.id). The sample's face ids look like
// "00b85b02_477a300c-5290-4d25-ad4b-e523327d174b".
type EnrolFaceResult struct {
	FaceID    string
	RequestID string
	// Raw is the vendor's body (personal data).
	Raw json.RawMessage
}

func (r *EnrolFaceResult) fromEnvelope(env *Envelope) error {
	r.FaceID, r.Raw = flatten(env.Data).first("face_id", "faceid", "id"), env.Raw
	if r.FaceID == "" {
		return errNoField("face_id")
	}
	return nil
}

// FaceMatchResult is the answer of CompareFaces and VerifyFace. The shape
// is inferred. Score is the first of data.match_score, face_match_score,
// similarity, similarity_score, score or confidence, taken as a percentage
// when above 1; a score that is a number out of 0..100 (1e308, NaN, -1) is
// refused as ErrBadResponse. Matched is the first of data.is_match, match, matched,
// face_match or match_status that reads as yes or no (nil when none does).
// NoFace is set when data.face_detected, face_found, face_detected_1 or
// face_detected_2 is false, or data.no_face is true.
type FaceMatchResult struct {
	Score     kyc.Score
	Matched   *bool
	NoFace    bool
	RequestID string
	// Data and Raw are the vendor's data and body (personal data).
	Data json.RawMessage
	Raw  json.RawMessage
}

func (m *FaceMatchResult) fromEnvelope(env *Envelope) error {
	f := flatten(env.Data)
	score, err := f.score("match_score", "face_match_score", "similarity", "similarity_score", "score", "confidence")
	if err != nil {
		return err
	}
	*m = FaceMatchResult{Score: score, Data: env.Data, Raw: env.Raw}
	if v, ok := f.flag("is_match", "match", "matched", "face_match", "match_status"); ok {
		m.Matched = &v
	}
	for _, k := range []string{"face_detected", "face_found", "face_detected_1", "face_detected_2"} {
		if v, ok := yesNo(f[k]); ok && !v {
			m.NoFace = true
		}
	}
	if v, ok := yesNo(f["no_face"]); ok && v {
		m.NoFace = true
	}
	return nil
}

// namedImage is an image to send as the multipart part name; field names
// it in errors (default name).
type namedImage struct {
	name, field string
	img         *kyc.Image
}

// imageParts checks images before anything is sent (each is required and
// not empty; those of known size fit in the vendor's request limit
// together) and returns their multipart parts, each of unknown size capped
// at what the others leave of the limit (MaxRequestBytes).
func (c *Client) imageParts(op string, imgs ...namedImage) ([]transport.Part, error) {
	var known int64
	largest, largestSize := "", int64(-1)
	for i := range imgs {
		n := &imgs[i]
		if n.field == "" {
			n.field = n.name
		}
		switch {
		case n.img == nil:
			return nil, c.tc.Invalid(op, n.field, "required")
		case n.img.Size() == 0 || n.img.ContentType() == "":
			return nil, c.tc.Invalid(op, n.field, "the image is empty")
		case n.img.Size() > 0:
			known += n.img.Size()
		}
		if n.img.Size() > largestSize {
			largest, largestSize = n.field, n.img.Size()
		}
	}
	if known > c.maxBody {
		// Name the largest image: it is the one to shrink.
		return nil, c.tc.Invalid(op, largest, "the images exceed the vendor's 100 MB request limit")
	}
	parts := make([]transport.Part, len(imgs))
	for i, n := range imgs {
		parts[i] = transport.Part{Name: n.name, Image: n.img, Field: n.field}
		if n.img.Size() < 0 {
			parts[i].Max = max(c.maxBody-known, 1)
		}
	}
	return parts, nil
}

// checkID refuses an id that cannot be a vendor id: empty, longer than 256
// bytes, or holding spaces or control characters.
func (c *Client) checkID(op, field, id string) error {
	switch {
	case id == "":
		return c.tc.Invalid(op, field, "required")
	case len(id) > 256:
		return c.tc.Invalid(op, field, "too long")
	case !transport.SafeText(id) || strings.ContainsFunc(id, unicode.IsSpace):
		return c.tc.Invalid(op, field, "contains spaces or control characters")
	}
	return nil
}

// multipart builds the body of an upload of images.
func (c *Client) multipart(op string, imgs ...namedImage) (transport.Body, error) {
	parts, err := c.imageParts(op, imgs...)
	if err != nil {
		return transport.Body{}, err
	}
	body, err := transport.Multipart(parts...)
	if err != nil {
		return transport.Body{}, c.tc.Invalid(op, parts[0].Field, "cannot be encoded as multipart")
	}
	return body, nil
}

// EnrolFace enrols a face for later 1:1 verification (multipart part
// face_image). It may be billed, so it is never resent once it may have
// reached the vendor.
//
//	POST /face/enrol (billed) — https://github.com/frslabs/atlas-api-sample-java
func (c *Client) EnrolFace(ctx context.Context, img *kyc.Image) (*EnrolFaceResult, error) {
	body, err := c.multipart(opEnrolFace.Name, namedImage{name: "face_image", img: img})
	if err != nil {
		return nil, err
	}
	out := new(EnrolFaceResult)
	return sendFor(ctx, c, opEnrolFace, nil, body, out, &out.RequestID)
}

// CompareFaces compares the faces in two images (multipart parts
// face_image_1 and face_image_2), typically a document photo and a selfie.
// It may be billed, so it is never resent once it may have reached the
// vendor.
//
//	POST /face/compare (billed) — https://github.com/frslabs/atlas-api-sample-java
func (c *Client) CompareFaces(ctx context.Context, image1, image2 *kyc.Image) (*FaceMatchResult, error) {
	return c.compareFaces(ctx, namedImage{name: "face_image_1", img: image1}, namedImage{name: "face_image_2", img: image2})
}

func (c *Client) compareFaces(ctx context.Context, image1, image2 namedImage) (*FaceMatchResult, error) {
	body, err := c.multipart(opCompareFaces.Name, image1, image2)
	if err != nil {
		return nil, err
	}
	out := new(FaceMatchResult)
	return sendFor(ctx, c, opCompareFaces, nil, body, out, &out.RequestID)
}

// VerifyFace verifies a face against one enrolled with EnrolFace (query
// face_id, multipart part face_image). It may be billed.
//
//	POST /face/verify (billed) — https://github.com/frslabs/atlas-api-sample-java
func (c *Client) VerifyFace(ctx context.Context, faceID string, img *kyc.Image) (*FaceMatchResult, error) {
	if err := c.checkID(opVerifyFace.Name, "face_id", faceID); err != nil {
		return nil, err
	}
	body, err := c.multipart(opVerifyFace.Name, namedImage{name: "face_image", img: img})
	if err != nil {
		return nil, err
	}
	out := new(FaceMatchResult)
	return sendFor(ctx, c, opVerifyFace, url.Values{"face_id": {faceID}}, body, out, &out.RequestID)
}

// FetchFace downloads the image of an enrolled face (query face_id). The
// answer is the image itself (the sample writes it to a .jpg); a JSON
// answer is read as an Atlas envelope: an error, or data holding the image
// in base64. A read: retried like one.
//
//	GET /face/fetch (free) — https://github.com/frslabs/atlas-api-sample-java
func (c *Client) FetchFace(ctx context.Context, faceID string) (*kyc.Image, error) {
	if err := c.checkID(opFetchFace.Name, "face_id", faceID); err != nil {
		return nil, err
	}
	var img *kyc.Image
	if _, err := c.send(ctx, opFetchFace, url.Values{"face_id": {faceID}}, transport.Body{}, &img); err != nil {
		return nil, err
	}
	return img, nil
}

// DeleteFace deletes an enrolled face (query face_id). Deleting twice is
// harmless, so the call is retried like a read.
//
//	GET /face/delete (free) — https://github.com/frslabs/atlas-api-sample-java
func (c *Client) DeleteFace(ctx context.Context, faceID string) error {
	if err := c.checkID(opDeleteFace.Name, "face_id", faceID); err != nil {
		return err
	}
	_, err := c.send(ctx, opDeleteFace, url.Values{"face_id": {faceID}}, transport.Body{}, nil)
	return err
}

// VideoChallengeResult is VideoChallenge's answer. The shape is inferred:
// Challenges is data itself when it is an array, else the first array in
// data (challenges, challenge_codes, codes…); ID is data.challenge_id or
// data.id.
type VideoChallengeResult struct {
	ID         string
	Challenges []string
	RequestID  string
	Raw        json.RawMessage
}

func (v *VideoChallengeResult) fromEnvelope(env *Envelope) error {
	v.Raw = env.Raw
	v.Challenges = stringArray(env.Data)
	if v.Challenges == nil {
		var m map[string]json.RawMessage
		if json.Unmarshal(env.Data, &m) == nil {
			for _, k := range []string{"challenges", "challenge_codes", "codes", "challenge", "tokens"} {
				if a := stringArray(m[k]); a != nil {
					v.Challenges = a
					break
				}
			}
		}
	}
	v.ID = flatten(env.Data).first("challenge_id", "id")
	return nil
}

// VideoChallenge asks for n challenge codes for a video liveness check
// (query no_of_challenges; the sample asks for 2).
//
//	GET /video/challenge (free) — https://github.com/frslabs/atlas-api-sample-java
func (c *Client) VideoChallenge(ctx context.Context, n int) (*VideoChallengeResult, error) {
	if n < 1 || n > 10 {
		return nil, c.tc.Invalid(opVideoChallenge.Name, "no_of_challenges", "must be 1 to 10")
	}
	out := new(VideoChallengeResult)
	return sendFor(ctx, c, opVideoChallenge, url.Values{"no_of_challenges": {strconv.Itoa(n)}}, transport.Body{}, out, &out.RequestID)
}

// stringArray reads a JSON array of scalars as strings, or nil.
func stringArray(raw json.RawMessage) []string {
	var arr []json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &arr) != nil {
		return nil
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		var s scalar
		if s.UnmarshalJSON(e) == nil {
			out = append(out, string(s))
		}
	}
	return out
}
