package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/99designs/gqlgen/graphql"

	"github.com/samverkan/samverkan/internal/auth"
	"github.com/samverkan/samverkan/internal/config"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/limits"
)

// securityExtensions are the gqlgen extensions of s, in order: authorisation
// first (a refused caller learns nothing about limits and spends no
// budget), then the query limits, then the rate limit, which charges the
// cost the limits measured.
func securityExtensions(s config.Security, limiter *limits.RateLimiter) []graphql.HandlerExtension {
	exts := []graphql.HandlerExtension{&auth.Extension{ReadsNeedKey: s.ReadsNeedKey, Keys: s.Keys}}
	if s.HidePeople {
		exts = append(exts, hidePeopleFromAnonymous{})
	}
	exts = append(exts, s.Limits.Extensions()...)
	if limiter != nil {
		exts = append(exts, limits.RateLimit{
			Limiter: limiter,
			Key:     func(ctx context.Context) string { return auth.IdentityOf(ctx).RateKey() },
		})
	}
	return exts
}

// hidePeopleFromAnonymous marks the operations of callers without a key
// (as the authorisation settled it, a websocket's connection_init key
// included) so that the store, wrapped by kg.HidePeople, reads for them as
// if no PERSON actor existed (HIDE_PEOPLE_FROM_ANONYMOUS).
type hidePeopleFromAnonymous struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = hidePeopleFromAnonymous{}

func (hidePeopleFromAnonymous) ExtensionName() string                   { return "SamverkanHidePeople" }
func (hidePeopleFromAnonymous) Validate(graphql.ExecutableSchema) error { return nil }

func (hidePeopleFromAnonymous) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if auth.IdentityOf(ctx).Anonymous() {
		ctx = kg.HidingPeople(ctx)
	}
	return next(ctx)
}

// rateLimiter is the server's one rate limiter (the GraphQL extension
// charges it, the x-ratelimit headers read it); nil when rate limiting is
// off.
func rateLimiter(s config.Security) *limits.RateLimiter {
	if s.RatePerMinute <= 0 {
		return nil
	}
	return limits.NewRateLimiter(s.RatePerMinute)
}

// withIdentity finds each request's identity (key or client address).
func withIdentity(s config.Security, next http.Handler) http.Handler {
	return auth.Middleware(s.Keys, s.Proxies, next)
}

// logSecurity logs the start-up security settings: key names and counts,
// never keys or hashes.
func logSecurity(log *slog.Logger, s config.Security) {
	reads := config.AuthReadsPublic
	if s.ReadsNeedKey {
		reads = config.AuthReadsKey
	}
	log.Info("security", "api_keys", s.Keys.Names(), "auth_reads", reads, "production", s.Production,
		"trusted_proxies", len(s.Proxies), "rate_limit_per_minute", s.RatePerMinute, "hide_people_from_anonymous", s.HidePeople, "max_cost", s.Limits.MaxCost,
		"max_depth", s.Limits.MaxDepth)
}
