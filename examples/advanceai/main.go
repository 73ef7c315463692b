// Command advanceai runs one ADVANCE.AI H5 document verification: it creates
// the link, has the person "complete" it, and reads the result.
//
// With no environment it runs against the in-process fake (advanceaitest),
// opening the link itself. With ADVANCEAI_ACCESS_KEY and
// ADVANCEAI_SECRET_KEY set it talks to the real vendor (ADVANCEAI_BASE_URL
// overrides the host, ADVANCEAI_RETURN_URL the return page): it prints the
// link for you to open on a phone and polls the result until the
// verification finishes or ten minutes pass (Ctrl-C stops it).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/advanceai/advanceaitest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "advanceai example:", err)
		os.Exit(1)
	}
}

func run() error {
	ak, sk := os.Getenv("ADVANCEAI_ACCESS_KEY"), os.Getenv("ADVANCEAI_SECRET_KEY")
	if ak != "" && sk != "" {
		return runReal(ak, sk)
	}
	return runFake()
}

func request(returnURL string) kyc.Request {
	return kyc.Request{
		ID:      fmt.Sprintf("example-%d", time.Now().UnixNano()),
		Country: advanceai.RegionIndonesia,
		Link:    kyc.LinkOptions{ReturnURL: returnURL},
	}
}

func runFake() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv := advanceaitest.NewServer()
	defer srv.Close()
	c, err := advanceai.New(srv.Config(), srv.Options()...)
	if err != nil {
		return err
	}
	defer c.Close()

	res, err := c.Verify(ctx, request("https://www.example.com/done"))
	if err != nil {
		return err
	}
	fmt.Printf("verify:  %s, reference %s, link valid until %s\n", res.Status, res.Reference, res.Link.ExpiresAt.Format(time.RFC3339))

	// The person opens the link and captures the card: on the fake, a GET
	// of the link finishes the verification with SUCCESS.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, res.Link.URL, nil)
	if err != nil {
		return err
	}
	page, err := srv.Client().Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, page.Body)
	_ = page.Body.Close()
	fmt.Printf("h5 page: HTTP %d (the fake finished the capture)\n", page.StatusCode)

	res, err = c.Result(ctx, res.Reference)
	if err != nil {
		return err
	}
	printResult(res)
	fmt.Printf("fake:    %d token request(s), %d request(s) in all\n", srv.TokenRequests(), len(srv.Requests()))
	if res.Status != kyc.StatusApproved {
		return fmt.Errorf("expected approved, got %s", res.Status)
	}
	return nil
}

func runReal(ak, sk string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	var opts []kyc.Option
	if u := os.Getenv("ADVANCEAI_BASE_URL"); u != "" {
		opts = append(opts, kyc.WithBaseURL(u))
	}
	c, err := advanceai.New(advanceai.Config{AccessKey: ak, SecretKey: kyc.NewSecret(sk)}, opts...)
	if err != nil {
		return err
	}
	defer c.Close()
	ret := os.Getenv("ADVANCEAI_RETURN_URL")
	if ret == "" {
		ret = "https://www.example.com/done"
	}
	res, err := c.Verify(ctx, request(ret))
	if err != nil {
		return err
	}
	fmt.Printf("verify:  %s, reference %s\nopen this link on a phone (valid until %s):\n  %s\n",
		res.Status, res.Reference, res.Link.ExpiresAt.Format(time.RFC3339), res.Link.URL)
	ref := res.Reference
	for {
		res, err = c.Result(ctx, ref)
		switch {
		case err != nil && ctx.Err() == nil:
			return err
		case err == nil && res.Status != kyc.StatusPending:
			printResult(res)
			return nil
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				fmt.Println("result:  still pending when the wait ended; read it later with the reference")
				return nil
			}
			return ctx.Err()
		case <-time.After(5 * time.Second):
		}
	}
}

func printResult(res *kyc.Result) {
	fmt.Printf("result:  %s, reasons %v, resubmit %v, charged %s\n", res.Status, res.Reasons, res.Resubmit, res.Charged)
	if d := res.Document; d != nil {
		fmt.Printf("ocr:     %s card, birth date %s, %d raw fields\n", d.IssuingCountry, d.DateOfBirth.Format("2006-01-02"), len(d.Extra))
	}
}
