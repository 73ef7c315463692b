package kyc

import (
	"container/list"
	"context"
	"maps"
	"slices"
	"sync"
)

// ResultStore keeps Results by Reference, so that a Router can answer
// Result for providers without a read-back (Atlas, Verificar) and so that
// every replica of a service sees the Results that any of them received,
// from Verify or from a webhook. Back it with the service's own database
// for several replicas; NewMemoryStore serves one process.
//
// Implementations must be safe for concurrent use, and must pass
// kyctest.StoreConformance:
//
//   - Put stores a copy of res under res.Reference, replacing what was
//     stored there. A Result without a Reference is refused with an
//     ErrInvalidRequest *Error. Later changes to res do not reach the store.
//   - Get returns a copy of the Result stored under ref, every field as it
//     was put (the JSON encoding of Result is complete, and a store may keep
//     that), or an error matching ErrNotFound when there is none.
//
// A Result is personal data (see Result): a store is a place where
// personal data is kept, with the retention and access rules that go with
// it.
type ResultStore interface {
	Put(ctx context.Context, res *Result) error
	Get(ctx context.Context, ref string) (*Result, error)
}

// WithResultStore returns the option that gives a Router or a WebhookMux a
// ResultStore:
//
//	store := kyc.NewMemoryStore(0) // or the service's own database
//	router, err := kyc.NewRouter(kyc.DefaultRoute(v), kyc.WithResultStore(store))
//	mux := kyc.NewWebhookMux(handle, kyc.ConfirmEvents(), kyc.WithResultStore(store))
//
// The Router puts each Result its Verify returns, and reads the store where
// the vendor has no read-back (see Router); the WebhookMux puts each
// authenticated or confirmed Event's Result (see WebhookMux).
func WithResultStore(s ResultStore) ResultStoreOption { return ResultStoreOption{store: s} }

// ResultStoreOption is what WithResultStore returns: both a RouterOption
// and a WebhookOption.
type ResultStoreOption struct{ store ResultStore }

func (o ResultStoreOption) applyRouter(c *routerConfig) { c.store, c.storeSet = o.store, true }

func (o ResultStoreOption) applyWebhook(c *webhookConfig) { c.store, c.storeSet = o.store, true }

// MemoryStore is a ResultStore in memory, bounded: past its capacity the
// least recently put or read Result is dropped. It serves one process and
// tests; a service with several replicas needs a store they share. It is
// safe for concurrent use.
type MemoryStore struct {
	mu    sync.Mutex
	max   int
	order *list.List // of string references, most recent first
	items map[string]memoryItem
}

type memoryItem struct {
	res  *Result
	elem *list.Element
}

// DefaultMemoryStoreCapacity is the capacity of NewMemoryStore(0).
const DefaultMemoryStoreCapacity = 10000

// NewMemoryStore returns an empty MemoryStore that keeps at most capacity
// Results; 0 or less means DefaultMemoryStoreCapacity.
func NewMemoryStore(capacity int) *MemoryStore {
	if capacity <= 0 {
		capacity = DefaultMemoryStoreCapacity
	}
	return &MemoryStore{max: capacity, order: list.New(), items: map[string]memoryItem{}}
}

var _ ResultStore = (*MemoryStore)(nil)

// Put implements ResultStore.
func (m *MemoryStore) Put(ctx context.Context, res *Result) error {
	if res == nil || res.Reference == "" {
		return &Error{Op: "kyc.MemoryStore.Put", Kind: ErrInvalidRequest, Field: "Reference",
			Message: "a stored Result needs a Reference", NotSent: true, Unprocessed: true}
	}
	if err := ctx.Err(); err != nil {
		return &Error{Op: "kyc.MemoryStore.Put", Kind: ErrTimeout, Message: "the context ended", Err: err, NotSent: true, Unprocessed: true}
	}
	c := CloneResult(res)
	m.mu.Lock()
	defer m.mu.Unlock()
	if it, ok := m.items[c.Reference]; ok {
		m.order.MoveToFront(it.elem)
		m.items[c.Reference] = memoryItem{res: c, elem: it.elem}
		return nil
	}
	m.items[c.Reference] = memoryItem{res: c, elem: m.order.PushFront(c.Reference)}
	for m.order.Len() > m.max {
		last := m.order.Back()
		m.order.Remove(last)
		delete(m.items, last.Value.(string))
	}
	return nil
}

// Get implements ResultStore.
func (m *MemoryStore) Get(ctx context.Context, ref string) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, &Error{Op: "kyc.MemoryStore.Get", Kind: ErrTimeout, Message: "the context ended", Err: err, NotSent: true, Unprocessed: true}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.items[ref]
	if !ok {
		return nil, &Error{Op: "kyc.MemoryStore.Get", Kind: ErrNotFound, Field: "ref",
			Message: "no Result stored under this reference", NotSent: true, Unprocessed: true}
	}
	m.order.MoveToFront(it.elem)
	return CloneResult(it.res), nil
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
