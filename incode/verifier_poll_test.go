package incode_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
)

func TestCancelMidPollThenResumeElsewhere(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		second func(srv *incodetest.Server, store incode.TokenStore) func(*incode.Config)
		finish int // finish-status calls Result makes
		opts   []incodetest.Option
	}{
		// The executive token cannot finish a session (finish-status names
		// none), so this case runs the flow Incode's guide recommends: it
		// completes sessions itself.
		{"executive credentials", func(srv *incodetest.Server, _ incode.TokenStore) func(*incode.Config) {
			return func(cfg *incode.Config) { *cfg = srv.ExecutiveConfig() }
		}, 0, []incodetest.Option{incodetest.WithFlowCompletion()}},
		{"shared token store", func(_ *incodetest.Server, store incode.TokenStore) func(*incode.Config) {
			return func(cfg *incode.Config) { cfg.TokenStore = store }
		}, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Processing is held for the first status reads by count
			// (ImageNotFinished), the first client waits an hour between
			// reads, and its context ends once the fake has had its first
			// read: the context ends while polling however slow the
			// machine (a 900 ms deadline could end during an upload).
			srv := incodetest.New(t, append(tt.opts, incodetest.WithDelay(0))...)
			store := newMemStore()
			first := client(t, srv, func(cfg *incode.Config) { cfg.TokenStore, cfg.PollInterval = store, time.Hour })
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			type verified struct {
				res *kyc.Result
				err error
			}
			done := make(chan verified, 1)
			go func() {
				res, err := first.Verify(ctx, request(t, "resume-1", "", "", kyctest.ImageNotFinished))
				done <- verified{res, err}
			}()
			require.Eventually(t, func() bool { return srv.Count("/omni/get/onboarding/status") == 1 }, time.Minute, time.Millisecond)
			cancel()
			v := <-done
			res, err := v.res, v.err
			require.NoError(t, err, "a context that ends while polling gives a pending result, not an error")
			assert.Equal(t, kyc.StatusPending, res.Status)
			assert.Equal(t, []kyc.Reason{kyc.ReasonNotFinished}, res.Reasons)
			assert.Zero(t, srv.Count("/omni/finish-status"))
			ref, err := kyc.ParseReference(res.Reference)
			require.NoError(t, err)
			assert.Len(t, ref.ID, 24, "the Reference is the interview id alone")

			// Another process: nothing shared with the first client but the
			// store (or the executive credentials).
			second := client(t, srv, tt.second(srv, store))
			alone := client(t, srv)
			_, err = alone.Result(context.Background(), res.Reference)
			require.ErrorIs(t, err, kyc.ErrUnsupported, "without a token source, another process cannot read back")
			assert.False(t, kyc.MayHaveBeenSent(err))

			var final *kyc.Result
			require.Eventually(t, func() bool {
				r, err := second.Result(context.Background(), res.Reference)
				require.NoError(t, err)
				final = r
				return r.Status.Final()
			}, time.Minute, 10*time.Millisecond)
			assert.Equal(t, kyc.StatusApproved, final.Status)
			assert.Empty(t, final.Reasons)
			assert.Equal(t, res.Reference, final.Reference)
			require.NotNil(t, final.Document)
			assert.Equal(t, "ALEX GINMAN", final.Document.FullName)
			assert.Equal(t, tt.finish, srv.Count("/omni/finish-status"),
				"a session token finishes the session; the executive token cannot (finish-status names no session)")
			assert.Equal(t, 1, srv.Sends("resume-1"))
		})
	}
}

// TestPollBound: PollTimeout ends Verify's polling under
// context.Background(). ID processing never ends within the test, so only
// the bound can end Verify (a 5 s delay with a 2 s limit on the whole
// Verify failed whenever a loaded machine took 2 s to upload); the minute
// only turns a broken bound into a failure instead of a hang.
func TestPollBound(t *testing.T) {
	t.Parallel()
	srv := incodetest.New(t, incodetest.WithDelay(time.Hour))
	c := client(t, srv, func(cfg *incode.Config) {
		cfg.PollTimeout, cfg.PollInterval = 200*time.Millisecond, 20*time.Millisecond
	})
	type verified struct {
		res *kyc.Result
		err error
	}
	done := make(chan verified, 1)
	go func() {
		res, err := c.Verify(context.Background(), request(t, "bound-1", "", "", ""))
		done <- verified{res, err}
	}()
	var v verified
	select {
	case v = <-done:
	case <-time.After(time.Minute):
		t.Fatal("the poll bound did not end Verify")
	}
	res, err := v.res, v.err
	require.NoError(t, err)
	assert.Equal(t, kyc.StatusPending, res.Status)
	assert.Equal(t, []kyc.Reason{kyc.ReasonNotFinished}, res.Reasons)
	assert.NotEmpty(t, res.Reference)
	_, err = incode.New(incode.Config{APIKey: kyc.NewSecret("k"), PollTimeout: -1})
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
}
