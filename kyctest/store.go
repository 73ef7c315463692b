package kyctest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyc-go/kyc"
)

// StoreConformance checks that a kyc.ResultStore keeps the contract the
// Router and the WebhookMux rely on (see kyc.ResultStore). Run it in a test
// of your own store implementation, under -race; newStore must return an
// empty store each time it is called (a fresh table or key prefix, for a
// database):
//
//	func TestMyStore(t *testing.T) {
//		kyctest.StoreConformance(t, func() kyc.ResultStore { return newMyStore(t) })
//	}
//
// It checks what real databases get wrong:
//
//   - Apply then Get gives every field of a Result back (compared by their
//     complete JSON, so a store may keep JSON); Get of an unknown reference
//     matches kyc.ErrNotFound; a Result without a Reference is refused
//     with kyc.ErrInvalidRequest; nothing is shared with the caller;
//   - the ordering rule: a store agrees with kyc.Decide on random sequences
//     of Results, and reports the same Applied;
//   - concurrent writers in random order end at the maximum by the rule
//     (the final verdict with the greatest Sequence; a final verdict over
//     every progress event);
//   - keys are byte-exact and case-sensitive ("A" and "a" are two
//     verifications, "_" and "%" are not wildcards), and kept whole up to
//     kyc.MaxReferenceLength (references) and kyc.MaxIDLength (claim IDs);
//   - claims: exactly one winner among 64 concurrent claims of one ID, the
//     others see its claim; Settle records the outcome; a released or
//     expired claim can be won again; IDs are case-sensitive and kept whole;
//   - a cancelled context makes every method return promptly with an error
//     matching context.Canceled.
func StoreConformance(t *testing.T, newStore func() kyc.ResultStore) {
	t.Helper()
	storeConformance(testingT{t}, newStore)
}

// suiteT is what StoreConformance needs of a *testing.T: kyctest's own
// tests run the suite with a recording T, to check that it fails the
// broken stores it is meant to catch.
type suiteT interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Fatal(args ...any)
	Run(name string, f func(t suiteT)) bool
}

// testingT is a *testing.T as a suiteT.
type testingT struct{ *testing.T }

func (t testingT) Run(name string, f func(t suiteT)) bool {
	return t.T.Run(name, func(t *testing.T) { f(testingT{t}) })
}

func storeConformance(t suiteT, newStore func() kyc.ResultStore) {
	t.Helper()
	ctx := context.Background()
	apply := func(t suiteT, s kyc.ResultStore, r *kyc.Result) kyc.Applied {
		t.Helper()
		a, err := s.Apply(ctx, r)
		if err != nil {
			t.Fatalf("Apply(%s): %v", r.Reference, err)
		}
		return a
	}

	t.Run("apply then get gives every field back", func(t suiteT) {
		s := newStore()
		want := FullResult("conformance:1")
		if a := apply(t, s, want); a != kyc.AppliedStored {
			t.Fatalf("Apply of a new reference: got %v, want stored", a)
		}
		got, err := s.Get(ctx, want.Reference)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		sameResult(t, want, got)
	})

	t.Run("unknown reference is ErrNotFound", func(t suiteT) {
		s := newStore()
		got, err := s.Get(ctx, "conformance:missing")
		if !errors.Is(err, kyc.ErrNotFound) {
			t.Fatalf("Get of an unknown reference: got (%v, %v), want an error matching kyc.ErrNotFound", got, err)
		}
	})

	t.Run("the ordering rule", func(t suiteT) {
		for _, tc := range orderingCases() {
			t.Run(tc.name, func(t suiteT) {
				s := newStore()
				for i, r := range tc.steps {
					if got := apply(t, s, r); got != tc.want[i] {
						t.Fatalf("step %d (%s, sequence %d): got %v, want %v", i, r.Status, r.Sequence, got, tc.want[i])
					}
				}
				got, err := s.Get(ctx, "conformance:order")
				if err != nil {
					t.Fatalf("Get: %v", err)
				}
				sameResult(t, tc.steps[tc.kept], got)
			})
		}
	})

	t.Run("agrees with kyc.Decide on random sequences", func(t suiteT) {
		s := newStore()
		rng := rand.New(rand.NewPCG(1, 2))
		model := map[string]*kyc.Result{}
		for i := range 400 {
			ref := fmt.Sprintf("conformance:r%d", rng.IntN(8))
			r := randomResult(rng, ref)
			want := kyc.AppliedStored
			if old, ok := model[ref]; ok {
				want = kyc.Decide(kyc.OrderingOf(old), kyc.OrderingOf(r))
			}
			if got := apply(t, s, r); got != want {
				t.Fatalf("apply %d: got %v, want %v by kyc.Decide", i, got, want)
			}
			if want == kyc.AppliedStored {
				model[ref] = r
			}
		}
		for ref, want := range model {
			got, err := s.Get(ctx, ref)
			if err != nil {
				t.Fatalf("Get(%s): %v", ref, err)
			}
			sameResult(t, want, got)
		}
	})

	t.Run("concurrent writers end at the maximum", func(t suiteT) {
		for round := range 8 {
			s := newStore()
			ref := fmt.Sprintf("conformance:race%d", round)
			var rs []*kyc.Result
			for i := range 16 {
				st := kyc.StatusPending
				if i%2 == 1 {
					st = kyc.StatusApproved
					if i%4 == 1 {
						st = kyc.StatusRejected
					}
				}
				rs = append(rs, &kyc.Result{Provider: kyc.Verificar, Reference: ref, Status: st, Sequence: int64(100 + i)})
			}
			rand.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
			var wg sync.WaitGroup
			errs := make(chan error, len(rs))
			start := make(chan struct{})
			for _, r := range rs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					if _, err := s.Apply(ctx, r); err != nil {
						errs <- err
					}
				}()
			}
			close(start)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			got, err := s.Get(ctx, ref)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if got.Sequence != 115 || got.Status != kyc.StatusApproved {
				t.Fatalf("round %d: after 16 concurrent writers the store holds %s with sequence %d, want approved with 115 (the newest final verdict)",
					round, got.Status, got.Sequence)
			}
		}
	})

	t.Run("keys are byte-exact and case-sensitive", func(t suiteT) {
		s := newStore()
		// Two references of kyc.MaxReferenceLength bytes that differ only
		// in their last byte: a store that cuts keys short holds them as one.
		long := "atlas:" + strings.Repeat("L", kyc.MaxReferenceLength-len("atlas:")-1)
		refs := []string{"atlas:AbC", "atlas:abc", "atlas:ABC", "atlas:a_c", "atlas:a%c", "atlas:abc.", long + "a", long + "b"}
		for i, ref := range refs {
			st := kyc.StatusApproved
			if i%2 == 1 {
				st = kyc.StatusRejected
			}
			if a := apply(t, s, &kyc.Result{Provider: kyc.Atlas, Reference: ref, Status: st, Sequence: int64(i + 1)}); a != kyc.AppliedStored {
				t.Fatalf("Apply(%q), a reference not applied before: got %v, want stored", ref, a)
			}
		}
		for i, ref := range refs {
			got, err := s.Get(ctx, ref)
			if err != nil {
				t.Fatalf("Get(%q): %v", ref, err)
			}
			if got.Reference != ref || got.Sequence != int64(i+1) {
				t.Fatalf("Get(%q) gave the Result of %q (sequence %d): keys must be byte-exact and case-sensitive", ref, got.Reference, got.Sequence)
			}
		}
		for _, ref := range []string{"atlas:Abc", "atlas:abcd", "atlas:aXc", "atlas:ab", long, long + "c"} {
			if got, err := s.Get(ctx, ref); !errors.Is(err, kyc.ErrNotFound) {
				t.Fatalf("Get(%q): got (%v, %v), want ErrNotFound: no other key may match", ref, got, err)
			}
		}
	})

	t.Run("a Result without Reference is refused", func(t suiteT) {
		s := newStore()
		_, err := s.Apply(ctx, &kyc.Result{Provider: kyc.Atlas, Status: kyc.StatusApproved})
		if !errors.Is(err, kyc.ErrInvalidRequest) {
			t.Fatalf("Apply without Reference: got %v, want an error matching kyc.ErrInvalidRequest", err)
		}
	})

	t.Run("no sharing with the caller", func(t suiteT) {
		s := newStore()
		in := FullResult("conformance:3")
		want := FullResult("conformance:3")
		apply(t, s, in)
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

	t.Run("exactly one of 64 concurrent claims wins", func(t suiteT) {
		s := newStore()
		var wg sync.WaitGroup
		var mu sync.Mutex
		winners, seen := 0, map[string]int{}
		start := make(chan struct{})
		for i := range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				c := kyc.Claim{ID: "req-64", Fingerprint: fmt.Sprintf("fp%d", i), State: kyc.ClaimRunning, Expires: time.Now().Add(time.Hour)}
				held, won, err := s.Claim(ctx, c)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("Claim: %v", err)
					return
				}
				if won {
					winners++
				}
				seen[held.Fingerprint]++
			}()
		}
		close(start)
		wg.Wait()
		if winners != 1 || len(seen) != 1 {
			t.Fatalf("64 concurrent claims of one ID: %d winners, %d different claims seen, want exactly 1 and 1", winners, len(seen))
		}
	})

	t.Run("claims settle, release, expire, and are case-sensitive", func(t suiteT) {
		s := newStore()
		claim := func(id, fp string, expires time.Time) (kyc.Claim, bool) {
			t.Helper()
			held, won, err := s.Claim(ctx, kyc.Claim{ID: id, Fingerprint: fp, State: kyc.ClaimRunning, Expires: expires})
			if err != nil {
				t.Fatalf("Claim(%s): %v", id, err)
			}
			return held, won
		}
		later := time.Now().Add(time.Hour)
		if _, won := claim("Req-1", "a", later); !won {
			t.Fatal("the first claim of an ID did not win")
		}
		if _, won := claim("req-1", "b", later); !won {
			t.Fatal(`"req-1" lost to "Req-1": claim IDs must be case-sensitive`)
		}
		longID := strings.Repeat("i", kyc.MaxIDLength-1)
		if _, won := claim(longID+"a", "x", later); !won {
			t.Fatal("the first claim of an ID did not win")
		}
		if _, won := claim(longID+"b", "y", later); !won {
			t.Fatalf("a claim ID of %d bytes lost to one that differs only in its last byte: IDs must be kept whole", kyc.MaxIDLength)
		}
		if err := s.Settle(ctx, kyc.Claim{ID: "Req-1", State: kyc.ClaimDone, Reference: "atlas:R1"}); err != nil {
			t.Fatalf("Settle: %v", err)
		}
		held, won := claim("Req-1", "c", later)
		if won || held.State != kyc.ClaimDone || held.Reference != "atlas:R1" || held.Fingerprint != "a" {
			t.Fatalf("after Settle: got %+v won=%v, want the first claim, done, with its Reference and fingerprint", held, won)
		}
		if err := s.Settle(ctx, kyc.Claim{ID: "req-1", State: kyc.ClaimReleased}); err != nil {
			t.Fatalf("Settle(released): %v", err)
		}
		if _, won := claim("req-1", "d", later); !won {
			t.Fatal("a released claim could not be claimed again")
		}
		if _, won := claim("old", "e", time.Now().Add(-time.Second)); !won {
			t.Fatal("the first claim of an ID did not win")
		}
		if _, won := claim("old", "f", later); !won {
			t.Fatal("an expired claim was not treated as absent")
		}
	})

	t.Run("a cancelled context returns promptly with its error", func(t suiteT) {
		s := newStore()
		apply(t, s, &kyc.Result{Provider: kyc.Atlas, Reference: "conformance:ctx", Status: kyc.StatusApproved})
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		calls := map[string]func() error{
			"Apply": func() error {
				_, err := s.Apply(cctx, &kyc.Result{Provider: kyc.Atlas, Reference: "conformance:ctx2", Status: kyc.StatusApproved})
				return err
			},
			"Get": func() error { _, err := s.Get(cctx, "conformance:ctx"); return err },
			"Claim": func() error {
				_, _, err := s.Claim(cctx, kyc.Claim{ID: "ctx", Fingerprint: "x", State: kyc.ClaimRunning, Expires: time.Now().Add(time.Hour)})
				return err
			},
			"Settle": func() error { return s.Settle(cctx, kyc.Claim{ID: "ctx", State: kyc.ClaimReleased}) },
		}
		for name, call := range calls {
			start := time.Now()
			err := call()
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s with a cancelled context: got %v, want an error matching context.Canceled", name, err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("%s with a cancelled context took %v", name, d)
			}
		}
		if _, err := s.Get(ctx, "conformance:ctx2"); !errors.Is(err, kyc.ErrNotFound) {
			t.Errorf("an Apply with a cancelled context stored its Result: Get gave %v", err)
		}
	})
}

type orderingCase struct {
	name  string
	steps []*kyc.Result
	want  []kyc.Applied
	kept  int // the step whose Result the store holds at the end
}

func orderingCases() []orderingCase {
	r := func(st kyc.Status, seq int64, reasons ...kyc.Reason) *kyc.Result {
		return &kyc.Result{Provider: kyc.Verificar, Reference: "conformance:order", Status: st, Sequence: seq, Reasons: reasons}
	}
	S, U, C := kyc.AppliedStored, kyc.AppliedUnchanged, kyc.AppliedConflict
	return []orderingCase{
		{"progress after final changes nothing", []*kyc.Result{r(kyc.StatusApproved, 0), r(kyc.StatusPending, 0)}, []kyc.Applied{S, U}, 0},
		{"final after progress is stored", []*kyc.Result{r(kyc.StatusPending, 0), r(kyc.StatusRejected, 0)}, []kyc.Applied{S, S}, 1},
		{"newer final replaces older", []*kyc.Result{r(kyc.StatusApproved, 5001), r(kyc.StatusRejected, 5500)}, []kyc.Applied{S, S}, 1},
		{"older final re-delivered after newer changes nothing", []*kyc.Result{r(kyc.StatusApproved, 1), r(kyc.StatusRejected, 2), r(kyc.StatusApproved, 1)}, []kyc.Applied{S, S, U}, 1},
		{"identical re-delivery changes nothing", []*kyc.Result{r(kyc.StatusRejected, 3, kyc.ReasonFaceMismatch), r(kyc.StatusRejected, 3, kyc.ReasonFaceMismatch)}, []kyc.Applied{S, U}, 0},
		{"a different final without order is a conflict, the first stays", []*kyc.Result{r(kyc.StatusApproved, 0), r(kyc.StatusRejected, 0)}, []kyc.Applied{S, C}, 0},
		{"the same final status again keeps the first", []*kyc.Result{r(kyc.StatusRejected, 0, kyc.ReasonFaceMismatch), r(kyc.StatusRejected, 0)}, []kyc.Applied{S, U}, 0},
		{"later progress replaces earlier progress", []*kyc.Result{r(kyc.StatusPending, 1), r(kyc.StatusReview, 2)}, []kyc.Applied{S, S}, 1},
		{"older progress does not replace newer", []*kyc.Result{r(kyc.StatusReview, 2), r(kyc.StatusPending, 1)}, []kyc.Applied{S, U}, 0},
	}
}

func randomResult(rng *rand.Rand, ref string) *kyc.Result {
	statuses := []kyc.Status{kyc.StatusPending, kyc.StatusReview, kyc.StatusApproved, kyc.StatusRejected}
	r := &kyc.Result{Provider: kyc.Incode, Reference: ref, Status: statuses[rng.IntN(len(statuses))], Sequence: int64(rng.IntN(4))}
	if rng.IntN(2) == 0 {
		r.Reasons = []kyc.Reason{kyc.ReasonFaceMismatch}
	}
	return r
}

// sameResult compares two Results by their complete JSON.
func sameResult(t suiteT, want, got *kyc.Result) {
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
		Link:       &kyc.Link{URL: "https://verify.example/l/abc", ExpiresAt: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)},
		Charged:    kyc.ChargePaid,
		Sequence:   7,
		ValidUntil: time.Date(2031, 2, 3, 4, 5, 6, 0, time.UTC),
		Raw:        json.RawMessage(`{"vendor":"body","n":1}`),
		Source:     kyc.SourceProvider,
	}
}
