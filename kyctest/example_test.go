package kyctest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
)

// A FakeVerifier stands in for any vendor client in a unit test: script
// its answers, run the code under test, then look at what it was asked.
func ExampleFakeVerifier() {
	fake := kyctest.New(kyc.Incode, kyc.Capabilities{Flow: kyc.FlowDirect, Requires: []kyc.Field{kyc.FieldSelfie}}).
		Return(kyc.Result{Status: kyc.StatusRejected, Reasons: []kyc.Reason{kyc.ReasonFaceMismatch}, Resubmit: true}).
		Fail(&kyc.Error{Provider: kyc.Incode, Kind: kyc.ErrUnavailable, NotSent: true, Unprocessed: true})

	selfie, _ := kyc.ImageFromBytes(kyctest.MagicImage(kyctest.ImageFaceMismatch, 0))
	ctx := context.Background()

	res, err := fake.Verify(ctx, kyc.Request{ID: "case-1", Selfie: selfie})
	fmt.Println(res.Status, res.Reasons, res.Resubmit, err)

	_, err = fake.Verify(ctx, kyc.Request{ID: "case-1", Selfie: selfie})
	fmt.Println(errors.Is(err, kyc.ErrUnavailable))

	_, err = fake.Verify(ctx, kyc.Request{ID: "case-2"})
	var kerr *kyc.Error
	errors.As(err, &kerr)
	fmt.Println("refused before sending:", kerr.Field)

	back, _ := fake.Result(ctx, res.Reference)
	fmt.Println(back.Status, fake.Calls())
	// Output:
	// rejected [face_mismatch] true <nil>
	// true
	// refused before sending: Selfie
	// rejected 3
}

// Run the conformance checks against your own kyc.ResultStore (a table in
// the service's database) in one of your tests. The memory store passes
// them.
func ExampleStoreConformance() {
	testMyStore := func(t *testing.T) {
		kyctest.StoreConformance(t, func() kyc.ResultStore {
			return kyc.NewMemoryStore(0) // return newPostgresStore(t, freshSchema(t)) in yours
		})
	}
	_ = testMyStore // func TestMyStore(t *testing.T) { testMyStore(t) }
}

// A magic image chooses the outcome of every vendor fake, like a test card
// number; ImageMarker reads it back.
func ExampleMagicImage() {
	img := kyctest.MagicImage(kyctest.ImageLivenessFailed, 0)
	big := kyctest.MagicImage(kyctest.ImageApproved, 2<<20) // padded to 2 MiB, for upload caps
	fmt.Println(kyctest.ImageMarker(img), kyctest.ImageMarker(big), len(big) >= 2<<20)
	for _, m := range kyctest.MagicInputs()[:3] {
		fmt.Println(m)
	}
	// Output:
	// liveness_failed approved true
	// approved
	// no_face
	// face_mismatch
}

// A FakeReceiver tests a webhook handler behind kyc.WebhookMux without a
// vendor: an unauthenticated webhook claiming an approval reaches the
// handler as pending, while a confirmed one carries the vendor's answer.
func ExampleFakeReceiver() {
	recv := kyctest.NewReceiver(kyc.Verificar).
		SetResult(kyc.Result{Reference: "verificar:4242", Status: kyc.StatusApproved})
	handle := func(ctx context.Context, ev *kyc.Event) error {
		fmt.Println(ev.Reference, ev.Result.Status, "confirmed:", ev.Confirmed, "source:", ev.Result.Source)
		return nil
	}
	forged := kyctest.Webhook{Reference: "verificar:4242", Type: "5100", Status: kyc.StatusApproved}

	plain, err := kyc.NewWebhookMux(handle)
	if err != nil {
		panic(err)
	}
	plain.Handle("/hooks", recv)
	plain.ServeHTTP(httptest.NewRecorder(), recv.NewRequest("/hooks", forged))

	confirming, err := kyc.NewWebhookMux(handle, kyc.ConfirmEvents())
	if err != nil {
		panic(err)
	}
	confirming.Handle("/hooks", recv)
	confirming.ServeHTTP(httptest.NewRecorder(), recv.NewRequest("/hooks", forged))
	// Output:
	// verificar:4242 pending confirmed: false source: webhook
	// verificar:4242 approved confirmed: true source: provider
}
