package transport

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"

	"github.com/kyc-go/kyc"
)

// Body is a request body that can be opened once per attempt. Bodies built
// from bytes, files and byte-backed images can be opened again for a retry;
// a body holding an image from a reader opens once, and the transport then
// never retries the call.
//
// Bodies are built as a list of segments: fixed bytes, and images copied
// (or base64-encoded) straight from their source as the request is written,
// so an image is never held in memory more than its source already is.
type Body struct {
	contentType string
	segs        []segment
}

type segment struct {
	fixed []byte
	img   Media
	b64   bool
}

// Media is a file sent in a body and read while the request is written.
// *kyc.Image implements it; vendor packages implement it for other media
// (a liveness video).
type Media interface {
	Open() (io.ReadCloser, error)
	Replayable() bool
	// Size is the length in bytes, or -1 when unknown.
	Size() int64
	ContentType() string
	Filename() string
}

// IsZero reports an empty body (no body is sent).
func (b Body) IsZero() bool { return len(b.segs) == 0 }

// ContentType is the body's Content-Type header value.
func (b Body) ContentType() string { return b.contentType }

// Replayable reports whether the body can be opened more than once.
func (b Body) Replayable() bool {
	for _, s := range b.segs {
		if s.img != nil && !s.img.Replayable() {
			return false
		}
	}
	return true
}

// Len is the body's length in bytes, or -1 when an image's size is unknown.
func (b Body) Len() int64 {
	var n int64
	for _, s := range b.segs {
		switch {
		case s.img == nil:
			n += int64(len(s.fixed))
		case s.img.Size() < 0:
			return -1
		case s.b64:
			n += int64(base64.StdEncoding.EncodedLen(int(s.img.Size())))
		default:
			n += s.img.Size()
		}
	}
	return n
}

// inline returns the bytes of a body of fixed bytes (one segment, no
// image), which can be sent from memory as they are.
func (b Body) inline() ([]byte, bool) {
	if len(b.segs) == 1 && b.segs[0].img == nil {
		return b.segs[0].fixed, true
	}
	return nil, false
}

// Open returns a reader over the whole body. Images are opened now and
// closed with the returned reader.
func (b Body) Open() (io.ReadCloser, error) {
	if len(b.segs) == 1 && b.segs[0].img == nil {
		return io.NopCloser(bytes.NewReader(b.segs[0].fixed)), nil
	}
	readers := make([]io.Reader, 0, len(b.segs))
	var closers []io.Closer
	for _, s := range b.segs {
		if s.img == nil {
			readers = append(readers, bytes.NewReader(s.fixed))
			continue
		}
		rc, err := s.img.Open()
		if err != nil {
			for _, c := range closers {
				_ = c.Close()
			}
			return nil, err
		}
		closers = append(closers, rc)
		if s.b64 {
			readers = append(readers, newBase64Reader(rc))
		} else {
			readers = append(readers, rc)
		}
	}
	return &multiCloser{Reader: io.MultiReader(readers...), closers: closers}, nil
}

type multiCloser struct {
	io.Reader
	closers []io.Closer
}

func (m *multiCloser) Close() error {
	var first error
	for _, c := range m.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Bytes returns a body of fixed bytes.
func Bytes(contentType string, b []byte) Body {
	return Body{contentType: contentType, segs: []segment{{fixed: b}}}
}

// JSON marshals v once into a body.
func JSON(v any) (Body, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return Body{}, err
	}
	return Bytes("application/json", b), nil
}

// Form encodes values as application/x-www-form-urlencoded.
func Form(values url.Values) Body {
	return Bytes("application/x-www-form-urlencoded", []byte(values.Encode()))
}

// Base64 marks an image inside a value given to JSONImages: it is encoded as
// a JSON string holding the image's standard base64, streamed from the
// image's source as the request is written. With Max set, the image is
// capped at Max bytes as it is read (see Limit), and Field names it in the
// error.
type Base64 struct {
	Image *kyc.Image
	Max   int64
	Field string
}

const b64Marker = "\x00kyc-b64:"

func (b Base64) token() string {
	return fmt.Sprintf("%s%p|%d|%s", b64Marker, b.Image, b.Max, b.Field)
}

// MarshalJSON writes a placeholder that JSONImages replaces with the stream.
func (b Base64) MarshalJSON() ([]byte, error) {
	if b.Image == nil {
		return []byte("null"), nil
	}
	return json.Marshal(b.token())
}

// JSONImages marshals v, in which images appear as Base64 values, into a
// body whose images are base64-encoded while the request is written. Every
// Base64 image in v must be listed in images.
func JSONImages(v any, images ...*kyc.Image) (Body, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return Body{}, err
	}
	marker, _ := json.Marshal(b64Marker)
	marker = marker[:len(marker)-1] // keep the opening quote, drop the closing one
	byPtr := make(map[string]*kyc.Image, len(images))
	for _, im := range images {
		byPtr[fmt.Sprintf("%p", im)] = im
	}
	var segs []segment
	rest := raw
	for {
		i := bytes.Index(rest, marker)
		if i < 0 {
			break
		}
		end := bytes.IndexByte(rest[i+1:], '"')
		if end < 0 {
			return Body{}, fmt.Errorf("transport: malformed image placeholder")
		}
		tokLen := 1 + end + 1
		var tok string
		if err := json.Unmarshal(rest[i:i+tokLen], &tok); err != nil {
			return Body{}, fmt.Errorf("transport: malformed image placeholder")
		}
		ptr, capField, _ := strings.Cut(strings.TrimPrefix(tok, b64Marker), "|")
		maxText, field, _ := strings.Cut(capField, "|")
		im, ok := byPtr[ptr]
		if !ok {
			return Body{}, fmt.Errorf("transport: a Base64 image was not passed to JSONImages")
		}
		var media Media = im
		if n, _ := strconv.ParseInt(maxText, 10, 64); n > 0 {
			media = Limit(im, n, field)
		}
		segs = append(segs, segment{fixed: append(rest[:i:i], '"')}, segment{img: media, b64: true})
		rest = rest[i+tokLen-1:] // keep the closing quote
	}
	segs = append(segs, segment{fixed: rest})
	return Body{contentType: "application/json", segs: segs}, nil
}

// LimitError is the failure of a capped Media (Limit) read past its cap.
type LimitError struct {
	Field string
	Max   int64
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%s is larger than the vendor's limit of %s", e.Field, humanBytes(e.Max))
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1000*1000 && n%(1000*1000) == 0:
		return strconv.FormatInt(n/(1000*1000), 10) + " MB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// Limit caps a Media at max bytes. A source of known size over the cap is
// refused when the request is built (CheckLimits); a stream of unknown
// length is counted as it is sent, and the request is aborted before its
// body completes once it passes the cap: the call then fails with
// ErrInvalidRequest naming field, and the vendor never receives a complete
// body.
func Limit(m Media, max int64, field string) Media {
	return &limited{Media: m, max: max, field: field}
}

type limited struct {
	Media
	max   int64
	field string
}

func (l *limited) Open() (io.ReadCloser, error) {
	rc, err := l.Media.Open()
	if err != nil {
		return nil, err
	}
	return &limitReader{rc: rc, left: l.max, err: &LimitError{Field: l.field, Max: l.max}}, nil
}

type limitReader struct {
	rc   io.ReadCloser
	left int64
	err  *LimitError
}

func (r *limitReader) Read(p []byte) (int, error) {
	if r.left < 0 {
		return 0, r.err
	}
	if int64(len(p)) > r.left+1 {
		p = p[:r.left+1]
	}
	n, err := r.rc.Read(p)
	r.left -= int64(n)
	if r.left < 0 {
		return 0, r.err // the byte past the cap is never handed on
	}
	return n, err
}

func (r *limitReader) Close() error { return r.rc.Close() }

// CheckLimits returns the LimitError of the first capped Media of known
// size over its cap, so that such a body is refused before anything is
// sent.
func (b Body) CheckLimits() *LimitError {
	for _, s := range b.segs {
		if l, ok := s.img.(*limited); ok && l.Size() > l.max {
			return &LimitError{Field: l.field, Max: l.max}
		}
	}
	return nil
}

// Part is one part of a multipart/form-data body: a field (Value) or a file
// (Image, or any other Media in File), sent with Filename or the media's
// neutral file name.
type Part struct {
	Name     string
	Value    string
	Image    *kyc.Image
	File     Media
	Filename string
	// Max, when positive, caps the file at Max bytes (see Limit); Field
	// names it in the error (default Name).
	Max   int64
	Field string
}

// Multipart builds a multipart/form-data body whose files stream from their
// images. The boundary is fixed per body, so every attempt sends the same
// bytes.
func Multipart(parts ...Part) (Body, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	var rnd [16]byte
	_, _ = rand.Read(rnd[:])
	if err := mw.SetBoundary("kyc-go-" + hex.EncodeToString(rnd[:])); err != nil {
		return Body{}, err
	}
	var segs []segment
	for _, p := range parts {
		var media Media
		switch {
		case p.Image != nil:
			media = p.Image
		case p.File != nil:
			media = p.File
		}
		if media == nil {
			if err := mw.WriteField(p.Name, p.Value); err != nil {
				return Body{}, err
			}
			continue
		}
		if p.Max > 0 {
			field := p.Field
			if field == "" {
				field = p.Name
			}
			media = Limit(media, p.Max, field)
		}
		name := p.Filename
		if name == "" {
			name = media.Filename()
		}
		h := make(textproto.MIMEHeader)
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, escapeQuotes(p.Name), escapeQuotes(name)))
		h.Set("Content-Type", media.ContentType())
		if _, err := mw.CreatePart(h); err != nil {
			return Body{}, err
		}
		segs = append(segs, segment{fixed: bytes.Clone(buf.Bytes())}, segment{img: media})
		buf.Reset()
	}
	if err := mw.Close(); err != nil {
		return Body{}, err
	}
	segs = append(segs, segment{fixed: bytes.Clone(buf.Bytes())})
	return Body{contentType: mw.FormDataContentType(), segs: segs}, nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"")

func escapeQuotes(s string) string { return quoteEscaper.Replace(s) }

// base64Reader encodes its source as standard base64 while it is read,
// holding at most one chunk.
type base64Reader struct {
	src  io.Reader
	in   []byte
	out  []byte
	pend []byte
	err  error
}

const b64Chunk = 3 * 1024 * 8 // 24 KiB of input per step

func newBase64Reader(src io.Reader) *base64Reader {
	return &base64Reader{src: src, in: make([]byte, b64Chunk), out: make([]byte, base64.StdEncoding.EncodedLen(b64Chunk))}
}

func (r *base64Reader) Read(p []byte) (int, error) {
	for len(r.pend) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		n, err := io.ReadFull(r.src, r.in)
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			err = io.EOF
		}
		if n > 0 {
			base64.StdEncoding.Encode(r.out, r.in[:n])
			r.pend = r.out[:base64.StdEncoding.EncodedLen(n)]
		}
		r.err = err
	}
	n := copy(p, r.pend)
	r.pend = r.pend[n:]
	return n, nil
}
