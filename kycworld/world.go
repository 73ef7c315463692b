// Package kycworld starts a whole test world in one call: the five vendor
// fakes, a ready client for each, a kyc.Router with the quickstart's routes,
// a result store, and a webhook server that receives the fakes' webhooks
// through a kyc.WebhookMux.
//
//	func TestSignup(t *testing.T) {
//		t.Parallel()
//		w := kycworld.New(t) // everything stops through t.Cleanup
//		res, err := w.Router.Verify(ctx, w.Request(kyc.EKYC, kyctest.ImageExpired))
//		// res.Status == kyc.StatusRejected, res.Reasons == [document_expired]
//	}
//
// The routes are those of examples/quickstart: IND → Atlas, IDN →
// ADVANCE.AI, ESP → Verificar, KHM → EKYC, every other country → Incode.
// Each client is built from its fake's Config() and Options(); Incode's with
// the executive credentials, so it reads any session back, and with
// IncodeWebhookToken, so the world's webhook server authenticates the
// fake's webhooks. World.Fakes holds each fake, for injecting faults
// (Inject, FaultRate), reading the requests it received and counting
// chargeable sends (Sends, DuplicateSends).
//
// Request builds, for any provider and any kyctest magic input, a Request
// that the Router sends to that provider with the marker where the fakes
// read it; Complete finishes the link flows as the person and the vendor
// would (ADVANCE.AI: the person captures the card; Incode's hosted link,
// with WithIncodeLink: the person goes through Incode's pages and the fake
// posts ONBOARDING_FINISHED; Verificar: the fake posts its report to the
// world's webhook server). Outcomes is the
// table of what every provider gives for every magic input, the one the
// kyctest package doc lists; this package's tests drive every cell of it.
//
// A World holds no global state and listens on its own loopback ports,
// so tests that each make one run in parallel, under -race.
//
// # Why a package of its own
//
// The vendor fakes (atlastest, incodetest, advanceaitest, ekycidtest,
// verificartest) import kyctest: they embed kyctest.Server and use its magic
// vocabulary. kyctest cannot import them back (an import cycle), and should
// not: a test that only needs a kyctest.FakeVerifier pulls in no vendor
// package. kycworld sits above both and imports all five, at the top of
// the module (github.com/kyc-go/kyc/kycworld), so no package imports
// upward.
//
// # Phone numbers
//
// The Verificar Requests carry phone numbers from the North American range
// reserved for fiction, +1 NPA 555-0100 to 555-0199 (NANPA; see
// FictionalPhone): none of them reaches a real person, should one be copied
// into a test against the live API. The UK's drama range (+44 7700 900xxx)
// would say so more plainly, but libphonenumber refuses it as unassigned,
// so Verificar refuses it too; Spain, Verificar's country, reserves no
// range. The one other number is the fake's magic
// verificartest.PhoneServerError (in the same range), for
// kyctest.ImageServerError.
package kycworld

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/advanceai/advanceaitest"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/atlas/atlastest"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/ekycid/ekycidtest"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

// The paths of the world's webhook server, under World.WebhookURL, and the
// token the Incode client requires on its webhooks.
const (
	VerificarWebhookPath = "/webhooks/verificar"
	IncodeWebhookPath    = "/webhooks/incode"
	IncodeWebhookToken   = "kycworld-incode-webhook-token"
)

// Fakes holds the five vendor fakes of a World. Each embeds
// *kyctest.Server: Inject and FaultRate inject faults, Requests and Count
// read what it received, Sends and DuplicateSends count chargeable sends.
type Fakes struct {
	Atlas     *atlastest.Server
	Incode    *incodetest.Server
	AdvanceAI *advanceaitest.Server
	EKYC      *ekycidtest.Server
	Verificar *verificartest.Server
}

// World is five fakes, their clients, a Router over them, a result store
// and a webhook server. Its fields are ready to use after New or Start; do
// not replace them.
type World struct {
	Atlas     *atlas.Client
	Incode    *incode.Client
	AdvanceAI *advanceai.Client
	EKYC      *ekycid.Client
	Verificar *verificar.Client

	// Router routes as the quickstart does (see the package doc). It puts
	// every Result into Store, and answers Result from it for Verificar and
	// Atlas, which have no read-back.
	Router *kyc.Router
	// Store is the Router's and the webhook mux's result store.
	Store *kyc.MemoryStore
	// Webhooks is the mux of the webhook server: Verificar's receiver at
	// VerificarWebhookPath and Incode's at IncodeWebhookPath, with
	// kyc.ConfirmEvents and Store. Every Event it passes is recorded
	// (Events, WaitEvent).
	Webhooks *kyc.WebhookMux
	// WebhookURL is the webhook server's base URL (plain HTTP on loopback).
	WebhookURL string
	// Fakes are the vendor fakes, for faults and send counts.
	Fakes Fakes

	hooks *httptest.Server
	seq   atomic.Int64

	mu      sync.Mutex
	events  []*kyc.Event
	arrived chan struct{} // closed and replaced whenever an event arrives

	closeOnce sync.Once
	closeErr  error
}

// Option configures a World.
type Option func(*settings)

type settings struct {
	incodeLink bool
	client     []kyc.Option
	router     []kyc.Option
	atlas      []atlastest.Option
	incode     []incodetest.Option
	advanceai  []advanceaitest.Option
	ekycid     []ekycidtest.Option
	verificar  []verificartest.Option
}

// WithClientOptions adds options to every client, after the fake's own
// (base URL, TLS client, clock): kyc.WithRetry, kyc.WithObserver,
// kyc.WithLogger. Do not pass kyc.WithBaseURL or kyc.WithHTTPClient: the
// clients would no longer reach their fakes.
func WithClientOptions(opts ...kyc.Option) Option {
	return func(s *settings) { s.client = append(s.client, opts...) }
}

// WithRouterOptions adds options to the Router (kyc.AllowFallbackAfterCharge).
func WithRouterOptions(opts ...kyc.Option) Option {
	return func(s *settings) { s.router = append(s.router, opts...) }
}

// WithAtlas passes options to the Atlas fake.
func WithAtlas(opts ...atlastest.Option) Option {
	return func(s *settings) { s.atlas = append(s.atlas, opts...) }
}

// WithIncodeLink builds the World's Incode client for Incode's hosted link
// (incode.Config.Flow kyc.FlowHostedLink) instead of the direct flow: the
// default route then gives the person a link, Request builds Incode
// Requests with a return URL and no image, and Complete finishes them as
// the person would. A Router holds one Verifier per provider, so a World
// has one Incode flow.
func WithIncodeLink() Option { return func(s *settings) { s.incodeLink = true } }

// WithIncode passes options to the Incode fake.
func WithIncode(opts ...incodetest.Option) Option {
	return func(s *settings) { s.incode = append(s.incode, opts...) }
}

// WithAdvanceAI passes options to the ADVANCE.AI fake.
func WithAdvanceAI(opts ...advanceaitest.Option) Option {
	return func(s *settings) { s.advanceai = append(s.advanceai, opts...) }
}

// WithEKYC passes options to the EKYC fake.
func WithEKYC(opts ...ekycidtest.Option) Option {
	return func(s *settings) { s.ekycid = append(s.ekycid, opts...) }
}

// WithVerificar passes options to the Verificar fake.
func WithVerificar(opts ...verificartest.Option) Option {
	return func(s *settings) { s.verificar = append(s.verificar, opts...) }
}

// New starts a World for a test: it fails the test if the World cannot be
// built, and closes it through t.Cleanup.
func New(t testing.TB, opts ...Option) *World {
	t.Helper()
	w, err := Start(opts...)
	if err != nil {
		t.Fatalf("kycworld: %v", err)
	}
	t.Cleanup(func() { _ = w.Close() })
	return w
}

// Start starts a World outside a test (a program, an example); the caller
// must Close it.
func Start(opts ...Option) (*World, error) {
	var s settings
	for _, o := range opts {
		o(&s)
	}
	w := &World{Store: kyc.NewMemoryStore(0), arrived: make(chan struct{})}
	w.Fakes = Fakes{
		Atlas:     atlastest.NewServer(s.atlas...),
		Incode:    incodetest.NewServer(s.incode...),
		AdvanceAI: advanceaitest.NewServer(s.advanceai...),
		EKYC:      ekycidtest.NewServer(s.ekycid...),
		Verificar: verificartest.NewServer(s.verificar...),
	}
	with := func(own []kyc.Option) []kyc.Option { return append(own, s.client...) }

	incCfg := w.Fakes.Incode.ExecutiveConfig()
	incCfg.WebhookToken = kyc.NewSecret(IncodeWebhookToken)
	if s.incodeLink {
		incCfg.Flow = kyc.FlowHostedLink
	}
	var errs [5]error
	w.Atlas, errs[0] = atlas.New(w.Fakes.Atlas.Config(), with(w.Fakes.Atlas.Options())...)
	w.Incode, errs[1] = incode.New(incCfg, with(w.Fakes.Incode.Options())...)
	w.AdvanceAI, errs[2] = advanceai.New(w.Fakes.AdvanceAI.Config(), with(w.Fakes.AdvanceAI.Options())...)
	w.EKYC, errs[3] = ekycid.New(w.Fakes.EKYC.Config(), with(w.Fakes.EKYC.Options())...)
	w.Verificar, errs[4] = verificar.New(w.Fakes.Verificar.Config(), with(w.Fakes.Verificar.Options())...)
	if err := errors.Join(errs[:]...); err != nil {
		_ = w.Close()
		return nil, err
	}

	ropts := []kyc.Option{
		kyc.CountryRoute("IND", w.Atlas),
		kyc.CountryRoute("IDN", w.AdvanceAI),
		kyc.CountryRoute("ESP", w.Verificar),
		kyc.CountryRoute("KHM", w.EKYC),
		kyc.DefaultRoute(w.Incode),
		kyc.WithResultStore(w.Store),
	}
	router, err := kyc.NewRouter(append(ropts, s.router...)...)
	if err != nil {
		_ = w.Close()
		return nil, err
	}
	w.Router = router

	w.Webhooks, err = kyc.NewWebhookMux(w.record, kyc.ConfirmEvents(), kyc.WithResultStore(w.Store))
	if err != nil {
		_ = w.Close()
		return nil, err
	}
	w.Webhooks.Handle(VerificarWebhookPath, w.Verificar)
	w.Webhooks.Handle(IncodeWebhookPath, w.Incode)
	w.hooks = httptest.NewServer(w.Webhooks)
	w.WebhookURL = w.hooks.URL
	return w, nil
}

// Close stops the webhook server, closes the Router and the clients, and
// stops the fakes. It may be called more than once.
func (w *World) Close() error {
	w.closeOnce.Do(func() {
		if w.hooks != nil {
			w.hooks.Close()
		}
		var errs []error
		if w.Router != nil {
			errs = append(errs, w.Router.Close()) // closes every client
		} else {
			errs = append(errs, w.closeClients())
		}
		for _, f := range w.fakes() {
			if f != nil {
				f.Close()
			}
		}
		w.closeErr = errors.Join(errs...)
	})
	return w.closeErr
}

// closeClients closes the clients built so far, when no Router owns them.
func (w *World) closeClients() error {
	var errs []error
	if w.Atlas != nil {
		errs = append(errs, w.Atlas.Close())
	}
	if w.Incode != nil {
		errs = append(errs, w.Incode.Close())
	}
	if w.AdvanceAI != nil {
		errs = append(errs, w.AdvanceAI.Close())
	}
	if w.EKYC != nil {
		errs = append(errs, w.EKYC.Close())
	}
	if w.Verificar != nil {
		errs = append(errs, w.Verificar.Close())
	}
	return errors.Join(errs...)
}

func (w *World) fakes() []*kyctest.Server {
	var out []*kyctest.Server
	if f := w.Fakes.Atlas; f != nil {
		out = append(out, f.Server)
	}
	if f := w.Fakes.Incode; f != nil {
		out = append(out, f.Server)
	}
	if f := w.Fakes.AdvanceAI; f != nil {
		out = append(out, f.Server)
	}
	if f := w.Fakes.EKYC; f != nil {
		out = append(out, f.Server)
	}
	if f := w.Fakes.Verificar; f != nil {
		out = append(out, f.Server)
	}
	return out
}

// Providers lists the five providers, in the order of the Outcomes table.
func Providers() []kyc.Provider {
	return []kyc.Provider{kyc.Atlas, kyc.Incode, kyc.AdvanceAI, kyc.EKYC, kyc.Verificar}
}

// Country returns the country the World's Router sends to p: IND, MEX (any
// country without a route goes to Incode), IDN, KHM or ESP.
func Country(p kyc.Provider) string {
	switch p {
	case kyc.Atlas:
		return "IND"
	case kyc.AdvanceAI:
		return "IDN"
	case kyc.EKYC:
		return "KHM"
	case kyc.Verificar:
		return "ESP"
	default:
		return "MEX"
	}
}

// Verifier returns the client of p, or nil for an unknown provider.
func (w *World) Verifier(p kyc.Provider) kyc.Verifier {
	switch p {
	case kyc.Atlas:
		return w.Atlas
	case kyc.Incode:
		return w.Incode
	case kyc.AdvanceAI:
		return w.AdvanceAI
	case kyc.EKYC:
		return w.EKYC
	case kyc.Verificar:
		return w.Verificar
	}
	return nil
}

// Fake returns the kyctest.Server of p's fake (faults, requests, sends), or
// nil for an unknown provider. World.Fakes has each fake with its own
// methods.
func (w *World) Fake(p kyc.Provider) *kyctest.Server {
	switch p {
	case kyc.Atlas:
		return w.Fakes.Atlas.Server
	case kyc.Incode:
		return w.Fakes.Incode.Server
	case kyc.AdvanceAI:
		return w.Fakes.AdvanceAI.Server
	case kyc.EKYC:
		return w.Fakes.EKYC.Server
	case kyc.Verificar:
		return w.Fakes.Verificar.Server
	}
	return nil
}

// faceInputs are the magic inputs the fakes read from the selfie; document
// inputs are read from the document's front, and the others from either.
var (
	faceInputs = map[string]bool{kyctest.ImageNoFace: true, kyctest.ImageFaceMismatch: true,
		kyctest.ImageFaceBorderline: true, kyctest.ImageLivenessFailed: true}
	documentInputs = map[string]bool{kyctest.ImageLowQuality: true, kyctest.ImageExpired: true,
		kyctest.ImageForged: true, kyctest.ImageUnderage: true, kyctest.ImageNoDocument: true}
)

// Request returns a Request that the World's Router sends to provider p,
// with everything p requires, and the magic input marker where the fakes
// read it: face inputs (no_face, face_mismatch, face_borderline,
// liveness_failed) on the selfie, document inputs (low_quality, expired,
// forged, underage, no_document) on the document's front, the others
// (approved, review, not_finished, server_error, and any vendor-only
// marker) on both. Each Request has its own ID, and for Verificar its own
// phone, so Sends counts it apart.
//
// The link providers receive no image: ADVANCE.AI's marker goes into the
// card the person captures, Incode's hosted link's (WithIncodeLink) into
// the captures on Incode's pages, and Verificar's into the fake's report;
// Complete uses marker for all three. For Verificar, kyctest.ImageServerError gives the
// fake's magic phone verificartest.PhoneServerError, its equivalent.
func (w *World) Request(p kyc.Provider, marker string) kyc.Request {
	n := w.seq.Add(1)
	img := func(on bool) *kyc.Image {
		m := ""
		if on {
			m = marker
		}
		im, _ := kyc.ImageFromBytes(kyctest.MagicImage(m, 0))
		return im
	}
	face := !documentInputs[marker]
	doc := !faceInputs[marker]
	req := kyc.Request{ID: fmt.Sprintf("kycworld-%s-%d", p, n), Country: Country(p)}
	switch p {
	case kyc.Atlas:
		req.Selfie = img(face)
		req.Document = kyc.Document{Type: kyc.DocumentPAN, Number: "ABCDE1234F", Front: img(doc)}
		req.Person = kyc.Person{FullName: atlastest.HolderName}
	case kyc.Incode:
		if w.Incode.Capabilities().Flow == kyc.FlowHostedLink {
			req.Link = kyc.LinkOptions{ReturnURL: "https://example.com/kyc/done"}
			break
		}
		req.Selfie = img(face)
		req.Document = kyc.Document{Type: kyc.DocumentIDCard, Front: img(doc), Back: img(false)}
	case kyc.EKYC:
		req.Selfie = img(face)
		req.Document = kyc.Document{Type: kyc.DocumentIDCard, Front: img(doc)}
	case kyc.AdvanceAI:
		req.Link = kyc.LinkOptions{ReturnURL: "https://example.com/kyc/done"}
	case kyc.Verificar:
		phone := FictionalPhone(int(n))
		if marker == kyctest.ImageServerError {
			phone = "+" + verificartest.PhoneServerError
		}
		req.Person = kyc.Person{Phone: phone}
		req.Link = kyc.LinkOptions{Message: "Verifica tu identidad: [LINK]", Sender: "KYCGO"}
	}
	return req
}

// FictionalPhones is how many distinct numbers FictionalPhone gives before
// it repeats.
const FictionalPhones = kyctest.FictionPhones - 100

// FictionalPhone returns the i-th of FictionalPhones phone numbers in E.164
// form ("+12025550123") from the North American range reserved for fiction
// (kyctest.FictionPhone), past the hundred the fakes keep for their magic
// phones: a number that kyc.IsPhone and Verificar accept and that never
// reaches a real person. Request gives each Verificar Request the next one;
// i wraps around.
func FictionalPhone(i int) string {
	i %= FictionalPhones
	if i < 0 {
		i += FictionalPhones
	}
	return kyctest.FictionPhone(100 + i)
}

// Complete finishes a verification that Verify left pending because the
// person has a step to take, with the magic input marker, and reads the
// outcome back through the Router:
//
//   - ADVANCE.AI: the person captures a card carrying marker on the H5 page
//     (advanceaitest.Server.Capture); Router.Result then reads get-result
//     once.
//   - Incode's hosted link (WithIncodeLink): the person goes through the
//     link (incodetest.Server.Onboard), capturing a front and a selfie with
//     marker where Request puts it for the direct flow; the fake posts
//     ONBOARDING_FINISHED to the world's webhook server, which confirms it
//     (a read-back) and puts its Result into Store; Router.Result then
//     reads the session back. A capture Incode's pages refuse is an error
//     wrapping incodetest.ErrCaptureRefused.
//   - Verificar: the fake posts the finished report for marker
//     (verificartest.Webhook.Magic) to the world's webhook server, which
//     authenticates it and puts its Result into Store; Router.Result then
//     answers from the store.
//
// Any other Result, final or not, is returned as it is.
func (w *World) Complete(ctx context.Context, res *kyc.Result, marker string) (*kyc.Result, error) {
	if res == nil || res.Status != kyc.StatusPending {
		return res, nil
	}
	ref, err := kyc.ParseReference(res.Reference)
	if err != nil {
		return nil, err
	}
	switch ref.Provider {
	case kyc.AdvanceAI:
		if err := w.Fakes.AdvanceAI.Capture(advanceaitest.SignatureID(res.Reference), kyctest.MagicImage(marker, 0)); err != nil {
			return nil, fmt.Errorf("kycworld: capture on the ADVANCE.AI fake: %w", err)
		}
	case kyc.Incode:
		if res.Link == nil {
			return res, nil // the direct flow: nothing for the person to do
		}
		if err := w.onboard(ctx, res, ref.ID, marker); err != nil {
			return nil, err
		}
	case kyc.Verificar:
		status, err := w.Fakes.Verificar.SendWebhook(ctx, verificartest.Webhook{
			URL: w.WebhookURL + VerificarWebhookPath, ID: ref.ID, Magic: marker})
		if err != nil {
			return nil, fmt.Errorf("kycworld: Verificar webhook: %w", err)
		}
		if status != http.StatusOK {
			return nil, fmt.Errorf("kycworld: the Verificar webhook was answered with HTTP %d", status)
		}
	default:
		return res, nil
	}
	return w.Router.Result(ctx, res.Reference)
}

// record is the webhook mux's handler: it keeps every Event.
func (w *World) record(_ context.Context, ev *kyc.Event) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.events = append(w.events, ev)
	close(w.arrived)
	w.arrived = make(chan struct{})
	return nil
}

// Events returns the Events the webhook server passed to its handler, oldest
// first.
func (w *World) Events() []*kyc.Event {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]*kyc.Event(nil), w.events...)
}

// WaitEvent waits for the first Event for ref that the webhook server
// received (or has received), until ctx ends.
func (w *World) WaitEvent(ctx context.Context, ref string) (*kyc.Event, error) {
	for {
		w.mu.Lock()
		for _, ev := range w.events {
			if ev.Reference == ref {
				w.mu.Unlock()
				return ev, nil
			}
		}
		ch := w.arrived
		w.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, fmt.Errorf("kycworld: no webhook event for %s: %w", shape(ref), ctx.Err())
		}
	}
}

// shape prints a reference's provider only: references name a person's
// verification, and errors may be logged.
func shape(ref string) string {
	p, _, _ := strings.Cut(ref, ":")
	return p + ":…"
}
