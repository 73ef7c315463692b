package kyc_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

// spanLog is a SpanObserver and HealthObserver that records names and
// ends, with the parent of each span.
type spanLog struct {
	mu       sync.Mutex
	spans    []string
	parents  map[string]string
	ends     map[string]kyc.SpanEnd
	circuits []string
}

type spanKey struct{}

func newSpanLog() *spanLog {
	return &spanLog{parents: map[string]string{}, ends: map[string]kyc.SpanEnd{}}
}

func (l *spanLog) StartCall(ctx context.Context, c kyc.CallInfo) (context.Context, func(kyc.CallEnd)) {
	return ctx, func(kyc.CallEnd) {}
}

func (l *spanLog) StartAttempt(ctx context.Context, a kyc.AttemptInfo) (context.Context, func(kyc.AttemptEnd)) {
	return ctx, func(kyc.AttemptEnd) {}
}

func (l *spanLog) StartSpan(ctx context.Context, s kyc.SpanInfo) (context.Context, func(kyc.SpanEnd)) {
	parent, _ := ctx.Value(spanKey{}).(string)
	l.mu.Lock()
	l.spans = append(l.spans, s.Name)
	l.parents[s.Name] = parent
	l.mu.Unlock()
	return context.WithValue(ctx, spanKey{}, s.Name), func(e kyc.SpanEnd) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.ends[s.Name] = e
	}
}

func (l *spanLog) CircuitChanged(p kyc.Provider, from, to kyc.CircuitState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.circuits = append(l.circuits, string(p)+":"+string(from)+"->"+string(to))
}

func (l *spanLog) RetryBudgetLevel(kyc.Provider, int) {}

func TestRouterAndMuxSpans(t *testing.T) {
	t.Parallel()
	obs := newSpanLog()
	store := kyc.NewMemoryStore(0)
	down := &scripted{p: kyc.Atlas}
	down.set(&kyc.Error{Provider: kyc.Atlas, Kind: kyc.ErrUnavailable, StatusCode: 503, Unprocessed: true})
	up := &scripted{p: kyc.Incode}
	r, err := kyc.NewRouter(kyc.DefaultRoute(down, up), kyc.WithObserver(obs), kyc.WithResultStore(store),
		kyc.WithCircuit(kyc.CircuitSettings{Failures: 1, CoolDown: time.Hour}))
	require.NoError(t, err)
	res, err := r.Verify(context.Background(), kyc.Request{})
	require.NoError(t, err)
	assert.Equal(t, kyc.Incode, res.Provider)
	end := obs.ends["kyc.Router.Verify"]
	assert.Equal(t, kyc.Incode, end.Provider)
	assert.Equal(t, kyc.StatusApproved, end.Status)
	assert.Equal(t, 2, end.Tried)
	assert.Equal(t, []string{"atlas:closed->open"}, obs.circuits)
	_, _ = r.Result(context.Background(), "incode:ok")
	assert.Contains(t, obs.spans, "kyc.Router.Result")

	recv := kyctest.NewReceiver(kyc.Incode)
	recv.SetResult(kyc.Result{Provider: kyc.Incode, Reference: "incode:S1", Status: kyc.StatusApproved})
	mux, err := kyc.NewWebhookMux(func(context.Context, *kyc.Event) error { return nil },
		kyc.ConfirmEvents(), kyc.WithResultStore(store), kyc.WithObserver(obs))
	require.NoError(t, err)
	mux.Handle("/hook", recv)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, recv.NewRequest("/hook", kyctest.Webhook{Reference: "incode:S1", Type: "ONBOARDING_FINISHED"}))
	require.Equal(t, 200, w.Code)
	for _, name := range []string{"kyc.WebhookMux.confirm", "kyc.WebhookMux.store"} {
		assert.Equal(t, "kyc.WebhookMux.receive", obs.parents[name], "%s is a child of receive", name)
	}
	assert.True(t, obs.ends["kyc.WebhookMux.confirm"].Confirmed)
	assert.Equal(t, kyc.AppliedStored, obs.ends["kyc.WebhookMux.store"].Applied)
	assert.Equal(t, 200, obs.ends["kyc.WebhookMux.receive"].StatusCode)
	assert.False(t, obs.ends["kyc.WebhookMux.receive"].Authenticated)
}
