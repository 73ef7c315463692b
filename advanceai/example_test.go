package advanceai_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/advanceai/advanceaitest"
)

func ExampleNew() {
	// Against the real vendor: advanceai.New(advanceai.Config{AccessKey: ...,
	// SecretKey: kyc.NewSecret(...)}). Here, against the in-process fake.
	srv := advanceaitest.NewServer()
	defer srv.Close()
	c, err := advanceai.New(srv.Config(), srv.Options()...)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	fmt.Println(c.Provider(), c.Capabilities().Flow, c.Capabilities().Countries)
	// Output: advanceai hosted_link [IDN]
}

func ExampleClient_Verify() {
	srv := advanceaitest.NewServer()
	defer srv.Close()
	c, _ := advanceai.New(srv.Config(), srv.Options()...)
	defer c.Close()

	res, err := c.Verify(context.Background(), kyc.Request{
		ID:      "case-42",
		Country: "IDN",
		Link:    kyc.LinkOptions{ReturnURL: "https://example.com/kyc/done"},
	})
	if err != nil {
		log.Fatal(err)
	}
	// Hand res.Link.URL to the person; store res.Reference.
	fmt.Println(res.Status, res.Reasons, strings.HasPrefix(res.Reference, "advanceai:"), res.Link.URL != "")
	// Output: pending [not_finished] true true
}

func ExampleClient_Result() {
	srv := advanceaitest.NewServer()
	defer srv.Close()
	c, _ := advanceai.New(srv.Config(), srv.Options()...)
	defer c.Close()
	ctx := context.Background()

	res, _ := c.Verify(ctx, kyc.Request{ID: "case-43", Country: "IDN", Link: kyc.LinkOptions{ReturnURL: "https://example.com/done"}})
	// The person captures a card the vendor finds forged.
	_ = srv.Complete(advanceaitest.SignatureID(res.Reference), advanceai.IDVForgeryDetected)

	res, err := c.Result(ctx, res.Reference)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status, res.Reasons, "resubmit:", res.Resubmit)
	// Output: rejected [document_forged] resubmit: false
}

func ExampleClient_GenerateURL() {
	srv := advanceaitest.NewServer()
	defer srv.Close()
	c, _ := advanceai.New(srv.Config(), srv.Options()...)
	defer c.Close()

	link, err := c.GenerateURL(context.Background(), advanceai.GenerateURLRequest{
		ReturnURL:     "https://example.com/done",
		FailReturnURL: "https://example.com/failed",
		UserID:        "case-44",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(link.Code, len(link.SignatureID), link.Charged())
	// Output: SUCCESS 16 free
}

func ExampleClient_GetResult() {
	srv := advanceaitest.NewServer()
	defer srv.Close()
	c, _ := advanceai.New(srv.Config(), srv.Options()...)
	defer c.Close()
	ctx := context.Background()

	link, _ := c.GenerateURL(ctx, advanceai.GenerateURLRequest{ReturnURL: "https://example.com/done"})
	r, _ := c.GetResult(ctx, link.SignatureID)
	fmt.Println("finished:", r.Finished())

	_ = srv.Complete(link.SignatureID, advanceai.IDVSuccess)
	r, err := c.GetResult(ctx, link.SignatureID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.IDVCode, r.OCRCode, r.ImageType, r.OCRResult.Birthday)
	// Output:
	// finished: false
	// SUCCESS SUCCESS SCAN 1989/06/01
}

func ExampleClient_Token() {
	srv := advanceaitest.NewServer()
	defer srv.Close()
	c, _ := advanceai.New(srv.Config(), srv.Options()...)
	defer c.Close()

	tok, err := c.Token(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	// A kyc.Secret never prints; Reveal it only where it is sent.
	fmt.Println(tok, tok.Reveal() != "")
	// Output: [REDACTED] true
}

func ExampleSignature() {
	// The vector from the vendor's Token Authentication API documentation.
	fmt.Println(advanceai.Signature("sampleaccesskey", kyc.NewSecret("samplesecretkey"), 1665993522952))
	// Output: 02209bbeaf0d0a3dd587f6a1ba22f84c98d142e3b545e77db7e4906ca56349f5
}

func ExampleClient_Call() {
	srv := advanceaitest.NewServer()
	defer srv.Close()
	c, _ := advanceai.New(srv.Config(), srv.Options()...)
	defer c.Close()
	ctx := context.Background()
	link, _ := c.GenerateURL(ctx, advanceai.GenerateURLRequest{ReturnURL: "https://example.com/done"})

	// Any path, with the access token. The class says how it may be resent:
	// a read is free; an operation without a class is treated as billed.
	op := kyc.Operation{Name: "advanceai.ReadResult", Method: "POST", Path: advanceai.PathGetResult, Class: kyc.ClassFree}
	var env advanceai.Envelope // or any value, to receive only the data
	err := c.Call(ctx, op, map[string]string{"signatureId": link.SignatureID}, &env)
	fmt.Println(err, env.Code, env.Charged(), len(env.TransactionID) > 0)

	// A vendor error is a *kyc.Error carrying the vendor's code.
	err = c.Call(ctx, op, map[string]string{"signatureId": "nope"}, nil)
	var kerr *kyc.Error
	fmt.Println(errors.As(err, &kerr), kerr.Code, errors.Is(err, kyc.ErrNotFound))
	// Output:
	// <nil> SUCCESS free true
	// true SIGNATURE_NOT_EXIST true
}
