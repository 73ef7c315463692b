package advanceai

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// Signature returns the token request's signature: the lowercase hex
// SHA-256 of accessKey, secretKey and the 13-digit millisecond timestamp,
// concatenated.
func Signature(accessKey string, secretKey kyc.Secret, timestampMillis int64) string {
	h := sha256.New()
	h.Write([]byte(accessKey))
	h.Write([]byte(secretKey.Reveal()))
	h.Write(strconv.AppendInt(nil, timestampMillis, 10))
	return hex.EncodeToString(h.Sum(nil))
}

// TokenResponse is the answer of Token Authentication.
type TokenResponse struct {
	Meta
	// Token goes in the X-ACCESS-TOKEN header of business calls.
	Token kyc.Secret
	// ExpiredTime is the token's expiry in epoch milliseconds, by the
	// vendor's clock; ExpiresAt is the same instant.
	ExpiredTime int64
	ExpiresAt   time.Time
}

// GenerateToken asks for a new access token (POST generate-token), signed
// with the client clock's time, for Config.TokenTTL. It does not touch the
// client's cached token: business calls use Token, which calls this only
// when the cached token is missing or about to expire.
//
// https://doc.advance.ai (Token Authentication API)
func (c *Client) GenerateToken(ctx context.Context) (*TokenResponse, error) {
	ts := c.tc.Now().UnixMilli()
	// Numbers, as in the vendor's curl sample (its table says "string").
	body := struct {
		AccessKey    string `json:"accessKey"`
		Signature    string `json:"signature"`
		Timestamp    int64  `json:"timestamp"`
		PeriodSecond int64  `json:"periodSecond"`
	}{c.accessKey, Signature(c.accessKey, c.secretKey, ts), ts, int64(c.ttl / time.Second)}
	b, err := transport.JSON(body)
	if err != nil {
		return nil, &kyc.Error{Provider: kyc.AdvanceAI, Op: opGenerateToken, Kind: kyc.ErrInvalidRequest, Err: err}
	}
	// A token request charges nothing, so it may be sent again.
	resp, err := c.tc.Do(ctx, &transport.Request{Op: opGenerateToken, Method: http.MethodPost, Path: PathGenerateToken, Body: b, Mode: transport.Idempotent})
	if err != nil {
		return nil, err
	}
	env, err := c.check(opGenerateToken, resp)
	if err != nil {
		return nil, err
	}
	var data struct {
		Token       string          `json:"token"`
		ExpiredTime json.RawMessage `json:"expiredTime"`
	}
	if err := decodeData(env.Data, &data); err != nil {
		return nil, c.tc.BadResponse(opGenerateToken, resp, err)
	}
	if data.Token == "" {
		return nil, c.tc.BadResponse(opGenerateToken, resp, errors.New("no token in a SUCCESS answer"))
	}
	out := &TokenResponse{Meta: env.meta(), Token: kyc.NewSecret(data.Token), ExpiredTime: epochMillis(data.ExpiredTime)}
	if out.ExpiredTime > 0 {
		out.ExpiresAt = time.UnixMilli(out.ExpiredTime).UTC()
	}
	return out, nil
}

// Token returns the access token the client's business calls use, fetching
// one only when the cached token is missing or about to expire. Concurrent
// callers share one fetch.
func (c *Client) Token(ctx context.Context) (kyc.Secret, error) {
	t, err := c.token(ctx, opToken)
	if err != nil {
		return kyc.Secret{}, err
	}
	return kyc.NewSecret(t), nil
}

// tokenMargin is how long before its expiry a token is replaced, so that a
// call does not carry a token that expires on its way; at most a quarter of
// the token's lifetime.
const tokenMargin = time.Minute

// tokenCache holds the access token and the one fetch in flight.
type tokenCache struct {
	mu        sync.Mutex
	tok       string
	refreshAt time.Time // by the client clock
	flight    *flight
}

// flight is one token fetch shared by every caller that needs a token while
// it runs. It runs on a context of its own, detached from whichever caller
// started it, and is cancelled only when every caller waiting for it has
// given up: one caller's cancellation never fails the others.
type flight struct {
	done    chan struct{}
	cancel  context.CancelFunc
	waiters int // guarded by tokenCache.mu
	tok     string
	err     error
}

// token returns a valid token, from the cache or from the flight in
// progress, starting one when none runs.
func (c *Client) token(ctx context.Context, op string) (string, error) {
	tc := &c.tokens
	tc.mu.Lock()
	if tc.tok != "" && c.tc.Now().Before(tc.refreshAt) {
		t := tc.tok
		tc.mu.Unlock()
		return t, nil
	}
	if err := ctx.Err(); err != nil {
		tc.mu.Unlock()
		return "", waitError(op, err)
	}
	f := tc.flight
	if f == nil {
		// WithoutCancel keeps the starter's values (trace ids) but not its
		// deadline or cancellation; the transport's per-attempt timeout and
		// the waiters' departure bound the fetch instead.
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &flight{done: make(chan struct{}), cancel: cancel}
		tc.flight = f
		go c.refresh(fctx, f)
	}
	f.waiters++
	tc.mu.Unlock()

	select {
	case <-f.done:
	case <-ctx.Done():
		tc.mu.Lock()
		f.waiters--
		select {
		case <-f.done: // finished meanwhile: use it
			tc.mu.Unlock()
			return f.tok, f.err
		default:
		}
		if f.waiters == 0 {
			// Nobody wants this fetch any more: stop it, and let the next
			// caller start afresh rather than join a cancelled fetch.
			f.cancel()
			if tc.flight == f {
				tc.flight = nil
			}
		}
		tc.mu.Unlock()
		return "", waitError(op, ctx.Err())
	}
	tc.mu.Lock()
	f.waiters--
	tc.mu.Unlock()
	return f.tok, f.err
}

// refresh runs one flight and stores its token.
func (c *Client) refresh(ctx context.Context, f *flight) {
	defer f.cancel()
	r, err := c.GenerateToken(ctx)
	now := c.tc.Now()
	tc := &c.tokens
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if err != nil {
		f.err = err
	} else {
		f.tok = r.Token.Reveal()
		at := refreshTime(now, r.ExpiresAt, c.ttl)
		// A flight abandoned earlier may finish after a newer one: keep the
		// token that lasts longer.
		if tc.tok == "" || !at.Before(tc.refreshAt) {
			tc.tok, tc.refreshAt = f.tok, at
		}
	}
	if tc.flight == f {
		tc.flight = nil
	}
	close(f.done)
}

// refreshTime is when a token fetched at now should be replaced. The
// vendor's expiredTime is on its clock; it is trusted only within the
// lifetime asked for, so a clock skew either way cannot keep a token past
// its real expiry or throw every token away at once.
func refreshTime(now, expires time.Time, ttl time.Duration) time.Time {
	limit := now.Add(ttl)
	if expires.IsZero() || !expires.After(now) || expires.After(limit) {
		expires = limit
	}
	return expires.Add(-min(tokenMargin, expires.Sub(now)/4))
}

// drop forgets tok after the vendor refused it, unless another caller has
// already replaced it: concurrent refusals of one token cause one fetch.
func (tc *tokenCache) drop(tok string) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.tok == tok {
		tc.tok, tc.refreshAt = "", time.Time{}
	}
}

func waitError(op string, err error) error {
	msg := "the context was cancelled while waiting for an access token"
	if errors.Is(err, context.DeadlineExceeded) {
		msg = "the context deadline passed while waiting for an access token"
	}
	return &kyc.Error{Provider: kyc.AdvanceAI, Op: op, Kind: kyc.ErrTimeout, Message: msg, Err: err}
}
