package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/samverkan/samverkan/internal/explorer"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/limits"
	"github.com/samverkan/samverkan/internal/metrics"
)

// addRoutes is the whole HTTP surface of the server. store is the
// instrumented store; raw the store itself, for the backup copy.
func addRoutes(mux *http.ServeMux, d Deps, store, raw kg.Store, gql http.Handler, m *metrics.Metrics, limiter *limits.RateLimiter) {
	cfg, sec := d.Config, d.Config.Security
	// GraphQL over HTTP (GET, POST) and websockets: the x-ratelimit headers,
	// CORS, method and media type, body limit, caller identity, the spec's
	// statuses and httpstatus's (one wrapper), then gqlgen.
	mux.Handle("/graphql", withRateLimitHeaders(limiter, sec, withCORS(cfg.CORSAllowedOrigins, withMethodAndType(limitBody(cfg.MaxBodyBytes,
		withIdentity(sec, withGraphQLOverHTTP(gql)))))))
	page, files := graphiql("/graphql", d.Tour)
	mux.Handle("GET /{$}", page)
	mux.Handle("GET /graphiql/", files)
	mux.Handle("GET /explore", explorer.Handler())
	mux.Handle("GET /explore/", explorer.Handler())
	mux.HandleFunc("GET /healthz", healthz)
	mux.Handle("GET /readyz", readyz(store, d))
	mux.Handle("GET /metrics", m.Handler())
	mux.Handle("GET /export", withIdentity(sec, exportHandler(store, d.Log)))
	mux.Handle("GET /admin/backup", withIdentity(sec, backupHandler(raw, cfg.DataDir, cfg.BackupTimeout, d.Log)))
}

// healthz says the process serves (liveness).
func healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz says the store answers (readiness: take the replica out of the
// load balancer while it does not).
func readyz(store kg.Store, d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := store.Ping(ctx); err != nil {
			d.Log.WarnContext(ctx, "not ready", "err", err.Error())
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
}
