package ekycid

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
	"github.com/kyc-go/kyc/kyctest"
)

const (
	testBase = "https://api.example.test"
	testKey  = "k-0123456789abcdef"
)

// jpegBytes is the smallest byte string kyc.Image accepts as a JPEG.
var jpegBytes = append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, strings.Repeat("jpegdata", 64)...)

// mock returns a client whose requests go to a fresh httpmock transport.
func mock(t *testing.T, opts ...kyc.Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	hc, mt := testutil.MockHTTP(t)
	c, err := New(Config{APIKey: kyc.NewSecret(testKey), PollInterval: time.Millisecond, MaxPollInterval: 5 * time.Millisecond},
		append([]kyc.Option{kyc.WithHTTPClient(hc), kyc.WithBaseURL(testBase), kyc.WithRetry(0, 0)}, opts...)...)
	require.NoError(t, err)
	return c, mt
}

func fixtureResponder(t *testing.T, status int, name string) httpmock.Responder {
	body := testutil.Fixture(t, name)
	return func(*http.Request) (*http.Response, error) {
		r := httpmock.NewBytesResponse(status, body)
		r.Header.Set("Content-Type", "application/json")
		return r, nil
	}
}

// form is a captured multipart request.
type form struct {
	header http.Header
	values map[string]string
	files  map[string]filePart
}

type filePart struct {
	filename, contentType string
	size                  int
}

func capture(t *testing.T, mt *httpmock.MockTransport, method, url string) func() form {
	var mu sync.Mutex
	var got form
	mt.RegisterResponder(method, url, func(r *http.Request) (*http.Response, error) {
		f := form{header: r.Header.Clone(), values: map[string]string{}, files: map[string]filePart{}}
		_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err == nil && params["boundary"] != "" {
			mr := multipart.NewReader(r.Body, params["boundary"])
			for {
				p, err := mr.NextPart()
				if err != nil {
					break
				}
				b, _ := io.ReadAll(p)
				if p.FileName() != "" {
					f.files[p.FormName()] = filePart{p.FileName(), p.Header.Get("Content-Type"), len(b)}
				} else {
					f.values[p.FormName()] = string(b)
				}
			}
		}
		mu.Lock()
		got = f
		mu.Unlock()
		return httpmock.NewStringResponse(200, `{"id":"r1"}`), nil
	})
	return func() form { mu.Lock(); defer mu.Unlock(); return got }
}

func TestNewValidatesConfig(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		opts  []kyc.Option
		field string
	}{
		{"no key", Config{}, nil, "APIKey"},
		{"key with newline", Config{APIKey: kyc.NewSecret("a\nb")}, nil, "APIKey"},
		{"key with spaces", Config{APIKey: kyc.NewSecret(" k")}, nil, "APIKey"},
		{"key with NUL", Config{APIKey: kyc.NewSecret("k\x00")}, nil, "APIKey"},
		{"negative poll", Config{APIKey: kyc.NewSecret("k"), PollInterval: -1}, nil, "PollInterval"},
		{"negative poll timeout", Config{APIKey: kyc.NewSecret("k"), PollTimeout: -time.Second}, nil, "PollTimeout"},
		{"threshold above 1", Config{APIKey: kyc.NewSecret("k"), FaceMatchThreshold: 2}, nil, "FaceMatchThreshold"},
		{"liveness threshold below 0", Config{APIKey: kyc.NewSecret("k"), LivenessThreshold: -0.1}, nil, "LivenessThreshold"},
		{"plain http", Config{APIKey: kyc.NewSecret("k")}, []kyc.Option{kyc.WithBaseURL("http://ekyc.example.com")}, "BaseURL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.cfg, tt.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.EqualValues(t, tt.field, kerr.Field)
			assert.Equal(t, "ekycid.New", kerr.Op)
			if tt.field != "BaseURL" { // transport.New's own errors: see the report
				assert.True(t, kerr.NotSent && kerr.Unprocessed)
			}
		})
	}
	c, err := New(Config{APIKey: kyc.NewSecret("k")})
	require.NoError(t, err)
	assert.Equal(t, DefaultBaseURL, c.tc.BaseURL().String())
	assert.Equal(t, DefaultFaceMatchThreshold, c.cfg.FaceMatchThreshold)
	assert.Equal(t, DefaultPollTimeout, c.cfg.PollTimeout)
	assert.Equal(t, "ekycid.Client", c.String())
	assert.Equal(t, "ekycid.Client", fmt.Sprintf("%#v", c))
	assert.NoError(t, c.Close())
}

func TestWireFormat(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	ctx := context.Background()
	img, err := kyc.ImageFromBytes(jpegBytes)
	require.NoError(t, err)

	t.Run("ocr by url", func(t *testing.T) {
		got := capture(t, mt, "POST", testBase+"/v0/ocr")
		sub, err := c.OCR(ctx, OCRRequest{Image: MediaURL("https://cdn.example.test/card.jpg")})
		require.NoError(t, err)
		f := got()
		assert.Equal(t, testKey, f.header.Get("x-api-key"))
		assert.True(t, strings.HasPrefix(f.header.Get("Content-Type"), "multipart/form-data; boundary="))
		assert.Equal(t, map[string]string{
			"idempotent_id": sub.IdempotentID, "is_raw": "no", "object_type": "NATIONAL_ID_0",
			"image_url": "https://cdn.example.test/card.jpg",
		}, f.values)
		assert.True(t, isUUID(sub.IdempotentID))
		assert.Equal(t, "r1", sub.ID)
	})
	t.Run("ocr upload", func(t *testing.T) {
		got := capture(t, mt, "POST", testBase+"/v0/ocr")
		_, err := c.OCR(ctx, OCRRequest{Image: MediaImage(img), Raw: true, ObjectType: "DRIVER_LICENSE_0"})
		require.NoError(t, err)
		f := got()
		assert.Equal(t, "yes", f.values["is_raw"])
		assert.Equal(t, "DRIVER_LICENSE_0", f.values["object_type"])
		assert.Equal(t, filePart{"image.jpg", kyc.JPEG, len(jpegBytes)}, f.files["image"])
	})
	t.Run("face compare", func(t *testing.T) {
		got := capture(t, mt, "POST", testBase+"/v0/face-compare")
		_, err := c.CompareFaces(ctx, CompareFacesRequest{Face0: MediaURL("https://cdn.example.test/a.jpg"), Face1: MediaImage(img)})
		require.NoError(t, err)
		f := got()
		assert.Equal(t, "https://cdn.example.test/a.jpg", f.values["face_image_0_url"])
		assert.Equal(t, len(jpegBytes), f.files["face_image_1"].size)
	})
	t.Run("liveness with uploaded and linked videos", func(t *testing.T) {
		got := capture(t, mt, "POST", testBase+"/v0/liveness-detection")
		_, err := c.Liveness(ctx, LivenessRequest{Sequences: []Sequence{
			{Checks: []Check{CheckLeft}, Video: VideoFromBytes([]byte("video-bytes"), "video/webm")},
			{Checks: []Check{CheckRight, CheckBlink}, Video: VideoURL("https://cdn.example.test/v.mp4")},
		}})
		require.NoError(t, err)
		f := got()
		assert.Equal(t, "left", f.values["sequences[0][checks]"])
		assert.Equal(t, filePart{"video.webm", "video/webm", 11}, f.files["sequences[0][video]"])
		assert.Equal(t, "right,blink", f.values["sequences[1][checks]"])
		assert.Equal(t, "https://cdn.example.test/v.mp4", f.values["sequences[1][video_url]"])
		assert.True(t, isUUID(f.values["idempotent_id"]))
	})
	t.Run("express kyc with video buffers images too", func(t *testing.T) {
		got := capture(t, mt, "POST", testBase+"/v0/express-kyc")
		_, err := c.ExpressKYC(ctx, ExpressKYCRequest{Document: MediaImage(img), Face: MediaURL("https://cdn.example.test/f.jpg"),
			Sequences: []Sequence{{Checks: []Check{CheckBlink}, Video: VideoFromBytes([]byte("v"), "")}}})
		require.NoError(t, err)
		f := got()
		assert.Equal(t, len(jpegBytes), f.files["ocr_image"].size)
		assert.Equal(t, "https://cdn.example.test/f.jpg", f.values["face_image_url"])
		assert.Equal(t, "video/mp4", f.files["sequences[0][video]"].contentType)
	})
	t.Run("manual kyc", func(t *testing.T) {
		got := capture(t, mt, "POST", testBase+"/v0/manual-kyc")
		_, err := c.ManualKYC(ctx, ManualKYCRequest{Document: MediaURL("https://cdn.example.test/d.jpg"), Face: MediaImage(img),
			FaceLeft: MediaURL("https://cdn.example.test/l.jpg"), FaceRight: MediaImage(img)})
		require.NoError(t, err)
		f := got()
		assert.Equal(t, "https://cdn.example.test/d.jpg", f.values["ocr_image_url"])
		assert.Equal(t, "https://cdn.example.test/l.jpg", f.values["face_turn_left_image_url"])
		assert.Contains(t, f.files, "face_image")
		assert.Contains(t, f.files, "face_turn_right_image")
	})
	t.Run("detect id", func(t *testing.T) {
		got := capture(t, mt, "POST", testBase+"/v0/id-detection")
		_, err := c.DetectID(ctx, DetectIDRequest{Image: MediaURL("https://cdn.example.test/d.jpg")})
		require.NoError(t, err)
		assert.Equal(t, "https://cdn.example.test/d.jpg", got().values["image_url"])
	})
	t.Run("given idempotent id is sent", func(t *testing.T) {
		got := capture(t, mt, "POST", testBase+"/v0/id-detection")
		id := "0b7c4a5e-1f2d-4c3b-9a8e-7d6c5b4a3f21"
		sub, err := c.DetectID(ctx, DetectIDRequest{Image: MediaURL("https://cdn.example.test/d.jpg"), IdempotentID: id})
		require.NoError(t, err)
		assert.Equal(t, id, got().values["idempotent_id"])
		assert.Equal(t, id, sub.IdempotentID)
	})
	t.Run("reply path", func(t *testing.T) {
		var path string
		mt.RegisterResponder("GET", `=~^`+testBase+`/v0/api-request-reply/`, func(r *http.Request) (*http.Response, error) {
			path = r.URL.EscapedPath()
			return httpmock.NewStringResponse(200, string(testutil.Fixture(t, "reply_pending.json"))), nil
		})
		r, err := c.Reply(ctx, "6f1c_09-AB")
		require.NoError(t, err)
		assert.Equal(t, "/v0/api-request-reply/6f1c_09-AB", path)
		assert.False(t, r.Done())
	})
}

func TestNoSecretInLogs(t *testing.T) {
	t.Parallel()
	logger, buf := testutil.CaptureLogger()
	c, mt := mock(t, kyc.WithLogger(logger))
	mt.RegisterResponder("POST", testBase+"/v0/ocr", fixtureResponder(t, 200, "submit.json"))
	_, err := c.OCR(context.Background(), OCRRequest{Image: MediaURL("https://cdn.example.test/person-name.jpg")})
	require.NoError(t, err)
	assert.NotEmpty(t, buf.String())
	assert.NotContains(t, buf.String(), testKey)
	assert.NotContains(t, buf.String(), "person-name")
}

// TestIDForm: an id that is not of the vendor's form never reaches a path,
// whether it comes in a Reference, to Reply or to Wait.
func TestIDForm(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, `{"result":{"score":1}}`))
	ctx := context.Background()
	bad := []string{"..", ".", "a/b", "a%2Fb", "a b", "x\x00y", "id\r\n", strings.Repeat("a", 200<<10), strings.Repeat("a", MaxIDLength+1), "ü"}
	for _, id := range bad {
		name := id
		if len(name) > 20 {
			name = name[:20] + "…"
		}
		t.Run(fmt.Sprintf("%q", name), func(t *testing.T) {
			_, err := c.Result(ctx, "ekycid:"+id)
			require.ErrorIs(t, err, kyc.ErrInvalidRequest)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.EqualValues(t, "ref", kerr.Field)
			assert.True(t, kerr.NotSent)
			assert.LessOrEqual(t, len(err.Error()), 300, "the error does not quote the id")

			_, err = c.Reply(ctx, id)
			require.ErrorAs(t, err, &kerr)
			assert.EqualValues(t, "id", kerr.Field)
			_, err = c.Wait(ctx, id)
			require.ErrorAs(t, err, &kerr)
			assert.EqualValues(t, "id", kerr.Field)
		})
	}
	assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent")
	_, err := c.Result(ctx, "ekycid:"+strings.Repeat("a", MaxIDLength))
	require.NoError(t, err)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

// TestCall: the escape hatch encodes a *Form as multipart, other values as
// JSON and url.Values as the query, checks the answer like the typed
// methods, and resends as op.Class and op.Idempotent allow.
func TestCall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("form", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t)
		got := capture(t, mt, "POST", testBase+"/v0/abis/enroll")
		f := NewForm().Set("subject", "s-1")
		var out struct{ ID string }
		require.NoError(t, c.Call(ctx, kyc.Operation{Path: "/v0/abis/enroll"}, f, &out))
		assert.Equal(t, "r1", out.ID)
		assert.Equal(t, map[string]string{"subject": "s-1", "idempotent_id": f.IdempotentID()}, got().values)
	})
	t.Run("json and query", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t)
		var body, query, method string
		mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			method, query = r.Method, r.URL.RawQuery
			if r.Body != nil {
				b, _ := io.ReadAll(r.Body)
				body = string(b)
			}
			return httpmock.NewStringResponse(200, `{"ok":true}`), nil
		})
		var raw json.RawMessage
		require.NoError(t, c.Call(ctx, kyc.Operation{Path: "/v0/abis/identify"}, map[string]string{"subject": "s-1"}, &raw))
		assert.Equal(t, "POST", method)
		assert.JSONEq(t, `{"subject":"s-1"}`, body)
		assert.JSONEq(t, `{"ok":true}`, string(raw))
		require.NoError(t, c.Call(ctx, kyc.Operation{Method: http.MethodGet, Path: "/v0/abis/subjects", Class: kyc.ClassFree}, url.Values{"page": {"2"}}, nil))
		assert.Equal(t, "GET", method)
		assert.Equal(t, "page=2", query)
	})
	t.Run("vendor error", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t)
		mt.RegisterNoResponder(fixtureResponder(t, 200, "error_permission.json"))
		err := c.Call(ctx, kyc.Operation{Path: "/v0/abis/identify"}, nil, nil)
		assert.ErrorIs(t, err, kyc.ErrForbidden)
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr)
		assert.Equal(t, "ekycid.Call", kerr.Op)
	})
	t.Run("bad path", func(t *testing.T) {
		t.Parallel()
		c, mt := mock(t)
		for _, p := range []string{"", "https://evil.example/x", "/v0/a\nb"} {
			assert.ErrorIs(t, c.Call(ctx, kyc.Operation{Path: p}, nil, nil), kyc.ErrInvalidRequest, p)
		}
		assert.Zero(t, mt.GetTotalCallCount())
	})
	resends := []struct {
		name  string
		op    kyc.Operation
		sends int32
	}{
		{"billed by default: never resent after a 500", kyc.Operation{Path: "/v0/abis/enroll"}, 1},
		{"billed with the idempotency key: resent", kyc.Operation{Path: "/v0/abis/enroll", Idempotent: true}, 3},
		{"free: resent", kyc.Operation{Path: "/v0/abis/enroll", Class: kyc.ClassFree}, 3},
	}
	for _, tt := range resends {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := mock(t, kyc.WithRetry(2, time.Millisecond))
			var n atomic.Int32
			mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
				n.Add(1)
				return httpmock.NewStringResponse(500, `{"error":{"code":"INTERNAL_ERROR","message":"x"}}`), nil
			})
			err := c.Call(ctx, tt.op, NewForm().Set("a", "b"), nil)
			assert.ErrorIs(t, err, kyc.ErrUnavailable)
			assert.Equal(t, tt.sends, n.Load())
		})
	}
}

// TestSubmissionsResentLikeReads: the six submissions carry idempotent_id,
// so a 500 after the write is resent with the same bytes; a reply read is
// free and resent too.
func TestSubmissionsResentLikeReads(t *testing.T) {
	t.Parallel()
	c, mt := mock(t, kyc.WithRetry(2, time.Millisecond))
	var mu sync.Mutex
	var ids []string
	mt.RegisterResponder("POST", testBase+"/v0/ocr", func(r *http.Request) (*http.Response, error) {
		_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		mr := multipart.NewReader(r.Body, params["boundary"])
		if p, err := mr.NextPart(); err == nil && p.FormName() == "idempotent_id" {
			b, _ := io.ReadAll(p)
			mu.Lock()
			ids = append(ids, string(b))
			mu.Unlock()
		}
		return httpmock.NewStringResponse(502, "<html>bad gateway</html>"), nil
	})
	_, err := c.OCR(context.Background(), OCRRequest{Image: MediaURL("https://cdn.example.test/c.jpg")})
	require.ErrorIs(t, err, kyc.ErrUnavailable)
	require.Len(t, ids, 3)
	assert.Equal(t, ids[0], ids[1])
	assert.Equal(t, ids[0], ids[2])
}

// TestImageCaps: an image over MaxImageSize is refused before sending when
// its size is known, and aborted mid-body when it streams.
func TestImageCaps(t *testing.T) {
	t.Parallel()
	c, mt := mock(t)
	var complete atomic.Int32
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			return nil, err // the body was aborted: the transport sees it
		}
		complete.Add(1)
		return httpmock.NewStringResponse(200, `{"id":"r1"}`), nil
	})
	known, err := kyc.ImageFromBytes(kyctest.MagicImage("", MaxImageSize+1))
	require.NoError(t, err)
	stream, err := kyc.ImageFromReader(io.MultiReader(bytes.NewReader(kyctest.MagicImage("", 0)), io.LimitReader(zeros{}, 30<<20)))
	require.NoError(t, err)
	for name, img := range map[string]*kyc.Image{"known size": known, "stream": stream} {
		_, err := c.OCR(context.Background(), OCRRequest{Image: MediaImage(img)})
		require.ErrorIs(t, err, kyc.ErrInvalidRequest, name)
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr)
		assert.EqualValues(t, "Image", kerr.Field, name)
		assert.True(t, kerr.Unprocessed, name)
	}
	assert.Zero(t, complete.Load(), "no complete body was received")
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
