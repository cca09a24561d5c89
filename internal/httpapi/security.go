package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/samverkan/samverkan/internal/auth"
	"github.com/samverkan/samverkan/internal/config"
	"github.com/samverkan/samverkan/internal/errcode"
	"github.com/samverkan/samverkan/internal/httpstatus"
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
// if no PERSON actor existed (HIDE_PEOPLE_FROM_ANONYMOUS). The change feed
// it refuses them instead: a deleted actor's entry, or a removed tie's,
// cannot be told to be a person's any more.
type hidePeopleFromAnonymous struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	graphql.OperationContextMutator
} = hidePeopleFromAnonymous{}

// keyOnlyWhenHidingPeople are the root fields an anonymous caller may not
// use while people are hidden.
var keyOnlyWhenHidingPeople = []string{"changes", "graphChanged"}

func (hidePeopleFromAnonymous) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if !auth.IdentityOf(ctx).Anonymous() {
		return nil
	}
	for _, f := range graphql.CollectFields(opCtx, opCtx.Operation.SelectionSet, nil) {
		if slices.Contains(keyOnlyWhenHidingPeople, f.Name) {
			httpstatus.Set(ctx, http.StatusUnauthorized, http.Header{"Www-Authenticate": {`Bearer realm="samverkan"`}})
			return &gqlerror.Error{
				Message: fmt.Sprintf("%s needs an API key on this server (HIDE_PEOPLE_FROM_ANONYMOUS: the change feed would name "+
					"people's deletions and ties); send it as Authorization: Bearer <key>", f.Name),
				Extensions: map[string]any{"code": errcode.Unauthenticated},
			}
		}
	}
	return nil
}

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
