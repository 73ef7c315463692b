package atlas

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas/internal/tslayout"
	"github.com/kyc-go/kyc/internal/transport"
)

// The parameters of the AES api_key, as the vendor's Java sample
// (frslabs/atlas-api-sample-java, EncryptionUtils.java) fixes them.
const (
	// PBKDF2Iterations is the sample's iteration count: 65556, not the
	// more common 65536.
	PBKDF2Iterations = 65556
	// SaltLen is the length of the random PBKDF2 salt that opens the api_key.
	SaltLen = 20
	// KeyLen is the AES-256 key length derived from the secret.
	KeyLen = 32
)

// HeaderRequestID is the header carrying the per-request id, spelled as the
// vendor docs spell it (with an underscore).
const HeaderRequestID = "request_id"

// aesSigner builds the v1.3 Authorization header:
//
//	key_id=<KEY_ID>,api_key=<B64>,timestamp=<TS>
//
// where B64 is standard base64 of salt(20) ‖ iv(16) ‖ AES-256-CBC/PKCS7 of
// "KEY_ID|KEY_SECRET|TS" under PBKDF2-HMAC-SHA1(KEY_SECRET, salt, 65556, 32).
//
// The vendor's sample derives a new key for every header, which costs
// milliseconds of CPU. The server reads the salt from each api_key, so a
// salt may be reused: the signer reuses a derived key with a fresh random
// IV per header. Its keys come from the process's key ring for the secret
// (keys.go), shared with every client of the same secret. The next key is
// derived in the background once the current one is 90% through
// SaltRotation, once for all callers, and the signer keeps the current
// salt until the next key is ready: only the first header of a secret in a
// process waits for a derivation. It is safe for concurrent use.
type aesSigner struct {
	keyID  string
	secret kyc.Secret
	layout tslayout.Layout
	loc    *time.Location
	rotate time.Duration // < 0: a new key for every header
	ring   *keyRing

	state atomic.Pointer[keyState]
}

// keyState is the key a signer uses and when it took it up, on the
// client's clock (kyc.WithClock), against which SaltRotation is measured.
type keyState struct {
	k  *derivedKey
	at time.Time
}

// renewal is how far into SaltRotation the next key starts to be derived.
func (s *aesSigner) renewal() time.Duration { return s.rotate - s.rotate/10 }

// key returns the key to sign with at time now. It never waits for a
// derivation except for the first key of the secret in this process.
func (s *aesSigner) key(ctx context.Context, now time.Time) (*derivedKey, error) {
	if s.rotate < 0 {
		return deriveKey(s.secret) // the sample's way, chosen explicitly
	}
	st := s.state.Load()
	if st == nil {
		return s.first(ctx, now)
	}
	age := now.Sub(st.at)
	backwards := age < -s.rotate // the clock went back by more than a rotation
	if age < s.renewal() && !backwards {
		return st.k, nil
	}
	if age >= s.rotate || backwards {
		if next := s.ring.latest.Load(); next.gen > st.k.gen {
			s.state.CompareAndSwap(st, &keyState{k: next, at: now})
			return next, nil
		}
	}
	s.ring.rotate(s.secret, st.k) // in the background; a no-op when one runs or is done
	return st.k, nil
}

// first takes up the ring's latest key, deriving the secret's first key
// when there is none yet: the one wait of the secret in this process,
// shared by every concurrent caller. A key another client derived keeps
// its age, so it is renewed on schedule.
func (s *aesSigner) first(ctx context.Context, now time.Time) (*derivedKey, error) {
	for {
		if k := s.ring.latest.Load(); k != nil {
			st := &keyState{k: k, at: now.Add(-min(time.Since(k.born), s.rotate))}
			if !s.state.CompareAndSwap(nil, st) {
				st = s.state.Load()
			}
			return st.k, nil
		}
		if err := s.ring.wait(ctx, s.ring.rotate(s.secret, nil)); err != nil {
			return nil, err
		}
	}
}

// warm makes sure a key is ready: it derives the first one, or, when the
// current key is due for renewal, waits for the next one and takes it up.
func (s *aesSigner) warm(ctx context.Context, now time.Time) error {
	if s.rotate < 0 {
		return nil
	}
	st := s.state.Load()
	if st == nil {
		_, err := s.first(ctx, now)
		return err
	}
	if age := now.Sub(st.at); age < s.renewal() && age >= -s.rotate {
		return nil
	}
	if err := s.ring.wait(ctx, s.ring.rotate(s.secret, st.k)); err != nil {
		return err
	}
	if next := s.ring.latest.Load(); next.gen > st.k.gen {
		s.state.CompareAndSwap(st, &keyState{k: next, at: now})
	}
	return nil
}

// header returns the Authorization value for one attempt at time now.
func (s *aesSigner) header(ctx context.Context, now time.Time) (string, error) {
	k, err := s.key(ctx, now)
	if err != nil {
		return "", err
	}
	ts := s.layout.Format(now.In(s.loc))
	secret := s.secret.Reveal()
	plain := make([]byte, 0, len(s.keyID)+len(secret)+len(ts)+2+aes.BlockSize)
	plain = append(plain, s.keyID...)
	plain = append(plain, '|')
	plain = append(plain, secret...)
	plain = append(plain, '|')
	plain = append(plain, ts...)
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	plain = append(plain, bytes.Repeat([]byte{byte(pad)}, pad)...)

	raw := make([]byte, SaltLen+aes.BlockSize+len(plain))
	copy(raw, k.salt[:])
	iv := raw[SaltLen : SaltLen+aes.BlockSize]
	if _, err := rand.Read(iv); err != nil {
		return "", err
	}
	cipher.NewCBCEncrypter(k.block, iv).CryptBlocks(raw[SaltLen+aes.BlockSize:], plain)
	clear(plain)

	out := make([]byte, 0, len("key_id=,api_key=,timestamp=")+len(s.keyID)+base64.StdEncoding.EncodedLen(len(raw))+len(ts))
	out = append(out, "key_id="...)
	out = append(out, s.keyID...)
	out = append(out, ",api_key="...)
	out = base64.StdEncoding.AppendEncode(out, raw)
	out = append(out, ",timestamp="...)
	out = append(out, ts...)
	return string(out), nil
}

// requestIDs makes request_id values: letters and digits only, unique per
// attempt. A value is a 20-character call id, shared by the attempts of one
// logical call, followed by a 2-character attempt number:
//
//	call id = unix millis (base 36, 9) ‖ random (7) ‖ counter (base 36, 4)
//
// The counter makes ids unique within a process whatever the clock does; the
// millis and the random part make them unique across processes.
type requestIDs struct {
	n atomic.Uint64
}

const (
	callIDLen = 20
	alnum     = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)

func (g *requestIDs) callID(now time.Time) string {
	b := make([]byte, 0, callIDLen+2)
	b = appendBase36(b, uint64(now.UnixMilli()), 9)
	var rnd [7]byte
	_, _ = rand.Read(rnd[:])
	for _, r := range rnd {
		b = append(b, alnum[int(r)%len(alnum)])
	}
	b = appendBase36(b, g.n.Add(1)%(36*36*36*36), 4)
	return string(b)
}

func appendBase36(b []byte, v uint64, width int) []byte {
	s := strconv.FormatUint(v, 36)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	if len(s) > width {
		s = s[len(s)-width:]
	}
	return append(b, s...)
}

// requestIDLen is the length of a request_id: the call id and a
// 2-character attempt number. Verify's References hold one.
const requestIDLen = callIDLen + 2

// idForm is the form of the vendor id in an Atlas Reference, checked
// before anything is sent (transport.Params.ID): a request_id as this
// package writes it, 22 ASCII letters and digits.
func idForm(id string) error {
	if len(id) != requestIDLen {
		return errors.New("an Atlas reference holds a 22-character request_id")
	}
	for i := 0; i < len(id); i++ {
		if !isAlnum(id[i]) {
			return errors.New("a request_id has letters and digits only")
		}
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// signer returns the signer of one call of op, run before each attempt: it
// sets a fresh request_id (the call id and the attempt number), stores it
// in last, and with AuthAES sets the Authorization header. Only the first
// header of a secret in this process waits for a PBKDF2 derivation; when
// ctx ends during that wait the call fails with ErrTimeout.
func (c *Client) signer(op kyc.Operation, last *atomic.Value) transport.Signer {
	callID := c.ids.callID(c.tc.Now())
	var attempt atomic.Int32
	return func(ctx context.Context, h http.Header) error {
		n := attempt.Add(1)
		id := callID + string(appendBase36(nil, uint64(n)%(36*36), 2))
		h[HeaderRequestID] = []string{id} // non-canonical, as the docs spell it
		if last != nil {
			last.Store(id)
		}
		if c.aes == nil {
			return nil
		}
		v, err := c.aes.header(ctx, c.tc.Now())
		if err != nil {
			if ctx.Err() != nil {
				return c.tc.ContextError(op.Name, ctx.Err(), n > 1)
			}
			return err
		}
		h.Set("Authorization", v)
		return nil
	}
}
