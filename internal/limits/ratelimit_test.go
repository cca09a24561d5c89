package limits

import (
	"strconv"
	"testing"
	"time"
)

// The bucket holds a minute's budget, refills evenly, and keeps callers
// apart; the clock is simulated, nothing waits.
func TestRateLimiterBudget(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	l := NewRateLimiter(600) // 10 per second
	l.now = func() time.Time { return now }

	st, ok := l.Take("key:a", 450)
	if !ok || st.Limit != 600 || st.Remaining != 150 {
		t.Fatalf("first take: %+v %v", st, ok)
	}
	// 450 spent at 10/s: full again in 45 s.
	if want := now.Add(45 * time.Second); !st.ResetAt.Equal(want) {
		t.Errorf("resetAt %v, want %v", st.ResetAt, want)
	}
	st, ok = l.Take("key:a", 200)
	if ok || st.Remaining != 150 || st.RetryAfter != 5*time.Second {
		t.Fatalf("over the budget: %+v %v (want refused, 150 left, retry in 5s)", st, ok)
	}
	// A refused take spends nothing, and another caller has its own bucket.
	if st, ok := l.Take("key:a", 150); !ok || st.Remaining != 0 {
		t.Errorf("the rest of the budget: %+v %v", st, ok)
	}
	if st, ok := l.Take("ip:192.0.2.1", 600); !ok || st.Remaining != 0 {
		t.Errorf("another caller: %+v %v", st, ok)
	}
	// More than a whole minute's budget is never allowed.
	if _, ok := l.Take("ip:192.0.2.2", 601); ok {
		t.Errorf("a cost over the whole budget passed")
	}

	now = now.Add(3 * time.Second)
	if st, ok := l.Take("key:a", 30); !ok || st.Remaining != 0 {
		t.Errorf("after 3 s: %+v %v", st, ok)
	}

}

// The buckets are a bounded cache: past MaxBuckets callers the least
// recently seen one is forgotten (and would start with a full bucket),
// and a bucket lives a minute after its last use (the cache's TTL), when
// it is full again anyway.
func TestRateLimiterBucketsAreBounded(t *testing.T) {
	l := NewRateLimiter(600)
	for i := range MaxBuckets + 10 {
		l.Take("ip:198.51.100."+strconv.Itoa(i), 1)
	}
	if n := l.buckets.Len(); n != MaxBuckets {
		t.Errorf("%d buckets after %d callers, want %d", n, MaxBuckets+10, MaxBuckets)
	}
	if _, ok := l.buckets.Peek("ip:198.51.100.0"); ok {
		t.Error("the least recently seen caller is still kept")
	}
}

// Peek reports a bucket as Take left it, spends nothing, and gives a
// caller it has never seen the whole budget.
func TestRateLimiterPeek(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	l := NewRateLimiter(600)
	l.now = func() time.Time { return now }
	if st := l.Peek("key:new"); st.Limit != 600 || st.Remaining != 600 || !st.ResetAt.Equal(now) {
		t.Errorf("a new caller: %+v", st)
	}
	taken, _ := l.Take("key:a", 100)
	for range 3 {
		if st := l.Peek("key:a"); st.Remaining != 500 || !st.ResetAt.Equal(taken.ResetAt) {
			t.Errorf("peek after a take of 100: %+v, want 500 left, reset %v", st, taken.ResetAt)
		}
	}
	if st, ok := l.Take("key:a", 500); !ok || st.Remaining != 0 {
		t.Errorf("peeking spent budget: %+v %v", st, ok)
	}
}
