//go:build !soak

package soak_test

// The short soak of the normal suite.
const (
	soakCalls   = 300
	soakWorkers = 50
)
