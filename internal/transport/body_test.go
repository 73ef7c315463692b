package transport

// Request bodies: streamed, encoded, capped; response bodies read within the cap.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

func TestJSONImagesStreamsBase64(t *testing.T) {
	img, err := kyc.ImageFromBytes(jpeg)
	require.NoError(t, err)
	type payload struct {
		Image Base64 `json:"base64Image"`
		Other string `json:"other"`
		Back  Base64 `json:"back"`
	}
	body, err := JSONImages(payload{Image: Base64{Image: img}, Other: `q"<>`, Back: Base64{Image: img}}, img)
	require.NoError(t, err)
	var got []byte
	for i := 0; i < 2; i++ { // replayable
		rc, err := body.Open()
		require.NoError(t, err)
		got, err = io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
	}
	want, err := json.Marshal(map[string]string{"base64Image": base64.StdEncoding.EncodeToString(jpeg), "other": `q"<>`, "back": base64.StdEncoding.EncodeToString(jpeg)})
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got))
	assert.EqualValues(t, len(got), body.Len())

	_, err = JSONImages(payload{Image: Base64{Image: img}})
	assert.Error(t, err, "an image missing from the list is refused")
}

func TestBase64ReaderSizes(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 4, b64Chunk - 1, b64Chunk, b64Chunk + 1, 3*b64Chunk + 2} {
		src := bytes.Repeat([]byte{0xAB, 0x01, 0x7F}, n/3+1)[:n]
		got, err := io.ReadAll(newBase64Reader(bytes.NewReader(src)))
		require.NoError(t, err)
		assert.Equal(t, base64.StdEncoding.EncodeToString(src), string(got), n)
	}
}

func TestMultipartBody(t *testing.T) {
	img, err := kyc.ImageFromBytes(jpeg)
	require.NoError(t, err)
	body, err := Multipart(Part{Name: "idempotent_id", Value: "abc"}, Part{Name: "image", Image: img}, Part{Name: "object_type", Value: "NATIONAL_ID_0"})
	require.NoError(t, err)
	var received map[string]string
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, body.Len(), r.ContentLength, "Content-Length is set for a body of known size")
		_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		require.NoError(t, err)
		mr := multipart.NewReader(r.Body, params["boundary"])
		received = map[string]string{}
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			b, _ := io.ReadAll(p)
			received[p.FormName()] = string(b)
			if p.FormName() == "image" {
				assert.Equal(t, "image.jpg", p.FileName())
				assert.Equal(t, "image/jpeg", p.Header.Get("Content-Type"))
			}
		}
	})
	_, err = c.Do(context.Background(), &Request{Operation: at(op("t"), "x"), Method: "POST", Body: body})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"idempotent_id": "abc", "image": string(jpeg), "object_type": "NATIONAL_ID_0"}, received)
}

// TestBodiesStreamWithoutBuffering guards against a body being held whole in
// memory on its way out (resty reads io.Reader bodies whole when given them):
// an 8 MiB image sent as base64 JSON and as multipart allocates far less
// than its size.
func TestBodiesStreamWithoutBuffering(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 8 MiB bodies")
	}
	const size = 8 << 20
	raw := make([]byte, size)
	copy(raw, jpeg)
	img, err := kyc.ImageFromBytes(raw)
	require.NoError(t, err)
	var got atomic.Int64
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		got.Store(n)
	})
	jsonBody, err := JSONImages(struct {
		Image Base64 `json:"base64Image"`
	}{Base64{Image: img}}, img)
	require.NoError(t, err)
	multi, err := Multipart(Part{Name: "image", Image: img})
	require.NoError(t, err)
	for name, body := range map[string]Body{"base64 JSON": jsonBody, "multipart": multi} {
		send := func() {
			_, err := c.Do(context.Background(), &Request{Operation: at(op("t"), "up"), Method: "POST", Body: body})
			require.NoError(t, err)
		}
		send() // warm the connection
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		send()
		runtime.ReadMemStats(&after)
		alloc := after.TotalAlloc - before.TotalAlloc
		t.Logf("%s: %d bytes sent, %d bytes allocated", name, got.Load(), alloc)
		assert.EqualValues(t, body.Len(), got.Load(), name)
		// Buffered, it would be at least the body size (8 to 11 MB); streamed it
		// is about 120 KB, and under -race on a loaded machine, with the
		// process's other goroutines counted too, up to about 2.2 MB.
		assert.Less(t, alloc, uint64(size/2), "%s: the body must stream, not be buffered", name)
	}
}

func TestReadBody(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		cl      int64
		limit   int64
		want    string
		wantErr error
	}{
		{"announced", "hello", 5, 10, "hello", nil},
		{"unknown length", "hello", -1, 10, "hello", nil},
		{"short of the announced length", "hel", 5, 10, "hel", io.ErrUnexpectedEOF},
		{"more than announced", "hello world", 5, 20, "hello world", nil},
		{"announced over the cap", "hello world", 11, 5, "hello ", nil}, // cap+1 bytes: the caller sees it is over
		{"unknown over the cap", "hello world", -1, 5, "hello ", nil},
		{"more than announced, over the cap", "hello world", 2, 5, "hello ", nil},
	}
	for _, tt := range tests {
		got, err := readBody(strings.NewReader(tt.body), tt.cl, tt.limit)
		assert.Equal(t, tt.want, string(got), tt.name)
		assert.ErrorIs(t, err, tt.wantErr, tt.name)
	}

	// An announced length sizes one allocation, with the byte that finds
	// the end; a huge announced length preallocates MaxPrealloc at most,
	// and a body past it grows.
	got, err := readBody(strings.NewReader("hello"), 5, 1<<20)
	require.NoError(t, err)
	assert.Equal(t, 6, cap(got), "one allocation for an announced body")
	got, err = readBody(strings.NewReader("{\"a\":1,"), 32<<20, 32<<20)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.LessOrEqual(t, cap(got), MaxPrealloc)
	big := strings.Repeat("x", 5*MaxPrealloc+3)
	got, err = readBody(strings.NewReader(big), int64(len(big)), 32<<20)
	require.NoError(t, err)
	assert.Equal(t, big, string(got))
	got, err = readBody(strings.NewReader(big), -1, 32<<20)
	require.NoError(t, err)
	assert.Equal(t, big, string(got))
}

// A stream of unknown length over its cap is cut before its body completes:
// the server never reads a whole body, and the error names the field.
func TestLimitAbortsStreamOfUnknownLength(t *testing.T) {
	t.Parallel()
	var complete atomic.Int32
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err == nil {
			complete.Add(1)
		}
		w.WriteHeader(http.StatusOK)
	})
	for _, shape := range []string{"multipart", "json"} {
		img, err := kyc.ImageFromReader(io.MultiReader(bytes.NewReader(jpeg[:16]), &zeros{n: 30 << 20}))
		require.NoError(t, err)
		var body Body
		if shape == "multipart" {
			body, err = Multipart(Part{Name: "selfie", Image: img, Max: 10 << 20, Field: "Selfie"})
		} else {
			body, err = JSONImages(struct {
				S Base64 `json:"s"`
			}{Base64{Image: img, Max: 10 << 20, Field: "Selfie"}}, img)
		}
		require.NoError(t, err)
		_, err = c.Do(context.Background(), &Request{Operation: at(op("test.Upload"), "/up"), Method: "POST", Body: body})
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr, shape)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, shape)
		assert.EqualValues(t, "Selfie", kerr.Field, shape)
		assert.True(t, kerr.Unprocessed, shape)
	}
	assert.Zero(t, complete.Load(), "the server never received a complete body")
}
