package kyc

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"sync"
)

// Image is a photo to send to a provider: a document side or a selfie. It
// checks on creation that the data is a JPEG, PNG or WebP image, and it is
// read as a stream when sent, so a 20 MB photo is not copied three times
// into memory on its way to a vendor that wants base64 in JSON.
//
// An Image from a file or bytes can be read any number of times, so a call
// carrying it can be retried. An Image from a reader can be read once; a call
// carrying it is never retried. An Image is safe for concurrent use.
type Image struct {
	data   []byte
	path   string
	size   int64
	format string

	mu     sync.Mutex
	reader io.Reader
	used   bool
}

// Image formats that providers accept.
const (
	JPEG = "image/jpeg"
	PNG  = "image/png"
	WebP = "image/webp"
)

// sniffLen is how many leading bytes identify a format: the longest
// minimal header, a PNG's signature and IHDR chunk, is 33.
const sniffLen = 64

// ImageFromBytes returns an Image of b. It keeps b without copying it: do
// not modify b while the Image is in use.
func ImageFromBytes(b []byte) (*Image, error) {
	format, err := sniff(b, "kyc.ImageFromBytes")
	if err != nil {
		return nil, err
	}
	return &Image{data: b, size: int64(len(b)), format: format}, nil
}

// ImageFromFile returns an Image read from the file at path each time it is
// sent. The file is opened now to check its format and size, then closed.
func ImageFromFile(path string) (*Image, error) {
	const op = "kyc.ImageFromFile"
	// Stat before opening: opening a FIFO blocks until a writer opens it.
	pre, err := os.Stat(path)
	if err != nil {
		return nil, &Error{Op: op, Kind: ErrInvalidRequest, NotSent: true, Unprocessed: true, Field: "image", Message: "cannot open the image file", Err: err}
	}
	if !pre.Mode().IsRegular() {
		return nil, &Error{Op: op, Kind: ErrInvalidRequest, NotSent: true, Unprocessed: true, Field: "image", Message: "the image path is not a regular file"}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{Op: op, Kind: ErrInvalidRequest, NotSent: true, Unprocessed: true, Field: "image", Message: "cannot open the image file", Err: err}
	}
	defer f.Close()
	// Stat the opened file too: the path may have been swapped in between.
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || !os.SameFile(pre, st) {
		return nil, &Error{Op: op, Kind: ErrInvalidRequest, NotSent: true, Unprocessed: true, Field: "image", Message: "the image path is not a regular file", Err: err}
	}
	head := make([]byte, sniffLen)
	n, _ := io.ReadFull(f, head)
	format, err := sniff(head[:n], op)
	if err != nil {
		return nil, err
	}
	return &Image{path: path, size: st.Size(), format: format}, nil
}

// ImageFromReader returns an Image that reads r once, when it is sent. Its
// leading bytes are read now to check the format. The size is known when r
// has a Len method (bytes.Reader, strings.Reader) and is -1 otherwise.
func ImageFromReader(r io.Reader) (*Image, error) {
	const op = "kyc.ImageFromReader"
	if r == nil {
		return nil, &Error{Op: op, Kind: ErrInvalidRequest, NotSent: true, Unprocessed: true, Field: "image", Message: "the reader is nil"}
	}
	size := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok {
		size = int64(l.Len())
	}
	br := bufio.NewReaderSize(r, 4096)
	head, err := br.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, &Error{Op: op, Kind: ErrInvalidRequest, NotSent: true, Unprocessed: true, Field: "image", Message: "cannot read the image", Err: err}
	}
	format, err := sniff(head, op)
	if err != nil {
		return nil, err
	}
	return &Image{reader: br, size: size, format: format}, nil
}

// sniff identifies JPEG, PNG and WebP by a minimal valid header, not by
// their magic bytes alone:
//
//   - JPEG: the SOI marker, then a marker segment that may follow it (APPn,
//     DQT, DHT, SOFn, DRI, COM, …) with a length of at least 2;
//   - PNG: the signature, then an IHDR chunk of 13 bytes whose width,
//     height, bit depth, colour type and methods are valid, and whose CRC
//     matches;
//   - WebP: a RIFF header naming WEBP, then a VP8, VP8L or VP8X chunk with
//     its signature (the VP8 start code, the VP8L signature byte) or its
//     10-byte header.
//
// b is the image's first sniffLen bytes, or all of it when shorter.
func sniff(b []byte, op string) (string, error) {
	bad := func(msg string) (string, error) {
		return "", &Error{Op: op, Kind: ErrInvalidRequest, NotSent: true, Unprocessed: true, Field: "image", Message: msg}
	}
	switch {
	case len(b) == 0:
		return bad("the image is empty")
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xD8:
		if !jpegHeader(b) {
			return bad("the image starts like a JPEG but has no valid marker segment after its SOI marker")
		}
		return JPEG, nil
	case bytes.HasPrefix(b, pngSignature) || bytes.HasPrefix(pngSignature, b):
		if !pngHeader(b) {
			return bad("the image starts like a PNG but has no valid IHDR chunk after its signature")
		}
		return PNG, nil
	case len(b) >= 4 && string(b[:4]) == "RIFF":
		if !webpHeader(b) {
			return bad("the image is a RIFF file but not a WebP image with a VP8, VP8L or VP8X chunk")
		}
		return WebP, nil
	}
	return bad("the image is not JPEG, PNG or WebP")
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// jpegHeader reports whether b starts with SOI and a marker segment that
// may follow it, with its two-byte length. Fill bytes (0xFF) before the
// marker are allowed, as the JPEG standard allows them.
func jpegHeader(b []byte) bool {
	i := 2
	if i >= len(b) || b[i] != 0xFF {
		return false
	}
	for i < len(b) && b[i] == 0xFF {
		i++
	}
	if i+2 >= len(b) {
		return false
	}
	switch m := b[i]; {
	case m >= 0xE0 && m <= 0xEF: // APPn
	case m >= 0xC0 && m <= 0xCF && m != 0xC8: // SOFn, DHT, DAC (JPG, 0xC8, is reserved)
	case m == 0xDB, m == 0xDD, m == 0xFE: // DQT, DRI, COM
	default:
		return false
	}
	return int(b[i+1])<<8|int(b[i+2]) >= 2
}

// pngHeader reports whether b is the PNG signature followed by a valid IHDR
// chunk (length 13, then the chunk type, its fields and its CRC).
func pngHeader(b []byte) bool {
	const ihdrEnd = 8 + 4 + 4 + 13 + 4
	if len(b) < ihdrEnd || binary.BigEndian.Uint32(b[8:]) != 13 || string(b[12:16]) != "IHDR" {
		return false
	}
	w, h := binary.BigEndian.Uint32(b[16:]), binary.BigEndian.Uint32(b[20:])
	depth, colour := b[24], b[25]
	if w == 0 || h == 0 || w > 1<<31-1 || h > 1<<31-1 || b[26] != 0 || b[27] != 0 || b[28] > 1 {
		return false
	}
	var ok bool
	switch colour {
	case 0: // greyscale
		ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16
	case 3: // palette
		ok = depth == 1 || depth == 2 || depth == 4 || depth == 8
	case 2, 4, 6: // RGB, greyscale and alpha, RGBA
		ok = depth == 8 || depth == 16
	}
	if !ok {
		return false
	}
	return crc32.ChecksumIEEE(b[12:29]) == binary.BigEndian.Uint32(b[29:])
}

// webpHeader reports whether b is a RIFF WEBP header followed by a VP8
// (lossy: frame tag then start code 9D 01 2A), VP8L (lossless: signature
// 0x2F) or VP8X (extended: a 10-byte header) chunk.
func webpHeader(b []byte) bool {
	if len(b) < 20 || string(b[8:12]) != "WEBP" || binary.LittleEndian.Uint32(b[4:]) < 12 {
		return false
	}
	size := binary.LittleEndian.Uint32(b[16:])
	switch string(b[12:16]) {
	case "VP8 ":
		return size >= 10 && len(b) >= 26 && b[23] == 0x9D && b[24] == 0x01 && b[25] == 0x2A
	case "VP8L":
		return size >= 5 && len(b) >= 21 && b[20] == 0x2F
	case "VP8X":
		return size >= 10 && len(b) >= 30
	}
	return false
}

// Open returns a reader over the image's bytes; the caller closes it. Images
// from a file or bytes can be opened again and again; an Image from a reader
// opens once, and later calls fail with ErrInvalidRequest.
func (im *Image) Open() (io.ReadCloser, error) {
	switch {
	case im == nil:
		return nil, &Error{Op: "kyc.Image.Open", Kind: ErrInvalidRequest, NotSent: true, Unprocessed: true, Field: "image", Message: "the image is nil"}
	case im.data != nil:
		return io.NopCloser(bytes.NewReader(im.data)), nil
	case im.path != "":
		f, err := os.Open(im.path)
		if err != nil {
			return nil, &Error{Op: "kyc.Image.Open", Kind: ErrInvalidRequest, NotSent: true, Unprocessed: true, Field: "image", Message: "cannot open the image file", Err: err}
		}
		return f, nil
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.used {
		return nil, &Error{Op: "kyc.Image.Open", Kind: ErrInvalidRequest, NotSent: true, Unprocessed: true, Field: "image",
			Message: "an image from a reader can be read only once"}
	}
	im.used = true
	return io.NopCloser(im.reader), nil
}

// Replayable reports whether the image can be read more than once, and so
// whether a call carrying it may be retried.
func (im *Image) Replayable() bool { return im != nil && (im.data != nil || im.path != "") }

// Size is the image's length in bytes, or -1 when unknown (some readers).
// Vendor packages check their size caps against it before sending.
func (im *Image) Size() int64 {
	if im == nil {
		return 0
	}
	return im.size
}

// ContentType is the image's MIME type: JPEG, PNG or WebP.
func (im *Image) ContentType() string {
	if im == nil {
		return ""
	}
	return im.format
}

// Filename is a neutral file name with the right extension, for multipart
// uploads: "image.jpg", "image.png" or "image.webp". The caller's file name
// is never sent, as it may name the person.
func (im *Image) Filename() string {
	switch im.ContentType() {
	case PNG:
		return "image.png"
	case WebP:
		return "image.webp"
	default:
		return "image.jpg"
	}
}

// String describes the image without its content or file path.
func (im *Image) String() string {
	if im == nil {
		return "<nil image>"
	}
	return fmt.Sprintf("%s, %d bytes", im.format, im.size)
}

// LogValue implements slog.LogValuer: type and size only.
func (im *Image) LogValue() slog.Value {
	if im == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.String("type", im.format), slog.Int64("size", im.size))
}

// GoString keeps %#v from printing the image's bytes or path.
func (im *Image) GoString() string { return "kyc.Image{" + im.String() + "}" }
