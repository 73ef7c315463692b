package kycpg

import "github.com/kyc-go/kyc"

// For the benchmark's raw-pgx baselines: the store's own statements.

// ApplySQL, GetSQL and ClaimSQL are s's statements.
func ApplySQL(s *Store) string { return s.qApply }
func GetSQL(s *Store) string   { return s.qGet }
func ClaimSQL(s *Store) string { return s.qClaim }

// ApplyArgs are the upsert's arguments for res.
func ApplyArgs(res *kyc.Result) []any { a, _, _ := applyArgs(res); return a }
