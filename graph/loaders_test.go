package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samverkan/samverkan/graph"
	"github.com/samverkan/samverkan/internal/apitest"
	"github.com/samverkan/samverkan/internal/gen"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/storetest"
)

// The loaders send a batch as soon as nothing else in the operation can
// join it (graph/loaders.go). These tests run with a long safety net and a
// debug log: a batch that only the safety net sent shows in the log (and
// takes the whole wait), so they show that the count alone batches each
// level into one store call, and that a lone request does not wait.

// neverWait is a safety net no test reaches when the count is right, even
// with -race on a busy machine.
const neverWait = 20 * time.Second

// generated is a store holding a generated ecosystem of 120 actors (lists
// of 100 and more at every level), with the graph itself.
func generated(t *testing.T) (kg.Store, kg.Graph) {
	t.Helper()
	g := gen.Generate(gen.Config{Seed: 1, Actors: 120})
	s := newStore(t)
	for _, b := range gen.Batches(g, kg.MaxImportNodes, kg.MaxImportRels) {
		if _, err := s.Import(context.Background(), b); err != nil {
			t.Fatalf("importing the generated graph: %v", err)
		}
	}
	return s, g
}

// countedHandler is the GraphQL handler over a counting store with the
// given safety net, logging at debug level into logs.
func countedHandler(s kg.Store, wait time.Duration, logs *apitest.SyncBuffer) (http.Handler, *storetest.Counting) {
	c := storetest.NewCounting(s)
	h := newHandler(c, graph.Options{
		Logger:        slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		LoaderWait:    wait,
		Introspection: true,
	})
	return h, c
}

// noSafetyNet fails when the log shows a batch the count did not send.
func noSafetyNet(t *testing.T, logs *apitest.SyncBuffer) {
	t.Helper()
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "safety net") || strings.Contains(line, "count went negative") {
			t.Fatalf("a batch waited for the safety net: %s", line)
		}
	}
}

// first returns the first relationship of type t that satisfies ok.
func firstRel(t *testing.T, g kg.Graph, typ kg.RelType, ok func(kg.Rel) bool) kg.Rel {
	t.Helper()
	for _, r := range g.Rels {
		if r.Type == typ && (ok == nil || ok(r)) {
			return r
		}
	}
	t.Fatalf("the generated graph has no %s relationship", typ)
	return kg.Rel{}
}

// Lists of 100 actors, projects, participants and competencies, each with
// nested fields: one store call per level, whatever the number of results,
// sent by the count rather than a window.
func TestLoadersOneStoreCallPerLevel(t *testing.T) {
	s, g := generated(t)
	part := firstRel(t, g, kg.RelParticipatesIn, nil)
	held := firstRel(t, g, kg.RelHasCompetency, nil)
	var mixed []string // actors, projects and competencies, 100 ids
	for i := range 40 {
		mixed = append(mixed, gen.ActorID(i))
	}
	for i := range 25 {
		mixed = append(mixed, gen.ProjectID(i))
	}
	for i := range 35 {
		mixed = append(mixed, gen.CompetencyID(i))
	}
	quoted := make([]string, len(mixed))
	for i, id := range mixed {
		quoted[i] = fmt.Sprintf("%q", id)
	}
	for _, c := range []struct {
		name  string
		query string
		// calls is the query's depth in store calls: the root field's own
		// call, then one per level and kind of load; each request also
		// reads the graph version once (extensions.graphVersion).
		calls int64
	}{
		{"lone actor", fmt.Sprintf(`{ actor(id: %q) { name } }`, part.From), 1 + 1},
		{"lone actor, nested", fmt.Sprintf(`{ __typename actor(id: %q) { __typename name projects { role project { name participants { actor { name } } } } } }`, part.From), 5 + 1},
		// list; projects; their nodes; participants; their nodes;
		// competencies; their nodes.
		{"100 actors, seven levels", `{ actors(first: 100) { edges { node { name
			projects { role project { name participants { role actor { name
				competencies { level competency { name } } } } } } } } } }`, 7 + 1},
		// Both root fields' nodes in one call, then one per level.
		{"aliased root fields", fmt.Sprintf(`{ a: actor(id: %q) { name projects { project { name } } }
			b: actor(id: %q) { name projects { project { name } } }
			c: project(id: %q) { name participants { actor { name } } } }`, part.From, held.From, part.To), 4 + 1},
		// Interface values with fragments on three types: the root call, the
		// three relationship kinds, then their endpoints (one nodes call).
		{"100 nodes through the Node interface", fmt.Sprintf(`{ nodes(ids: [%s]) { id __typename
			... on Actor { name projects { project { name } } }
			... on Project { name participants { actor { name } } }
			... on Competency { holders { level actor { name } } } } }`, strings.Join(quoted, ",")), 5 + 1},
		// Search hits hold their node: the search, then two levels.
		{"search hits", `{ search(text: "a", first: 50) { score node { id ... on Actor { projects { project { name } } } } } }`, 3 + 1},
		// Fragments, directives and a field twice: the count follows
		// gqlgen's collection of fields.
		{"fragments and directives", `query($yes: Boolean = true, $no: Boolean = false) {
			actors(first: 60) { edges { node { ...A name name @include(if: $yes)
				projects @include(if: $yes) { project { name } }
				competencies @skip(if: $yes) { level } partnerships @include(if: $no) { since } } } } }
			fragment A on Actor { id projects { role } ... on Node { id } }`, 3 + 1},
		// Introspection beside loads: its fields are counted too.
		{"introspection beside loads", fmt.Sprintf(`{ __schema { queryType { name } types { name kind fields { name type { name kind ofType { name } } } } }
			__type(name: "Actor") { name interfaces { name } }
			actor(id: %q) { projects { project { name } } } }`, part.From), 3 + 1},
		// The same nodes again at a deeper level come from the cache.
		{"partners of partners", fmt.Sprintf(`{ actor(id: %q) { partnerships { partner { name
			partnerships { partner { name partnerships { partner { name } } } } } } } }`, part.From), 7 + 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			logs := &apitest.SyncBuffer{}
			h, store := countedHandler(s, neverWait, logs)
			r := post(t, h, c.query, nil)
			if len(r.Errors) > 0 {
				t.Fatalf("errors: %v", r.Errors)
			}
			noSafetyNet(t, logs)
			if got := store.Calls(); got > c.calls || (c.name != "partners of partners" && got != c.calls) {
				t.Fatalf("%d store calls, want %d (one per level)", got, c.calls)
			}
		})
	}
}

// The existing batching test's query, at 50 and 100 actors: the same calls
// at both sizes.
func TestLoadersCallsDoNotGrowWithResults(t *testing.T) {
	s, _ := generated(t)
	query := `query($n: Int) { actors(first: $n) { edges { node { name
		projects { role project { name participants { role actor { name } } } } } } } }`
	for _, n := range []int{1, 2, 50, 100} {
		logs := &apitest.SyncBuffer{}
		h, store := countedHandler(s, neverWait, logs)
		var resp struct {
			Actors struct {
				Edges []struct {
					Node struct {
						Name     string
						Projects []any
					}
				}
			}
		}
		mustPost(t, h, query, &resp, map[string]any{"n": n})
		if len(resp.Actors.Edges) != n {
			t.Fatalf("first %d gave %d actors", n, len(resp.Actors.Edges))
		}
		noSafetyNet(t, logs)
		if c := store.Calls(); c != 5+1 {
			t.Fatalf("first %d: %d store calls, want 5 + 1 (one per level and the version)", n, c)
		}
	}
}

// A mutation's root fields run one after another; each reads what the
// ones before it wrote, not what an earlier field of the same operation
// loaded.
func TestLoadersMutationReadsEarlierWrites(t *testing.T) {
	s, g := generated(t)
	held := firstRel(t, g, kg.RelHasCompetency, nil)
	part := firstRel(t, g, kg.RelParticipatesIn, func(r kg.Rel) bool { return r.From == held.From })
	logs := &apitest.SyncBuffer{}
	h, _ := countedHandler(s, neverWait, logs)
	var resp struct {
		Before, After struct {
			Actor struct {
				Projects []struct{ Project struct{ ID string } }
			}
		}
		Removed bool
	}
	mustPost(t, h, `mutation($a: ID!, $p: ID!, $c: ID!) {
		before: setCompetency(actorId: $a, competencyId: $c, level: 3) { actor { projects { project { id } } } }
		removed: removeParticipation(actorId: $a, projectId: $p)
		after: setCompetency(actorId: $a, competencyId: $c, level: 4) { actor { projects { project { id } } } } }`,
		&resp, map[string]any{"a": part.From, "p": part.To, "c": held.To})
	ids := func(ps []struct{ Project struct{ ID string } }) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Project.ID)
		}
		return out
	}
	if !resp.Removed || !slices.Contains(ids(resp.Before.Actor.Projects), part.To) || slices.Contains(ids(resp.After.Actor.Projects), part.To) {
		t.Fatalf("removed %v; projects before %v, after %v; want %s before only", resp.Removed,
			ids(resp.Before.Actor.Projects), ids(resp.After.Actor.Projects), part.To)
	}
	noSafetyNet(t, logs)
}

// slowSearch holds every search until a relationship list has been loaded.
type slowSearch struct {
	kg.Store
	once   sync.Once
	loaded chan struct{}
	waited chan bool // whether the search saw the load before giving up
}

func (s *slowSearch) RelsOf(ctx context.Context, t kg.RelType, dir kg.Direction, ids []string) (map[string][]kg.Rel, error) {
	s.once.Do(func() { close(s.loaded) })
	return s.Store.RelsOf(ctx, t, dir, ids)
}

func (s *slowSearch) Search(ctx context.Context, q kg.SearchQuery) ([]kg.SearchHit, error) {
	select {
	case <-s.loaded:
		s.waited <- true
	case <-time.After(30 * time.Second):
		s.waited <- false
	}
	return s.Store.Search(ctx, q)
}

// A field that runs long without the loaders (here a search) does not hold
// the batches of the fields beside it longer than the safety net.
func TestLoadersSafetyNetSendsBesideASlowField(t *testing.T) {
	s, g := generated(t)
	part := firstRel(t, g, kg.RelParticipatesIn, nil)
	slow := &slowSearch{Store: s, loaded: make(chan struct{}), waited: make(chan bool, 1)}
	logs := &apitest.SyncBuffer{}
	h, _ := countedHandler(slow, time.Millisecond, logs)
	r := post(t, h, fmt.Sprintf(`{ search(text: "a") { score }
		actor(id: %q) { projects { project { name } } } }`, part.From), nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %v", r.Errors)
	}
	if !<-slow.waited {
		t.Fatal("the actor's relationships were not loaded while the search ran")
	}
	if !strings.Contains(logs.String(), "safety net") {
		t.Fatalf("no batch was sent by the safety net: %s", logs.String())
	}
}

// panickingRels panics in every relationship load.
type panickingRels struct{ kg.Store }

func (panickingRels) RelsOf(context.Context, kg.RelType, kg.Direction, []string) (map[string][]kg.Rel, error) {
	panic("store exploded at /var/lib/secret/path")
}

// A batch whose store call panics answers its fields with an internal
// error, and the fields beside it still answer.
func TestLoadersPanicInABatchIsAnError(t *testing.T) {
	s, g := generated(t)
	part := firstRel(t, g, kg.RelParticipatesIn, nil)
	logs := &apitest.SyncBuffer{}
	h, _ := countedHandler(panickingRels{s}, neverWait, logs)
	r := post(t, h, fmt.Sprintf(`{ a: actor(id: %q) { name projects { role } }
		b: project(id: %q) { name } }`, part.From, part.To), nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "INTERNAL" {
		t.Fatalf("want INTERNAL errors, got %v", r.Errors)
	}
	if strings.Contains(r.Raw, "secret") {
		t.Fatalf("the response leaks the panic: %s", r.Raw)
	}
	if b, _ := r.Data["b"].(map[string]any); b["name"] == nil {
		t.Fatalf("the field beside the failed batch did not answer: %s", r.Raw)
	}
	noSafetyNet(t, logs)
}

// serve sends one query through h and drops the answer (safe off the
// test's goroutine).
func serve(h http.Handler, query string) {
	body, _ := json.Marshal(map[string]any{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(httptest.NewRecorder(), req)
}

// Requests of every kind leave no goroutine behind: no batch, timer or
// waiter outlives its operation.
func TestLoadersLeaveNoGoroutines(t *testing.T) {
	s, g := generated(t)
	part := firstRel(t, g, kg.RelParticipatesIn, nil)
	logs := &apitest.SyncBuffer{}
	h, _ := countedHandler(s, 0, logs)
	hp, _ := countedHandler(panickingRels{s}, 0, logs)
	queries := []string{
		fmt.Sprintf(`{ actor(id: %q) { name } }`, part.From),
		`{ actors(first: 100) { edges { node { name projects { project { name participants { actor { name } } } } } } } }`,
		fmt.Sprintf(`{ search(text: "a") { score } actor(id: %q) { projects { project { name } } } }`, part.From),
		`{ __schema { types { name fields { name } } } }`,
	}
	run := func() {
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for _, q := range queries {
					serve(h, q)
					serve(hp, q)
				}
			})
		}
		wg.Wait()
	}
	run() // warms up what stays: the stores' and the runtime's own
	before := runtime.NumGoroutine()
	run()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines after the requests, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}

// The analytics' answers hold nodes that load through the loaders too
// (path nodes and steps, similar actors and what they share, matches,
// brokers): every level is sent by the count, none waits for the safety net.
func TestLoadersAnalyticsAnswers(t *testing.T) {
	s, g := generated(t)
	a, b := g.Actors[0].ID, g.Actors[len(g.Actors)/2].ID
	need := g.Needs[0].ID
	logs := &apitest.SyncBuffer{}
	h, _ := countedHandler(s, neverWait, logs)
	for _, q := range []string{
		fmt.Sprintf(`{ partnershipPaths(from: %q, to: %q, k: 3) { length summary nodes { id name }
			steps { type from { id ... on Actor { name } } to { id ... on Project { name } } } } }`, a, b),
		fmt.Sprintf(`{ similarActors(id: %q, first: 10) { score actor { name projects { project { name } } } shared { id __typename } } }`, a),
		fmt.Sprintf(`{ matchNeed(needId: %q, first: 10) { coverage actor { name competencies { level competency { name } } } } }`, need),
		`{ brokers(first: 10) { exact brokers { score actor { name memberOf { organisation { name } } } } } }`,
	} {
		r := post(t, h, q, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %v\n%s", r.Errors, q)
		}
	}
	noSafetyNet(t, logs)
}

// A root field whose arguments fail to coerce never reaches the field
// middleware; the fields after it still batch by the count.
func TestLoadersRootFieldThatFailsToCoerce(t *testing.T) {
	s, g := generated(t)
	held := firstRel(t, g, kg.RelHasCompetency, nil)
	part := firstRel(t, g, kg.RelParticipatesIn, nil)
	logs := &apitest.SyncBuffer{}
	h, _ := countedHandler(s, neverWait, logs)
	r := post(t, h, fmt.Sprintf(`mutation {
		bad: setParticipation(actorId: %q, projectId: %q, role: PARTNER, from: "not a date") { role }
		good: setCompetency(actorId: %q, competencyId: %q, level: 2) { actor { projects { project { name } } } } }`,
		part.From, part.To, held.From, held.To), nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Fatalf("want one BAD_USER_INPUT error: %s", r.Raw)
	}
	noSafetyNet(t, logs)
}

// endpointWatch is a store that notes, at each GetNodes call, whether a
// relationship's endpoint field (actor, project, partner ...) is waiting
// for its node: a goroutine of the handler in graph.endpoint. The loaders
// load a list's endpoints with the list, before the list's fields run, so
// none should be. (It sees every goroutine of the process: this package's
// tests do not run in parallel.)
type endpointWatch struct {
	kg.Store
	mu      sync.Mutex
	waiting int // GetNodes calls made while an endpoint field waited
}

func (s *endpointWatch) GetNodes(ctx context.Context, ids []string) ([]kg.Node, error) {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	if bytes.Contains(buf, []byte("graph.endpoint[")) {
		s.mu.Lock()
		s.waiting++
		s.mu.Unlock()
	}
	return s.Store.GetNodes(ctx, ids)
}

func (s *endpointWatch) waits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.waiting
}

// relLists reads the schema through the handler: per node type, its
// relationship lists (fields whose elements are relationship types, which
// have a basis), each with its element type's endpoint fields.
func relLists(t *testing.T, h http.Handler) map[string]map[string][]string {
	t.Helper()
	var resp struct {
		Schema struct {
			Types []struct {
				Name       string
				Interfaces []struct{ Name string }
				Fields     []struct {
					Name string
					Type typeRef
				}
			}
		} `json:"__schema"`
	}
	mustPost(t, h, `{ __schema { types { name interfaces { name } fields { name
		type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`, &resp, nil)
	nodeTypes := map[string]bool{"Node": true}
	relTypes := map[string]bool{}
	for _, typ := range resp.Schema.Types {
		for _, i := range typ.Interfaces {
			if i.Name == "Node" {
				nodeTypes[typ.Name] = true
			}
		}
		for _, f := range typ.Fields {
			if f.Name == "basis" {
				relTypes[typ.Name] = true
			}
		}
	}
	ends := map[string][]string{}
	for _, typ := range resp.Schema.Types {
		if relTypes[typ.Name] {
			for _, f := range typ.Fields {
				if nodeTypes[f.Type.named()] {
					ends[typ.Name] = append(ends[typ.Name], f.Name)
				}
			}
		}
	}
	lists := map[string]map[string][]string{}
	for _, typ := range resp.Schema.Types {
		if !nodeTypes[typ.Name] || typ.Name == "Node" {
			continue
		}
		for _, f := range typ.Fields {
			if f.Type.list() && relTypes[f.Type.named()] {
				if lists[typ.Name] == nil {
					lists[typ.Name] = map[string][]string{}
				}
				lists[typ.Name][f.Name] = ends[f.Type.named()]
			}
		}
	}
	return lists
}

type typeRef struct {
	Kind   string
	Name   string
	OfType *typeRef
}

func (r typeRef) named() string {
	for r.OfType != nil {
		r = *r.OfType
	}
	return r.Name
}

func (r typeRef) list() bool {
	for p := &r; p != nil; p = p.OfType {
		if p.Kind == "LIST" {
			return true
		}
	}
	return false
}

// Every relationship list of every node type, with both endpoints, one of
// them and neither: the endpoints asked for come with the list, in the
// level's one nodes call, so no endpoint field waits for its node; when
// none is asked for, no nodes are loaded. The schema is read through the
// handler, so a relationship list added later is covered too.
func TestLoadersEndpointsComeWithTheirList(t *testing.T) {
	s, g := generated(t)
	// The generated graph's PART_OF ties are between projects: a unit of
	// an organisation too.
	if _, err := s.SetRel(context.Background(), kg.Rel{Type: kg.RelPartOf, From: g.Actors[1].ID, To: g.Actors[0].ID}); err != nil {
		t.Fatal(err)
	}
	ids := map[string][]string{}
	for _, n := range g.Nodes() {
		l := string(n.NodeLabel())
		ids[l] = append(ids[l], fmt.Sprintf("%q", n.Base().ID))
	}
	watch := &endpointWatch{Store: s}
	lists := relLists(t, newHandler(s, graph.Options{Introspection: true}))
	if len(lists) != 4 {
		t.Fatalf("relationship lists of %d node types, want 4: %v", len(lists), lists)
	}
	for typ, fields := range lists {
		for field, ends := range fields {
			if len(ends) != 2 {
				t.Fatalf("%s.%s: endpoint fields %v, want two", typ, field, ends)
			}
			for _, sel := range []struct {
				name  string
				ends  []string
				calls int64
			}{
				// The nodes, the relationships, their endpoints, the version.
				{"both endpoints", ends, 4},
				{ends[0], ends[:1], 4},
				{ends[1], ends[1:], 4},
				// No endpoint: no nodes call for them.
				{"no endpoint", nil, 3},
			} {
				t.Run(typ+"."+field+"/"+sel.name, func(t *testing.T) {
					inner := "__typename"
					for _, e := range sel.ends {
						inner += " " + e + " { id }"
					}
					logs := &apitest.SyncBuffer{}
					h, store := countedHandler(watch, neverWait, logs)
					before := watch.waits()
					r := post(t, h, fmt.Sprintf(`{ nodes(ids: [%s]) { ... on %s { %s { %s } } } }`,
						strings.Join(ids[typ], ","), typ, field, inner), nil)
					if len(r.Errors) > 0 {
						t.Fatalf("errors: %v", r.Errors)
					}
					noSafetyNet(t, logs)
					if !strings.Contains(r.Raw, `"__typename"`) {
						t.Fatalf("no %s of the generated graph has %s", typ, field)
					}
					if got := store.Calls(); got != sel.calls {
						t.Fatalf("%d store calls, want %d", got, sel.calls)
					}
					if w := watch.waits() - before; w > 0 {
						t.Fatalf("%d nodes calls were made while endpoint fields waited for them", w)
					}
				})
			}
		}
	}
}

// The benchmark's query (BenchmarkNestedRequest), and the same through
// fragments and directives: two levels of endpoints, each loaded with its
// list.
func TestLoadersNestedEndpointsDoNotWait(t *testing.T) {
	s, _ := generated(t)
	watch := &endpointWatch{Store: s}
	for _, q := range []string{
		`{ actors(first: 50) { edges { node { name projects { role project { name participants { role actor { name } } } } } } } }`,
		`query($yes: Boolean = true, $no: Boolean = false) { actors(first: 50) { edges { node { name
			projects { ...P } } } } }
			fragment P on Participation { role project @include(if: $yes) { name participants {
				... on Participation { actor @skip(if: $no) { name } } } } }`,
	} {
		logs := &apitest.SyncBuffer{}
		h, store := countedHandler(watch, neverWait, logs)
		before := watch.waits()
		r := post(t, h, q, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %v", r.Errors)
		}
		noSafetyNet(t, logs)
		if got := store.Calls(); got != 5+1 {
			t.Fatalf("%d store calls, want 5 + 1", got)
		}
		if w := watch.waits() - before; w > 0 {
			t.Fatalf("%d nodes calls were made while endpoint fields waited for them:\n%s", w, q)
		}
	}
}
