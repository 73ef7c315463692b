// Package transporttest holds test helpers for the vendor packages'
// transport guarantees.
package transporttest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"

	"github.com/kyc-go/kyc"
)

// CredentialHeaders are the credential headers of the five vendors: an
// Observer may set none of them, for any vendor, on any attempt. A
// vendor's test adds the other headers its signers set (Incode's
// api-version, Atlas's request_id).
var CredentialHeaders = []string{
	"Authorization", "Proxy-Authorization", "Cookie", "x-api-key", "api-key",
	"X-Incode-Hardware-Id", "X-ACCESS-TOKEN",
}

// ProbeValue is the value a HeaderProbe tries to set.
const ProbeValue = "set-by-the-observer"

// HeaderProbe is a kyc.Observer that tries to set each of Headers on every
// attempt, and records every header its SetHeader accepted.
type HeaderProbe struct {
	Headers []string

	mu       sync.Mutex
	attempts int
	accepted map[string]bool
	seen     []kyc.CallInfo // of every call and attempt
}

var _ kyc.Observer = (*HeaderProbe)(nil)

// StartCall records the call.
func (p *HeaderProbe) StartCall(ctx context.Context, call kyc.CallInfo) (context.Context, func(kyc.CallEnd)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = append(p.seen, call)
	return ctx, nil
}

// StartAttempt tries every header of Headers.
func (p *HeaderProbe) StartAttempt(ctx context.Context, a kyc.AttemptInfo) (context.Context, func(kyc.AttemptEnd)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.attempts++
	p.seen = append(p.seen, a.CallInfo)
	for _, h := range p.Headers {
		if a.SetHeader(h, ProbeValue) {
			if p.accepted == nil {
				p.accepted = map[string]bool{}
			}
			p.accepted[h] = true
		}
	}
	return ctx, nil
}

// Seen is what the probe was told of every call and attempt.
func (p *HeaderProbe) Seen() []kyc.CallInfo {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]kyc.CallInfo(nil), p.seen...)
}

// Attempts is how many attempts the probe saw.
func (p *HeaderProbe) Attempts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.attempts
}

// Accepted lists the headers SetHeader accepted, sorted.
func (p *HeaderProbe) Accepted() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for h := range p.accepted {
		out = append(out, h)
	}
	sort.Strings(out)
	return out
}

// HeaderServer is a loopback server answering every request with status
// and body, and recording whether any request carried ProbeValue in a
// header, and the escaped paths it was sent.
type HeaderServer struct {
	*httptest.Server
	mu    sync.Mutex
	probe []string
	paths []string
}

// NewHeaderServer starts a HeaderServer, closed when the test ends.
func NewHeaderServer(t interface{ Cleanup(func()) }, status int, body string) *HeaderServer {
	s := &HeaderServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.paths = append(s.paths, r.URL.EscapedPath())
		for name, vs := range r.Header {
			for _, v := range vs {
				if v == ProbeValue {
					s.probe = append(s.probe, name)
				}
			}
		}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	return s
}

// Probed lists the header names that arrived with ProbeValue, sorted.
func (s *HeaderServer) Probed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]string(nil), s.probe...)
	sort.Strings(out)
	return out
}

// Paths lists the escaped paths the server was sent, in order.
func (s *HeaderServer) Paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.paths...)
}
