// Package verificar is a client for Mensatek's Spanish identity-verification
// API ("Identity Verification Send API 3.0", the /VerificarIdentidad
// function): Mensatek texts the person a link, the person films their face
// and their ID document on their phone, and the outcome reaches your server
// by webhook. A certificate of a validated verification can then be
// downloaded as a PDF.
//
// Vendor documentation: https://www.mensatek.com/api-verificacion-identidad-en.html
//
// # Operations
//
// [Operations] lists every operation with its class (internal/transport's
// resend policy follows it):
//
//   - [Client.SendVerification] (POST /VerificarIdentidad, messaging) sends
//     the SMS. It texts a person and costs credit, so it is never resent
//     once it was written: not after a timeout, a 502, a 503 or a 429.
//   - [Client.Certificate] (POST /GetCertificadoIdentidad, free) streams the
//     PDF certificate to an io.Writer without holding it in memory, within
//     an overall and a stall bound (see its doc).
//   - [Client.Credits] (POST /GetCreditos, free) reads the account's credit.
//   - [Client.Call] reaches any other function of the platform; it is
//     billed unless its operation's Class says otherwise.
//   - [Client.ParseWebhook] and [Client.WebhookHandler] receive the status
//     reports (JSON or form bodies, behind Basic auth).
//
// The client implements [kyc.Verifier]: Verify sends the SMS and returns
// StatusPending with the Reference "verificar:<ID>"; Result returns
// [kyc.ErrUnsupported], because Mensatek offers no read-back: the outcome
// arrives by webhook. For the same reason the client is no
// [kyc.EventConfirmer].
//
// # Authentication and wire format
//
// Every call is a POST with HTTP Basic authentication (APIUser:APIToken, from
// "Your Data → Configure Account" in the Mensatek panel), a JSON body (the
// format the vendor recommends) and Resp=JSON, so that answers come in the
// current JSON format rather than the legacy one. Answers carry a Res code
// (1 = correct, negative = error) inside HTTP 200 bodies; the client decodes
// it before trusting the HTTP status. An answer may be an object or a
// one-element array, may start with a UTF-8 BOM, and numbers may arrive as
// strings: all are accepted.
//
// Phones are sent as Mensatek documents Telefono: the international number,
// digits only ("34600000001"). Verify normalises Person.Phone with
// Request.Country (phone.Normalize: "600000001" with "ESP" is
// "+34600000001") and sends it without its '+'. SendVerification, which has
// no country, accepts both international forms and refuses a national number
// without its country code before sending, saying which form is expected.
// Both check the number fully with libphonenumber (the phone package), not
// only its shape as kyc.NormalizePhone does, so that an SMS is not paid for
// a number no line answers.
//
// Mensatek treats repeated erroneous or "empty" connections as spam and may
// block the account temporarily. The erroneous connections are failed
// authentications, and those are never retried (HTTP 401/403 by the
// transport's policy; Res -1 is an answer, never retried either). The two
// free reads are otherwise retried like reads, within kyc.WithRetry (a few
// spaced attempts after a connection failure or a 5xx); the send never is.
//
// # Webhooks
//
// Webhooks fail closed: without Config.WebhookUser and WebhookPassword
// every webhook is refused with 401, unless
// Config.AcceptUnauthenticatedWebhooks says otherwise, and an
// unauthenticated Event stays StatusPending (its state only in Event.Type).
// IDs must be digits, Estado a documented state, and no text may hold a
// control character. A refusal is answered with its reason and logged at
// debug level; this package logs nothing above debug.
//
// # Documented and inferred
//
// The parameters, Res codes, webhook fields, Estado and Resultado codes come
// from the vendor's documentation. Inferred, not documented:
//   - the host: the documentation names no server; the default base URL
//     https://api.mensatek.com/v7 is where Mensatek's other v7 functions
//     (/GetCreditos, /EnviarSMS) are served. Override it with kyc.WithBaseURL.
//   - HTTP 401/403 for bad credentials (seen in clients of the platform's
//     other APIs) besides the documented Res = -1.
//   - the certificate's answer: the PDF bytes on success; anything else is
//     read as a Res error body.
//   - the "FORM-DATA" webhook format: both application/x-www-form-urlencoded
//     and multipart/form-data are accepted.
//   - the mapping of TipoDocumento "ID-1"/"ID-3" to id_card/passport.
//
// # Example
//
//	c, err := verificar.New(verificar.Config{
//		APIUser:  os.Getenv("VERIFICAR_API_USER"),
//		APIToken: kyc.NewSecret(os.Getenv("VERIFICAR_API_TOKEN")),
//		// The Basic credentials set for report reception in the panel.
//		WebhookUser:     os.Getenv("VERIFICAR_WEBHOOK_USER"),
//		WebhookPassword: kyc.NewSecret(os.Getenv("VERIFICAR_WEBHOOK_PASSWORD")),
//	})
//	if err != nil { ... }
//	defer c.Close()
//	sent, err := c.SendVerification(ctx, verificar.SendRequest{
//		Phone:   "34600000001",
//		Message: "We need to verify your identity: [LINK]",
//		Sender:  "MyCompany",
//	})
//	// Later, in your webhook endpoint:
//	http.Handle("/hooks/verificar", c.WebhookHandler(func(ctx context.Context, ev *kyc.Event) error {
//		return store(ctx, ev.Reference, ev.Result.Status)
//	}))
package verificar
