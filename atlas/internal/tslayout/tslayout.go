// Package tslayout formats and parses the timestamp of Atlas's AES
// Authorization header, whose layout the vendor writes in Java
// SimpleDateFormat notation ("yyyyMMddHHmmssSSS" in the docs,
// "ddMMyyyyHHmmss" in the vendor's Java sample). Go's reference layouts
// cannot express milliseconds without a separator before them, so the
// pattern is interpreted here rather than converted to a Go layout.
package tslayout

import (
	"errors"
	"strings"
	"time"
)

// Layout is a parsed pattern. The zero Layout formats nothing.
type Layout struct {
	pattern string
	toks    []token
	width   int
}

type field int

const (
	literal field = iota
	year4
	year2
	month
	day
	hour
	minute
	second
	millis
)

type token struct {
	f   field
	lit string
	n   int // digits
}

// letters maps each supported run of pattern letters to its field.
var letters = map[string]token{
	"yyyy": {f: year4, n: 4},
	"yy":   {f: year2, n: 2},
	"MM":   {f: month, n: 2},
	"dd":   {f: day, n: 2},
	"HH":   {f: hour, n: 2},
	"mm":   {f: minute, n: 2},
	"ss":   {f: second, n: 2},
	"SSS":  {f: millis, n: 3},
}

// Parse reads a Java SimpleDateFormat pattern limited to the runs yyyy, yy,
// MM, dd, HH, mm, ss and SSS, with any non-letter characters (or text in
// single quotes) as literals. Other letters are refused, and so are bare
// digits: a Go reference layout such as "20060102150405" would otherwise be
// sent as that literal text.
func Parse(pattern string) (Layout, error) {
	if pattern == "" {
		return Layout{}, errors.New("the timestamp layout is empty")
	}
	l := Layout{pattern: pattern}
	for i := 0; i < len(pattern); {
		c := pattern[i]
		switch {
		case c == '\'':
			end := strings.IndexByte(pattern[i+1:], '\'')
			if end < 0 {
				return Layout{}, errors.New("unterminated quote in the timestamp layout")
			}
			lit := pattern[i+1 : i+1+end]
			if lit == "" {
				lit = "'"
			}
			l.toks = append(l.toks, token{f: literal, lit: lit})
			l.width += len(lit)
			i += end + 2
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(pattern) && pattern[j] == c {
				j++
			}
			t, ok := letters[pattern[i:j]]
			if !ok {
				return Layout{}, errors.New("unsupported run " + pattern[i:j] + " in the timestamp layout (supported: yyyy yy MM dd HH mm ss SSS)")
			}
			l.toks = append(l.toks, t)
			l.width += t.n
			i = j
		case c >= '0' && c <= '9':
			return Layout{}, errors.New("the timestamp layout is a Java SimpleDateFormat pattern such as yyyyMMddHHmmssSSS, not a Go reference layout (quote literal digits)")
		default:
			l.toks = append(l.toks, token{f: literal, lit: string(c)})
			l.width++
			i++
		}
	}
	return l, nil
}

// String returns the pattern.
func (l Layout) String() string { return l.pattern }

// Append formats t (already in the wanted zone) onto b.
func (l Layout) Append(b []byte, t time.Time) []byte {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	for _, tk := range l.toks {
		var v int
		switch tk.f {
		case literal:
			b = append(b, tk.lit...)
			continue
		case year4:
			v = y
		case year2:
			v = y % 100
		case month:
			v = int(mo)
		case day:
			v = d
		case hour:
			v = h
		case minute:
			v = mi
		case second:
			v = s
		case millis:
			v = t.Nanosecond() / int(time.Millisecond)
		}
		b = appendInt(b, v, tk.n)
	}
	return b
}

// Format formats t (already in the wanted zone).
func (l Layout) Format(t time.Time) string {
	return string(l.Append(make([]byte, 0, l.width), t))
}

func appendInt(b []byte, v, width int) []byte {
	var buf [8]byte
	i := len(buf)
	for v > 0 || i > len(buf)-width {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		if i == 0 {
			break
		}
	}
	return append(b, buf[i:]...)
}

// ParseIn reads s in layout l, in zone loc. Years written with two digits
// are taken as 20yy.
func (l Layout) ParseIn(s string, loc *time.Location) (time.Time, error) {
	if len(l.toks) == 0 {
		return time.Time{}, errors.New("empty layout")
	}
	y, mo, d, h, mi, sec, ms := 1970, 1, 1, 0, 0, 0, 0
	for _, tk := range l.toks {
		if tk.f == literal {
			if !strings.HasPrefix(s, tk.lit) {
				return time.Time{}, errors.New("the timestamp does not match the layout")
			}
			s = s[len(tk.lit):]
			continue
		}
		if len(s) < tk.n {
			return time.Time{}, errors.New("the timestamp is too short for the layout")
		}
		v := 0
		for i := 0; i < tk.n; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return time.Time{}, errors.New("the timestamp has a non-digit where the layout wants one")
			}
			v = v*10 + int(c-'0')
		}
		s = s[tk.n:]
		switch tk.f {
		case year4:
			y = v
		case year2:
			y = 2000 + v
		case month:
			mo = v
		case day:
			d = v
		case hour:
			h = v
		case minute:
			mi = v
		case second:
			sec = v
		case millis:
			ms = v
		}
	}
	if s != "" {
		return time.Time{}, errors.New("the timestamp is longer than the layout")
	}
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, errors.New("the timestamp has an out-of-range field")
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ms*int(time.Millisecond), loc)
	if t.Day() != d {
		return time.Time{}, errors.New("the timestamp names a day the month does not have")
	}
	return t, nil
}
