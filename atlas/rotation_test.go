package atlas

import (
	"context"
	"encoding/base64"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas/internal/tslayout"
)

func testSigner(t *testing.T, secret string, ring *keyRing) *aesSigner {
	t.Helper()
	l, err := tslayout.Parse(DefaultTimestampLayout)
	require.NoError(t, err)
	return &aesSigner{keyID: "abeb3372fa4eaf530", secret: kyc.NewSecret(secret), layout: l, loc: istZone,
		rotate: time.Hour, ring: ring}
}

// saltOf returns the salt an Authorization header's api_key opens with.
func saltOf(t *testing.T, header string) string {
	t.Helper()
	_, rest, _ := strings.Cut(header, "api_key=")
	b64, _, _ := strings.Cut(rest, ",")
	raw, err := base64.StdEncoding.DecodeString(b64)
	require.NoError(t, err)
	return string(raw[:SaltLen])
}

// TestRotationDoesNotStall is issue 17's measurement: 4 goroutines sign
// while the salt rotates under them. Nobody waits for the next key's
// PBKDF2 derivation: it runs once, in the background, and the current salt
// signs until it is ready. The timing bound holds outside the race
// detector's distortion (raceEnabled, norace_test.go).
func TestRotationDoesNotStall(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	s := testSigner(t, "rotation-stall-secret", &keyRing{})
	ctx := context.Background()

	start := time.Now()
	first, err := s.header(ctx, now()) // the one wait: the secret's first key
	require.NoError(t, err)
	derivation := time.Since(start)

	// run has 4 goroutines sign calls headers each, as requests would (not
	// in a busy loop); rotateAt > 0 moves the clock past SaltRotation after
	// that many calls of the first goroutine.
	const workers, calls = 4, 2000
	run := func(rotateAt int) (sorted []time.Duration, lastSalt []string) {
		durations := make([][]time.Duration, workers)
		lastSalt = make([]string, workers)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := make([]time.Duration, 0, calls)
				for i := range calls {
					if w == 0 && i == rotateAt && rotateAt > 0 {
						clock.Add(int64(61 * time.Minute))
					}
					t0 := time.Now()
					h, err := s.header(ctx, now())
					d = append(d, time.Since(t0))
					if err != nil {
						t.Error(err)
						return
					}
					lastSalt[w] = saltOf(t, h)
					time.Sleep(20 * time.Microsecond)
				}
				durations[w] = d
			}()
		}
		wg.Wait()
		sorted = slices.Concat(durations...)
		slices.Sort(sorted)
		return sorted, lastSalt
	}
	stats := func(all []time.Duration) (median, p999, worst time.Duration, slow int) {
		for _, d := range all {
			if d > 10*time.Millisecond {
				slow++
			}
		}
		return all[len(all)/2], all[len(all)*999/1000], all[len(all)-1], slow
	}

	base, _ := run(0)
	bMedian, bP999, bWorst, _ := stats(base)
	all, lastSalt := run(calls / 4)
	median, p999, worst, slow := stats(all)

	// The next key may still be on its way (the race detector slows
	// PBKDF2 tenfold): until then the current salt signs.
	require.Eventually(t, func() bool { return s.ring.latest.Load().gen == 2 }, 10*time.Second, time.Millisecond)
	h, err := s.header(ctx, now())
	require.NoError(t, err)
	assert.NotEqual(t, saltOf(t, first), saltOf(t, h), "the new salt signs once it is ready")
	assert.EqualValues(t, 2, s.ring.derived.Load(), "two derivations: the first key and one rotation, for all four goroutines")
	if !raceEnabled {
		for w := range workers {
			assert.NotEqual(t, saltOf(t, first), lastSalt[w], "goroutine %d took up the new salt before its last call", w)
		}
	}
	t.Logf("without rotation, %d calls: median %v, p99.9 %v, worst %v (%.0fx the median)",
		len(base), bMedian, bP999, bWorst, float64(bWorst)/float64(bMedian))
	t.Logf("across a rotation, %d calls: median %v, p99.9 %v (%.0fx the median without rotation), worst %v (%.0fx the median); %d calls over 10 ms; one PBKDF2 derivation %v",
		len(all), median, p999, float64(p999)/float64(bMedian), worst, float64(worst)/float64(median), slow, derivation)
	if raceEnabled || testing.Short() {
		return
	}
	assert.Zero(t, slow, "no call waits for a derivation")
	assert.Less(t, worst, derivation/2, "the worst call is far from a derivation's cost")
}

// TestOneDerivationForAllCallers: concurrent first callers of a secret
// share one derivation, and a second client of the secret derives nothing.
func TestOneDerivationForAllCallers(t *testing.T) {
	t.Parallel()
	ring := &keyRing{}
	s := testSigner(t, "single-flight-secret", ring)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.header(context.Background(), time.Now())
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 1, ring.derived.Load())

	other := testSigner(t, "single-flight-secret", ring)
	start := time.Now()
	h, err := other.header(context.Background(), time.Now())
	require.NoError(t, err)
	t.Logf("a second client's first header: %v", time.Since(start))
	assert.EqualValues(t, 1, ring.derived.Load(), "the second client shares the key")
	h1, err := s.header(context.Background(), time.Now())
	require.NoError(t, err)
	assert.Equal(t, saltOf(t, h1), saltOf(t, h))
}

// TestKeyRingCache: clients of one secret get one ring, keyed by an HMAC of
// the secret; the cache is bounded.
func TestKeyRingCache(t *testing.T) {
	t.Parallel()
	var c ringCache
	a := c.ring(kyc.NewSecret("secret-a"))
	assert.Same(t, a, c.ring(kyc.NewSecret("secret-a")))
	assert.NotSame(t, a, c.ring(kyc.NewSecret("secret-b")))
	for i := range 2 * maxRings {
		c.ring(kyc.NewSecret("s" + strings.Repeat("x", i)))
	}
	assert.Len(t, c.m, maxRings)
	assert.Len(t, c.order, maxRings)
	assert.NotSame(t, a, c.ring(kyc.NewSecret("secret-a")), "the oldest ring was dropped")

	// New shares through the process's cache.
	c1, err := New(Config{KeyID: "k", KeySecret: kyc.NewSecret("shared-by-new")})
	require.NoError(t, err)
	c2, err := New(Config{KeyID: "k2", KeySecret: kyc.NewSecret("shared-by-new")})
	require.NoError(t, err)
	assert.Same(t, c1.aes.ring, c2.aes.ring)
}

// TestWarmAndCancelledFirstKey: a first header whose context ends while
// the key is derived fails with the context's error, and the derivation
// still serves the next caller.
func TestWarmAndCancelledFirstKey(t *testing.T) {
	t.Parallel()
	ring := &keyRing{}
	s := testSigner(t, "cancelled-first-key", ring)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.header(ctx, time.Now())
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, s.warm(context.Background(), time.Now()))
	assert.EqualValues(t, 1, ring.derived.Load())
	assert.NotNil(t, s.state.Load())
	require.NoError(t, s.warm(context.Background(), time.Now()), "a fresh key: nothing to do")
	assert.EqualValues(t, 1, ring.derived.Load())
	require.NoError(t, s.warm(context.Background(), time.Now().Add(55*time.Minute)), "due for renewal: waits for the next key")
	assert.EqualValues(t, 2, ring.derived.Load())
	require.NoError(t, s.warm(context.Background(), time.Now().Add(-2*time.Hour)), "the clock went back")
	assert.EqualValues(t, 3, ring.derived.Load())
}
