package kyctest

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyc-go/kyc"
)

// StoreConformance must fail the stores real databases turn out to be: one
// that folds keys to lower case (a case-insensitive collation), one that
// cuts keys short (a varchar(64) that truncates), one that reads then
// writes (the ordering rule outside one atomic step). Each broken store
// runs the whole suite under a recording T; the test asserts which of the
// suite's checks report it. A correct store of the same make passes, so
// the failures are the broken part's.
func TestStoreConformanceFailsBrokenStores(t *testing.T) {
	for _, tc := range []struct {
		name  string
		store func() kyc.ResultStore
		fails []string // subtests that must report the store
	}{
		{"a correct store passes", func() kyc.ResultStore { return newBrokenStore(keepKey, false) }, nil},
		{"keys folded to lower case", func() kyc.ResultStore { return newBrokenStore(strings.ToLower, false) },
			[]string{"keys are byte-exact and case-sensitive", "claims settle, release, expire, and are case-sensitive"}},
		{"keys cut to 64 bytes", func() kyc.ResultStore { return newBrokenStore(cut64, false) },
			[]string{"keys are byte-exact and case-sensitive", "claims settle, release, expire, and are case-sensitive"}},
		{"Get then Put", func() kyc.ResultStore { return newBrokenStore(keepKey, true) },
			[]string{"concurrent writers end at the maximum"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt := &recordT{rec: &record{}}
			storeConformance(rt, tc.store)
			failed := rt.rec.failedTop()
			if tc.fails == nil {
				assert.Empty(t, failed, "the suite failed a correct store: %v", rt.rec.msgs)
				return
			}
			for _, name := range tc.fails {
				assert.Contains(t, failed, name, "the suite did not catch the store in %q (it failed: %v)", name, failed)
			}
		})
	}
}

// recordT is a suiteT that records failures instead of failing the test:
// Fatal ends the subtest's goroutine, as testing.T's does.
type recordT struct {
	name   string
	parent *recordT
	rec    *record
	failed bool // under rec.mu
}

type record struct {
	mu     sync.Mutex
	failed []string // the subtest of each failure, named from the top
	msgs   []string
}

func (r *record) failedTop() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var top []string
	for _, n := range r.failed {
		top = append(top, strings.SplitN(n, "/", 2)[0])
	}
	return top
}

func (t *recordT) Helper() {}

func (t *recordT) fail(msg string) {
	t.rec.mu.Lock()
	defer t.rec.mu.Unlock()
	t.rec.msgs = append(t.rec.msgs, t.name+": "+msg)
	t.rec.failed = append(t.rec.failed, t.name)
	for p := t; p != nil; p = p.parent {
		p.failed = true
	}
}

func (t *recordT) Errorf(format string, args ...any) { t.fail(fmt.Sprintf(format, args...)) }

func (t *recordT) Fatalf(format string, args ...any) {
	t.fail(fmt.Sprintf(format, args...))
	runtime.Goexit()
}

func (t *recordT) Fatal(args ...any) {
	t.fail(fmt.Sprint(args...))
	runtime.Goexit()
}

func (t *recordT) Run(name string, f func(t suiteT)) bool {
	sub := &recordT{name: name, parent: t, rec: t.rec}
	if t.name != "" {
		sub.name = t.name + "/" + name
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(sub)
	}()
	<-done
	t.rec.mu.Lock()
	defer t.rec.mu.Unlock()
	return !sub.failed
}

func keepKey(k string) string { return k }

func cut64(k string) string {
	if len(k) > 64 {
		return k[:64]
	}
	return k
}

// brokenStore is a ResultStore in memory that applies the ordering rule
// (kyc.Decide) to keys made by key, under its lock or, when getThenPut,
// as a read, a pause (a database round trip) and a write.
type brokenStore struct {
	key        func(string) string
	getThenPut bool
	claims     *kyc.MemoryStore

	mu    sync.Mutex
	items map[string]*kyc.Result
}

func newBrokenStore(key func(string) string, getThenPut bool) *brokenStore {
	return &brokenStore{key: key, getThenPut: getThenPut, claims: kyc.NewMemoryStore(0), items: map[string]*kyc.Result{}}
}

func (b *brokenStore) Apply(ctx context.Context, res *kyc.Result) (kyc.Applied, error) {
	if res == nil || res.Reference == "" {
		return 0, &kyc.Error{Op: "brokenStore.Apply", Kind: kyc.ErrInvalidRequest, Field: kyc.FieldReference}
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	k, in := b.key(res.Reference), kyc.CloneResult(res)
	b.mu.Lock()
	old := b.items[k]
	if b.getThenPut {
		b.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	a := kyc.AppliedStored
	if old != nil {
		a = kyc.Decide(kyc.OrderingOf(old), kyc.OrderingOf(in))
	}
	if b.getThenPut {
		b.mu.Lock()
	}
	if a == kyc.AppliedStored {
		b.items[k] = in
	}
	b.mu.Unlock()
	return a, nil
}

func (b *brokenStore) Get(ctx context.Context, ref string) (*kyc.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	r := b.items[b.key(ref)]
	if r == nil {
		return nil, &kyc.Error{Op: "brokenStore.Get", Kind: kyc.ErrNotFound}
	}
	return kyc.CloneResult(r), nil
}

func (b *brokenStore) Claim(ctx context.Context, c kyc.Claim) (kyc.Claim, bool, error) {
	c.ID = b.key(c.ID)
	return b.claims.Claim(ctx, c)
}

func (b *brokenStore) Settle(ctx context.Context, c kyc.Claim) error {
	c.ID = b.key(c.ID)
	return b.claims.Settle(ctx, c)
}

func TestRecordTRecordsFatalAndError(t *testing.T) {
	rt := &recordT{rec: &record{}}
	ok := rt.Run("a", func(t suiteT) {
		t.Run("b", func(t suiteT) { t.Errorf("e %d", 1) })
		t.Fatal("stop")
		panic("not reached")
	})
	require.False(t, ok)
	assert.True(t, rt.Run("c", func(t suiteT) {}))
	assert.Equal(t, []string{"a", "a"}, rt.rec.failedTop())
	assert.Equal(t, []string{"a/b: e 1", "a: stop"}, rt.rec.msgs)
}
