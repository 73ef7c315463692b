// Command rotation is the harness's Atlas probe. G goroutines call
// VerifyPAN through one AES-signed client for a window, in two kinds that
// take turns each round: "steady", whose salt never rotates in the window,
// and "rotating", whose clock (kyc.WithClock) jumps by a whole
// Config.SaltRotation every -every, so that its key is renewed again and
// again under load. The server counts the distinct salts it sees, so the
// rotations are observed, not assumed. It also times the first call of a
// new client whose secret another client already derived, against the
// first call of a Basic-auth client. It prints JSON for scripts/benchmarks.
package main

import (
	"context"
	"flag"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/scripts/benchmarks/internal/probe"
)

const keyID = "abeb3372fa4eaf530"

func main() {
	f := probe.Register()
	g := flag.Int("g", 4, "goroutines")
	latency := flag.Duration("latency", 5*time.Millisecond, "server latency")
	warm := flag.Duration("warm", 500*time.Millisecond, "warm-up before each window")
	dur := flag.Duration("dur", 3*time.Second, "window per kind per round")
	rot := flag.Duration("rotation", time.Minute, "Config.SaltRotation of the rotating client")
	every := flag.Duration("every", 250*time.Millisecond, "real time between the rotating client's clock jumps")
	flag.Parse()
	ctx := context.Background()

	var offset atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	steady := mustAtlas(f, atlas.Config{KeyID: keyID, KeySecret: kyc.NewSecret("steady-secret")})
	rotating := mustAtlas(f, atlas.Config{KeyID: keyID, KeySecret: kyc.NewSecret("rotating-secret"), SaltRotation: *rot},
		kyc.WithClock(clock))
	for _, c := range []*atlas.Client{steady, rotating} {
		if err := c.Warm(ctx); err != nil {
			probe.Fatal(err)
		}
	}
	call := func(c *atlas.Client) probe.Call {
		return func(ctx context.Context) error { _, err := c.VerifyPAN(ctx, "ABCDE1234F"); return err }
	}

	out := &probe.Output{Settings: map[string]string{
		"goroutines": strconv.Itoa(*g), "latency": latency.String(), "window": dur.String(),
		"SaltRotation": rot.String(), "jump every": every.String(), "rounds": strconv.Itoa(f.Rounds),
	}}
	f.SetLatency(*latency)
	defer f.SetLatency(0)
	kinds := []string{"steady", "rotating"}
	for r := range f.Rounds {
		for _, k := range probe.Order(kinds, r) {
			c := steady
			stop := make(chan struct{})
			if k == "rotating" {
				c = rotating
				go func() {
					t := time.NewTicker(*every)
					defer t.Stop()
					for {
						select {
						case <-stop:
							return
						case <-t.C:
							offset.Add(int64(*rot))
						}
					}
				}()
			}
			s0 := f.MustRead()
			p := f.Load(ctx, *g, *warm, *dur, call(c))
			close(stop)
			p.Extra = float64(f.MustRead().Sub(s0).Salts) // keys seen: rotations + the current one
			out.Samples = append(out.Samples, probe.Sample{Case: k, Side: "atlas", Round: r, Cost: p})
		}
	}

	// A new client of a secret already derived in the process, against a
	// Basic-auth client: both dial, neither should derive.
	firsts := []string{"shared-first", "basic-first"}
	for r := range f.Rounds {
		for _, k := range probe.Order(firsts, r) {
			cfg := atlas.Config{KeyID: keyID, KeySecret: kyc.NewSecret("steady-secret")}
			if k == "basic-first" {
				cfg.Auth = atlas.AuthBasic
			}
			c := mustAtlas(f, cfg)
			p := probe.Sequential(ctx, 1, call(c))
			c.Close()
			out.Samples = append(out.Samples, probe.Sample{Case: k, Side: "atlas", Round: r, Cost: p})
		}
	}
	out.Print()
}

func mustAtlas(f *probe.Flags, cfg atlas.Config, opts ...kyc.Option) *atlas.Client {
	c, err := atlas.New(cfg, append([]kyc.Option{kyc.WithBaseURL(f.URL)}, opts...)...)
	if err != nil {
		probe.Fatal(err)
	}
	return c
}
