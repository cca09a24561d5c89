package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/seed"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

// promSample is one line of the Prometheus text format.
type promSample struct {
	name   string
	labels map[string]string
	value  float64
}

var (
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$`)
	labelPair  = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`)
)

// scrape reads GET /metrics.
func (s *testServer) scrape(t *testing.T) (string, []promSample) {
	t.Helper()
	resp, body := s.get(t, "/metrics", nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var out []promSample
	for _, line := range strings.Split(body, "\n") {
		m := sampleLine.FindStringSubmatch(line)
		if m == nil || strings.HasPrefix(line, "#") {
			continue
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		labels := map[string]string{}
		for _, p := range labelPair.FindAllStringSubmatch(m[2], -1) {
			labels[p[1]] = p[2]
		}
		out = append(out, promSample{m[1], labels, v})
	}
	return body, out
}

// value is the sample of name whose labels include want (-1 when none).
func value(samples []promSample, name string, want map[string]string) float64 {
next:
	for _, s := range samples {
		if s.name != name {
			continue
		}
		for k, v := range want {
			if s.labels[k] != v {
				continue next
			}
		}
		return s.value
	}
	return -1
}

// postGQL sends a GraphQL request with extra headers.
func (s *testServer) postGQL(t *testing.T, query string, vars map[string]any, header map[string]string) (int, gqlResponse) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, s.base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("status %d, body %s", resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

// After reads, a refused query and a stray URL, /metrics tells an operator
// what happened: requests by route and status, operations by name and
// outcome code, store calls by method, and the embedded store's size.
// Only reads: mutations need a key once authentication is on.
func TestMetricsEndpoint(t *testing.T) {
	parallel(t)
	s := start(t, nil, "-data-dir", t.TempDir())

	for i := 0; i < 2; i++ {
		if r := s.gql(t, `query ListActors { actors(first: 2) { totalCount edges { node { id } } } }`, nil); len(r.Errors) > 0 {
			t.Fatalf("ListActors: %+v", r.Errors)
		}
	}
	if r := s.gql(t, `query Lookup { nodes(ids: ["karlstads-kommun", "compare"]) { id } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("Lookup: %+v", r.Errors)
	}
	if r := s.gql(t, `{ search(text: "varmland") { score } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("anonymous search: %+v", r.Errors)
	}
	if r := s.gql(t, `query BadPage { actors(first: 0) { totalCount } }`, nil); len(r.Errors) == 0 ||
		r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Fatalf("BadPage was not refused: %+v", r)
	}
	if resp, _ := s.get(t, "/wp-login.php?user=secret-probe-31", nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("stray URL: %d", resp.StatusCode)
	}
	if resp, _ := s.get(t, "/healthz", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %d", resp.StatusCode)
	}

	body, samples := s.scrape(t)
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64 // exact; 0 means "at least one"
	}{
		{"samverkan_http_requests_total", map[string]string{"method": "POST", "path": "/graphql", "status": "200"}, 0},
		{"samverkan_http_requests_total", map[string]string{"method": "GET", "path": "/healthz", "status": "200"}, 1},
		{"samverkan_http_requests_total", map[string]string{"method": "GET", "path": "other", "status": "404"}, 1},
		{"samverkan_http_request_duration_seconds_count", map[string]string{"method": "POST", "path": "/graphql"}, 5},
		{"samverkan_graphql_operations_total", map[string]string{"operation": "ListActors", "type": "query", "code": "OK"}, 2},
		{"samverkan_graphql_operations_total", map[string]string{"operation": "Lookup", "code": "OK"}, 1},
		{"samverkan_graphql_operations_total", map[string]string{"operation": "anonymous", "code": "OK"}, 1},
		{"samverkan_graphql_operations_total", map[string]string{"operation": "BadPage", "code": "BAD_USER_INPUT"}, 1},
		{"samverkan_graphql_operation_duration_seconds_count", map[string]string{"operation": "ListActors"}, 2},
		{"samverkan_store_call_duration_seconds_count", map[string]string{"operation": "GetNodes"}, 0},
		{"samverkan_store_call_duration_seconds_count", map[string]string{"operation": "List"}, 0},
		{"samverkan_store_call_duration_seconds_count", map[string]string{"operation": "Search"}, 0},
		{"samverkan_store_nodes", nil, float64(len(g.Nodes()))},
		{"samverkan_store_relationships", nil, float64(len(g.Rels))},
	} {
		got := value(samples, c.name, c.labels)
		if teststore.OnNeo4j() && strings.HasPrefix(c.name, "samverkan_store_") && !strings.Contains(c.name, "call") {
			// The size gauges read the embedded store; Neo4j has its own metrics.
			if got != -1 {
				t.Errorf("%s = %v on Neo4j, want no such gauge", c.name, got)
			}
			continue
		}
		if (c.want == 0 && got < 1) || (c.want != 0 && got != c.want) {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	// Only the embedded store has a file of its own to measure.
	if got := value(samples, "samverkan_store_file_bytes", nil); teststore.OnNeo4j() != (got == -1) || got == 0 {
		t.Errorf("samverkan_store_file_bytes = %v on the %s store", got, teststore.Name())
	}
	// The Go runtime and process collectors are on the registry.
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if value(samples, name, nil) < 0 {
			t.Errorf("no %s", name)
		}
	}
	// A raw URL never becomes a label.
	if strings.Contains(body, "wp-login") || strings.Contains(body, "secret-probe") {
		t.Errorf("a raw path reached /metrics")
	}
}

// The log says which operation a request ran, how it ended and how long it
// took, under the request id, but never a variable's value or a key.
func TestOperationLogLine(t *testing.T) {
	parallel(t)
	s := start(t, nil, "-data-dir", t.TempDir())
	const (
		varMarker = "var-marker-5b1e9c"
		keyMarker = "key-marker-d04f27"
	)
	s.postGQL(t, `query LogProbe($id: ID!) { actor(id: $id) { name } }`, map[string]any{"id": varMarker},
		map[string]string{"Authorization": "Bearer " + keyMarker, "X-Request-Id": "log-probe-1"})
	s.postGQL(t, `query LogProbe2($id: ID!) { actor(id: $id) { name } }`, map[string]any{"id": "-" + varMarker},
		map[string]string{"Authorization": "Bearer " + keyMarker, "X-Request-Id": "log-probe-2"})
	// The lines are written before the response; a read after it sees them.
	logs := s.logs.String()
	if strings.Contains(logs, varMarker) || strings.Contains(logs, keyMarker) {
		t.Fatalf("a variable or a key reached the log:\n%s", logs)
	}
	found := map[string]map[string]any{}
	for _, line := range strings.Split(logs, "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil || rec["msg"] != "graphql operation" {
			continue
		}
		if id, _ := rec["request_id"].(string); strings.HasPrefix(id, "log-probe-") {
			found[id] = rec
		}
	}
	for id, op := range map[string]string{"log-probe-1": "LogProbe", "log-probe-2": "LogProbe2"} {
		rec := found[id]
		if rec == nil {
			t.Fatalf("no operation log line with request_id %s:\n%s", id, logs)
		}
		if rec["operation"] != op || rec["code"] == nil || rec["code"] == "" || rec["duration_ms"] == nil {
			t.Errorf("log line of %s: %v", id, rec)
		}
	}
	// An invalid id is refused; the line says so (unless the key itself was
	// refused first, once authentication checks reads' keys).
	if c := found["log-probe-2"]["code"]; c != "BAD_USER_INPUT" && c != "UNAUTHENTICATED" {
		t.Errorf("code of the refused lookup = %v", c)
	}
}
