// Command advanceai runs one ADVANCE.AI H5 document verification: it creates
// the link, has the person complete it, and reads the result.
//
//	go run ./examples/advanceai
//
// It reads these environment variables, and no others:
//
//	ADVANCEAI_ACCESS_KEY       the account's access key   (required for the vendor)
//	ADVANCEAI_SECRET_KEY       the account's secret key   (required for the vendor)
//	ADVANCEAI_BASE_URL         another API host, e.g. https://sg-api.advance.ai (default https://api.advance.ai)
//	ADVANCEAI_RETURN_URL       where the H5 page sends the person (default https://www.example.com/done)
//	ADVANCEAI_FAIL_RETURN_URL  where it sends them when no OCR result came (default: the return URL)
//	ADVANCEAI_WAIT             how long to poll the result, e.g. 10m (default 10m, at most 1h)
//
// With none of them set it runs against the in-process fake (advanceaitest)
// and says so on its first line, posting a photo to the link itself. With
// both keys set it talks to the vendor: it prints the link for you to open
// on a phone and polls the result until the verification finishes or
// ADVANCEAI_WAIT passes (Ctrl-C stops it). Any other combination (a key
// without the other, or a URL without the keys) is refused with the name
// of the missing variable: it never falls back to the fake.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/advanceai/advanceaitest"
	"github.com/kyc-go/kyc/kyctest"
)

// The environment variables the example reads.
const (
	envAccessKey  = "ADVANCEAI_ACCESS_KEY"
	envSecretKey  = "ADVANCEAI_SECRET_KEY"
	envBaseURL    = "ADVANCEAI_BASE_URL"
	envReturnURL  = "ADVANCEAI_RETURN_URL"
	envFailReturn = "ADVANCEAI_FAIL_RETURN_URL"
	envWait       = "ADVANCEAI_WAIT"
)

// envVars lists them, for the checks and the messages.
var envVars = []string{envAccessKey, envSecretKey, envBaseURL, envReturnURL, envFailReturn, envWait}

// Defaults for the optional variables.
const (
	defaultReturnURL = "https://www.example.com/done"
	defaultWait      = 10 * time.Minute
	maxWait          = time.Hour
	pollInterval     = 5 * time.Second
)

func main() {
	cfg, err := configure(os.Getenv)
	if err == nil {
		if cfg.fake {
			err = runFake(os.Stdout)
		} else {
			err = runVendor(cfg)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "advanceai example:", err)
		os.Exit(1)
	}
}

// config is what the environment asks for.
type config struct {
	fake                 bool
	accessKey, secretKey string
	baseURL              string
	returnURL, failURL   string
	wait                 time.Duration
}

// configure reads the environment through getenv. It chooses the fake only
// when no ADVANCEAI_* variable is set, and otherwise names the first
// variable missing for the vendor.
func configure(getenv func(string) string) (config, error) {
	var set []string
	for _, v := range envVars {
		if getenv(v) != "" {
			set = append(set, v)
		}
	}
	if len(set) == 0 {
		return config{fake: true}, nil
	}
	cfg := config{
		accessKey: getenv(envAccessKey), secretKey: getenv(envSecretKey), baseURL: getenv(envBaseURL),
		returnURL: getenv(envReturnURL), failURL: getenv(envFailReturn), wait: defaultWait,
	}
	for _, v := range []string{envAccessKey, envSecretKey} {
		if getenv(v) == "" {
			return config{}, fmt.Errorf("%s is not set (%s set: both keys are needed to reach the vendor; unset every ADVANCEAI_* variable to run against the fake)",
				v, strings.Join(set, ", "))
		}
	}
	if cfg.returnURL == "" {
		cfg.returnURL = defaultReturnURL
	}
	if w := getenv(envWait); w != "" {
		d, err := time.ParseDuration(w)
		if err != nil || d <= 0 || d > maxWait {
			return config{}, fmt.Errorf("%s=%q: a duration such as 10m, at most %s", envWait, w, maxWait)
		}
		cfg.wait = d
	}
	return cfg, nil
}

func request(returnURL, failURL string) kyc.Request {
	return kyc.Request{
		ID:      fmt.Sprintf("example-%d", time.Now().UnixNano()),
		Country: advanceai.RegionIndonesia,
		Link:    kyc.LinkOptions{ReturnURL: returnURL, FailReturnURL: failURL},
	}
}

// runFake runs the flow against the in-process fake, writing to out.
func runFake(out io.Writer) error {
	fmt.Fprintf(out, "mode:    in-process fake (advanceaitest): %s and %s are not set\n", envAccessKey, envSecretKey)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv := advanceaitest.NewServer()
	defer srv.Close()
	c, err := advanceai.New(srv.Config(), srv.Options()...)
	if err != nil {
		return err
	}
	defer c.Close()

	res, err := c.Verify(ctx, request(defaultReturnURL, ""))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "verify:  %s, link valid until %s\n", res.Status, res.Link.ExpiresAt.Format(time.RFC3339))

	// The person opens the link and photographs the card: on the fake, a
	// POST of an image to the link; its magic marker chooses the verdict.
	photo := kyctest.MagicImage(kyctest.ImageApproved, 0)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, res.Link.URL, bytes.NewReader(photo))
	if err != nil {
		return err
	}
	page, err := srv.Client().Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, page.Body)
	_ = page.Body.Close()
	fmt.Fprintf(out, "h5 page: HTTP %d (the fake captured the card)\n", page.StatusCode)

	res, err = c.Result(ctx, res.Reference)
	if err != nil {
		return err
	}
	printResult(out, res)
	fmt.Fprintf(out, "fake:    %d token request(s), %d request(s) in all\n", srv.TokenRequests(), len(srv.Requests()))
	if res.Status != kyc.StatusApproved {
		return fmt.Errorf("expected approved, got %s", res.Status)
	}
	return nil
}

// runVendor runs the flow against ADVANCE.AI.
func runVendor(cfg config) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var opts []kyc.Option
	if cfg.baseURL != "" {
		opts = append(opts, kyc.WithBaseURL(cfg.baseURL))
	}
	c, err := advanceai.New(advanceai.Config{AccessKey: cfg.accessKey, SecretKey: kyc.NewSecret(cfg.secretKey)}, opts...)
	if err != nil {
		return err
	}
	defer c.Close()
	host := cfg.baseURL
	if host == "" {
		host = advanceai.DefaultBaseURL
	}
	fmt.Printf("mode:    ADVANCE.AI at %s, return URL %s\n", host, cfg.returnURL)
	res, err := c.Verify(ctx, request(cfg.returnURL, cfg.failURL))
	if err != nil {
		var kerr *kyc.Error
		if errors.As(err, &kerr) && kerr.Reference != "" {
			fmt.Printf("verify:  failed after the link was created: reference %s\n", kerr.Reference)
		}
		return err
	}
	fmt.Printf("verify:  %s, reference %s\nopen this link on a phone (valid until %s):\n  %s\n",
		res.Status, res.Reference, res.Link.ExpiresAt.Format(time.RFC3339), res.Link.URL)
	return poll(ctx, c, res.Reference, cfg.wait)
}

// poll reads the result until it is final, ctx ends or wait passes.
func poll(ctx context.Context, c *advanceai.Client, ref string, wait time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		res, err := c.Result(ctx, ref)
		switch {
		case err != nil && ctx.Err() == nil && !kyc.IsRetryable(err):
			return err
		case err == nil && res.Status != kyc.StatusPending:
			printResult(os.Stdout, res)
			return nil
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				fmt.Printf("result:  still pending after %s; read it later with the reference %s\n", wait, ref)
				return nil
			}
			return ctx.Err()
		case <-time.After(pollInterval):
		}
	}
}

func printResult(out io.Writer, res *kyc.Result) {
	fmt.Fprintf(out, "result:  %s, reasons %v, resubmit %v, charged %s\n", res.Status, res.Reasons, res.Resubmit, res.Charged)
	if d := res.Document; d != nil {
		// The OCR is personal data: print only its shape.
		fmt.Fprintf(out, "ocr:     %s card, birth date read: %v, %d raw fields\n", d.IssuingCountry, !d.DateOfBirth.IsZero(), len(d.Extra))
	}
}
