package kyctest

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
)

// markerPrefix starts the text a magic image carries in a JPEG comment.
const markerPrefix = "kyc-fake:"

// MagicImage returns a small valid JPEG carrying marker in a comment segment, so
// that a fake can choose an outcome from the image it receives, like a test
// card number. An empty marker gives a plain image. size pads the image to
// at least that many bytes (for upload tests); 0 for none.
func MagicImage(marker string, size int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80})
	out := buf.Bytes()
	var com []byte
	if marker != "" {
		com = segment([]byte(markerPrefix + marker))
	}
	pad := size - len(out) - len(com)
	var padding []byte
	for pad > 4 {
		n := min(pad-4, 65533)
		padding = append(padding, segment(bytes.Repeat([]byte{'.'}, n))...)
		pad -= n + 4
	}
	res := make([]byte, 0, len(out)+len(com)+len(padding))
	res = append(res, out[:2]...) // SOI
	res = append(res, com...)
	res = append(res, padding...)
	res = append(res, out[2:]...)
	return res
}

// segment builds a JPEG COM segment.
func segment(text []byte) []byte {
	n := len(text) + 2
	return append([]byte{0xFF, 0xFE, byte(n >> 8), byte(n)}, text...)
}

// ImageMarker returns the marker a magic image carries, or "". It looks at the
// first 64 KiB of the raw image bytes; fakes that receive base64 decode it
// first.
func ImageMarker(b []byte) string {
	head := b[:min(len(b), 64<<10)]
	i := bytes.Index(head, []byte(markerPrefix))
	if i < 0 {
		return ""
	}
	rest := head[i+len(markerPrefix):]
	end := bytes.IndexFunc(rest, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	})
	if end < 0 {
		end = len(rest)
	}
	return strings.ToLower(string(rest[:end]))
}
