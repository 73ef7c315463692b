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
//   - [Client.SendVerification] (/VerificarIdentidad) sends the SMS. It costs
//     credit and messages a person, so it is never sent twice: not after a
//     timeout, a 502, a 503 or a 429, once it may have reached Mensatek.
//   - [Client.Certificate] (/GetCertificadoIdentidad) streams the PDF
//     certificate to an io.Writer without holding it in memory.
//   - [Client.Credits] (/GetCreditos) reads the account's credit.
//   - [Client.Call] reaches any other function of the platform.
//   - [Client.ParseWebhook] and [Client.WebhookHandler] receive the status
//     reports (JSON or form bodies, optionally behind Basic auth).
//
// The client implements [kyc.Verifier]: Verify sends the SMS and returns
// StatusPending with the Reference "verificar:<ID>"; Result returns
// [kyc.ErrUnsupported], because Mensatek offers no read-back: the outcome
// arrives by webhook.
//
// # Authentication and wire format
//
// Every call is a POST with HTTP Basic authentication (APIUser:APIToken, from
// "Your Data → Configure Account" in the Mensatek panel), a JSON body (the
// format the vendor recommends) and Resp=JSON, so that answers come in the
// current JSON format rather than the legacy one. Answers carry a Res code
// (1 = correct, negative = error) inside HTTP 200 bodies; the client decodes
// it before trusting the HTTP status. An answer may be an object or a
// one-element array, and numbers may arrive as strings: both are accepted.
//
// Mensatek treats repeated erroneous or "empty" connections as spam and may
// block the account temporarily, including repeated calls for the credits or
// the same report. So no call of this package is retried once it may have
// reached the server (only a connection that failed before the request was
// written is tried again), and authentication failures are never retried.
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
