// Package soak holds the cross-provider proofs that need all five vendor
// packages at once: the soak test under injected faults, the secrets scan
// over every log and error, and the bad-input table. It has no code of its
// own; see its tests.
//
//	go test -race -tags slow -run Soak -v ./internal/soak   # short soak, as in .ci/run (go test ./... skips it)
//	go test -race -tags soak -run Soak -v ./internal/soak   # 10,000 verifications, 200 goroutines
package soak
