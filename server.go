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

	"github.com/samverkan/samverkan/examples"
	"github.com/samverkan/samverkan/internal/cli"
	"github.com/samverkan/samverkan/internal/config"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/metrics"
	"github.com/samverkan/samverkan/internal/seed"
	"github.com/samverkan/samverkan/internal/store/embedded"
	"github.com/samverkan/samverkan/internal/store/neo4j"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "samverkan:", err)
		os.Exit(1)
	}
}

// run runs a subcommand (gen, import, export: internal/cli) when args name
// one; otherwise it wires the server: configuration, store, seed, HTTP server; it serves
// until ctx is done, then shuts down gracefully (in-flight requests finish
// up to SHUTDOWN_TIMEOUT, then the store closes). Tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if cli.Is(args) { // samverkan gen|import|export …
		return cli.Run(ctx, args, getenv, stdout)
	}
	cfg, err := config.Load(args, getenv)
	if err != nil {
		return err
	}
	log := slog.New(httpapi.RequestIDHandler{Handler: slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: cfg.LogLevel})})
	store, size, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Error("closing the store", "err", err.Error())
		}
	}()
	if cfg.Seed == config.SeedAuto {
		loaded, err := seed.Load(ctx, store)
		if err != nil {
			return fmt.Errorf("loading the seed dataset: %w", err)
		}
		log.Info("seed dataset", "loaded", loaded)
	}

	addr := net.JoinHostPort(cfg.Host, cfg.Port)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	closing := make(chan struct{})
	srv := &http.Server{
		Handler: httpapi.NewServer(httpapi.Deps{Config: cfg, Store: store, Log: log, Closing: closing,
			StoreSize: size, Tour: examples.Tour}),
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
	if cfg.Host == "" { // every interface: point people at this machine
		browse = net.JoinHostPort("localhost", strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	}
	log.Info("listening", "addr", ln.Addr().String(), "store", cfg.StoreName(), "graphiql", "http://"+browse+"/")

	reload := reloadKeysOnHangup(cfg.Security, log)
	defer reload()

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

// reloadKeysOnHangup reloads the API keys on every SIGHUP (see
// ReloadKeys) until the returned stop is called.
func reloadKeysOnHangup(sec config.Security, log *slog.Logger) (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-hup:
				reloadKeys(sec, log)
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(hup); close(done) }
}

// reloadKeys reads API_KEYS_FILE again and swaps the keys in at once; a
// file that cannot be read or parsed keeps the keys in force, and the log
// says why (never a key or a hash).
func reloadKeys(sec config.Security, log *slog.Logger) {
	names, err := sec.ReloadKeys()
	if err != nil {
		log.Error("reloading the API keys failed; the previous keys stay in force", "err", err.Error())
		return
	}
	log.Info("API keys reloaded", "api_keys", names)
}

// openStore opens the store the configuration selects, and for the
// embedded store the size its gauges show. An unreachable Neo4j or refused
// credentials stop the start with a one-line reason.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger) (kg.Store, func() metrics.StoreSize, error) {
	if cfg.Neo4jURI != "" {
		s, err := neo4j.Open(ctx, neo4j.Config{
			URI: cfg.Neo4jURI, Username: cfg.Neo4jUsername, Password: cfg.Neo4jPassword, Database: cfg.Neo4jDatabase,
			StatementTimeout: cfg.Neo4jStatementTimeout, MaxPoolSize: cfg.Neo4jMaxPoolSize, AcquireTimeout: cfg.Neo4jAcquireTimeout,
		}, neo4j.WithLogger(log), neo4j.WithChangeRetention(cfg.ChangeRetention))
		return s, nil, err
	}
	s, err := embedded.Open(cfg.DataDir, embedded.WithChangeRetention(cfg.ChangeRetention))
	if errors.Is(err, embedded.ErrLocked) {
		return nil, nil, fmt.Errorf("%w: DATA_DIR %s is in use; stop that server or choose another DATA_DIR", embedded.ErrLocked, cfg.DataDir)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("opening the embedded store in %s: %w", cfg.DataDir, err)
	}
	size := func() metrics.StoreSize {
		st := s.Stats()
		return metrics.StoreSize{Nodes: st.Nodes, Rels: st.Rels, FileBytes: st.FileBytes}
	}
	return s, size, nil
}
