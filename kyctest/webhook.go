package kyctest

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/kyc-go/kyc"
)

// FakeReceiver is a kyc.WebhookReceiver and a kyc.EventConfirmer for
// users' tests of webhook handlers, and of kyc.WebhookMux, without a vendor
// package. It receives webhooks in its own small JSON form (see Webhook)
// and confirms Events from the Results given to SetResult, as a vendor's
// read-back would. It is safe for concurrent use.
//
// With RequireToken, a webhook must carry "Authorization: Bearer <token>":
// one without it, or with another token, is refused with 401, and one with
// it gives an Authenticated Event. Without a token, every webhook is
// accepted and its Event is not Authenticated, like a real receiver opted
// in to unauthenticated webhooks.
type FakeReceiver struct {
	p kyc.Provider

	mu         sync.Mutex
	token      string
	results    map[string]*kyc.Result
	confirmErr error
	confirms   int
}

// Webhook is the body a FakeReceiver receives, as JSON.
type Webhook struct {
	Reference string       `json:"reference"`
	Type      string       `json:"type"`
	Status    kyc.Status   `json:"status"`
	Reasons   []kyc.Reason `json:"reasons,omitempty"`
	// Sequence is the vendor's order of the event (kyc.Result.Sequence).
	Sequence int64 `json:"sequence,omitempty"`
}

// NewReceiver returns a FakeReceiver for provider p.
func NewReceiver(p kyc.Provider) *FakeReceiver {
	return &FakeReceiver{p: p, results: map[string]*kyc.Result{}}
}

var (
	_ kyc.WebhookReceiver = (*FakeReceiver)(nil)
	_ kyc.EventConfirmer  = (*FakeReceiver)(nil)
)

// Provider implements kyc.WebhookReceiver.
func (f *FakeReceiver) Provider() kyc.Provider { return f.p }

// RequireToken makes the receiver authenticate webhooks with a bearer
// token.
func (f *FakeReceiver) RequireToken(token string) *FakeReceiver {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.token = token
	return f
}

// SetResult sets what ConfirmEvent reads back for res.Reference.
func (f *FakeReceiver) SetResult(res kyc.Result) *FakeReceiver {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.results[res.Reference] = kyc.CloneResult(&res)
	return f
}

// FailConfirm makes every ConfirmEvent fail with err; nil restores it.
func (f *FakeReceiver) FailConfirm(err error) *FakeReceiver {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.confirmErr = err
	return f
}

// Confirms returns how many times ConfirmEvent was called.
func (f *FakeReceiver) Confirms() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.confirms
}

// NewRequest builds a webhook request for target (a path or URL) carrying
// w, with the receiver's token when it has one.
func (f *FakeReceiver) NewRequest(target string, w Webhook) *http.Request {
	body, _ := json.Marshal(w)
	r := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	f.mu.Lock()
	if f.token != "" {
		r.Header.Set("Authorization", "Bearer "+f.token)
	}
	f.mu.Unlock()
	return r
}

// refuse builds ParseWebhook's errors.
func (f *FakeReceiver) refuse(kind error, msg string) error {
	return &kyc.Error{Provider: f.p, Op: string(f.p) + ".ParseWebhook", Kind: kind, Message: msg, NotSent: true, Unprocessed: true}
}

// ParseWebhook implements kyc.WebhookReceiver: it checks the token, then
// decodes a Webhook body (at most 64 KiB) into an Event.
func (f *FakeReceiver) ParseWebhook(r *http.Request) (*kyc.Event, error) {
	f.mu.Lock()
	token := f.token
	f.mu.Unlock()
	authenticated := false
	if token != "" {
		got := r.Header.Get("Authorization")
		if subtle.ConstantTimeCompare([]byte(got), []byte("Bearer "+token)) != 1 {
			return nil, f.refuse(kyc.ErrUnauthorized, "missing or wrong webhook token")
		}
		authenticated = true
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10+1))
	if err != nil || len(body) > 64<<10 {
		return nil, f.refuse(kyc.ErrInvalidRequest, "unreadable or oversized body")
	}
	var w Webhook
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, f.refuse(kyc.ErrInvalidRequest, "the body is not a kyctest.Webhook")
	}
	if _, err := kyc.ParseReference(w.Reference); err != nil {
		return nil, f.refuse(kyc.ErrInvalidRequest, "the reference is malformed")
	}
	return &kyc.Event{
		Provider: f.p, Reference: w.Reference, Type: w.Type,
		Result:        &kyc.Result{Provider: f.p, Reference: w.Reference, Status: w.Status, Reasons: w.Reasons, Sequence: w.Sequence},
		Authenticated: authenticated, ReceivedAt: time.Now(), Raw: body,
	}, nil
}

// WebhookHandler serves the fake's webhooks as the vendor receivers do:
// it is kyc.WebhookHandler for the receiver.
func (f *FakeReceiver) WebhookHandler(fn func(context.Context, *kyc.Event) error) http.Handler {
	return kyc.WebhookHandler(f, fn)
}

// ConfirmEvent implements kyc.EventConfirmer: it returns a copy of ev with
// the Result set for ev.Reference by SetResult, and Confirmed, or an
// ErrNotFound *kyc.Error.
func (f *FakeReceiver) ConfirmEvent(ctx context.Context, ev *kyc.Event) (*kyc.Event, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.confirms++
	if f.confirmErr != nil {
		return nil, f.confirmErr
	}
	if err := ctx.Err(); err != nil {
		return nil, &kyc.Error{Provider: f.p, Op: string(f.p) + ".ConfirmEvent", Kind: kyc.ErrTimeout, Err: err, NotSent: true, Unprocessed: true}
	}
	res, ok := f.results[ev.Reference]
	if !ok {
		return nil, &kyc.Error{Provider: f.p, Op: string(f.p) + ".ConfirmEvent", Kind: kyc.ErrNotFound, Field: "ref",
			Message: "no such verification"}
	}
	c := *ev
	c.Result, c.Confirmed = kyc.CloneResult(res), true
	return &c, nil
}

// WithoutConfirm returns the receiver as a kyc.WebhookReceiver that is not
// a kyc.EventConfirmer, like a vendor without a read-back (verificar).
func (f *FakeReceiver) WithoutConfirm() kyc.WebhookReceiver { return plainReceiver{f} }

type plainReceiver struct{ f *FakeReceiver }

func (p plainReceiver) Provider() kyc.Provider { return p.f.Provider() }

func (p plainReceiver) ParseWebhook(r *http.Request) (*kyc.Event, error) { return p.f.ParseWebhook(r) }
