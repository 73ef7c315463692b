package verificar

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/tolerant"
	"github.com/kyc-go/kyc/internal/transport"
)

// codeKinds maps the documented Res codes other than 1 (correct) onto error
// kinds.
var codeKinds = map[int64]error{
	-1: kyc.ErrUnauthorized,       // authentication error
	-2: kyc.ErrInsufficientCredit, // not enough credits in the account
	-3: kyc.ErrInvalidRequest,     // error in the call data; Error says which
	-4: kyc.ErrForbidden,          // function not activated for the account
	-5: kyc.ErrUnavailable,        // -5 to -7: general error in the request
	-6: kyc.ErrUnavailable,
	-7: kyc.ErrUnavailable,
}

// codeMessages explain the codes whose body carries no Error text. The
// vendor's Error text, when present, is used instead.
var codeMessages = map[int64]string{
	-1: "authentication error: check APIUser and APIToken (Mensatek blocks repeated failed connections)",
	-2: "there are not enough credits in the account",
	-3: "error in the call data",
	-4: "the account does not have this function activated; contact Mensatek support",
	-5: "general error in the request; contact Mensatek support",
	-6: "general error in the request; contact Mensatek support",
	-7: "general error in the request; contact Mensatek support",
}

// envelope is the answer of every function: Res, and for some ID, Cred and
// Error. Numbers may arrive as strings.
type envelope struct {
	Res   *tolerant.Int   `json:"Res"`
	ID    tolerant.String `json:"ID"`
	Cred  tolerant.Float  `json:"Cred"`
	Error tolerant.String `json:"Error"`
}

var (
	errNoRes     = errors.New("verificar: the answer has no Res field")
	errNoID      = errors.New("verificar: the answer has no ID")
	errNoCredits = errors.New("verificar: the answer has no Cred")
)

// decodeEnvelope reads an answer that is an object or a one-element array.
func decodeEnvelope(b []byte) (*envelope, error) {
	var env envelope
	if err := tolerant.One(b, &env); err != nil {
		return nil, err
	}
	if env.Res == nil {
		return nil, errNoRes
	}
	return &env, nil
}

// classify turns an answer into its envelope or its *kyc.Error. The Res
// code inside the body is read before the HTTP status is trusted; HTTP 401
// and 403 are authentication failures whatever the body says.
func (c *Client) classify(op string, resp *transport.Response) (*envelope, error) {
	env, derr := decodeEnvelope(resp.Body)
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		code, msg := "", codeMessages[-1]
		if derr == nil && *env.Res != 1 {
			code = strconv.FormatInt(int64(*env.Res), 10)
		}
		e := c.tc.APIError(op, resp, kyc.ErrUnauthorized, code, "")
		e.Message = msg
		return nil, e
	}
	if derr == nil && *env.Res != 1 {
		return nil, c.resError(op, resp, env)
	}
	if resp.StatusCode >= 300 {
		return nil, c.tc.APIError(op, resp, nil, "", "")
	}
	if derr != nil {
		return nil, c.tc.BadResponse(op, resp, derr)
	}
	return env, nil
}

// resError is the *kyc.Error for a Res code other than 1.
func (c *Client) resError(op string, resp *transport.Response, env *envelope) error {
	res := int64(*env.Res)
	code := strconv.FormatInt(res, 10)
	kind, ok := codeKinds[res]
	if !ok {
		e := c.tc.APIError(op, resp, kyc.ErrBadResponse, code, string(env.Error))
		e.Message = "undocumented Res code"
		return e
	}
	e := c.tc.APIError(op, resp, kind, code, string(env.Error)) // the vendor's text stays out of Error()
	e.Message = codeMessages[res]
	return e
}

// looksJSON reports whether b starts, after blanks, like a JSON object or
// array.
func looksJSON(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n\ufeff")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// Webhook codes. Estado is the request's status; Resultado, inside Result,
// the verification's outcome once Estado is 5001.
const (
	EstadoAccessed      = 3000 // the person opened the link
	EstadoLiveness      = 3001 // verifying the person, liveness test
	EstadoDocumentFront = 3002 // front of the ID document requested
	EstadoDocumentBack  = 3003 // back of the ID document requested
	EstadoInProcess     = 5000 // accepted, being verified
	EstadoFinished      = 5001 // finished, data available: see Resultado
	EstadoValidated     = 5100 // validated and certified: Certificate is available
	EstadoRejected      = 5500 // rejected by an operator
)

// estadoStatus maps every documented Estado but 5001, whose status comes
// from Resultado. An undocumented Estado is read as pending.
var estadoStatus = map[int64]kyc.Status{
	EstadoAccessed:      kyc.StatusPending,
	EstadoLiveness:      kyc.StatusPending,
	EstadoDocumentFront: kyc.StatusPending,
	EstadoDocumentBack:  kyc.StatusPending,
	EstadoInProcess:     kyc.StatusPending,
	EstadoValidated:     kyc.StatusApproved,
	EstadoRejected:      kyc.StatusRejected,
}

// outcome is what a negative Resultado means.
type outcome struct {
	status kyc.Status
	reason kyc.Reason
}

// resultadoOutcomes maps the documented negative Resultado codes. A
// Resultado of 80 or more is a face similarity percentage: approved when
// PruebaDeVida is "Si". Below 80, an operator must decide (review).
var resultadoOutcomes = map[int64]outcome{
	-1: {kyc.StatusReview, kyc.ReasonFaceMismatch},             // similarity under 80%: an operator must decide
	-2: {kyc.StatusRejected, kyc.ReasonUnderage},               // the person is a minor
	-3: {kyc.StatusRejected, kyc.ReasonFrontBackMismatch},      // front and back do not match
	-4: {kyc.StatusRejected, kyc.ReasonDifferentPerson},        // liveness test done by different people
	-5: {kyc.StatusRejected, kyc.ReasonDocumentExpired},        // expired ID document
	-6: {kyc.StatusRejected, kyc.ReasonLivenessFailed},         // liveness test not valid (a photo?)
	-7: {kyc.StatusPending, kyc.ReasonNotFinished},             // process not yet finished
	-8: {kyc.StatusRejected, kyc.ReasonFaceMismatch},           // very different from the document's photo, or document not valid
	-9: {kyc.StatusRejected, kyc.ReasonDocumentNumberMismatch}, // not the DNI number requested
}

// MinSimilarity is the Resultado from which the face match is accepted
// without an operator.
const MinSimilarity = 80

// docTypes maps TipoDocumento (ICAO size classes) onto document types;
// inferred: the documentation shows only "ID-1".
var docTypes = map[string]kyc.DocumentType{
	"ID-1": kyc.DocumentIDCard,
	"ID-3": kyc.DocumentPassport,
}
