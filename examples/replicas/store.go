package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/kyc-go/kyc"
)

// fileStore is a kyc.ResultStore kept in a folder, one JSON file per
// Reference: the stand-in for the service's database that every replica
// shares. It passes kyctest.StoreConformance (see main_test.go). A real
// service uses its own database table with the same two operations.
type fileStore struct{ dir string }

func (s fileStore) path(ref string) string {
	sum := sha256.Sum256([]byte(ref)) // a file name that holds no id
	return filepath.Join(s.dir, hex.EncodeToString(sum[:])+".json")
}

// Put implements kyc.ResultStore. The file is written whole, then renamed,
// so a replica never reads half of it.
func (s fileStore) Put(ctx context.Context, res *kyc.Result) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if res == nil || res.Reference == "" {
		return &kyc.Error{Op: "replicas.Put", Kind: kyc.ErrInvalidRequest, Field: "Reference", Message: "a Result needs its Reference to be stored"}
	}
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(s.dir, ".put-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), s.path(res.Reference))
}

// Get implements kyc.ResultStore.
func (s fileStore) Get(ctx context.Context, ref string) (*kyc.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(s.path(ref))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &kyc.Error{Op: "replicas.Get", Kind: kyc.ErrNotFound, Message: "no stored result for this reference"}
	}
	if err != nil {
		return nil, err
	}
	var res kyc.Result
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, err
	}
	return &res, nil
}
