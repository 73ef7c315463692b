package kyc

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// phonePlan is one row of the generated numbering-plan table
// (phones_gen.go): a region of libphonenumber reduced to its general
// description, enough to normalise a number and check its shape.
type phonePlan struct {
	region    string // ISO 3166-1 alpha-2, or "001" for a non-geographic code
	code      uint16 // the country calling code
	idd       string // the international prefix dialled from the region, a pattern
	prefix    string // the national prefix as libphonenumber parses it, a pattern
	transform string // what replaces a prefix match with a group, or ""
	lengths   string // the national number lengths, one byte each
	pattern   string // the national numbers, a pattern
	example   string // an example mobile number, international form without '+'
	national  string // the same number in national form, digits only
}

// phoneRegexps holds each plan's patterns, compiled on first use: a program
// that never parses a phone compiles none.
var phoneRegexps [len(phonePlans)]struct {
	once                sync.Once
	idd, prefix, number *regexp.Regexp
}

// compiledPlan returns plan i's patterns: idd and prefix anchored at the
// start (nil when the plan has none), number anchored at both ends. The
// generator compiled every pattern, so MustCompile cannot panic.
func compiledPlan(i int) (idd, prefix, number *regexp.Regexp) {
	r := &phoneRegexps[i]
	r.once.Do(func() {
		p := &phonePlans[i]
		if p.idd != "" {
			r.idd = regexp.MustCompile("^(?:" + p.idd + ")")
		}
		if p.prefix != "" {
			r.prefix = regexp.MustCompile("^(?:" + p.prefix + ")")
		}
		r.number = regexp.MustCompile("^(?:" + p.pattern + ")$")
	})
	return r.idd, r.prefix, r.number
}

// findPhonePlan returns the index of region's plan, or -1.
func findPhonePlan(region string) int {
	for i := range phonePlans {
		if phonePlans[i].region == region {
			return i
		}
	}
	return -1
}

// codePlans returns the index range of the plans of a country calling code.
func codePlans(code uint16) (lo, hi int) {
	lo = len(phonePlans)
	for i := range phonePlans {
		if phonePlans[i].code == code {
			if i < lo {
				lo = i
			}
			hi = i + 1
		}
	}
	if hi == 0 {
		return 0, 0
	}
	return lo, hi
}

// validNational reports whether nsn is a national number of some plan of
// code: one of its lengths and its pattern.
func validNational(code uint16, nsn string) bool {
	if nsn == "" {
		return false
	}
	lo, hi := codePlans(code)
	for i := lo; i < hi; i++ {
		if strings.IndexByte(phonePlans[i].lengths, byte(len(nsn))) < 0 {
			continue
		}
		if _, _, number := compiledPlan(i); number.MatchString(nsn) {
			return true
		}
	}
	return false
}

// stripNationalPrefix removes plan i's national prefix from nsn, as
// libphonenumber does (applying the transform rule when the prefix
// captured a group). It reports false when nsn does not start with one.
func stripNationalPrefix(i int, nsn string) (string, bool) {
	_, prefix, _ := compiledPlan(i)
	if prefix == nil {
		return "", false
	}
	m := prefix.FindStringSubmatchIndex(nsn)
	if m == nil || m[1] == 0 {
		return "", false
	}
	rest := nsn[m[1]:]
	if t := phonePlans[i].transform; t != "" && len(m) > 2 && m[len(m)-1] > m[len(m)-2] {
		return string(prefix.ExpandString(nil, t, nsn, m)) + rest, true
	}
	return rest, true
}

// nationalForm returns nsn as a national number of code, read with the
// national prefix of plan i removed when that leaves a valid number (as
// libphonenumber reads it), or false.
func nationalForm(i int, nsn string) (string, bool) {
	code := phonePlans[i].code
	if s, ok := stripNationalPrefix(i, nsn); ok && validNational(code, s) {
		return s, true
	}
	if validNational(code, nsn) {
		return nsn, true
	}
	return "", false
}

// internationalPhone returns digits, the country calling code then the
// number, in E.164 form when the table accepts it.
func internationalPhone(digits string) (string, bool) {
	for n := 1; n <= 3 && n < len(digits); n++ {
		if digits[0] == '0' {
			break
		}
		c, _ := strconv.Atoi(digits[:n])
		code := uint16(c)
		lo, hi := codePlans(code)
		if lo == hi {
			continue
		}
		nsn, ok := nationalForm(lo, digits[n:]) // the code's main region
		if !ok {
			return "", false
		}
		return "+" + digits[:n] + nsn, true
	}
	return "", false
}

// nationalPhone returns digits, dialled in plan home's region, in E.164
// form when the table accepts it: after the region's international prefix
// ("0034600000001" in Spain), as a national number ("600000001", "07400
// 123456" in the United Kingdom), or as the international form without
// its '+' ("34600000001").
func nationalPhone(home int, digits string) (string, bool) {
	p := &phonePlans[home]
	cc := strconv.Itoa(int(p.code))
	if idd, _, _ := compiledPlan(home); idd != nil {
		if m := idd.FindStringIndex(digits); m != nil && m[1] > 0 && m[1] < len(digits) && digits[m[1]] != '0' {
			if e164, ok := internationalPhone(digits[m[1]:]); ok {
				return e164, true
			}
		}
	}
	if nsn, ok := nationalForm(home, digits); ok {
		return "+" + cc + nsn, true
	}
	if rest, found := strings.CutPrefix(digits, cc); found {
		if nsn, ok := nationalForm(home, rest); ok {
			return "+" + cc + nsn, true
		}
	}
	return "", false
}
