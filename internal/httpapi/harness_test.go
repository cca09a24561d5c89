package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/samverkan/samverkan/examples"
	"github.com/samverkan/samverkan/internal/apitest"
	"github.com/samverkan/samverkan/internal/config"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/metrics"
	"github.com/samverkan/samverkan/internal/seed"
	"github.com/samverkan/samverkan/internal/store/embedded"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

// The tests of this package serve NewServer with httptest on a loopback
// port, configured as the real server is (config.Load of env and args),
// over the run's store: the embedded store in the test's -data-dir, or
// Neo4j when NEO4J_URI is set (see teststore). Run as a whole, with run(),
// only package main's tests start the server.

// The helpers every API test shares (package apitest).
type (
	syncBuffer  = apitest.SyncBuffer
	gqlResponse = apitest.Response
)

func dig(v any, path ...any) any { return apitest.Dig(v, path...) }

type testServer struct {
	base string
	logs *syncBuffer
	stop func() error
}

// parallel runs the test beside others, except on Neo4j, whose one
// database the tests share.
func parallel(t *testing.T) {
	if !teststore.OnNeo4j() {
		t.Parallel()
	}
}

// start serves NewServer for the configuration of env and args, on a
// fresh store, seeded unless SEED=never.
func start(t *testing.T, env map[string]string, args ...string) *testServer {
	t.Helper()
	getenv := func(k string) string { return env[k] }
	if teststore.OnNeo4j() {
		store := teststore.ServerEnvKeep(t)
		getenv = func(k string) string {
			if v, ok := env[k]; ok {
				return v
			}
			return store[k]
		}
	}
	cfg, err := config.Load(args, getenv)
	if err != nil {
		t.Fatalf("configuration: %v", err)
	}
	var store kg.Store
	var size func() metrics.StoreSize
	if cfg.Neo4jURI != "" {
		store = teststore.Open(t)
	} else {
		es, err := embedded.Open(cfg.DataDir)
		if err != nil {
			t.Fatalf("opening the embedded store: %v", err)
		}
		t.Cleanup(func() { _ = es.Close() })
		store = es
		size = func() metrics.StoreSize {
			st := es.Stats()
			return metrics.StoreSize{Nodes: st.Nodes, Rels: st.Rels, FileBytes: st.FileBytes}
		}
	}
	logs := &syncBuffer{}
	log := slog.New(RequestIDHandler{slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: cfg.LogLevel})})
	if cfg.Seed == config.SeedAuto {
		if _, err := seed.Load(context.Background(), store); err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	closing := make(chan struct{})
	srv := httptest.NewUnstartedServer(NewServer(Deps{Config: cfg, Store: store, Log: log, Closing: closing,
		StoreSize: size, Tour: examples.Tour}))
	srv.Config.ReadTimeout, srv.Config.WriteTimeout, srv.Config.IdleTimeout = cfg.ReadTimeout, cfg.WriteTimeout, cfg.IdleTimeout
	srv.Start()
	var once sync.Once
	s := &testServer{base: srv.URL, logs: logs}
	s.stop = func() error {
		once.Do(func() {
			close(closing)
			srv.Close()
			log.Info("stopped")
		})
		return nil
	}
	t.Cleanup(func() { _ = s.stop() })
	return s
}

func (s *testServer) gql(t *testing.T, query string, vars map[string]any) gqlResponse {
	t.Helper()
	return apitest.Post(t, s.base, "", query, vars)
}

func (s *testServer) get(t *testing.T, path string, header map[string]string) (*http.Response, string) {
	t.Helper()
	return apitest.Get(t, s.base, path, header)
}
