package verificar

import (
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/internal/transport"
	"github.com/kyc-go/kyc/phone"
)

// Limits of the /VerificarIdentidad parameters checked before sending.
const (
	// MaxSender is the documented maximum length of Remitente, in
	// characters.
	MaxSender = 11
	// LinkPlaceholder must appear in Mensaje; Mensatek replaces it by the
	// access link.
	LinkPlaceholder = "[LINK]"
	// SendAtLayout is the documented layout of Fecha, in Spanish time.
	SendAtLayout = "2006-01-02 15:04"
)

// fieldNames names SendRequest's fields in errors: by their own names for
// SendVerification, by kyc.Request's for Verify.
type fieldNames struct{ phone, message, dni, sendAt, sender string }

var (
	sendFields   = fieldNames{"Phone", "Message", "DNI", "SendAt", "Sender"}
	verifyFields = fieldNames{string(kyc.FieldPhone), "Link.Message", string(kyc.FieldDocumentNumber), "Link.SendAt", "Link.Sender"}
)

// sendBody validates r and builds the documented body. Nothing is sent when
// it fails.
func (c *Client) sendBody(op string, r SendRequest, f fieldNames) (sendBody, error) {
	phone, msg := telefono(r.Phone)
	if msg != "" {
		return sendBody{}, c.tc.Invalid(op, f.phone, msg)
	}
	if r.Message != "" {
		if err := text(r.Message, kyc.MaxMessageLength, true); err != "" {
			return sendBody{}, c.tc.Invalid(op, f.message, err)
		}
		if !strings.Contains(r.Message, LinkPlaceholder) {
			return sendBody{}, c.tc.Invalid(op, f.message, "must contain [LINK], which Mensatek replaces by the access link")
		}
	}
	if err := text(r.Sender, 4*MaxSender, false); err != "" {
		return sendBody{}, c.tc.Invalid(op, f.sender, err)
	}
	if utf8.RuneCountInString(r.Sender) > MaxSender {
		return sendBody{}, c.tc.Invalid(op, f.sender, "at most 11 characters")
	}
	if err := text(r.DNI, kyc.MaxNumberLength, false); err != "" {
		return sendBody{}, c.tc.Invalid(op, f.dni, err)
	}
	b := sendBody{Mensaje: r.Message, Dni: strings.TrimSpace(r.DNI), Remitente: r.Sender, Telefono: phone, Resp: "JSON"}
	if !r.SendAt.IsZero() {
		b.Fecha = FormatSendAt(r.SendAt)
	}
	return b, nil
}

// phoneForm is the form Telefono takes, for the messages of telefono.
const phoneForm = "the international number, country code first, digits only, such as 34600000001 (a leading + is accepted)"

// telefono turns a phone number into Mensatek's Telefono form ("34600000001",
// the Telefono example of https://www.mensatek.com/api-verificacion-identidad-en.html): the international number, digits only.
// It accepts E.164 ("+34600000001") and drops the '+'. It returns what is
// wrong otherwise, so that a number Mensatek would text wrongly, or not at
// all, costs no credit:
//   - a national number: 9 digits starting with 6, 7, 8 or 9 without '+' is
//     Spain's numbering plan without the country code 34. (The only
//     international numbers of that shape belong to a few Pacific states;
//     give those with '+'.)
//   - a number starting with 0: a trunk prefix or the international prefix
//     00, which no country code starts with.
//   - separators, letters, or fewer than 8 or more than 15 digits (E.164).
//   - a number that libphonenumber does not hold valid (phone.IsValid).
func telefono(s string) (string, string) {
	if s == "" {
		return "", "required"
	}
	plus := strings.HasPrefix(s, "+")
	d := strings.TrimPrefix(s, "+")
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return "", "digits only, no spaces or separators: " + phoneForm
		}
	}
	switch {
	case strings.HasPrefix(d, "0"):
		return "", "starts with 0 (a trunk or international prefix): " + phoneForm
	case !plus && len(d) == 9 && strings.IndexByte("6789", d[0]) >= 0:
		return "", "a national number without its country code: " + phoneForm
	case len(d) < 8 || len(d) > 15:
		return "", "8 to 15 digits with the country code: " + phoneForm
	case !phone.IsValid(d):
		return "", "not a number in service by libphonenumber's numbering plans: " + phoneForm
	}
	return d, ""
}

// text checks a free-text parameter and returns what is wrong with it.
// newlines allows '\n' (an SMS may have several lines).
func text(s string, limit int, newlines bool) string {
	if len(s) > limit {
		return "too long"
	}
	if newlines {
		s = strings.ReplaceAll(s, "\n", "")
	}
	if !transport.SafeText(s) {
		return "contains control characters or invalid UTF-8"
	}
	return ""
}

// FormatSendAt formats t as Mensatek's Fecha: "2006-01-02 15:04" in Spanish
// peninsular time (CET/CEST), whatever t's location.
func FormatSendAt(t time.Time) string {
	return inMadrid(t).Format(SendAtLayout)
}

// madridLoc is Europe/Madrid from the system's or Go's time zone database,
// or nil on a machine with neither (a scratch container). This package does
// not import time/tzdata, to spare every binary its 450 KB: inMadrid falls
// back to the EU summer-time rule instead.
var madridLoc = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		return nil
	}
	return loc
})

func inMadrid(t time.Time) time.Time {
	if loc := madridLoc(); loc != nil {
		return t.In(loc)
	}
	return t.In(euZone(t))
}

var (
	cet  = time.FixedZone("CET", 3600)
	cest = time.FixedZone("CEST", 7200)
)

// euZone is Spain's peninsular zone at t by the EU rule it has followed
// since 1996: summer time from 01:00 UTC on the last Sunday of March to
// 01:00 UTC on the last Sunday of October.
func euZone(t time.Time) *time.Location {
	u := t.UTC()
	start := lastSunday(u.Year(), time.March).Add(time.Hour)
	end := lastSunday(u.Year(), time.October).Add(time.Hour)
	if !u.Before(start) && u.Before(end) {
		return cest
	}
	return cet
}

// lastSunday is midnight UTC of the last Sunday of month m.
func lastSunday(y int, m time.Month) time.Time {
	d := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC) // last day of m
	return d.AddDate(0, 0, -int(d.Weekday()))
}
