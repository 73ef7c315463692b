// Package kycvcr records a vendor's sandbox traffic into cassettes with no
// credential and no personal data in them, and replays them in tests: the
// fixtures a team makes from its own sandbox.
//
//	// Once, against your sandbox:
//	rec, err := kycvcr.Record("testdata/incode-approved", http.DefaultTransport)
//	client, err := incode.New(cfg, kyc.WithHTTPClient(rec.Client()))
//	res, err := client.Verify(ctx, req)
//	err = rec.Stop() // writes testdata/incode-approved.yaml, redacted
//
//	// In tests, with no network:
//	rep, err := kycvcr.Replay("testdata/incode-approved")
//	client, err := incode.New(cfg, kyc.WithHTTPClient(rep.Client()))
//
// It is built on gopkg.in/dnaeon/go-vcr.v4, whose save hook redacts every
// interaction before it is written:
//
//   - request headers are dropped but Content-Type and Accept, response
//     headers but Content-Type and Retry-After: no Authorization, no
//     X-Incode-Hardware-Id, no X-ACCESS-TOKEN, no x-api-key, no cookie;
//   - the host is dropped (a cassette replays against any base URL), query
//     values of personal or credential keys are redacted, and so are path
//     segments that look like data;
//   - JSON bodies keep their shape and types, with the values of
//     credential and identity keys (names, dates, numbers, addresses,
//     phones, e-mails, tokens…) replaced, and under document and
//     biometric keys everything but an enum-like outcome ("MATCH") or a
//     score; long values (images, tokens, signed URLs), e-mail addresses
//     and JWTs are redacted under any key;
//   - forms keep their keys; multipart bodies become one line per part,
//     file parts redacted; any other body (an image, a PDF) becomes its
//     media type and length.
//
// Replay matches a request by its method and its redacted URL and body,
// so the same redaction applied to a test's request finds the recorded
// interaction, whatever the test's personal data. The rules are in
// redact.go. A cassette is still worth a look before it is committed: the
// rules know the five vendors' fields, not a field a vendor adds tomorrow.
//
// This package is its own module (github.com/kyc-go/kyc/kycvcr), so the
// SDK gains no go-vcr dependency.
package kycvcr

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"
)

// Recorder records or replays a cassette; it is an http.RoundTripper.
type Recorder struct {
	rec *recorder.Recorder
}

// Record starts recording into the cassette name (a path without its
// ".yaml"), sending every request through real (http.DefaultTransport when
// nil). An existing cassette of that name is replaced. Stop writes it,
// redacted.
func Record(name string, real http.RoundTripper) (*Recorder, error) {
	if real == nil {
		real = http.DefaultTransport
	}
	rec, err := recorder.New(name,
		recorder.WithMode(recorder.ModeRecordOnly),
		recorder.WithRealTransport(real),
		recorder.WithHook(redactInteraction, recorder.BeforeSaveHook),
		recorder.WithSkipRequestLatency(true),
	)
	if err != nil {
		return nil, err
	}
	return &Recorder{rec: rec}, nil
}

// Replay replays the cassette name: every request must match a recorded
// interaction by its method and its redacted URL and body (in recorded
// order), or it fails; nothing reaches the network.
func Replay(name string) (*Recorder, error) {
	rec, err := recorder.New(name,
		recorder.WithMode(recorder.ModeReplayOnly),
		recorder.WithMatcher(matchRedacted),
		recorder.WithSkipRequestLatency(true),
	)
	if err != nil {
		return nil, err
	}
	return &Recorder{rec: rec}, nil
}

// RoundTrip implements http.RoundTripper.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) { return r.rec.RoundTrip(req) }

// Client returns an http.Client that sends through the recorder, for
// kyc.WithHTTPClient.
func (r *Recorder) Client() *http.Client { return &http.Client{Transport: r} }

// Stop ends the recording and writes the redacted cassette (a replay
// writes nothing).
func (r *Recorder) Stop() error { return r.rec.Stop() }

var (
	keepRequestHeaders  = []string{"Content-Type", "Accept"}
	keepResponseHeaders = []string{"Content-Type", "Retry-After"}
)

func onlyHeaders(h http.Header, keep []string) http.Header {
	out := http.Header{}
	for _, k := range keep {
		if v := h.Values(k); len(v) > 0 {
			out[k] = append([]string(nil), v...)
		}
	}
	return out
}

// redactInteraction is the save hook: what the cassette keeps of one
// interaction.
func redactInteraction(i *cassette.Interaction) error {
	ct := i.Request.Headers.Get("Content-Type")
	i.Request.Body = redactBody(ct, []byte(i.Request.Body))
	i.Request.URL = redactURL(i.Request.URL)
	i.Request.Headers = onlyHeaders(i.Request.Headers, keepRequestHeaders)
	i.Request.Form = nil
	i.Request.Host, i.Request.RemoteAddr, i.Request.RequestURI = "", "", ""
	i.Request.ContentLength = int64(len(i.Request.Body))
	i.Request.Trailer = nil

	rct := i.Response.Headers.Get("Content-Type")
	body := []byte(i.Response.Body)
	if !strings.Contains(rct, "json") && !looksJSON(body) {
		i.Response.Body = redactBody(rct, body)
	} else if out, ok := redactJSON(body, false); ok {
		i.Response.Body = string(out)
	} else {
		i.Response.Body = Redacted
	}
	i.Response.Headers = onlyHeaders(i.Response.Headers, keepResponseHeaders)
	i.Response.ContentLength = int64(len(i.Response.Body))
	i.Response.Trailer = nil
	return nil
}

func looksJSON(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// matchRedacted matches an outgoing request with a recorded one by their
// redacted forms.
func matchRedacted(r *http.Request, i cassette.Request) bool {
	if r.Method != i.Method {
		return false
	}
	if redactURL(r.URL.String()) != i.URL {
		return false
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return false
		}
		body = b
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	return redactBody(r.Header.Get("Content-Type"), body) == i.Body
}
