package incode

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/testutil"
	"github.com/kyc-go/kyc/kyctest"
)

// uploadSize is the largest image Incode takes.
const uploadSize = MaxImageBytes

// uploadSetup returns a session whose front-ID upload is answered by a
// responder that drains the body, and a 10 MiB JPEG on disk.
func uploadSetup(tb testing.TB) (*Client, *Session, string) {
	hc, mt := testutil.MockHTTP(tb)
	answer := testutil.Fixture(tb, "front_ok.json")
	mt.RegisterResponder("POST", testBase+"/omni/add/front-id/v2", func(r *http.Request) (*http.Response, error) {
		_, _ = io.Copy(io.Discard, r.Body)
		return httpmock.NewBytesResponse(200, answer), nil
	})
	c, err := New(Config{APIKey: kyc.NewSecret(testKey)}, kyc.WithHTTPClient(hc), kyc.WithBaseURL(testBase))
	require.NoError(tb, err)
	s, err := c.ResumeSession(testID, kyc.NewSecret(testToken))
	require.NoError(tb, err)
	path := filepath.Join(tb.TempDir(), "front.jpg")
	require.NoError(tb, os.WriteFile(path, kyctest.MagicImage("", uploadSize), 0o600))
	return c, s, path
}

// baselineUpload is what a naive client does: read the file, encode it
// whole, marshal the JSON, send the bytes.
func baselineUpload(ctx context.Context, c *Client, raw []byte) error {
	body, err := json.Marshal(struct {
		Base64Image string `json:"base64Image"`
	}{base64.StdEncoding.EncodeToString(raw)})
	if err != nil {
		return err
	}
	return c.Call(ctx, kyc.Operation{Method: http.MethodPost, Path: "/omni/add/front-id/v2"},
		SessionInput{InterviewID: testID, Query: url.Values{"onlyFront": {"false"}}, Body: json.RawMessage(body)}, nil)
}

func BenchmarkUploadBaselineReadEncodeMarshal(b *testing.B) {
	c, _, path := uploadSetup(b)
	b.SetBytes(uploadSize)
	b.ReportAllocs()
	for b.Loop() {
		raw, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := baselineUpload(context.Background(), c, raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUploadBaselineEncodeMarshalFromBytes(b *testing.B) {
	c, _, path := uploadSetup(b)
	raw, err := os.ReadFile(path)
	require.NoError(b, err)
	b.SetBytes(uploadSize)
	b.ReportAllocs()
	for b.Loop() {
		if err := baselineUpload(context.Background(), c, raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUploadStreamedFromFile(b *testing.B) {
	_, s, path := uploadSetup(b)
	b.SetBytes(uploadSize)
	b.ReportAllocs()
	for b.Loop() {
		im, err := kyc.ImageFromFile(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.AddFrontID(context.Background(), im, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUploadStreamedFromBytes(b *testing.B) {
	_, s, path := uploadSetup(b)
	raw, err := os.ReadFile(path)
	require.NoError(b, err)
	b.SetBytes(uploadSize)
	b.ReportAllocs()
	for b.Loop() {
		im, err := kyc.ImageFromBytes(raw)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.AddFrontID(context.Background(), im, false); err != nil {
			b.Fatal(err)
		}
	}
}

// allocatedPerUpload measures the bytes allocated by one call of fn, over
// a few runs.
func allocatedPerUpload(t *testing.T, fn func()) uint64 {
	fn() // warm up pools and connections
	const runs = 3
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range runs {
		fn()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / runs
}

// TestUploadAllocations holds the acceptance bounds: a 10 MiB upload
// allocates under 1 MiB from a file, and under 1.5x its base64 size from a
// byte slice.
func TestUploadAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 10 MiB images")
	}
	_, s, path := uploadSetup(t)
	ctx := context.Background()
	fromFile := allocatedPerUpload(t, func() {
		im, err := kyc.ImageFromFile(path)
		require.NoError(t, err)
		_, err = s.AddFrontID(ctx, im, false)
		require.NoError(t, err)
	})
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	fromBytes := allocatedPerUpload(t, func() {
		im, err := kyc.ImageFromBytes(raw)
		require.NoError(t, err)
		_, err = s.AddFrontID(ctx, im, false)
		require.NoError(t, err)
	})
	t.Logf("allocated per 10 MiB upload: from a file %d B, from bytes %d B", fromFile, fromBytes)
	require.Less(t, fromFile, uint64(1<<20))
	require.Less(t, fromBytes, uint64(base64.StdEncoding.EncodedLen(uploadSize))*3/2)
}
