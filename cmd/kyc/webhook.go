package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/kyc-go/kyc/incode"
	"github.com/kyc-go/kyc/incode/incodetest"
	"github.com/kyc-go/kyc/internal/transport"
	"github.com/kyc-go/kyc/kyctest"
	"github.com/kyc-go/kyc/verificar"
	"github.com/kyc-go/kyc/verificar/verificartest"
)

// verificarStates are the documented Estado codes.
var verificarStates = []int{
	verificar.EstadoAccessed, verificar.EstadoLiveness, verificar.EstadoDocumentFront, verificar.EstadoDocumentBack,
	verificar.EstadoInProcess, verificar.EstadoFinished, verificar.EstadoValidated, verificar.EstadoRejected,
}

func runWebhook(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flags("webhook", "-provider verificar|incode -url URL [flags]", stderr)
	provider := fs.String("provider", "", "verificar or incode")
	target := fs.String("url", "", "the webhook handler's URL, e.g. http://127.0.0.1:8080/webhooks/verificar")
	timeout := fs.Duration("timeout", 10*time.Second, "time allowed for the request")
	cacert := caFileFlag(fs, "PEM file of a CA to trust for an https URL (e.g. kyc fake -tls's KYC_FAKE_CA_FILE)")
	insecure := fs.Bool("insecure-plain-http", false, "allow an http:// URL off loopback, which sends the credentials in clear")
	// Verificar.
	state := fs.Int("state", 0, "verificar: the Estado, one of 3000-3003, 5000, 5001, 5100, 5500")
	id := fs.String("id", "", "verificar: the request ID (digits), as the Reference verificar:<id> holds")
	result := fs.Int("result", 0, "verificar: the Resultado of 5001/5100/5500: a similarity 80-100 or a code -1..-9 (0: the documentation's sample)")
	magic := fs.String("magic", "", "verificar: a kyctest magic input (expired, face_mismatch…) choosing Estado and Resultado; instead of -state and -result")
	form := fs.Bool("form", false, "verificar: send form data instead of JSON")
	user := fs.String("user", getenv("VERIFICAR_WEBHOOK_USER"), "verificar: Basic auth user (default $VERIFICAR_WEBHOOK_USER)")
	password := fs.String("password", "", "verificar: Basic auth password (default $VERIFICAR_WEBHOOK_PASSWORD)")
	// Incode.
	status := fs.String("status", "", "incode: the onboardingStatus, e.g. ONBOARDING_FINISHED")
	interview := fs.String("interview", "", "incode: the interviewId, as the Reference incode:<id> holds")
	external := fs.String("external", "", "incode: the session's externalId (optional)")
	token := fs.String("token", "", "incode: the bearer token (default $INCODE_WEBHOOK_TOKEN)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *password == "" {
		*password = getenv("VERIFICAR_WEBHOOK_PASSWORD")
	}
	if *token == "" {
		*token = getenv("INCODE_WEBHOOK_TOKEN")
	}
	bad := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "kyc webhook: "+format+"\n", a...)
		return exitUsage
	}
	if u, err := url.Parse(*target); *target == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return bad("-url must be an http(s) URL")
	}
	if u, _ := url.Parse(*target); u.Scheme == "http" && !transport.IsLoopback(u.Hostname()) && !*insecure {
		return bad("-url %s: plain http off loopback would send the webhook credentials in clear; use https, or -insecure-plain-http if you mean it", u.Redacted())
	}
	hc, err := httpClient(*cacert, *timeout)
	if err != nil {
		return bad("-ca-file: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	var code int
	var what string
	switch *provider {
	case "verificar":
		if *id == "" || strings.Trim(*id, "0123456789") != "" {
			return bad("-id must be the request's ID, digits only")
		}
		wh := verificartest.Webhook{URL: *target, ID: *id, Estado: *state, Resultado: *result, Form: *form, User: *user, Password: *password}
		if *magic != "" {
			if !slices.Contains(kyctest.MagicInputs(), *magic) {
				return bad("-magic %q: want one of %s", *magic, strings.Join(kyctest.MagicInputs(), ", "))
			}
			out, produced := verificartest.Outcome(*magic)
			if !produced {
				fmt.Fprintf(stderr, "kyc webhook: Mensatek cannot express %q: sending the approved report\n", *magic)
			}
			wh.Estado, wh.Resultado = out.Estado, out.Resultado
		} else if !slices.Contains(verificarStates, *state) {
			return bad("-state %d: want one of 3000, 3001, 3002, 3003, 5000, 5001, 5100, 5500 (or -magic)", *state)
		}
		what = fmt.Sprintf("verificar state %d for id %s", wh.Estado, wh.ID)
		code, err = verificartest.PostWebhook(ctx, hc, wh)
	case "incode":
		if !slices.Contains(incode.OnboardingStatuses(), incode.OnboardingStatus(*status)) {
			return bad("-status %q: want a documented onboardingStatus such as ONBOARDING_FINISHED", *status)
		}
		if *interview == "" {
			return bad("-interview is required")
		}
		what = fmt.Sprintf("incode %s for interview %s", *status, *interview)
		code, err = incodetest.PostWebhook(ctx, hc, *target, incodetest.WebhookFor(*status, *interview, *external), *token)
	default:
		return bad("-provider must be verificar or incode")
	}
	if err != nil {
		fmt.Fprintf(stderr, "kyc webhook: %s: %v\n", what, err)
		return exitFailed
	}
	fmt.Fprintf(stdout, "%s → HTTP %d\n", what, code)
	if code < 200 || code > 299 {
		return exitFailed
	}
	return exitOK
}

// httpClient is a client with a timeout, trusting the CA in caFile as well
// as the system's when caFile is set.
func httpClient(caFile string, timeout time.Duration) (*http.Client, error) {
	hc := &http.Client{Timeout: timeout}
	if caFile == "" {
		return hc, nil
	}
	pemCA, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pemCA) {
		return nil, fmt.Errorf("%s holds no PEM certificate", caFile)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	hc.Transport = tr
	return hc, nil
}
