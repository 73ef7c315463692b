package verificar

import (
	"strings"
	"time"
)

// sequenceLayouts are the forms of UltimaActualizacion read: the
// documented one (SendAtLayout, as Fecha and FechaEnvio), and the same with
// seconds (the form of Acceso's Fecha), in case a report carries them.
var sequenceLayouts = []string{SendAtLayout, "2006-01-02 15:04:05"}

// sequence is a report's kyc.Result.Sequence: UltimaActualizacion, read in
// Spanish peninsular time, as Unix milliseconds; 0 when it is absent or
// malformed, or not after 2000 (no order then: the first final verdict
// stays).
func sequence(s string) int64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	for _, layout := range sequenceLayouts {
		t, err := parseMadrid(layout, s)
		if err != nil {
			continue
		}
		if t.Year() < 2000 {
			return 0
		}
		return t.UnixMilli()
	}
	return 0
}

// parseMadrid parses s as a wall-clock time of Spain's peninsular zone:
// in Europe/Madrid from the time zone database when there is one, else by
// the EU summer-time rule (euZone), as FormatSendAt does.
func parseMadrid(layout, s string) (time.Time, error) { return parseSpanish(layout, s, madridLoc()) }

// parseSpanish is parseMadrid with Europe/Madrid given, or nil for the EU
// rule.
func parseSpanish(layout, s string, loc *time.Location) (time.Time, error) {
	if loc != nil {
		return time.ParseInLocation(layout, s, loc)
	}
	wall, err := time.ParseInLocation(layout, s, time.UTC)
	if err != nil {
		return time.Time{}, err
	}
	// The wall clock read as UTC is one or two hours after the instant;
	// the zone of the instant an hour earlier is right but for the hour
	// of the change itself.
	_, off := wall.Add(-time.Hour).In(euZone(wall.Add(-time.Hour))).Zone()
	return wall.Add(-time.Duration(off) * time.Second), nil
}
