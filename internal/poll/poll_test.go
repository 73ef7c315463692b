package poll

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestUntil(t *testing.T) {
	t.Parallel()
	n := 0
	err := Until(context.Background(), Config{Initial: time.Millisecond, Max: 2 * time.Millisecond}, func(context.Context) (bool, error) {
		n++
		return n == 4, nil
	})
	assert.NoError(t, err)
	assert.Equal(t, 4, n)

	boom := errors.New("boom")
	err = Until(context.Background(), Config{}, func(context.Context) (bool, error) { return false, boom })
	assert.ErrorIs(t, err, boom)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = Until(ctx, Config{Initial: time.Second}, func(context.Context) (bool, error) { return false, nil })
	assert.ErrorIs(t, err, context.DeadlineExceeded, "never gives up silently")
	assert.Less(t, time.Since(start), 500*time.Millisecond)
}
