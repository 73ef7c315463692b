package verificar

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// maxErrorBody bounds what Certificate reads of an answer that is not a PDF.
const maxErrorBody = 64 << 10

var errNotPDF = errors.New("verificar: the certificate answer is neither a PDF nor a Res body")

// Certificate writes the PDF certificate of verification id to w
// (/GetCertificadoIdentidad). Mensatek issues it once the verification is
// validated (webhook Estado 5100). The PDF is streamed from the connection
// to w, never held in memory whole; the response size cap
// (kyc.WithMaxResponseBytes) does not apply, while kyc.WithTimeout bounds the
// whole download as one attempt.
//
// An answer that is not a PDF is read as a Res body and returned as the
// matching *kyc.Error (-3 for an unknown id, -1 for bad credentials...), or
// as ErrBadResponse when it is neither. If the download fails midway, w has
// received part of the PDF and the error is ErrUnavailable (or ErrTimeout);
// if w fails, the error is ErrInvalidRequest with Field "w" wrapping w's
// error. Like every call of this package it is not retried once it may have
// reached Mensatek (the vendor blocks repeated requests for the same
// report).
func (c *Client) Certificate(ctx context.Context, id string, w io.Writer) error {
	const op = "verificar.Certificate"
	if w == nil {
		return c.tc.Invalid(op, "w", "required")
	}
	id, err := c.idString(op, id)
	if err != nil {
		return err
	}
	b, err := withResp(map[string]any{"Id": id})
	if err != nil {
		return c.tc.Invalid(op, "id", "cannot be encoded")
	}
	resp, err := c.tc.Stream(ctx, &transport.Request{
		Op: op, Method: http.MethodPost, Path: PathCertificate, Mode: transport.Once,
		Header: http.Header{"Accept": {"application/pdf, application/json"}},
		Body:   transport.Bytes("application/json", b),
	})
	if err != nil {
		return err
	}
	defer resp.Close()

	rc := resp.Reader()
	head := make([]byte, 512)
	n, rerr := io.ReadFull(rc, head)
	head = head[:n]
	if rerr != nil && rerr != io.EOF && rerr != io.ErrUnexpectedEOF {
		return c.readError(ctx, op, resp, rerr)
	}
	rest := io.MultiReader(bytes.NewReader(head), rc)
	if resp.StatusCode == http.StatusOK && isPDF(resp.Header.Get("Content-Type"), head) {
		return c.copyPDF(ctx, op, resp, w, rest)
	}
	// Not a PDF: a Res body (or an HTTP error). Read it within a bound.
	body, rerr := io.ReadAll(io.LimitReader(rest, maxErrorBody))
	resp.Body = body
	if rerr != nil {
		return c.readError(ctx, op, resp, rerr)
	}
	if _, err := c.classify(op, resp); err != nil {
		return err
	}
	return c.tc.BadResponse(op, resp, errNotPDF) // Res = 1 without a PDF
}

// isPDF says whether an answer is the certificate: it starts with the PDF
// signature, or it is declared a PDF and is not a JSON body.
func isPDF(contentType string, head []byte) bool {
	if len(head) >= 5 && string(head[:5]) == "%PDF-" {
		return true
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	return mt == "application/pdf" && !looksJSON(head)
}

// copyPDF streams the body to w, telling the writer's failures from the
// connection's.
func (c *Client) copyPDF(ctx context.Context, op string, resp *transport.Response, w io.Writer, body io.Reader) error {
	ew := &errWriter{w: w}
	_, err := io.Copy(ew, body) // one 32 KiB buffer at a time
	switch {
	case err == nil:
		return nil
	case ew.err != nil:
		return &kyc.Error{Provider: kyc.Verificar, Op: op, Kind: kyc.ErrInvalidRequest, Field: "w",
			StatusCode: resp.StatusCode, Message: "writing the certificate failed", Sent: true, Err: ew.err}
	}
	return c.readError(ctx, op, resp, err)
}

// readError is the error for a body whose reading failed midway.
func (c *Client) readError(ctx context.Context, op string, resp *transport.Response, err error) error {
	kind, msg := kyc.ErrUnavailable, "the connection failed while the answer was read"
	if ctx.Err() != nil {
		kind, msg, err = kyc.ErrTimeout, "the context ended while the answer was read", errors.Join(ctx.Err(), err)
	} else if errors.Is(err, context.DeadlineExceeded) {
		kind, msg = kyc.ErrTimeout, "the attempt timed out while the answer was read"
	}
	return &kyc.Error{Provider: kyc.Verificar, Op: op, Kind: kind, StatusCode: resp.StatusCode,
		RequestID: resp.RequestID, Message: msg, Sent: true, Err: err}
}

// errWriter remembers the error of the writer it wraps.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, err
}
