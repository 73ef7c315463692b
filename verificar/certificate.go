package verificar

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// maxErrorBody bounds what Certificate reads of an answer that is not a PDF.
const maxErrorBody = 64 << 10

var errNotPDF = errors.New("verificar: the certificate answer is neither a PDF nor a Res body")

// Certificate writes the PDF certificate of verification id (the ID of
// SendVerification, digits) to w. Mensatek issues it once the verification
// is validated (webhook Estado 5100). The PDF is streamed from the
// connection to w, never held in memory whole; the response size cap
// (kyc.WithMaxResponseBytes) does not apply.
//
// The download is bounded two ways, whatever ctx says:
//   - overall: Config.CertificateTimeout, from sending the request to the
//     last byte, retries included; zero means the client's attempt timeout
//     (kyc.WithTimeout, default 30 s). With both zero there is no overall
//     bound but the next one.
//   - stall: Config.CertificateStallTimeout (default
//     DefaultCertificateStallTimeout, 10 s) without a byte of the body
//     arriving ends the download. It always applies.
//
// Either bound, or ctx ending, gives ErrTimeout; the stall's message names
// it. If the download fails midway, w has received part of the PDF and the
// error is ErrUnavailable or ErrTimeout; if w fails, the error is
// ErrInvalidRequest with Field "w" wrapping w's error.
//
// An answer that is not a PDF is read as a Res body and returned as the
// matching *kyc.Error (-3 for an unknown id, -1 for bad credentials...), or
// as ErrBadResponse when it is neither. It is a free read: a connection
// failure or a 5xx before the body is retried like a read.
//
//	POST /GetCertificadoIdentidad (free) — https://www.mensatek.com/api-verificacion-identidad-en.html, "Query and download PDF Certificate"
func (c *Client) Certificate(ctx context.Context, id string, w io.Writer) error {
	op := opCertificate
	if w == nil {
		return c.tc.Invalid(op.Name, "w", "required")
	}
	if err := idForm(id); err != nil {
		return c.tc.Invalid(op.Name, "id", err.Error())
	}
	b, err := withResp(map[string]any{"Id": id})
	if err != nil {
		return c.tc.Invalid(op.Name, "id", "cannot be encoded")
	}
	dctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if c.certTimeout > 0 {
		var stop context.CancelFunc
		dctx, stop = context.WithTimeout(dctx, c.certTimeout)
		defer stop()
	}
	resp, err := c.tc.Stream(dctx, &transport.Request{
		Operation: op,
		Header:    http.Header{"Accept": {"application/pdf, application/json"}},
		Body:      transport.Bytes("application/json", b),
	})
	if err != nil {
		return c.boundError(ctx, dctx, err)
	}
	defer resp.Close()

	body := newStallReader(resp.Reader(), c.certStall, cancel)
	defer body.stop()
	head := make([]byte, 512)
	n, rerr := io.ReadFull(body, head)
	head = head[:n]
	if rerr != nil && rerr != io.EOF && rerr != io.ErrUnexpectedEOF {
		return c.readError(ctx, dctx, resp, body, rerr)
	}
	rest := io.MultiReader(bytes.NewReader(head), body)
	if resp.StatusCode == http.StatusOK && isPDF(resp.Header.Get("Content-Type"), head) {
		return c.copyPDF(ctx, dctx, resp, w, rest, body)
	}
	// Not a PDF: a Res body (or an HTTP error). Read it within a bound.
	errBody, rerr := io.ReadAll(io.LimitReader(rest, maxErrorBody))
	resp.Body = errBody
	if rerr != nil {
		return c.readError(ctx, dctx, resp, body, rerr)
	}
	if err := c.check(op, resp); err != nil {
		return err
	}
	return c.tc.BadResponse(op.Name, resp, errNotPDF) // Res = 1 without a PDF
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
func (c *Client) copyPDF(ctx, dctx context.Context, resp *transport.Response, w io.Writer, r io.Reader, body *stallReader) error {
	ew := &errWriter{w: w}
	_, err := io.Copy(ew, r) // one 32 KiB buffer at a time
	switch {
	case err == nil:
		return nil
	case ew.err != nil:
		return &kyc.Error{Provider: kyc.Verificar, Op: opCertificate.Name, Kind: kyc.ErrInvalidRequest, Field: "w",
			StatusCode: resp.StatusCode, RequestID: resp.RequestID, Message: "writing the certificate failed", Err: ew.err}
	}
	return c.readError(ctx, dctx, resp, body, err)
}

// readError is the error for a body whose reading failed midway: the
// request was sent and answered, so it may have been processed.
func (c *Client) readError(ctx, dctx context.Context, resp *transport.Response, body *stallReader, err error) error {
	kind, msg := kyc.ErrUnavailable, "the connection failed while the certificate was read"
	switch {
	case ctx.Err() != nil:
		kind, msg, err = kyc.ErrTimeout, "the context ended while the certificate was read", errors.Join(ctx.Err(), err)
	case body.stalled():
		kind, msg = kyc.ErrTimeout, "no byte of the certificate arrived for "+c.certStall.String()+" (Config.CertificateStallTimeout)"
	case dctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		kind, msg = kyc.ErrTimeout, "the certificate download exceeded its bound of "+c.certTimeout.String()+
			" (Config.CertificateTimeout, default the attempt timeout)"
	}
	return &kyc.Error{Provider: kyc.Verificar, Op: opCertificate.Name, Kind: kind, StatusCode: resp.StatusCode,
		RequestID: resp.RequestID, Message: msg, Err: err}
}

// boundError names the overall bound in the transport's error when that
// bound, not the caller's context, ended the call before the headers.
func (c *Client) boundError(ctx, dctx context.Context, err error) error {
	var kerr *kyc.Error
	if ctx.Err() != nil || !errors.Is(dctx.Err(), context.DeadlineExceeded) || !errors.As(err, &kerr) {
		return err
	}
	e := *kerr
	e.Message = "the certificate download exceeded its bound of " + c.certTimeout.String() +
		" (Config.CertificateTimeout, default the attempt timeout)"
	return &e
}

// stallReader ends a download when no byte arrives for idle: while a Read
// waits longer than that, it cancels the download's context, which aborts
// the Read. The time the writer takes between reads does not count.
//
// It belongs in the transport's Stream (a stall timeout on every streamed
// body); it lives here until the transport has one.
type stallReader struct {
	r     io.Reader
	idle  time.Duration
	timer *time.Timer
	fired atomic.Bool
}

func newStallReader(r io.Reader, idle time.Duration, cancel context.CancelFunc) *stallReader {
	s := &stallReader{r: r, idle: idle}
	s.timer = time.AfterFunc(idle, func() {
		s.fired.Store(true)
		cancel()
	})
	s.timer.Stop()
	return s
}

func (s *stallReader) Read(p []byte) (int, error) {
	s.timer.Reset(s.idle)
	n, err := s.r.Read(p)
	s.timer.Stop()
	return n, err
}

// stalled reports that the stall timeout ended the download.
func (s *stallReader) stalled() bool { return s.fired.Load() }

func (s *stallReader) stop() { s.timer.Stop() }

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
