package kyc_test

import (
	"context"
	"errors"
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

func kerr(kind error, sent bool) error {
	return &kyc.Error{Op: "vendor.Op", Kind: kind, Sent: sent}
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
		{"unavailable falls through", directCaps, kerr(kyc.ErrUnavailable, true), nil, kyc.Request{}, "second", nil, 1},
		{"rate limited falls through", directCaps, kerr(kyc.ErrRateLimited, true), nil, kyc.Request{}, "second", nil, 1},
		{"timeout falls through", directCaps, kerr(kyc.ErrTimeout, true), nil, kyc.Request{}, "second", nil, 1},
		{"rejection is final", directCaps, nil, &kyc.Result{Status: kyc.StatusRejected, Reasons: []kyc.Reason{kyc.ReasonFaceMismatch}}, kyc.Request{}, "first", nil, 0},
		{"invalid request is final", directCaps, kerr(kyc.ErrInvalidRequest, false), nil, kyc.Request{}, "", kyc.ErrInvalidRequest, 0},
		{"unauthorized is final", directCaps, kerr(kyc.ErrUnauthorized, true), nil, kyc.Request{}, "", kyc.ErrUnauthorized, 0},
		{"insufficient credit is final", directCaps, kerr(kyc.ErrInsufficientCredit, true), nil, kyc.Request{}, "", kyc.ErrInsufficientCredit, 0},
		{"untyped error is final", directCaps, errors.New("boom"), nil, kyc.Request{}, "", nil, 0},
		{"sms provider that may have sent is final", smsCaps, kerr(kyc.ErrUnavailable, true), nil, kyc.Request{Person: kyc.Person{Phone: "+34600111222"}}, "", kyc.ErrUnavailable, 0},
		{"sms provider that failed before sending falls through", smsCaps, kerr(kyc.ErrUnavailable, false), nil, kyc.Request{Person: kyc.Person{Phone: "+34600111222"}}, "second", nil, 1},
		{"link provider that may have created a link is final", linkCaps, kerr(kyc.ErrTimeout, true), nil, kyc.Request{Link: kyc.LinkOptions{ReturnURL: "https://x.example/done"}}, "", kyc.ErrTimeout, 0},
		{"capability skip", smsCaps, nil, nil, kyc.Request{}, "second", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
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
	a := kyctest.New("a", directCaps).Fail(kerr(kyc.ErrUnavailable, true))
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
	assert.Equal(t, "Person.Phone", e.Field, "the first refusal names its field")
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
	assert.ErrorIs(t, err, kyc.ErrUnsupported)
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

func TestNewRouterRefusals(t *testing.T) {
	v := kyctest.New("v", directCaps)
	for name, routes := range map[string][]kyc.Route{
		"empty route":      {kyc.CountryRoute("ESP")},
		"nil verifier":     {kyc.CountryRoute("ESP", nil)},
		"bad country":      {kyc.CountryRoute("es", v)},
		"duplicate":        {kyc.CountryRoute("ESP", v), kyc.CountryRoute("ESP", v)},
		"two defaults":     {kyc.DefaultRoute(v), kyc.DefaultRoute(v)},
		"provider clashes": {kyc.CountryRoute("ESP", v), kyc.CountryRoute("IND", kyctest.New("v", directCaps))},
	} {
		_, err := kyc.NewRouter(routes...)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, name)
	}
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
	mux := kyc.NewWebhookMux(func(ctx context.Context, ev *kyc.Event) error {
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
