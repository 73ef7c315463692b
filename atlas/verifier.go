package atlas

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/verifier"
)

// Provider returns kyc.Atlas.
func (c *Client) Provider() kyc.Provider { return kyc.Atlas }

// Capabilities describes a direct flow that needs a document photo and a selfie,
// from any country (face comparison is not country-bound; the docs' country
// list is for document OCR). A PAN, when given with Document.Type
// kyc.DocumentPAN, is verified too and implies India.
func (c *Client) Capabilities() kyc.Capabilities {
	return kyc.Capabilities{
		Flow: kyc.FlowDirect,
		DocumentTypes: []kyc.DocumentType{kyc.DocumentPAN, kyc.DocumentAadhaar, kyc.DocumentPassport,
			kyc.DocumentIDCard, kyc.DocumentDriverLicense, kyc.DocumentResidencePermit},
		Requires: []kyc.Field{kyc.FieldDocumentFront, kyc.FieldSelfie},
	}
}

// Verify compares the face on Document.Front with the Selfie
// (CompareFaces). When Document.Type is kyc.DocumentPAN with a Number, it
// first verifies the PAN (VerifyPAN) and matches the registry's holder name
// with Person.FullName, when given.
//
// The outcome:
//   - Approved: the faces match (score at or above FaceMatchThreshold, or
//     the vendor's own match flag when it sends no score) and, with a PAN,
//     the PAN is VALID and the names match.
//   - Rejected: the PAN is INVALID (ReasonDocumentNumberMismatch; the face
//     comparison is then skipped, as it would be billed for nothing), the
//     holder's name differs (ReasonNameMismatch), the score is below
//     FaceReviewThreshold (ReasonFaceMismatch), or no face was found
//     (ReasonNoFace, with Resubmit set).
//   - Review: a score between the two thresholds, a partial name match
//     (a missing middle name, initials: ReasonNameMismatch), a PAN status
//     other than VALID or INVALID, or a comparison without score or flag.
//
// Reference is "atlas:<request_id>" of the face comparison (of the PAN
// check when the comparison was skipped). Raw is {"verify_pan": …,
// "compare_faces": …} holding the vendor's bodies. Scores.FaceMatch is the
// comparison's score. Atlas does not say whether a call was billed, and
// has no reference field: Request.ID is not sent.
//
// When the face comparison fails after the PAN check was answered (and
// billed), the error's Reference is the PAN check's, so the caller knows a
// charge was made and does not fall back to another vendor unawares.
func (c *Client) Verify(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
	return verifier.Traced(ctx, c.tc, "atlas.Verify", func(ctx context.Context) (*kyc.Result, error) {
		return c.verify(ctx, req)
	})
}

// verify is Verify, inside its span.
func (c *Client) verify(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
	const op = "atlas.Verify"
	if err := c.Capabilities().CheckFor(ctx, kyc.Atlas, op, req); err != nil {
		return nil, err
	}
	front := namedImage{name: "face_image_1", field: string(kyc.FieldDocumentFront), img: req.Document.Front}
	selfie := namedImage{name: "face_image_2", field: string(kyc.FieldSelfie), img: req.Selfie}
	if _, err := c.imageParts(op, front, selfie); err != nil {
		return nil, err
	}
	checkPAN := req.Document.Type == kyc.DocumentPAN && req.Document.Number != ""
	pan := ""
	if checkPAN {
		var ok bool
		if pan, ok = NormalizePAN(req.Document.Number); !ok {
			return nil, c.tc.Invalid(op, string(kyc.FieldDocumentNumber), "a PAN is five letters, four digits and a letter, such as ABCDE1234F")
		}
		if req.Country != "" && req.Country != "IND" {
			return nil, c.tc.Invalid(op, string(kyc.FieldCountry), "a PAN is issued by India (IND)")
		}
	}

	v := verdict{status: kyc.StatusApproved}
	raw := map[string]json.RawMessage{}
	res := &kyc.Result{Provider: kyc.Atlas}
	if checkPAN {
		p, err := c.VerifyPAN(ctx, pan)
		if err != nil {
			return nil, err
		}
		raw["verify_pan"] = p.Raw
		res.Reference = kyc.NewReference(kyc.Atlas, p.RequestID)
		res.Document = panDocument(p)
		o, known := panOutcomes[PANStatus(strings.ToUpper(string(p.Status)))]
		if !known {
			o = outcome{kyc.StatusReview, kyc.ReasonOther}
		}
		v.add(o.status, o.reason)
		if o.status == kyc.StatusRejected {
			return v.result(res, raw), nil
		}
		if name := strings.TrimSpace(req.Person.FullName); name != "" {
			switch matchNames(name, p.FullName()) {
			case namesDiffer:
				v.add(kyc.StatusRejected, kyc.ReasonNameMismatch)
			case namesPartial:
				v.add(kyc.StatusReview, kyc.ReasonNameMismatch)
			}
		}
	}

	m, err := c.compareFaces(ctx, front, selfie)
	if err != nil {
		return nil, c.tc.WithReference(opCompareFaces.Name, err, res.Reference) // the PAN check was billed
	}
	raw["compare_faces"] = m.Raw
	res.Reference = kyc.NewReference(kyc.Atlas, m.RequestID)
	res.Scores.FaceMatch = m.Score
	score, scored := m.Score.Value()
	switch {
	case m.NoFace:
		v.add(kyc.StatusRejected, kyc.ReasonNoFace)
		res.Resubmit = true
	case scored && score >= c.cfg.FaceMatchThreshold:
	case scored && score >= c.cfg.FaceReviewThreshold:
		v.add(kyc.StatusReview, kyc.ReasonFaceMismatch)
	case scored:
		v.add(kyc.StatusRejected, kyc.ReasonFaceMismatch)
	case m.Matched != nil && *m.Matched:
	case m.Matched != nil:
		v.add(kyc.StatusRejected, kyc.ReasonFaceMismatch)
	default:
		v.add(kyc.StatusReview, kyc.ReasonOther)
	}
	return v.result(res, raw), nil
}

// Result returns ErrUnsupported: Atlas answers synchronously, so Verify
// returns the final result, and the vendor offers no read-back by
// request_id (VerificationStatus takes a verification type and the
// vendor's own id, which the face and PAN endpoints do not return). A
// reference that is not an Atlas one, or whose id is not a request_id of
// this package (22 letters and digits), is ErrInvalidRequest.
func (c *Client) Result(ctx context.Context, ref string) (*kyc.Result, error) {
	return verifier.NoResult(ctx, c.tc, "atlas.Result", ref,
		"Atlas answers synchronously: Verify returns the final result and there is no read-back by request id")
}

var _ kyc.Eraser = (*Client)(nil)

// Erase implements kyc.Eraser. FRS Labs' public API documentation
// (https://api-docs.atlaskyc.com/atlas-api/) has no call that deletes a
// verification's data and states no retention period; its /face/delete
// (DeleteFace) removes only a face enrolled with EnrolFace.
//
// Erase sends nothing: it answers an ErrUnsupported *kyc.Error whose
// Message says so (a kyc.Router erases its store's copy all the same). A
// reference that is not an Atlas one is ErrInvalidRequest.
func (c *Client) Erase(_ context.Context, ref string) error {
	return verifier.Erase(c.tc, "atlas.Erase", ref, verifier.NoDeletion{Vendor: "Atlas (FRS Labs)", Docs: "https://api-docs.atlaskyc.com/atlas-api/",
		Note: "its /face/delete, DeleteFace, removes only a face enrolled with EnrolFace", Contact: "FRS Labs (support@frslabs.com)"})
}

type outcome struct {
	status kyc.Status
	reason kyc.Reason
}

// panOutcomes maps pan_status onto a Verify outcome. VALID and INVALID are
// the values seen in integrations; any other status goes to review.
var panOutcomes = map[PANStatus]outcome{
	PANValid:   {kyc.StatusApproved, ""},
	PANInvalid: {kyc.StatusRejected, kyc.ReasonDocumentNumberMismatch},
}

// verdict accumulates the worst status and the reasons.
type verdict struct {
	status  kyc.Status
	reasons []kyc.Reason
}

func (v *verdict) add(s kyc.Status, r kyc.Reason) {
	rank := map[kyc.Status]int{kyc.StatusApproved: 0, kyc.StatusReview: 1, kyc.StatusRejected: 2}
	if rank[s] > rank[v.status] {
		v.status = s
	}
	if r != "" && !containsReason(v.reasons, r) {
		v.reasons = append(v.reasons, r)
	}
}

func containsReason(rs []kyc.Reason, r kyc.Reason) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func (v *verdict) result(res *kyc.Result, raw map[string]json.RawMessage) *kyc.Result {
	res.Status = v.status
	if v.status != kyc.StatusApproved {
		res.Reasons = v.reasons
	}
	res.Raw, _ = json.Marshal(raw)
	return res
}

func panDocument(p *PANResult) *kyc.DocumentData {
	d := &kyc.DocumentData{
		Type: kyc.DocumentPAN, Number: p.Number, FullName: p.FullName(),
		FirstName: p.FirstName, LastName: p.LastName, IssuingCountry: "IND",
		Extra: map[string]string{"pan_status": string(p.Status)},
	}
	if p.MiddleName != "" {
		d.Extra["middle_name"] = p.MiddleName
	}
	if p.AadhaarSeeding != "" {
		d.Extra["pan_aadhaar_seeding"] = p.AadhaarSeeding
	}
	if !p.LastUpdated.IsZero() {
		d.Extra["pan_last_updated"] = p.LastUpdated.Format("2006-01-02")
	}
	return d
}
