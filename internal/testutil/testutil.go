// Package testutil holds the helpers shared by the vendor packages' tests:
//
//   - MockHTTP: an *http.Client on its own httpmock MockTransport (no global
//     state, so tests using it run in parallel), for client_test.go;
//   - Fixture: a file of the package's testdata/;
//   - CaptureLogger: a debug-level logger writing into a Buffer;
//   - FailurePaths: every typed method through 500, a vendor error inside a
//     200, malformed JSON, a cancelled context and a refused connection
//     (failure.go);
//   - OperationTable: the operation table checked against the client's
//     typed methods (operations.go).
package testutil

import (
	"bytes"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
)

// MockHTTP returns an http.Client whose transport is a fresh httpmock
// MockTransport, and that transport. Pass the client with
// kyc.WithHTTPClient; register responders on the transport. No global
// state: tests using it may run in parallel.
func MockHTTP(t testing.TB) (*http.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	return &http.Client{Transport: mt}, mt
}

// Fixture reads testdata/name, failing the test if it is missing.
func Fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return b
}

// Buffer is a goroutine-safe bytes.Buffer for captured logs.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write implements io.Writer.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns what was written.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// CaptureLogger returns a debug-level logger writing text records to the
// returned buffer.
func CaptureLogger() (*slog.Logger, *Buffer) {
	var buf Buffer
	return slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), &buf
}
