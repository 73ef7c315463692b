package atlas

import (
	"bytes"
	"errors"
	"strconv"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// codeKinds maps every error code of the vendor docs' table onto a kyc
// kind. The codes are HTTP statuses sent as strings in error.code.
var codeKinds = map[string]error{
	"400": kyc.ErrInvalidRequest, // missing parameters
	"401": kyc.ErrUnauthorized,   // access denied
	"403": kyc.ErrForbidden,      // no permission for the resource
	"404": kyc.ErrNotFound,       // URL not found
	"405": kyc.ErrInvalidRequest, // wrong method
	"408": kyc.ErrTimeout,        // request timeout
	"413": kyc.ErrInvalidRequest, // entity too large (100 MB)
	"414": kyc.ErrInvalidRequest, // URL too long
	"415": kyc.ErrInvalidRequest, // unsupported media type
	"429": kyc.ErrRateLimited,    // too many requests
	"500": kyc.ErrUnavailable,    // internal server error
	"502": kyc.ErrUnavailable,    // bad gateway
	"503": kyc.ErrUnavailable,    // overloaded or in maintenance
	// 505: the HTTP version is refused; trying again cannot help, so it is a
	// request problem rather than unavailability.
	"505": kyc.ErrInvalidRequest,
}

// codeDocs holds the docs' message and "what to do" for each code, kept
// verbatim (Error() redacts the support address like any e-mail address).
var codeDocs = map[string]struct{ message, hint string }{
	"400": {"Invalid request - missing parameters.", "Please,check API response for missing parameters."},
	"401": {"Access denied.", "Make sure you have entered your API token correctly.If issue persists then contact support at support@frslabs.com."},
	"403": {"Access forbidden.", "Client does not have the necessary permissions for the resource.Please contact support at support@frslabs.com"},
	"404": {"URL not found.", "Make sure you have formatted the url correctly."},
	"405": {"Invalid request-WRONG API REQUEST METHOD TYPE", "GET method is not supported for this request. Make sure POST method is selected for your request."},
	"408": {"Request Timeout error.", "Requests are not connected to atlas services. Please contact support at support@frslabs.com"},
	"413": {"Request entity too large.", "Make sure, size limit of your request does not exceed 100 mb.if issue persists then contact support at support@frslabs.com."},
	"414": {"Request URL too large.", "URL for your request is longer than the server is willing to interpret. Please check URL."},
	"415": {"Invalid request, unsupported media type.", "Make sure format of your request is as per defined resource's content-type or content-encoding headers."},
	"429": {"Invalid request, too many requests.", "The user has sent too many requests in a given amount of time.Please retry after specified time."},
	"500": {"Internal server error.", "The server encountered an error. Please, try again.If issue persists then contact support at support@frslabs.com."},
	"502": {"Bad gateway error.", "The server has received an invalid response. If issue persists then contact support at support@frslabs.com."},
	"503": {"Service unavailable.", "The server is currently unable to handle your request due to a temporary overloading or maintenance of the server. Please, try again.If issue persists then contact support at support@frslabs.com."},
	"505": {"HTTP version not supported.", "The server can't handle the http version used in the request. We support http 2.0 and http 1.0 version. Please, contact support at support@frslabs.com."},
}

// Hint returns the vendor docs' "what to do" for an error code, or "".
func Hint(code string) string { return codeDocs[code].hint }

// kindForCode classifies a vendor code: the docs' table first, then a
// numeric code read as an HTTP status, then the response's status. A
// failure in a 200 with an unknown code is a refusal of the request.
func kindForCode(code string, status int) error {
	if k, ok := codeKinds[code]; ok {
		return k
	}
	if n, err := strconv.Atoi(code); err == nil && n >= 400 && n < 600 {
		return transport.KindForStatus(n)
	}
	if status >= 400 {
		return transport.KindForStatus(status)
	}
	return kyc.ErrInvalidRequest
}

// check is the answer check of every call (transport.Params.Check): a
// vendor error in the envelope first, whatever the HTTP status, then the
// status, then whether the body is an envelope at all. The operations that
// answer with an image (FetchFace, MaskAadhaar) may answer a 2xx with the
// image itself, and DeleteFace with an empty body.
func (c *Client) check(op kyc.Operation, resp *transport.Response) error {
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	body := bytes.TrimSpace(transport.StripBOM(resp.Body))
	switch {
	case ok && len(body) == 0 && op.Name == opDeleteFace.Name:
		return nil
	case ok && mediaAnswer(op) && (len(body) == 0 || body[0] != '{'):
		return nil // the image; decode reads it
	}
	env, derr := DecodeEnvelope(resp.Body)
	if derr == nil && env.Failed() {
		return c.apiError(op.Name, resp, env.Error)
	}
	if resp.StatusCode >= 400 {
		return c.apiError(op.Name, resp, &ErrorBody{Code: strconv.Itoa(resp.StatusCode)})
	}
	if derr != nil {
		return c.tc.BadResponse(op.Name, resp, derr)
	}
	if !ok {
		return c.tc.BadResponse(op.Name, resp, errors.New("unexpected HTTP status "+strconv.Itoa(resp.StatusCode)))
	}
	return nil
}

// mediaAnswer reports whether op may answer with an image rather than an
// envelope.
func mediaAnswer(op kyc.Operation) bool {
	return op.Name == opFetchFace.Name || op.Name == opMaskAadhaar.Name
}

// apiError is the error builder of Atlas answers: Message is the docs'
// text and "what to do" for the code; the vendor's own message goes to
// VendorMessage, which Error() never prints.
func (c *Client) apiError(op string, resp *transport.Response, e *ErrorBody) error {
	if e == nil {
		e = &ErrorBody{}
	}
	code := e.Code
	if code == "" && resp.StatusCode >= 400 {
		code = strconv.Itoa(resp.StatusCode)
	}
	kerr := c.tc.APIError(op, resp, kindForCode(code, resp.StatusCode), code, e.Message)
	switch d, ok := codeDocs[code]; {
	case ok:
		kerr.Message = d.message + " " + d.hint
	case kerr.Message == "":
		kerr.Message = "the vendor reported a failure without a documented code"
	}
	return kerr
}
