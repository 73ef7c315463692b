package atlas

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"unicode"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// MaxRequestBytes is the vendor's request size limit ("Make sure, size
// limit of your request does not exceed 100 mb", error 413). Uploads larger
// than this are refused before sending.
const MaxRequestBytes = 100_000_000

// The face endpoints come from the vendor's Java sample (API v1); their
// response bodies are not public. Every result keeps Raw, and the typed
// fields are read tolerantly from the keys listed in each doc comment.

// FaceEnrolment is EnrolFace's answer. The shape is inferred: FaceID is
// data.face_id (or data.id). The sample's face ids look like
// "00b85b02_477a300c-5290-4d25-ad4b-e523327d174b".
type FaceEnrolment struct {
	FaceID    string
	RequestID string
	Raw       json.RawMessage
}

// FaceMatch is the answer of CompareFaces and VerifyFace. The shape is
// inferred. Score is the first of data.match_score, face_match_score,
// similarity, similarity_score, score or confidence, taken as a percentage
// when above 1. Matched is the first of data.is_match, match, matched,
// face_match or match_status that reads as yes or no (nil when none does).
// NoFace is set when data.face_detected, face_found, face_detected_1 or
// face_detected_2 is false, or data.no_face is true.
type FaceMatch struct {
	Score     kyc.Score
	Matched   *bool
	NoFace    bool
	RequestID string
	Data      json.RawMessage
	Raw       json.RawMessage
}

type namedImage struct {
	field string
	img   *kyc.Image
}

// checkImages refuses a missing or empty image, and uploads over the
// vendor's size limit, before anything is sent.
func (c *Client) checkImages(op string, imgs ...namedImage) error {
	var total int64
	largest := ""
	var largestSize int64 = -1
	for _, n := range imgs {
		switch {
		case n.img == nil:
			return c.tc.Invalid(op, n.field, "required")
		case n.img.Size() == 0 || n.img.ContentType() == "":
			return c.tc.Invalid(op, n.field, "the image is empty")
		case n.img.Size() > 0:
			total += n.img.Size()
		}
		if n.img.Size() > largestSize {
			largest, largestSize = n.field, n.img.Size()
		}
	}
	if total > MaxRequestBytes {
		// Name the largest image: it is the one to shrink.
		return c.tc.Invalid(op, largest, "the images exceed the vendor's 100 MB request limit")
	}
	return nil
}

// checkID refuses an id that cannot be a vendor id.
func (c *Client) checkID(op, field, id string) error {
	if id == "" {
		return c.tc.Invalid(op, field, "required")
	}
	if len(id) > 256 {
		return c.tc.Invalid(op, field, "too long")
	}
	for _, r := range id {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return c.tc.Invalid(op, field, "contains spaces or control characters")
		}
	}
	return nil
}

func multipartCall(op, path string, q url.Values, parts ...transport.Part) (call, error) {
	body, err := transport.Multipart(parts...)
	if err != nil {
		return call{}, err
	}
	cl := newCall(op, http.MethodPost, path, q, transport.Unsafe)
	cl.body = body
	return cl, nil
}

// EnrolFace enrols a face for later 1:1 verification (POST /face/enrol,
// multipart part face_image). It may be billed, so it is never resent once
// it may have reached the vendor.
func (c *Client) EnrolFace(ctx context.Context, img *kyc.Image) (*FaceEnrolment, error) {
	const op = "atlas.EnrolFace"
	if err := c.checkImages(op, namedImage{"face_image", img}); err != nil {
		return nil, err
	}
	cl, err := multipartCall("EnrolFace", "/face/enrol", nil, transport.Part{Name: "face_image", Image: img})
	if err != nil {
		return nil, c.tc.Invalid(op, "face_image", err.Error())
	}
	env, id, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	f := flatten(env.Data)
	out := &FaceEnrolment{FaceID: f.first("face_id", "faceid", "id"), RequestID: id, Raw: env.Raw}
	if out.FaceID == "" {
		return nil, c.tc.BadResponse(op, &transport.Response{StatusCode: http.StatusOK, Body: env.Raw, RequestID: id}, errNoField("face_id"))
	}
	return out, nil
}

// CompareFaces compares the faces in two images (POST /face/compare,
// multipart parts face_image_1 and face_image_2), typically a document
// photo and a selfie. It may be billed, so it is never resent once it may
// have reached the vendor.
func (c *Client) CompareFaces(ctx context.Context, image1, image2 *kyc.Image) (*FaceMatch, error) {
	const op = "atlas.CompareFaces"
	if err := c.checkImages(op, namedImage{"face_image_1", image1}, namedImage{"face_image_2", image2}); err != nil {
		return nil, err
	}
	cl, err := multipartCall("CompareFaces", "/face/compare", nil,
		transport.Part{Name: "face_image_1", Image: image1}, transport.Part{Name: "face_image_2", Image: image2})
	if err != nil {
		return nil, c.tc.Invalid(op, "face_image_1", err.Error())
	}
	env, id, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	return decodeFaceMatch(env, id), nil
}

// VerifyFace verifies a face against one enrolled with EnrolFace (POST
// /face/verify?face_id=…, multipart part face_image). It may be billed.
func (c *Client) VerifyFace(ctx context.Context, faceID string, img *kyc.Image) (*FaceMatch, error) {
	const op = "atlas.VerifyFace"
	if err := c.checkID(op, "face_id", faceID); err != nil {
		return nil, err
	}
	if err := c.checkImages(op, namedImage{"face_image", img}); err != nil {
		return nil, err
	}
	cl, err := multipartCall("VerifyFace", "/face/verify", url.Values{"face_id": {faceID}},
		transport.Part{Name: "face_image", Image: img})
	if err != nil {
		return nil, c.tc.Invalid(op, "face_image", err.Error())
	}
	env, id, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	return decodeFaceMatch(env, id), nil
}

func decodeFaceMatch(env *Envelope, requestID string) *FaceMatch {
	f := flatten(env.Data)
	m := &FaceMatch{
		Score:     f.score("match_score", "face_match_score", "similarity", "similarity_score", "score", "confidence"),
		RequestID: requestID, Data: env.Data, Raw: env.Raw,
	}
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
	return m
}

// FetchFace downloads the image of an enrolled face (GET /face/fetch). The
// answer is the image itself (the sample writes it to a .jpg); a JSON body
// is read as an Atlas error.
func (c *Client) FetchFace(ctx context.Context, faceID string) (*kyc.Image, error) {
	const op = "atlas.FetchFace"
	if err := c.checkID(op, "face_id", faceID); err != nil {
		return nil, err
	}
	s, err := c.send(ctx, newCall("FetchFace", http.MethodGet, "/face/fetch", url.Values{"face_id": {faceID}}, transport.Idempotent), false)
	if err != nil {
		return nil, err
	}
	return c.imageAnswer(op, s)
}

// imageAnswer reads an answer that is an image, or an Atlas JSON envelope
// (an error, or data holding the image in base64).
func (c *Client) imageAnswer(op string, s sent) (*kyc.Image, error) {
	resp := s.resp
	resp.RequestID = s.requestID
	if t := bytes.TrimSpace(resp.Body); len(t) > 0 && t[0] == '{' || resp.StatusCode >= 300 {
		env, err := c.check(op, resp)
		if err != nil {
			return nil, err
		}
		img, err := imageFromData(env.Data)
		if err != nil {
			return nil, c.tc.BadResponse(op, resp, err)
		}
		return img, nil
	}
	img, err := kyc.ImageFromBytes(resp.Body)
	if err != nil {
		return nil, c.tc.BadResponse(op, resp, err)
	}
	return img, nil
}

// DeleteFace deletes an enrolled face (GET /face/delete). Deleting twice
// is harmless, so the call is retried like a read.
func (c *Client) DeleteFace(ctx context.Context, faceID string) error {
	const op = "atlas.DeleteFace"
	if err := c.checkID(op, "face_id", faceID); err != nil {
		return err
	}
	s, err := c.send(ctx, newCall("DeleteFace", http.MethodGet, "/face/delete", url.Values{"face_id": {faceID}}, transport.Idempotent), false)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(s.resp.Body)) == 0 && s.resp.StatusCode >= 200 && s.resp.StatusCode < 300 {
		return nil
	}
	s.resp.RequestID = s.requestID
	_, err = c.check(op, s.resp)
	return err
}

// VideoChallenge is VideoChallenge's answer. The shape is inferred:
// Challenges is data itself when it is an array, else the first array in
// data (challenges, challenge_codes, codes…); ID is data.challenge_id or
// data.id.
type VideoChallenge struct {
	ID         string
	Challenges []string
	RequestID  string
	Raw        json.RawMessage
}

// VideoChallenge asks for n challenge codes for a video liveness check
// (GET /video/challenge?no_of_challenges=n; the sample asks for 2).
func (c *Client) VideoChallenge(ctx context.Context, n int) (*VideoChallenge, error) {
	const op = "atlas.VideoChallenge"
	if n < 1 || n > 10 {
		return nil, c.tc.Invalid(op, "no_of_challenges", "must be 1 to 10")
	}
	env, id, err := c.do(ctx, newCall("VideoChallenge", http.MethodGet, "/video/challenge",
		url.Values{"no_of_challenges": {strconv.Itoa(n)}}, transport.Idempotent))
	if err != nil {
		return nil, err
	}
	out := &VideoChallenge{RequestID: id, Raw: env.Raw}
	out.Challenges = stringArray(env.Data)
	if out.Challenges == nil {
		var m map[string]json.RawMessage
		if json.Unmarshal(env.Data, &m) == nil {
			for _, k := range []string{"challenges", "challenge_codes", "codes", "challenge", "tokens"} {
				if a := stringArray(m[k]); a != nil {
					out.Challenges = a
					break
				}
			}
		}
	}
	out.ID = flatten(env.Data).first("challenge_id", "id")
	return out, nil
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
