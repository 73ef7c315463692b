package incodetest

import (
	"testing"

	"github.com/kyc-go/kyc/internal/shape"
	"github.com/kyc-go/kyc/internal/shape/shapetest"
)

// TestShapeOnlyPrinting fills a value of every exported struct type of the
// package with marker data and prints it under every fmt verb: no marker may
// show. A type added to the package without a Format method fails it, and
// so does one missing from the table.
func TestShapeOnlyPrinting(t *testing.T) {
	t.Parallel()
	srv := New(t)
	shapetest.Check(t, ".", shape.Default.Allowed, []any{
		&Server{},
		&Deletion{},
		&Hook{},
	}, srv)
}
