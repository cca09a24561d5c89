// Command samverkan serves the Samverkan GraphQL API over the knowledge graph
// of the Nordic welfare-innovation ecosystem. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/samverkan/samverkan/graph"
	"github.com/samverkan/samverkan/internal/httpstatus"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/metrics"
	"github.com/samverkan/samverkan/internal/seed"
	"github.com/samverkan/samverkan/internal/store/embedded"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "samverkan:", err)
		os.Exit(1)
	}
}

// run starts the server and blocks until ctx is done, then shuts down
// gracefully: in-flight requests finish (up to the shutdown timeout) and
// the store is closed. Tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := loadConfig(args, getenv)
	if err != nil {
		return err
	}
	log := slog.New(requestIDHandler{slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: cfg.LogLevel})})

	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Error("closing the store", "err", err.Error())
		}
	}()
	if cfg.Seed == seedAuto {
		loaded, err := seed.Load(ctx, store)
		if err != nil {
			return fmt.Errorf("loading the seed dataset: %w", err)
		}
		log.Info("seed dataset", "loaded", loaded)
	}

	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.Host, cfg.Port))
	if err != nil {
		return fmt.Errorf("listening on %s: %w", net.JoinHostPort(cfg.Host, cfg.Port), err)
	}
	closing := make(chan struct{})
	cfg.closing = closing
	srv := &http.Server{
		Handler:           newMux(cfg, store, log),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	srv.RegisterOnShutdown(func() { close(closing) })
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	browse := ln.Addr().String()
	if cfg.Host == "" {
		// Listening on every interface: point people at this machine.
		browse = net.JoinHostPort("localhost", strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	}
	log.Info("listening", "addr", ln.Addr().String(), "store", cfg.storeName(), "graphiql", "http://"+browse+"/")

	select {
	case err := <-served:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// openStore opens the store the configuration selects.
func openStore(ctx context.Context, cfg config, log *slog.Logger) (kg.Store, error) {
	if cfg.Neo4jURI != "" {
		return openNeo4j(ctx, cfg, log)
	}
	s, err := embedded.Open(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("opening the embedded store in %s: %w", cfg.DataDir, err)
	}
	return s, nil
}

// newMux routes the HTTP endpoints.
func newMux(cfg config, store kg.Store, log *slog.Logger) http.Handler {
	// The size gauges read the embedded store itself; everything below
	// uses the instrumented one.
	m := metrics.New()
	if es, ok := store.(metrics.EmbeddedStats); ok {
		m.ObserveEmbedded(es)
	}
	raw := store
	store = metrics.InstrumentStore(store, m)
	// Metrics is the first extension, so that it sees every later one's refusals.
	exts := []graphql.HandlerExtension{m.GraphQL(log)}
	// Then authorisation, query limits and rate limits (security.go).
	exts = append(exts, cfg.Security.extensions()...)
	cfg.Security.log(log)
	gql := graph.NewHandler(store, graph.Options{Logger: log, RequestTimeout: cfg.RequestTimeout, Extensions: exts,
		Introspection: !cfg.Security.Production, DisableSuggestions: cfg.Security.Production,
		ParserTokenLimit: cfg.Security.Limits.MaxTokens, APQCacheSize: cfg.Security.APQCacheSize,
		Websocket: &graph.WebsocketOptions{CheckOrigin: websocketOriginAllowed(cfg), ReadLimit: cfg.MaxBodyBytes, Closing: cfg.closing}})
	mux := http.NewServeMux()
	mux.Handle("/graphql", withCORS(cfg, withMethodAndType(limitBody(cfg.MaxBodyBytes, cfg.Security.middleware(withGraphQLOverHTTP(httpstatus.Middleware(gql)))))))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := store.Ping(ctx); err != nil {
			log.WarnContext(ctx, "not ready", "err", err.Error())
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	mux.Handle("GET /{$}", graphiql("/graphql"))
	mux.Handle("GET /metrics", m.Handler())
	mux.Handle("GET /admin/backup", cfg.Security.middleware(backupHandler(raw, cfg.DataDir, cfg.BackupTimeout, log)))
	return withRequestID(withAccessLog(log, m.InstrumentHTTP(mux, withRecover(log, mux))))
}
