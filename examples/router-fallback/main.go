// Command router-fallback shows the Router falling back from one provider
// to the next when the first is unavailable, and the kill switch.
//
//	go run ./examples/router-fallback
//
// Incode's fake answers 503 to every request (as during an outage); the
// Router's default route lists Incode, then Atlas. Incode is a direct flow,
// so nothing the person sees or the account pays for was started, and the
// Router tries Atlas, which answers. The output shows both attempts. Then
// Incode is disabled with the kill switch and skipped without a call.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/atlas/atlastest"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "router-fallback:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	incodeSrv, atlasSrv := incodetest.NewServer(), atlastest.NewServer()
	defer incodeSrv.Close()
	defer atlasSrv.Close()
	// An outage: every Incode request gets 503 with Retry-After 0.
	incodeSrv.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503, Times: 1000})

	incodeC, err := incode.New(incodeSrv.Config(), append(incodeSrv.Options(), kyc.WithRetry(1, time.Second))...)
	if err != nil {
		return err
	}
	atlasC, err := atlas.New(atlasSrv.Config(), atlasSrv.Options()...)
	if err != nil {
		return err
	}
	router, err := kyc.NewRouter(kyc.DefaultRoute(incodeC, atlasC))
	if err != nil {
		return err
	}
	defer router.Close()

	selfie, err := kyc.ImageFromBytes(kyctest.MagicImage("", 0))
	if err != nil {
		return err
	}
	front, err := kyc.ImageFromBytes(kyctest.MagicImage("", 1000))
	if err != nil {
		return err
	}
	req := kyc.Request{ID: "fallback-1", Country: "MEX", Selfie: selfie, Document: kyc.Document{Type: kyc.DocumentIDCard, Front: front}}

	fmt.Println("1. Incode is down; the Router falls back to Atlas:")
	res, attempts, err := router.VerifyWithAttempts(ctx, req)
	printAttempts(attempts)
	if err != nil {
		return err
	}
	fmt.Printf("   result: %s from %s, face match %s\n", res.Status, res.Provider, res.Scores.FaceMatch)
	if res.Provider != kyc.Atlas || len(attempts) != 2 {
		return errors.New("expected an Incode failure then an Atlas answer")
	}

	fmt.Println("2. Incode disabled with the kill switch: skipped without a call:")
	router.Disable(kyc.Incode)
	before := incodeSrv.Count("/")
	res, attempts, err = router.VerifyWithAttempts(ctx, req)
	printAttempts(attempts)
	if err != nil {
		return err
	}
	fmt.Printf("   result: %s from %s; Incode received %d requests this time\n", res.Status, res.Provider, incodeSrv.Count("/")-before)
	return nil
}

func printAttempts(attempts []kyc.Attempt) {
	for i, a := range attempts {
		fmt.Printf("   attempt %d: %s\n", i+1, a)
	}
}
