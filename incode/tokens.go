package incode

import (
	"container/list"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/ctxwait"
	"github.com/kyc-go/kyc/internal/flight"
	"github.com/kyc-go/kyc/internal/transport"
)

// TokenStore keeps session tokens outside the process, in a store the user
// backs with their own database, so that a Result or ConfirmEvent on
// another process or replica finds the session token of an interview it
// did not start. Without executive credentials it is the only way to read a
// session back across processes.
//
// A session token is a bearer credential for the person's session (OCR
// data, scores, approval) for 90 days: store it encrypted, like a password,
// and never next to the Reference in a place the Reference is shown.
// Implementations must be safe for concurrent use.
type TokenStore interface {
	// Get returns the token kept for interviewID, or a zero Secret and a
	// nil error when there is none.
	Get(ctx context.Context, interviewID string) (kyc.Secret, error)
	// Put keeps token for interviewID, replacing any earlier one.
	Put(ctx context.Context, interviewID string, token kyc.Secret) error
}

// DefaultSessionTokens is how many session tokens a Client keeps in memory
// by default (Config.SessionTokens): about 1 KiB each, so a few MiB. The
// least recently used token is dropped first.
const DefaultSessionTokens = 4096

// SessionTokenTTL is how long Incode's session tokens last by default
// ("The TTL ... defaults to 90 days"); a kept token older than this is
// forgotten.
const SessionTokenTTL = 90 * 24 * time.Hour

// ExecutiveTokenTTL is how long an executive token lasts ("defaults to 24
// hours"). The client logs in again an hour before it ends, or at once when
// Incode refuses the token.
const (
	ExecutiveTokenTTL    = 24 * time.Hour
	executiveTokenMargin = time.Hour
)

// ExecutiveRefusalMemory is how long, by the client's clock (kyc.WithClock),
// a refused executive log-in is remembered: Incode answered it 4xx (other
// than 429), the e-mail or password is wrong. Meanwhile every call that
// needs the executive token, ExecutiveLogIn included, returns a *kyc.Error
// of the refusal's kind (NotSent, wrapping the refusal) without calling
// Incode, so a burst of traffic is not a burst of failed log-ins against
// the dashboard account. The log-in itself is never retried.
const ExecutiveRefusalMemory = time.Minute

// MaxTokenLength bounds a session or executive token (a JWT, a few hundred
// characters in every sample; Footprint documents "Up to 256 characters").
const MaxTokenLength = 4096

// tokenForm checks a session or executive token: a JWT-like text of
// base64url characters and dots, at most MaxTokenLength long.
func tokenForm(tok string) error {
	if tok == "" || len(tok) > MaxTokenLength {
		return errors.New("a token of 1 to 4096 characters")
	}
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.=+/", c) >= 0) {
			return errors.New("a token of base64url characters and dots")
		}
	}
	return nil
}

// keeper is the bounded in-memory map of session tokens by interview id,
// least recently used first out.
type keeper struct {
	mu    sync.Mutex
	max   int
	ll    *list.List // of *kept, most recent first
	byID  map[string]*list.Element
	clock func() time.Time
}

type kept struct {
	id    string
	token kyc.Secret
	at    time.Time
}

func newKeeper(max int, clock func() time.Time) *keeper {
	return &keeper{max: max, ll: list.New(), byID: map[string]*list.Element{}, clock: clock}
}

func (k *keeper) put(id string, tok kyc.Secret) {
	if k.max <= 0 || tok.IsZero() {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if e, ok := k.byID[id]; ok {
		e.Value = &kept{id: id, token: tok, at: k.clock()}
		k.ll.MoveToFront(e)
		return
	}
	k.byID[id] = k.ll.PushFront(&kept{id: id, token: tok, at: k.clock()})
	for k.ll.Len() > k.max {
		last := k.ll.Back()
		k.ll.Remove(last)
		delete(k.byID, last.Value.(*kept).id)
	}
}

func (k *keeper) get(id string) (kyc.Secret, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	e, ok := k.byID[id]
	if !ok {
		return kyc.Secret{}, false
	}
	v := e.Value.(*kept)
	if k.clock().Sub(v.at) > SessionTokenTTL {
		k.ll.Remove(e)
		delete(k.byID, id)
		return kyc.Secret{}, false
	}
	k.ll.MoveToFront(e)
	return v.token, true
}

func (k *keeper) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.ll.Len()
}

// keep remembers a session's token in memory and, when Config.TokenStore
// is set, in the user's store.
func (c *Client) keep(ctx context.Context, op, id string, tok kyc.Secret) error {
	c.kept.put(id, tok)
	if c.cfg.TokenStore == nil {
		return nil
	}
	// A store that ignores its context cannot hold the call past it.
	if err := ctxwait.Err(ctx, func(ctx context.Context) error { return c.cfg.TokenStore.Put(ctx, id, tok) }); err != nil {
		kind := kyc.ErrUnavailable
		if ctx.Err() != nil {
			kind = kyc.ErrTimeout
		}
		return &kyc.Error{Provider: kyc.Incode, Op: op, Kind: kind,
			Message: "the TokenStore could not keep the session token", Err: err}
	}
	return nil
}

// sessionToken finds the token for a session the client did not start in
// this call: the token kept in memory, then Config.TokenStore's, then the
// executive token. exec reports that the executive token was chosen.
func (c *Client) sessionToken(ctx context.Context, op, id string) (tok kyc.Secret, exec bool, err error) {
	if t, ok := c.kept.get(id); ok {
		return t, false, nil
	}
	var storeErr error
	if st := c.cfg.TokenStore; st != nil {
		t, err := ctxwait.Do(ctx, func(ctx context.Context) (kyc.Secret, error) { return st.Get(ctx, id) })
		switch {
		case err != nil && ctx.Err() != nil:
			return kyc.Secret{}, false, &kyc.Error{Provider: kyc.Incode, Op: op, Kind: kyc.ErrTimeout, NotSent: true, Unprocessed: true,
				Message: "the TokenStore did not answer before the context ended", Err: err}
		case err != nil:
			storeErr = err
		case t.IsZero():
		case tokenForm(t.Reveal()) != nil:
			storeErr = errors.New("the stored token is not a session token")
		default:
			c.kept.put(id, t)
			return t, false, nil
		}
	}
	if c.hasExecutive() {
		t, err := c.exec.token(ctx, c, op, false)
		return t, true, err
	}
	if storeErr != nil {
		return kyc.Secret{}, false, &kyc.Error{Provider: kyc.Incode, Op: op, Kind: kyc.ErrUnavailable,
			Message: "the TokenStore could not give the session token", Err: storeErr, NotSent: true, Unprocessed: true}
	}
	return kyc.Secret{}, false, &kyc.Error{Provider: kyc.Incode, Op: op, Kind: kyc.ErrUnsupported, Field: "ref",
		Message: "no session token is known for this interview: set Config.ExecutiveEmail and ExecutivePassword, or a Config.TokenStore shared by every process",
		NotSent: true, Unprocessed: true}
}

func (c *Client) hasExecutive() bool {
	return c.cfg.ExecutiveEmail != "" && !c.cfg.ExecutivePassword.IsZero()
}

// execCache holds the executive token and the one log-in in flight (one
// for every concurrent caller, see internal/flight), and the last refused
// log-in.
type execCache struct {
	tokens flight.Cache[kyc.Secret]
	mu     sync.Mutex
	// refused is the last refused log-in, remembered until refusedUntil
	// (by the client clock).
	refused      *kyc.Error
	refusedUntil time.Time
}

// refusal is the remembered refusal of the log-in while it is remembered,
// as an error of its own for op; nil otherwise.
func (e *execCache) refusal(c *Client, op string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.refused == nil || !c.tc.Now().Before(e.refusedUntil) {
		return nil
	}
	return &kyc.Error{Provider: kyc.Incode, Op: op, Kind: e.refused.Kind, StatusCode: e.refused.StatusCode,
		Message: "Incode refused the executive log-in less than " + ExecutiveRefusalMemory.String() +
			" ago; it is not tried again until then", Err: e.refused, NotSent: true, Unprocessed: true}
}

// refusedLogIn reports whether err is Incode refusing the log-in's
// credentials: an answer 4xx other than 429.
func refusedLogIn(err error) (*kyc.Error, bool) {
	var kerr *kyc.Error
	if !errors.As(err, &kerr) || kerr.NotSent {
		return nil, false
	}
	s := kerr.StatusCode
	return kerr, s >= 400 && s < 500 && s != http.StatusTooManyRequests
}

// token returns a valid executive token, from the cache (unless force) or
// from the log-in in flight, starting one when none runs; while a refused
// log-in is remembered, its refusal without calling Incode.
func (e *execCache) token(ctx context.Context, c *Client, op string, force bool) (kyc.Secret, error) {
	tok, err := e.tokens.Get(ctx, c.tc.Now, force, func() error { return e.refusal(c, op) },
		func(ctx context.Context) (kyc.Secret, time.Time, error) {
			tok, err := c.logIn(ctx)
			at := c.tc.Now().Add(ExecutiveTokenTTL - executiveTokenMargin)
			e.mu.Lock()
			defer e.mu.Unlock()
			if err == nil {
				e.refused = nil
			}
			if kerr, ok := refusedLogIn(err); ok {
				e.refused, e.refusedUntil = kerr, c.tc.Now().Add(ExecutiveRefusalMemory)
			}
			return tok, at, err
		})
	var abandoned *flight.Abandoned
	if errors.As(err, &abandoned) {
		return kyc.Secret{}, c.tc.ContextError(op, abandoned.Err, false)
	}
	return tok, err
}

// drop forgets tok after Incode refused it, unless another caller has
// already replaced it: concurrent refusals of one token cause one log-in.
func (e *execCache) drop(tok kyc.Secret) {
	e.tokens.Forget(tok.Equal)
}

// logIn sends POST /executive/log-in with the account's e-mail and password.
func (c *Client) logIn(ctx context.Context) (kyc.Secret, error) {
	op := opExecutiveLogIn
	body, err := transport.JSON(struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}{c.cfg.ExecutiveEmail, c.cfg.ExecutivePassword.Reveal()})
	if err != nil {
		return kyc.Secret{}, c.tc.Invalid(op.Name, "ExecutiveEmail", "cannot be encoded as JSON")
	}
	var w struct {
		Token string `json:"token"`
	}
	resp, err := c.tc.Call(ctx, &transport.Request{Operation: op, Body: body}, &w)
	if err != nil {
		return kyc.Secret{}, err
	}
	if tokenForm(w.Token) != nil {
		return kyc.Secret{}, c.tc.BadResponse(op.Name, resp, errors.New("no executive token in the answer"))
	}
	return kyc.NewSecret(w.Token), nil
}

// ExecutiveLogIn logs in with Config.ExecutiveEmail and ExecutivePassword
// and caches the 24 h executive token the client reads sessions back with.
// The client logs in by itself when it needs to; call this to check the
// credentials (it charges nothing). The token is never returned, logged or
// printed.
//
//	POST /executive/log-in (free) — https://developer.incode.com/reference/how-to-get-an-session-token
func (c *Client) ExecutiveLogIn(ctx context.Context) error {
	if !c.hasExecutive() {
		return c.tc.Invalid(opExecutiveLogIn.Name, "ExecutiveEmail", "no executive credentials are configured")
	}
	_, err := c.exec.token(ctx, c, opExecutiveLogIn.Name, true)
	return err
}

// hardwareID is the per-request signer that sends a session or executive
// token.
func hardwareID(tok kyc.Secret) transport.Signer {
	return func(_ context.Context, h http.Header) error {
		h.Set("X-Incode-Hardware-Id", tok.Reveal())
		return nil
	}
}
