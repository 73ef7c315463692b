package kyctest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kyc-go/kyc"
)

// StoreConformance checks that a kyc.ResultStore keeps the contract the
// Router and the WebhookMux rely on. Run it in a test of your own store
// implementation; newStore must return an empty store each time it is
// called (a fresh table or key prefix, for a database):
//
//	func TestMyStore(t *testing.T) {
//		kyctest.StoreConformance(t, func() kyc.ResultStore { return newMyStore(t) })
//	}
//
// It checks that Put then Get gives back every field of a Result (compared
// by their complete JSON, so a store may keep JSON), that Get of an unknown
// reference matches kyc.ErrNotFound, that Put replaces, that a Result
// without a Reference is refused with kyc.ErrInvalidRequest, that neither
// the caller's Result nor the returned one is shared with the store, and
// that concurrent Puts and Gets are safe (run it under -race).
func StoreConformance(t *testing.T, newStore func() kyc.ResultStore) {
	t.Helper()
	ctx := context.Background()

	t.Run("put then get gives every field back", func(t *testing.T) {
		s := newStore()
		want := FullResult("conformance:1")
		if err := s.Put(ctx, want); err != nil {
			t.Fatalf("Put: %v", err)
		}
		got, err := s.Get(ctx, want.Reference)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		sameResult(t, want, got)
	})

	t.Run("unknown reference is ErrNotFound", func(t *testing.T) {
		s := newStore()
		got, err := s.Get(ctx, "conformance:missing")
		if !errors.Is(err, kyc.ErrNotFound) {
			t.Fatalf("Get of an unknown reference: got (%v, %v), want an error matching kyc.ErrNotFound", got, err)
		}
	})

	t.Run("put replaces", func(t *testing.T) {
		s := newStore()
		first := &kyc.Result{Provider: kyc.Verificar, Reference: "conformance:2", Status: kyc.StatusPending}
		second := &kyc.Result{Provider: kyc.Verificar, Reference: "conformance:2", Status: kyc.StatusApproved,
			Scores: kyc.Scores{FaceMatch: kyc.NewScore(0.9)}}
		if err := s.Put(ctx, first); err != nil {
			t.Fatalf("Put: %v", err)
		}
		if err := s.Put(ctx, second); err != nil {
			t.Fatalf("second Put: %v", err)
		}
		got, err := s.Get(ctx, "conformance:2")
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		sameResult(t, second, got)
	})

	t.Run("references are kept apart", func(t *testing.T) {
		s := newStore()
		a := &kyc.Result{Provider: kyc.Atlas, Reference: "atlas:A", Status: kyc.StatusApproved}
		b := &kyc.Result{Provider: kyc.Atlas, Reference: "atlas:B", Status: kyc.StatusRejected, Reasons: []kyc.Reason{kyc.ReasonFaceMismatch}}
		for _, r := range []*kyc.Result{a, b} {
			if err := s.Put(ctx, r); err != nil {
				t.Fatalf("Put: %v", err)
			}
		}
		for _, want := range []*kyc.Result{a, b} {
			got, err := s.Get(ctx, want.Reference)
			if err != nil {
				t.Fatalf("Get(%s): %v", want.Reference, err)
			}
			sameResult(t, want, got)
		}
	})

	t.Run("a Result without Reference is refused", func(t *testing.T) {
		s := newStore()
		err := s.Put(ctx, &kyc.Result{Provider: kyc.Atlas, Status: kyc.StatusApproved})
		if !errors.Is(err, kyc.ErrInvalidRequest) {
			t.Fatalf("Put without Reference: got %v, want an error matching kyc.ErrInvalidRequest", err)
		}
	})

	t.Run("no sharing with the caller", func(t *testing.T) {
		s := newStore()
		in := FullResult("conformance:3")
		want := FullResult("conformance:3")
		if err := s.Put(ctx, in); err != nil {
			t.Fatalf("Put: %v", err)
		}
		in.Status, in.Reasons[0], in.Document.Extra["k"], in.Raw[1] = kyc.StatusReview, kyc.ReasonOther, "changed", 'X'
		got, err := s.Get(ctx, "conformance:3")
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		sameResult(t, want, got)
		got.Reasons[0], got.Document.Extra["k"] = kyc.ReasonOther, "changed again"
		again, err := s.Get(ctx, "conformance:3")
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		sameResult(t, want, again)
	})

	t.Run("concurrent use", func(t *testing.T) {
		s := newStore()
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ref := fmt.Sprintf("conformance:c%d", i%4)
				for j := range 8 {
					if err := s.Put(ctx, &kyc.Result{Provider: kyc.Atlas, Reference: ref, Status: kyc.StatusPending, Reasons: []kyc.Reason{kyc.ReasonNotFinished}}); err != nil {
						errs <- err
						return
					}
					if _, err := s.Get(ctx, ref); err != nil {
						errs <- fmt.Errorf("get after put %d: %w", j, err)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}

// sameResult compares two Results by their complete JSON.
func sameResult(t *testing.T, want, got *kyc.Result) {
	t.Helper()
	if got == nil {
		t.Fatalf("got a nil Result, want %v", want)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if string(w) != string(g) {
		t.Fatalf("the store changed the Result:\n got: %s\nwant: %s", g, w)
	}
}

// FullResult returns a Result with every field set, under reference ref:
// what store tests put and compare. Its personal fields hold made-up
// values.
func FullResult(ref string) *kyc.Result {
	day := time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)
	return &kyc.Result{
		Provider:  kyc.Incode,
		Reference: ref,
		Status:    kyc.StatusRejected,
		Reasons:   []kyc.Reason{kyc.ReasonFaceMismatch, kyc.ReasonLowQualityImage},
		Resubmit:  true,
		Scores:    kyc.Scores{FaceMatch: kyc.NewScore(0.25), Liveness: kyc.NewScore(1), Document: kyc.NewScore(0)},
		Document: &kyc.DocumentData{
			Type: kyc.DocumentPassport, Number: "X1234567", FullName: "Ada Example", FirstName: "Ada",
			LastName: "Example", DateOfBirth: day, IssueDate: day.AddDate(25, 0, 0), ExpiryDate: day.AddDate(35, 0, 0),
			Sex: "F", Nationality: "ESP", IssuingCountry: "ESP", Address: "1 Example Street",
			Extra: map[string]string{"k": "v", "mrz": "P<ESPEXAMPLE<<ADA"},
		},
		Link:    &kyc.Link{URL: "https://verify.example/l/abc", ExpiresAt: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)},
		Charged: kyc.ChargePaid,
		Raw:     json.RawMessage(`{"vendor":"body","n":1}`),
		Source:  kyc.SourceProvider,
	}
}
