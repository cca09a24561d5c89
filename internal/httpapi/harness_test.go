package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/samverkan/samverkan/examples"
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

// syncBuffer collects the server's log lines while the test reads them.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

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

type gqlResponse struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (s *testServer) gql(t *testing.T, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(s.base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out gqlResponse
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("status %d, body %s", resp.StatusCode, raw)
	}
	return out
}

func (s *testServer) get(t *testing.T, path string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.base+path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// dig walks decoded JSON by map keys and list indexes.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}
