package kyc

import (
	"container/list"
	"context"
	"maps"
	"slices"
	"sync"
	"time"
)

// MemoryStore is a ResultStore in memory, bounded: past its capacity the
// least recently applied or read Result is dropped, and so is the oldest
// claim. It serves one process and tests; a service with several replicas
// needs a store they share (module kycpg). It is safe for concurrent use,
// and applies the ordering rule (Decide) and the claims under its lock.
type MemoryStore struct {
	mu     sync.Mutex
	max    int
	now    func() time.Time
	order  *list.List // of string references, most recent first
	items  map[string]memoryItem
	claims map[string]*list.Element // of Claim, in claimOrder
	corder *list.List               // of Claim, oldest first
}

type memoryItem struct {
	res  *Result
	ord  Ordering
	elem *list.Element
}

// DefaultMemoryStoreCapacity is the capacity of NewMemoryStore(0).
const DefaultMemoryStoreCapacity = 10000

// NewMemoryStore returns an empty MemoryStore that keeps at most capacity
// Results and as many claims; 0 or less means DefaultMemoryStoreCapacity.
func NewMemoryStore(capacity int) *MemoryStore {
	if capacity <= 0 {
		capacity = DefaultMemoryStoreCapacity
	}
	return &MemoryStore{max: capacity, now: time.Now, order: list.New(), items: map[string]memoryItem{},
		claims: map[string]*list.Element{}, corder: list.New()}
}

var _ ResultStore = (*MemoryStore)(nil)

func storeCtxErr(op string, ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return &Error{Op: op, Kind: ErrTimeout, Message: "the context ended", Err: err, NotSent: true, Unprocessed: true}
	}
	return nil
}

// Apply implements ResultStore: it applies the ordering rule (Decide)
// under the store's lock.
func (m *MemoryStore) Apply(ctx context.Context, res *Result) (Applied, error) {
	const op = "kyc.MemoryStore.Apply"
	if res == nil || res.Reference == "" {
		return 0, &Error{Op: op, Kind: ErrInvalidRequest, Field: "Reference",
			Message: "a stored Result needs a Reference", NotSent: true, Unprocessed: true}
	}
	if err := storeCtxErr(op, ctx); err != nil {
		return 0, err
	}
	c := CloneResult(res)
	ord := OrderingOf(c)
	m.mu.Lock()
	defer m.mu.Unlock()
	if it, ok := m.items[c.Reference]; ok {
		m.order.MoveToFront(it.elem)
		a := Decide(it.ord, ord)
		if a == AppliedStored {
			m.items[c.Reference] = memoryItem{res: c, ord: ord, elem: it.elem}
		}
		return a, nil
	}
	m.items[c.Reference] = memoryItem{res: c, ord: ord, elem: m.order.PushFront(c.Reference)}
	for m.order.Len() > m.max {
		last := m.order.Back()
		m.order.Remove(last)
		delete(m.items, last.Value.(string))
	}
	return AppliedStored, nil
}

// Get implements ResultStore.
func (m *MemoryStore) Get(ctx context.Context, ref string) (*Result, error) {
	const op = "kyc.MemoryStore.Get"
	if err := storeCtxErr(op, ctx); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.items[ref]
	if !ok {
		return nil, &Error{Op: op, Kind: ErrNotFound, Field: FieldReference,
			Message: "no Result stored under this reference", NotSent: true, Unprocessed: true}
	}
	m.order.MoveToFront(it.elem)
	return CloneResult(it.res), nil
}

// Claim implements ResultStore: it records c when no unexpired claim holds
// c.ID, and returns the claim that holds it.
func (m *MemoryStore) Claim(ctx context.Context, c Claim) (Claim, bool, error) {
	const op = "kyc.MemoryStore.Claim"
	if c.ID == "" {
		return Claim{}, false, &Error{Op: op, Kind: ErrInvalidRequest, Field: FieldID,
			Message: "a claim needs an ID", NotSent: true, Unprocessed: true}
	}
	if err := storeCtxErr(op, ctx); err != nil {
		return Claim{}, false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.claims[c.ID]; ok {
		held := e.Value.(Claim)
		if m.now().Before(held.Expires) {
			return held, false, nil
		}
		m.corder.Remove(e)
		delete(m.claims, c.ID)
	}
	m.claims[c.ID] = m.corder.PushBack(c)
	for m.corder.Len() > m.max {
		first := m.corder.Front()
		m.corder.Remove(first)
		delete(m.claims, first.Value.(Claim).ID)
	}
	return c, true, nil
}

// Settle implements ResultStore: it records the outcome of the claim of
// c.ID, or deletes it when c.State is ClaimReleased.
func (m *MemoryStore) Settle(ctx context.Context, c Claim) error {
	const op = "kyc.MemoryStore.Settle"
	if err := storeCtxErr(op, ctx); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.claims[c.ID]
	if !ok {
		return &Error{Op: op, Kind: ErrNotFound, Field: FieldID, Message: "no claim under this ID", NotSent: true, Unprocessed: true}
	}
	if c.State == ClaimReleased {
		m.corder.Remove(e)
		delete(m.claims, c.ID)
		return nil
	}
	held := e.Value.(Claim)
	held.State, held.Reference = c.State, c.Reference
	if !c.Expires.IsZero() {
		held.Expires = c.Expires
	}
	e.Value = held
	return nil
}

// Len returns how many Results the store holds.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.items)
}

// CloneResult returns a deep copy of r (nil for nil): its Reasons, Document
// (with Extra), Link and Raw are copied, so neither copy changes the
// other. Stores that keep Results in memory use it.
func CloneResult(r *Result) *Result {
	if r == nil {
		return nil
	}
	c := *r
	c.Reasons = slices.Clone(r.Reasons)
	if r.Document != nil {
		d := *r.Document
		d.Extra = maps.Clone(r.Document.Extra)
		c.Document = &d
	}
	if r.Link != nil {
		l := *r.Link
		c.Link = &l
	}
	if r.Raw != nil {
		c.Raw = slices.Clone(r.Raw)
	}
	return &c
}
