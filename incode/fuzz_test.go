package incode

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
	"github.com/kyc-go/kyc/internal/transport"
)

func seeds(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"overall":{"status":["x"]}}`))
}

func FuzzDecodeScore(f *testing.F) {
	seeds(f, "score.json")
	f.Add([]byte(`{"overall":{"value":"1e308","status":"OK"}}`))
	f.Add([]byte(`{"liveness":{"overall":{"value":"100.0","status":"OK"}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeScore(b)
		if err != nil {
			return
		}
		for _, it := range r.namedLeaves() {
			if _, number, ok := tolerant.Percent(it.Value); number && !ok {
				t.Fatal("a named leaf out of range was accepted")
			}
		}
		st := r.Status()
		if st == "" {
			t.Fatal("empty status")
		}
		for _, x := range append(r.Reasons(false), r.Reasons(true)...) {
			if !x.Valid() {
				t.Fatalf("invalid reason %q", x)
			}
		}
		for _, s := range []kyc.Score{r.Scores().Document, r.Scores().Liveness, r.Scores().FaceMatch} {
			if v, ok := s.Value(); ok && (v < 0 || v > 1) {
				t.Fatalf("score out of range: %v", v)
			}
		}
	})
}

func FuzzDecodeOCR(f *testing.F) {
	seeds(f, "ocr.json")
	f.Add([]byte(`{"birthDate":-9223372036854775808,"expireAt":"99999999999999999999"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := DecodeOCR(b)
		if err != nil {
			return
		}
		doc := d.Document()
		if doc == nil {
			t.Fatal("nil document")
		}
		_ = doc.LogValue()
	})
}

func FuzzDecodeSteps(f *testing.F) {
	seeds(f, "front_ok.json", "front_wrong_side.json", "selfie_live.json", "face_match.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		if r, err := decodeSide(b); err == nil && r.Reason() != "" && !r.Reason().Valid() {
			t.Fatalf("invalid reason %q", r.Reason())
		}
		if r, err := decodeSelfie(b); err == nil && r.Reason() != "" && !r.Reason().Valid() {
			t.Fatalf("invalid reason %q", r.Reason())
		}
		if r, err := decodeSelfie(b); err == nil && r.HasConfidence && !(r.Confidence >= 0 && r.Confidence <= 1) {
			t.Fatalf("selfie confidence out of range: %v", r.Confidence)
		}
		if r, err := decodeFace(b); err == nil {
			_ = r.Match()
			if r.HasConfidence && !(r.Confidence >= 0 && r.Confidence <= 1) {
				t.Fatalf("face confidence out of range: %v", r.Confidence)
			}
		}
	})
}

func FuzzErrorBody(f *testing.F) {
	for _, n := range []string{"error_4005.json", "error_4019.json", "error_6000.json", "score.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(400, b)
		f.Add(200, b)
	}
	f.Add(500, []byte(`<html>`))
	f.Add(200, []byte(`{"status":1e400,"error":"x"}`))
	c, err := New(Config{APIKey: kyc.NewSecret("k")})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, status int, b []byte) {
		if status < 100 || status > 999 {
			return
		}
		err := c.check(kyc.Operation{Name: "incode.Fuzz"}, &transport.Response{StatusCode: status, Header: http.Header{}, Body: b})
		if status >= 300 && err == nil {
			t.Fatal("a non-2xx answer must be an error")
		}
		var kerr *kyc.Error
		if err != nil && (!errors.As(err, &kerr) || kerr.Kind == nil) {
			t.Fatalf("not a kyc error with a kind: %v", err)
		}
		if err != nil {
			_ = err.Error()
			_, _ = ErrorReason(err)
		}
	})
}

// FuzzParseWebhook feeds bodies of both families to an unauthenticated
// and an authenticated receiver: a refusal is ErrInvalidRequest whose
// reason never quotes the body; an Event has a canonical Type (a session
// event or a status webhooks may carry), never a verdict unauthenticated,
// and authenticated a final verdict only from a manual review or an
// expiry.
func FuzzParseWebhook(f *testing.F) {
	seeds(f, "webhook.json", "inferred_session_succeeded.json", "inferred_session_failed.json",
		"inferred_session_pending_review.json", "inferred_session_started.json", "inferred_onboarding_expired.json",
		"inferred_onboarding_second_id.json", "inferred_onboarding_manual_rejected.json")
	f.Add([]byte(`{"interviewId":1,"onboardingStatus":true}`))
	f.Add([]byte(`{"event_type":"Session Succeeded","eventType":"SESSION_FAILED","interviewId":"6595c84ce69d469f69ad39fb"}`))
	f.Add([]byte(`{"eventType":"ſession ſucceeded","interviewId":"6595c84ce69d469f69ad39fb"}`))
	f.Add([]byte(`{"EVENTTYPE":"session progress","INTERVIEWID":"6595c84ce69d469f69ad39fb","onboardingStatus":""}`))
	open, err := New(Config{APIKey: kyc.NewSecret("k"), AcceptUnauthenticatedWebhooks: true})
	if err != nil {
		f.Fatal(err)
	}
	authed, err := New(Config{APIKey: kyc.NewSecret("k"), WebhookHeaderName: "X-Hook", WebhookHeaderValue: kyc.NewSecret("v")})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, c := range []*Client{open, authed} {
			r := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(b))
			r.Header.Set("X-Hook", "v")
			ev, err := c.ParseWebhook(r)
			if err != nil {
				var kerr *kyc.Error
				if !errors.As(err, &kerr) || !errors.Is(err, kyc.ErrInvalidRequest) {
					t.Fatalf("unexpected kind: %v", err)
				}
				if len(b) >= 8 && bytes.Contains([]byte(kerr.Message), b) {
					t.Fatal("the reason quotes the body")
				}
				return
			}
			if ev.Type == "" || ev.Result == nil || ev.Reference == "" || ev.Authenticated != (c == authed) {
				t.Fatalf("bad event %+v", ev)
			}
			if !SessionEvent(ev.Type).Documented() && !webhookStatus(OnboardingStatus(ev.Type)) {
				t.Fatalf("Type %q is not canonical", ev.Type)
			}
			p, err := EventPayload(ev)
			if err != nil {
				t.Fatal(err)
			}
			final := p.OnboardingStatus == StatusManualReviewApproved || p.OnboardingStatus == StatusManualReviewRejected ||
				p.OnboardingStatus == StatusExpired
			if ev.Result.Status.Final() != (final && ev.Authenticated) {
				t.Fatalf("status %s for %s, authenticated %v", ev.Result.Status, p.OnboardingStatus, ev.Authenticated)
			}
			for _, x := range ev.Result.Reasons {
				if !x.Valid() {
					t.Fatalf("invalid reason %q", x)
				}
			}
		}
	})
}
