// Package usertest holds tests written as a user of kyc-go writes them:
// an external test package outside the vendor packages, importing only
// public packages (kyc, the vendor packages, kyctest and kycworld). It has
// no code of its own.
package usertest
