package incode_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
)

// hostedConfig selects the hosted link.
func hostedConfig(cfg *incode.Config) { cfg.Flow, cfg.Language = kyc.FlowHostedLink, "es-ES" }

func linkRequest(id string) kyc.Request {
	return kyc.Request{ID: id, Country: "MEX", Link: kyc.LinkOptions{ReturnURL: "https://example.com/kyc/done?case=7"}}
}

func magic(marker string) []byte { return kyctest.MagicImage(marker, 0) }

// TestHostedLinkEndToEnd: Verify gives the link and the Reference, the
// person completes Incode's pages, Result reads the final outcome.
func TestHostedLinkEndToEnd(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	c := client(t, srv, hostedConfig)
	caps := c.Capabilities()
	assert.Equal(t, kyc.FlowHostedLink, caps.Flow)
	assert.Equal(t, []kyc.Field{kyc.FieldReturnURL}, caps.Requires)
	ctx := context.Background()

	res, err := c.Verify(ctx, linkRequest("link-1"))
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusPending, res.Status)
	assert.Equal(t, []kyc.Reason{kyc.ReasonNotFinished}, res.Reasons)
	require.NotNil(t, res.Link)
	assert.True(t, strings.HasPrefix(res.Link.URL, srv.URL+incodetest.HostedPagePath+"?token="), res.Link.URL)
	assert.True(t, res.Link.ExpiresAt.IsZero(), "Incode documents no expiry")
	id, ok := strings.CutPrefix(res.Reference, "incode:")
	require.True(t, ok)
	assert.NotContains(t, res.Reference, ".", "the Reference carries no token")

	var start, link *kyctest.Record
	for _, r := range srv.Requests() {
		switch r.Path {
		case "/omni/start":
			start = &r
		case "/0/omni/onboarding-url":
			link = &r
		default:
			t.Errorf("the hosted link sent %s %s", r.Method, r.Path)
		}
	}
	require.NotNil(t, start)
	require.NotNil(t, link)
	assert.JSONEq(t, `{"countryCode":"MEX","configurationId":"incodetest-flow","externalCustomerId":"link-1",
		"language":"es-ES","redirectionUrl":"https://example.com/kyc/done?case=7"}`, string(start.Body))
	assert.Equal(t, "clientId="+incodetest.ClientID, link.Query)
	assert.NotEmpty(t, link.Header.Get("X-Incode-Hardware-Id"), "the session token scopes the call")
	assert.Equal(t, http.MethodGet, link.Method)

	// Before the person has finished: pending, and nothing finishes the
	// session on their behalf.
	again, err := c.Result(ctx, res.Reference)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusPending, again.Status)

	page, err := srv.Client().Get(res.Link.URL)
	require.NoError(t, err)
	_ = page.Body.Close()
	assert.Equal(t, http.StatusOK, page.StatusCode, "the fake serves the hosted page")

	require.NoError(t, srv.Onboard(res.Link.URL, magic(kyctest.ImageApproved), magic(kyctest.ImageApproved)))
	final, err := c.Result(ctx, res.Reference)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, final.Status)
	assert.Equal(t, "incode:"+id, final.Reference)
	assert.True(t, final.Scores.FaceMatch.Given())
	require.NotNil(t, final.Document)
	assert.Zero(t, srv.Count("/omni/finish-status"), "the hosted flow completes the session itself")
	assert.Equal(t, 1, srv.Sessions())
	assert.Zero(t, srv.DuplicateSends())
}

// TestHostedLinkOutcomes: what the person captures decides the Result, as
// in the direct flow; a capture Incode refuses leaves the session pending.
func TestHostedLinkOutcomes(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	c := client(t, srv, hostedConfig)
	for _, tc := range []struct {
		front, selfie string
		status        kyc.Status
		reason        kyc.Reason
		refused       bool
	}{
		{kyctest.ImageApproved, kyctest.ImageApproved, kyc.StatusApproved, "", false},
		{kyctest.ImageExpired, kyctest.ImageApproved, kyc.StatusRejected, kyc.ReasonDocumentExpired, false},
		{kyctest.ImageForged, kyctest.ImageApproved, kyc.StatusRejected, kyc.ReasonDocumentForged, false},
		{kyctest.ImageApproved, kyctest.ImageFaceMismatch, kyc.StatusRejected, kyc.ReasonFaceMismatch, false},
		{kyctest.ImageReview, kyctest.ImageReview, kyc.StatusReview, "", false},
		{kyctest.ImageApproved, kyctest.ImageNoFace, kyc.StatusPending, kyc.ReasonNotFinished, true},
		{kyctest.ImageLowQuality, kyctest.ImageApproved, kyc.StatusPending, kyc.ReasonNotFinished, true},
		{kyctest.ImageApproved, kyctest.ImageLivenessFailed, kyc.StatusPending, kyc.ReasonNotFinished, true},
	} {
		t.Run(tc.front+"/"+tc.selfie, func(t *testing.T) {
			res, err := c.Verify(context.Background(), linkRequest("outcome-"+tc.front+"-"+tc.selfie))
			require.NoError(t, err)
			err = srv.Onboard(res.Link.URL, magic(tc.front), magic(tc.selfie))
			if tc.refused {
				require.ErrorIs(t, err, incodetest.ErrCaptureRefused)
			} else {
				require.NoError(t, err)
			}
			final, err := c.Result(context.Background(), res.Reference)
			require.NoError(t, err)
			assert.Equal(t, tc.status, final.Status)
			if tc.reason != "" {
				assert.Contains(t, final.Reasons, tc.reason)
			}
		})
	}
	require.ErrorIs(t, srv.Onboard(srv.URL+incodetest.HostedPagePath+"?token=nope", nil, nil), incodetest.ErrUnknownLink)
	require.ErrorIs(t, srv.Onboard("https://elsewhere.example/x", nil, nil), incodetest.ErrUnknownLink)
}

// TestHostedResultNeverFinishesForThePerson: a hosted session whose ID is
// processed but whose flow is not over (the person is still on the selfie
// page) stays pending, and the client never calls finish-status, which
// would close the session under the person.
func TestHostedResultNeverFinishesForThePerson(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t, incodetest.WithDelay(0))
	c := client(t, srv, hostedConfig)
	ctx := context.Background()
	s, err := c.StartSession(ctx, incode.StartRequest{ExternalCustomerID: "half-way"})
	require.NoError(t, err)
	_, err = s.AddFrontID(ctx, image(t, ""), true)
	require.NoError(t, err)
	require.NoError(t, s.ProcessID(ctx))
	st, err := s.OnboardingStatus(ctx)
	require.NoError(t, err)
	require.True(t, st.Ready(), "the ID processing is over: %s", st)
	require.False(t, st.Finished())

	res, err := c.Result(ctx, s.Reference())
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusPending, res.Status)
	assert.Zero(t, srv.Count("/omni/finish-status"), "a hosted client never finishes a session itself")
}

// TestHostedLinkWebhook: ONBOARDING_FINISHED arrives through the existing
// ParseWebhook, names the Reference Verify gave, and ConfirmEvent reads the
// final Result.
func TestHostedLinkWebhook(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	c := client(t, srv, hostedConfig, func(cfg *incode.Config) { cfg.WebhookToken = kyc.NewSecret("hook-token") })
	ctx := context.Background()
	res, err := c.Verify(ctx, linkRequest("hooked"))
	require.NoError(t, err)
	require.NoError(t, srv.Onboard(res.Link.URL, magic(""), magic("")))

	id := strings.TrimPrefix(res.Reference, "incode:")
	r := httptest.NewRequest(http.MethodPost, "/webhooks/incode",
		strings.NewReader(string(incodetest.WebhookFor("ONBOARDING_FINISHED", id, "hooked"))))
	r.Header.Set("Authorization", "Bearer hook-token")
	r.Header.Set("Content-Type", "application/json")
	ev, err := c.ParseWebhook(r)
	require.NoError(t, err)
	assert.True(t, ev.Authenticated)
	assert.Equal(t, res.Reference, ev.Reference)
	assert.Equal(t, kyc.StatusPending, ev.Result.Status, "the webhook carries no verdict")
	confirmed, err := c.ConfirmEvent(ctx, ev)
	require.NoError(t, err)
	assert.True(t, confirmed.Confirmed)
	assert.Equal(t, kyc.StatusApproved, confirmed.Result.Status)
}

// TestHostedLinkFaults: an onboarding-url that fails after the session
// started gives an error carrying the session's Reference, and no second
// session is started.
func TestHostedLinkFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault kyctest.Fault
		kind  error
	}{
		{"500 on every attempt", kyctest.Fault{Kind: kyctest.FaultStatus, Times: 10}, kyc.ErrUnavailable},
		{"malformed answer", kyctest.Fault{Kind: kyctest.FaultMalformed, Times: 10}, kyc.ErrBadResponse},
		{"no url", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 200, Body: `{"url":""}`}, kyc.ErrBadResponse},
		{"plain http url", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 200, Body: `{"url":"http://pages.example/x?token=1"}`}, kyc.ErrBadResponse},
		{"url with user information", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 200, Body: `{"url":"https://u:p@pages.example/x"}`}, kyc.ErrBadResponse},
		{"dropped", kyctest.Fault{Kind: kyctest.FaultDrop, Times: 10}, kyc.ErrUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := incodetest.New(t)
			c := client(t, srv, hostedConfig)
			tc.fault.Path = "/0/omni/onboarding-url"
			srv.Inject(tc.fault)
			res, err := c.Verify(context.Background(), linkRequest("fault"))
			require.Error(t, err)
			assert.Nil(t, res)
			assert.ErrorIs(t, err, tc.kind)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.True(t, strings.HasPrefix(kerr.Reference, "incode:"), "the started session can be found again")
			assert.True(t, kyc.MayHaveCharged(err), "a session was started")
			assert.Equal(t, 1, srv.Sessions(), "the billed start is never resent")
			assert.Equal(t, 1, srv.Count("/omni/start"))
			// The session is there to read back.
			again, err := c.Result(context.Background(), kerr.Reference)
			require.NoError(t, err)
			assert.Equal(t, kyc.StatusPending, again.Status)
		})
	}
}

// cancelAt cancels a context when a request's path is path.
type cancelAt struct {
	next   http.RoundTripper
	path   string
	cancel context.CancelFunc
}

func (c cancelAt) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == c.path {
		c.cancel()
		<-r.Context().Done()
	}
	return c.next.RoundTrip(r)
}

// TestHostedLinkContext: a context ended before the start sends nothing; one
// ended after it gives the Reference.
func TestHostedLinkContext(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	c := client(t, srv, hostedConfig)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Verify(ctx, linkRequest("early"))
	require.ErrorIs(t, err, context.Canceled)
	assert.False(t, kyc.MayHaveCharged(err))
	assert.Zero(t, srv.Sessions())

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	hc := &http.Client{Transport: cancelAt{next: srv.Client().Transport, path: "/0/omni/onboarding-url", cancel: cancel}}
	cfg := srv.Config()
	hostedConfig(&cfg)
	c2, err := incode.New(cfg, append(srv.Options(), kyc.WithHTTPClient(hc))...)
	require.NoError(t, err)
	defer func() { _ = c2.Close() }()
	_, err = c2.Verify(ctx, linkRequest("late"))
	require.ErrorIs(t, err, context.Canceled)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.True(t, strings.HasPrefix(kerr.Reference, "incode:"))
	assert.True(t, kyc.MayHaveCharged(err))
	assert.Equal(t, 1, srv.Sessions())
}

// TestHostedLinkRefusesBadInput: refused before anything is sent.
func TestHostedLinkRefusesBadInput(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	c := client(t, srv, hostedConfig)
	long := "https://example.com/" + strings.Repeat("a", kyc.MaxURLLength)
	for _, tc := range []struct {
		name  string
		edit  func(*kyc.Request)
		field kyc.Field
	}{
		{"no return URL", func(r *kyc.Request) { r.Link.ReturnURL = "" }, kyc.FieldReturnURL},
		{"images only", func(r *kyc.Request) {
			r.Link.ReturnURL, r.Document.Front, r.Selfie = "", image(t, ""), image(t, "")
		}, kyc.FieldReturnURL},
		{"relative", func(r *kyc.Request) { r.Link.ReturnURL = "/kyc/done" }, kyc.FieldReturnURL},
		{"not http", func(r *kyc.Request) { r.Link.ReturnURL = "ftp://example.com/done" }, kyc.FieldReturnURL},
		{"javascript", func(r *kyc.Request) { r.Link.ReturnURL = "javascript:alert(1)" }, kyc.FieldReturnURL},
		{"plain http", func(r *kyc.Request) { r.Link.ReturnURL = "http://example.com/done" }, kyc.FieldReturnURL},
		{"user information", func(r *kyc.Request) { r.Link.ReturnURL = "https://user:pw@example.com/done" }, kyc.FieldReturnURL},
		{"too long", func(r *kyc.Request) { r.Link.ReturnURL = long }, kyc.FieldReturnURL},
		{"control character", func(r *kyc.Request) { r.Link.ReturnURL = "https://example.com/\x7f" }, kyc.FieldReturnURL},
		{"bad country", func(r *kyc.Request) { r.Country = "XX" }, kyc.FieldCountry},
		{"bad ID", func(r *kyc.Request) { r.ID = "a\x00b" }, kyc.FieldID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := linkRequest("refused")
			tc.edit(&req)
			_, err := c.Verify(context.Background(), req)
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, tc.field, kerr.Field)
			assert.Equal(t, kyc.Incode, kerr.Provider)
			assert.True(t, kerr.NotSent)
		})
	}
	assert.Empty(t, srv.Requests(), "nothing was sent")

	// http on loopback is for development.
	req := linkRequest("dev")
	req.Link.ReturnURL = "http://127.0.0.1:8080/done"
	_, err := c.Verify(context.Background(), req)
	require.NoError(t, err)

	for _, tc := range []struct {
		name  string
		edit  func(*incode.Config)
		field kyc.Field
	}{
		{"SMS flow", func(c *incode.Config) { c.Flow = kyc.FlowSMSLink }, "Flow"},
		{"unknown flow", func(c *incode.Config) { c.Flow = "hosted" }, "Flow"},
		{"language with a space", func(c *incode.Config) { c.Language = "en US" }, "Language"},
		{"language control character", func(c *incode.Config) { c.Language = "en\n" }, "Language"},
		{"language too long", func(c *incode.Config) { c.Language = strings.Repeat("a", kyc.MaxLanguageLength+1) }, "Language"},
		{"language starting with a digit", func(c *incode.Config) { c.Language = "1en" }, "Language"},
	} {
		cfg := srv.Config()
		tc.edit(&cfg)
		_, err := incode.New(cfg, srv.Options()...)
		require.ErrorIs(t, err, kyc.ErrInvalidRequest, tc.name)
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr, tc.name)
		assert.Equal(t, tc.field, kerr.Field, tc.name)
	}
}

// TestHostedSessionOnboardingURL: the typed method on a Session; a resumed
// session (no clientId known) sends none.
func TestHostedSessionOnboardingURL(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	ctx := context.Background()
	s, err := c.StartSession(ctx, incode.StartRequest{RedirectionURL: "https://example.com/done"})
	require.NoError(t, err)
	assert.Equal(t, incodetest.ClientID, s.ClientID)
	l1, err := s.OnboardingURL(ctx)
	require.NoError(t, err)
	l2, err := s.OnboardingURL(ctx)
	require.NoError(t, err)
	assert.Equal(t, l1.URL, l2.URL, "the same link on every call")

	s.ClientID = "bad\x00id"
	_, err = s.OnboardingURL(ctx)
	require.ErrorIs(t, err, kyc.ErrInvalidRequest)

	resumed, err := c.ResumeSession(s.InterviewID, kyc.Secret{})
	require.NoError(t, err)
	_, err = resumed.OnboardingURL(ctx)
	require.ErrorIs(t, err, kyc.ErrInvalidRequest, "the fake, like Incode's page, takes the clientId")
	last := srv.Requests()[len(srv.Requests())-1]
	q, _ := url.ParseQuery(last.Query)
	assert.False(t, q.Has("clientId"), "no clientId is invented")
}

// TestHostedLinkPrintsNoToken: the link's URL carries a token that opens the
// person's session; no fmt verb of the package's values, the Result or an
// error prints it, nor the session token.
func TestHostedLinkPrintsNoToken(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	c := client(t, srv, hostedConfig)
	ctx := context.Background()
	res, err := c.Verify(ctx, linkRequest("print"))
	require.NoError(t, err)
	u, err := url.Parse(res.Link.URL)
	require.NoError(t, err)
	linkToken := u.Query().Get("token")
	require.NotEmpty(t, linkToken)
	require.Contains(t, srv.Tokens(), linkToken, "the fake lists the link token with its tokens")

	s, err := c.StartSession(ctx, incode.StartRequest{})
	require.NoError(t, err)
	link, err := s.OnboardingURL(ctx)
	require.NoError(t, err)
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 200, Path: "/0/omni/onboarding-url",
		Body: `{"url":"http://pages.example/x?token=` + linkToken + `"}`})
	_, failure := c.Verify(ctx, linkRequest("print-fail"))
	require.Error(t, failure)

	secrets := []string{"example.com/kyc/done", "print"}
	for _, tok := range srv.Tokens() {
		secrets = append(secrets, tok)
		if parts := strings.Split(tok, "."); len(parts) == 3 {
			secrets = append(secrets, parts[1], parts[2])
		}
	}
	for _, v := range []any{res, *res, link, *link, failure, linkRequest("print"), s} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			text := fmt.Sprintf(verb, v)
			for _, secret := range secrets {
				assert.NotContains(t, text, secret, "%T under %s", v, verb)
			}
		}
	}
	assert.NotContains(t, failure.Error(), linkToken)
	js, err := json.Marshal(res)
	require.NoError(t, err)
	assert.Contains(t, string(js), linkToken, "JSON is complete: store the Result as the link itself")
}

// TestHostedLinkThroughRouter: the Router picks the hosted client for a
// Request with a return URL, and Result reads back through it.
func TestHostedLinkThroughRouter(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	c := client(t, srv, hostedConfig)
	r, err := kyc.NewRouter(kyc.DefaultRoute(c), kyc.WithResultStore(kyc.NewMemoryStore(0)))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := r.Verify(ctx, linkRequest("routed"))
	require.NoError(t, err)
	require.NotNil(t, res.Link)
	require.NoError(t, srv.Onboard(res.Link.URL, magic(""), magic("")))
	final, err := r.Result(ctx, res.Reference)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, final.Status)

	images := request(t, "routed-images", "", "", "")
	_, err = r.Verify(ctx, images)
	require.ErrorIs(t, err, kyc.ErrInvalidRequest, "a hosted client needs the return URL")
}

func ExampleClient_Verify_hostedLink() {
	srv := incodetest.NewServer() // the fake; use incode.New(cfg) for Incode itself
	defer srv.Close()
	cfg := srv.Config()
	cfg.Flow, cfg.Language = kyc.FlowHostedLink, "en-US"
	c, err := incode.New(cfg, srv.Options()...)
	if err != nil {
		panic(err)
	}
	defer c.Close()

	res, err := c.Verify(context.Background(), kyc.Request{ID: "user-42",
		Link: kyc.LinkOptions{ReturnURL: "https://example.com/kyc/done"}})
	if err != nil {
		panic(err)
	}
	// Send res.Link.URL to the person; store res.Reference.
	fmt.Println(res.Status, res.Link != nil)

	// The person goes through Incode's pages (here, the fake's).
	_ = srv.Onboard(res.Link.URL, kyctest.MagicImage("", 0), kyctest.MagicImage("", 0))
	// Then the ONBOARDING_FINISHED webhook arrives, or you read it back.
	final, err := c.Result(context.Background(), res.Reference)
	if err != nil {
		panic(err)
	}
	fmt.Println(final.Status)
	// Output:
	// pending true
	// approved
}

// TestHostedLinkResendsOnlyTheRead: a lost onboarding-url answer is asked
// again (a read); the billed start is sent once.
func TestHostedLinkResendsOnlyTheRead(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	c := client(t, srv, hostedConfig)
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Path: "/0/omni/onboarding-url", After: true})
	res, err := c.Verify(context.Background(), linkRequest("resent"))
	require.NoError(t, err)
	require.NotNil(t, res.Link)
	assert.Equal(t, 2, srv.Count("/0/omni/onboarding-url"))
	assert.Equal(t, 1, srv.Count("/omni/start"))

	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Path: "/omni/start", After: true})
	_, err = c.Verify(context.Background(), linkRequest("start-lost"))
	require.Error(t, err)
	assert.True(t, kyc.MayHaveCharged(err))
	assert.Equal(t, 2, srv.Count("/omni/start"), "a start that may have reached Incode is never resent")
	assert.Equal(t, 2, srv.Count("/0/omni/onboarding-url"), "no link is asked for a start without an answer")
}

// TestHostedLinkLanguageOfTheRequest sends Request.Link.Language in
// preference to Config.Language, and Config.Language when the Request has
// none.
func TestHostedLinkLanguageOfTheRequest(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ request, want string }{{"pt-BR", "pt-BR"}, {"", "es-ES"}} {
		srv := incodetest.New(t)
		c := client(t, srv, hostedConfig)
		req := linkRequest("lang-" + tt.want)
		req.Link.Language = tt.request
		_, err := c.Verify(t.Context(), req)
		require.NoError(t, err)
		var sent struct {
			Language string `json:"language"`
		}
		for _, r := range srv.Requests() {
			if r.Path == "/omni/start" {
				require.NoError(t, json.Unmarshal(r.Body, &sent))
			}
		}
		assert.Equal(t, tt.want, sent.Language, "request %q", tt.request)
	}
}

// TestExpiredSessionReadsBackRejected: a session Incode reports EXPIRED
// (the person never finished the link) reads back rejected with Resubmit,
// as its webhook says, instead of pending for ever.
func TestExpiredSessionReadsBackRejected(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t)
	c := client(t, srv, hostedConfig)
	res, err := c.Verify(t.Context(), linkRequest("expire-1"))
	require.NoError(t, err)
	id, _ := strings.CutPrefix(res.Reference, "incode:")
	require.True(t, srv.Expire(id))
	got, err := c.Result(t.Context(), res.Reference)
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusRejected, got.Status)
	assert.Equal(t, []kyc.Reason{kyc.ReasonNotFinished}, got.Reasons)
	assert.True(t, got.Resubmit, "the person may start again")
	assert.JSONEq(t, `{"onboardingStatus":"EXPIRED"}`, string(got.Raw))
}
