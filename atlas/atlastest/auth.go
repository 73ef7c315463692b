package atlastest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/internal/webhook"
	"github.com/kyc-go/kyc/kyctest"
)

// authenticate checks the request's credentials as Atlas does and returns
// "" or why it refused them (for the fake's error message; never the
// credentials themselves).
func (s *Server) authenticate(r *http.Request) string {
	if s.o.auth == atlas.AuthBasic {
		if !webhook.CheckBasic(r, s.o.keyID, kyc.NewSecret(s.o.secret)) {
			return "basic credentials do not match"
		}
		return ""
	}
	return s.checkAES(r.Header.Get("Authorization"))
}

// checkAES decrypts key_id=…,api_key=…,timestamp=… and checks it.
func (s *Server) checkAES(h string) string {
	fields := map[string]string{}
	for _, p := range strings.Split(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok {
			return "malformed Authorization header"
		}
		fields[k] = v
	}
	keyID, apiKey, ts := fields["key_id"], fields["api_key"], fields["timestamp"]
	if keyID == "" || apiKey == "" || ts == "" {
		return "the Authorization header lacks key_id, api_key or timestamp"
	}
	if !kyctest.SameSecret(keyID, s.o.keyID) {
		return "unknown key_id"
	}
	raw, err := base64.StdEncoding.DecodeString(apiKey)
	if err != nil {
		return "api_key is not standard base64"
	}
	if len(raw) < atlas.SaltLen+2*aes.BlockSize || (len(raw)-atlas.SaltLen)%aes.BlockSize != 0 {
		return "api_key has the wrong length"
	}
	salt, iv, ct := raw[:atlas.SaltLen], raw[atlas.SaltLen:atlas.SaltLen+aes.BlockSize], raw[atlas.SaltLen+aes.BlockSize:]
	block, err := aes.NewCipher(s.key(salt))
	if err != nil {
		return "internal"
	}
	plain := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, ct)
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > aes.BlockSize || pad > len(plain) {
		return "api_key does not decrypt (wrong secret?)"
	}
	for _, b := range plain[len(plain)-pad:] {
		if int(b) != pad {
			return "api_key does not decrypt (wrong secret?)"
		}
	}
	plain = plain[:len(plain)-pad]
	want := s.o.keyID + "|" + s.o.secret + "|" + ts
	if !kyctest.SameSecret(string(plain), want) {
		return "api_key does not hold KEY_ID|KEY_SECRET|TIMESTAMP for this key and timestamp"
	}
	t, err := s.layout.ParseIn(ts, s.o.loc)
	if err != nil {
		return "the timestamp does not have the layout " + s.layout.String()
	}
	now := s.o.now()
	if d := now.Sub(t); d > s.o.freshness || d < -s.o.freshness {
		return "the timestamp is not fresh"
	}
	return ""
}

// key derives (or recalls) the PBKDF2 key of a salt. Clients reuse a salt
// for a while, so the cache saves a derivation per request.
func (s *Server) key(salt []byte) []byte {
	s.mu.Lock()
	k, ok := s.keys[string(salt)]
	s.mu.Unlock()
	if ok {
		return k
	}
	k, _ = pbkdf2.Key(sha1.New, s.o.secret, salt, atlas.PBKDF2Iterations, atlas.KeyLen)
	s.mu.Lock()
	if len(s.keys) > 4096 {
		clear(s.keys)
	}
	s.keys[string(salt)] = k
	s.mu.Unlock()
	return k
}

// checkRequestID refuses a missing, non-alphanumeric or reused request_id.
func (s *Server) checkRequestID(r *http.Request) string {
	id := r.Header.Get(atlas.HeaderRequestID)
	if id == "" {
		return "request_id is missing"
	}
	if len(id) > 128 {
		return "request_id is too long"
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "request_id has special characters"
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[id] {
		return "request_id was already used"
	}
	s.seen[id] = true
	return ""
}
