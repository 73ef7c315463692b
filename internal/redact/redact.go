// Package redact removes personal data and credentials from text that may end
// up in an error string or a log line: vendor messages and excerpts of
// response bodies.
//
// It is deliberately blunt. Error strings are read by operators, not parsed,
// so losing a digit of a harmless number costs nothing, while leaking a phone
// number, an ID number or a token is the failure we guard against.
package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxMessage is the longest vendor message kept in an error string.
const MaxMessage = 200

// MaxExcerpt is the longest body excerpt kept in an error string.
const MaxExcerpt = 256

// Message cleans a free-form vendor message: runs of four or more digits
// (phone, ID and account numbers, dates) become '#', e-mail addresses become
// "[email]", long unbroken tokens (base64, JWTs, keys) become "[token]",
// control characters are dropped and the result is cut to MaxMessage bytes.
func Message(s string) string {
	return clean(s, MaxMessage)
}

// Excerpt cleans a response body for an error: for JSON-looking bodies every
// string value is replaced by "***" (keys are kept, so the shape stays
// readable); then Message's rules apply and the result is cut to MaxExcerpt
// bytes.
func Excerpt(body []byte) string {
	if len(body) > 4*MaxExcerpt {
		body = body[:4*MaxExcerpt]
	}
	s := string(body)
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		s = maskJSONStrings(s)
	}
	return clean(s, MaxExcerpt)
}

// maskJSONStrings replaces the contents of every JSON string that is not an
// object key. It tolerates truncated and malformed input.
func maskJSONStrings(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '"' {
			b.WriteByte(c)
			i++
			continue
		}
		// Find the end of the string literal.
		j := i + 1
		for j < len(s) && s[j] != '"' {
			if s[j] == '\\' {
				j++
			}
			j++
		}
		end := j + 1
		if end > len(s) {
			end = len(s)
		}
		k := end
		for k < len(s) && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r') {
			k++
		}
		if k < len(s) && s[k] == ':' {
			b.WriteString(s[i:end]) // a key
		} else {
			b.WriteString(`"***"`)
		}
		i = end
	}
	return b.String()
}

func clean(s string, limit int) string {
	var b strings.Builder
	b.Grow(min(len(s), limit+16))
	fields := splitKeep(s)
	for _, f := range fields {
		switch {
		case strings.Contains(f, "@") && strings.Contains(f, "."):
			b.WriteString("[email]")
		case len(f) >= 24 && isTokenLike(f):
			b.WriteString("[token]")
		default:
			writeMaskedDigits(&b, f)
		}
		if b.Len() > limit {
			break
		}
	}
	out := b.String()
	if len(out) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut--
		}
		out = out[:cut] + "…"
	}
	return out
}

// splitKeep splits s into alternating runs of space and non-space, keeping
// both, and drops control characters.
func splitKeep(s string) []string {
	var out []string
	start := 0
	inSpace := false
	for i, r := range s {
		sp := unicode.IsSpace(r)
		if i == 0 {
			inSpace = sp
			continue
		}
		if sp != inSpace {
			out = append(out, s[start:i])
			start, inSpace = i, sp
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	for i, f := range out {
		out[i] = strings.Map(func(r rune) rune {
			if r == ' ' {
				return r
			}
			if unicode.IsControl(r) {
				if r == '\n' || r == '\t' {
					return ' '
				}
				return -1
			}
			return r
		}, f)
	}
	return out
}

func isTokenLike(s string) bool {
	for _, r := range s {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("+/=_-.", r))) {
			return false
		}
	}
	return true
}

func writeMaskedDigits(b *strings.Builder, s string) {
	run := 0
	flush := func(seg string) {
		if run >= 4 {
			b.WriteString(strings.Repeat("#", run))
		} else {
			b.WriteString(seg)
		}
		run = 0
	}
	segStart := -1
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			if run == 0 {
				segStart = i
			}
			run++
			continue
		}
		if run > 0 {
			flush(s[segStart:i])
		}
		b.WriteByte(s[i])
	}
	if run > 0 {
		flush(s[segStart:])
	}
}
