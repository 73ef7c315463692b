//go:build unix

package kyc_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// TestImageFromFileRefusesFIFOWithoutBlocking: opening a FIFO for reading
// blocks until a writer opens it, so ImageFromFile must refuse it first.
func TestImageFromFileRefusesFIFOWithoutBlocking(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "face.jpg")
	require.NoError(t, syscall.Mkfifo(path, 0o600))
	done := make(chan error, 1)
	go func() {
		_, err := kyc.ImageFromFile(path)
		done <- err
	}()
	select {
	case err := <-done:
		require.Error(t, err)
		require.ErrorIs(t, err, kyc.ErrInvalidRequest)
		require.Contains(t, err.Error(), "not a regular file")
	case <-time.After(10 * time.Second):
		// Unblock the reader so the goroutine ends, then fail.
		if w, err := os.OpenFile(path, os.O_WRONLY, 0); err == nil {
			_ = w.Close()
		}
		<-done
		t.Fatal("ImageFromFile blocked on a FIFO")
	}
}
