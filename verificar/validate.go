package verificar

import (
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kyc-go/kyc"
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
	phone := strings.TrimPrefix(r.Phone, "+")
	switch {
	case r.Phone == "":
		return sendBody{}, c.tc.Invalid(op, f.phone, "required")
	case !kyc.IsPhone(phone) || strings.HasPrefix(phone, "+"):
		return sendBody{}, c.tc.Invalid(op, f.phone, "international form, digits only: country code and number, 8 to 15 digits")
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

// text checks a free-text parameter and returns what is wrong with it.
func text(s string, limit int, newlines bool) string {
	if len(s) > limit {
		return "too long"
	}
	if !utf8.ValidString(s) {
		return "not valid UTF-8"
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(newlines && r == '\n') {
			return "contains control characters"
		}
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
