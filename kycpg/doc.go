// Package kycpg keeps the state kyc-go shares between replicas in
// PostgreSQL, over the caller's *pgxpool.Pool: a kyc.ResultStore (Results
// by the ordering rule, and the Router's idempotency claims), an
// incode.TokenStore with the session tokens encrypted at rest, a webhook
// delivery ledger, and the erasure and retention calls for them.
//
//	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
//	store, err := kycpg.New(pool, kycpg.WithSchema("kyc"))
//	err = store.Migrate(ctx) // once per deploy; safe from several replicas at once
//	router, err := kyc.NewRouter(kyc.DefaultRoute(v), kyc.WithResultStore(store))
//
// Keys (references, request IDs, interview ids) are text COLLATE "C":
// compared byte for byte, case-sensitively. Every call is bounded by its
// context. Every error is a *kyc.Error: ErrTimeout when the context ended
// (matching the context's error; the statement may still have run, since
// the server learns of the cancel asynchronously: applying a Result again
// is safe under the ordering rule), ErrUnavailable when the database failed
// or could not be reached, ErrInvalidRequest for bad input; it never
// carries the driver's text, which can hold the host, the user or a value
// of the row.
package kycpg
