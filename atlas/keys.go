package atlas

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kyc-go/kyc"
)

// derivedKey is one salt and the AES key PBKDF2 derives from it and the
// secret.
type derivedKey struct {
	salt  [SaltLen]byte
	block cipher.Block
	gen   uint64    // 1 for a secret's first key, then one more per rotation
	born  time.Time // when it was derived, with the monotonic clock
}

// deriveKey draws a salt and derives its key. The password is the
// secret's UTF-8 bytes: Java's PBEKeySpec hands PBKDF2WithHmacSHA1 a
// char[], which the JDK's PBKDF2KeyImpl.getPasswordBytes encodes as UTF-8,
// so a non-ASCII secret gives the same key in both languages (New refuses a
// secret that is not valid UTF-8, which Java could not hold).
func deriveKey(secret kyc.Secret) (*derivedKey, error) {
	k := &derivedKey{}
	if _, err := rand.Read(k.salt[:]); err != nil {
		return nil, err
	}
	key, err := pbkdf2.Key(sha1.New, secret.Reveal(), k.salt[:], PBKDF2Iterations, KeyLen)
	if err != nil {
		return nil, err
	}
	if k.block, err = aes.NewCipher(key); err != nil {
		return nil, err
	}
	clear(key)
	k.born = time.Now()
	return k, nil
}

// keyRing holds the latest key derived for one secret in this process. It
// is shared by every client of that secret, and runs at most one
// derivation at a time, off the request path, for all of them.
type keyRing struct {
	latest  atomic.Pointer[derivedKey]
	derived atomic.Int64 // derivations run, for tests

	mu     sync.Mutex
	flight chan struct{} // closed when the running derivation ends
	err    error         // the last derivation's failure
}

// done is the channel of a rotation that has nothing to wait for.
var done = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// rotate starts the derivation of the key that follows after (nil: the
// first key) in the background, unless one is running, or the ring has
// already moved past after. It returns a channel closed when the ring has
// a key newer than after, or the derivation failed.
func (r *keyRing) rotate(secret kyc.Secret, after *derivedKey) <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.latest.Load() != after {
		return done
	}
	if r.flight != nil {
		return r.flight
	}
	ch := make(chan struct{})
	r.flight = ch
	go func() {
		k, err := deriveKey(secret)
		r.derived.Add(1)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.err = err
		if err == nil {
			if prev := r.latest.Load(); prev != nil {
				k.gen = prev.gen + 1
			} else {
				k.gen = 1
			}
			r.latest.Store(k)
		}
		r.flight = nil
		close(ch)
	}()
	return ch
}

// wait waits for a rotation's channel, or for ctx. A failed first
// derivation is returned; a failed later one is not, since the current key
// still signs.
func (r *keyRing) wait(ctx context.Context, ch <-chan struct{}) error {
	select {
	case <-ch:
	case <-ctx.Done():
		return ctx.Err() // the derivation goes on and serves the next caller
	}
	if r.latest.Load() != nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	return errNoKey
}

var errNoKey = errors.New("atlas: no key could be derived")

// maxRings bounds the process's key rings: one per distinct secret in use.
const maxRings = 64

// rings is the process's cache of key rings. It is keyed by an HMAC-SHA256
// of the secret under a key drawn at start-up, so no map key holds the
// secret, and a key is worthless outside this process. Past maxRings the
// ring added first is dropped: clients that hold it keep it, and the next
// new client of that secret starts a ring of its own.
var rings ringCache

type ringCache struct {
	once  sync.Once
	key   [32]byte
	mu    sync.Mutex
	m     map[[sha256.Size]byte]*keyRing
	order [][sha256.Size]byte
}

// ring returns the key ring of secret, creating it if needed.
func (c *ringCache) ring(secret kyc.Secret) *keyRing {
	c.once.Do(func() { _, _ = rand.Read(c.key[:]) })
	mac := hmac.New(sha256.New, c.key[:])
	mac.Write([]byte(secret.Reveal()))
	var id [sha256.Size]byte
	mac.Sum(id[:0])

	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.m[id]; ok {
		return r
	}
	if c.m == nil {
		c.m = make(map[[sha256.Size]byte]*keyRing)
	}
	if len(c.order) >= maxRings {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	r := &keyRing{}
	c.m[id] = r
	c.order = append(c.order, id)
	return r
}
