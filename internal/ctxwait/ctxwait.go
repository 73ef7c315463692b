// Package ctxwait runs a call into user code (a store, a callback) so that
// the caller stops waiting when its context ends, even when the user's code
// ignores the context.
package ctxwait

import "context"

// Do runs f(ctx) and returns its answer, or ctx.Err() as soon as ctx ends,
// whichever comes first. When ctx ends first, f keeps running in its own
// goroutine until it returns, and its answer is dropped: the caller is not
// held, the user's code is not interrupted.
func Do[T any](ctx context.Context, f func(context.Context) (T, error)) (T, error) {
	if ctx.Done() == nil {
		return f(ctx)
	}
	if err := ctx.Err(); err != nil {
		var zero T
		return zero, err
	}
	type answer struct {
		v   T
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		v, err := f(ctx)
		ch <- answer{v, err}
	}()
	select {
	case a := <-ch:
		return a.v, a.err
	case <-ctx.Done():
		// Prefer an answer that is already there.
		select {
		case a := <-ch:
			return a.v, a.err
		default:
		}
		var zero T
		return zero, ctx.Err()
	}
}

// Err is Do for a function that returns only an error.
func Err(ctx context.Context, f func(context.Context) error) error {
	_, err := Do(ctx, func(ctx context.Context) (struct{}, error) { return struct{}{}, f(ctx) })
	return err
}
