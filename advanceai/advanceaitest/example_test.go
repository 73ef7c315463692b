package advanceaitest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/advanceai/advanceaitest"
	"github.com/kyc-go/kyc/kyctest"
)

func request(id string) kyc.Request {
	return kyc.Request{ID: id, Country: "IDN", Link: kyc.LinkOptions{ReturnURL: "https://example.com/done"}}
}

// Start a fake, point a client at it, create a link and have the person
// capture an ordinary card by opening it.
func Example() {
	srv := advanceaitest.NewServer() // advanceaitest.New(t) in a test closes it
	defer srv.Close()
	c, err := advanceai.New(srv.Config(), srv.Options()...)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	res, err := c.Verify(ctx, request("case-1"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verify:", res.Status)

	page, err := srv.Client().Get(res.Link.URL) // the person opens the link
	if err != nil {
		log.Fatal(err)
	}
	_ = page.Body.Close()

	res, err = c.Result(ctx, res.Reference)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("result:", res.Status, res.Document.IssuingCountry)
	// Output:
	// verify: pending
	// result: approved IDN
}

// Make a rejection: the person posts a photo of a forged card to the link.
// The magic marker in the image chooses the vendor's verdict.
func Example_rejection() {
	srv := advanceaitest.NewServer()
	defer srv.Close()
	c, _ := advanceai.New(srv.Config(), srv.Options()...)
	defer c.Close()
	ctx := context.Background()

	res, _ := c.Verify(ctx, request("case-2"))
	photo := kyctest.MagicImage(kyctest.ImageForged, 0)
	page, err := srv.Client().Post(res.Link.URL, "image/jpeg", bytes.NewReader(photo))
	if err != nil {
		log.Fatal(err)
	}
	_ = page.Body.Close()

	res, _ = c.Result(ctx, res.Reference)
	fmt.Println(res.Status, res.Reasons, "resubmit:", res.Resubmit)
	// Output: rejected [document_forged] resubmit: false
}

// Inject a fault: generate-url answers 503 once. The vendor processed
// nothing, so the client sends it again, and exactly one link exists.
func Example_fault() {
	srv := advanceaitest.NewServer()
	defer srv.Close()
	c, _ := advanceai.New(srv.Config(), append(srv.Options(), kyc.WithRetry(2, 10*time.Millisecond))...)
	defer c.Close()

	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: http.StatusServiceUnavailable, Path: advanceai.PathGenerateURL})
	res, err := c.Verify(context.Background(), request("case-3"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status, "requests:", srv.Count(advanceai.PathGenerateURL), "links:", srv.Sends("case-3"))

	// A 500 after the vendor processed the request is not resent: the
	// error says it may have charged.
	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: http.StatusInternalServerError, Path: advanceai.PathGenerateURL, After: true})
	_, err = c.Verify(context.Background(), request("case-4"))
	fmt.Println(errors.Is(err, kyc.ErrUnavailable), kyc.MayHaveCharged(err), "links:", srv.Sends("case-4"))
	// Output:
	// pending requests: 2 links: 1
	// true true links: 1
}

// Finish a verification from the test, without an HTTP request.
func ExampleServer_Capture() {
	srv := advanceaitest.NewServer()
	defer srv.Close()
	c, _ := advanceai.New(srv.Config(), srv.Options()...)
	defer c.Close()
	ctx := context.Background()

	res, _ := c.Verify(ctx, request("case-5"))
	_ = srv.Capture(advanceaitest.SignatureID(res.Reference), kyctest.MagicImage(kyctest.ImageNotFinished, 0))
	first, _ := c.Result(ctx, res.Reference)
	second, _ := c.Result(ctx, res.Reference)
	fmt.Println(first.Status, second.Status)
	// Output: pending approved
}

// SignatureID is the vendor id inside a Reference, for Capture, Complete
// and SetOutcome.
func ExampleSignatureID() {
	fmt.Println(advanceaitest.SignatureID("advanceai:ed8b21c0c87ad617"))
	// Output: ed8b21c0c87ad617
}

// MagicOutcome says what the fake answers for a magic input, and whether
// ADVANCE.AI can produce that outcome at all.
func ExampleMagicOutcome() {
	for _, m := range []string{kyctest.ImageLowQuality, kyctest.ImageFaceMismatch} {
		code, produced := advanceaitest.MagicOutcome(m)
		fmt.Println(m, code, produced)
	}
	// Output:
	// low_quality LOW_QUALITY_IMAGE true
	// face_mismatch SUCCESS false
}
