package atlas

import (
	"strings"
	"unicode"
)

type nameMatch int

const (
	namesMatch   nameMatch = iota // the same tokens, in any order
	namesPartial                  // one name's tokens all found in the other's (a missing middle name, initials)
	namesDiffer
)

// honorifics are dropped before names are compared; the registry adds
// titles ("SHRI") that callers seldom give.
var honorifics = map[string]bool{"MR": true, "MRS": true, "MS": true, "MISS": true, "DR": true,
	"SHRI": true, "SRI": true, "SMT": true, "KUMARI": true, "KUM": true}

func nameTokens(s string) []string {
	f := strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := f[:0]
	for _, t := range f {
		if !honorifics[t] {
			out = append(out, t)
		}
	}
	return out
}

// matchNames compares a name the caller gave with the registry's, ignoring
// case, punctuation, titles and word order.
func matchNames(given, registry string) nameMatch {
	a, b := nameTokens(given), nameTokens(registry)
	if len(a) == 0 || len(b) == 0 {
		return namesDiffer
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	used := make([]bool, len(b))
	exact := 0
	// Exact tokens first, then initials, so "R KUMAR" pairs KUMAR exactly.
	for pass := 0; pass < 2; pass++ {
		for i, t := range a {
			if t == "" {
				continue
			}
			for j, u := range b {
				if used[j] {
					continue
				}
				if pass == 0 && t == u || pass == 1 && (len(t) == 1 && strings.HasPrefix(u, t) || len(u) == 1 && strings.HasPrefix(t, u)) {
					used[j] = true
					if pass == 0 {
						exact++
					}
					a[i] = ""
					break
				}
			}
		}
	}
	for _, t := range a {
		if t != "" {
			return namesDiffer
		}
	}
	if exact == len(a) && len(a) == len(b) {
		return namesMatch
	}
	if exact == 0 {
		return namesDiffer
	}
	return namesPartial
}
