package kg

import (
	"context"
	"sync"
	"time"
)

// cell holds one value derived from a wholeGraph (so once per graph
// version), computed on first use. It is single-flight: while one caller
// computes, the others wait for its value instead of computing it again. A
// failed computation (a deadline) is not kept: a waiting caller then
// computes it itself, under its own context, and the next request tries
// again.
type cell[T any] struct {
	mu      sync.Mutex
	done    bool
	val     T
	running chan struct{} // closed when the current computation ends; nil when none runs
}

// get returns the value, computing it with compute when no caller has yet.
// A caller that waits gives up with ErrTimeout when ctx ends first.
func (c *cell[T]) get(ctx context.Context, compute func() (T, error)) (T, error) {
	for {
		c.mu.Lock()
		if c.done {
			v := c.val
			c.mu.Unlock()
			return v, nil
		}
		if wait := c.running; wait != nil {
			c.mu.Unlock()
			select {
			case <-wait:
				continue // done, or failed: then this caller computes
			case <-ctx.Done():
				var zero T
				return zero, timeoutErr(ctx.Err())
			}
		}
		wait := make(chan struct{})
		c.running = wait
		c.mu.Unlock()
		return c.compute(wait, compute)
	}
}

// compute runs compute as the one caller that does, and publishes the
// outcome to the callers waiting on wait, even when compute panics.
func (c *cell[T]) compute(wait chan struct{}, compute func() (T, error)) (v T, err error) {
	ok := false
	defer func() {
		c.mu.Lock()
		if ok {
			c.val, c.done = v, true
		}
		c.running = nil
		close(wait)
		c.mu.Unlock()
	}()
	v, err = compute()
	ok = err == nil
	return v, err
}

// getDetached is get for a computation that outlives the caller that
// starts it: compute runs with its own context (base, which ends when the
// value is no longer wanted, bounded by limit), so a caller whose deadline
// passes gets ErrTimeout while the computation goes on and publishes its
// value for the next caller. A computation that fails is not kept.
func (c *cell[T]) getDetached(ctx, base context.Context, limit time.Duration, compute func(context.Context) (T, error)) (T, error) {
	c.mu.Lock()
	if c.done {
		v := c.val
		c.mu.Unlock()
		return v, nil
	}
	wait := c.running
	if wait == nil {
		wait = make(chan struct{})
		c.running = wait
		go func() {
			cctx, cancel := context.WithTimeout(base, limit)
			defer cancel()
			_, _ = c.compute(wait, func() (T, error) { return compute(cctx) })
		}()
	}
	c.mu.Unlock()
	if err := ctx.Err(); err != nil { // past its deadline already: not a coin toss with a quick result
		var zero T
		return zero, timeoutErr(err)
	}
	select {
	case <-wait:
		c.mu.Lock()
		v, ok := c.val, c.done
		c.mu.Unlock()
		if !ok {
			var zero T
			return zero, timeoutErr(context.DeadlineExceeded)
		}
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, timeoutErr(ctx.Err())
	}
}

// must is get for computations that cannot fail; waiting callers wait
// until the value is there.
func (c *cell[T]) must(compute func() T) T {
	v, _ := c.get(context.Background(), func() (T, error) { return compute(), nil })
	return v
}
