package ekycid

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

func benchFixture(b *testing.B, name string) []byte {
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkDecodeReplyBaseline is plain encoding/json into the envelope,
// the floor for BenchmarkDecodeReplyOutcome.
func BenchmarkDecodeReplyBaseline(b *testing.B) {
	body := benchFixture(b, "reply_express.json")
	b.ReportAllocs()
	for b.Loop() {
		var v struct {
			Result json.RawMessage `json:"result"`
			Error  *struct{ Code, Message string }
		}
		if err := json.Unmarshal(body, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeReplyOutcome is DecodeReply plus the tolerant Outcome.
func BenchmarkDecodeReplyOutcome(b *testing.B) {
	body := benchFixture(b, "reply_express.json")
	b.ReportAllocs()
	for b.Loop() {
		r, err := DecodeReply(body)
		if err != nil {
			b.Fatal(err)
		}
		if r.Outcome().Document == nil {
			b.Fatal("no document")
		}
	}
}

// The form benchmarks build and read an ExpressKYC body with two 4 MiB
// images, with the liveness video by URL or uploaded; both stream.
func benchForm(b *testing.B, withVideo bool) {
	img, err := kyc.ImageFromBytes(kyctest.MagicImage("", 4<<20))
	if err != nil {
		b.Fatal(err)
	}
	c, err := New(Config{APIKey: kyc.NewSecret("k")})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(2 * img.Size())
	for b.Loop() {
		f := NewForm().media("ocr_image", "Document", MediaImage(img)).media("face_image", "Face", MediaImage(img))
		if withVideo {
			f.sequences([]Sequence{{Checks: []Check{CheckBlink}, Video: VideoFromBytes([]byte("v"), "")}})
		} else {
			f.sequences([]Sequence{{Checks: []Check{CheckBlink}, Video: VideoURL("https://cdn.example.test/v.mp4")}})
		}
		body, err := f.body("bench", c)
		if err != nil {
			b.Fatal(err)
		}
		rc, err := body.Open()
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, rc)
		_ = rc.Close()
	}
}

func BenchmarkFormStreamed(b *testing.B)      { benchForm(b, false) }
func BenchmarkFormUploadedVideo(b *testing.B) { benchForm(b, true) }
