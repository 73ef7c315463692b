package verificar

import (
	"net/http"
	"slices"

	"github.com/kyc-go/kyc"
)

// The operations this package sends, declared once. Every function of the
// API is a POST ("The Requests, for security reasons, must be made via
// POST", AUTHENTICATION on
// https://www.mensatek.com/api-verificacion-identidad-en.html) under the base URL.
//
// Resends follow the class (internal/transport's policy). Mensatek warns
// that "a repeatedly erroneous connection will be treated by the system as
// spam and may end up temporarily blocking the connection" (IMPORTANT NOTES), and
// asks not to repeat "fast 'empty' connections ... to obtain the number of
// credits or the same report" (same section). The erroneous connections are
// failed authentications: HTTP 401/403 is never retried by the transport,
// and Res -1 arrives inside a 200, which is an answer, never retried either.
// What remains retryable for the two free reads is a connection that
// failed, a 429/503 or a 5xx, at most kyc.WithRetry's count (default 2) with
// backoff: a few spaced attempts, not a loop of empty connections. The old
// blanket "never retried once it may have reached Mensatek" (transport.Once)
// is gone: it protected the reads from nothing the transport does not
// already refuse, and the send is protected by its class.
var (
	// opSendVerification texts the person a link (messaging) and charges a
	// credit: never resent once written, whatever the answer.
	opSendVerification = kyc.Operation{Name: "verificar.SendVerification", Method: http.MethodPost,
		Path: PathSend, Class: kyc.ClassMessaging,
		Doc: `https://www.mensatek.com/api-verificacion-identidad-en.html, "Send Identity Verification Request", "/VerificarIdentidad" — "the message that will be sent to the recipient on their mobile" (texts the person); "-2 There are not enough credits" (costs credit)`}
	// opCertificate downloads the certificate PDF: a read.
	opCertificate = kyc.Operation{Name: "verificar.Certificate", Method: http.MethodPost,
		Path: PathCertificate, Class: kyc.ClassFree,
		Doc: `https://www.mensatek.com/api-verificacion-identidad-en.html, "Query and download PDF Certificate", "/GetCertificadoIdentidad" — "Obtaining the PDF file with the certificate" (a read; no charge documented)`}
	// opCredits reads the account's credit: a read.
	opCredits = kyc.Operation{Name: "verificar.Credits", Method: http.MethodPost,
		Path: PathCredits, Class: kyc.ClassFree,
		Doc: `https://www.mensatek.com/api-verificacion-identidad-en.html, "Credits Query", "/GetCreditos" — "returns the number of credits in the account ... used simply as a functioning test" (a read)`}
)

var operations = []kyc.Operation{opSendVerification, opCertificate, opCredits}

// Operations returns the package's operation table: every operation the
// client sends, with its method, path template and class. The README's
// table is built from it.
func Operations() []kyc.Operation { return slices.Clone(operations) }
