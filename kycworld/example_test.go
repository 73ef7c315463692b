package kycworld_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/kycworld"
)

// One call starts the five fakes with ready clients and the quickstart's
// Router. In a test, kycworld.New(t) does the same and closes it through
// t.Cleanup.
func Example() {
	w, err := kycworld.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()

	for _, p := range kycworld.Providers() {
		res, err := w.Router.Verify(ctx, w.Request(p, kyctest.ImageApproved))
		if err != nil {
			log.Fatal(err)
		}
		res, err = w.Complete(ctx, res, kyctest.ImageApproved) // the two link flows
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(kycworld.Country(p), res.Provider, res.Status)
	}
	// Output:
	// IND atlas approved
	// MEX incode approved
	// IDN advanceai approved
	// KHM ekycid approved
	// ESP verificar approved
}

// Make a rejection: the same magic input drives every vendor's outcome.
func Example_rejection() {
	w, err := kycworld.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()

	for _, p := range []kyc.Provider{kyc.Incode, kyc.EKYC, kyc.Verificar} {
		res, err := w.Router.Verify(ctx, w.Request(p, kyctest.ImageExpired))
		if err == nil {
			res, err = w.Complete(ctx, res, kyctest.ImageExpired)
		}
		if err != nil {
			log.Fatal(err)
		}
		want, _ := kycworld.OutcomeOf(p, kyctest.ImageExpired)
		fmt.Println(p, res.Status, res.Reasons, want.Match(res, nil) == nil)
	}
	// Output:
	// incode rejected [document_expired] true
	// ekycid rejected [document_expired] true
	// verificar rejected [document_expired] true
}

// Inject a fault through a fake's handle: EKYC answers 503 once, which the
// client resends (refused unprocessed), and the fake counts one send.
func Example_fault() {
	w, err := kycworld.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()

	w.Fakes.EKYC.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 503})
	req := w.Request(kyc.EKYC, kyctest.ImageApproved)
	res, err := w.Router.Verify(context.Background(), req)
	fmt.Println(res.Status, err, w.Fakes.EKYC.Injected()[kyctest.FaultStatus], w.Fakes.EKYC.DuplicateSends())

	w.Fakes.Atlas.Inject(kyctest.Fault{Kind: kyctest.FaultStatus, Status: 500})
	_, err = w.Router.Verify(context.Background(), w.Request(kyc.Atlas, kyctest.ImageApproved))
	fmt.Println(errors.Is(err, kyc.ErrUnavailable), kyc.MayHaveCharged(err))
	// Output:
	// approved <nil> 1 0
	// true true
}

// Send a webhook: the Incode fake posts ONBOARDING_FINISHED to the world's
// webhook server, whose mux confirms it with the executive read-back.
func Example_webhook() {
	w, err := kycworld.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()

	res, err := w.Router.Verify(ctx, w.Request(kyc.Incode, kyctest.ImageFaceMismatch))
	if err != nil {
		log.Fatal(err)
	}
	ref, _ := kyc.ParseReference(res.Reference)
	status, err := w.Fakes.Incode.SendWebhook(ctx, w.WebhookURL+kycworld.IncodeWebhookPath,
		ref.ID, "ONBOARDING_FINISHED", kycworld.IncodeWebhookToken)
	if err != nil {
		log.Fatal(err)
	}
	ev, err := w.WaitEvent(ctx, res.Reference)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(status, ev.Type, ev.Confirmed, ev.Result.Status, ev.Result.Reasons)
	// Output:
	// 200 ONBOARDING_FINISHED true rejected [face_mismatch]
}

// The table of every provider's outcome for every magic input.
func ExampleOutcomeOf() {
	o, _ := kycworld.OutcomeOf(kyc.EKYC, kyctest.ImageFaceBorderline)
	fmt.Println(o, "-", o.Note)
	o, _ = kycworld.OutcomeOf(kyc.AdvanceAI, kyctest.ImageNoFace)
	fmt.Println(o, o.Produced, "-", o.Note)
	// Output:
	// rejected face_mismatch - EKYC has no review band: score 0.74 under the default FaceMatchThreshold 0.75
	// approved* false - H5 IDV checks a KTP card only
}
