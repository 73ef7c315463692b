package kyctest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http"
	"testing"
)

// The scaffold the five vendor fakes (atlastest, incodetest, advanceaitest,
// ekycidtest, verificartest) share, beside Server (TLS, faults, recording,
// counting): options applied in one way, a fake closed when its test ends,
// credentials compared in one way, and one shape for the webhooks a fake
// sends (Delivery). It names no vendor.

// ApplyOptions applies opts to v in order, skipping nil ones: every fake's
// NewServer calls it before it starts its Server.
func ApplyOptions[T any, O ~func(*T)](v *T, opts []O) {
	for _, o := range opts {
		if o != nil {
			o(v)
		}
	}
}

// CloseAtEnd closes s when t ends and returns s: every fake's New(t, ...)
// is CloseAtEnd(t, NewServer(...)).
func CloseAtEnd[S interface{ Close() }](t testing.TB, s S) S {
	t.Helper()
	t.Cleanup(s.Close)
	return s
}

// SameSecret reports, in constant time, whether got is exactly want: the
// one comparison the fakes make of a credential a request carries.
func SameSecret(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// BasicAuthIs reports whether r carries Basic auth with exactly user and
// pass, comparing both in constant time.
func BasicAuthIs(r *http.Request, user, pass string) bool {
	u, p, ok := r.BasicAuth()
	okU, okP := SameSecret(u, user), SameSecret(p, pass)
	return ok && okU && okP
}

// BasicAuth is the Authorization value for Basic auth with user and pass,
// or "" when user is empty (no credentials).
func BasicAuth(user, pass string) string {
	if user == "" {
		return ""
	}
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// BearerAuth is the Authorization value "Bearer <token>", or "" when token
// is empty (no credentials).
func BearerAuth(token string) string {
	if token == "" {
		return ""
	}
	return "Bearer " + token
}

// Delivery is one webhook a fake sends as its vendor would: the one shape
// of incodetest's and verificartest's senders (and of atlastest's eSign
// callback).
type Delivery struct {
	// URL is where to POST.
	URL string
	// ContentType is the body's Content-Type.
	ContentType string
	// Body is sent as it is.
	Body []byte
	// Authorization, when not empty, is the Authorization header
	// (BasicAuth, BearerAuth).
	Authorization string
	// Header holds further fields sent as they are, such as a vendor's
	// static custom header.
	Header http.Header
	// Attempts is how many times Deliver POSTs while the answer is not 200
	// or the call fails, as a vendor that retries does (0 or 1: once).
	Attempts int
}

// Deliver POSTs d with hc (nil means http.DefaultClient) and returns the
// last answer's status. It stops at the first 200 and when ctx ends.
func Deliver(ctx context.Context, hc *http.Client, d Delivery) (int, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	var status int
	var err error
	for range max(d.Attempts, 1) {
		status, err = deliverOnce(ctx, hc, d)
		if (err == nil && status == http.StatusOK) || ctx.Err() != nil {
			break
		}
	}
	return status, err
}

func deliverOnce(ctx context.Context, hc *http.Client, d Delivery) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", d.ContentType)
	if d.Authorization != "" {
		req.Header.Set("Authorization", d.Authorization)
	}
	for k, vs := range d.Header {
		req.Header[k] = append(req.Header[k], vs...)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}

// PostWebhook POSTs body to url as a vendor would, once, with Basic auth
// when user is not empty, and returns the reply's status: Deliver with
// BasicAuth(user, pass).
func PostWebhook(ctx context.Context, hc *http.Client, url, contentType string, body []byte, user, pass string) (int, error) {
	return Deliver(ctx, hc, Delivery{URL: url, ContentType: contentType, Body: body, Authorization: BasicAuth(user, pass)})
}

// RandomHex returns n random bytes in hex: the ids and tokens the fakes
// issue.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
