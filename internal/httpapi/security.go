package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/99designs/gqlgen/graphql"

	"github.com/samverkan/samverkan/internal/auth"
	"github.com/samverkan/samverkan/internal/config"
	"github.com/samverkan/samverkan/internal/limits"
)

// securityExtensions are the gqlgen extensions of s, in order: authorisation
// first (a refused caller learns nothing about limits and spends no
// budget), then the query limits, then the rate limit, which charges the
// cost the limits measured.
func securityExtensions(s config.Security) []graphql.HandlerExtension {
	exts := []graphql.HandlerExtension{&auth.Extension{ReadsNeedKey: s.ReadsNeedKey, Keys: s.Keys}}
	exts = append(exts, s.Limits.Extensions()...)
	if s.RatePerMinute > 0 {
		exts = append(exts, limits.RateLimit{
			Limiter: limits.NewRateLimiter(s.RatePerMinute),
			Key:     func(ctx context.Context) string { return auth.IdentityOf(ctx).RateKey() },
		})
	}
	return exts
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
		"trusted_proxies", len(s.Proxies), "rate_limit_per_minute", s.RatePerMinute, "max_cost", s.Limits.MaxCost,
		"max_depth", s.Limits.MaxDepth)
}
