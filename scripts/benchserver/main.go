// Command benchserver is the loopback vendor of the benchmark harness
// (scripts/benchmarks). It runs in its own process, so that its CPU is not
// the client's, and serves HTTPS with a self-signed certificate generated
// at start. It counts new connections, TLS hellos and completed handshakes,
// waits a configurable latency before each answer, and answers with
// vendor-shaped JSON:
//
//   - ADVANCE.AI's token exchange and generate-url (advanceai.PathGenerateToken,
//     advanceai.PathGenerateURL);
//   - Atlas's /verify/pan (any base path), counting the distinct PBKDF2
//     salts seen in the AES api_key, so a rotation can be observed;
//   - anything else: a 1 KiB verification answer.
//
// On start it writes the certificate to -cert and one JSON line to stdout:
//
//	{"url":"https://127.0.0.1:PORT","admin":"http://127.0.0.1:PORT2","cert":"/path/cert.pem"}
//
// The admin listener (plain HTTP, loopback) serves GET /counters (JSON) and
// POST /latency?d=5ms. The server exits when its standard input closes, so
// it never outlives the harness that started it.
//
//	go run ./scripts/benchserver -cert /tmp/cert.pem -latency 5ms
package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kyc-go/kyc/scripts/internal/benchapi"
)

type server struct {
	conns, hellos, handshakes, open, requests, tokens atomic.Int64
	latency                                           atomic.Int64

	mu    sync.Mutex
	salts map[string]struct{}
}

// payload is a typical verification answer: about 1 KiB of JSON, the same
// shape as internal/transport's benchmark payload.
var payload = []byte(`{"status":"success","response_timestamp":"2026-11-21T10:00:00Z","data":{"match":true,"confidence":0.97,` +
	`"name":"REDACTED","fields":[` + strings.Repeat(`{"k":"field","v":"value-value-value"},`, 24) + `{"k":"end","v":"x"}]}}`)

var panAnswer = []byte(`{"status":"success","response_timestamp":"1595488026806","data":{"pan_number":"ABCDE1234F",` +
	`"pan_status":"VALID","pan_status_desc":"Existing and Valid","pan_holder_title":"Shri","first_name":"RAHUL",` +
	`"middle_name":"KUMAR","last_name":"SHARMA","pan_last_updated":"15/03/2021","pan_aadhaar_seeding":"Y"},"error":null}`)

// The ADVANCE.AI paths (advanceai.PathGenerateToken, PathGenerateURL): the
// server does not import the SDK, so that it builds whatever state the SDK
// is in.
const (
	pathToken = "/openapi/auth/ticket/v1/generate-token"
	pathURL   = "/intl/openapi/face-identity/h5-idv/v1/generate-url"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "HTTPS listen address (loopback)")
	admin := flag.String("admin", "127.0.0.1:0", "admin listen address (plain HTTP, loopback)")
	latency := flag.Duration("latency", 0, "latency added before each answer")
	certOut := flag.String("cert", "", "file to write the PEM certificate to (required)")
	h2 := flag.Bool("h2", false, "offer HTTP/2 (default HTTP/1.1 only, one request per connection at a time)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("benchserver: ")
	if *certOut == "" {
		log.Fatal("-cert is required")
	}
	cert, pemBytes, err := selfSigned()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*certOut, pemBytes, 0o600); err != nil {
		log.Fatal(err)
	}
	s := &server{salts: map[string]struct{}{}}
	s.latency.Store(int64(*latency))

	base := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12,
		NextProtos: []string{"http/1.1"}}
	if *h2 {
		base.NextProtos = []string{"h2", "http/1.1"}
	}
	base.VerifyConnection = func(tls.ConnectionState) error { s.handshakes.Add(1); return nil }
	cfg := &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		s.hellos.Add(1)
		return base, nil
	}, NextProtos: base.NextProtos}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	hs := &http.Server{
		Handler:           http.HandlerFunc(s.serve),
		TLSConfig:         cfg,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       10 * time.Minute, // never the reason a client dials again
		ConnState: func(_ net.Conn, st http.ConnState) {
			switch st {
			case http.StateNew:
				s.conns.Add(1)
				s.open.Add(1)
			case http.StateClosed, http.StateHijacked:
				s.open.Add(-1)
			}
		},
		ErrorLog: log.New(io.Discard, "", 0), // clients closing mid-handshake are expected
	}
	if !*h2 {
		hs.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){}
	}
	aln, err := net.Listen("tcp", *admin)
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /counters", s.counters)
	mux.HandleFunc("POST /latency", s.setLatency)
	as := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}

	go func() { _ = hs.ServeTLS(ln, "", "") }()
	go func() { _ = as.Serve(aln) }()
	info, _ := json.Marshal(map[string]string{
		"url":   "https://" + ln.Addr().String(),
		"admin": "http://" + aln.Addr().String(),
		"cert":  *certOut,
	})
	fmt.Println(string(info))
	// The harness holds our stdin; when it goes, so do we.
	_, _ = io.Copy(io.Discard, os.Stdin)
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	if d := time.Duration(s.latency.Load()); d > 0 {
		time.Sleep(d)
	}
	s.requests.Add(1)
	w.Header().Set("Content-Type", "application/json")
	var body []byte
	switch {
	case r.URL.Path == pathToken:
		s.tokens.Add(1)
		exp := time.Now().Add(time.Hour).UnixMilli()
		body = []byte(`{"code":"SUCCESS","message":"OK","data":{"token":"bench-token-` + strconv.FormatInt(s.tokens.Load(), 10) +
			`","expiredTime":` + strconv.FormatInt(exp, 10) + `},"extra":null,"transactionId":"6c2c50a3049ce67e","pricingStrategy":"FREE"}`)
	case r.URL.Path == pathURL:
		exp := time.Now().Add(time.Hour).UnixMilli()
		id := fmt.Sprintf("%016x", s.requests.Load())
		body = []byte(`{"code":"SUCCESS","message":"OK","data":{"signatureId":"` + id + `","url":"https://h5.example.test/idv?signatureId=` + id +
			`","expiredTime":` + strconv.FormatInt(exp, 10) + `},"extra":null,"transactionId":"` + id + `","pricingStrategy":"PAY"}`)
	case strings.HasSuffix(r.URL.Path, "/verify/pan"):
		s.salt(r.Header.Get("Authorization"))
		body = panAnswer
	default:
		body = payload
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// salt records the PBKDF2 salt of an Atlas AES Authorization header
// ("key_id=..,api_key=<base64 of salt ‖ iv ‖ ciphertext>,timestamp=..").
func (s *server) salt(auth string) {
	_, rest, ok := strings.Cut(auth, "api_key=")
	if !ok {
		return
	}
	rest, _, _ = strings.Cut(rest, ",")
	raw, err := base64.StdEncoding.DecodeString(rest)
	if err != nil || len(raw) < 20 {
		return
	}
	s.mu.Lock()
	s.salts[string(raw[:20])] = struct{}{}
	s.mu.Unlock()
}

func (s *server) counters(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	salts := int64(len(s.salts))
	s.mu.Unlock()
	c := benchapi.Counters{Conns: s.conns.Load(), Hellos: s.hellos.Load(), Handshakes: s.handshakes.Load(),
		Open: s.open.Load(), Requests: s.requests.Load(), Tokens: s.tokens.Load(), Salts: salts,
		LatencyNS: s.latency.Load()}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(c)
}

func (s *server) setLatency(w http.ResponseWriter, r *http.Request) {
	d, err := time.ParseDuration(r.URL.Query().Get("d"))
	if err != nil || d < 0 {
		http.Error(w, "d must be a duration such as 5ms", http.StatusBadRequest)
		return
	}
	s.latency.Store(int64(d))
	w.WriteHeader(http.StatusNoContent)
}

// selfSigned makes a P-256 certificate for 127.0.0.1, ::1 and localhost,
// valid for a day.
func selfSigned() (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "kyc-go benchserver"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	var buf bytes.Buffer
	if err := pem.Encode(&buf, &pem.Block{Type: "CERTIFICATE", Bytes: der}); err != nil {
		return tls.Certificate{}, nil, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, buf.Bytes(), nil
}
