package incodetest

// The hosted link: GET /0/omni/onboarding-url, the hosted page it points
// to, and Onboard, the person going through that page.

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kyc-go/kyc/kyctest"
)

// HostedPagePath is the path of the fake's hosted page, the URL that
// onboarding-url answers: HostedPagePath?token=<link token>. The token
// opens the session's flow, as a real link does, so it is listed in Tokens.
const HostedPagePath = "/hosted/onboarding"

// Errors of Onboard.
var (
	// ErrUnknownLink: the URL is not a link the fake issued.
	ErrUnknownLink = errors.New("incodetest: not a hosted link this fake issued")
	// ErrCaptureRefused: a capture that Incode refuses at its upload (see
	// the magic inputs), so its hosted page asks the person to capture
	// again; the session stays as it was.
	ErrCaptureRefused = errors.New("incodetest: the hosted page asks the person to capture again")
)

// onboardingURL serves GET /0/omni/onboarding-url: the session's hosted
// link, the same on every call. Like Incode's page, it takes the clientId
// that /omni/start answered (ClientID).
func (s *Server) onboardingURL(w http.ResponseWriter, r *http.Request, ss *session) {
	if r.URL.Query().Get("clientId") != ClientID {
		badRequest(w, r, "clientId is required")
		return
	}
	s.mu.Lock()
	if ss.link == "" {
		ss.link = kyctest.RandomHex(16)
		s.links[ss.link] = ss
		s.issued = append(s.issued, ss.link)
	}
	u := s.URL + HostedPagePath + "?" + url.Values{"token": {ss.link}}.Encode()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"url": u})
}

// servePage serves the hosted page to a browser (no API headers) and
// reports whether r was for it.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != HostedPagePath {
		return false
	}
	if s.linked(r.URL.Query().Get("token")) == nil || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return true
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte("<!doctype html><title>incodetest</title><p>Incode's hosted onboarding (fake): the test calls Server.Onboard.</p>"))
	return true
}

// linked returns the session of a link token, or nil.
func (s *Server) linked(token string) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.links[token]
}

// Onboard is the person going through the hosted link linkURL (what
// onboarding-url answered, kyc.Result.Link.URL): they capture the front of
// a one-sided document and a selfie on Incode's pages, and the flow ends as
// Incode's guide says to configure it ("Mark session completed on
// status"): the session is processed and ONBOARDING_FINISHED, its score
// read from the magic inputs as for the direct flow (kyctest.ImageNotFinished
// holds the processing back for the first status reads). No webhook is
// sent: call SendWebhook for ONBOARDING_FINISHED, as Incode would.
//
// A capture Incode refuses at its upload (kyctest.ImageNoFace,
// ImageLowQuality, ImageLivenessFailed, ImageNoDocument, ImageServerError,
// the failReason and error-code markers, ImageLenses, ImageFaceMask,
// ImageProcessingError) returns ErrCaptureRefused and leaves the session
// unfinished: on Incode's pages the person is asked to capture again.
func (s *Server) Onboard(linkURL string, front, selfie []byte) error {
	u, err := url.Parse(linkURL)
	if err != nil || u.Path != HostedPagePath || !strings.HasPrefix(linkURL, s.URL) {
		return ErrUnknownLink
	}
	fm, sm := kyctest.ImageMarker(front), kyctest.ImageMarker(selfie)
	if frontRefused(fm) || selfieRefused(sm) {
		return ErrCaptureRefused
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.links[u.Query().Get("token")]
	if ss == nil {
		return ErrUnknownLink
	}
	ss.front, ss.hasFront, ss.back, ss.hasBack, ss.onlyFront = fm, true, "", false, true
	ss.processed, ss.readyAt, ss.statusReads = true, time.Now(), 0
	ss.selfie, ss.hasSelfie, ss.faceDone, ss.finished = sm, true, true, true
	return nil
}

// refusedAnywhere are the markers every upload refuses.
func refusedAnywhere(m string) bool {
	return strings.HasPrefix(m, "code_") || m == kyctest.ImageNoFace || m == kyctest.ImageServerError ||
		m == ImageProcessingError
}

// frontRefused reports a front capture that the front upload refuses
// (image and sideBody).
func frontRefused(m string) bool {
	if refusedAnywhere(m) || sideFailReasons[m] != "" {
		return true
	}
	for _, fr := range FailReasons {
		if m == FailReasonImage(fr) {
			return true
		}
	}
	return false
}

// selfieRefused reports a selfie that Incode's guide says to capture again
// (addFace's answers).
func selfieRefused(m string) bool {
	switch m {
	case kyctest.ImageLowQuality, kyctest.ImageLivenessFailed, ImageLenses, ImageFaceMask:
		return true
	}
	return refusedAnywhere(m)
}
