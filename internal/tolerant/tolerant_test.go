package tolerant

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScalars(t *testing.T) {
	t.Parallel()
	var v struct {
		Res  Int    `json:"Res"`
		Cred Float  `json:"Cred"`
		ID   String `json:"ID"`
		Live Bool   `json:"Live"`
		None Float  `json:"None"`
	}
	for _, body := range []string{
		`{"Res":"1","Cred":"12.5","ID":12345,"Live":"Si","None":""}`,
		`{"Res":1,"Cred":12.5,"ID":"12345","Live":true,"None":null}`,
		`{"Res":1.0,"Cred":"12,5","ID":"12345","Live":"1"}`,
	} {
		require.NoError(t, json.Unmarshal([]byte(body), &v), body)
		assert.EqualValues(t, 1, v.Res, body)
		assert.Equal(t, Float{12.5, true}, v.Cred, body)
		assert.EqualValues(t, "12345", v.ID, body)
		assert.True(t, bool(v.Live), body)
		assert.False(t, v.None.Valid, body)
	}
	assert.Error(t, json.Unmarshal([]byte(`{"Res":"one"}`), &v))
	assert.Error(t, json.Unmarshal([]byte(`{"ID":{"a":1}}`), &v))
}

func TestOneAndNested(t *testing.T) {
	t.Parallel()
	var v struct{ Res Int }
	require.NoError(t, One([]byte(` [{"Res":"-3"}]`), &v))
	assert.EqualValues(t, -3, v.Res)
	require.NoError(t, One([]byte(`{"Res":1}`), &v))
	assert.EqualValues(t, 1, v.Res)
	assert.Error(t, One([]byte(`[]`), &v))

	var n struct{ A int }
	require.NoError(t, Nested(json.RawMessage(`"{\"A\":7}"`), &n))
	assert.Equal(t, 7, n.A)
	require.NoError(t, Nested(json.RawMessage(`{"A":8}`), &n))
	assert.Equal(t, 8, n.A)
	require.NoError(t, Nested(json.RawMessage(`""`), &n))
	assert.Equal(t, 8, n.A, "empty leaves v alone")
	assert.Error(t, Nested(json.RawMessage(`"{broken"`), &n))
}

func TestDates(t *testing.T) {
	t.Parallel()
	want := time.Date(1990, 2, 28, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, want, Date("28/02/1990", "02/01/2006"))
	assert.Equal(t, want, Date(" 1990-02-28 ", "02/01/2006", "2006-01-02"))
	assert.True(t, Date("31/02/1990", "02/01/2006").IsZero())
	assert.True(t, Date("", "2006").IsZero())
	assert.Equal(t, want, EpochMillis("636163200000"))
	assert.True(t, EpochMillis("x").IsZero())
}

func TestPercent(t *testing.T) {
	tests := []struct {
		in         string
		x          float64
		number, ok bool
	}{
		{"0", 0, true, true}, {"0.0", 0, true, true}, {"99.9", 99.9, true, true}, {"100", 100, true, true},
		{"100.0", 100, true, true}, {" 96 ", 96, true, true}, {"1e2", 100, true, true}, {"1.0E-4", 0.0001, true, true},
		{"5E+1", 50, true, true},
		{"100.0000001", 0, true, false}, {"101", 0, true, false}, {"-0", 0, true, false}, {"-1", 0, true, false},
		{"1e308", 0, true, false}, {"1e999", 0, true, false}, {"+5", 0, true, false}, {".5", 0, true, false},
		{"5.", 0, true, false}, {"NaN", 0, true, false}, {"Inf", 0, true, false}, {"-Inf", 0, true, false},
		{"infinity", 0, true, false}, {"0x1p6", 0, true, false}, {"1e+-2", 0, false, false}, {"1e", 0, false, false},
		{"", 0, false, false}, {"PASSED", 0, false, false}, {"99,9", 0, false, false}, {"1_0", 0, true, false},
	}
	for _, tt := range tests {
		x, number, ok := Percent(tt.in)
		assert.Equal(t, tt.number, number, "number %q", tt.in)
		assert.Equal(t, tt.ok, ok, "ok %q", tt.in)
		assert.InDelta(t, tt.x, x, 1e-12, tt.in)
	}
}
