// Package httpapi is the HTTP server: the routes of routes.go, the GraphQL
// handler of package graph behind its middleware, GraphiQL, the probes,
// metrics and the backup download. NewServer builds it from its
// dependencies; package main only wires and serves it.
package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/99designs/gqlgen/graphql"

	"github.com/samverkan/samverkan/graph"
	"github.com/samverkan/samverkan/internal/config"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/metrics"
)

// Deps is what the server needs.
type Deps struct {
	Config config.Config
	Store  kg.Store
	Log    *slog.Logger
	// Closing is closed when shutdown starts: it ends open websocket
	// connections, which http.Server.Shutdown does not track. Nil: never.
	Closing <-chan struct{}
	// StoreSize reports the store's size for the size gauges; nil when the
	// store has no cheap way to say it (Neo4j has its own metrics).
	StoreSize func() metrics.StoreSize
	// Tour is the operations GraphiQL opens with (examples.Tour).
	Tour string
}

// NewServer returns the whole HTTP surface of the API.
func NewServer(d Deps) http.Handler {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	m := metrics.New()
	if d.StoreSize != nil {
		m.ObserveSize(d.StoreSize)
	}
	raw := d.Store
	store := metrics.InstrumentStore(d.Store, m)
	sec := d.Config.Security
	if sec.HidePeople {
		store = kg.HidePeople(store)
	}
	// Metrics is the first extension, so that it sees every later one's
	// refusals; then authorisation, query limits and rate limits.
	limiter := rateLimiter(sec)
	exts := append([]graphql.HandlerExtension{m.GraphQL(d.Log)}, securityExtensions(sec, limiter)...)
	logSecurity(d.Log, sec)
	gql := graph.NewHandler(store, graph.Options{
		Analytics: kg.NewAnalytics(store), Logger: d.Log, RequestTimeout: d.Config.RequestTimeout, Extensions: exts,
		Introspection: !sec.Production, DisableSuggestions: sec.Production,
		ParserTokenLimit: sec.Limits.MaxTokens, APQCacheSize: sec.APQCacheSize,
		Websocket: &graph.WebsocketOptions{
			CheckOrigin: websocketOriginAllowed(d.Config.CORSAllowedOrigins),
			ReadLimit:   d.Config.MaxBodyBytes,
			Closing:     d.Closing,
		},
	})
	mux := http.NewServeMux()
	addRoutes(mux, d, store, raw, gql, m, limiter)
	return withRequestID(withAccessLog(d.Log, m, mux, withRecover(d.Log, mux)))
}
