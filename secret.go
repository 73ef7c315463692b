package kyc

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"log/slog"
	"sync"
	"unsafe"

	"github.com/kyc-go/kyc/internal/shape"
)

// Secret holds a credential: an API key, a secret key, a session token. It
// never prints: fmt's verbs (%v, %+v, %#v, %s, %q, %x…), json.Marshal,
// encoding.TextMarshaler users and slog all show "[REDACTED]". Even a struct
// that holds a Secret in an unexported field prints a pointer, not the value.
// Read the value on purpose with Reveal.
//
// Reflection-based dumps do not find the value either: a Secret keeps it
// masked with a key drawn at random when the process starts, so a failing
// testify assert.Equal, a spew or go-cmp dump of a Config shows masked
// bytes only. Two Secrets with the same value are still reflect.DeepEqual
// within one process, so such assertions keep working. The mask is no
// encryption: it keeps credentials out of test logs and crash dumps, not
// from someone who can read the process's memory.
//
// The zero Secret is empty.
type Secret struct {
	v *sealed
}

// sealed is a secret's value XORed with a keystream derived from
// processKey and the value's length, so that equal values give equal
// sealed bytes in one process.
type sealed struct {
	masked []byte
}

// processKey is drawn once per process; it never leaves it.
var processKey = sync.OnceValue(func() [32]byte {
	var k [32]byte
	_, _ = rand.Read(k[:]) // crypto/rand.Read never fails since Go 1.24
	return k
})

// mask XORs b in place with the keystream for a value of len(b) bytes:
// SHA-256(key ‖ length ‖ block counter), block after block.
func mask(b []byte) {
	var in [48]byte
	key := processKey()
	copy(in[:32], key[:])
	binary.BigEndian.PutUint64(in[32:40], uint64(len(b)))
	for off, blk := 0, uint64(0); off < len(b); off, blk = off+sha256.Size, blk+1 {
		binary.BigEndian.PutUint64(in[40:48], blk)
		ks := sha256.Sum256(in[:])
		subtle.XORBytes(b[off:], b[off:], ks[:])
	}
}

// NewSecret wraps s.
func NewSecret(s string) Secret {
	b := []byte(s)
	mask(b)
	return Secret{v: &sealed{masked: b}}
}

const redacted = "[REDACTED]"

// Reveal returns the secret's value. Call it only where the value is sent.
func (s Secret) Reveal() string {
	if s.v == nil || len(s.v.masked) == 0 {
		return ""
	}
	b := append([]byte(nil), s.v.masked...)
	mask(b)
	// b is this call's own copy, never written again: the string may share
	// it, saving a second allocation on every signed attempt.
	return unsafe.String(&b[0], len(b))
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.v == nil || len(s.v.masked) == 0 }

// Equal compares two secrets in constant time.
func (s Secret) Equal(other Secret) bool {
	return subtle.ConstantTimeCompare([]byte(s.Reveal()), []byte(other.Reveal())) == 1
}

// String returns "[REDACTED]".
func (s Secret) String() string { return redacted }

// GoString returns "[REDACTED]".
func (s Secret) GoString() string { return redacted }

// Format prints "[REDACTED]" for every verb.
func (s Secret) Format(f fmt.State, verb rune) { shape.Text(f, verb, s.String, s.GoString) }

// MarshalJSON encodes "[REDACTED]".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText encodes "[REDACTED]".
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }
