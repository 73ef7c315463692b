// Package verificartest is an in-process fake of Mensatek's
// identity-verification API, for tests of code that uses package verificar.
//
// It serves /VerificarIdentidad, /GetCertificadoIdentidad and /GetCreditos
// over TLS, checks Basic auth (wrong credentials: Res -1), keeps the
// account's credit (each send costs one; none left: Res -2), checks the
// documented parameters (Telefono digits only, Remitente at most 11
// characters, Mensaje with [LINK], Fecha's layout: Res -3 with the vendor's
// Spanish Error), answers with the documented bodies (as one-element
// arrays, or objects with WithObjectAnswers), streams a PDF certificate of
// any size, and POSTs the documented status reports to a webhook URL
// (SendWebhook, or PostWebhook without a fake). Faults are injected through
// the embedded kyctest.Server.
//
//	srv := verificartest.New(t)
//	c, _ := verificar.New(srv.Config(), srv.Options()...)
//	res, _ := c.Verify(ctx, kyc.Request{Country: "ESP", Person: kyc.Person{Phone: "+34600000001"}})
//	id := strings.TrimPrefix(res.Reference, "verificar:")
//	srv.SendWebhook(ctx, verificartest.Webhook{URL: hookURL, ID: id, Magic: kyctest.ImageExpired})
//
// # Magic inputs
//
// Verificar is an SMS-link vendor: the person films their face and document
// on their own phone, so no image of yours reaches Mensatek and Verify
// always answers StatusPending. The outcome arrives by webhook; a kyctest
// magic input selects the report the fake sends (Webhook.Magic, Outcome).
// Most magic inputs describe outcomes Mensatek's documented Resultado codes
// cannot express; for those the fake sends the approved report, as the
// kyctest convention asks.
//
//	magic input          Verificar outcome (webhook Estado / Resultado → Event)
//	ImageApproved        5001 / 93.96, PruebaDeVida Si → approved
//	ImageNoFace          cannot be produced (no such Resultado) → approved
//	ImageFaceMismatch    5001 / -8 → rejected, face_mismatch
//	ImageFaceBorderline  5001 / 79 (similarity under 80) → review, face_mismatch
//	ImageLivenessFailed  5001 / -6 → rejected, liveness_failed
//	ImageLowQuality      cannot be produced → approved
//	ImageExpired         5001 / -5 → rejected, document_expired
//	ImageForged          cannot be produced (-3, front and back differ, is
//	                     not a forgery verdict) → approved
//	ImageUnderage        5001 / -2 → rejected, underage
//	ImageNoDocument      cannot be produced → approved
//	ImageReview          5001 / -1 (an operator must decide) → review, face_mismatch
//	ImageNotFinished     5001 / -7 → pending, not_finished; with no read-back,
//	                     only a later report (5100) finishes it
//	ImageServerError     no image reaches the send: its equivalent is the
//	                     magic phone PhoneServerError (HTTP 500 to the send)
//
// The events above are those of an authenticated webhook: the client built
// from Config() shares the fake's webhook credentials, which SendWebhook
// sends. An unauthenticated Event always stays pending.
//
// Sends are counted per phone number (Telefono, digits only): the API has no
// field for the caller's reference, so the phone is the only per-request key.
// Use a distinct phone per logical request where duplicates matter.
//
// # Phones
//
// The fake texts no one: whatever number a send carries, no SMS leaves the
// process. The magic phones are in the North American range reserved for
// fiction (kyctest.FictionPhone), so they reach no real person even if a
// live test sends them. Spain, whose documents Verificar checks, reserves
// no range for fiction: the Spanish numbers in this package's examples
// (+34600000001) are real-looking numbers. Send them to the fake only; a
// live test must use a phone you own or a kyctest.FictionPhone.
package verificartest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/verificar"
)

// Credentials the fake accepts unless WithCredentials says otherwise.
const (
	APIUser  = "fake-api-user"
	APIToken = "fake-api-token"
)

// Webhook credentials: Config() returns them, and SendWebhook sends them
// unless the Webhook says otherwise.
const (
	WebhookUser     = "fake-webhook-user"
	WebhookPassword = "fake-webhook-password"
)

// Magic phone numbers: a send to them fails with the documented Res code,
// and costs nothing. All four lie in the North American range reserved
// for fiction, 555-0100 to 555-0199 (kyctest.FictionPhone, area code 201):
// no number in it reaches a real person, so one copied into a live test
// texts no one. libphonenumber counts them valid, so both Verify and
// Client.SendVerification send them. Mensatek documents Telefono as the
// recipient's mobile, country code first, digits only, and names no
// country: they are in that form.
const (
	// PhoneNotActivated answers Res -4 (function not activated).
	PhoneNotActivated = "12015550104"
	// PhoneGeneralError answers Res -5 (general error).
	PhoneGeneralError = "12015550105"
	// PhoneServerError answers HTTP 500 (kyctest.ImageServerError's
	// equivalent: Mensatek fails on its side).
	PhoneServerError = "12015550150"
	// SamplePhone is the Telefono of a status report for a send the fake
	// did not make (Webhook.Body), where Mensatek's sample has a Spanish
	// number.
	SamplePhone = "12015550100"
)

// FirstID is the ID of the first send; later sends count up from it.
const FirstID = 299846332

// DefaultCredits is the account's credit unless WithCredits says otherwise.
const DefaultCredits = 100

// DefaultCertificateSize is the size of the PDF certificate in bytes unless
// WithCertificateSize says otherwise.
const DefaultCertificateSize = 4 << 10

// Server is the fake. It is safe for concurrent use.
type Server struct {
	*kyctest.Server

	user, token string
	object      bool
	certSize    int64
	hc          *http.Client

	mu      sync.Mutex
	credits float64
	next    int64
	sent    map[string]sendRecord // ID → send
}

type sendRecord struct {
	phone, dni string
	at         time.Time
}

// Option configures the fake.
type Option func(*Server)

// WithCredentials sets the API user and token the fake accepts.
func WithCredentials(user, token string) Option {
	return func(s *Server) { s.user, s.token = user, token }
}

// WithCredits sets the account's starting credit (each send costs 1).
func WithCredits(n float64) Option { return func(s *Server) { s.credits = n } }

// WithCertificateSize sets the size of the PDF certificate (at least 256
// bytes). It is generated
// while it is written, so a large one costs no memory.
func WithCertificateSize(n int64) Option { return func(s *Server) { s.certSize = max(n, 256) } }

// WithObjectAnswers answers with JSON objects instead of the documented
// one-element arrays; the platform's clients see both.
func WithObjectAnswers() Option { return func(s *Server) { s.object = true } }

// WithWebhookClient sets the client SendWebhook posts with (default
// http.DefaultClient); pass an httptest TLS server's Client() to reach it.
func WithWebhookClient(hc *http.Client) Option { return func(s *Server) { s.hc = hc } }

// New starts a fake closed when t ends.
func New(t testing.TB, opts ...Option) *Server {
	return kyctest.CloseAtEnd(t, NewServer(opts...))
}

// NewServer starts a fake; the caller must Close it.
func NewServer(opts ...Option) *Server {
	s := &Server{user: APIUser, token: APIToken, certSize: DefaultCertificateSize, credits: DefaultCredits,
		next: FirstID, sent: map[string]sendRecord{}}
	kyctest.ApplyOptions(s, opts)
	s.Server = kyctest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Config returns the credentials the fake accepts, and the webhook
// credentials SendWebhook sends (WebhookUser, WebhookPassword), so that a
// client built from it receives the fake's reports authenticated.
func (s *Server) Config() verificar.Config {
	return verificar.Config{APIUser: s.user, APIToken: kyc.NewSecret(s.token),
		WebhookUser: WebhookUser, WebhookPassword: kyc.NewSecret(WebhookPassword)}
}

// Credits returns the account's credit left.
func (s *Server) Credits() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.credits
}

// SetCredits changes the account's credit.
func (s *Server) SetCredits(n float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.credits = n
}

// Sends returns how many sends the fake processed (and charged) for a phone
// number; a leading '+' is ignored.
func (s *Server) Sends(phone string) int {
	return s.Server.Sends(strings.TrimPrefix(phone, "+"))
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	fn := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/'):]
	handlers := map[string]func(http.ResponseWriter, map[string]string){
		verificar.PathSend: s.send, verificar.PathCertificate: s.certificate, verificar.PathCredits: s.creditsFn,
	}
	h, ok := handlers[fn]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if !s.authorized(r) {
		s.answer(w, map[string]any{"Res": -1})
		return
	}
	params, err := readParams(r)
	if err != nil {
		s.answer(w, map[string]any{"Res": -3, "Error": "Parámetros no válidos"})
		return
	}
	if !strings.EqualFold(params["resp"], "JSON") {
		// The real API then answers in its legacy format; the fake refuses,
		// so a client that forgets Resp fails its tests.
		s.answer(w, map[string]any{"Res": -3, "Error": "Falta el parámetro Resp=JSON"})
		return
	}
	h(w, params)
}

func (s *Server) authorized(r *http.Request) bool {
	return kyctest.BasicAuthIs(r, s.user, s.token)
}

// maxParams bounds a request body the fake reads; a larger one is Res -3.
const maxParams = 1 << 20

var errTooLarge = errors.New("verificartest: parameters too large")

// readParams reads a JSON or form body; names are case-insensitive, as the
// API's are, so they are lower-cased.
func readParams(r *http.Request) (map[string]string, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxParams+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxParams {
		return nil, errTooLarge
	}
	out := map[string]string{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, err
		}
		for k, v := range m {
			switch x := v.(type) {
			case string:
				out[strings.ToLower(k)] = x
			case float64:
				out[strings.ToLower(k)] = strconv.FormatFloat(x, 'f', -1, 64)
			}
		}
		return out, nil
	}
	q, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, err
	}
	for k, v := range q {
		out[strings.ToLower(k)] = v[0]
	}
	return out, nil
}

func (s *Server) answer(w http.ResponseWriter, v map[string]any) {
	w.Header().Set("Content-Type", "application/json")
	var body any = []any{v}
	if s.object {
		body = v
	}
	_ = json.NewEncoder(w).Encode(body)
}

func (s *Server) send(w http.ResponseWriter, p map[string]string) {
	phone := p["telefono"]
	if msg := checkSend(p); msg != "" {
		s.answer(w, map[string]any{"Res": -3, "Error": msg})
		return
	}
	switch phone {
	case PhoneNotActivated:
		s.answer(w, map[string]any{"Res": -4})
		return
	case PhoneGeneralError:
		s.answer(w, map[string]any{"Res": -5})
		return
	case PhoneServerError:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, "<html><body>Error interno</body></html>")
		return
	}
	s.mu.Lock()
	if s.credits < 1 {
		s.mu.Unlock()
		s.answer(w, map[string]any{"Res": -2})
		return
	}
	s.credits--
	id := strconv.FormatInt(s.next, 10)
	s.next++
	s.CountSend(phone)
	s.sent[id] = sendRecord{phone: phone, dni: p["dni"], at: time.Now()}
	cred := s.credits
	s.mu.Unlock()
	s.answer(w, map[string]any{"Res": 1, "ID": id, "Cred": cred})
}

// checkSend applies the documented rules, with the vendor's Spanish Error.
func checkSend(p map[string]string) string {
	phone := p["telefono"]
	if phone == "" {
		return "Falta el parámetro Telefono"
	}
	if strings.Trim(phone, "0123456789") != "" || len(phone) < 8 || len(phone) > 15 {
		return "Telefono no válido"
	}
	if m := p["mensaje"]; m != "" && !strings.Contains(m, "[LINK]") {
		return "El Mensaje debe incluir [LINK]"
	}
	if utf8.RuneCountInString(p["remitente"]) > 11 {
		return "Remitente: máximo 11 caracteres"
	}
	if f := p["fecha"]; f != "" {
		if _, err := time.Parse(verificar.SendAtLayout, f); err != nil {
			return "Fecha no válida"
		}
	}
	return ""
}

func (s *Server) creditsFn(w http.ResponseWriter, _ map[string]string) {
	s.answer(w, map[string]any{"Res": 1, "Cred": s.Credits()})
}

func (s *Server) certificate(w http.ResponseWriter, p map[string]string) {
	id := p["id"]
	s.mu.Lock()
	_, ok := s.sent[id]
	s.mu.Unlock()
	if !ok {
		s.answer(w, map[string]any{"Res": -3, "Error": "Id no válido"})
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Length", strconv.FormatInt(s.certSize, 10))
	_ = writePDF(w, id, s.certSize)
}

// writePDF writes a PDF-looking document of exactly size bytes, from one
// reused chunk.
func writePDF(w io.Writer, id string, size int64) error {
	head := fmt.Sprintf("%%PDF-1.4\n%% Certificado de verificación de identidad %s\n", id)
	const tail = "\n%%EOF\n"
	if _, err := io.WriteString(w, head); err != nil {
		return err
	}
	fill := size - int64(len(head)) - int64(len(tail))
	chunk := []byte(strings.Repeat("0123456789abcdef", 2048)) // 32 KiB
	for fill > 0 {
		n := min(fill, int64(len(chunk)))
		if _, err := w.Write(chunk[:n]); err != nil {
			return err
		}
		fill -= n
	}
	_, err := io.WriteString(w, tail)
	return err
}
