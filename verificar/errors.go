package verificar

import (
	"bytes"
	"encoding/json"
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
// Error. Numbers may arrive as strings; Res is read only in its documented
// integer form (1 or "1", never 1.9, 1e0, 1.0 or "0x1p0": tolerant.StrictInt),
// so that no answer reads as the success code 1 unless it says 1.
type envelope struct {
	Res *tolerant.StrictInt `wire:"Res"`
	// ID is the request's id (the send's answer).
	ID string `wire:"ID"`
	// Cred is the credit left, valid when HasCred.
	Cred    float64 `wire:"Cred,valid=HasCred"`
	HasCred bool
	Error   string `wire:"Error"`
}

var (
	errNoRes     = errors.New("verificar: the answer has no Res field")
	errNoID      = errors.New("verificar: the answer has no usable ID")
	errNoCredits = errors.New("verificar: the answer has no Cred")
)

// decodeEnvelope reads an answer that is an object or a one-element array,
// after a UTF-8 BOM or an XSSI guard.
func decodeEnvelope(b []byte) (*envelope, error) {
	var env envelope
	if err := decodeOne(transport.StripBOM(b), &env); err != nil {
		return nil, err
	}
	if env.Res == nil {
		return nil, errNoRes
	}
	return &env, nil
}

// decodeOne fills v through its wire tags (tolerant.Decode) from a JSON
// object or a one-element array holding one (tolerant.One): the answers'
// and the webhook Result's two forms. null, or [null], leaves v as it is.
func decodeOne(b []byte, v any) error {
	var obj json.RawMessage
	if err := tolerant.One(b, &obj); err != nil {
		return err
	}
	if string(bytes.TrimSpace(obj)) == "null" {
		return nil
	}
	return tolerant.Decode(obj, v)
}

// check is the answer check of every call (the transport's Checker): it
// returns the *kyc.Error of an answer that reports one, nil for a usable
// answer. The Res code inside the body is read before the HTTP status is
// trusted; HTTP 401 and 403 are authentication failures whatever the body
// says.
func (c *Client) check(op kyc.Operation, resp *transport.Response) error {
	env, derr := decodeEnvelope(resp.Body)
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		if derr != nil || *env.Res == 1 {
			env = nil
		}
		e := c.apiError(op, resp, kyc.ErrUnauthorized, env)
		e.Message = codeMessages[-1]
		return e
	case derr == nil && *env.Res != 1:
		return c.apiError(op, resp, nil, env)
	case resp.StatusCode >= 300:
		return c.apiError(op, resp, nil, nil)
	case derr != nil:
		return c.tc.BadResponse(op.Name, resp, derr)
	}
	return nil
}

// apiError is the *kyc.Error of an answer that reports an error. kind nil
// means the Res code's kind (env), or the HTTP status's without one. The
// message is the documented text of the code; the vendor's Error text is
// kept in VendorMessage, out of Error().
func (c *Client) apiError(op kyc.Operation, resp *transport.Response, kind error, env *envelope) *kyc.Error {
	if env == nil {
		return c.tc.APIError(op.Name, resp, kind, "", "")
	}
	res := int64(*env.Res)
	code := strconv.FormatInt(res, 10)
	msg, known := codeMessages[res]
	if kind == nil {
		kind = kyc.ErrBadResponse
		if k, ok := codeKinds[res]; ok {
			kind = k
		}
	}
	e := c.tc.APIError(op.Name, resp, kind, code, env.Error)
	e.Message = msg
	if !known {
		e.Message = "undocumented Res code"
	}
	return e
}

// decode is the transport's Decoder: an answer is an object or a
// one-element array (both are seen), after a BOM.
func (c *Client) decode(op kyc.Operation, resp *transport.Response, out any) error {
	if err := tolerant.One(transport.StripBOM(resp.Body), out); err != nil {
		return c.tc.BadResponse(op.Name, resp, err)
	}
	return nil
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
// from Resultado. A webhook with an undocumented Estado is refused.
var estadoStatus = map[int64]kyc.Status{
	EstadoAccessed:      kyc.StatusPending,
	EstadoLiveness:      kyc.StatusPending,
	EstadoDocumentFront: kyc.StatusPending,
	EstadoDocumentBack:  kyc.StatusPending,
	EstadoInProcess:     kyc.StatusPending,
	EstadoValidated:     kyc.StatusApproved,
	EstadoRejected:      kyc.StatusRejected,
}

// documentedEstado reports whether e is one of the documented states
// (the Estado table under "Reception of delivery reports and status changes of
// sent requests", https://www.mensatek.com/api-verificacion-identidad-en.html).
func documentedEstado(e int64) bool {
	_, ok := estadoStatus[e]
	return ok || e == EstadoFinished
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
