package transport

// URL building: the base URL check and the join of a path to it.

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
)

// CheckBaseURL parses a base URL and refuses anything but https, or http to
// a loopback host.
func CheckBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, errors.New("the base URL must be an absolute URL")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return nil, errors.New("the base URL must use https (plain http is allowed for loopback hosts only)")
		}
	default:
		return nil, errors.New("the base URL must use https")
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, errors.New("the base URL must not carry a query, a fragment or credentials")
	}
	return u, nil
}

// IsLoopback reports whether host is localhost or a loopback IP.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// URL returns the absolute URL for a path and query.
func (c *Client) URL(path string, q url.Values) string {
	if len(q) == 0 {
		return c.urls.get(path, c.buildURL)
	}
	return c.buildURL(path, q)
}

func (c *Client) buildURL(path string, q url.Values) string {
	if p := strings.TrimLeft(path, "/"); c.plainBase && plainPath(p) {
		// The common case, in one allocation: a path of characters that
		// url.URL.String writes as they are (joinPath's result, unchanged).
		sep := "/"
		if p == "" && c.basePath != "" {
			sep = ""
		}
		if len(q) > 0 {
			return c.prefix + c.basePath + sep + p + "?" + q.Encode()
		}
		return c.prefix + c.basePath + sep + p
	}
	return c.parsedURL(path, q)
}

// parsedURL builds the URL through url.URL, for any path: URL's slow path.
func (c *Client) parsedURL(path string, q url.Values) string {
	esc := joinPath(c.base.EscapedPath(), path)
	u := url.URL{Scheme: c.base.Scheme, Host: c.base.Host, Path: esc, RawPath: esc}
	if p, err := url.PathUnescape(esc); err == nil {
		u.Path = p
	}
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// plainPath reports a path that url.URL.String writes unchanged, with its
// escaped and unescaped forms the same: unreserved characters, "/" and the
// sub-delimiters, without an escape.
func plainPath(p string) bool {
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~/!$&'()*+,;=:@", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func joinPath(base, p string) string {
	base = strings.TrimRight(base, "/")
	p = strings.TrimLeft(p, "/")
	if p == "" {
		if base == "" {
			return "/"
		}
		return base
	}
	return base + "/" + p
}

// urlCache keeps the URLs of query-less paths without an id (an operation
// table's templates), so that a call does not build its URL again. It is
// copied on write and bounded: a client sending more distinct paths than
// maxCachedURLs builds the others each time.
type urlCache struct {
	m  atomic.Pointer[map[string]string]
	mu sync.Mutex
}

const maxCachedURLs = 64

func (u *urlCache) get(path string, build func(string, url.Values) string) string {
	if m := u.m.Load(); m != nil {
		if v, ok := (*m)[path]; ok {
			return v
		}
	}
	v := build(path, nil)
	for _, s := range strings.Split(path, "/") {
		if idSegment(s) {
			return v // ids are personal data: not kept
		}
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	old := u.m.Load()
	if old != nil && len(*old) >= maxCachedURLs {
		return v
	}
	m := make(map[string]string, 1+lenOf(old))
	if old != nil {
		for k, s := range *old {
			m[k] = s
		}
	}
	m[path] = v
	u.m.Store(&m)
	return v
}

func lenOf(m *map[string]string) int {
	if m == nil {
		return 0
	}
	return len(*m)
}

// fillPath fills the {placeholders} of a path template with params, in
// order, each escaped with url.PathEscape. A parameter cannot change the
// path's shape: it is never empty, "." or "..", and its "/" is escaped.
// The count of parameters must be the count of placeholders.
func fillPath(tmpl string, params []string) (string, error) {
	if len(params) == 0 && !strings.Contains(tmpl, "{") {
		return tmpl, nil
	}
	var b strings.Builder
	n, rest := 0, tmpl
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return "", errors.New("the path template has a '{' without its '}'")
		}
		if n >= len(params) {
			return "", fmt.Errorf("the path template has more placeholders than the %d path parameters given", len(params))
		}
		p := params[n]
		n++
		if p == "" || p == "." || p == ".." {
			return "", errors.New(`a path parameter must not be empty, "." or ".."`)
		}
		b.WriteString(rest[:i])
		b.WriteString(url.PathEscape(p))
		rest = rest[i+j+1:]
	}
	if n != len(params) {
		return "", fmt.Errorf("%d path parameters for %d placeholders in the path template", len(params), n)
	}
	return b.String(), nil
}
