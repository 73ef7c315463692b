package kyc

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"time"
)

// Claim is the Router's idempotency record of one Request.ID, kept in the
// ResultStore: the first Verify with an ID claims it before anything is
// sent, and every later Verify with the same ID, in any replica, reads the
// claim instead of sending again.
type Claim struct {
	// ID is the Request.ID (validated: at most MaxIDLength bytes, no
	// control characters). Compared byte for byte.
	ID string
	// Fingerprint identifies the Request (see RequestFingerprint), so a
	// different Request under a claimed ID is refused rather than merged.
	Fingerprint string
	// State is where the claimed Verify is.
	State ClaimState
	// Reference is the verification's Reference once the Verify returned
	// one (ClaimDone), or the Reference of a billable start carried by a
	// failure (ClaimUnknown).
	Reference string
	// Expires is when the store forgets the claim: a claim past it is
	// treated as absent. The Router sets it to now plus its idempotency
	// window (see WithIdempotencyWindow).
	Expires time.Time
}

// ClaimState is the state of a Claim.
type ClaimState string

const (
	// ClaimRunning: a Verify holds the claim and has not finished. Others
	// with the same ID wait for it, within their context.
	ClaimRunning ClaimState = "running"
	// ClaimDone: the Verify returned a Result under Reference; others get
	// the stored Result.
	ClaimDone ClaimState = "done"
	// ClaimUnknown: the Verify failed after something may have been sent
	// and charged or texted, without a Result. Others under the same ID get
	// an error saying so, and send nothing: reconcile first (by Reference
	// when there is one), then use a new ID on purpose.
	ClaimUnknown ClaimState = "unknown"
	// ClaimReleased is what Settle is given when the Verify failed with
	// nothing sent: the store deletes the claim, and the ID may be used
	// again at once.
	ClaimReleased ClaimState = "released"
)

// RequestFingerprint returns a digest that identifies req for the
// idempotency claim: a SHA-256 over every field (images by a digest of
// their bytes, or by path and size for an image read from a file). It is
// derived from personal data, so a store keeps it as such; it is erased
// with the claim.
func RequestFingerprint(req Request) string {
	h := sha256.New()
	str := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	str(req.ID)
	str(req.Country)
	str(string(req.Document.Type))
	str(req.Document.Number)
	imageFingerprint(h, req.Document.Front)
	imageFingerprint(h, req.Document.Back)
	imageFingerprint(h, req.Selfie)
	str(req.Person.FullName)
	str(req.Person.DateOfBirth.UTC().Format(time.RFC3339Nano))
	str(req.Person.Phone)
	str(req.Person.Email)
	str(req.Link.ReturnURL)
	str(req.Link.FailReturnURL)
	str(req.Link.Message)
	str(req.Link.Sender)
	str(req.Link.SendAt.UTC().Format(time.RFC3339Nano))
	if req.Link.Language != "" {
		// Only when set, so that the fingerprints of claims made before
		// the field existed stay the same.
		str(req.Link.Language)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func imageFingerprint(h hash.Hash, img *Image) {
	switch {
	case img == nil:
		h.Write([]byte{0})
	case img.data != nil:
		h.Write([]byte{1})
		d := sha256.Sum256(img.data)
		h.Write(d[:])
	default:
		// A file or a stream: reading it here would consume it. The path
		// and size stand for it.
		h.Write([]byte{2})
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(img.size))
		h.Write(n[:])
		h.Write([]byte(img.path))
		h.Write([]byte(img.format))
	}
}
