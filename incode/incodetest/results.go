package incodetest

import (
	"net/http"

	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/kyctest"
)

func (s *Server) status(w http.ResponseWriter, _ *http.Request, ss *session) {
	s.mu.Lock()
	ss.statusReads++
	if s.autoFinish && ss.faceDone && ss.ready() {
		ss.finished = true
	}
	st := incode.StatusUnknown
	switch {
	case ss.expired:
		st = incode.StatusExpired
	case !ss.processed:
	case !ss.ready():
		st = incode.StatusIDValidationFinished
	case ss.finished:
		st = incode.StatusOnboardingFinished
	case ss.faceDone:
		st = incode.StatusFaceValidationFinished
	default:
		st = incode.StatusPostProcessingFinished
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"onboardingStatus": st})
}

func (s *Server) finish(w http.ResponseWriter, _ *http.Request, ss *session) {
	s.mu.Lock()
	ss.finished = true
	action := "approved"
	if _, st := ss.scores(); st != "OK" {
		action = "rejected"
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"redirectionUrl": "https://example.com/incodetest/done", "action": action})
}

func (s *Server) score(w http.ResponseWriter, _ *http.Request, ss *session) {
	s.mu.Lock()
	body, _ := ss.scores()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) ocr(w http.ResponseWriter, _ *http.Request, ss *session) {
	s.mu.Lock()
	ready, front := ss.ready(), ss.front
	s.mu.Unlock()
	if !ready {
		writeJSON(w, http.StatusOK, map[string]any{})
		return
	}
	expireAt := "2549464802000"
	if front == kyctest.ImageExpired {
		expireAt = "1654041600000"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"name":    map[string]any{"fullName": "ALEX GINMAN", "firstName": "ALEX", "givenName": "ALEX", "paternalLastName": "GINMAN"},
		"address": "76 PARKER HILL AVE 1\nBOSTON, MA 02120", "addressFields": map[string]any{"state": "MA"},
		"typeOfId": "DriversLicense", "documentFrontSubtype": "DRIVERS_LICENSE", "gender": "M",
		"documentNumber": "S3441243", "birthDate": 631152000000, "issuedAt": "1560384000000", "expireAt": expireAt,
		"expirationDate": 2024, "issueDate": 2019, "issuingCountry": "USA", "issuingState": "MASSACHUSETTS",
		"ocrDataConfidence": map[string]any{"birthDateConfidence": 0.9975609},
	})
}

func (s *Server) approve(w http.ResponseWriter, r *http.Request, ss *session) {
	if !locked(s, func() bool { return ss.finished }) {
		badRequest(w, r, "The onboarding is not finished")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "uuid": ss.id, "token": "eyJhbGciOiJIUzI1NiJ9.e30." + kyctest.RandomHex(8),
		"totalScore": "OK", "existingCustomer": false})
}

func leaf(key, value string, fail bool) map[string]any {
	st := "OK"
	if fail {
		st = "FAIL"
	}
	m := map[string]any{"value": value, "status": st}
	if key != "" {
		m["key"] = key
	}
	return m
}

// scores builds the score body in the documented shape; the overall status
// is empty until the session is finished and processed. Call with s.mu held.
func (ss *session) scores() (map[string]any, string) {
	expired, forged := ss.front == kyctest.ImageExpired, ss.front == kyctest.ImageForged
	nameMismatch := ss.front == ImageNameMismatch
	mismatch := ss.selfie == kyctest.ImageFaceMismatch
	review := ss.front == kyctest.ImageReview || ss.selfie == kyctest.ImageReview || ss.selfie == kyctest.ImageFaceBorderline
	idFail := expired || forged || nameMismatch
	idValue, faceValue, liveValue := "100.0", "74.7", "99.9"
	if idFail {
		idValue = "20.0"
	}
	if mismatch {
		faceValue = "12.0"
	}
	faceLeaf := leaf("", faceValue, mismatch)
	if review {
		faceLeaf = map[string]any{"value": "55.0", "status": "WARN"}
	}
	overall := "OK"
	switch {
	case idFail || mismatch:
		overall = "FAIL"
	case review:
		overall = "WARN"
	}
	reason := "This session passed because it passed all of Incode's tests: ID Verification, Face Recognition, Liveness Detection"
	if overall != "OK" {
		reason = "This session did not pass all of Incode's tests"
	}
	top := map[string]any{"value": nil, "status": ""}
	if ss.finished && ss.ready() {
		top = map[string]any{"value": nil, "status": overall}
	} else {
		overall = ""
	}
	var custom any
	if nameMismatch {
		custom = []any{leaf("firstNameMatch", "0", true), leaf("lastNameMatch", "0", true)}
	}
	return map[string]any{
		"idValidation": map[string]any{
			"photoSecurityAndQuality": []any{leaf("tamperCheck", "PASSED", forged), leaf("screenIdLiveness", "OK", false),
				leaf("paperIdLiveness", "OK", false), leaf("balancedLightFront", "96", false),
				leaf("sharpnessFront", "99", false), leaf("idAlreadyUsedCheck", "PASSED", false)},
			"idSpecific": []any{leaf("documentClassification", "100", false), leaf("expirationDateValidity", "100", expired),
				leaf("birthDateValidity", "100", false), leaf("visiblePhotoFeatures", "100", false),
				leaf("documentExpired", "100", expired), leaf("fullNameCrosscheck", "100", false)},
			"customFields": custom, "appliedRule": nil,
			"overall": leaf("", idValue, idFail),
		},
		"liveness": map[string]any{"livenessScore": leaf("", liveValue, false), "photoQuality": map[string]any{"value": ""},
			"overall": leaf("", liveValue, false)},
		"faceRecognition": map[string]any{"existingUser": false, "maskCheck": leaf("", "0", false), "lensesCheck": map[string]any{"status": "OK"},
			"faceBrightness": map[string]any{"value": "", "status": "OK"}, "nameMatch": map[string]any{"status": "OK"},
			"appliedRule": map[string]any{"name": "", "expression": "", "ruleType": "", "status": ""},
			"overall":     faceLeaf},
		"governmentValidation": nil, "externalVerification": nil,
		"idOcrConfidence": map[string]any{"overallConfidence": leaf("", "95.6", false)},
		"appliedRule":     nil, "needsReviewReason": "", "incodeWatchlistScore": nil,
		"overall":   top,
		"reasonMsg": reason,
	}, overall
}

// Expire makes the session of interviewID expire, as Incode's sessions do
// when the person never finishes: its onboarding status reads EXPIRED
// (inferred from Incode's purge sample). It reports whether the fake knows
// the interview.
func (s *Server) Expire(interviewID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.byID[interviewID]
	if ss != nil {
		ss.expired = true
	}
	return ss != nil
}
