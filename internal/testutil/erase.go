package testutil

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// EraseUnsupported checks the Erase of a vendor client whose vendor has
// no deletion API: for ref (a valid reference of the vendor) an
// ErrUnsupported *kyc.Error of op, NotSent, whose Message cites the
// vendor's public page and says it documents no retention period; for
// each of bad an ErrInvalidRequest naming "ref". sent reports how many
// requests the client sent: none, ever.
func EraseUnsupported(t *testing.T, provider kyc.Provider, op string, e kyc.Eraser, ref string, bad []string, sent func() int) {
	t.Helper()
	err := e.Erase(context.Background(), ref)
	require.ErrorIs(t, err, kyc.ErrUnsupported)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.Equal(t, provider, kerr.Provider)
	assert.Equal(t, op, kerr.Op)
	assert.True(t, kerr.NotSent)
	assert.Contains(t, kerr.Message, "https://", "the message cites the vendor's public page")
	assert.Contains(t, kerr.Message, "no retention period", "the message says what the vendor documents of its retention")
	assert.Empty(t, CitedOutside(kerr.Message))
	assert.True(t, strings.Contains(err.Error(), "unsupported"), "%v", err)
	for _, b := range bad {
		err := e.Erase(context.Background(), b)
		require.ErrorIs(t, err, kyc.ErrInvalidRequest, "%q", b)
		require.ErrorAs(t, err, &kerr)
		assert.Equal(t, kyc.Field("ref"), kerr.Field, "%q", b)
	}
	assert.Zero(t, sent(), "Erase sends nothing")
}
