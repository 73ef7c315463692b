// Package phone checks phone numbers fully, against libphonenumber's
// numbering plans (github.com/nyaruka/phonenumbers): the number must be
// one a plan assigns to a type of line (fixed, mobile, toll-free, …), not
// only have its shape.
//
// The root package kyc checks phones against a compact table generated from
// the same metadata (kyc.NormalizePhone, kyc.IsPhone, Request.Validate):
// country calling codes, national prefixes, national number lengths and the
// pattern of each plan's general description. That is enough to normalise
// a number and refuse most mistakes, and it spares every program that
// imports kyc libphonenumber's 2.5 MB and 8.5 ms of start-up. Import this
// package where a wrong number costs something, as before texting it
// (the verificar package does): it adds the per-type check the compact
// table leaves out, at that cost.
package phone

import (
	"errors"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/kyc-go/kyc"
)

// Normalize returns number in E.164 form, as kyc.NormalizePhone does (the
// same forms accepted, the same *kyc.Error refusals, named "phone.Normalize"),
// and refuses in addition a number that libphonenumber does not hold valid:
// one whose digits fit its plan's general shape but no type of line of it.
// country is an ISO 3166-1 alpha-3 code, as Request.Country, or "".
func Normalize(number, country string) (string, error) {
	const op = "phone.Normalize"
	e164, err := kyc.NormalizePhone(number, country)
	if err != nil {
		var kerr *kyc.Error
		if errors.As(err, &kerr) {
			c := *kerr
			c.Op = op
			return "", &c
		}
		return "", err
	}
	if valid(e164) {
		return e164, nil
	}
	region := ""
	if country != "" {
		region, _ = kyc.CountryAlpha2(country)
		// libphonenumber may read a national number otherwise than the
		// compact table (a national prefix it keeps, say).
		if num, err := phonenumbers.Parse(number, region); err == nil && num.GetExtension() == "" && phonenumbers.IsValidNumber(num) {
			return phonenumbers.Format(num, phonenumbers.E164), nil
		}
	}
	msg := "not a number in service by libphonenumber's numbering plan"
	if ex := example(region); ex != "" {
		msg += ": give a number in use, such as " + ex
	}
	return "", &kyc.Error{Op: op, Kind: kyc.ErrInvalidRequest, Field: kyc.FieldPhone, Message: msg,
		NotSent: true, Unprocessed: true}
}

// IsValid reports whether s is a phone number in E.164 form, with or without
// its leading '+' (as kyc.IsPhone), that libphonenumber holds valid.
func IsValid(s string) bool {
	return kyc.IsPhone(s) && valid("+"+strings.TrimPrefix(s, "+"))
}

func valid(e164 string) bool {
	num, err := phonenumbers.Parse(e164, phonenumbers.UNKNOWN_REGION)
	return err == nil && phonenumbers.IsValidNumber(num)
}

// example is libphonenumber's example mobile number of region in E.164
// form, or "".
func example(region string) string {
	if region == "" {
		return ""
	}
	num := phonenumbers.GetExampleNumberForType(region, phonenumbers.MOBILE)
	if num == nil {
		return ""
	}
	return phonenumbers.Format(num, phonenumbers.E164)
}
