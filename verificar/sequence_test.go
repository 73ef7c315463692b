package verificar

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Madrid on every test machine

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

func TestSequenceFromUltimaActualizacion(t *testing.T) {
	t.Parallel()
	cest, cet := time.FixedZone("CEST", 2*3600), time.FixedZone("CET", 3600)
	tests := []struct {
		name, in string
		want     int64
	}{
		{"documented sample, summer", "2021-10-10 10:10", time.Date(2021, 10, 10, 10, 10, 0, 0, cest).UnixMilli()},
		{"winter", "2021-12-01 09:30", time.Date(2021, 12, 1, 9, 30, 0, 0, cet).UnixMilli()},
		{"with seconds", "2021-10-10 10:10:42", time.Date(2021, 10, 10, 10, 10, 42, 0, cest).UnixMilli()},
		{"spaces around", " 2021-10-10 10:10 ", time.Date(2021, 10, 10, 10, 10, 0, 0, cest).UnixMilli()},
		{"absent", "", 0},
		{"another layout", "10/10/2021 10:10", 0},
		{"ISO 8601", "2021-10-10T10:10:00Z", 0},
		{"not a date", "ayer", 0},
		{"impossible date", "2021-02-30 10:10", 0},
		{"year zero", "0000-01-01 00:00", 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, sequence(tt.in), tt.name)
	}
}

// TestParseSpanishWithoutTimeZoneDatabase: the EU rule gives the instant
// the time zone database gives, for every wall-clock time of two years
// but the hours of the changes.
func TestParseSpanishWithoutTimeZoneDatabase(t *testing.T) {
	t.Parallel()
	madrid, err := time.LoadLocation("Europe/Madrid")
	require.NoError(t, err)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for wall := start; wall.Year() < 2027; wall = wall.Add(37 * time.Minute) {
		s := wall.Format(SendAtLayout)
		want, err := time.ParseInLocation(SendAtLayout, s, madrid)
		require.NoError(t, err)
		if h := wall.Hour(); (wall.Month() == time.March || wall.Month() == time.October) && wall.Weekday() == time.Sunday && wall.Day() > 24 && h >= 1 && h <= 3 {
			continue // the hour that does not exist, or exists twice
		}
		got, err := parseSpanish(SendAtLayout, s, nil)
		require.NoError(t, err)
		assert.True(t, got.Equal(want), "%s: %v, want %v", s, got, want)
	}
}

// report is a signed Mensatek report of Estado for request 299846332,
// updated at (UltimaActualizacion; "" leaves it out).
func reportRequest(estado, at, result string) *http.Request {
	body := `{"Servicio":"VERIFICACION_IDENTIDAD","ID":"299846332","Estado":"` + estado + `"`
	if at != "" {
		body += `,"UltimaActualizacion":"` + at + `"`
	}
	if result != "" {
		body += `,"Result":` + result
	}
	body += "}"
	r := httptest.NewRequest(http.MethodPost, "/hooks/verificar", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return signed(r)
}

// TestOlderFinalVerdictDoesNotFlip: through a kyc.WebhookMux with a
// kyc.MemoryStore, a final verdict re-delivered after a newer one leaves
// the newer one stored; without UltimaActualizacion the first stays, and
// the second is a conflict.
func TestOlderFinalVerdictDoesNotFlip(t *testing.T) {
	t.Parallel()
	const approved = `{"Resultado":"95","PruebaDeVida":"Si"}`
	type delivery struct{ estado, at, result string }
	tests := []struct {
		name       string
		deliveries []delivery
		want       kyc.Status
		applied    []kyc.Applied
	}{
		{"5001 at 10:10, 5500 at 10:12, the 5001 again",
			[]delivery{{"5001", "2021-10-10 10:10", approved}, {"5500", "2021-10-10 10:12", ""}, {"5001", "2021-10-10 10:10", approved}},
			kyc.StatusRejected, []kyc.Applied{kyc.AppliedStored, kyc.AppliedStored, kyc.AppliedUnchanged}},
		{"the newer arrives first",
			[]delivery{{"5500", "2021-10-10 10:12", ""}, {"5001", "2021-10-10 10:10", approved}},
			kyc.StatusRejected, []kyc.Applied{kyc.AppliedStored, kyc.AppliedUnchanged}},
		{"progress after the verdict",
			[]delivery{{"5001", "2021-10-10 10:10", approved}, {"3001", "2021-10-10 10:12", ""}},
			kyc.StatusApproved, []kyc.Applied{kyc.AppliedStored, kyc.AppliedUnchanged}},
		{"no UltimaActualizacion: the first stays",
			[]delivery{{"5001", "", approved}, {"5500", "", ""}, {"5001", "", approved}},
			kyc.StatusApproved, []kyc.Applied{kyc.AppliedStored, kyc.AppliedConflict, kyc.AppliedUnchanged}},
		{"malformed UltimaActualizacion: the first stays",
			[]delivery{{"5001", "10/10/2021 10:10", approved}, {"5500", "10/10/2021 10:12", ""}},
			kyc.StatusApproved, []kyc.Applied{kyc.AppliedStored, kyc.AppliedConflict}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _ := webhookClient(t, nil)
			store := kyc.NewMemoryStore(0)
			var applied []kyc.Applied
			mux, err := kyc.NewWebhookMux(func(context.Context, *kyc.Event) error { return nil },
				kyc.WithResultStore(store),
				kyc.ObserveApply(func(_ context.Context, info kyc.ApplyInfo) { applied = append(applied, info.Applied) }))
			require.NoError(t, err)
			mux.Handle("/hooks/verificar", c)
			for i, d := range tt.deliveries {
				w := httptest.NewRecorder()
				mux.ServeHTTP(w, reportRequest(d.estado, d.at, d.result))
				require.Equal(t, http.StatusOK, w.Code, "delivery %d: %s", i, w.Body.String())
			}
			res, err := store.Get(context.Background(), "verificar:299846332")
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Status)
			assert.Equal(t, tt.applied, applied)
		})
	}
}
