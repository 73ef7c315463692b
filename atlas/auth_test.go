package atlas_test

import (
	"context"
	"crypto/aes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/internal/testutil"
)

// The independent implementation of the vendor's algorithm, written from
// the Java sample and the JDK rather than from package atlas: PBKDF2 by
// RFC 8018 over crypto/hmac, CBC chaining and PKCS#7 unpadding by hand.

// javaPasswordBytes is what the JDK's PBKDF2KeyImpl does with the char[]
// of a PBEKeySpec: it UTF-8-encodes the UTF-16 code units.
func javaPasswordBytes(s string) []byte {
	units := utf16.Encode([]rune(s)) // String.toCharArray()
	var out []byte
	for _, r := range utf16.Decode(units) { // UTF_8.encode(CharBuffer.wrap(chars))
		out = utf8.AppendRune(out, r)
	}
	return out
}

func pbkdf2HMACSHA1(password, salt []byte, iterations, keyLen int) []byte {
	prf := hmac.New(sha1.New, password)
	var dk []byte
	for block := uint32(1); len(dk) < keyLen; block++ {
		prf.Reset()
		prf.Write(salt)
		var ctr [4]byte
		binary.BigEndian.PutUint32(ctr[:], block)
		prf.Write(ctr[:])
		u := prf.Sum(nil)
		t := append([]byte(nil), u...)
		for i := 1; i < iterations; i++ {
			prf.Reset()
			prf.Write(u)
			u = prf.Sum(u[:0])
			for j := range t {
				t[j] ^= u[j]
			}
		}
		dk = append(dk, t...)
	}
	return dk[:keyLen]
}

// decryptAPIKey reverses the Java sample's EncryptionUtils.encrypt.
func decryptAPIKey(t *testing.T, apiKey, secret string) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(apiKey)
	require.NoError(t, err, "api_key is standard base64 with padding")
	require.GreaterOrEqual(t, len(raw), 20+16+16)
	require.Zero(t, (len(raw)-36)%16)
	salt, iv, ct := raw[:20], raw[20:36], raw[36:]
	key := pbkdf2HMACSHA1(javaPasswordBytes(secret), salt, 65556, 32)
	block, err := aes.NewCipher(key)
	require.NoError(t, err)
	plain := make([]byte, len(ct))
	prev := iv
	for i := 0; i < len(ct); i += 16 {
		block.Decrypt(plain[i:i+16], ct[i:i+16])
		for j := 0; j < 16; j++ {
			plain[i+j] ^= prev[j]
		}
		prev = ct[i : i+16]
	}
	pad := int(plain[len(plain)-1])
	require.True(t, pad >= 1 && pad <= 16, "PKCS#7 padding")
	for _, b := range plain[len(plain)-pad:] {
		require.Equal(t, byte(pad), b, "PKCS#7 padding")
	}
	return string(plain[:len(plain)-pad])
}

// parseAuth splits key_id=…,api_key=…,timestamp=….
func parseAuth(t *testing.T, h string) (keyID, apiKey, ts string) {
	t.Helper()
	parts := strings.Split(h, ",")
	require.Len(t, parts, 3, h)
	for i, name := range []string{"key_id", "api_key", "timestamp"} {
		k, v, ok := strings.Cut(parts[i], "=")
		require.True(t, ok)
		require.Equal(t, name, k)
		switch i {
		case 0:
			keyID = v
		case 1:
			apiKey = v
		case 2:
			ts = v
		}
	}
	return
}

// captureHeaders returns a client whose requests' headers are recorded.
func captureHeaders(t *testing.T, cfg atlas.Config, opts ...kyc.Option) (*atlas.Client, func() []http.Header) {
	t.Helper()
	hc, mt := testutil.MockHTTP(t)
	var mu sync.Mutex
	var seen []http.Header
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		return httpmock.NewStringResponse(200, `{"status":"success","data":{"status":"ok"},"error":null}`), nil
	})
	c, err := atlas.New(cfg, append([]kyc.Option{kyc.WithHTTPClient(hc)}, opts...)...)
	require.NoError(t, err)
	return c, func() []http.Header {
		mu.Lock()
		defer mu.Unlock()
		return append([]http.Header(nil), seen...)
	}
}

func TestAuthHeaderDecryptsIndependently(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 1, 31, 18, 29, 59, 123_000_000, time.UTC) // 23:59:59.123 IST
	tests := []struct {
		name, keyID, secret string
		layout              string
		loc                 *time.Location
		wantTS              string
	}{
		{"ascii, docs layout", "abeb3372test", "plainSecret123", "", nil, "20240131235959123"},
		{"latin-1 secret", "abeb3372test", "s3cr3t-Key_Ü", "", nil, "20240131235959123"},
		{"cyrillic and CJK", "k1", "пароль-秘密", "", nil, "20240131235959123"},
		{"astral plane (a UTF-16 surrogate pair in Java)", "k2", "key🔑émoji", "", nil, "20240131235959123"},
		{"sample layout", "abeb3372test", "naïve-ß", "ddMMyyyyHHmmss", nil, "31012024235959"},
		{"UTC zone", "abeb3372test", "plainSecret123", "yyyyMMddHHmmssSSS", time.UTC, "20240131182959123"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, headers := captureHeaders(t, atlas.Config{KeyID: tt.keyID, KeySecret: kyc.NewSecret(tt.secret),
				TimestampLayout: tt.layout, Location: tt.loc}, kyc.WithClock(func() time.Time { return at }))
			_, err := c.VerificationStatus(context.Background(), "pan", "x1")
			require.NoError(t, err)
			hs := headers()
			require.Len(t, hs, 1)
			keyID, apiKey, ts := parseAuth(t, hs[0].Get("Authorization"))
			assert.Equal(t, tt.keyID, keyID)
			assert.Equal(t, tt.wantTS, ts, "timestamp from the client clock, in the configured layout and zone")
			plain := decryptAPIKey(t, apiKey, tt.secret)
			parts := strings.Split(plain, "|")
			require.Len(t, parts, 3)
			assert.Equal(t, tt.keyID, parts[0])
			assert.Equal(t, tt.secret, parts[1])
			assert.Equal(t, ts, parts[2], "the plaintext's timestamp equals the header's")
		})
	}
}

func TestAuthHeaderFreshPerAttemptAndSaltReused(t *testing.T) {
	now := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c, headers := captureHeaders(t, atlas.Config{KeyID: "kid", KeySecret: kyc.NewSecret(uniqueSecret("sec-rotation-test"))}, kyc.WithClock(clock))
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		_, err := c.VerificationStatus(ctx, "pan", "x")
		require.NoError(t, err)
	}
	mu.Lock()
	now = now.Add(61 * time.Minute) // past the default hourly rotation
	mu.Unlock()
	// The first header past the rotation keeps the current salt: the next
	// key is being derived in the background, and nobody waits for it.
	_, err := c.VerificationStatus(ctx, "pan", "x")
	require.NoError(t, err)
	require.NoError(t, c.Warm(ctx), "waits for the next key and takes it up")
	_, err = c.VerificationStatus(ctx, "pan", "x")
	require.NoError(t, err)

	hs := headers()
	require.Len(t, hs, 5)
	salts := map[string]int{}
	ivs := map[string]bool{}
	for _, h := range hs {
		_, apiKey, _ := parseAuth(t, h.Get("Authorization"))
		raw, err := base64.StdEncoding.DecodeString(apiKey)
		require.NoError(t, err)
		salts[string(raw[:20])]++
		ivs[string(raw[20:36])] = true
	}
	assert.Len(t, ivs, 5, "a fresh IV per header")
	assert.Len(t, salts, 2, "one salt for the first hour, a new one after rotation")
	_, first, _ := parseAuth(t, hs[0].Get("Authorization"))
	_, fourth, _ := parseAuth(t, hs[3].Get("Authorization"))
	_, fifth, _ := parseAuth(t, hs[4].Get("Authorization"))
	r1, _ := base64.StdEncoding.DecodeString(first)
	r4, _ := base64.StdEncoding.DecodeString(fourth)
	r5, _ := base64.StdEncoding.DecodeString(fifth)
	assert.Equal(t, r1[:20], r4[:20], "the current salt signs until the next key is ready")
	assert.NotEqual(t, r1[:20], r5[:20], "the next salt once it is")
}

// TestWarm: Warm derives the key before any request, and clients of the
// same secret share it.
func TestWarm(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := atlas.Config{KeyID: "kid", KeySecret: kyc.NewSecret(uniqueSecret("sec-warm-test"))}
	c, headers := captureHeaders(t, cfg)
	require.NoError(t, c.Warm(ctx))
	_, err := c.VerificationStatus(ctx, "pan", "x")
	require.NoError(t, err)
	other, otherHeaders := captureHeaders(t, cfg)
	start := time.Now()
	_, err = other.VerificationStatus(ctx, "pan", "x")
	require.NoError(t, err)
	t.Logf("a second client's first call: %v", time.Since(start))
	_, k1, _ := parseAuth(t, headers()[0].Get("Authorization"))
	_, k2, _ := parseAuth(t, otherHeaders()[0].Get("Authorization"))
	r1, _ := base64.StdEncoding.DecodeString(k1)
	r2, _ := base64.StdEncoding.DecodeString(k2)
	assert.Equal(t, r1[:20], r2[:20], "clients with the same secret share the derived key")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	cold, _ := captureHeaders(t, atlas.Config{KeyID: "kid", KeySecret: kyc.NewSecret(uniqueSecret("sec-warm-cancelled"))})
	err = cold.Warm(cancelled)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, err, kyc.ErrTimeout)

	basic, _ := captureHeaders(t, atlas.Config{KeyID: "k", KeySecret: kyc.NewSecret("s"), Auth: atlas.AuthBasic})
	assert.NoError(t, basic.Warm(cancelled), "nothing to derive with Basic auth")
}

func TestSaltRotationNegativeDerivesPerHeader(t *testing.T) {
	t.Parallel()
	c, headers := captureHeaders(t, atlas.Config{KeyID: "kid", KeySecret: kyc.NewSecret("sec"), SaltRotation: -1})
	for i := 0; i < 2; i++ {
		_, err := c.VerificationStatus(context.Background(), "pan", "x")
		require.NoError(t, err)
	}
	hs := headers()
	require.Len(t, hs, 2)
	_, k1, _ := parseAuth(t, hs[0].Get("Authorization"))
	_, k2, _ := parseAuth(t, hs[1].Get("Authorization"))
	r1, _ := base64.StdEncoding.DecodeString(k1)
	r2, _ := base64.StdEncoding.DecodeString(k2)
	assert.NotEqual(t, r1[:20], r2[:20], "a new salt per header, as the vendor sample does")
}

func TestBasicAuthHeader(t *testing.T) {
	t.Parallel()
	c, headers := captureHeaders(t, atlas.Config{KeyID: "k-1", KeySecret: kyc.NewSecret("s-ü"), Auth: atlas.AuthBasic})
	_, err := c.VerificationStatus(context.Background(), "pan", "x")
	require.NoError(t, err)
	h := headers()[0].Get("Authorization")
	assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte("k-1:s-ü")), h)
}

func TestRequestIDsDistinctUnderConcurrency(t *testing.T) {
	c, headers := captureHeaders(t, atlas.Config{KeyID: "kid", KeySecret: kyc.NewSecret("sec")}, kyc.WithRetry(0, 0))
	// 2,000 calls, 256 at a time, test the generator under concurrency as
	// 10,000 did (and -race watches it), at a fifth of the suite's time.
	const n = 2_000
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 256)
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := c.VerificationStatus(context.Background(), "pan", "x"); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	ids := map[string]bool{}
	for _, h := range headers() {
		//lint:ignore SA1008 the client sends the header as the docs spell it, not canonicalized
		v := h["request_id"]
		require.Len(t, v, 1)
		for _, r := range v[0] {
			require.True(t, r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z', "letters and digits only: %q", v[0])
		}
		ids[v[0]] = true
	}
	assert.Len(t, ids, n, "every request carries a distinct request_id")
}

func TestNewRefusesBadConfig(t *testing.T) {
	t.Parallel()
	sec := kyc.NewSecret("s")
	tests := []struct {
		name  string
		cfg   atlas.Config
		field string
	}{
		{"no key id", atlas.Config{KeySecret: sec}, "KeyID"},
		{"comma in key id", atlas.Config{KeyID: "a,b", KeySecret: sec}, "KeyID"},
		{"colon in basic key id", atlas.Config{KeyID: "a:b", KeySecret: sec, Auth: atlas.AuthBasic}, "KeyID"},
		{"no secret", atlas.Config{KeyID: "k"}, "KeySecret"},
		{"invalid UTF-8 secret", atlas.Config{KeyID: "k", KeySecret: kyc.NewSecret("\xff\xfe")}, "KeySecret"},
		{"Go layout", atlas.Config{KeyID: "k", KeySecret: sec, TimestampLayout: "20060102150405"}, "TimestampLayout"},
		{"unknown letters", atlas.Config{KeyID: "k", KeySecret: sec, TimestampLayout: "yyyyMMddhhmmss a"}, "TimestampLayout"},
		{"bad auth", atlas.Config{KeyID: "k", KeySecret: sec, Auth: 7}, "Auth"},
		{"newline in key id", atlas.Config{KeyID: "k\nx", KeySecret: sec}, "KeyID"},
		{"control character in secret", atlas.Config{KeyID: "k", KeySecret: kyc.NewSecret("s\x00")}, "KeySecret"},
		{"threshold", atlas.Config{KeyID: "k", KeySecret: sec, FaceMatchThreshold: 1.5}, "FaceMatchThreshold"},
		{"review above match", atlas.Config{KeyID: "k", KeySecret: sec, FaceMatchThreshold: 0.5, FaceReviewThreshold: 0.7}, "FaceReviewThreshold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := atlas.New(tt.cfg)
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.True(t, errors.As(err, &kerr))
			assert.EqualValues(t, tt.field, kerr.Field)
			assert.NotContains(t, err.Error(), "\xff")
			assert.True(t, kerr.NotSent && kerr.Unprocessed, "nothing was sent")
		})
	}
	_, err := atlas.New(atlas.Config{KeyID: "k", KeySecret: sec}, kyc.WithBaseURL("http://api.example.com"))
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest, "plain http to a non-loopback host")
}

// uniqueSecret makes a secret no other test, nor an earlier run of the same
// test (-count), has used: the derived keys of a secret are shared by the
// whole process.
func uniqueSecret(prefix string) string {
	return prefix + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
}
