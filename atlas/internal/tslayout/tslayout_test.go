package tslayout

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatAndParse(t *testing.T) {
	t.Parallel()
	ist := time.FixedZone("IST", 19800)
	at := time.Date(2024, 1, 31, 23, 59, 59, 123_456_789, ist)
	tests := []struct{ pattern, want string }{
		{"yyyyMMddHHmmssSSS", "20240131235959123"},
		{"ddMMyyyyHHmmss", "31012024235959"},
		{"yyyy-MM-dd'T'HH:mm:ss.SSS", "2024-01-31T23:59:59.123"},
		{"yyMMdd", "240131"},
		{"'at' HH''mm", "at 23'59"},
	}
	for _, tt := range tests {
		l, err := Parse(tt.pattern)
		require.NoError(t, err, tt.pattern)
		assert.Equal(t, tt.want, l.Format(at), tt.pattern)
		back, err := l.ParseIn(tt.want, ist)
		require.NoError(t, err, tt.pattern)
		assert.Equal(t, l.Format(at), l.Format(back), "round trip")
	}
	l, _ := Parse("yyyyMMddHHmmssSSS")
	zero := time.Date(2001, 2, 3, 4, 5, 6, 7_000_000, time.UTC)
	assert.Equal(t, "20010203040506007", l.Format(zero), "zero-padded")
}

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"", "20060102150405", "yyyyMMddhhmmss", "yyyyMMddHHmmssSS", "EEE yyyy", "'open"} {
		_, err := Parse(p)
		assert.Error(t, err, p)
	}
	l, _ := Parse("yyyyMMddHHmmssSSS")
	for _, s := range []string{"", "2024013123595912", "202401312359591234", "2024013123595x123", "20240231120000000", "20241331120000000"} {
		_, err := l.ParseIn(s, time.UTC)
		assert.Error(t, err, s)
	}
}

func FuzzLayout(f *testing.F) {
	f.Add("yyyyMMddHHmmssSSS", "20240131235959123")
	f.Add("ddMMyyyyHHmmss", "31012024235959")
	f.Add("yy-'x'MM", "24-x01")
	f.Fuzz(func(t *testing.T, pattern, value string) {
		l, err := Parse(pattern)
		if err != nil {
			return
		}
		tm, err := l.ParseIn(value, time.UTC)
		if err != nil {
			return
		}
		_ = l.Format(tm)
	})
}
