package transport

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A template's placeholders are filled in order, each value escaped so
// that it cannot change the path's shape; a count that does not match,
// an empty value, "." and ".." are refused.
func TestFillPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tmpl    string
		params  []string
		want    string
		wantErr bool
	}{
		{"/v1/people", nil, "/v1/people", false},
		{"/v0/api-request-reply/{id}", []string{"abc-123"}, "/v0/api-request-reply/abc-123", false},
		{"/a/{x}/b/{y}", []string{"1/2", "é ?#"}, "/a/1%2F2/b/%C3%A9%20%3F%23", false},
		{"/a/{x}", nil, "", true},
		{"/a", []string{"x"}, "", true},
		{"/a/{x}/{y}", []string{"x"}, "", true},
		{"/a/{x", []string{"x"}, "", true},
		{"/a/{x}", []string{""}, "", true},
		{"/a/{x}", []string{"."}, "", true},
		{"/a/{x}", []string{".."}, "", true},
	}
	for _, tt := range tests {
		got, err := fillPath(tt.tmpl, tt.params)
		if tt.wantErr {
			require.Error(t, err, "%s %q", tt.tmpl, tt.params)
			continue
		}
		require.NoError(t, err, "%s %q", tt.tmpl, tt.params)
		assert.Equal(t, tt.want, got)
	}
}

// Template accepts templates and refuses a path with an id-like segment.
func TestTemplate(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]bool{
		"/v1/abis/{dni}": true, "/omni/get/score": true, "/v2/ocr/pan": true,
		"/v1/abis/12345678Z": false, "/v1/people/maria@example.com": false,
		"/v1/x/" + "0123456789abcdef0123456789abcdef0": false,
	} {
		assert.Equal(t, want, Template(path), path)
	}
}
