package metrics

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/samverkan/samverkan/graph"
	"github.com/samverkan/samverkan/internal/errcode"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/seed"
	"github.com/samverkan/samverkan/internal/store/embedded"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

// sample returns the value of a counter or gauge, or the sample count of a
// histogram, whose labels include want; ok is false when there is none.
func sample(t *testing.T, m *Metrics, name string, want map[string]string) (v float64, ok bool) {
	t.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, mt := range f.GetMetric() {
			have := map[string]string{}
			for _, l := range mt.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for k, w := range want {
				if have[k] != w {
					continue next
				}
			}
			switch {
			case mt.GetCounter() != nil:
				return mt.GetCounter().GetValue(), true
			case mt.GetGauge() != nil:
				return mt.GetGauge().GetValue(), true
			case mt.GetHistogram() != nil:
				return float64(mt.GetHistogram().GetSampleCount()), true
			}
		}
	}
	return 0, false
}

// labelValues lists every value that label takes in the family name.
func labelValues(t *testing.T, m *Metrics, name, label string) []string {
	t.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, mt := range f.GetMetric() {
			for _, l := range mt.GetLabel() {
				if l.GetName() == label {
					out = append(out, l.GetValue())
				}
			}
		}
	}
	return out
}

func TestOperationLabel(t *testing.T) {
	m := New()
	for _, c := range []struct{ name, want string }{
		{"", Anonymous},
		{"ListActors", "ListActors"},
		{"_private2", "_private2"},
		{"a" + strings.Repeat("b", 63), "a" + strings.Repeat("b", 63)},
		{"a" + strings.Repeat("b", 64), Other},
		{"2fast", Other},
		{"with space", Other},
		{"drop\nline", Other},
		{"Ünicode", Other},
		{`x"}`, Other},
	} {
		if got := m.operationLabel(c.name); got != c.want {
			t.Errorf("operationLabel(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

// Past MaxOperationNames distinct names, new names share one series while
// the names already seen keep theirs.
func TestOperationNamesAreCapped(t *testing.T) {
	m := New()
	for i := 0; i < MaxOperationNames; i++ {
		if got := m.operationLabel(fmt.Sprintf("Op%d", i)); got != fmt.Sprintf("Op%d", i) {
			t.Fatalf("name %d under the cap = %q", i, got)
		}
	}
	if got := m.operationLabel("OneTooMany"); got != Other {
		t.Errorf("a name past the cap = %q, want %q", got, Other)
	}
	if got := m.operationLabel("Op7"); got != "Op7" {
		t.Errorf("a name seen before the cap = %q", got)
	}
}

func TestCodeLabel(t *testing.T) {
	for _, c := range []struct{ code, want string }{
		{"BAD_USER_INPUT", "BAD_USER_INPUT"},
		{"PERSISTED_QUERY_NOT_FOUND", "PERSISTED_QUERY_NOT_FOUND"},
		{"", Other},
		{"lower", Other},
		{"A" + strings.Repeat("B", 40), Other},
		{"BAD INPUT", Other},
	} {
		if got := codeLabel(c.code); got != c.want {
			t.Errorf("codeLabel(%q) = %q, want %q", c.code, got, c.want)
		}
	}
}

func TestInstrumentHTTP(t *testing.T) {
	m := New()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	mux.HandleFunc("/graphql", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadRequest) })
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(m.InstrumentHTTP(mux, mux))
	defer srv.Close()
	for _, c := range []struct {
		method, path string
		labels       map[string]string
	}{
		{"GET", "/healthz", map[string]string{"method": "GET", "path": "/healthz", "status": "200"}},
		{"POST", "/graphql", map[string]string{"method": "POST", "path": "/graphql", "status": "400"}},
		{"GET", "/", map[string]string{"method": "GET", "path": "/", "status": "200"}},
		{"GET", "/wp-admin/secret-7731", map[string]string{"method": "GET", "path": Other, "status": "404"}},
		{"BREW", "/graphql", map[string]string{"method": Other, "path": "/graphql", "status": "400"}},
		{"POST", "/healthz", map[string]string{"method": "POST", "path": Other, "status": "405"}},
	} {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if v, ok := sample(t, m, "samverkan_http_requests_total", c.labels); !ok || v != 1 {
			t.Errorf("%s %s: requests_total%v = %v (found %v)", c.method, c.path, c.labels, v, ok)
		}
		delete(c.labels, "status")
		if n, ok := sample(t, m, "samverkan_http_request_duration_seconds", c.labels); !ok || n < 1 {
			t.Errorf("%s %s: no latency observed under %v", c.method, c.path, c.labels)
		}
	}
	for _, p := range labelValues(t, m, "samverkan_http_requests_total", "path") {
		if strings.Contains(p, "secret") || strings.Contains(p, "wp-admin") {
			t.Errorf("a raw path became a label: %q", p)
		}
	}
}

// openSeeded opens a store of this run's kind (see teststore) holding the
// seed dataset.
func openSeeded(t *testing.T) kg.Store {
	t.Helper()
	s := teststore.Open(t)
	if _, err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

// The decorator answers exactly as the store does, and times and counts
// every call by method.
func TestInstrumentStore(t *testing.T) {
	ctx := context.Background()
	raw := openSeeded(t)
	m := New()
	s := InstrumentStore(raw, m)

	got, err := s.GetNodes(ctx, []string{"karlstads-kommun", "no-such-node"})
	if err != nil || len(got) != 2 || got[0] == nil || got[0].Base().ID != "karlstads-kommun" || got[1] != nil {
		t.Fatalf("GetNodes through the decorator = %v, %v", got, err)
	}
	page, err := s.List(ctx, kg.ListQuery{Label: kg.LabelActor, First: 3, Order: kg.Order{Field: kg.OrderByID}})
	want, _ := raw.List(ctx, kg.ListQuery{Label: kg.LabelActor, First: 3, Order: kg.Order{Field: kg.OrderByID}})
	if err != nil || len(page.Nodes) != 3 || page.Nodes[0].Base().ID != want.Nodes[0].Base().ID {
		t.Fatalf("List through the decorator = %+v, %v", page, err)
	}
	_, err = s.UpsertNode(ctx, &kg.Actor{Meta: kg.Meta{ID: "-bad", Name: "Bad"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate})
	if !errors.Is(err, kg.ErrInvalid) {
		t.Fatalf("invalid upsert through the decorator = %v", err)
	}
	if _, err := s.RemoveRel(ctx, kg.RelPartnersWith, "karlstads-kommun", "no-such-node"); !errors.Is(err, kg.ErrNotFound) {
		t.Fatalf("RemoveRel with an unknown endpoint = %v", err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}

	for op, calls := range map[string]float64{"GetNodes": 1, "List": 1, "UpsertNode": 1, "RemoveRel": 1, "Ping": 1, "Search": 0} {
		if n, ok := sample(t, m, "samverkan_store_call_duration_seconds", map[string]string{"operation": op}); !ok || n != calls {
			t.Errorf("store latency samples for %s = %v (found %v), want %v", op, n, ok, calls)
		}
	}
	for _, c := range []struct{ op, kind string }{{"UpsertNode", "invalid"}, {"RemoveRel", "not_found"}} {
		if v, ok := sample(t, m, "samverkan_store_call_errors_total", map[string]string{"operation": c.op, "kind": c.kind}); !ok || v != 1 {
			t.Errorf("errors of %s/%s = %v (found %v)", c.op, c.kind, v, ok)
		}
	}
	if v, ok := sample(t, m, "samverkan_store_call_errors_total", map[string]string{"operation": "GetNodes"}); ok && v != 0 {
		t.Errorf("a successful GetNodes counted as an error")
	}
}

func TestObserveSize(t *testing.T) {
	s, err := embedded.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	m := New()
	m.ObserveSize(func() StoreSize {
		st := s.Stats()
		return StoreSize{Nodes: st.Nodes, Rels: st.Rels, FileBytes: st.FileBytes}
	})
	st := s.Stats()
	if st.Nodes == 0 || st.Rels == 0 {
		t.Fatalf("seeded store is empty: %+v", st)
	}
	for name, want := range map[string]float64{
		"samverkan_store_nodes": float64(st.Nodes), "samverkan_store_relationships": float64(st.Rels),
	} {
		if v, ok := sample(t, m, name, nil); !ok || v != want {
			t.Errorf("%s = %v (found %v), want %v", name, v, ok, want)
		}
	}
	if v, _ := sample(t, m, "samverkan_store_file_bytes", nil); v <= 0 {
		t.Errorf("file bytes = %v", v)
	}
	// The gauges follow the store: a write shows at the next scrape.
	ctx := context.Background()
	if _, err := s.UpsertNode(ctx, &kg.Actor{Meta: kg.Meta{ID: "gauge-test", Name: "Gauge AB"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate}); err != nil {
		t.Fatal(err)
	}
	if v, _ := sample(t, m, "samverkan_store_nodes", nil); v != float64(st.Nodes+1) {
		t.Errorf("nodes after one more = %v, want %v", v, st.Nodes+1)
	}
}

// refuser stands for the extensions installed after metrics (auth,
// limits): it refuses in a mutator or short-circuits an operation.
type refuser struct{}

func (refuser) ExtensionName() string                   { return "refuser" }
func (refuser) Validate(graphql.ExecutableSchema) error { return nil }
func (refuser) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation.Name == "Unauthenticated" {
		return &gqlerror.Error{Message: "no key", Extensions: map[string]any{"code": errcode.Unauthenticated}}
	}
	return nil
}
func (refuser) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if graphql.GetOperationContext(ctx).Operation.Name == "Forbidden" {
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{Message: "no", Extensions: map[string]any{"code": errcode.Forbidden}}}})
	}
	return next(ctx)
}

// Each operation is counted once, by name and outcome code, whether it ran,
// failed in a resolver, or was refused before or instead of running; and the
// log line carries name, code and duration but never the variables.
func TestGraphQLExtension(t *testing.T) {
	m := New()
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	store := InstrumentStore(openSeeded(t), m)
	h := graph.NewHandler(store, graph.Options{
		Analytics: kg.NewAnalytics(store), Logger: log, Extensions: []graphql.HandlerExtension{m.GraphQL(log), refuser{}},
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	post := func(body string) {
		t.Helper()
		resp, err := http.Post(srv.URL, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	q := func(query string, vars map[string]any) string {
		b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		return string(b)
	}
	post(q(`query ListActors { actors(first: 2) { totalCount } }`, nil))
	post(q(`query ListActors { actors(first: 3) { totalCount } }`, nil))
	post(q(`query Lookup($id: ID!) { actor(id: $id) { name } }`, map[string]any{"id": "secret-variable-4411"}))
	post(q(`{ actors(first: 0) { totalCount } }`, nil))
	post(q(`query Unauthenticated { actors { totalCount } }`, nil))
	post(q(`query Forbidden { actors { totalCount } }`, nil))
	post(q(`query Broken { actors { nope } }`, nil))
	post(`{"query": "query A { actors { totalCount } }", "operationName": "no such op"}`)
	post(`{not json`)

	for _, c := range []struct {
		op, typ, code string
		n             float64
	}{
		{"ListActors", "query", OK, 2},
		{"Lookup", "query", OK, 1},
		{Anonymous, "query", errcode.BadUserInput, 1},
		{"Unauthenticated", "query", errcode.Unauthenticated, 1},
		{"Forbidden", "query", errcode.Forbidden, 1},
		{"Broken", "query", errcode.BadUserInput, 1},
		{Other, "unknown", errcode.BadUserInput, 1},
		{Anonymous, "unknown", errcode.BadUserInput, 1},
	} {
		labels := map[string]string{"operation": c.op, "type": c.typ, "code": c.code}
		if v, ok := sample(t, m, "samverkan_graphql_operations_total", labels); !ok || v != c.n {
			t.Errorf("operations_total%v = %v (found %v), want %v", labels, v, ok, c.n)
		}
	}
	if n, _ := sample(t, m, "samverkan_graphql_operation_duration_seconds", map[string]string{"operation": "ListActors"}); n != 2 {
		t.Errorf("latency samples of ListActors = %v, want 2", n)
	}
	if n, _ := sample(t, m, "samverkan_store_call_duration_seconds", map[string]string{"operation": "List"}); n < 2 {
		t.Errorf("store List calls = %v, want at least 2", n)
	}

	out := logs.String()
	if strings.Contains(out, "secret-variable-4411") {
		t.Errorf("a variable value reached the log:\n%s", out)
	}
	var lines int
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil || rec["msg"] != "graphql operation" {
			continue
		}
		lines++
		if rec["operation"] == "Lookup" && (rec["code"] != OK || rec["duration_ms"] == nil) {
			t.Errorf("log line of Lookup: %s", l)
		}
	}
	if lines != 9 {
		t.Errorf("%d operation log lines for 9 requests:\n%s", lines, out)
	}
}
