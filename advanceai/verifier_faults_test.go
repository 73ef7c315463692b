package advanceai_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/advanceai/advanceaitest"
	"github.com/kyc-go/kyc/kyctest"
)

func TestInjectedFaultsNeverDuplicateALink(t *testing.T) {
	t.Parallel()
	srv := advanceaitest.New(t)
	c := client(t, srv, kyc.WithRetry(3, 20*time.Millisecond))
	srv.FaultRate(0.3, 7,
		kyctest.Fault{Kind: kyctest.FaultRateLimit, RetryAfter: "0"},
		kyctest.Fault{Kind: kyctest.FaultStatus, Status: http.StatusServiceUnavailable},
		kyctest.Fault{Kind: kyctest.FaultStatus, Status: http.StatusBadGateway, After: true},
		kyctest.Fault{Kind: kyctest.FaultMalformed, After: true},
		kyctest.Fault{Kind: kyctest.FaultDrop},
		kyctest.Fault{Kind: kyctest.FaultTruncate},
	)
	var ok, failed int
	for i := range 60 {
		_, err := c.Verify(context.Background(), idn(fmt.Sprintf("f-%d", i)))
		if err != nil {
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			failed++
			continue
		}
		ok++
	}
	assert.Positive(t, ok)
	assert.Positive(t, failed)
	assert.NotEmpty(t, srv.Injected())
	assert.Zero(t, srv.DuplicateSends())
}

// TestResendPolicy counts, at the fake, what each fault does to a billed
// GenerateURL and a free GetResult under the default options.
func TestResendPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		fault       kyctest.Fault
		sends       int  // generate-url requests that reached the fake
		links       int  // links the fake created
		ok          bool // Verify succeeds
		unprocessed bool // when it fails: Unprocessed
	}{
		{"503 before", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503}, 2, 1, true, false},
		{"429 before", kyctest.Fault{Kind: kyctest.FaultRateLimit, RetryAfter: "0"}, 2, 1, true, false},
		{"drop before the logic", kyctest.Fault{Kind: kyctest.FaultDrop}, 1, 0, false, false},
		{"500 after", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 500, After: true}, 1, 1, false, false},
		{"502 after", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 502, After: true}, 1, 1, false, false},
		{"504 after", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 504, After: true}, 1, 1, false, false},
		{"503 three times", kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503, Times: 3}, 3, 0, false, true},
		{"truncated 200", kyctest.Fault{Kind: kyctest.FaultTruncate}, 1, 1, false, false},
		{"malformed 200", kyctest.Fault{Kind: kyctest.FaultMalformed, After: true}, 1, 1, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := advanceaitest.New(t)
			c := client(t, srv, kyc.WithRetry(2, 10*time.Millisecond))
			_, err := c.Token(context.Background())
			require.NoError(t, err)
			f := tt.fault
			f.Path = advanceai.PathGenerateURL
			srv.Inject(f)
			_, err = c.Verify(context.Background(), idn("policy"))
			assert.Equal(t, tt.sends, srv.Count(advanceai.PathGenerateURL), "requests at the fake")
			assert.Equal(t, tt.links, srv.Sends("policy"), "links created")
			if tt.ok {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			var kerr *kyc.Error
			require.ErrorAs(t, err, &kerr)
			assert.Equal(t, tt.unprocessed, kerr.Unprocessed)
			assert.Equal(t, !tt.unprocessed, kyc.MayHaveCharged(err))
		})
	}
	t.Run("free GetResult is retried after a 500", func(t *testing.T) {
		t.Parallel()
		c, srv := setup(t)
		res, err := c.Verify(context.Background(), idn("read"))
		require.NoError(t, err)
		srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 500, Path: advanceai.PathGetResult, After: true})
		_, err = c.Result(context.Background(), res.Reference)
		require.NoError(t, err)
		assert.Equal(t, 2, srv.Count(advanceai.PathGetResult))
	})
}
