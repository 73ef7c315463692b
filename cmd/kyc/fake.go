package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-go/kyc/advanceai/advanceaitest"
	"github.com/kyc-go/kyc/atlas/atlastest"
	"github.com/kyc-go/kyc/ekycid/ekycidtest"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/internal/transport"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

// served is one fake: its kyctest.Server, what to print, and the
// http.Server that serves it on the chosen address.
type served struct {
	name  string
	title string
	fake  *kyctest.Server
	// env builds the KEY=VALUE lines, given the base URL.
	env  func(base string) [][2]string
	http *http.Server
}

func runFake(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("fake", "[-listen 127.0.0.1:0] [-tls] [-ca-file FILE] [-env FILE]", stderr)
	listen := fs.String("listen", "127.0.0.1:0", "address to serve on; port 0 gives each fake its own free port, port N gives N..N+4")
	useTLS := fs.Bool("tls", false, "serve HTTPS with a certificate from a fresh CA (written to -ca-file)")
	caFile := fs.String("ca-file", "", "with -tls, where to write the CA certificate (default: a temporary file, removed on exit)")
	envFile := fs.String("env", "", "also write the KEY=VALUE lines to this file (an env file for docker compose)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	host, portText, err := net.SplitHostPort(*listen)
	port, perr := strconv.Atoi(portText)
	if err != nil || perr != nil || port < 0 || port > 65535-4 {
		fmt.Fprintf(stderr, "kyc fake: -listen %q: want host:port\n", *listen)
		return exitUsage
	}
	// Loopback only: the fakes accept published credentials over plain HTTP,
	// and the SDK refuses plain HTTP off loopback anyway.
	if !transport.IsLoopback(host) {
		fmt.Fprintf(stderr, "kyc fake: -listen %q: the fakes serve on loopback only (localhost, 127.0.0.1 or ::1), not on every or another interface\n", *listen)
		return exitUsage
	}

	fakes := startFakes()
	defer func() {
		for _, f := range fakes {
			f.fake.Close()
		}
	}()

	var tlsCfg *tls.Config
	if *useTLS {
		cfg, pemCA, err := newCA(host)
		if err != nil {
			fmt.Fprintln(stderr, "kyc fake:", err)
			return exitFailed
		}
		tlsCfg = cfg
		path := *caFile
		if path == "" {
			dir, err := os.MkdirTemp("", "kyc-fake-")
			if err != nil {
				fmt.Fprintln(stderr, "kyc fake:", err)
				return exitFailed
			}
			defer os.RemoveAll(dir)
			path = filepath.Join(dir, "ca.pem")
		}
		if err := os.WriteFile(path, pemCA, 0o644); err != nil {
			fmt.Fprintln(stderr, "kyc fake:", err)
			return exitFailed
		}
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		*caFile = path
	}

	var lines []string
	scheme := "http"
	if tlsCfg != nil {
		scheme = "https"
	}
	note := "plain HTTP on loopback, which the SDK allows"
	if tlsCfg != nil {
		note = "HTTPS with the CA in KYC_FAKE_CA_FILE (Go programs: SSL_CERT_FILE=$KYC_FAKE_CA_FILE)"
	}
	lines = append(lines, "# kyc fake: the five kyc-go vendor fakes, "+note+"; Ctrl-C stops them")
	errc := make(chan error, len(fakes))
	for i, f := range fakes {
		addr := *listen
		if port != 0 {
			addr = net.JoinHostPort(host, strconv.Itoa(port+i))
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			fmt.Fprintf(stderr, "kyc fake: %s: %v\n", f.name, err)
			shutdown(fakes)
			return exitFailed
		}
		if tlsCfg != nil {
			ln = tls.NewListener(ln, tlsCfg)
		}
		base := scheme + "://" + printable(ln.Addr().(*net.TCPAddr), host)
		// The fake builds some URLs from its own (ADVANCE.AI's H5 links):
		// point them at the address it is served on.
		f.fake.URL = base
		f.http = &http.Server{Handler: f.fake.Config.Handler, ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout: 15 * time.Second, IdleTimeout: 60 * time.Second}
		go func(s *http.Server) {
			if err := s.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}(f.http)
		lines = append(lines, "# "+f.name+": "+f.title)
		for _, kv := range f.env(base) {
			lines = append(lines, kv[0]+"="+kv[1])
		}
	}
	if tlsCfg != nil {
		lines = append(lines, "KYC_FAKE_CA_FILE="+*caFile)
	}
	out := strings.Join(lines, "\n") + "\n"
	if *envFile != "" {
		if err := os.WriteFile(*envFile, []byte(out), 0o600); err != nil {
			fmt.Fprintln(stderr, "kyc fake:", err)
			shutdown(fakes)
			return exitFailed
		}
	}
	fmt.Fprint(stdout, out+"# kyc fake: ready\n")

	code := exitOK
	select {
	case <-ctx.Done():
	case err := <-errc:
		fmt.Fprintln(stderr, "kyc fake:", err)
		code = exitFailed
	}
	if err := shutdown(fakes); err != nil {
		fmt.Fprintln(stderr, "kyc fake: shutdown:", err)
		code = exitFailed
	}
	fmt.Fprintln(stderr, "kyc fake: stopped")
	return code
}

// shutdown stops every http.Server, letting requests in flight finish
// (at most 5 s).
func shutdown(fakes []*served) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	for _, f := range fakes {
		if f.http != nil {
			errs = append(errs, f.http.Shutdown(ctx))
		}
	}
	return errors.Join(errs...)
}

// printable is the address to print: an unspecified listen host (0.0.0.0,
// ::, "") is reached through loopback.
func printable(a *net.TCPAddr, host string) string {
	if host == "" || a.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", strconv.Itoa(a.Port))
	}
	if host == "localhost" {
		return net.JoinHostPort("localhost", strconv.Itoa(a.Port))
	}
	return a.String()
}

// startFakes starts the five fakes, in the order of the ports.
func startFakes() []*served {
	at, in, ad, ek, ve := atlastest.NewServer(), incodetest.NewServer(), advanceaitest.NewServer(), ekycidtest.NewServer(), verificartest.NewServer()
	atc, inc, adc, ekc, vec := at.Config(), in.ExecutiveConfig(), ad.Config(), ek.Config(), ve.Config()
	return []*served{
		{name: "atlas", title: "Atlas (FRS Labs), AES Authorization header", fake: at.Server,
			env: func(base string) [][2]string {
				return [][2]string{{"ATLAS_BASE_URL", base}, {"ATLAS_KEY_ID", atc.KeyID}, {"ATLAS_KEY_SECRET", atc.KeySecret.Reveal()}}
			}},
		{name: "incode", title: "Incode Omni, x-api-key and the executive log-in", fake: in.Server,
			env: func(base string) [][2]string {
				return [][2]string{{"INCODE_BASE_URL", base}, {"INCODE_API_KEY", inc.APIKey.Reveal()},
					{"INCODE_CONFIGURATION_ID", inc.ConfigurationID},
					{"INCODE_EXECUTIVE_EMAIL", inc.ExecutiveEmail}, {"INCODE_EXECUTIVE_PASSWORD", inc.ExecutivePassword.Reveal()}}
			}},
		{name: "advanceai", title: "ADVANCE.AI H5 IDV, signed token exchange", fake: ad.Server,
			env: func(base string) [][2]string {
				return [][2]string{{"ADVANCEAI_BASE_URL", base}, {"ADVANCEAI_ACCESS_KEY", adc.AccessKey}, {"ADVANCEAI_SECRET_KEY", adc.SecretKey.Reveal()}}
			}},
		{name: "ekycid", title: "EKYC Solutions (EkycID), x-api-key", fake: ek.Server,
			env: func(base string) [][2]string {
				return [][2]string{{"EKYC_BASE_URL", base}, {"EKYC_API_KEY", ekc.APIKey.Reveal()}}
			}},
		{name: "verificar", title: "Verificar (Mensatek), Basic auth", fake: ve.Server,
			env: func(base string) [][2]string {
				return [][2]string{{"VERIFICAR_BASE_URL", base}, {"VERIFICAR_API_USER", vec.APIUser}, {"VERIFICAR_API_TOKEN", vec.APIToken.Reveal()}}
			}},
	}
}

// newCA makes a CA and a certificate it signs for loopback (and host),
// valid for 30 days, and returns the TLS config and the CA in PEM.
func newCA(host string) (*tls.Config, []byte, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kyc fake CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(30 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, nil, err
	}
	ca, err = x509.ParseCertificate(caDER)
	if err != nil {
		return nil, nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "kyc fake"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(30 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if ip := net.ParseIP(host); ip != nil && !ip.IsUnspecified() {
		leaf.IPAddresses = append(leaf.IPAddresses, ip)
	} else if host != "" && ip == nil && host != "localhost" {
		leaf.DNSNames = append(leaf.DNSNames, host)
	}
	der, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, nil, err
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return cfg, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), nil
}
