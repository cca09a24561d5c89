package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	gqlhandler "github.com/99designs/gqlgen/graphql/handler"

	"github.com/samverkan/samverkan/graph"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/seed"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

// newStore opens an empty store of this run's kind: embedded, or Neo4j
// when NEO4J_URI is set (see teststore).
func newStore(t *testing.T) kg.Store {
	t.Helper()
	return teststore.Open(t)
}

// seededStore opens a store holding the Nordic seed dataset.
func seededStore(t *testing.T) kg.Store {
	t.Helper()
	s := newStore(t)
	if loaded, err := seed.Load(context.Background(), s); err != nil || !loaded {
		t.Fatalf("seed.Load = %v, %v", loaded, err)
	}
	return s
}

// handler returns the GraphQL handler over store, logging into logs.
func handler(t *testing.T, store kg.Store, logs io.Writer) http.Handler {
	return handlerWith(t, store, logs, 0)
}

// handlerWith is handler with an operation deadline.
func handlerWith(t *testing.T, store kg.Store, logs io.Writer, timeout time.Duration) http.Handler {
	t.Helper()
	if logs == nil {
		logs = io.Discard
	}
	// A generous batch window keeps the loader test deterministic on a busy
	// machine; the default is DefaultLoaderWait.
	return newHandler(store, graph.Options{
		Logger:         slog.New(slog.NewJSONHandler(logs, nil)),
		LoaderWait:     25 * time.Millisecond,
		RequestTimeout: timeout,
		Introspection:  true,
	})
}

// newHandler is graph.NewHandler over store with the analytics service
// built over it, as the server builds it.
func newHandler(store kg.Store, opts graph.Options) *gqlhandler.Server {
	opts.Analytics = kg.NewAnalytics(store)
	return graph.NewHandler(store, opts)
}

// gqlError is one entry of a response's errors list.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	Status int
	Data   map[string]any
	Errors []gqlError
	Raw    string
}

// post sends one GraphQL request the way a client would and decodes the
// answer whatever its HTTP status.
func post(t *testing.T, h http.Handler, query string, vars map[string]any) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []gqlError     `json:"errors"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("response is not JSON (%d): %s", w.Code, w.Body.String())
	}
	return response{Status: w.Code, Data: out.Data, Errors: out.Errors, Raw: w.Body.String()}
}

// mustPost posts through gqlgen's test client and fails on any error.
func mustPost(t *testing.T, h http.Handler, query string, resp any, vars map[string]any) {
	t.Helper()
	var opts []client.Option
	for k, v := range vars {
		opts = append(opts, client.Var(k, v))
	}
	if err := client.New(h, client.Path("/graphql")).Post(query, resp, opts...); err != nil {
		t.Fatalf("query failed: %v\n%s", err, query)
	}
}

// failingStore answers every call with err, or panics when err is nil.
type failingStore struct {
	kg.Store
	err error
}

func (f failingStore) GetNodes(context.Context, []string) ([]kg.Node, error) {
	if f.err == nil {
		// The loader's batch function recovers panics itself; this one is
		// about the resolver's path, so fail plainly here.
		return nil, errors.New("store exploded at /var/lib/secret/path")
	}
	return nil, f.err
}

func (f failingStore) List(context.Context, kg.ListQuery) (kg.Page, error) {
	if f.err == nil {
		panic("store exploded at /var/lib/secret/path")
	}
	return kg.Page{}, f.err
}
