package kyc_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

// pngHead is a PNG signature and an IHDR chunk with the given fields and
// a correct CRC, unless crc is non-zero.
func pngHead(w, h uint32, depth, colour, interlace byte, crc uint32) []byte {
	chunk := binary.BigEndian.AppendUint32([]byte("IHDR"), w)
	chunk = binary.BigEndian.AppendUint32(chunk, h)
	chunk = append(chunk, depth, colour, 0, 0, interlace)
	if crc == 0 {
		crc = crc32.ChecksumIEEE(chunk)
	}
	out := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d"), chunk...)
	return binary.BigEndian.AppendUint32(out, crc)
}

// webpHead is a RIFF WEBP header with one chunk of fourcc and payload.
func webpHead(fourcc string, payload []byte) []byte {
	out := []byte("RIFF")
	out = binary.LittleEndian.AppendUint32(out, uint32(4+8+len(payload)))
	out = append(out, "WEBP"+fourcc...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(payload)))
	return append(out, payload...)
}

func encoded(t *testing.T, enc func(io.Writer, image.Image) error) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	require.NoError(t, enc(&buf, img))
	return buf.Bytes()
}

func TestImageSniffHeaders(t *testing.T) {
	t.Parallel()
	vp8 := []byte{0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x01, 0x00, 0x01, 0x00}
	tests := []struct {
		name string
		data []byte
		want string // "" for a refusal
	}{
		// Valid minimal headers and real encodings.
		{"jpeg APP0", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10}, kyc.JPEG},
		{"jpeg APP1 (Exif)", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x12, 0x34}, kyc.JPEG},
		{"jpeg DQT first", []byte{0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43}, kyc.JPEG},
		{"jpeg SOF0 first", []byte{0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11}, kyc.JPEG},
		{"jpeg DHT first", []byte{0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x1F}, kyc.JPEG},
		{"jpeg COM first", []byte{0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x02}, kyc.JPEG},
		{"jpeg fill bytes", []byte{0xFF, 0xD8, 0xFF, 0xFF, 0xFF, 0xE0, 0x00, 0x10}, kyc.JPEG},
		{"jpeg encoded", encoded(t, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }), kyc.JPEG},
		{"png minimal", pngHead(1, 1, 8, 2, 0, 0), kyc.PNG},
		{"png palette 1-bit interlaced", pngHead(640, 480, 1, 3, 1, 0), kyc.PNG},
		{"png 16-bit RGBA", pngHead(1, 1, 16, 6, 0, 0), kyc.PNG},
		{"png encoded", encoded(t, png.Encode), kyc.PNG},
		{"webp lossy", webpHead("VP8 ", vp8), kyc.WebP},
		{"webp lossless", webpHead("VP8L", []byte{0x2F, 0, 0, 0, 0}), kyc.WebP},
		{"webp extended", webpHead("VP8X", make([]byte, 10)), kyc.WebP},

		// Near misses.
		{"jpeg magic only", []byte{0xFF, 0xD8, 0xFF}, ""},
		{"jpeg SOI only", []byte{0xFF, 0xD8}, ""},
		{"jpeg marker without length", []byte{0xFF, 0xD8, 0xFF, 0xE0}, ""},
		{"jpeg half a length", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00}, ""},
		{"jpeg length 0", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x00}, ""},
		{"jpeg length 1", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01}, ""},
		{"jpeg EOI after SOI", []byte{0xFF, 0xD8, 0xFF, 0xD9, 0x00, 0x10}, ""},
		{"jpeg SOS after SOI", []byte{0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x10}, ""},
		{"jpeg stuffed zero", []byte{0xFF, 0xD8, 0xFF, 0x00, 0x00, 0x10}, ""},
		{"jpeg reserved JPG marker", []byte{0xFF, 0xD8, 0xFF, 0xC8, 0x00, 0x10}, ""},
		{"jpeg no marker prefix", []byte{0xFF, 0xD8, 0x00, 0xE0, 0x00, 0x10}, ""},
		{"jpeg all fill", []byte{0xFF, 0xD8, 0xFF, 0xFF, 0xFF, 0xFF}, ""},
		{"png signature only", []byte("\x89PNG\r\n\x1a\n"), ""},
		{"png half a signature", []byte("\x89PNG"), ""},
		{"png wrong magic", []byte("\x89PNX\r\n\x1a\n"), ""},
		{"png truncated IHDR", pngHead(1, 1, 8, 2, 0, 0)[:28], ""},
		{"png bad CRC", pngHead(1, 1, 8, 2, 0, 1), ""},
		{"png zero width", pngHead(0, 1, 8, 2, 0, 0), ""},
		{"png zero height", pngHead(1, 0, 8, 2, 0, 0), ""},
		{"png huge width", pngHead(1<<31, 1, 8, 2, 0, 0), ""},
		{"png RGB at 4 bits", pngHead(1, 1, 4, 2, 0, 0), ""},
		{"png palette at 16 bits", pngHead(1, 1, 16, 3, 0, 0), ""},
		{"png unknown colour type", pngHead(1, 1, 8, 5, 0, 0), ""},
		{"png unknown interlace", pngHead(1, 1, 8, 2, 2, 0), ""},
		{"png IDAT first", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIDAT"), make([]byte, 17)...), ""},
		{"riff magic only", []byte("RIFF\x00\x00\x00\x00WEBP"), ""},
		{"riff truncated", []byte("RIFF\x00\x00"), ""},
		{"riff wave", append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), make([]byte, 12)...), ""},
		{"webp VP8 without start code", webpHead("VP8 ", make([]byte, 10)), ""},
		{"webp VP8 cut before start code", webpHead("VP8 ", vp8)[:24], ""},
		{"webp VP8L wrong signature", webpHead("VP8L", []byte{0x2E, 0, 0, 0, 0}), ""},
		{"webp VP8X short", webpHead("VP8X", make([]byte, 6)), ""},
		{"webp unknown chunk", webpHead("ALPH", make([]byte, 10)), ""},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00"), ""},
		{"pdf", []byte("%PDF-1.7\n"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "image")
			require.NoError(t, os.WriteFile(path, tt.data, 0o600))
			sources := map[string]func() (*kyc.Image, error){
				"bytes":  func() (*kyc.Image, error) { return kyc.ImageFromBytes(tt.data) },
				"reader": func() (*kyc.Image, error) { return kyc.ImageFromReader(bytes.NewReader(tt.data)) },
				"one byte at a time": func() (*kyc.Image, error) {
					return kyc.ImageFromReader(iotest.OneByteReader(bytes.NewReader(tt.data)))
				},
				"file": func() (*kyc.Image, error) { return kyc.ImageFromFile(path) },
			}
			for src, fn := range sources {
				img, err := fn()
				if tt.want == "" {
					require.ErrorIs(t, err, kyc.ErrInvalidRequest, src)
					var kerr *kyc.Error
					require.ErrorAs(t, err, &kerr, src)
					assert.EqualValues(t, "image", kerr.Field, src)
					assert.Nil(t, img, src)
					continue
				}
				require.NoError(t, err, src)
				assert.Equal(t, tt.want, img.ContentType(), src)
				rc, err := img.Open()
				require.NoError(t, err, src)
				got, err := io.ReadAll(rc)
				require.NoError(t, err, src)
				require.NoError(t, rc.Close())
				assert.Equal(t, tt.data, got, "%s: sniffing consumes nothing", src)
			}
		})
	}
}

func TestImageSniffReaderKeepsLongPrefix(t *testing.T) {
	t.Parallel()
	data := kyctest.MagicImage(kyctest.ImageApproved, 200<<10)
	img, err := kyc.ImageFromReader(iotest.HalfReader(bytes.NewReader(data)))
	require.NoError(t, err)
	rc, err := img.Open()
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	assert.Equal(t, data, got)
}

func TestMagicImagesAreAccepted(t *testing.T) {
	t.Parallel()
	for _, marker := range append([]string{""}, kyctest.MagicInputs()...) {
		for _, size := range []int{0, 2 << 10, 70 << 10} {
			img, err := kyc.ImageFromBytes(kyctest.MagicImage(marker, size))
			require.NoError(t, err, "%q at %d bytes", marker, size)
			assert.Equal(t, kyc.JPEG, img.ContentType())
		}
	}
}
