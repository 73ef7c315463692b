package soak_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/advanceai"
	"github.com/kyc-go/kyc/advanceai/advanceaitest"
	"github.com/kyc-go/kyc/atlas"
	"github.com/kyc-go/kyc/atlas/atlastest"
	"github.com/kyc-go/kyc/ekycid"
	"github.com/kyc-go/kyc/ekycid/ekycidtest"
	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/internal/testutil"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

// fakeServer is what every vendor fake offers the soak.
type fakeServer interface {
	DuplicateSends() int
	Inject(f kyctest.Fault)
	FaultRate(p float64, seed uint64, faults ...kyctest.Fault)
	Requests() []kyctest.Record
	Injected() map[kyctest.FaultKind]int
	Close()
}

// world is the five fakes, their clients and the quickstart's Router.
type world struct {
	atlas   *atlastest.Server
	incode  *incodetest.Server
	adv     *advanceaitest.Server
	ekyc    *ekycidtest.Server
	ver     *verificartest.Server
	fakes   map[kyc.Provider]fakeServer
	clients map[kyc.Provider]kyc.Verifier
	router  *kyc.Router
	logs    *testutil.Buffer
	// country → provider, as routed.
	routes map[string]kyc.Provider
}

// newWorld starts the fakes and builds clients that log at debug level into
// w.logs (for the secrets scan), with extra options for every client.
func newWorld(t testing.TB, opts ...kyc.Option) *world {
	t.Helper()
	logger, logs := testutil.CaptureLogger()
	w := &world{
		atlas:  atlastest.NewServer(),
		incode: incodetest.NewServer(incodetest.WithDelay(40 * time.Millisecond)),
		adv:    advanceaitest.NewServer(),
		ekyc:   ekycidtest.NewServer(),
		ver:    verificartest.NewServer(verificartest.WithCredits(1e9)),
		logs:   logs,
		routes: map[string]kyc.Provider{"IND": kyc.Atlas, "IDN": kyc.AdvanceAI, "ESP": kyc.Verificar, "KHM": kyc.EKYC, "MEX": kyc.Incode},
	}
	w.fakes = map[kyc.Provider]fakeServer{kyc.Atlas: w.atlas, kyc.Incode: w.incode, kyc.AdvanceAI: w.adv, kyc.EKYC: w.ekyc, kyc.Verificar: w.ver}
	with := func(base []kyc.Option) []kyc.Option {
		return append(append(append([]kyc.Option{}, base...), kyc.WithLogger(logger), pooled(base)), opts...)
	}
	atlasC, err := atlas.New(w.atlas.Config(), with(w.atlas.Options())...)
	require.NoError(t, err)
	incodeC, err := incode.New(w.incode.Config(), with(w.incode.Options())...)
	require.NoError(t, err)
	advC, err := advanceai.New(w.adv.Config(), with(w.adv.Options())...)
	require.NoError(t, err)
	ekycC, err := ekycid.New(w.ekyc.Config(), with(w.ekyc.Options())...)
	require.NoError(t, err)
	verC, err := verificar.New(w.ver.Config(), with(w.ver.Options())...)
	require.NoError(t, err)
	w.clients = map[kyc.Provider]kyc.Verifier{kyc.Atlas: atlasC, kyc.Incode: incodeC, kyc.AdvanceAI: advC, kyc.EKYC: ekycC, kyc.Verificar: verC}
	w.router, err = kyc.NewRouter(
		kyc.CountryRoute("IND", atlasC),
		kyc.CountryRoute("IDN", advC),
		kyc.CountryRoute("ESP", verC),
		kyc.CountryRoute("KHM", ekycC),
		kyc.DefaultRoute(incodeC),
	)
	require.NoError(t, err)
	return w
}

// close closes the clients and the fakes.
func (w *world) close() {
	_ = w.router.Close()
	for _, f := range w.fakes {
		f.Close()
	}
}

// images are shared by every request: fakes key their send counts by
// caller id, idempotency key or call id, not by image bytes.
var (
	selfie = mustImage(kyctest.MagicImage("", 1000))
	front  = mustImage(kyctest.MagicImage("", 1200))
	back   = mustImage(kyctest.MagicImage("", 1400))
)

func mustImage(b []byte) *kyc.Image {
	im, err := kyc.ImageFromBytes(b)
	if err != nil {
		panic(err)
	}
	return im
}

var countries = []string{"IND", "IDN", "ESP", "KHM", "MEX"}

// request i: the country cycles through the five routes; every request has
// its own ID, PAN and phone, so the fakes can tell logical requests apart.
func request(i int) kyc.Request {
	id := fmt.Sprintf("soak-%06d", i)
	switch country := countries[i%len(countries)]; country {
	case "IND":
		return kyc.Request{ID: id, Country: country, Selfie: selfie,
			Document: kyc.Document{Type: kyc.DocumentPAN, Number: fmt.Sprintf("ABCDE%04dF", i%10000), Front: front},
			Person:   kyc.Person{FullName: atlastest.HolderName}}
	case "IDN":
		return kyc.Request{ID: id, Country: country, Link: kyc.LinkOptions{ReturnURL: "https://example.com/kyc/done"}}
	case "ESP":
		return kyc.Request{ID: id, Country: country, Person: kyc.Person{Phone: fmt.Sprintf("+3460%07d", i)},
			Link: kyc.LinkOptions{Message: "Verifica tu identidad: [LINK]"}}
	case "KHM":
		return kyc.Request{ID: id, Country: country, Selfie: selfie, Document: kyc.Document{Type: kyc.DocumentIDCard, Front: front}}
	default:
		return kyc.Request{ID: id, Country: country, Selfie: selfie, Document: kyc.Document{Type: kyc.DocumentIDCard, Front: front, Back: back}}
	}
}

// pooled gives a fake's TLS client as many idle connections as a backend
// would keep (httptest's client keeps net/http's default of 2, which makes
// most requests of 200 goroutines a new TLS handshake). It is applied after
// the fake's own options, so it wins.
func pooled(fakeOpts []kyc.Option) kyc.Option {
	s, err := kyc.NewSettings(fakeOpts...)
	if err != nil || s.HTTPClient == nil {
		return kyc.WithUserAgent("") // changes nothing
	}
	hc := *s.HTTPClient
	if t, ok := hc.Transport.(*http.Transport); ok {
		t = t.Clone()
		t.MaxIdleConnsPerHost = 64
		hc.Transport = t
	}
	return kyc.WithHTTPClient(&hc)
}

// discardLogger keeps benchmarks and the soak from filling memory with logs.
var discardLogger = slog.New(slog.DiscardHandler)

// needsSlow skips t unless the build has -tags slow (or soak): the soak and
// the fault matrices take most of a minute of waiting under -race, so
// `go test -race ./...` leaves them to the step of .ci/run that runs
//
//	go test -race -tags slow -run 'Soak|FaultMatrix' ./internal/soak
func needsSlow(t *testing.T) {
	t.Helper()
	if !slowTests {
		t.Skip("a slow cross-provider run: go test -race -tags slow ./internal/soak")
	}
}
