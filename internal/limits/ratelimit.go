package limits

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"golang.org/x/time/rate"

	"github.com/samverkan/samverkan/internal/errcode"
	"github.com/samverkan/samverkan/internal/httpstatus"
)

// RateLimiter gives every caller a token bucket of PerMinute cost that
// refills evenly over a minute (burst = PerMinute). The buckets live in a
// bounded cache that forgets a bucket a minute after its last use, when it
// is full again and so the same as a new one: memory follows the callers
// of the last minute, and at most MaxBuckets of them (past that the least
// recently seen caller starts afresh).
type RateLimiter struct {
	perMinute int
	now       func() time.Time

	mu      sync.Mutex
	buckets *expirable.LRU[string, *rate.Limiter]
}

// MaxBuckets bounds the callers a RateLimiter keeps a bucket for.
const MaxBuckets = 100_000

// NewRateLimiter returns a limiter of perMinute cost per caller and minute.
func NewRateLimiter(perMinute int) *RateLimiter {
	return &RateLimiter{perMinute: perMinute, now: time.Now,
		buckets: expirable.NewLRU[string, *rate.Limiter](MaxBuckets, nil, time.Minute)}
}

// Status is a caller's budget after a Take.
type Status struct {
	Limit      int       // cost per minute
	Remaining  int       // cost left now
	ResetAt    time.Time // when the bucket is full again
	RetryAfter time.Duration
}

// Take spends cost from key's bucket. It reports false, spending nothing,
// when the bucket does not hold cost now; RetryAfter then says when it
// will.
func (l *RateLimiter) Take(key string, cost int) (Status, bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	every := rate.Limit(float64(l.perMinute) / 60)
	b, ok := l.buckets.Get(key)
	if !ok {
		b = rate.NewLimiter(every, l.perMinute)
	}
	l.buckets.Add(key, b) // (re)starts its minute

	cost = max(cost, 0)
	ok = true
	var retry time.Duration
	if r := b.ReserveN(now, cost); !r.OK() {
		ok, retry = false, time.Minute // more than a whole minute's budget
	} else if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		ok, retry = false, d
	}
	st := l.status(b, now)
	st.RetryAfter = retry
	return st, ok
}

// Peek returns key's budget now without spending any of it (and without
// keeping a bucket for a caller it has none for: that caller's budget is
// whole). The x-ratelimit-* headers of every response come from it.
func (l *RateLimiter) Peek(key string) Status {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets.Peek(key)
	if !ok {
		b = rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.perMinute)
	}
	return l.status(b, now)
}

// status is the budget of bucket b at now; the caller holds l.mu.
func (l *RateLimiter) status(b *rate.Limiter, now time.Time) Status {
	every := float64(l.perMinute) / 60
	tokens := b.TokensAt(now)
	reset := now.Add(time.Duration(max(float64(l.perMinute)-tokens, 0) / every * float64(time.Second)))
	if r := reset.Truncate(time.Second); r.Before(reset) {
		reset = r.Add(time.Second) // whole seconds, rounded up
	}
	return Status{
		Limit:     l.perMinute,
		Remaining: int(math.Floor(max(tokens, 0))),
		ResetAt:   reset.UTC(),
	}
}

// RateLimit is the gqlgen extension that charges every operation its cost
// (as the Checker measured it) to the caller's bucket before it runs. Over
// the limit the answer is RATE_LIMITED with HTTP 429 and Retry-After.
type RateLimit struct {
	Limiter *RateLimiter
	// Key names the caller's bucket: its API key, or its address.
	Key func(ctx context.Context) string
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = RateLimit{}

func (RateLimit) ExtensionName() string                   { return "SamverkanRateLimit" }
func (RateLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (rl RateLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	cost := CostOf(opCtx)
	st, ok := rl.Limiter.Take(rl.Key(ctx), cost)
	if !ok {
		secs := int(math.Ceil(st.RetryAfter.Seconds()))
		secs = max(secs, 1)
		httpstatus.Set(ctx, http.StatusTooManyRequests, http.Header{"Retry-After": {strconv.Itoa(secs)}})
		return &gqlerror.Error{
			Message: fmt.Sprintf("rate limit exceeded: the operation costs %d and %d of %d per minute is left; retry in %d s",
				cost, st.Remaining, st.Limit, secs),
			Extensions: map[string]any{
				"code": errcode.RateLimited, "cost": cost, "limit": st.Limit, "remaining": st.Remaining, "retryAfter": secs,
			},
		}
	}
	SetUsage(opCtx, Usage{Cost: cost, Limit: st.Limit, Remaining: st.Remaining, ResetAt: st.ResetAt})
	return nil
}

// SetHeaders writes st as GitHub's x-ratelimit-* headers: the limit per
// minute, what is left, what has been used of it, and when (Unix seconds)
// the budget is full again.
func SetHeaders(h http.Header, st Status) {
	h.Set("X-Ratelimit-Limit", strconv.Itoa(st.Limit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(st.Remaining))
	h.Set("X-Ratelimit-Used", strconv.Itoa(max(st.Limit-st.Remaining, 0)))
	h.Set("X-Ratelimit-Reset", strconv.FormatInt(st.ResetAt.Unix(), 10))
}
