package kyc_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

// handlerLog records what the mux hands over.
type handlerLog struct {
	mu   sync.Mutex
	evs  []*kyc.Event
	fail error
}

// mustMux is kyc.NewWebhookMux for tests.
func mustMux(t *testing.T, fn func(context.Context, *kyc.Event) error, opts ...kyc.Option) *kyc.WebhookMux {
	t.Helper()
	m, err := kyc.NewWebhookMux(fn, opts...)
	require.NoError(t, err)
	return m
}

func (h *handlerLog) fn(_ context.Context, ev *kyc.Event) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.evs = append(h.evs, ev)
	return h.fail
}

func (h *handlerLog) last(t *testing.T) *kyc.Event {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	require.NotEmpty(t, h.evs, "the handler got no event")
	return h.evs[len(h.evs)-1]
}

// TestWebhookMuxMatrix: authenticated or not × confirming or not ×
// a receiver with or without read-back: what the handler sees and what the
// store keeps.
func TestWebhookMuxMatrix(t *testing.T) {
	t.Parallel()
	const ref = "fake:S1"
	confirmed := kyc.Result{Provider: "fake", Reference: ref, Status: kyc.StatusApproved,
		Scores: kyc.Scores{FaceMatch: kyc.NewScore(0.97)}}
	tests := []struct {
		name          string
		token         bool // the receiver authenticates, the webhook carries the token
		confirm       bool // kyc.ConfirmEvents
		readBack      bool // the receiver is an EventConfirmer
		wantStatus    kyc.Status
		wantConfirmed bool
		wantSource    kyc.Source
		wantStored    bool
		wantConfirms  int
	}{
		{"unauthenticated, not confirmed", false, false, true, kyc.StatusPending, false, kyc.SourceWebhook, false, 0},
		{"unauthenticated, no read-back", false, true, false, kyc.StatusPending, false, kyc.SourceWebhook, false, 0},
		{"unauthenticated, confirmed", false, true, true, kyc.StatusApproved, true, kyc.SourceProvider, true, 1},
		{"authenticated, not confirmed", true, false, true, kyc.StatusRejected, false, kyc.SourceWebhook, true, 0},
		{"authenticated, no read-back", true, true, false, kyc.StatusRejected, false, kyc.SourceWebhook, true, 0},
		{"authenticated, confirmed", true, true, true, kyc.StatusApproved, true, kyc.SourceProvider, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store := kyc.NewMemoryStore(0)
			recv := kyctest.NewReceiver("fake").SetResult(confirmed)
			if tt.token {
				recv.RequireToken("tok")
			}
			var h handlerLog
			opts := []kyc.Option{kyc.WithResultStore(store)}
			if tt.confirm {
				opts = append(opts, kyc.ConfirmEvents())
			}
			mux := mustMux(t, h.fn, opts...)
			var receiver kyc.WebhookReceiver = recv
			if !tt.readBack {
				receiver = recv.WithoutConfirm()
			}
			mux.Handle("/hook", receiver)
			w := httptest.NewRecorder()
			// The body claims a rejection with reasons: a forgery when
			// unauthenticated.
			mux.ServeHTTP(w, recv.NewRequest("/hook", kyctest.Webhook{Reference: ref, Type: "DONE",
				Status: kyc.StatusRejected, Reasons: []kyc.Reason{kyc.ReasonFaceMismatch}}))
			require.Equal(t, 200, w.Code)
			ev := h.last(t)
			require.NotNil(t, ev.Result)
			assert.Equal(t, tt.wantStatus, ev.Result.Status)
			assert.Equal(t, tt.wantConfirmed, ev.Confirmed)
			assert.Equal(t, tt.wantSource, ev.Result.Source)
			assert.Equal(t, ref, ev.Result.Reference)
			if !ev.Authenticated && !ev.Confirmed {
				assert.Empty(t, ev.Result.Reasons, "an unauthenticated verdict is dropped")
				assert.False(t, ev.Result.Scores.FaceMatch.Given())
			}
			assert.Equal(t, tt.wantConfirms, recv.Confirms())
			stored, err := store.Get(context.Background(), ref)
			if tt.wantStored {
				require.NoError(t, err)
				assert.Equal(t, tt.wantStatus, stored.Status)
			} else {
				assert.ErrorIs(t, err, kyc.ErrNotFound, "an unauthenticated, unconfirmed event is not stored")
			}
		})
	}
}

// TestWebhookMuxLastLineOfDefence hands the mux a receiver that lets a
// forged final status through unauthenticated: the handler never sees it.
// Break the downgrade in webhook.go and this fails.
func TestWebhookMuxLastLineOfDefence(t *testing.T) {
	t.Parallel()
	for _, st := range []kyc.Status{kyc.StatusApproved, kyc.StatusRejected, kyc.StatusReview, "made-up"} {
		recv := kyctest.NewReceiver("fake")
		var h handlerLog
		mux := mustMux(t, h.fn)
		mux.Handle("/hook", recv)
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, recv.NewRequest("/hook", kyctest.Webhook{Reference: "fake:1", Type: "X", Status: st}))
		require.Equal(t, 200, w.Code)
		ev := h.last(t)
		assert.False(t, ev.Authenticated)
		assert.Equal(t, kyc.StatusPending, ev.Result.Status, string(st))
	}
}

func TestWebhookMuxFailures(t *testing.T) {
	t.Parallel()
	t.Run("confirmation fails: the vendor sends again", func(t *testing.T) {
		t.Parallel()
		recv := kyctest.NewReceiver("fake").FailConfirm(&kyc.Error{Kind: kyc.ErrUnavailable})
		var h handlerLog
		mux := mustMux(t, h.fn, kyc.ConfirmEvents())
		mux.Handle("/hook", recv)
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, recv.NewRequest("/hook", kyctest.Webhook{Reference: "fake:1", Status: kyc.StatusApproved}))
		assert.Equal(t, 500, w.Code)
		assert.Empty(t, h.evs)
	})
	t.Run("unknown reference is acknowledged, never delivered nor stored", func(t *testing.T) {
		t.Parallel()
		for _, authenticated := range []bool{false, true} {
			recv := kyctest.NewReceiver("fake")
			if authenticated {
				recv.RequireToken("tok")
			}
			var h handlerLog
			store := kyc.NewMemoryStore(0)
			mux := mustMux(t, h.fn, kyc.ConfirmEvents(), kyc.WithResultStore(store))
			mux.Handle("/hook", recv)
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, recv.NewRequest("/hook", kyctest.Webhook{Reference: "fake:forged", Status: kyc.StatusApproved}))
			assert.Equal(t, 200, w.Code, "the vendor stops retrying an id it does not know")
			assert.Empty(t, h.evs)
			_, err := store.Get(t.Context(), "fake:forged")
			assert.ErrorIs(t, err, kyc.ErrNotFound)
		}
	})
	t.Run("another provider's reference is refused, never stored", func(t *testing.T) {
		t.Parallel()
		for _, ref := range []string{"atlas:victim", "incode:6595c84ce69d469f69ad39fb"} {
			recv := kyctest.NewReceiver("fake").RequireToken("tok")
			var h handlerLog
			store := kyc.NewMemoryStore(0)
			mux := mustMux(t, h.fn, kyc.WithResultStore(store))
			mux.Handle("/hook", recv)
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, recv.NewRequest("/hook", kyctest.Webhook{Reference: ref, Status: kyc.StatusApproved}))
			assert.Equal(t, 400, w.Code, ref)
			assert.Contains(t, w.Body.String(), "another provider", ref)
			assert.Empty(t, h.evs)
			_, err := store.Get(t.Context(), ref)
			assert.ErrorIs(t, err, kyc.ErrNotFound, "nothing stored under %s", ref)
		}
	})
	t.Run("store fails: the vendor sends again", func(t *testing.T) {
		t.Parallel()
		recv := kyctest.NewReceiver("fake").RequireToken("tok")
		var h handlerLog
		mux := mustMux(t, h.fn, kyc.WithResultStore(failingStore{}))
		mux.Handle("/hook", recv)
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, recv.NewRequest("/hook", kyctest.Webhook{Reference: "fake:1", Status: kyc.StatusApproved}))
		assert.Equal(t, 500, w.Code)
		assert.Empty(t, h.evs)
	})
	t.Run("handler fails", func(t *testing.T) {
		t.Parallel()
		recv := kyctest.NewReceiver("fake").RequireToken("tok")
		h := handlerLog{fail: errors.New("db")}
		mux := mustMux(t, h.fn)
		mux.Handle("/hook", recv)
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, recv.NewRequest("/hook", kyctest.Webhook{Reference: "fake:1", Status: kyc.StatusApproved}))
		assert.Equal(t, 500, w.Code)
	})
	t.Run("wrong token", func(t *testing.T) {
		t.Parallel()
		recv := kyctest.NewReceiver("fake").RequireToken("tok")
		var h handlerLog
		mux := mustMux(t, h.fn)
		mux.Handle("/hook", recv)
		req := recv.NewRequest("/hook", kyctest.Webhook{Reference: "fake:1", Status: kyc.StatusApproved})
		req.Header.Set("Authorization", "Bearer forged")
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, req)
		assert.Equal(t, 401, w.Code)
		assert.Empty(t, h.evs)
	})
	t.Run("bad options are refused at start-up", func(t *testing.T) {
		t.Parallel()
		_, err := kyc.NewWebhookMux(func(context.Context, *kyc.Event) error { return nil }, kyc.WithResultStore(nil))
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
		_, err = kyc.NewWebhookMux(nil)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
		_, err = kyc.NewWebhookMux(func(context.Context, *kyc.Event) error { return nil }, nil)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
	})
}

// A late progress event does not replace a final stored Result.
func TestWebhookMuxKeepsFinalResults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := kyc.NewMemoryStore(0)
	recv := kyctest.NewReceiver("fake").RequireToken("tok")
	var h handlerLog
	mux := mustMux(t, h.fn, kyc.WithResultStore(store))
	mux.Handle("/hook", recv)
	for _, st := range []kyc.Status{kyc.StatusPending, kyc.StatusApproved, kyc.StatusPending, kyc.StatusReview} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, recv.NewRequest("/hook", kyctest.Webhook{Reference: "fake:1", Status: st}))
		require.Equal(t, 200, w.Code)
	}
	got, err := store.Get(ctx, "fake:1")
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, got.Status)
	assert.Len(t, h.evs, 4, "the handler sees every event all the same")
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, recv.NewRequest("/hook", kyctest.Webhook{Reference: "fake:1", Status: kyc.StatusRejected}))
	require.Equal(t, 200, w.Code)
	got, err = store.Get(ctx, "fake:1")
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusApproved, got.Status, "a different final verdict without a vendor order does not replace the first")
	assert.Equal(t, kyc.AppliedConflict, h.evs[len(h.evs)-1].Applied, "and the handler is told of the conflict")

	// Newer by the vendor's order: replaces; the older one re-delivered: does not.
	for _, tc := range []struct {
		st   kyc.Status
		seq  int64
		want kyc.Status
		a    kyc.Applied
	}{
		{kyc.StatusRejected, 2, kyc.StatusRejected, kyc.AppliedStored},
		{kyc.StatusApproved, 1, kyc.StatusRejected, kyc.AppliedUnchanged},
		{kyc.StatusRejected, 2, kyc.StatusRejected, kyc.AppliedUnchanged},
	} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, recv.NewRequest("/hook", kyctest.Webhook{Reference: "fake:1", Status: tc.st, Sequence: tc.seq}))
		require.Equal(t, 200, w.Code)
		got, err = store.Get(ctx, "fake:1")
		require.NoError(t, err)
		assert.Equal(t, tc.want, got.Status)
		assert.Equal(t, tc.a, h.evs[len(h.evs)-1].Applied)
	}
}
