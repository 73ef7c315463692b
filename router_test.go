package kyc_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

var (
	directCaps = kyc.Capabilities{Flow: kyc.FlowDirect}
	smsCaps    = kyc.Capabilities{Flow: kyc.FlowSMSLink, Requires: []kyc.Field{kyc.FieldPhone}}
	linkCaps   = kyc.Capabilities{Flow: kyc.FlowHostedLink, Requires: []kyc.Field{kyc.FieldReturnURL}}
)

// kerr is a vendor error: sent=false is an explicit "never written".
func kerr(kind error, sent bool) error {
	return &kyc.Error{Op: "vendor.Op", Kind: kind, NotSent: !sent, Unprocessed: !sent}
}

// The error shapes a Verifier may return, for the fallback table.
var (
	errNotSent      = &kyc.Error{Op: "v.Op", Kind: kyc.ErrUnavailable, NotSent: true, Unprocessed: true}
	errRefused503   = &kyc.Error{Op: "v.Op", Kind: kyc.ErrUnavailable, StatusCode: 503, Unprocessed: true}
	errRefused429   = &kyc.Error{Op: "v.Op", Kind: kyc.ErrRateLimited, StatusCode: 429, Unprocessed: true}
	errStarted      = &kyc.Error{Op: "v.Op", Kind: kyc.ErrUnavailable, StatusCode: 503, Unprocessed: true, Reference: "v:started-1"}
	errNotSentAfter = &kyc.Error{Op: "v.Op", Kind: kyc.ErrTimeout, NotSent: true, Unprocessed: true, Reference: "v:started-2"}
	errTimeoutSent  = &kyc.Error{Op: "v.Op", Kind: kyc.ErrTimeout}
	err500          = &kyc.Error{Op: "v.Op", Kind: kyc.ErrUnavailable, StatusCode: 500}
	errHandBuilt    = &kyc.Error{Kind: kyc.ErrUnavailable}
	errWrapped      = fmt.Errorf("my verifier: %w", errNotSent)
	errForeign      = foreignErr{}
	errInvalid      = &kyc.Error{Op: "v.Op", Kind: kyc.ErrInvalidRequest, NotSent: true, Unprocessed: true}
)

// foreignErr is a third-party Verifier's own error type, whatever it says.
type foreignErr struct{}

func (foreignErr) Error() string        { return "foreign: not sent, honest" }
func (foreignErr) Is(target error) bool { return target == kyc.ErrUnavailable }

// TestRouterFallbackTable walks every error shape through every flow, with
// and without AllowFallbackAfterCharge, and checks whether the Router
// tries the next Verifier and whether the Attempt says the call may have
// charged.
func TestRouterFallbackTable(t *testing.T) {
	t.Parallel()
	type want struct{ next, charged bool }
	// Columns: billed flows (direct, hosted link) by default; the SMS
	// flow by default; billed flows with AllowFallbackAfterCharge; the SMS
	// flow with it.
	tests := []struct {
		name                           string
		err                            error
		billed, sms, billedOpt, smsOpt want
	}{
		{"never sent", errNotSent, want{true, false}, want{true, false}, want{true, false}, want{true, false}},
		{"refused with 503", errRefused503, want{true, false}, want{false, true}, want{true, false}, want{false, true}},
		{"refused with 429", errRefused429, want{true, false}, want{false, true}, want{true, false}, want{false, true}},
		{"refused after a billable start", errStarted, want{false, true}, want{false, true}, want{true, true}, want{false, true}},
		{"not sent after a billable start", errNotSentAfter, want{false, true}, want{false, true}, want{true, true}, want{false, true}},
		{"timeout after the write", errTimeoutSent, want{false, true}, want{false, true}, want{true, true}, want{false, true}},
		{"500", err500, want{false, true}, want{false, true}, want{true, true}, want{false, true}},
		{"hand-built zero fields", errHandBuilt, want{false, true}, want{false, true}, want{true, true}, want{false, true}},
		{"wrapped not-sent error", errWrapped, want{false, true}, want{false, true}, want{true, true}, want{false, true}},
		{"foreign error type", errForeign, want{false, true}, want{false, true}, want{false, true}, want{false, true}},
		{"plain error", errors.New("boom"), want{false, true}, want{false, true}, want{false, true}, want{false, true}},
		{"invalid request, not sent", errInvalid, want{false, false}, want{false, false}, want{false, false}, want{false, false}},
	}
	type column struct {
		name  string
		caps  kyc.Capabilities
		req   kyc.Request
		allow bool
		pick  func(w [4]want) want
	}
	columns := []column{
		{"direct", directCaps, kyc.Request{}, false, func(w [4]want) want { return w[0] }},
		{"hosted link", linkCaps, kyc.Request{Link: kyc.LinkOptions{ReturnURL: "https://x.example/done"}}, false, func(w [4]want) want { return w[0] }},
		{"sms", smsCaps, kyc.Request{Person: kyc.Person{Phone: "+34600111222"}}, false, func(w [4]want) want { return w[1] }},
		{"direct, allow after charge", directCaps, kyc.Request{}, true, func(w [4]want) want { return w[2] }},
		{"hosted link, allow after charge", linkCaps, kyc.Request{Link: kyc.LinkOptions{ReturnURL: "https://x.example/done"}}, true, func(w [4]want) want { return w[2] }},
		{"sms, allow after charge", smsCaps, kyc.Request{Person: kyc.Person{Phone: "+34600111222"}}, true, func(w [4]want) want { return w[3] }},
	}
	cells := 0
	for _, tt := range tests {
		for _, col := range columns {
			cells++
			t.Run(tt.name+"/"+col.name, func(t *testing.T) {
				t.Parallel()
				w := col.pick([4]want{tt.billed, tt.sms, tt.billedOpt, tt.smsOpt})
				first := kyctest.New("first", col.caps).Fail(tt.err)
				second := kyctest.New("second", directCaps)
				opts := []kyc.Option{kyc.CountryRoute("ESP", first, second)}
				if col.allow {
					opts = append(opts, kyc.AllowFallbackAfterCharge())
				}
				r, err := kyc.NewRouter(opts...)
				require.NoError(t, err)
				req := col.req
				req.Country = "ESP"
				res, attempts, err := r.VerifyWithAttempts(context.Background(), req)
				require.NotEmpty(t, attempts)
				assert.Equal(t, w.charged, attempts[0].MayHaveCharged, "Attempt.MayHaveCharged")
				label := "[may have charged]"
				if col.caps.Flow == kyc.FlowSMSLink {
					label = "[may have messaged the person]"
				}
				assert.Equal(t, w.charged, strings.Contains(attempts[0].String(), label), attempts[0].String())
				if w.next {
					require.NoError(t, err)
					assert.Equal(t, kyc.Provider("second"), res.Provider)
					assert.Equal(t, 1, second.Calls())
					return
				}
				var rerr *kyc.RouteError
				require.ErrorAs(t, err, &rerr)
				assert.Len(t, rerr.Attempts, 1)
				assert.Zero(t, second.Calls(), "no fallback")
				assert.ErrorIs(t, err, tt.err, "the RouteError unwraps to the deciding error")
			})
		}
	}
	assert.Equal(t, 72, cells)
}

func TestRouterFallback(t *testing.T) {
	tests := []struct {
		name       string
		firstCaps  kyc.Capabilities
		firstErr   error
		firstRes   *kyc.Result
		req        kyc.Request
		wantFrom   kyc.Provider // "" when an error is expected
		wantKind   error
		wantCalls2 int
	}{
		{"unavailable before sending falls through", directCaps, kerr(kyc.ErrUnavailable, false), nil, kyc.Request{}, "second", nil, 1},
		{"rate limited unprocessed falls through", directCaps, errRefused429, nil, kyc.Request{}, "second", nil, 1},
		{"timeout before sending falls through", directCaps, kerr(kyc.ErrTimeout, false), nil, kyc.Request{}, "second", nil, 1},
		{"timeout after sending is final", directCaps, kerr(kyc.ErrTimeout, true), nil, kyc.Request{}, "", kyc.ErrTimeout, 0},
		{"rejection is final", directCaps, nil, &kyc.Result{Status: kyc.StatusRejected, Reasons: []kyc.Reason{kyc.ReasonFaceMismatch}}, kyc.Request{}, "first", nil, 0},
		{"invalid request is final", directCaps, kerr(kyc.ErrInvalidRequest, false), nil, kyc.Request{}, "", kyc.ErrInvalidRequest, 0},
		{"unauthorized is final", directCaps, kerr(kyc.ErrUnauthorized, true), nil, kyc.Request{}, "", kyc.ErrUnauthorized, 0},
		{"insufficient credit is final", directCaps, kerr(kyc.ErrInsufficientCredit, true), nil, kyc.Request{}, "", kyc.ErrInsufficientCredit, 0},
		{"untyped error is final", directCaps, errors.New("boom"), nil, kyc.Request{}, "", nil, 0},
		{"hand-built error without NotSent is final", directCaps, &kyc.Error{Kind: kyc.ErrUnavailable}, nil, kyc.Request{}, "", kyc.ErrUnavailable, 0},
		{"sms provider that may have sent is final", smsCaps, kerr(kyc.ErrUnavailable, true), nil, kyc.Request{Person: kyc.Person{Phone: "+34600111222"}}, "", kyc.ErrUnavailable, 0},
		{"sms provider that failed before sending falls through", smsCaps, kerr(kyc.ErrUnavailable, false), nil, kyc.Request{Person: kyc.Person{Phone: "+34600111222"}}, "second", nil, 1},
		{"link provider that may have created a link is final", linkCaps, kerr(kyc.ErrTimeout, true), nil, kyc.Request{Link: kyc.LinkOptions{ReturnURL: "https://x.example/done"}}, "", kyc.ErrTimeout, 0},
		{"capability skip", smsCaps, nil, nil, kyc.Request{}, "second", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			first := kyctest.New("first", tt.firstCaps)
			switch {
			case tt.firstErr != nil:
				first.Fail(tt.firstErr)
			case tt.firstRes != nil:
				first.Return(*tt.firstRes)
			}
			second := kyctest.New("second", directCaps)
			r, err := kyc.NewRouter(kyc.CountryRoute("ESP", first, second))
			require.NoError(t, err)
			tt.req.Country = "ESP"
			res, attempts, err := r.VerifyWithAttempts(context.Background(), tt.req)
			assert.Equal(t, tt.wantCalls2, second.Calls())
			if tt.wantFrom == "" {
				require.Error(t, err)
				var rerr *kyc.RouteError
				require.ErrorAs(t, err, &rerr)
				assert.Len(t, rerr.Attempts, 1)
				if tt.wantKind != nil {
					assert.ErrorIs(t, err, tt.wantKind)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantFrom, res.Provider, "the Result names the provider that answered")
			assert.Len(t, attempts, 1+tt.wantCalls2)
			if tt.firstRes != nil {
				assert.Equal(t, kyc.StatusRejected, res.Status)
			}
		})
	}
}

func TestRouterAllAttemptsInError(t *testing.T) {
	t.Parallel()
	a := kyctest.New("a", directCaps).Fail(kerr(kyc.ErrUnavailable, false))
	b := kyctest.New("b", smsCaps)
	c := kyctest.New("c", directCaps).Fail(kerr(kyc.ErrRateLimited, true))
	r, err := kyc.NewRouter(kyc.DefaultRoute(a, b, c))
	require.NoError(t, err)
	_, err = r.Verify(context.Background(), kyc.Request{Country: "FRA"})
	var rerr *kyc.RouteError
	require.ErrorAs(t, err, &rerr)
	require.Len(t, rerr.Attempts, 3)
	assert.Equal(t, kyc.Provider("a"), rerr.Attempts[0].Provider)
	assert.Contains(t, rerr.Attempts[1].Skipped, "Person.Phone")
	assert.ErrorIs(t, err, kyc.ErrRateLimited, "the last call decides")
	assert.True(t, kyc.IsRetryable(err))
	msg := err.Error()
	assert.Contains(t, msg, "a: vendor.Op: provider unavailable")
	assert.Contains(t, msg, "b: skipped")
	assert.Contains(t, msg, "c: vendor.Op: rate limited")
	assert.Contains(t, msg, "[may have charged]", "the last call was sent")
	assert.False(t, rerr.Attempts[0].MayHaveCharged)
	assert.True(t, rerr.Attempts[2].MayHaveCharged)
}

func TestRouterRoutesByCountry(t *testing.T) {
	atlas := kyctest.New(kyc.Atlas, directCaps)
	incode := kyctest.New(kyc.Incode, directCaps)
	r, err := kyc.NewRouter(kyc.CountryRoute("IND", atlas), kyc.DefaultRoute(incode))
	require.NoError(t, err)
	for country, want := range map[string]kyc.Provider{"IND": kyc.Atlas, "MEX": kyc.Incode, "": kyc.Incode} {
		res, err := r.Verify(context.Background(), kyc.Request{Country: country})
		require.NoError(t, err)
		assert.Equal(t, want, res.Provider, country)
	}
	onlyIND, err := kyc.NewRouter(kyc.CountryRoute("IND", atlas))
	require.NoError(t, err)
	_, err = onlyIND.Verify(context.Background(), kyc.Request{Country: "MEX"})
	assert.ErrorIs(t, err, kyc.ErrUnsupported)
	assert.Equal(t, []string{"IND"}, onlyIND.Capabilities().Countries)
}

func TestRouterCapabilityRefusalOnly(t *testing.T) {
	r, err := kyc.NewRouter(kyc.DefaultRoute(kyctest.New(kyc.Verificar, smsCaps), kyctest.New(kyc.AdvanceAI, linkCaps)))
	require.NoError(t, err)
	_, err = r.Verify(context.Background(), kyc.Request{Country: "ESP"})
	require.ErrorIs(t, err, kyc.ErrInvalidRequest)
	var e *kyc.Error
	require.ErrorAs(t, err, &e)
	assert.EqualValues(t, "Person.Phone", e.Field, "the first refusal names its field")
}

func TestRouterKillSwitch(t *testing.T) {
	a := kyctest.New("a", directCaps)
	b := kyctest.New("b", directCaps)
	r, err := kyc.NewRouter(kyc.DefaultRoute(a, b))
	require.NoError(t, err)
	r.Disable("a")
	assert.False(t, r.Enabled("a"))
	res, attempts, err := r.VerifyWithAttempts(context.Background(), kyc.Request{})
	require.NoError(t, err)
	assert.Equal(t, kyc.Provider("b"), res.Provider)
	assert.Equal(t, "disabled", attempts[0].Skipped)
	assert.Zero(t, a.Calls())

	// Result still reaches a disabled provider.
	a2 := kyctest.New("a", directCaps)
	r2, err := kyc.NewRouter(kyc.DefaultRoute(a2))
	require.NoError(t, err)
	first, err := r2.Verify(context.Background(), kyc.Request{})
	require.NoError(t, err)
	r2.Disable("a")
	got, err := r2.Result(context.Background(), first.Reference)
	require.NoError(t, err)
	assert.Equal(t, first.Reference, got.Reference)
	_, err = r2.Verify(context.Background(), kyc.Request{})
	assert.ErrorIs(t, err, kyc.ErrUnavailable)
	r2.Enable("a")
	_, err = r2.Verify(context.Background(), kyc.Request{})
	assert.NoError(t, err)
}

func TestRouterResultDispatch(t *testing.T) {
	atlas := kyctest.New(kyc.Atlas, directCaps).OnResult(func(ctx context.Context, ref string) (*kyc.Result, error) {
		return &kyc.Result{Provider: kyc.Atlas, Reference: ref, Status: kyc.StatusApproved}, nil
	})
	incode := kyctest.New(kyc.Incode, directCaps).OnResult(func(ctx context.Context, ref string) (*kyc.Result, error) {
		return &kyc.Result{Provider: kyc.Incode, Reference: ref, Status: kyc.StatusReview}, nil
	})
	r, err := kyc.NewRouter(kyc.CountryRoute("IND", atlas, incode), kyc.DefaultRoute(incode))
	require.NoError(t, err)
	res, err := r.Result(context.Background(), "incode:abc.tok")
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusReview, res.Status)
	res, err = r.Result(context.Background(), "atlas:REQ1")
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, res.Status)
	_, err = r.Result(context.Background(), "ekycid:1")
	assert.ErrorIs(t, err, kyc.ErrNotFound, "no Verifier and no store: nobody knows it")
	_, err = r.Result(context.Background(), "garbage")
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
}

func TestRouterNoFallbackOnceContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	a := kyctest.New("a", directCaps).Do(func(context.Context, kyc.Request) (*kyc.Result, error) {
		cancel()
		return nil, kerr(kyc.ErrTimeout, true)
	})
	b := kyctest.New("b", directCaps)
	r, err := kyc.NewRouter(kyc.DefaultRoute(a, b))
	require.NoError(t, err)
	_, err = r.Verify(ctx, kyc.Request{})
	assert.ErrorIs(t, err, kyc.ErrTimeout)
	assert.Zero(t, b.Calls())
}

// nilVerifier is a vendor client type, for the typed-nil check.
type nilVerifier struct{ kyctest.FakeVerifier }

func TestNewRouterRefusals(t *testing.T) {
	t.Parallel()
	v := kyctest.New("v", directCaps)
	var typedNil *kyctest.FakeVerifier
	var typedNil2 *nilVerifier
	for name, routes := range map[string][]kyc.Option{
		"no route at all":      {},
		"options but no route": {kyc.AllowFallbackAfterCharge(), kyc.WithResultStore(kyc.NewMemoryStore(1))},
		"empty route":          {kyc.CountryRoute("ESP")},
		"nil verifier":         {kyc.CountryRoute("ESP", nil)},
		"typed nil verifier":   {kyc.CountryRoute("ESP", typedNil)},
		"typed nil, second":    {kyc.DefaultRoute(v, typedNil2)},
		"typed nil default":    {kyc.DefaultRoute(typedNil)},
		"nil store":            {kyc.DefaultRoute(v), kyc.WithResultStore(nil)},
		"typed nil store":      {kyc.DefaultRoute(v), kyc.WithResultStore((*kyc.MemoryStore)(nil))},
		"nil option":           {kyc.DefaultRoute(v), nil},
		"bad country":          {kyc.CountryRoute("es", v)},
		"duplicate":            {kyc.CountryRoute("ESP", v), kyc.CountryRoute("ESP", v)},
		"two defaults":         {kyc.DefaultRoute(v), kyc.DefaultRoute(v)},
		"provider clashes":     {kyc.CountryRoute("ESP", v), kyc.CountryRoute("IND", kyctest.New("v", directCaps))},
	} {
		r, err := kyc.NewRouter(routes...)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, name)
		assert.Nil(t, r, name)
	}
	_, err := kyc.NewRouter()
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.EqualValues(t, "routes", kerr.Field)
}

// receiver is a minimal WebhookReceiver for the mux test.
type receiver struct{ p kyc.Provider }

func (r receiver) Provider() kyc.Provider { return r.p }
func (r receiver) ParseWebhook(req *http.Request) (*kyc.Event, error) {
	b, _ := io.ReadAll(req.Body)
	return &kyc.Event{Provider: r.p, Type: string(b)}, nil
}
func (r receiver) WebhookHandler(fn func(context.Context, *kyc.Event) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ev, _ := r.ParseWebhook(req)
		if fn(req.Context(), ev) != nil {
			w.WriteHeader(500)
		}
	})
}

func TestWebhookMux(t *testing.T) {
	var got []string
	mux := mustMux(t, func(ctx context.Context, ev *kyc.Event) error {
		got = append(got, string(ev.Provider)+"="+ev.Type)
		return nil
	})
	mux.Handle("/hooks/incode", receiver{kyc.Incode})
	mux.Handle("/hooks/verificar", receiver{kyc.Verificar})
	for path, body := range map[string]string{"/hooks/incode": "a", "/hooks/verificar": "b"} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("POST", path, strings.NewReader(body)))
		assert.Equal(t, 200, w.Code)
	}
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("POST", "/hooks/other", nil))
	assert.Equal(t, 404, w.Code)
	assert.ElementsMatch(t, []string{"incode=a", "verificar=b"}, got)
}
