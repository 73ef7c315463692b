package soak_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

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

// A kit is one vendor as the matrix, the cap test and the scans drive it:
// how to start its fake and a client through a counting transport, and a
// closure per billed or messaging operation that calls the typed method
// with valid input.
type kit struct {
	p   kyc.Provider
	ops []kyc.Operation
	// start starts a fresh fake and a client on it; the client goes through
	// the tripper and gets opts after the fake's own.
	start func(tr *tripper, opts ...kyc.Option) (*rig, error)
	// calls holds, by operation name, what runs the operation: prep runs the
	// steps it needs first (a session, an enrolled face) and returns the
	// call of the operation itself.
	calls map[string]prep
}

// prep runs an operation's prior steps on the rig's client and returns the
// call of the operation itself.
type prep func(ctx context.Context, r *rig) (func(context.Context) error, error)

// rig is one started fake and its client.
type rig struct {
	p      kyc.Provider
	fake   *kyctest.Server
	client kyc.Verifier
	tr     *tripper
	close  func()
	// secrets are the credentials the fake accepts and the client holds.
	secrets map[string]string
	// tokens returns the tokens the fake issued so far (session, access,
	// executive tokens).
	tokens func() []string
}

// tripper is the clients' HTTP transport: it counts attempts by path and
// refuses, before anything is written, the requests whose path contains
// refuse (a connection refused, as the dial would report it).
//
// A tripper with timed set serves a client that has the matrix's attempt
// timeout: the fault there is "the answer comes after the attempt
// timeout", so the attempt must time out after its request was written,
// however slow the machine. Without help, a loaded machine sometimes spent
// the whole timeout dialling, in the TLS handshake or writing, and the
// transport then rightly resent a billed request it had never written
// (two attempts where the table says one). So on the slow path (the one
// the fault holds) the attempt's cancellation reaches net/http only once
// the request is written; every other request (the steps before the
// faulted call, the rest of a Router's flow) is not bounded by the attempt
// timeout at all, since its speed is not what the cell measures.
type tripper struct {
	base   http.RoundTripper
	fake   *kyctest.Server
	mu     sync.Mutex
	refuse string
	timed  bool   // the client has the cell's attempt timeout
	slow   string // the path whose answer the fault holds (timed only)
	seen   []string
}

func (t *tripper) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	t.seen = append(t.seen, r.URL.Path)
	refuse := t.refuse != "" && strings.Contains(r.URL.Path, t.refuse)
	timed, slow := t.timed, t.slow != "" && strings.Contains(r.URL.Path, t.slow)
	t.mu.Unlock()
	switch {
	case refuse:
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	case timed && slow:
		return t.writeThenCancel(r)
	case timed:
		return t.base.RoundTrip(r.WithContext(context.WithoutCancel(r.Context())))
	}
	return t.base.RoundTrip(r)
}

// writeThenCancel sends r on a context that ignores r's cancellation until
// net/http reports the request written (the trace composes with the
// transport's own, which still sees the write) and the fake has received
// it (else a client quick to hang up would leave a fake slow to read
// nothing: the held answer presumes a vendor that has the request), then
// follows it, while the answer is awaited and while its body is read.
func (t *tripper) writeThenCancel(r *http.Request) (*http.Response, error) {
	parent := r.Context()
	received := t.fake.Count(r.URL.Path)
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	wrote, done := make(chan struct{}), make(chan struct{})
	var once sync.Once
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { once.Do(func() { close(wrote) }) },
	})
	go func() {
		select {
		case <-wrote:
		case <-done:
			return
		}
		// The wait for the fake is bounded only so that a broken
		// connection fails the cell instead of hanging it.
		tick, giveUp := time.NewTicker(time.Millisecond), time.After(20*time.Second)
		defer tick.Stop()
		for t.fake.Count(r.URL.Path) == received {
			select {
			case <-tick.C:
			case <-giveUp:
				cancel()
				return
			case <-done:
				return
			}
		}
		select {
		case <-parent.Done():
			cancel()
		case <-done:
		}
	}()
	end := func() { cancel(); close(done) }
	resp, err := t.base.RoundTrip(r.WithContext(ctx))
	if err != nil {
		end()
		return nil, err
	}
	resp.Body = &endOnClose{ReadCloser: resp.Body, end: sync.OnceFunc(end)}
	return resp, nil
}

// endOnClose runs end when the body is closed.
type endOnClose struct {
	io.ReadCloser
	end func()
}

func (b *endOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.end()
	return err
}

// holdAnswers marks path as the one whose answer the fault holds.
func (t *tripper) holdAnswers(path string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.slow = path
}

func (t *tripper) setRefuse(path string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.refuse = path
}

// attempts counts the attempts whose path contains path.
func (t *tripper) attempts(path string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, p := range t.seen {
		if strings.Contains(p, path) {
			n++
		}
	}
	return n
}

// httpClient is the fake's TLS client with the tripper in front.
func (t *tripper) httpClient(fake *kyctest.Server) *http.Client {
	base := fake.Client()
	t.base, t.fake = base.Transport, fake
	return &http.Client{Transport: t, Timeout: base.Timeout}
}

// Paths are counted with Contains: the fakes may serve under a prefix.
func countPath(f *kyctest.Server, path string) int { return f.Count(path) }

var seq atomic.Int64

// uniq is a fresh id for a logical request.
func uniq(prefix string) string { return fmt.Sprintf("%s-%d", prefix, seq.Add(1)) }

func img(marker string) *kyc.Image { return mustImage(kyctest.MagicImage(marker, 0)) }

func kits() []kit {
	return []kit{atlasKit(), incodeKit(), advanceaiKit(), ekycidKit(), verificarKit()}
}

func atlasKit() kit {
	c := func(r *rig) *atlas.Client { return r.client.(*atlas.Client) }
	one := func(f func(ctx context.Context, c *atlas.Client) error) prep {
		return func(_ context.Context, r *rig) (func(context.Context) error, error) {
			return func(ctx context.Context) error { return f(ctx, c(r)) }, nil
		}
	}
	return kit{p: kyc.Atlas, ops: atlas.Operations(),
		start: func(tr *tripper, opts ...kyc.Option) (*rig, error) {
			// Basic auth: the AES header's PBKDF2 (65,556 rounds a key, on
			// both sides) would starve 2 cores under -race, and the resend
			// policy does not depend on the scheme (atlas's own tests cover
			// AES).
			f := atlastest.NewServer(atlastest.WithAuth(atlas.AuthBasic))
			cl, err := atlas.New(f.Config(), append(append(f.Options(), kyc.WithHTTPClient(tr.httpClient(f.Server))), opts...)...)
			if err != nil {
				f.Close()
				return nil, err
			}
			return &rig{p: kyc.Atlas, fake: f.Server, client: cl, tr: tr, close: func() { _ = cl.Close(); f.Close() },
				secrets: map[string]string{atlastest.KeySecret: "atlas key secret"}, tokens: func() []string { return nil }}, nil
		},
		calls: map[string]prep{
			"atlas.EnrolFace": one(func(ctx context.Context, c *atlas.Client) error { _, err := c.EnrolFace(ctx, img("")); return err }),
			"atlas.CompareFaces": one(func(ctx context.Context, c *atlas.Client) error {
				_, err := c.CompareFaces(ctx, img(""), img(""))
				return err
			}),
			"atlas.VerifyFace": func(ctx context.Context, r *rig) (func(context.Context) error, error) {
				e, err := c(r).EnrolFace(ctx, img(""))
				if err != nil {
					return nil, err
				}
				return func(ctx context.Context) error { _, err := c(r).VerifyFace(ctx, e.FaceID, img("")); return err }, nil
			},
			"atlas.VerifyPAN": one(func(ctx context.Context, c *atlas.Client) error { _, err := c.VerifyPAN(ctx, "ABCDE1234F"); return err }),
			"atlas.VerifyGSTIN": one(func(ctx context.Context, c *atlas.Client) error {
				_, err := c.VerifyGSTIN(ctx, "27ABCDE1234F1Z5")
				return err
			}),
			"atlas.VerifyBankAccount": one(func(ctx context.Context, c *atlas.Client) error {
				_, err := c.VerifyBankAccount(ctx, atlas.BankAccountRequest{AccountNumber: "123456789012", IFSC: "SBIN0000001", Name: atlastest.HolderName})
				return err
			}),
			"atlas.VerifyPassport": one(func(ctx context.Context, c *atlas.Client) error {
				_, err := c.VerifyPassport(ctx, url.Values{"file_number": {"MH1234567890123"}})
				return err
			}),
			"atlas.PANToAadhaar": one(func(ctx context.Context, c *atlas.Client) error {
				_, err := c.PANToAadhaar(ctx, "ABCDE1234F")
				return err
			}),
			"atlas.VerifyMSME": one(func(ctx context.Context, c *atlas.Client) error {
				_, err := c.VerifyMSME(ctx, "UDYAM-MH-01-0000001")
				return err
			}),
			"atlas.AadhaarOTP": one(func(ctx context.Context, c *atlas.Client) error {
				_, err := c.AadhaarOTP(ctx, "234567890123")
				return err
			}),
			"atlas.AadhaarKYC": func(ctx context.Context, r *rig) (func(context.Context) error, error) {
				o, err := c(r).AadhaarOTP(ctx, "234567890123")
				if err != nil {
					return nil, err
				}
				return func(ctx context.Context) error {
					_, err := c(r).AadhaarKYC(ctx, o.ID, atlastest.AadhaarOTPCode)
					return err
				}, nil
			},
			"atlas.MaskAadhaar": one(func(ctx context.Context, c *atlas.Client) error { _, err := c.MaskAadhaar(ctx, img("")); return err }),
			"atlas.ESignRequest": one(func(ctx context.Context, c *atlas.Client) error {
				_, err := c.ESignRequest(ctx, atlas.ESignRequest{Fields: url.Values{"signer_name": {"R"}}, Document: []byte("%PDF-1.4\n%%EOF")})
				return err
			}),
		},
	}
}

func incodeKit() kit {
	c := func(r *rig) *incode.Client { return r.client.(*incode.Client) }
	// session starts a session and runs steps on it, then returns call.
	session := func(steps func(ctx context.Context, s *incode.Session) error, call func(ctx context.Context, s *incode.Session) error) prep {
		return func(ctx context.Context, r *rig) (func(context.Context) error, error) {
			s, err := c(r).StartSession(ctx, incode.StartRequest{ExternalCustomerID: uniq("matrix")})
			if err != nil {
				return nil, err
			}
			if steps != nil {
				if err := steps(ctx, s); err != nil {
					return nil, err
				}
			}
			return func(ctx context.Context) error { return call(ctx, s) }, nil
		}
	}
	front := func(ctx context.Context, s *incode.Session) error {
		_, err := s.AddFrontID(ctx, img(""), false)
		return err
	}
	back := func(ctx context.Context, s *incode.Session) error { _, err := s.AddBackID(ctx, img("")); return err }
	selfie := func(ctx context.Context, s *incode.Session) error { _, err := s.AddSelfie(ctx, img("")); return err }
	all := func(fs ...func(context.Context, *incode.Session) error) func(context.Context, *incode.Session) error {
		return func(ctx context.Context, s *incode.Session) error {
			for _, f := range fs {
				if err := f(ctx, s); err != nil {
					return err
				}
			}
			return nil
		}
	}
	return kit{p: kyc.Incode, ops: incode.Operations(),
		start: func(tr *tripper, opts ...kyc.Option) (*rig, error) {
			f := incodetest.NewServer(incodetest.WithDelay(5 * time.Millisecond))
			cl, err := incode.New(f.ExecutiveConfig(), append(append(f.Options(), kyc.WithHTTPClient(tr.httpClient(f.Server))), opts...)...)
			if err != nil {
				f.Close()
				return nil, err
			}
			return &rig{p: kyc.Incode, fake: f.Server, client: cl, tr: tr, close: func() { _ = cl.Close(); f.Close() },
				secrets: map[string]string{incodetest.APIKey: "incode API key", incodetest.ExecutivePassword: "incode executive password"},
				tokens:  f.Tokens}, nil
		},
		calls: map[string]prep{
			"incode.StartSession": func(_ context.Context, r *rig) (func(context.Context) error, error) {
				return func(ctx context.Context) error {
					_, err := c(r).StartSession(ctx, incode.StartRequest{ExternalCustomerID: uniq("matrix")})
					return err
				}, nil
			},
			"incode.AddFrontID":  session(nil, front),
			"incode.AddBackID":   session(front, back),
			"incode.ProcessID":   session(all(front, back), func(ctx context.Context, s *incode.Session) error { return s.ProcessID(ctx) }),
			"incode.AddSelfie":   session(nil, selfie),
			"incode.ProcessFace": session(all(front, selfie), func(ctx context.Context, s *incode.Session) error { _, err := s.ProcessFace(ctx); return err }),
			"incode.Approve": session(all(front, back, selfie, func(ctx context.Context, s *incode.Session) error { return s.ProcessID(ctx) },
				func(ctx context.Context, s *incode.Session) error { _, err := s.ProcessFace(ctx); return err }),
				func(ctx context.Context, s *incode.Session) error { _, err := s.Approve(ctx); return err }),
		},
	}
}

func advanceaiKit() kit {
	return kit{p: kyc.AdvanceAI, ops: advanceai.Operations(),
		start: func(tr *tripper, opts ...kyc.Option) (*rig, error) {
			f := advanceaitest.NewServer()
			cl, err := advanceai.New(f.Config(), append(append(f.Options(), kyc.WithHTTPClient(tr.httpClient(f.Server))), opts...)...)
			if err != nil {
				f.Close()
				return nil, err
			}
			r := &rig{p: kyc.AdvanceAI, fake: f.Server, client: cl, tr: tr, close: func() { _ = cl.Close(); f.Close() },
				secrets: map[string]string{advanceaitest.SecretKey: "advanceai secret key"}}
			r.tokens = func() []string {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				if tok, err := cl.Token(ctx); err == nil {
					return []string{tok.Reveal()}
				}
				return nil
			}
			return r, nil
		},
		calls: map[string]prep{
			"advanceai.GenerateURL": func(_ context.Context, r *rig) (func(context.Context) error, error) {
				return func(ctx context.Context) error {
					_, err := r.client.(*advanceai.Client).GenerateURL(ctx, advanceai.GenerateURLRequest{ReturnURL: "https://example.com/done", UserID: uniq("u")})
					return err
				}, nil
			},
		},
	}
}

func ekycidKit() kit {
	c := func(r *rig) *ekycid.Client { return r.client.(*ekycid.Client) }
	one := func(f func(ctx context.Context, c *ekycid.Client) error) prep {
		return func(_ context.Context, r *rig) (func(context.Context) error, error) {
			return func(ctx context.Context) error { return f(ctx, c(r)) }, nil
		}
	}
	m := func() ekycid.Media { return ekycid.MediaImage(img("")) }
	seqs := []ekycid.Sequence{{Checks: []ekycid.Check{ekycid.CheckLeft}, Video: ekycid.VideoURL(ekycidtest.MagicURL(""))}}
	return kit{p: kyc.EKYC, ops: ekycid.Operations(),
		start: func(tr *tripper, opts ...kyc.Option) (*rig, error) {
			f := ekycidtest.NewServer(ekycidtest.WithDelay(5 * time.Millisecond))
			cl, err := ekycid.New(f.Config(), append(append(f.Options(), kyc.WithHTTPClient(tr.httpClient(f.Server))), opts...)...)
			if err != nil {
				f.Close()
				return nil, err
			}
			return &rig{p: kyc.EKYC, fake: f.Server, client: cl, tr: tr, close: func() { _ = cl.Close(); f.Close() },
				secrets: map[string]string{ekycidtest.KeyValid: "ekycid API key"}, tokens: func() []string { return nil }}, nil
		},
		calls: map[string]prep{
			"ekycid.OCR": one(func(ctx context.Context, c *ekycid.Client) error {
				_, err := c.OCR(ctx, ekycid.OCRRequest{Image: m()})
				return err
			}),
			"ekycid.DetectID": one(func(ctx context.Context, c *ekycid.Client) error {
				_, err := c.DetectID(ctx, ekycid.DetectIDRequest{Image: m()})
				return err
			}),
			"ekycid.CompareFaces": one(func(ctx context.Context, c *ekycid.Client) error {
				_, err := c.CompareFaces(ctx, ekycid.CompareFacesRequest{Face0: m(), Face1: m()})
				return err
			}),
			"ekycid.Liveness": one(func(ctx context.Context, c *ekycid.Client) error {
				_, err := c.Liveness(ctx, ekycid.LivenessRequest{Sequences: seqs})
				return err
			}),
			"ekycid.ManualKYC": one(func(ctx context.Context, c *ekycid.Client) error {
				_, err := c.ManualKYC(ctx, ekycid.ManualKYCRequest{Document: m(), Face: m()})
				return err
			}),
			"ekycid.ExpressKYC": one(func(ctx context.Context, c *ekycid.Client) error {
				_, err := c.ExpressKYC(ctx, ekycid.ExpressKYCRequest{Document: m(), Face: m()})
				return err
			}),
		},
	}
}

var phoneSeq atomic.Int64

func verificarKit() kit {
	return kit{p: kyc.Verificar, ops: verificar.Operations(),
		start: func(tr *tripper, opts ...kyc.Option) (*rig, error) {
			f := verificartest.NewServer(verificartest.WithCredits(1e6))
			cl, err := verificar.New(f.Config(), append(append(f.Options(), kyc.WithHTTPClient(tr.httpClient(f.Server))), opts...)...)
			if err != nil {
				f.Close()
				return nil, err
			}
			return &rig{p: kyc.Verificar, fake: f.Server, client: cl, tr: tr, close: func() { _ = cl.Close(); f.Close() },
				secrets: map[string]string{verificartest.APIToken: "verificar API token", verificartest.WebhookPassword: "verificar webhook password"},
				tokens:  func() []string { return nil }}, nil
		},
		calls: map[string]prep{
			"verificar.SendVerification": func(_ context.Context, r *rig) (func(context.Context) error, error) {
				return func(ctx context.Context) error {
					_, err := r.client.(*verificar.Client).SendVerification(ctx, verificar.SendRequest{
						Phone: fmt.Sprintf("3462%07d", phoneSeq.Add(1)), Message: "Verifica tu identidad: [LINK]"})
					return err
				}, nil
			},
		},
	}
}

// errNoCall marks an operation the kit has no closure for.
var errNoCall = errors.New("no closure for this operation")
