// Package kyctest helps users test code that uses kyc-go, without a vendor
// or a network.
//
// FakeVerifier fakes the kyc.Verifier interface: it answers from a script
// and records what it was asked. FakeReceiver fakes a vendor's webhook
// receiver and read-back (kyc.WebhookReceiver, kyc.EventConfirmer), for
// tests of handlers behind kyc.WebhookMux. StoreConformance checks a
// kyc.ResultStore implementation against the contract the Router relies on.
//
// Server is the base of each vendor's fake (atlastest, incodetest,
// advanceaitest, ekycidtest, verificartest), which serve the vendor's wire
// format over a local TLS server: through it a test injects faults
// (Fault), reads the requests the fake received, and builds magic images
// (MagicImage) that choose a fake's outcome, like a payment API's test card
// numbers.
//
// # Outcomes of the magic inputs
//
// One vocabulary of magic inputs (ImageApproved, ImageNoFace, ... in
// magic.go) drives every vendor's fake: put one in the selfie (face
// outcomes) or the document front (document outcomes) with MagicImage. The
// table is what each vendor's Verify gives for each input, through its fake;
// package kycworld holds it as data (kycworld.Outcomes) and a test
// drives every cell through every fake.
//
//	magic input      atlas                   incode                         advanceai                        ekycid                      verificar
//	approved         approved                approved                       approved                         approved                    approved
//	no_face          rejected no_face        rejected no_face               approved*                        rejected no_face            approved*
//	face_mismatch    rejected face_mismatch  rejected face_mismatch         approved*                        rejected face_mismatch      rejected face_mismatch
//	face_borderline  review face_mismatch    review face_mismatch           approved*                        rejected face_mismatch      review face_mismatch
//	liveness_failed  approved*               rejected liveness_failed       approved*                        rejected liveness_failed    rejected liveness_failed
//	low_quality      approved*               rejected low_quality_image     rejected low_quality_image       rejected low_quality_image  approved*
//	expired          approved*               rejected document_expired      approved*                        rejected document_expired   rejected document_expired
//	forged           approved*               rejected document_forged       rejected document_forged         approved*                   approved*
//	underage         approved*               approved*                      approved*                        approved*                   rejected underage
//	no_document      approved*               rejected unsupported_document  rejected no_document             rejected no_document        approved*
//	review           review other            review face_mismatch           approved*                        review other                review face_mismatch
//	not_finished     approved*               approved                       pending not_finished → approved  approved                    pending not_finished → pending
//	server_error     error unavailable       error unavailable              error unavailable                error unavailable           error unavailable
//
// * the vendor cannot produce this outcome; its fake answers as for approved (the fake's package doc says why).
// → the status of the next read (Router.Result) of a pending result.
package kyctest

import (
	"context"
	"fmt"
	"sync"

	"github.com/kyc-go/kyc"
)

// FakeVerifier is a kyc.Verifier that answers Verify from a script of
// Results and errors, records every Request, and answers Result for the
// references it handed out. It checks each Request against its Capabilities
// first, as real clients do. It is safe for concurrent use.
//
// With an empty script, Verify approves.
type FakeVerifier struct {
	name kyc.Provider
	caps kyc.Capabilities

	mu       sync.Mutex
	script   []step
	requests []kyc.Request
	results  map[string]*kyc.Result
	resultFn func(ctx context.Context, ref string) (*kyc.Result, error)
	n        int
}

type step struct {
	res *kyc.Result
	err error
	fn  func(ctx context.Context, req kyc.Request) (*kyc.Result, error)
}

// New returns a FakeVerifier that calls itself provider p and has
// capabilities caps.
func New(p kyc.Provider, caps kyc.Capabilities) *FakeVerifier {
	return &FakeVerifier{name: p, caps: caps, results: map[string]*kyc.Result{}}
}

// Provider implements kyc.Verifier.
func (f *FakeVerifier) Provider() kyc.Provider { return f.name }

// Capabilities implements kyc.Verifier.
func (f *FakeVerifier) Capabilities() kyc.Capabilities { return f.caps }

// Return queues a Result for the next Verify. Provider and Reference are
// filled in when empty.
func (f *FakeVerifier) Return(r kyc.Result) *FakeVerifier {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script = append(f.script, step{res: &r})
	return f
}

// Fail queues an error for the next Verify.
func (f *FakeVerifier) Fail(err error) *FakeVerifier {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script = append(f.script, step{err: err})
	return f
}

// Do queues a function that answers the next Verify.
func (f *FakeVerifier) Do(fn func(ctx context.Context, req kyc.Request) (*kyc.Result, error)) *FakeVerifier {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script = append(f.script, step{fn: fn})
	return f
}

// OnResult sets the function that answers Result; by default Result returns
// what Verify returned for that reference, or ErrNotFound.
func (f *FakeVerifier) OnResult(fn func(ctx context.Context, ref string) (*kyc.Result, error)) *FakeVerifier {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resultFn = fn
	return f
}

// Verify implements kyc.Verifier.
func (f *FakeVerifier) Verify(ctx context.Context, req kyc.Request) (*kyc.Result, error) {
	f.mu.Lock()
	f.requests = append(f.requests, req)
	var s step
	if len(f.script) > 0 {
		s, f.script = f.script[0], f.script[1:]
	}
	f.n++
	n := f.n
	f.mu.Unlock()

	if err := f.caps.Check(req); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, &kyc.Error{Provider: f.name, Op: string(f.name) + ".Verify", Kind: kyc.ErrTimeout, Err: err, Message: "the context ended"}
	}
	var res *kyc.Result
	switch {
	case s.fn != nil:
		r, err := s.fn(ctx, req)
		if err != nil {
			return nil, err
		}
		res = r
	case s.err != nil:
		return nil, s.err
	case s.res != nil:
		c := *s.res
		res = &c
	default:
		res = &kyc.Result{Status: kyc.StatusApproved}
	}
	if res.Provider == "" {
		res.Provider = f.name
	}
	if res.Reference == "" {
		res.Reference = kyc.NewReference(f.name, fmt.Sprintf("fake-%d", n))
	}
	f.mu.Lock()
	f.results[res.Reference] = res
	f.mu.Unlock()
	return res, nil
}

// Result implements kyc.Verifier.
func (f *FakeVerifier) Result(ctx context.Context, ref string) (*kyc.Result, error) {
	f.mu.Lock()
	fn, res := f.resultFn, f.results[ref]
	f.mu.Unlock()
	if fn != nil {
		return fn(ctx, ref)
	}
	if res == nil {
		return nil, &kyc.Error{Provider: f.name, Op: string(f.name) + ".Result", Kind: kyc.ErrNotFound, Message: "no such reference"}
	}
	c := *res
	return &c, nil
}

// Requests returns the Requests Verify received, oldest first.
func (f *FakeVerifier) Requests() []kyc.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]kyc.Request(nil), f.requests...)
}

// Calls returns how many times Verify was called.
func (f *FakeVerifier) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

var _ kyc.Verifier = (*FakeVerifier)(nil)
