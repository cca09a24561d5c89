package limits

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// Usage is what an operation cost and what is left of the caller's
// budget: the answer of the API's rateLimit field and x-ratelimit headers.
type Usage struct {
	Cost      int       // the operation's estimated cost
	Limit     int       // cost per minute; 0 when rate limiting is off
	Remaining int       // left right after this operation
	ResetAt   time.Time // when the budget is full again
}

// usageStats names the operation statistic that carries Usage from the
// extensions (which run before any resolver) to the resolver.
const usageStats = "samverkan.rateLimit"

// SetUsage records u for the operation of opCtx; a later call replaces an
// earlier one (the cost check sets the cost, the rate limiter the budget).
func SetUsage(opCtx *graphql.OperationContext, u Usage) {
	opCtx.Stats.SetExtension(usageStats, u)
}

// UsageOf returns what SetUsage recorded for the operation of ctx: zero
// cost and limit (no limits installed) when nothing was.
func UsageOf(ctx context.Context) Usage {
	if graphql.HasOperationContext(ctx) {
		if u, ok := graphql.GetOperationContext(ctx).Stats.GetExtension(usageStats).(Usage); ok {
			return u
		}
	}
	return Usage{ResetAt: time.Now().UTC()}
}
