// Package bench holds the API's benchmarks on both stores (issue 8): the
// GraphQL handler over the embedded store and over Neo4j, on generated
// graphs (internal/gen), with the round trips each request makes to Neo4j.
// See docs/BENCHMARKS.md for how to run them and the published figures.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samverkan/samverkan/graph"
	"github.com/samverkan/samverkan/internal/gen"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/embedded"
	"github.com/samverkan/samverkan/internal/store/neo4j"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

// Settings, from the environment:
//
//	NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE
//	    the Neo4j server (its database is replaced by the generated graph,
//	    unless it holds that graph already); unset: Neo4j is skipped
//	BENCH_SCALES      the generator's scales, comma-separated (default M)
//	BENCH_LINK_DELAY  a delay the proxy adds per flight in each direction
//	                  (e.g. 5ms), when netem is not available (default 0)
func scales() []gen.Scale {
	v := os.Getenv("BENCH_SCALES")
	if v == "" {
		return []gen.Scale{gen.ScaleM}
	}
	var out []gen.Scale
	for _, s := range strings.Split(v, ",") {
		out = append(out, gen.Scale(strings.TrimSpace(s)))
	}
	return out
}

func linkDelay(b *testing.B) time.Duration {
	v := os.Getenv("BENCH_LINK_DELAY")
	if v == "" {
		return 0
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		b.Fatalf("BENCH_LINK_DELAY=%q: %v", v, err)
	}
	return d
}

// fixture is one store holding one generated graph, behind the handler.
type fixture struct {
	h     http.Handler
	proxy *proxy // nil on the embedded store
	graph kg.Graph
	close func()
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[string]*fixture{}
	graphs     = map[gen.Scale]kg.Graph{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range fixtures {
		f.close()
	}
	os.Exit(code)
}

func graphOf(b *testing.B, s gen.Scale) kg.Graph {
	if g, ok := graphs[s]; ok {
		return g
	}
	c, err := s.Config(gen.DefaultSeed)
	if err != nil {
		b.Fatal(err)
	}
	g := gen.Generate(c)
	graphs[s] = g
	return g
}

func handler(s kg.Store) http.Handler {
	return graph.NewHandler(s, graph.Options{Analytics: kg.NewAnalytics(s), Logger: slog.New(slog.DiscardHandler)})
}

// importAll imports g in batches within the API's limits (smaller ones: a
// transaction of 50 000 relationships runs for minutes on a busy machine).
func importAll(b *testing.B, s kg.Store, g kg.Graph) {
	ctx := context.Background()
	start := time.Now()
	for _, batch := range gen.Batches(g, min(5_000, kg.MaxImportNodes), min(10_000, kg.MaxImportRels)) {
		if _, err := s.Import(ctx, batch); err != nil {
			b.Fatalf("importing the generated graph: %v", err)
		}
	}
	st := gen.Count(g)
	b.Logf("imported %d nodes and %d relationships in %v", st.NodesAll, st.RelsAll, time.Since(start).Round(time.Millisecond))
}

// holds reports whether s holds g already: the same count of every label,
// and g's last node and last relationship are there.
func holds(b *testing.B, s kg.Store, g kg.Graph) bool {
	ctx := context.Background()
	st := gen.Count(g)
	for _, l := range kg.Labels {
		p, err := s.List(ctx, kg.ListQuery{Label: l, First: 1})
		if err != nil {
			b.Fatalf("counting %s: %v", l, err)
		}
		if p.TotalCount != st.Nodes[l] {
			return false
		}
	}
	nodes := g.Nodes()
	last := nodes[len(nodes)-1].Base().ID
	got, err := s.GetNodes(ctx, []string{last})
	if err != nil || got[0] == nil {
		return false
	}
	r := g.Rels[len(g.Rels)-1]
	rels, err := s.RelsOf(ctx, r.Type, kg.Outgoing, []string{r.From})
	if err != nil {
		return false
	}
	for _, x := range rels[r.From] {
		if x.Key() == r.Key() {
			return true
		}
	}
	return false
}

func embeddedFixture(b *testing.B, s gen.Scale) *fixture {
	key := "embedded/" + string(s)
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f, ok := fixtures[key]; ok {
		return f
	}
	dir, err := os.MkdirTemp("", "samverkan-bench-")
	if err != nil {
		b.Fatal(err)
	}
	st, err := embedded.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	g := graphOf(b, s)
	importAll(b, st, g)
	f := &fixture{h: handler(st), graph: g, close: func() { st.Close(); os.RemoveAll(dir) }}
	fixtures[key] = f
	return f
}

func neo4jConfig() neo4j.Config {
	cfg := teststore.Neo4jConfig()
	cfg.StatementTimeout = 15 * time.Minute
	return cfg
}

// neo4jFixture loads the graph into the server unless it holds it already
// (so repeated runs import once), then serves the benchmarks through a
// counting proxy. Only one scale fits the server at a time.
func neo4jFixture(b *testing.B, s gen.Scale) *fixture {
	if os.Getenv("NEO4J_URI") == "" {
		b.Skip("Neo4j benchmarks need a server: set NEO4J_URI (e.g. NEO4J_PORT=17689 tools/neo4j/run.sh start); its database is replaced")
	}
	key := "neo4j/" + string(s)
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f, ok := fixtures[key]; ok {
		return f
	}
	for k, f := range fixtures { // the server holds one graph at a time
		if strings.HasPrefix(k, "neo4j/") {
			f.close()
			delete(fixtures, k)
		}
	}
	ctx := context.Background()
	cfg := neo4jConfig()
	direct, err := neo4j.Open(ctx, cfg)
	if err != nil {
		b.Fatalf("opening Neo4j: %v", err)
	}
	defer direct.Close()
	g := graphOf(b, s)
	if !holds(b, direct, g) {
		if err := direct.DeleteAll(ctx); err != nil {
			b.Fatalf("emptying Neo4j: %v", err)
		}
		importAll(b, direct, g)
	}
	u, err := url.Parse(cfg.URI)
	if err != nil {
		b.Fatalf("NEO4J_URI: %v", err)
	}
	if u.Scheme != "bolt" && u.Scheme != "bolt+s" {
		// A routing URI would send the driver to the addresses the server
		// advertises, around the proxy.
		b.Fatalf("NEO4J_URI must be a bolt:// URI (a direct connection) to count round trips, not %s", cfg.URI)
	}
	px := startProxy(b, u.Host, linkDelay(b))
	u.Host = px.Addr()
	cfg.URI = u.String()
	st, err := neo4j.Open(ctx, cfg)
	if err != nil {
		px.Close()
		b.Fatalf("opening Neo4j through the proxy: %v", err)
	}
	f := &fixture{h: handler(st), proxy: px, graph: g, close: func() { st.Close(); px.Close() }}
	fixtures[key] = f
	return f
}

// do sends one GraphQL request through the handler and fails on an error
// answer.
func (f *fixture) do(b *testing.B, query string, vars map[string]any) []byte {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	out := rec.Body.Bytes()
	if rec.Code != http.StatusOK || bytes.Contains(out, []byte(`"errors":`)) {
		b.Fatalf("%s: HTTP %d: %.600s", strings.Join(strings.Fields(query), " "), rec.Code, out)
	}
	return out
}

// request is one benchmarked request shape.
type request struct {
	name  string
	query string
	vars  map[string]any
	// before, when set, runs untimed and uncounted before every request
	// (brokers cold: a write, so that the cache is stale).
	before func(b *testing.B, f *fixture)
	check  func(b *testing.B, answer []byte)
}

// shapes picks the requests' arguments from the generated graph by rules
// that give the same request shape on every scale.
func shapes(g kg.Graph) []request {
	pathFrom, pathTo := pathPair(g)
	upsert := upsertInput(g)
	needID := busyNeed(g)
	write := func(b *testing.B, f *fixture) {
		f.do(b, `mutation($in: ActorInput!) { upsertActor(input: $in) { id } }`, map[string]any{"in": upsert})
	}
	paths := `query($from: ID!, $to: ID!, $k: Int!) { partnershipPaths(from: $from, to: $to, k: $k) { summary nodes { id } } }`
	wantPaths := func(b *testing.B, answer []byte) {
		var r struct {
			Data struct {
				PartnershipPaths []struct{ Summary string } `json:"partnershipPaths"`
			}
		}
		_ = json.Unmarshal(answer, &r)
		if len(r.Data.PartnershipPaths) == 0 {
			b.Fatalf("partnershipPaths found no path between %s and %s", pathFrom, pathTo)
		}
	}
	return []request{
		{name: "actor", query: `query($id: ID!) { actor(id: $id) { name } }`, vars: map[string]any{"id": gen.ActorID(42)}},
		{name: "actors-page-20", query: `{ actors(first: 20) { totalCount edges { node { id name } } pageInfo { endCursor hasNextPage } } }`},
		{name: "actors-page-100", query: `{ actors(first: 100) { totalCount edges { node { id name } } pageInfo { endCursor hasNextPage } } }`},
		{name: "search", query: `{ search(text: "goteborg health", first: 10) { score node { id name } } }`},
		{name: "partnershipPaths-k1", query: paths, vars: map[string]any{"from": pathFrom, "to": pathTo, "k": 1}, check: wantPaths},
		{name: "partnershipPaths-k3", query: paths, vars: map[string]any{"from": pathFrom, "to": pathTo, "k": 3}, check: wantPaths},
		{name: "matchNeed", query: `query($id: ID!) { matchNeed(needId: $id, first: 10) { coverage distance actor { id name } } }`,
			vars: map[string]any{"id": needID}},
		{name: "brokers-cold", query: `{ brokers(first: 10) { exact actorCount brokers { score actor { id name } } } }`, before: write},
		{name: "brokers-warm", query: `{ brokers(first: 10) { exact actorCount brokers { score actor { id name } } } }`},
		{name: "upsertActor", query: `mutation($in: ActorInput!) { upsertActor(input: $in) { id name updatedAt } }`,
			vars: map[string]any{"in": upsert}},
	}
}

// defaultVia is the adjacency of partnershipPaths' default via groups.
func defaultVia(g kg.Graph) map[string][]string {
	adj := map[string][]string{}
	for _, r := range g.Rels {
		switch r.Type {
		case kg.RelParticipatesIn, kg.RelMemberOf, kg.RelPartnersWith:
			adj[r.From] = append(adj[r.From], r.To)
			adj[r.To] = append(adj[r.To], r.From)
		}
	}
	return adj
}

// pathPair returns two actors 4 hops apart (actor – project – actor –
// project – actor, or the like): the first actor after the hubs with 2 to 4
// ties, and the actor of smallest id at distance 4 from it.
func pathPair(g kg.Graph) (string, string) {
	adj := defaultVia(g)
	isActor := map[string]bool{}
	for _, a := range g.Actors {
		isActor[a.ID] = true
	}
	for i := 20; i < len(g.Actors); i++ {
		from := gen.ActorID(i)
		if d := len(adj[from]); d < 2 || d > 4 {
			continue
		}
		dist := map[string]int{from: 0}
		frontier := []string{from}
		for d := 0; d < 4; d++ {
			var next []string
			for _, x := range frontier {
				for _, y := range adj[x] {
					if _, ok := dist[y]; !ok {
						dist[y] = d + 1
						next = append(next, y)
					}
				}
			}
			frontier = next
		}
		var at4 []string
		for _, x := range frontier {
			if isActor[x] {
				at4 = append(at4, x)
			}
		}
		if len(at4) > 0 {
			return from, slices.Min(at4)
		}
	}
	panic("bench: no actor pair 4 hops apart")
}

// busyNeed is the need with the most required competencies (the first by
// id among equals), so that matching has candidates.
func busyNeed(g kg.Graph) string {
	req := map[string]int{}
	for _, r := range g.Rels {
		if r.Type == kg.RelRequires {
			req[r.From]++
		}
	}
	best := ""
	for _, n := range g.Needs {
		if best == "" || req[n.ID] > req[best] || (req[n.ID] == req[best] && n.ID < best) {
			best = n.ID
		}
	}
	return best
}

// upsertInput is an ActorInput that replaces an actor of the graph with its
// own fields: the write is real, and the graph stays the generated one.
func upsertInput(g kg.Graph) map[string]any {
	a := g.Actors[7]
	in := map[string]any{"id": a.ID, "name": a.Name, "kind": a.Kind, "sector": a.Sector}
	for k, v := range map[string]string{"description": a.Description, "country": a.Country, "region": a.Region,
		"city": a.City, "website": a.Website} {
		if v != "" {
			in[k] = v
		}
	}
	if len(a.Aliases) > 0 {
		in["aliases"] = a.Aliases
	}
	return in
}

// run benchmarks one request: one warm-up, then b.N requests, each with
// its round trips counted on its own.
func run(b *testing.B, f *fixture, r request) {
	if r.before != nil {
		r.before(b, f)
	}
	answer := f.do(b, r.query, r.vars)
	if r.check != nil {
		r.check(b, answer)
	}
	var trips, most int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r.before != nil {
			b.StopTimer()
			r.before(b, f)
			b.StartTimer()
		}
		var start int64
		if f.proxy != nil {
			start = f.proxy.RoundTrips()
		}
		f.do(b, r.query, r.vars)
		if f.proxy != nil {
			n := f.proxy.RoundTrips() - start
			trips += n
			most = max(most, n)
		}
	}
	b.StopTimer()
	if f.proxy != nil {
		b.ReportMetric(float64(trips)/float64(b.N), "round-trips/op")
		b.ReportMetric(float64(most), "max-round-trips")
	}
}

// BenchmarkAPI runs every request shape through the GraphQL handler, on
// the embedded store and on Neo4j, for each scale of BENCH_SCALES:
// BenchmarkAPI/<scale>/<store>/<request>.
func BenchmarkAPI(b *testing.B) {
	for _, s := range scales() {
		b.Run(string(s), func(b *testing.B) {
			g := graphOf(b, s)
			reqs := shapes(g)
			for _, store := range []string{"embedded", "neo4j"} {
				b.Run(store, func(b *testing.B) {
					var f *fixture
					if store == "embedded" {
						f = embeddedFixture(b, s)
					} else {
						f = neo4jFixture(b, s)
					}
					for _, r := range reqs {
						b.Run(r.name, func(b *testing.B) { run(b, f, r) })
					}
				})
			}
		})
	}
}

// TestShapes checks, without a server, that the request shapes find their
// arguments on every scale and answer on the embedded store.
func TestShapes(t *testing.T) {
	for _, s := range gen.Scales {
		g := gen.MustScale(s)
		from, to := pathPair(g)
		if from == to || busyNeed(g) == "" {
			t.Fatalf("%s: bad arguments %s %s %s", s, from, to, busyNeed(g))
		}
		t.Logf("%s: partnershipPaths %s → %s; matchNeed %s", s, from, to, busyNeed(g))
	}
	if testing.Short() {
		return
	}
	dir := t.TempDir()
	st, err := embedded.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	g := gen.MustScale(gen.ScaleS)
	for _, batch := range gen.Batches(g, kg.MaxImportNodes, kg.MaxImportRels) {
		if _, err := st.Import(context.Background(), batch); err != nil {
			t.Fatal(err)
		}
	}
	h := handler(st)
	for _, r := range shapes(g) {
		body, _ := json.Marshal(map[string]any{"query": r.query, "variables": r.vars})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors":`) {
			t.Errorf("%s: HTTP %d: %.400s", r.name, rec.Code, rec.Body.String())
		}
	}
}
