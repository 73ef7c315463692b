package atlas

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
)

// Part is one part of a multipart body given to Call: a field (Value) or
// an image (Image), streamed from its source.
type Part struct {
	Name  string
	Value string
	Image *kyc.Image
}

// Call sends any Atlas endpoint the typed API does not cover (OCR,
// DigiLocker, video, PIVC…), signed and checked like the typed methods.
// path is joined to the base URL; query carries the parameters API v2
// takes in the query string. body is nil, url.Values (sent as a form),
// []Part (multipart) or any other value (sent as JSON). When out is not
// nil, the envelope's data is decoded into it. GET and HEAD calls are
// retried like reads; any other method is never resent once it may have
// reached the vendor.
func (c *Client) Call(ctx context.Context, method, path string, query url.Values, body any, out any) (*Envelope, error) {
	const op = "atlas.Call"
	method = strings.ToUpper(method)
	if method == "" {
		method = http.MethodGet
	}
	if path == "" || strings.Contains(path, "://") {
		return nil, c.tc.Invalid(op, "path", "a path relative to the base URL")
	}
	mode := transport.Unsafe
	if method == http.MethodGet || method == http.MethodHead {
		mode = transport.Idempotent
	}
	cl := newCall("Call", method, path, query, mode)
	switch b := body.(type) {
	case nil:
	case url.Values:
		cl.body = transport.Form(b)
	case []Part:
		parts := make([]transport.Part, len(b))
		var imgs []namedImage
		for i, p := range b {
			parts[i] = transport.Part{Name: p.Name, Value: p.Value, Image: p.Image}
			if p.Image != nil {
				imgs = append(imgs, namedImage{p.Name, p.Image})
			}
		}
		if len(imgs) > 0 {
			if err := c.checkImages(op, imgs...); err != nil {
				return nil, err
			}
		}
		mb, err := transport.Multipart(parts...)
		if err != nil {
			return nil, c.tc.Invalid(op, "body", err.Error())
		}
		cl.body = mb
	default:
		jb, err := transport.JSON(b)
		if err != nil {
			return nil, c.tc.Invalid(op, "body", "cannot be encoded as JSON")
		}
		cl.body = jb
	}
	env, id, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	if out != nil && len(env.Data) > 0 {
		if err := json.Unmarshal(env.Data, out); err != nil {
			return env, c.tc.BadResponse(op, &transport.Response{StatusCode: http.StatusOK, Body: env.Raw, RequestID: id}, err)
		}
	}
	return env, nil
}
