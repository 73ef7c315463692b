package transport

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"

	"github.com/kyc-go/kyc"
)

// This file keeps personal data out of the causes the transport wraps in a
// *kyc.Error. The request's URL holds it (Atlas sends aadhaar_number,
// acc_number and PAN values in the query; ids go in paths), and net/http
// puts the URL in every *url.Error. Every cause is rebuilt before it is
// wrapped, so that nothing in an Unwrap chain carries it: the idea of
// go-github's sanitizeURL, which goes further here (the whole query goes,
// and path ids become {id}).

// safePath is the path a request is known by in logs and errors: the base
// URL's path joined to the operation's template, with any segment of the
// template that looks like an id (see idSegment) replaced by "{id}". A
// template declared in an operation table has none; a path given to the
// generic Call as its own template may.
func (c *Client) safePath(r *Request) string {
	segs := strings.Split(r.Operation.Path, "/")
	for i, s := range segs {
		if idSegment(s) {
			segs[i] = "{id}"
		}
	}
	return joinPath(c.base.EscapedPath(), strings.Join(segs, "/"))
}

// safeURL is the request's URL without its query, on the safe path.
func (c *Client) safeURL(r *Request) string {
	return c.base.Scheme + "://" + c.base.Host + c.safePath(r)
}

// Template reports whether path is a path template without ids: no
// segment of it looks like an id or personal data (see idSegment), so it
// is safe in logs, the Observer and metrics. Ids go in {placeholders}.
func Template(path string) bool {
	for _, s := range strings.Split(path, "/") {
		if idSegment(s) {
			return false
		}
	}
	return true
}

// idSegment reports a path segment that may be an id or personal data: not
// a {placeholder}, and with four digits or more, more than 32 bytes, or a
// byte other than a letter, a digit or - . _ ~ (an escape, an @, a +).
func idSegment(s string) bool {
	if s == "" || strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		return false
	}
	if len(s) > 32 {
		return true
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '.' || c == '_' || c == '~':
		default:
			return true
		}
	}
	return digits >= 4
}

// sanitize rebuilds a cause for request r so that no error in its chain
// names the request's URL, query or path ids. A *url.Error keeps its Op
// and its inner error (sanitized in turn), so errors.Is(err,
// context.Canceled), net.Error and syscall matching still work; only its
// URL becomes safeURL. A *fs.PathError (an image file that cannot be read)
// loses its path. Any other error is kept unless its chain's text holds
// one of the request's values, in which case it is replaced by a
// scrubbedError with that text masked, which still matches the common
// sentinels the original matched and still reports Timeout.
func (c *Client) sanitize(r *Request, err error) error {
	if err == nil {
		return nil
	}
	return scrub(err, c.safeURL(r), requestValues(r))
}

func scrub(err error, safe string, values []string) error {
	switch e := err.(type) {
	case nil:
		return nil
	case *kyc.Error:
		// Built by this SDK (an image that cannot be opened, a signer's own
		// error): its text is safe, its cause is sanitized like any other.
		cp := *e
		cp.Err = scrub(e.Err, safe, values)
		return &cp
	case *url.Error:
		return &url.Error{Op: e.Op, URL: safe, Err: scrub(e.Err, safe, values)}
	case *fs.PathError:
		return &fs.PathError{Op: e.Op, Path: "[file]", Err: scrub(e.Err, safe, values)}
	}
	if !leaks(err, values) {
		return err
	}
	msg := err.Error()
	for _, v := range values {
		msg = strings.ReplaceAll(msg, v, "***")
	}
	s := &scrubbedError{msg: msg, timeout: isTimeout(err)}
	for _, target := range sentinels {
		if errors.Is(err, target) {
			s.is = append(s.is, target)
		}
	}
	return s
}

// requestValues are the texts of r that must not appear in a cause: its
// path parameters, any id-like segment of its template, its query and each
// query value, raw and escaped.
// Values shorter than five bytes ("Y", "true", "json") are flags, not
// personal data, and would match the text of unrelated errors ("tcp").
func requestValues(r *Request) []string {
	var out []string
	add := func(v string) {
		if len(v) >= 5 {
			out = append(out, v)
		}
	}
	for _, p := range r.Params {
		add(p)
		add(url.PathEscape(p))
	}
	for _, s := range strings.Split(r.Operation.Path, "/") {
		if idSegment(s) {
			add(s)
		}
	}
	if len(r.Query) > 0 {
		add(r.Query.Encode())
		for _, vs := range r.Query {
			for _, v := range vs {
				add(v)
				add(url.QueryEscape(v))
			}
		}
	}
	return out
}

// leaks reports whether any error in err's chain names one of values.
func leaks(err error, values []string) bool {
	if len(values) == 0 {
		return false
	}
	seen := 0
	stack := []error{err}
	for len(stack) > 0 && seen < 64 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if e == nil {
			continue
		}
		seen++
		text := e.Error()
		for _, v := range values {
			if strings.Contains(text, v) {
				return true
			}
		}
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			stack = append(stack, u.Unwrap())
		case interface{ Unwrap() []error }:
			stack = append(stack, u.Unwrap()...)
		}
	}
	return false
}

// scrubbedError stands for a cause whose text named the request: its text
// with the request's values masked, its Timeout, and the sentinels it
// matched.
type scrubbedError struct {
	msg     string
	timeout bool
	is      []error
}

func (e *scrubbedError) Error() string { return e.msg }

// Timeout reports whether the original error was a timeout (net.Error).
func (e *scrubbedError) Timeout() bool { return e.timeout }

// Temporary is Timeout, for net.Error.
func (e *scrubbedError) Temporary() bool { return e.timeout }

// Is matches the sentinels the original error matched.
func (e *scrubbedError) Is(target error) bool {
	for _, s := range e.is {
		if s == target {
			return true
		}
	}
	return false
}

// sentinels are the errors a scrubbedError keeps matching.
var sentinels = []error{
	context.Canceled, context.DeadlineExceeded, os.ErrDeadlineExceeded, io.EOF, io.ErrUnexpectedEOF,
	net.ErrClosed, syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE,
	syscall.ETIMEDOUT, syscall.EHOSTUNREACH, syscall.ENETUNREACH,
}
