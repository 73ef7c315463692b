package verificar_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

func setup(t testing.TB, opts ...verificartest.Option) (*verificar.Client, *verificartest.Server) {
	t.Helper()
	srv := verificartest.New(t, opts...)
	c, err := verificar.New(srv.Config(), append(srv.Options(), kyc.WithRetry(2, 20*time.Millisecond))...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, srv
}

func request(phone string) kyc.Request {
	return kyc.Request{ID: "case-1", Country: "ESP", Person: kyc.Person{Phone: phone},
		Link: kyc.LinkOptions{Message: "Verifique su identidad: [LINK]", Sender: "MiEmpresa"}}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	for _, object := range []bool{false, true} {
		var opts []verificartest.Option
		if object {
			opts = append(opts, verificartest.WithObjectAnswers())
		}
		c, srv := setup(t, opts...)
		res, err := c.Verify(context.Background(), request("+34600000001"))
		require.NoError(t, err)
		assert.Equal(t, kyc.StatusPending, res.Status)
		assert.Equal(t, kyc.Verificar, res.Provider)
		assert.Equal(t, "verificar:299846332", res.Reference)
		assert.NotEmpty(t, res.Raw)
		assert.Equal(t, 1, srv.Sends("34600000001"))
		assert.Equal(t, 1, srv.Sends("+34600000001"))
		assert.Equal(t, float64(verificartest.DefaultCredits-1), srv.Credits())
		n, err := c.Credits(context.Background())
		require.NoError(t, err)
		assert.Equal(t, float64(verificartest.DefaultCredits-1), n)
	}
}

func TestVerifyBadInputSendsNothing(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	long := request("34600000001")
	long.Link.Sender = "ABCDEFGHIJKL" // 12
	noLink := request("34600000001")
	noLink.Link.Message = "Verifique su identidad"
	noCountry := request("34600000001")
	noCountry.Country = ""
	for name, tt := range map[string]struct {
		req   kyc.Request
		field string
	}{
		"no phone":             {request(""), "Person.Phone"},
		"sender of 12":         {long, "Link.Sender"},
		"message without LINK": {noLink, "Link.Message"},
		"not Spain":            {func() kyc.Request { r := request("+34600000001"); r.Country = "FRA"; return r }(), "Country"},
		"no country":           {noCountry, "Country"},
		"not a phone":          {request("600 00"), "Person.Phone"},
		// Spain's shape (kyc's compact table takes it), no line of
		// libphonenumber's plan: refused before texting.
		"not in service": {request("500000001"), "Person.Phone"},
	} {
		_, err := c.Verify(context.Background(), tt.req)
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr, name)
		assert.ErrorIs(t, err, kyc.ErrInvalidRequest, name)
		assert.EqualValues(t, tt.field, kerr.Field, name)
		assert.Equal(t, "verificar.Verify", kerr.Op, name)
		assert.Equal(t, kyc.Verificar, kerr.Provider, name)
	}
	assert.Empty(t, srv.Requests(), "nothing reached the fake")
}

// TestSendIsNeverResent: the send reached the fake, then the answer was
// lost behind a 502 (or a 503, a 429): the client does not send again.
func TestSendIsNeverResent(t *testing.T) {
	t.Parallel()
	for i, f := range []kyctest.Fault{
		{Kind: kyctest.FaultStatus, Status: 500, After: true},
		{Kind: kyctest.FaultStatus, Status: 502, After: true},
		{Kind: kyctest.FaultStatus, Status: 503, After: true},
		{Kind: kyctest.FaultRateLimit, RetryAfter: "0", After: true},
		{Kind: kyctest.FaultDrop, After: true},
		{Kind: kyctest.FaultTruncate},
	} {
		c, srv := setup(t)
		srv.Inject(f)
		phone := "346000001" + strconv.Itoa(10+i)
		_, err := c.SendVerification(context.Background(), verificar.SendRequest{Phone: phone})
		require.Error(t, err, f.Kind.String())
		var kerr *kyc.Error
		require.ErrorAs(t, err, &kerr)
		assert.True(t, kerr.MayHaveBeenSent(), f.Kind.String())
		assert.Equal(t, 1, srv.Sends(phone), "exactly one send: %s", f.Kind)
		assert.Equal(t, 1, srv.Count(verificar.PathSend), f.Kind.String())
		assert.Zero(t, srv.DuplicateSends())
	}
}

func TestFakeErrors(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, verificartest.WithCredits(1))
	ctx := context.Background()
	_, err := c.SendVerification(ctx, verificar.SendRequest{Phone: "34600000001"})
	require.NoError(t, err)
	_, err = c.SendVerification(ctx, verificar.SendRequest{Phone: "34600000002"})
	assert.ErrorIs(t, err, kyc.ErrInsufficientCredit, "credits ran out")
	assert.Zero(t, srv.Sends("34600000002"))

	srv.SetCredits(10)
	_, err = c.SendVerification(ctx, verificar.SendRequest{Phone: verificartest.PhoneNotActivated})
	assert.ErrorIs(t, err, kyc.ErrForbidden)
	_, err = c.SendVerification(ctx, verificar.SendRequest{Phone: verificartest.PhoneGeneralError})
	assert.ErrorIs(t, err, kyc.ErrUnavailable)
	_, err = c.SendVerification(ctx, verificar.SendRequest{Phone: verificartest.PhoneServerError})
	assert.ErrorIs(t, err, kyc.ErrUnavailable)
	var kerr *kyc.Error
	require.ErrorAs(t, err, &kerr)
	assert.Equal(t, 500, kerr.StatusCode)
	assert.Equal(t, 1, countPhone(srv, verificartest.PhoneServerError), "a messaging send is not resent after a 500")
	assert.Equal(t, 10.0, srv.Credits(), "failed sends cost nothing")

	bad, err := verificar.New(verificar.Config{APIUser: "x", APIToken: kyc.NewSecret("y")}, srv.Options()...)
	require.NoError(t, err)
	before := len(srv.Requests())
	_, err = bad.Credits(ctx)
	assert.ErrorIs(t, err, kyc.ErrUnauthorized)
	assert.Len(t, srv.Requests(), before+1, "an auth failure is not retried")

	assert.ErrorIs(t, c.Certificate(ctx, "12345", io.Discard), kyc.ErrInvalidRequest, "unknown id: Res -3")
}

func TestResultIsUnsupported(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	_, err := c.Result(context.Background(), "verificar:299846332")
	assert.ErrorIs(t, err, kyc.ErrUnsupported)
	assert.Contains(t, err.Error(), "webhook")
	_, err = c.Result(context.Background(), "atlas:1")
	assert.ErrorIs(t, err, kyc.ErrInvalidRequest)
}

func TestCapabilities(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	caps := c.Capabilities()
	assert.Equal(t, kyc.FlowSMSLink, caps.Flow)
	assert.Equal(t, []string{"ESP"}, caps.Countries)
	assert.Equal(t, []kyc.Field{kyc.FieldPhone}, caps.Requires)
	assert.Equal(t, kyc.Verificar, c.Provider())
}

// TestWebhookRoundTrip: the fake POSTs each documented report to a handler
// built by the client, as JSON and as a form, with Basic auth.
func TestWebhookRoundTrip(t *testing.T) {
	t.Parallel()
	_, srv := setup(t)
	cfg := srv.Config()
	cfg.WebhookUser, cfg.WebhookPassword = "hook", kyc.NewSecret("hook-pw")
	c, err := verificar.New(cfg, srv.Options()...)
	require.NoError(t, err)
	ctx := context.Background()
	sent, err := c.SendVerification(ctx, verificar.SendRequest{Phone: "34600000001", DNI: "00000000T"})
	require.NoError(t, err)

	var mu sync.Mutex
	var events []*kyc.Event
	hook := httptest.NewServer(c.WebhookHandler(func(_ context.Context, ev *kyc.Event) error {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
		return nil
	}))
	defer hook.Close()

	cases := []struct {
		estado, resultado int
		status            kyc.Status
		reason            kyc.Reason
	}{
		{3000, 0, kyc.StatusPending, ""}, {3001, 0, kyc.StatusPending, ""}, {3002, 0, kyc.StatusPending, ""},
		{3003, 0, kyc.StatusPending, ""}, {5000, 0, kyc.StatusPending, ""},
		{5001, 0, kyc.StatusApproved, ""}, {5001, 95, kyc.StatusApproved, ""},
		{5001, -1, kyc.StatusReview, kyc.ReasonFaceMismatch}, {5001, -2, kyc.StatusRejected, kyc.ReasonUnderage},
		{5001, -3, kyc.StatusRejected, kyc.ReasonFrontBackMismatch}, {5001, -4, kyc.StatusRejected, kyc.ReasonDifferentPerson},
		{5001, -5, kyc.StatusRejected, kyc.ReasonDocumentExpired}, {5001, -6, kyc.StatusRejected, kyc.ReasonLivenessFailed},
		{5001, -7, kyc.StatusPending, kyc.ReasonNotFinished}, {5001, -8, kyc.StatusRejected, kyc.ReasonFaceMismatch},
		{5001, -9, kyc.StatusRejected, kyc.ReasonDocumentNumberMismatch},
		{5100, 0, kyc.StatusApproved, ""}, {5500, -8, kyc.StatusRejected, kyc.ReasonFaceMismatch},
	}
	for _, form := range []bool{false, true} {
		for _, tt := range cases {
			mu.Lock()
			events = nil
			mu.Unlock()
			code, err := srv.SendWebhook(ctx, verificartest.Webhook{URL: hook.URL, ID: sent.ID, Estado: tt.estado,
				Resultado: tt.resultado, Form: form, User: "hook", Password: "hook-pw"})
			require.NoError(t, err)
			require.Equal(t, 200, code)
			mu.Lock()
			require.Len(t, events, 1)
			ev := events[0]
			mu.Unlock()
			name := ev.Type
			assert.Equal(t, "verificar:"+sent.ID, ev.Reference, name)
			assert.True(t, ev.Authenticated)
			assert.Equal(t, tt.status, ev.Result.Status, "%d/%d form=%v", tt.estado, tt.resultado, form)
			if tt.reason != "" {
				assert.Equal(t, []kyc.Reason{tt.reason}, ev.Result.Reasons, "%d/%d", tt.estado, tt.resultado)
			}
			if tt.estado == 5001 {
				require.NotNil(t, ev.Result.Document)
				assert.Equal(t, "00000000T", ev.Result.Document.Number)
			}
		}
	}

	code, err := srv.SendWebhook(ctx, verificartest.Webhook{URL: hook.URL, ID: sent.ID, Estado: 5100, User: "hook", Password: "nope"})
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, code)
	code, err = srv.SendWebhook(ctx, verificartest.Webhook{URL: hook.URL, ID: sent.ID, Estado: 5100})
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, code)
}

func TestCertificateStreams(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, verificartest.WithCertificateSize(1<<20))
	sent, err := c.SendVerification(context.Background(), verificar.SendRequest{Phone: "34600000001"})
	require.NoError(t, err)
	var sb strings.Builder
	require.NoError(t, c.Certificate(context.Background(), sent.ID, &sb))
	assert.Equal(t, 1<<20, sb.Len())
	assert.True(t, strings.HasPrefix(sb.String(), "%PDF-1.4"))
	assert.True(t, strings.HasSuffix(sb.String(), "%%EOF\n"))
	assert.Equal(t, 1, srv.Count(verificar.PathCertificate))
}

type countWriter struct{ n atomic.Int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n.Add(int64(len(p))); return len(p), nil }

// TestCertificate50MBHeap downloads a 50 MB certificate (fake and client in
// one process) and samples the heap while it streams: peak growth must stay
// under 4 MiB. Total allocation is logged too: without -race it stays under
// 4 MiB as well, which bounds the growth whatever the GC does.
func TestCertificate50MBHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("50 MB download")
	}
	const size = 50 << 20
	c, _ := setup(t, verificartest.WithCertificateSize(size))
	sent, err := c.SendVerification(context.Background(), verificar.SendRequest{Phone: "34600000001"})
	require.NoError(t, err)
	// Collect garbage promptly, so that the samples follow the live heap
	// rather than the GC's pacing (under -race, sync.Pool drops buffers at
	// random, and the garbage would otherwise pile up to the GC target).
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	w := &countWriter{}
	err = c.Certificate(context.Background(), sent.ID, w)
	close(stop)
	<-done
	require.NoError(t, err)
	assert.EqualValues(t, size, w.n.Load())

	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	growth := int64(peak.Load()) - int64(before.HeapAlloc)
	t.Logf("50 MB certificate: peak heap growth %.2f MiB, total allocated %.2f MiB",
		float64(growth)/(1<<20), float64(after.TotalAlloc-before.TotalAlloc)/(1<<20))
	assert.Less(t, growth, int64(4<<20), "peak heap growth under 4 MiB")
}

// countPhone counts the sends the fake received for phone (processed or
// not), from its records.
func countPhone(srv *verificartest.Server, phone string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Path == verificar.PathSend && strings.Contains(string(r.Body), `"Telefono":"`+phone+`"`) {
			n++
		}
	}
	return n
}

// TestMagicInputs drives every kyctest magic input through the fake: Verify
// is pending, and the webhook the fake sends for the input gives the
// package doc's outcome.
func TestMagicInputs(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	events := make(chan *kyc.Event, 1)
	hook := httptest.NewServer(c.WebhookHandler(func(_ context.Context, ev *kyc.Event) error {
		events <- ev
		return nil
	}))
	defer hook.Close()
	type want struct {
		status   kyc.Status
		reason   kyc.Reason
		produced bool
	}
	table := map[string]want{
		kyctest.ImageApproved:       {kyc.StatusApproved, "", true},
		kyctest.ImageNoFace:         {kyc.StatusApproved, "", false},
		kyctest.ImageFaceMismatch:   {kyc.StatusRejected, kyc.ReasonFaceMismatch, true},
		kyctest.ImageFaceBorderline: {kyc.StatusReview, kyc.ReasonFaceMismatch, true},
		kyctest.ImageLivenessFailed: {kyc.StatusRejected, kyc.ReasonLivenessFailed, true},
		kyctest.ImageLowQuality:     {kyc.StatusApproved, "", false},
		kyctest.ImageExpired:        {kyc.StatusRejected, kyc.ReasonDocumentExpired, true},
		kyctest.ImageForged:         {kyc.StatusApproved, "", false},
		kyctest.ImageUnderage:       {kyc.StatusRejected, kyc.ReasonUnderage, true},
		kyctest.ImageNoDocument:     {kyc.StatusApproved, "", false},
		kyctest.ImageReview:         {kyc.StatusReview, kyc.ReasonFaceMismatch, true},
		kyctest.ImageNotFinished:    {kyc.StatusPending, kyc.ReasonNotFinished, true},
		kyctest.ImageServerError:    {kyc.StatusApproved, "", false},
	}
	require.Len(t, table, len(kyctest.MagicInputs()), "every magic input is in the table")
	ctx := context.Background()
	for i, magic := range kyctest.MagicInputs() {
		w, ok := table[magic]
		require.True(t, ok, magic)
		_, produced := verificartest.Outcome(magic)
		assert.Equal(t, w.produced, produced, magic)
		res, err := c.Verify(ctx, request("+3460000020"+strconv.Itoa(i%10)))
		require.NoError(t, err)
		assert.Equal(t, kyc.StatusPending, res.Status, "an SMS-link Verify is always pending")
		code, err := srv.SendWebhook(ctx, verificartest.Webhook{URL: hook.URL, ID: strings.TrimPrefix(res.Reference, "verificar:"), Magic: magic})
		require.NoError(t, err)
		require.Equal(t, 200, code, magic)
		ev := <-events
		assert.True(t, ev.Authenticated, magic)
		assert.Equal(t, res.Reference, ev.Reference, magic)
		assert.Equal(t, w.status, ev.Result.Status, magic)
		if w.reason == "" {
			assert.Empty(t, ev.Result.Reasons, magic)
		} else {
			assert.Equal(t, []kyc.Reason{w.reason}, ev.Result.Reasons, magic)
		}
	}
	// ImageServerError's equivalent is a magic phone.
	_, err := c.SendVerification(ctx, verificar.SendRequest{Phone: verificartest.PhoneServerError})
	assert.ErrorIs(t, err, kyc.ErrUnavailable)
}
