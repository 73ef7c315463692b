// Package outage holds the vendor-outage fault matrix (matrix_test.go,
// build tag "slow"): each kind of outage of one vendor or of both, for a
// billed flow (Atlas) and a messaging flow (Verificar), through a
// kyc.Router with its default circuit and retry budget, measuring what
// reached the dead vendor, how long people waited, who was approved, and
// that nobody was charged or texted twice. Run it with
//
//	go test -race -tags slow ./internal/outage -v
package outage
