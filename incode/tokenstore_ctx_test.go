package incode_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
)

// stuckTokens is a TokenStore that ignores its context and never answers.
type stuckTokens struct{ block chan struct{} }

func (s stuckTokens) Get(context.Context, string) (kyc.Secret, error) {
	<-s.block
	return kyc.Secret{}, nil
}

func (s stuckTokens) Put(context.Context, string, kyc.Secret) error { <-s.block; return nil }

// TestTokenStoreCannotHoldACall: a TokenStore that ignores its context
// cannot stall Result (or Verify) past the caller's deadline.
func TestTokenStoreCannotHoldACall(t *testing.T) {
	t.Parallel()
	store := stuckTokens{block: make(chan struct{})}
	defer close(store.block)
	srv := incodetest.New(t)
	c := client(t, srv, func(cfg *incode.Config) { cfg.TokenStore = store })
	for name, call := range map[string]func(context.Context) error{
		"Result": func(ctx context.Context) error {
			_, err := c.Result(ctx, "incode:0123456789abcdef01234567")
			return err
		},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		start := time.Now()
		err := call(ctx)
		cancel()
		assert.ErrorIs(t, err, kyc.ErrTimeout, name)
		assert.Less(t, time.Since(start), time.Second, "%s was held past its 300 ms deadline", name)
	}
}
