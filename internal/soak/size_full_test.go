//go:build soak

package soak_test

// The full soak: go test -tags soak -run Soak -v ./internal/soak
const (
	soakCalls   = 10_000
	soakWorkers = 200
)
