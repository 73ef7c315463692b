package atlas

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas/internal/tslayout"
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
// milliseconds of CPU per request. The server reads the salt from each
// api_key, so a salt may be reused: the signer derives a key once per salt
// and reuses it with a fresh random IV per header, drawing a new salt every
// rotate. It is safe for concurrent use; at most one derivation runs at a
// time and concurrent callers share its result.
type aesSigner struct {
	keyID  string
	secret kyc.Secret
	layout tslayout.Layout
	loc    *time.Location
	rotate time.Duration // < 0: a new key for every header
	now    func() time.Time

	mu  sync.RWMutex
	cur *derivedKey
}

type derivedKey struct {
	salt  [SaltLen]byte
	block cipher.Block
	at    time.Time
}

// derive draws a salt and derives its key. The password is the secret's
// UTF-8 bytes: Java's PBEKeySpec hands PBKDF2WithHmacSHA1 a char[], which
// the JDK's PBKDF2KeyImpl.getPasswordBytes encodes as UTF-8, so a non-ASCII
// secret gives the same key in both languages (New refuses a secret that is
// not valid UTF-8, which Java could not hold).
func (s *aesSigner) derive(now time.Time) (*derivedKey, error) {
	k := &derivedKey{at: now}
	if _, err := rand.Read(k.salt[:]); err != nil {
		return nil, err
	}
	key, err := pbkdf2.Key(sha1.New, s.secret.Reveal(), k.salt[:], PBKDF2Iterations, KeyLen)
	if err != nil {
		return nil, err
	}
	if k.block, err = aes.NewCipher(key); err != nil {
		return nil, err
	}
	return k, nil
}

func (s *aesSigner) fresh(k *derivedKey, now time.Time) bool {
	if k == nil || s.rotate < 0 {
		return false
	}
	age := now.Sub(k.at)
	return age < s.rotate && age > -s.rotate
}

// key returns the current derived key, deriving a new one when the salt is
// due for rotation.
func (s *aesSigner) key(now time.Time) (*derivedKey, error) {
	if s.rotate < 0 {
		return s.derive(now)
	}
	s.mu.RLock()
	k := s.cur
	s.mu.RUnlock()
	if s.fresh(k, now) {
		return k, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fresh(s.cur, now) {
		return s.cur, nil
	}
	k, err := s.derive(now)
	if err != nil {
		return nil, err
	}
	s.cur = k
	return k, nil
}

// header returns the Authorization value for one attempt at time now.
func (s *aesSigner) header(now time.Time) (string, error) {
	k, err := s.key(now)
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

// attemptSigner returns the per-request signer that sets a fresh request_id
// on each attempt and remembers the last one sent.
func attemptSigner(callID string, last *atomic.Value) func(context.Context, http.Header) error {
	var attempt atomic.Int32
	return func(_ context.Context, h http.Header) error {
		n := attempt.Add(1)
		id := callID + string(appendBase36(nil, uint64(n)%(36*36), 2))
		h[HeaderRequestID] = []string{id} // non-canonical, as the docs spell it
		last.Store(id)
		return nil
	}
}
