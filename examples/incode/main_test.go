package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMissingVariablesAreNamed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"INCODE_API_KEY": "k"}, "INCODE_FRONT is not set"},
		{map[string]string{"INCODE_API_KEY": "k", "INCODE_FRONT": "/nonexistent.jpg"}, "INCODE_FRONT:"},
		{map[string]string{"INCODE_API_KEY": "k\n", "INCODE_FRONT": "testdata-none"}, "INCODE_FRONT"},
	}
	for _, tt := range tests {
		err := run(func(k string) string { return tt.env[k] })
		require.Error(t, err)
		assert.Contains(t, err.Error(), tt.want)
	}
	for _, v := range Env {
		assert.Contains(t, v, "INCODE_")
	}
}

func TestFake(t *testing.T) {
	t.Parallel()
	require.NoError(t, run(func(string) string { return "" }))
}
