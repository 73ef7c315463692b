package ekycidtest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/ekycid/ekycidtest"
	"github.com/kyc-go/kyc/kyctest"
)

func request(docMarker, selfieMarker string) kyc.Request {
	front, _ := kyc.ImageFromBytes(kyctest.MagicImage(docMarker, 0))
	selfie, _ := kyc.ImageFromBytes(kyctest.MagicImage(selfieMarker, 0))
	return kyc.Request{ID: "case-1", Country: "KHM", Document: kyc.Document{Type: kyc.DocumentIDCard, Front: front}, Selfie: selfie}
}

// Start a fake and point a client at it: Config gives an API key it
// accepts, Options its URL and a client trusting its certificate.
func ExampleNewServer() {
	srv := ekycidtest.NewServer(ekycidtest.WithDelay(10 * time.Millisecond))
	defer srv.Close()
	c, err := ekycid.New(srv.Config(), srv.Options()...)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()

	res, err := c.Verify(context.Background(), request("", kyctest.ImageApproved))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, srv.Count("/v0/express-kyc"))
	// Output: approved 1
}

// Make a rejection: a magic selfie chooses the outcome.
func Example_rejection() {
	srv := ekycidtest.NewServer(ekycidtest.WithDelay(0))
	defer srv.Close()
	c, _ := ekycid.New(srv.Config(), srv.Options()...)
	defer c.Close()

	for _, marker := range []string{kyctest.ImageFaceMismatch, kyctest.ImageNoFace} {
		res, err := c.Verify(context.Background(), request("", marker))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(res.Status, res.Reasons, res.Resubmit)
	}
	// Output:
	// rejected [face_mismatch] false
	// rejected [no_face] true
}

// Inject a fault: the first reply read is answered 503, which the client
// retries; the second submission's answer is lost after the fake processed
// it, and the resend (same idempotent_id) is answered the first id.
func ExampleServer_Inject() {
	srv := ekycidtest.NewServer(ekycidtest.WithDelay(0))
	defer srv.Close()
	c, _ := ekycid.New(srv.Config(), append(srv.Options(), kyc.WithRetry(2, 10*time.Millisecond))...)
	defer c.Close()
	ctx := context.Background()

	srv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503, Path: "api-request-reply"})
	res, err := c.Verify(ctx, request("", ""))
	fmt.Println(res.Status, err)

	srv.Inject(kyctest.Fault{Kind: kyctest.FaultDrop, After: true, Path: "express-kyc"})
	sub, err := c.ExpressKYC(ctx, ekycid.ExpressKYCRequest{
		Document: ekycid.MediaURL(ekycidtest.MagicURL("")), Face: ekycid.MediaURL(ekycidtest.MagicURL("")),
	})
	fmt.Println(err, srv.Sends(sub.IdempotentID), srv.DuplicateSends())

	// A server error on the submission: nothing is processed, so the
	// error carries no Reference.
	_, err = c.Verify(ctx, request(kyctest.ImageServerError, ""))
	var kerr *kyc.Error
	fmt.Println(errors.As(err, &kerr) && kerr.Reference == "", kyc.KindOf(err))
	// Output:
	// approved <nil>
	// <nil> 1 0
	// true provider unavailable
}
