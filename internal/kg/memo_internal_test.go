package kg

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Concurrent callers of an empty cell compute its value once and all get it.
func TestCellComputesOnceForConcurrentCallers(t *testing.T) {
	var c cell[*int]
	var calls atomic.Int32
	release := make(chan struct{})
	compute := func() (*int, error) {
		calls.Add(1)
		<-release
		v := 42
		return &v, nil
	}
	const callers = 8
	var wg sync.WaitGroup
	got := make([]*int, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.get(context.Background(), compute)
			if err != nil {
				t.Errorf("get: %v", err)
			}
			got[i] = v
		}()
	}
	// Let every caller reach the cell before the computation ends.
	for deadline := time.Now().Add(5 * time.Second); calls.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("computed %d times, want 1", n)
	}
	for i, v := range got {
		if v == nil || v != got[0] || *v != 42 {
			t.Fatalf("caller %d got %v, want the one shared value", i, v)
		}
	}
	if v, _ := c.get(context.Background(), func() (*int, error) { t.Fatal("computed again"); return nil, nil }); v != got[0] {
		t.Errorf("later get = %v, want the kept value", v)
	}
}

// A failure is not kept: a caller that waited on it computes itself, and
// so does the next request.
func TestCellDoesNotKeepAFailure(t *testing.T) {
	var c cell[int]
	boom := errors.New("deadline")
	started, release := make(chan struct{}), make(chan struct{})
	var leaderErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, leaderErr = c.get(context.Background(), func() (int, error) {
			close(started)
			<-release
			return 0, boom
		})
	}()
	<-started
	waiter := make(chan int)
	go func() {
		v, err := c.get(context.Background(), func() (int, error) { return 7, nil })
		if err != nil {
			t.Errorf("waiter: %v", err)
		}
		waiter <- v
	}()
	time.Sleep(20 * time.Millisecond)
	close(release)
	<-done
	if !errors.Is(leaderErr, boom) {
		t.Errorf("leader got %v, want its own failure", leaderErr)
	}
	if v := <-waiter; v != 7 {
		t.Errorf("waiter got %d, want the value it computed after the failure", v)
	}
	if v, err := c.get(context.Background(), func() (int, error) { return 9, nil }); v != 7 || err != nil {
		t.Errorf("after success get = %d, %v; want the kept 7", v, err)
	}
}

// A waiting caller whose context ends gives up with ErrTimeout; the
// computation goes on for the others.
func TestCellWaiterGivesUpAtItsDeadline(t *testing.T) {
	var c cell[int]
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan int)
	go func() {
		v, _ := c.get(context.Background(), func() (int, error) { close(started); <-release; return 3, nil })
		done <- v
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := c.get(ctx, func() (int, error) { t.Error("computed while another computes"); return 0, nil }); !errors.Is(err, ErrTimeout) {
		t.Errorf("waiter at its deadline: %v, want ErrTimeout", err)
	}
	close(release)
	if v := <-done; v != 3 {
		t.Errorf("computing caller got %d", v)
	}
}

// A panic in the computation does not leave later callers waiting forever.
func TestCellRecoversFromAPanickingComputation(t *testing.T) {
	var c cell[int]
	func() {
		defer func() { _ = recover() }()
		_, _ = c.get(context.Background(), func() (int, error) { panic("boom") })
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if v, err := c.get(ctx, func() (int, error) { return 5, nil }); v != 5 || err != nil {
		t.Errorf("after a panic get = %d, %v", v, err)
	}
}

// A detached computation outlives the caller that started it: that caller
// times out, the computation finishes, and the next caller gets its value
// without computing again. A computation whose base context ends is not
// kept.
func TestCellGetDetached(t *testing.T) {
	var c cell[int]
	calls := 0
	release := make(chan struct{})
	compute := func(ctx context.Context) (int, error) {
		calls++
		select {
		case <-release:
			return 42, nil
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	short, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.getDetached(short, context.Background(), time.Minute, compute); !errors.Is(err, ErrTimeout) {
		t.Fatalf("a caller whose deadline passed got %v, want ErrTimeout", err)
	}
	close(release)
	v, err := c.getDetached(context.Background(), context.Background(), time.Minute, compute)
	if err != nil || v != 42 || calls != 1 {
		t.Fatalf("the next caller got %d, %v after %d computations; want 42 from the one", v, err, calls)
	}

	var d cell[int]
	base, stop := context.WithCancel(context.Background())
	stop() // a newer version replaced this one
	if _, err := d.getDetached(context.Background(), base, time.Minute, func(ctx context.Context) (int, error) {
		<-ctx.Done()
		return 0, ctx.Err()
	}); !errors.Is(err, ErrTimeout) {
		t.Fatalf("a computation whose version is gone answered %v, want ErrTimeout", err)
	}
	if d.done {
		t.Error("a failed computation was kept")
	}
}
