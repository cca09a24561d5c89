package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/samverkan/samverkan/graph/model"
)

// rateLimitStats names the operation statistic that carries the rateLimit
// field's answer from the limit extensions (which run before any resolver)
// to the resolver.
const rateLimitStats = "samverkan.rateLimit"

// SetRateLimit records what the operation of opCtx cost and what is left of
// the caller's budget; the rateLimit field answers it. A later call
// replaces an earlier one (the cost check sets the cost, the rate limiter
// then the budget).
func SetRateLimit(opCtx *graphql.OperationContext, rl model.RateLimit) {
	opCtx.Stats.SetExtension(rateLimitStats, rl)
}

// RateLimitOf returns what SetRateLimit recorded for the operation of ctx:
// zero cost and limit (no limits installed) when nothing was.
func RateLimitOf(ctx context.Context) model.RateLimit {
	if graphql.HasOperationContext(ctx) {
		if rl, ok := graphql.GetOperationContext(ctx).Stats.GetExtension(rateLimitStats).(model.RateLimit); ok {
			return rl
		}
	}
	return model.RateLimit{ResetAt: time.Now().UTC()}
}
