package kyc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
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

// sniffLen is how many leading bytes identify a format.
const sniffLen = 12

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
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{Op: op, Kind: ErrInvalidRequest, Field: "image", Message: "cannot open the image file", Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil, &Error{Op: op, Kind: ErrInvalidRequest, Field: "image", Message: "the image path is not a regular file", Err: err}
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
		return nil, &Error{Op: op, Kind: ErrInvalidRequest, Field: "image", Message: "the reader is nil"}
	}
	size := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok {
		size = int64(l.Len())
	}
	br := bufio.NewReaderSize(r, 64)
	head, err := br.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, &Error{Op: op, Kind: ErrInvalidRequest, Field: "image", Message: "cannot read the image", Err: err}
	}
	format, err := sniff(head, op)
	if err != nil {
		return nil, err
	}
	return &Image{reader: br, size: size, format: format}, nil
}

// sniff identifies JPEG, PNG and WebP by their leading bytes.
func sniff(b []byte, op string) (string, error) {
	switch {
	case len(b) == 0:
		return "", &Error{Op: op, Kind: ErrInvalidRequest, Field: "image", Message: "the image is empty"}
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return JPEG, nil
	case len(b) >= 8 && bytes.Equal(b[:8], []byte("\x89PNG\r\n\x1a\n")):
		return PNG, nil
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return WebP, nil
	}
	return "", &Error{Op: op, Kind: ErrInvalidRequest, Field: "image", Message: "the image is not JPEG, PNG or WebP"}
}

// Open returns a reader over the image's bytes; the caller closes it. Images
// from a file or bytes can be opened again and again; an Image from a reader
// opens once, and later calls fail with ErrInvalidRequest.
func (im *Image) Open() (io.ReadCloser, error) {
	switch {
	case im == nil:
		return nil, &Error{Op: "kyc.Image.Open", Kind: ErrInvalidRequest, Field: "image", Message: "the image is nil"}
	case im.data != nil:
		return io.NopCloser(bytes.NewReader(im.data)), nil
	case im.path != "":
		f, err := os.Open(im.path)
		if err != nil {
			return nil, &Error{Op: "kyc.Image.Open", Kind: ErrInvalidRequest, Field: "image", Message: "cannot open the image file", Err: err}
		}
		return f, nil
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.used {
		return nil, &Error{Op: "kyc.Image.Open", Kind: ErrInvalidRequest, Field: "image",
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
