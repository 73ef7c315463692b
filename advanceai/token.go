package advanceai

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/flight"
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

// TokenResult is the answer of Token Authentication.
type TokenResult struct {
	Meta
	// Token goes in the X-ACCESS-TOKEN header of business calls.
	Token kyc.Secret
	// ExpiredTime is the token's expiry in epoch milliseconds, by the
	// vendor's clock; ExpiresAt is the same instant.
	ExpiredTime int64
	ExpiresAt   time.Time
}

// GenerateToken asks for a new access token, signed with the client
// clock's time, for Config.TokenTTL. It does not touch the client's cached
// token: business calls use Token, which calls this only when the cached
// token is missing or about to expire. It charges nothing, so it is retried
// like a read.
//
//	POST /openapi/auth/ticket/v1/generate-token (free) — https://doc.advance.ai, Back-end Integration, "Token Authentication API"
func (c *Client) GenerateToken(ctx context.Context) (*TokenResult, error) {
	ts := c.tc.Now().UnixMilli()
	// Numbers, as in the vendor's curl sample (its table says "string").
	body := struct {
		AccessKey    string `json:"accessKey"`
		Signature    string `json:"signature"`
		Timestamp    int64  `json:"timestamp"`
		PeriodSecond int64  `json:"periodSecond"`
	}{c.cfg.AccessKey, Signature(c.cfg.AccessKey, c.cfg.SecretKey, ts), ts, int64(c.cfg.TokenTTL / time.Second)}
	var env Envelope
	resp, err := c.send(ctx, opGenerateToken, body, &env)
	if err != nil {
		return nil, err
	}
	var data struct {
		Token       string          `json:"token"`
		ExpiredTime json.RawMessage `json:"expiredTime"`
	}
	if err := decodeData(env.Data, &data); err != nil {
		return nil, c.badResponse(opGenerateToken, resp, env.Meta, err)
	}
	if data.Token == "" || !transport.SafeText(data.Token) {
		return nil, c.badResponse(opGenerateToken, resp, env.Meta, errors.New("no usable token in a SUCCESS answer"))
	}
	out := &TokenResult{Meta: env.Meta, Token: kyc.NewSecret(data.Token), ExpiredTime: epochMillis(data.ExpiredTime)}
	if out.ExpiredTime > 0 {
		out.ExpiresAt = time.UnixMilli(out.ExpiredTime).UTC()
	}
	return out, nil
}

// Token returns the access token the client's business calls use, fetching
// one only when the cached token is missing or about to expire. Concurrent
// callers share one fetch. Its errors are GenerateToken's.
//
//	POST /openapi/auth/ticket/v1/generate-token (free) — https://doc.advance.ai, Back-end Integration, "Token Authentication API", when no cached token is fresh
func (c *Client) Token(ctx context.Context) (kyc.Secret, error) {
	t, err := c.token(ctx, opGenerateToken)
	if err != nil {
		return kyc.Secret{}, err
	}
	return kyc.NewSecret(t), nil
}

// tokenMargin is how long before its expiry a token is replaced, so that a
// call does not carry a token that expires on its way; at most a quarter of
// the token's lifetime.
const tokenMargin = time.Minute

// token returns a valid token for a call of op, from the cache or from the
// fetch in flight (one for every concurrent caller, see internal/flight),
// starting one when none runs. Its errors name op and say that op was not
// sent.
func (c *Client) token(ctx context.Context, op kyc.Operation) (string, error) {
	t, err := c.tokens.Get(ctx, c.tc.Now, false, nil, func(ctx context.Context) (string, time.Time, error) {
		r, err := c.GenerateToken(ctx)
		if err != nil {
			return "", time.Time{}, err
		}
		return r.Token.Reveal(), refreshTime(c.tc.Now(), r.ExpiresAt, c.cfg.TokenTTL), nil
	})
	var abandoned *flight.Abandoned
	if errors.As(err, &abandoned) {
		return "", c.tc.ContextError(op.Name, abandoned.Err, false)
	}
	return t, tokenError(op, err)
}

// tokenError is a failed token fetch as the error of op, which was not
// sent: a copy (the flight's error is shared by its waiters) naming op,
// with the fetch's error as its cause.
func tokenError(op kyc.Operation, err error) error {
	var kerr *kyc.Error
	if err == nil || op.Name == opGenerateToken.Name || !errors.As(err, &kerr) {
		return err
	}
	e := *kerr
	e.Op, e.NotSent, e.Unprocessed, e.Reference, e.Err = op.Name, true, true, "", kerr
	e.Message = "the access token could not be obtained"
	if kerr.Message != "" {
		e.Message += ": " + kerr.Message
	}
	return &e
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

// tokenUse is what the signer of one call did: the token its last attempt
// carried, how many attempts it signed, and whether getting a token failed.
// The transport runs a call's attempts one after the other, on the
// caller's goroutine.
type tokenUse struct {
	token      string
	signs      int
	signFailed bool
}

// sign is the Signer of every business request of op: it puts the access
// token in X-ACCESS-TOKEN, from the cache or a fresh fetch, on each attempt,
// and notes in u what it did. A failure to get a token ends the call
// before this attempt is written.
func (c *Client) sign(op kyc.Operation, u *tokenUse) transport.Signer {
	return func(ctx context.Context, h http.Header) error {
		u.signs++
		tok, err := c.token(ctx, op)
		if err != nil {
			u.signFailed = true
			var kerr *kyc.Error
			if u.signs > 1 && errors.As(err, &kerr) {
				// Earlier attempts were sent; a billed or messaging call
				// was resent only because they were refused unprocessed.
				kerr.NotSent, kerr.Unprocessed = false, !op.Resendable()
			}
			return err
		}
		u.token = tok
		h.Set(HeaderAccessToken, tok)
		return nil
	}
}

// authorize gives a business request the access token: a signer that
// puts it on each attempt, and the renew hook that, when the vendor
// refused the token the call carried (HTTP 401 or IAM_FAILED), drops that
// token so that the transport sends the request once more with a new one.
// The refused call was stopped at the gate, unprocessed, so a billed call
// may be repeated; the repeat's error says the call was sent (the refused
// one was), and is Unprocessed only when the repeat is.
func (c *Client) authorize(r *transport.Request) {
	u := &tokenUse{}
	r.Sign = c.sign(r.Operation, u)
	r.Renew = func(_ context.Context, err error) bool {
		if u.token == "" || u.signFailed || !isAuthFailure(err) {
			return false
		}
		c.tokens.Forget(func(t string) bool { return t == u.token })
		*u = tokenUse{}
		return true
	}
}
