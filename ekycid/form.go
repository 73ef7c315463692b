package ekycid

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// Size limits of this package. The vendor publishes none; these keep a
// mistaken upload from leaving the process. Each file of a form is capped
// as it is sent (transport.Part.Max): a file of known size over its cap is
// refused before anything is sent, and a stream of unknown length
// (kyc.ImageFromReader) is aborted before its body completes, with
// kyc.ErrInvalidRequest naming the field. The ekycidtest fake refuses larger
// files too.
const (
	MaxImageSize = 20 << 20
	MaxVideoSize = 50 << 20
)

// Media is an image the vendor reads: either a URL it fetches (the form the
// vendor's Node SDK uses) or an image uploaded in the request. Set one.
type Media struct {
	URL   string
	Image *kyc.Image
}

// MediaURL returns Media the vendor fetches from u.
func MediaURL(u string) Media { return Media{URL: u} }

// MediaImage returns Media uploaded from img.
func MediaImage(img *kyc.Image) Media { return Media{Image: img} }

// IsZero reports that neither a URL nor an image is set.
func (m Media) IsZero() bool { return m.URL == "" && m.Image == nil }

// Video is a liveness video: a URL the vendor fetches, or bytes uploaded in
// the request. It is not a kyc.Image, which holds photos only.
type Video struct {
	URL         string
	data        []byte
	contentType string
}

// VideoURL returns a Video the vendor fetches from u.
func VideoURL(u string) Video { return Video{URL: u} }

// VideoFromBytes returns a Video uploaded from b, of the given MIME type
// (such as "video/mp4"; empty means "video/mp4"). b is kept, not copied,
// and streamed into the request.
func VideoFromBytes(b []byte, contentType string) Video {
	if contentType == "" {
		contentType = "video/mp4"
	}
	return Video{data: b, contentType: contentType}
}

// IsZero reports that the video has neither a URL nor content.
func (v Video) IsZero() bool { return v.URL == "" && len(v.data) == 0 }

// Size is the uploaded video's length, 0 for a URL.
func (v Video) Size() int { return len(v.data) }

// String describes the video without its content or URL.
func (v Video) String() string {
	if v.URL != "" {
		return "video by URL"
	}
	return fmt.Sprintf("%s, %d bytes", v.contentType, len(v.data))
}

// Check is one liveness challenge the person performs in a video.
type Check string

// The checks the vendor's routes accept (fastify-routes schema enum).
const (
	CheckLeft  Check = "left"
	CheckRight Check = "right"
	CheckBlink Check = "blink"
)

// Sequence is one liveness video and the checks performed in it. The vendor's
// SDK sends one check per sequence; several are joined with commas
// (inferred).
type Sequence struct {
	Checks []Check
	Video  Video
}

// Form is a multipart/form-data body for the vendor: the typed operations
// build one, and Call accepts one for endpoints this package does not type.
// NewForm gives it a fresh idempotent_id.
type Form struct {
	idempotentID string
	fields       []formField
}

type formField struct {
	name  string
	field string // the caller's name for it, in errors
	value string
	image *kyc.Image
	video *Video
}

// NewForm returns a Form carrying a fresh idempotent_id (a random UUID v4).
func NewForm() *Form { return &Form{idempotentID: newUUID()} }

// newFormWithID uses id as the idempotent_id, or a fresh one when empty.
func newFormWithID(id string) *Form {
	if id == "" {
		return NewForm()
	}
	return &Form{idempotentID: id}
}

// IdempotentID returns the form's idempotent_id.
func (f *Form) IdempotentID() string { return f.idempotentID }

// Set adds a text field.
func (f *Form) Set(name, value string) *Form {
	f.fields = append(f.fields, formField{name: name, value: value})
	return f
}

// SetImage adds an uploaded image, capped at MaxImageSize.
func (f *Form) SetImage(name string, img *kyc.Image) *Form {
	f.fields = append(f.fields, formField{name: name, field: name, image: img})
	return f
}

// SetVideo adds an uploaded video, capped at MaxVideoSize, or its URL as a
// text field when it has one.
func (f *Form) SetVideo(name string, v Video) *Form {
	if v.URL != "" {
		return f.Set(name, v.URL)
	}
	f.fields = append(f.fields, formField{name: name, field: name, video: &v})
	return f
}

// media adds m as "<name>_url" when it is a URL or as the file "<name>"
// when it is an upload; field is the caller's name for it, in errors. The
// upload field names follow the vendor's browser SDK (ocr_image,
// face_image); for the other operations they are inferred.
func (f *Form) media(name, field string, m Media) *Form {
	if m.URL != "" {
		return f.Set(name+"_url", m.URL)
	}
	f.fields = append(f.fields, formField{name: name, field: field, image: m.Image})
	return f
}

func (f *Form) sequences(seqs []Sequence) *Form {
	for i, s := range seqs {
		checks := make([]string, len(s.Checks))
		for j, c := range s.Checks {
			checks[j] = string(c)
		}
		f.Set(fmt.Sprintf("sequences[%d][checks]", i), strings.Join(checks, ","))
		if s.Video.URL != "" {
			f.Set(fmt.Sprintf("sequences[%d][video_url]", i), s.Video.URL)
		} else {
			v := s.Video
			f.fields = append(f.fields, formField{name: fmt.Sprintf("sequences[%d][video]", i),
				field: fmt.Sprintf("Sequences[%d].Video", i), video: &v})
		}
	}
	return f
}

// body builds the transport body once: images and uploaded videos stream
// from their source as the request is written, capped as they are sent,
// and every attempt sends the same bytes (same boundary, same
// idempotent_id).
func (f *Form) body(op string, c *Client) (transport.Body, error) {
	parts := make([]transport.Part, 0, len(f.fields)+1)
	if f.idempotentID != "" {
		parts = append(parts, transport.Part{Name: "idempotent_id", Value: f.idempotentID})
	}
	for _, fl := range f.fields {
		switch {
		case fl.video != nil:
			parts = append(parts, transport.Part{Name: fl.name, File: videoMedia{fl.video}, Max: MaxVideoSize, Field: fl.field})
		case fl.image != nil:
			parts = append(parts, transport.Part{Name: fl.name, Image: fl.image, Max: MaxImageSize, Field: fl.field})
		default:
			if !transport.SafeText(fl.name) || !transport.SafeText(fl.value) {
				return transport.Body{}, c.tc.Invalid(op, fl.name, "must not contain control characters")
			}
			parts = append(parts, transport.Part{Name: fl.name, Value: fl.value})
		}
	}
	b, err := transport.Multipart(parts...)
	if err != nil {
		return transport.Body{}, c.tc.Invalid(op, "form", "cannot build the multipart body")
	}
	return b, nil
}

// videoMedia streams an uploaded video as a multipart file part.
type videoMedia struct{ v *Video }

func (m videoMedia) Open() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(m.v.data)), nil
}
func (m videoMedia) Replayable() bool    { return true }
func (m videoMedia) Size() int64         { return int64(len(m.v.data)) }
func (m videoMedia) ContentType() string { return m.v.contentType }
func (m videoMedia) Filename() string    { return videoFilename(m.v.contentType) }

// videoFilename is a neutral name: the caller's file name may name the person.
func videoFilename(contentType string) string {
	switch contentType {
	case "video/webm":
		return "video.webm"
	case "video/quicktime":
		return "video.mov"
	default:
		return "video.mp4"
	}
}

// newUUID returns a random (version 4) UUID from crypto/rand.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// isUUID reports whether s has the 8-4-4-4-12 hexadecimal form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// checkURL accepts an absolute http(s) URL for the vendor to fetch.
func checkURL(raw string) bool {
	if len(raw) > kyc.MaxURLLength || !transport.SafeText(raw) {
		return false
	}
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
