package kyc

import (
	"context"
	"errors"

	"github.com/kyc-go/kyc/internal/ctxwait"
)

// Eraser is implemented by what can erase a person's data by Reference:
// the vendor clients whose vendor offers a deletion API (incode), and the
// stores (MemoryStore; the PostgreSQL store of module kycpg). Erase
// deletes what it holds of the verification ref and returns nil, also
// when it held nothing. A vendor without a deletion API answers an
// ErrUnsupported *Error whose Message says what the vendor documents of
// its retention.
type Eraser interface {
	Erase(ctx context.Context, ref string) error
}

// Erase erases the person's data of verification ref everywhere the
// Router reaches: at the vendor, through its Verifier when that is an
// Eraser, and in the ResultStore when that is an Eraser (the Result and the
// idempotency claim that led to it). Both are tried, whatever the other
// answered. It returns nil when both erased; otherwise the errors, joined:
// an ErrUnsupported *Error when the vendor has no deletion API (its
// message says the vendor's documented retention; the store's copy is
// erased all the same), the store's failure as an ErrUnavailable *Error.
// A malformed reference, or one of a provider neither this module nor the
// Router has, is refused before anything is erased (the store never sees
// it).
func (r *Router) Erase(ctx context.Context, ref string) error {
	const op = "kyc.Router.Erase"
	parsed, err := ParseReference(ref)
	if err != nil {
		return err
	}
	if _, ok := r.byName[parsed.Provider]; !ok && !knownProvider(parsed.Provider) {
		// No provider of this module, nor of this Router: nothing holds
		// it, and the store is not asked.
		return &Error{Op: op, Kind: ErrNotFound, Field: FieldReference, NotSent: true, Unprocessed: true,
			Message: "no provider of this module has this name"}
	}
	var errs []error
	switch v, ok := r.byName[parsed.Provider]; {
	case !ok:
		errs = append(errs, &Error{Op: op, Provider: parsed.Provider, Kind: ErrUnsupported, Field: FieldReference, NotSent: true, Unprocessed: true,
			Message: "this router has no Verifier for this provider: erase at the vendor by other means"})
	default:
		if e, ok := v.(Eraser); ok {
			errs = append(errs, e.Erase(ctx, ref))
		} else {
			errs = append(errs, &Error{Op: op, Provider: parsed.Provider, Kind: ErrUnsupported, NotSent: true, Unprocessed: true,
				Message: "this provider's client cannot erase at the vendor"})
		}
	}
	if e, ok := r.store.(Eraser); ok && r.store != nil {
		err := ctxwait.Err(ctx, func(ctx context.Context) error { return e.Erase(ctx, ref) })
		errs = append(errs, storeErr(op, ctx, err))
	}
	return errors.Join(errs...)
}

// Erase implements Eraser: it deletes the Result stored under ref and every
// claim that names ref.
func (m *MemoryStore) Erase(ctx context.Context, ref string) error {
	if err := storeCtxErr("kyc.MemoryStore.Erase", ctx); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if it, ok := m.items[ref]; ok {
		m.order.Remove(it.elem)
		delete(m.items, ref)
	}
	for e := m.corder.Front(); e != nil; {
		next := e.Next()
		if c := e.Value.(Claim); c.Reference == ref {
			m.corder.Remove(e)
			delete(m.claims, c.ID)
		}
		e = next
	}
	return nil
}

// EraseID deletes the claim of Request ID id and the Result it led to.
func (m *MemoryStore) EraseID(ctx context.Context, id string) error {
	if err := storeCtxErr("kyc.MemoryStore.EraseID", ctx); err != nil {
		return err
	}
	m.mu.Lock()
	e, ok := m.claims[id]
	if !ok {
		m.mu.Unlock()
		return nil
	}
	ref := e.Value.(Claim).Reference
	m.corder.Remove(e)
	delete(m.claims, id)
	m.mu.Unlock()
	if ref == "" {
		return nil
	}
	return m.Erase(ctx, ref)
}
