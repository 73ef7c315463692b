package tolerant

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type decInner struct {
	Code string `wire:"code"`
	N    int    `wire:"n"`
}

type decOuter struct {
	Name     string          `wire:"name"`
	OK       bool            `wire:"ok"`
	Count    int             `wire:"count"`
	Score    float64         `wire:"score,valid=HasScore"`
	HasScore bool            // set by the valid option
	Res      float64         `wire:"res,signed"`
	Inner    *decInner       `wire:"inner"`
	Nested   decInner        `wire:"nested,nested"`
	One      decInner        `wire:"one,one"`
	List     []decInner      `wire:"list"`
	Tags     []string        `wire:"tags"`
	Raw      json.RawMessage `wire:"raw"`
	Plain    map[string]int  `wire:"plain"`
	Untagged string
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       decOuter
		err        bool
	}{
		{name: "loose scalars", body: `{"name":123,"ok":"si","count":"7","score":"0,5","res":"-7"}`,
			want: decOuter{Name: "123", OK: true, Count: 7, Score: 0.5, HasScore: true, Res: -7}},
		{name: "nulls", body: `{"name":null,"ok":null,"count":null,"score":null,"inner":null,"list":null}`,
			want: decOuter{}},
		{name: "blank score is absent", body: `{"score":" "}`, want: decOuter{}},
		{name: "nested structs", body: `{"inner":{"code":1},"nested":"{\"code\":\"x\"}","one":[{"n":"2"}],"list":[{"code":"a"},{"n":3}]}`,
			want: decOuter{Inner: &decInner{Code: "1"}, Nested: decInner{Code: "x"}, One: decInner{N: 2},
				List: []decInner{{Code: "a"}, {N: 3}}}},
		{name: "slices, raw and maps", body: `{"tags":["a",1],"raw":{"x": 1},"plain":{"a":1}}`,
			want: decOuter{Tags: []string{"a", "1"}, Raw: json.RawMessage(`{"x": 1}`), Plain: map[string]int{"a": 1}}},
		{name: "last key wins", body: `{"name":"a","name":"b"}`, want: decOuter{Name: "b"}},
		{name: "the last folded key wins, as in encoding/json", body: `{"name":"a","NAME":"b"}`, want: decOuter{Name: "b"}},
		{name: "an exact key after a folded one", body: `{"NAME":"b","name":"a"}`, want: decOuter{Name: "a"}},
		{name: "folded matches", body: `{"NaMe":"a"}`, want: decOuter{Name: "a"}},
		{name: "untagged is left", body: `{"Untagged":"x"}`, want: decOuter{}},
		{name: "object for a string", body: `{"name":{}}`, err: true},
		{name: "not an object", body: `[1]`, err: true},
		{name: "empty", body: ``, err: true},
		{name: "null", body: `null`, err: true},
		{name: "trailing data", body: `{} {}`, err: true},
		{name: "a stray brace after the object", body: `{"name":"a"}}`, err: true},
		{name: "a stray bracket after the object", body: `{"name":"a"}]`, err: true},
		{name: "bad signed", body: `{"res":"+80"}`, err: true},
		{name: "bad number", body: `{"score":"abc"}`, err: true},
		{name: "empty one", body: `{"one":[]}`, err: true},
		{name: "truncated", body: `{"name":"a"`, err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got decOuter
			err := Decode([]byte(tc.body), &got)
			if tc.err {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestDecodeNullKeepsADefault(t *testing.T) {
	got := decOuter{Name: "kept", OK: true, Count: 3, Score: 1, HasScore: true}
	require.NoError(t, Decode([]byte(`{"name":null,"ok":null,"count":null,"score":null}`), &got))
	assert.Equal(t, decOuter{Name: "kept", OK: true, Count: 3, Score: 1, HasScore: false}, got,
		"null leaves a field set before Decode, and says the valid field's value is absent")
	require.NoError(t, Decode([]byte(`{"ok":false,"name":""}`), &got))
	assert.False(t, got.OK, "a value sent replaces the default")
	assert.Empty(t, got.Name)
}

type decMeta struct {
	Code string `wire:"code"`
}

// DecPtr is exported so that Decode may allocate it when embedded.
type DecPtr struct {
	Code string `wire:"code"`
	N    int    `wire:"n"`
}

type decEnvelope struct {
	decMeta
	*DecPtr
	Data json.RawMessage `wire:"data"`
	// N is read by the outer struct too, as a string this time.
	Both string `wire:"n"`
}

func TestDecodeEmbedded(t *testing.T) {
	var got decEnvelope
	require.NoError(t, Decode([]byte(`{"code":7,"n":"3","data":{"x":1}}`), &got))
	assert.Equal(t, "7", got.decMeta.Code, "an embedded struct is filled from the same object")
	require.NotNil(t, got.DecPtr, "an embedded pointer is allocated")
	assert.Equal(t, DecPtr{Code: "7", N: 3}, *got.DecPtr)
	assert.Equal(t, "3", got.Both, "an outer field of the same key is filled too")
	assert.JSONEq(t, `{"x":1}`, string(got.Data))
	require.Error(t, Decode([]byte(`{"code":{}}`), &got), "an embedded field's wrong shape is an error")

	var unexported struct {
		*decInner
		Name string `wire:"name"`
	}
	require.NoError(t, Decode([]byte(`{"code":1,"name":"x"}`), &unexported))
	assert.Nil(t, unexported.decInner, "an embedded pointer of an unexported type cannot be allocated: left nil, no panic")
	assert.Equal(t, "x", unexported.Name)
}

func TestDecodeWantsAStructPointer(t *testing.T) {
	var s string
	require.Error(t, Decode([]byte(`{}`), &s))
	require.Error(t, Decode([]byte(`{}`), nil))
	require.Error(t, Decode([]byte(`{}`), decOuter{}))
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"name":1,"inner":{"code":2},"list":[{}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var v decOuter
		_ = Decode(b, &v) // must not panic
		var e decEnvelope
		_ = Decode(b, &e)
	})
}
