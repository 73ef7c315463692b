package incode

// The range rule of Incode's scores: what DecodeScore, the selfie and the
// face-match decoders accept as a number, and what they refuse.

import (
	"errors"

	"github.com/kyc-go/kyc/internal/tolerant"
)

// errScoreRange is the cause of a refused score body: a leaf's value is a
// number, but not a decimal from 0 to 100 (tolerant.Percent). Incode's page
// (https://developer.incode.com/docs/fetch-scores) states no range and
// advises against relying on the values; the numbers public score answers
// carry are percentages written as decimal strings ("99.9", "100.0", "96"),
// so the range 0 to 100 is inferred from those.
var errScoreRange = errors.New("incode: a score value is not a decimal from 0 to 100")

// errConfidenceRange is the cause of a refused selfie or face-match answer:
// Incode documents confidence as 0 or 1
// (https://developer.incode.com/docs/api-onboarding-face-validation).
var errConfidenceRange = errors.New("incode: a confidence is not a number from 0 to 1")

// unit reports whether an optional confidence is absent or a number from 0
// to 1; NaN and the infinities are not.
func unit(f tolerant.Float) bool { return !f.Valid || (f.Value >= 0 && f.Value <= 1) }

// namedLeaves are the leaves of the typed sections that have a fixed name
// (every section's overall, livenessScore, photoQuality, the face checks,
// overallConfidence and the top-level overall): those DecodeScore
// range-checks. The lists (photoSecurityAndQuality, idSpecific,
// customFields) are open sets whose values this package never reads as
// numbers; their Fraction is false for a value out of range.
func (r *ScoreResult) namedLeaves() []ScoreItem {
	out := []ScoreItem{r.Overall}
	if v := r.IDValidation; v != nil {
		out = append(out, v.Overall)
	}
	if v := r.Liveness; v != nil {
		out = append(out, v.LivenessScore, v.PhotoQuality, v.Overall)
	}
	if v := r.FaceRecognition; v != nil {
		out = append(out, v.MaskCheck, v.LensesCheck, v.FaceBrightness, v.NameMatch, v.Overall)
	}
	if v := r.IDOCRConfidence; v != nil {
		out = append(out, v.OverallConfidence)
	}
	return out
}

// checkRanges returns errScoreRange when a named leaf's value is a number
// out of its range.
func (r *ScoreResult) checkRanges() error {
	for _, it := range r.namedLeaves() {
		if _, number, ok := tolerant.Percent(it.Value); number && !ok {
			return errScoreRange
		}
	}
	return nil
}
