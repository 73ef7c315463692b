package incode

// The hosted link: Incode's own pages capture the document and the selfie,
// and the SDK only starts the session and asks Incode for the URL to send
// to the person (Config.Flow kyc.FlowHostedLink). The package doc's "Hosted
// link" section says what is documented and what is inferred.

import (
	"context"
	"errors"
	"net/url"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// maxClientIDLength bounds the clientId sent to onboarding-url, as
// Config.ConfigurationID is bounded.
const maxClientIDLength = 256

// hosted reports that Config.Flow chose the hosted link.
func (c *Client) hosted() bool { return c.cfg.Flow == kyc.FlowHostedLink }

// hostedCapabilities is the hosted link's kyc.Capabilities: a return URL,
// no image (the person captures on Incode's pages).
func hostedCapabilities() kyc.Capabilities {
	return kyc.Capabilities{Flow: kyc.FlowHostedLink, Requires: []kyc.Field{kyc.FieldReturnURL}}
}

// verifyLink is Verify for the hosted link: it checks the Request (a return
// URL, https unless on loopback, without user information), starts a session
// with it as redirectionUrl and Request.Link.Language (else Config.Language), and asks for the
// onboarding URL. The session start is billed and never resent; an error
// after it carries the session's Reference.
func (c *Client) verifyLink(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
	const op = "incode.Verify"
	if err := hostedCapabilities().CheckFor(ctx, kyc.Incode, op, req); err != nil {
		return nil, err
	}
	if msg := returnURLProblem(req.Link.ReturnURL); msg != "" {
		return nil, c.tc.Invalid(op, string(kyc.FieldReturnURL), msg)
	}
	country := req.Country
	if country == "" {
		country = "ALL"
	}
	language := req.Link.Language
	if language == "" {
		language = c.cfg.Language
	}
	s, err := c.StartSession(ctx, StartRequest{CountryCode: country, ExternalCustomerID: req.ID,
		Language: language, RedirectionURL: req.Link.ReturnURL})
	if err != nil {
		return nil, err
	}
	ref := s.Reference()
	link, err := s.OnboardingURL(ctx)
	if err != nil {
		return nil, c.tc.WithReference(op, err, ref)
	}
	return &kyc.Result{Provider: kyc.Incode, Reference: ref, Status: kyc.StatusPending,
		Reasons: []kyc.Reason{kyc.ReasonNotFinished}, Link: &kyc.Link{URL: link.URL}}, nil
}

// returnURLProblem says what is wrong with a return URL that
// kyc.Request.Validate accepted (an absolute http(s) URL), or "": the
// person's browser is sent there from Incode's pages, so it must be https
// (http only on a loopback host, for development) and carry no user
// information (a password in a URL would reach Incode and the browser's
// history).
func returnURLProblem(u string) string {
	p, err := url.Parse(u)
	switch {
	case err != nil:
		return "an absolute https URL"
	case p.User != nil:
		return "must not carry user information (user:password@)"
	case p.Scheme != "https" && !(p.Scheme == "http" && transport.IsLoopback(p.Hostname())):
		return "an https URL (http only on a loopback host)"
	}
	return ""
}

// OnboardingLink is the answer to Session.OnboardingURL.
type OnboardingLink struct {
	// URL opens the session's flow on Incode's hosted pages: send it to the
	// person. Anyone holding it may continue the session, so treat it as a
	// credential; the package's fmt verbs never print it.
	URL string `wire:"url"`
}

// decodeLink decodes the answer to /0/omni/onboarding-url, refusing one
// without an absolute https url.
func decodeLink(b []byte) (*OnboardingLink, error) {
	l, err := decodeInto(b, &OnboardingLink{})
	if err != nil {
		return nil, err
	}
	u := l.URL
	p, perr := url.Parse(u)
	if perr != nil || p.Scheme != "https" || p.Host == "" || p.User != nil || len(u) > kyc.MaxURLLength || !transport.SafeText(u) {
		return nil, errors.New("no usable url in the answer")
	}
	return l, nil
}

// OnboardingURL asks Incode for the URL of the session's flow on its
// hosted pages, the link to send to the person. The flow's settings
// (configurationId, redirectionUrl, language) are those of StartSession;
// the call sends the session's clientId (Session.ClientID, what
// /omni/start answered) when known. Incode documents no expiry for the
// link. The answer's url must be an absolute https URL, else
// ErrBadResponse.
//
//	GET /0/omni/onboarding-url (free) — https://developer.incode.com/docs/generate-onboarding-url
func (s *Session) OnboardingURL(ctx context.Context) (*OnboardingLink, error) {
	op := opOnboardingURL
	var q url.Values
	if s.ClientID != "" {
		if len(s.ClientID) > maxClientIDLength || !transport.SafeText(s.ClientID) {
			return nil, s.c.tc.Invalid(op.Name, "ClientID", "too long or contains control characters")
		}
		q = url.Values{"clientId": {s.ClientID}}
	}
	l, _, err := fetch(ctx, s.c, s.call(op, q, transport.Body{}), decodeLink)
	return l, err
}
