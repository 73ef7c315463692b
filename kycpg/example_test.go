package kycpg_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kyc-go/kyc"
	"github.com/kyc-go/kyc/kycpg"
)

// The README's "Several replicas on PostgreSQL", compiled: every replica
// runs this.
func Example() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	key32 := make([]byte, 32) // from your secret manager, never zeros
	store, err := kycpg.New(pool, kycpg.WithSchema("kyc"), kycpg.WithTokenKeys(kycpg.TokenKey{ID: "2026-12", Key: key32}))
	if err != nil {
		log.Fatal(err)
	}
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	tokens, err := store.Tokens() // incode.Config{TokenStore: tokens}
	if err != nil {
		log.Fatal(err)
	}
	_ = tokens
	_ = kyc.WithResultStore(store) // for kyc.NewRouter and kyc.NewWebhookMux
	body := []byte(`{"interviewId":"…"}`)
	sum := sha256.Sum256(body)
	first, err := store.Seen(ctx, kyc.Incode, hex.EncodeToString(sum[:]))
	if err == nil && !first {
		return // a retried delivery: acknowledge it, handle nothing
	}
}
