package kycvcr_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kycvcr"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

// Record a flow once (here against the fake; against your sandbox in
// practice), then replay it with nothing listening.
func Example() {
	dir, _ := os.MkdirTemp("", "kycvcr")
	defer os.RemoveAll(dir)
	cassette := filepath.Join(dir, "verificar-sms")

	fake := verificartest.NewServer()
	opts, real := fakeOpts(fake.Options())
	rec, _ := kycvcr.Record(cassette, real)
	client, _ := verificar.New(fake.Config(), append(opts, kyc.WithHTTPClient(rec.Client()))...)
	req := kyc.Request{Country: "ESP", Person: kyc.Person{Phone: "+34612345678"}}
	res, err := client.Verify(context.Background(), req)
	fmt.Println("recorded:", res.Status, err)
	_ = rec.Stop()
	fake.Close()

	rep, _ := kycvcr.Replay(cassette)
	client, _ = verificar.New(fake.Config(), append(opts, kyc.WithHTTPClient(rep.Client()))...)
	res, err = client.Verify(context.Background(), req)
	fmt.Println("replayed:", res.Status, err)
	// Output:
	// recorded: pending <nil>
	// replayed: pending <nil>
}
