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
	"syscall"
	"time"

	"github.com/kyc-go/kyc"
)

// fileStore is a kyc.ResultStore kept in a folder, one JSON file per
// Reference and per claimed Request ID: the stand-in for the service's
// database that every replica on one machine shares. Each operation holds
// an exclusive flock on the folder, so that the ordering rule and the claim
// are atomic across processes. It passes kyctest.StoreConformance (see
// main_test.go). A real service uses its database (module kycpg).
type fileStore struct{ dir string }

func (s fileStore) path(kind, key string) string {
	sum := sha256.Sum256([]byte(key)) // a file name that holds no id
	return filepath.Join(s.dir, kind+"-"+hex.EncodeToString(sum[:])+".json")
}

// locked runs f under the folder's exclusive lock.
func (s fileStore) locked(ctx context.Context, f func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	lock, err := os.OpenFile(filepath.Join(s.dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return err
	}
	defer func() { _ = syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) }()
	return f()
}

func (s fileStore) read(path string, v any) (bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal(b, v)
}

// write writes the file whole, then renames it, so a reader never sees half.
func (s fileStore) write(path string, v any) error {
	b, err := json.Marshal(v)
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
	return os.Rename(tmp.Name(), path)
}

// Apply implements kyc.ResultStore, by kyc.Decide under the lock.
func (s fileStore) Apply(ctx context.Context, res *kyc.Result) (kyc.Applied, error) {
	if res == nil || res.Reference == "" {
		return 0, &kyc.Error{Op: "replicas.Apply", Kind: kyc.ErrInvalidRequest, Field: kyc.FieldReference, Message: "a Result needs its Reference to be stored"}
	}
	var applied kyc.Applied
	err := s.locked(ctx, func() error {
		p := s.path("result", res.Reference)
		var old kyc.Result
		ok, err := s.read(p, &old)
		if err != nil {
			return err
		}
		applied = kyc.AppliedStored
		if ok {
			applied = kyc.Decide(kyc.OrderingOf(&old), kyc.OrderingOf(res))
		}
		if applied != kyc.AppliedStored {
			return nil
		}
		return s.write(p, res)
	})
	return applied, err
}

// Get implements kyc.ResultStore.
func (s fileStore) Get(ctx context.Context, ref string) (*kyc.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var res kyc.Result
	ok, err := s.read(s.path("result", ref), &res)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &kyc.Error{Op: "replicas.Get", Kind: kyc.ErrNotFound, Message: "no stored result for this reference"}
	}
	return &res, nil
}

// Claim implements kyc.ResultStore.
func (s fileStore) Claim(ctx context.Context, c kyc.Claim) (kyc.Claim, bool, error) {
	held, won := c, true
	err := s.locked(ctx, func() error {
		p := s.path("claim", c.ID)
		var old kyc.Claim
		ok, err := s.read(p, &old)
		if err != nil {
			return err
		}
		if ok && old.ID == c.ID && !nowAfter(old) {
			held, won = old, false
			return nil
		}
		return s.write(p, c)
	})
	return held, won, err
}

// Settle implements kyc.ResultStore.
func (s fileStore) Settle(ctx context.Context, c kyc.Claim) error {
	return s.locked(ctx, func() error {
		p := s.path("claim", c.ID)
		var old kyc.Claim
		ok, err := s.read(p, &old)
		if err != nil {
			return err
		}
		if !ok {
			return &kyc.Error{Op: "replicas.Settle", Kind: kyc.ErrNotFound, Message: "no claim under this ID"}
		}
		if c.State == kyc.ClaimReleased {
			return os.Remove(p)
		}
		old.State, old.Reference = c.State, c.Reference
		return s.write(p, old)
	})
}

func nowAfter(c kyc.Claim) bool { return !timeNow().Before(c.Expires) }

var timeNow = time.Now
