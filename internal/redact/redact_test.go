package redact

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMessage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Invalid parameter: phone", "Invalid parameter: phone"},
		{"user +34600111222 blocked", "user +########### blocked"},
		{"contact maria@example.com now", "contact [email] now"},
		{"token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0 bad", "token [token] bad"},
		{"code 401 at 12:30", "code 401 at 12:30"},
		{"dni 12345678Z", "dni ########Z"},
		{"line\nbreak\x00here", "line breakhere"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Message(tt.in), tt.in)
	}
	long := Message(strings.Repeat("word ", 100))
	assert.LessOrEqual(t, len(long), MaxMessage+len("…"))
	assert.True(t, strings.HasSuffix(long, "…"))
}

func TestExcerpt(t *testing.T) {
	got := Excerpt([]byte(`{"name": "Maria Garcia", "nik":"3171234567890123", "ok": true, "list":["a b"], "esc":"q\"x"}`))
	assert.Equal(t, `{"name": "***", "nik":"***", "ok": true, "list":["***"], "esc":"***"}`, got)
	assert.Equal(t, `[{"a":"***"`, Excerpt([]byte(`[{"a":"unterminated`)), "a truncated body is still masked")
	html := Excerpt([]byte("<html>Error for 600111222</html>"))
	assert.Equal(t, "<html>Error for #########</html>", html)
	assert.LessOrEqual(t, len(Excerpt([]byte(strings.Repeat("a ", 5000)))), MaxExcerpt+len("…"))
}

func FuzzRedact(f *testing.F) {
	f.Add([]byte(`{"a":"b\"","c":[1,"x"]}`))
	f.Add([]byte("\xff\xfe\"\\"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = Excerpt(b)
		_ = Message(string(b))
	})
}
