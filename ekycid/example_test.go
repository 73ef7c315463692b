package ekycid_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/ekycid/ekycidtest"
	"github.com/kyc-go/kyc/kyctest"
)

func ExampleNew() {
	c, err := ekycid.New(ekycid.Config{APIKey: kyc.NewSecret(os.Getenv("EKYC_API_KEY"))},
		kyc.WithTimeout(20*time.Second))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
}

func ExampleClient_Verify() {
	srv := ekycidtest.NewServer()
	defer srv.Close()
	c, err := ekycid.New(srv.Config(), srv.Options()...)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()

	front, _ := kyc.ImageFromBytes(kyctest.MagicImage("", 0))
	selfie, _ := kyc.ImageFromBytes(kyctest.MagicImage(kyctest.ImageFaceMismatch, 0))
	res, err := c.Verify(context.Background(), kyc.Request{
		ID: "case-42", Country: "KHM", Document: kyc.Document{Type: kyc.DocumentIDCard, Front: front}, Selfie: selfie,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.Reasons, res.Scores.FaceMatch)
	// Output: rejected [face_mismatch] 0.12
}

func ExampleClient_ExpressKYC() {
	srv := ekycidtest.NewServer(ekycidtest.WithDelay(10 * time.Millisecond))
	defer srv.Close()
	c, _ := ekycid.New(srv.Config(), srv.Options()...)
	defer c.Close()
	ctx := context.Background()

	sub, err := c.ExpressKYC(ctx, ekycid.ExpressKYCRequest{
		Document: ekycid.MediaURL(ekycidtest.MagicURL("")),
		Face:     ekycid.MediaURL(ekycidtest.MagicURL("")),
		Sequences: []ekycid.Sequence{
			{Checks: []ekycid.Check{ekycid.CheckLeft}, Video: ekycid.VideoURL("https://media.ekycid.test/left.mp4")},
			{Checks: []ekycid.Check{ekycid.CheckBlink}, Video: ekycid.VideoFromBytes(ekycidtest.MagicVideo(""), "video/mp4")},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	reply, err := c.Wait(ctx, sub.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	o := reply.Outcome()
	fmt.Println(o.Document.Number, o.FaceMatch.Decision == ekycid.DecisionPass, o.Liveness.Decision == ekycid.DecisionPass)
	// Output: 100000001 true true
}

func ExampleClient_OCR() {
	srv := ekycidtest.NewServer(ekycidtest.WithDelay(0))
	defer srv.Close()
	c, _ := ekycid.New(srv.Config(), srv.Options()...)
	defer c.Close()
	ctx := context.Background()

	card, _ := kyc.ImageFromBytes(kyctest.MagicImage("", 0))
	sub, err := c.OCR(ctx, ekycid.OCRRequest{Image: ekycid.MediaImage(card)})
	if err != nil {
		fmt.Println(err)
		return
	}
	reply, err := c.Wait(ctx, sub.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	d := reply.Document()
	fmt.Println(d.LastName, d.DateOfBirth.Format("2006-01-02"), d.ExpiryDate.Format("2006-01-02"))
	// Output: POV 1990-08-03 2032-01-25
}

func ExampleClient_Call() {
	srv := ekycidtest.NewServer()
	defer srv.Close()
	c, _ := ekycid.New(srv.Config(), srv.Options()...)
	defer c.Close()

	// ABIS has no public wire format: Call reaches the path the vendor
	// gives you, signed, with errors mapped as for the typed methods. The
	// zero Class is kyc.ClassBilled: never resent after an ambiguous
	// failure.
	op := kyc.Operation{Name: "ekycid.ABISIdentify", Method: "POST", Path: "/v0/abis/identify"}
	var out json.RawMessage
	err := c.Call(context.Background(), op, map[string]string{"subject": "s-1"}, &out)
	fmt.Println(err)
	// Output: ekycid.ABISIdentify: not found (HTTP 404, code NOT_FOUND): no such request or endpoint
}

func ExampleClient_Result() {
	// The fake's clock, which the example moves on: the vendor takes a
	// minute of it to finish.
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv := ekycidtest.NewServer(ekycidtest.WithClock(clock), ekycidtest.WithDelay(time.Minute))
	defer srv.Close()
	cfg := srv.Config()
	cfg.PollTimeout = 100 * time.Millisecond // Verify waits this long for the reply, then answers pending
	c, _ := ekycid.New(cfg, srv.Options()...)
	defer c.Close()

	front, _ := kyc.ImageFromBytes(kyctest.MagicImage("", 0))
	res, err := c.Verify(context.Background(), kyc.Request{Country: "KHM", Document: kyc.Document{Front: front}, Selfie: front})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status)

	mu.Lock()
	now = now.Add(time.Minute) // the vendor has finished
	mu.Unlock()
	later, _ := c.Result(context.Background(), res.Reference)
	fmt.Println(later.Status)
	// Output:
	// pending
	// approved
}
