package limits_test

import (
	"regexp"
	"testing"

	"github.com/vektah/gqlparser/v2"

	"github.com/samverkan/samverkan/examples"
	"github.com/samverkan/samverkan/graph"
	"github.com/samverkan/samverkan/internal/limits"
)

var schema = graph.NewExecutableSchema(graph.Config{}).Schema()

func measure(t *testing.T, query, opName string, vars map[string]any) limits.Measure {
	t.Helper()
	doc, errs := gqlparser.LoadQuery(schema, query)
	if len(errs) > 0 {
		t.Fatalf("invalid query: %v", errs)
	}
	return limits.MeasureOperation(doc, doc.Operations.ForName(opName), vars)
}

// readmeNested is the README's deepest example: actors → edges → node →
// projects → project → participants → actor → name.
const readmeNested = `{ actors { edges { node { projects { project { participants { actor { name } } } } } } } }`

// Every operation of the tour GraphiQL opens with, and the README's
// deepest example, pass the default limits (the server test runs them
// through the real server too).
func TestTourWithinDefaults(t *testing.T) {
	tour := examples.Tour
	d := limits.Defaults()
	if len(tour) > d.MaxQueryBytes {
		t.Errorf("the tour is %d bytes, over MaxQueryBytes %d", len(tour), d.MaxQueryBytes)
	}
	ops := regexp.MustCompile(`(?m)^query (\w+)`).FindAllStringSubmatch(tour, -1)
	if len(ops) < 10 {
		t.Fatalf("found only %d tour operations", len(ops))
	}
	check := func(name string, m limits.Measure) {
		t.Logf("%-24s depth %2d aliases %d roots %d cost %5d", name, m.Depth, m.Aliases, m.RootFields, m.Cost)
		if m.Depth > d.MaxDepth || m.Aliases > d.MaxAliases || m.RootFields > d.MaxRootFields || m.Cost > d.MaxCost {
			t.Errorf("%s is over the default limits: %+v", name, m)
		}
	}
	for _, op := range ops {
		check(op[1], measure(t, tour, op[1], nil))
	}
	m := measure(t, readmeNested, "", nil)
	if m.Depth != 8 {
		t.Errorf("README example depth = %d, want 8", m.Depth)
	}
	check("README nested", m)
}

func TestMeasure(t *testing.T) {
	cases := []struct {
		name  string
		query string
		vars  map[string]any
		want  limits.Measure
	}{
		{"leaf", `{ actor(id: "a") { name } }`, nil, limits.Measure{Depth: 2, RootFields: 1, Cost: 1}},
		// An actor by external id is an object; its externalIds list holds only scalars.
		{"actorByExternalId", `{ actorByExternalId(scheme: "gln", value: "1") { name externalIds { scheme value } } }`, nil,
			limits.Measure{Depth: 3, RootFields: 1, Cost: 1 + 1}},
		{"scalar root field only", `{ __typename }`, nil, limits.Measure{Depth: 1, Cost: 0}},
		// A connection costs its first times what each item selects.
		{"connection by first", `{ actors(first: 50) { totalCount edges { node { projects { role } } } } }`, nil,
			limits.Measure{Depth: 5, RootFields: 1, Cost: 1 + 1 + 50*(1+1)}},
		{"connection default first", `{ actors { edges { node { id } } } }`, nil,
			limits.Measure{Depth: 4, RootFields: 1, Cost: 1 + 1 + 20*1}},
		{"first from a variable", `query($n: Int) { actors(first: $n) { edges { node { id } } } }`, map[string]any{"n": int64(5)},
			limits.Measure{Depth: 4, RootFields: 1, Cost: 1 + 1 + 5*1}},
		{"first over its cap counts as the cap", `{ actors(first: 100000) { edges { node { id } } } }`, nil,
			limits.Measure{Depth: 4, RootFields: 1, Cost: 1 + 1 + 100*1}},
		// A where adds 1 per comparison and WhereRelCost per relationship filter.
		{"where", `{ actors(first: 5, where: {name: {contains: "a", startsWith: "b"}, OR: [{id: {eq: "x"}}], competencies: {some: {level: {gte: 4}}, none: {}}}) { totalCount } }`, nil,
			limits.Measure{Depth: 2, RootFields: 1, Cost: 4 + 2*limits.WhereRelCost}}, // the field costs its where (at least 1)
		{"where from a variable", `query($w: NeedWhere) { needs(where: $w) { totalCount } }`,
			map[string]any{"w": map[string]any{"owners": map[string]any{"all": map[string]any{"actor": map[string]any{"kind": map[string]any{"in": []any{"REGION"}}}}}}},
			limits.Measure{Depth: 2, RootFields: 1, Cost: 1 + limits.WhereRelCost}},
		// Nested lists without a bound count ListEstimate items.
		{"nested lists", `{ actor(id: "a") { projects { project { participants { actor { name } } } } } }`, nil,
			limits.Measure{Depth: 6, RootFields: 1, Cost: 1 + 1 + 10*(1+1+10*1)}},
		// A nested connection counts its first, not ListEstimate; its
		// default first is the root connections' 20.
		{"nested connection by first", `{ actor(id: "a") { projectsConnection(first: 40) { totalCount edges { properties { role } node { participantsConnection(first: 3) { edges { node { name } } } } } } } }`, nil,
			limits.Measure{Depth: 8, RootFields: 1, Cost: 1 + 1 + 1 + 40*(1+1+1+1+3*1)}},
		{"nested connection default first", `{ need(id: "a") { requiresConnection { edges { node { id } } } } }`, nil,
			limits.Measure{Depth: 5, RootFields: 1, Cost: 1 + 1 + 1 + 20*1}},
		// An aggregation reads a whole label, and so does each groupBy.
		{"aggregations", `{ actorsAggregate(filter: {kinds: [COMPANY]}) { count a: groupBy(field: KIND) { value count } b: groupBy(field: SECTOR) { count } }
			competency(id: "c") { holdersAggregate { count level { avg } } } }`, nil,
			limits.Measure{Depth: 4, Aliases: 2, RootFields: 2, Cost: limits.AggregateCost + 2*limits.AggregateCost + 1 + 1 + 1}},
		{"nodes by ids", `{ nodes(ids: ["a", "b", "c"]) { id } }`, nil, limits.Measure{Depth: 2, RootFields: 1, Cost: 1 + 3*0}},
		{"partnershipPaths by k and maxHops", `{ partnershipPaths(from: "a", to: "b", k: 10, maxHops: 8) { length } }`, nil,
			limits.Measure{Depth: 2, RootFields: 1, Cost: 10 * 10 * 8}},
		{"partnershipPaths defaults", `{ partnershipPaths(from: "a", to: "b") { steps { from { id } } } }`, nil,
			limits.Measure{Depth: 4, RootFields: 1, Cost: 180 + 3*(1+10*1)}},
		{"a subscription costs once", `subscription { graphChanged { kind id } }`, nil,
			limits.Measure{Depth: 2, RootFields: 1, Cost: limits.SubscriptionCost}},
		{"the change feed by first", `{ changes(first: 50) { edges { node { id } } } }`, nil,
			limits.Measure{Depth: 4, RootFields: 1, Cost: 1 + 1 + 50*1}},
		{"whole-graph analytics", `{ brokers { exact } ecosystemStats { actors } }`, nil,
			limits.Measure{Depth: 2, RootFields: 2, Cost: 2 * limits.WholeGraphCost}},
		{"brokers list by first", `{ brokers(first: 50) { brokers { actor { id } } } }`, nil,
			limits.Measure{Depth: 4, RootFields: 1, Cost: limits.WholeGraphCost + 1 + 50*1}},
		{"measures list by first", `{ measures(by: DEGREE, first: 50) { actor { id } value } }`, nil,
			limits.Measure{Depth: 3, RootFields: 1, Cost: limits.WholeGraphCost + 50*1}},
		{"communities", `{ communities(resolution: 2) { modularity communities { members } } }`, nil,
			limits.Measure{Depth: 3, RootFields: 1, Cost: limits.WholeGraphCost + 1}},
		{"neighborhood by depth and limit", `{ neighborhood(id: "a", depth: 3, limit: 2000) { nodes { node { id } } } }`, nil,
			limits.Measure{Depth: 4, RootFields: 1, Cost: 3*2000/10 + 1 + 2000*1}},
		{"needsFor by maxHops and first", `{ needsFor(actorId: "a", first: 20, maxHops: 8) { need { id } } }`, nil,
			limits.Measure{Depth: 3, RootFields: 1, Cost: 25*8 + 20*1}},
		{"needsFor over its caps counts the caps", `{ needsFor(actorId: "a", first: 1000, maxHops: 99) { need { id } } }`, nil,
			limits.Measure{Depth: 3, RootFields: 1, Cost: 25*8 + 100*1}},
		{"introductions by first", `{ introductions(actorId: "a") { actor { id } path { steps { type } } } }`, nil,
			limits.Measure{Depth: 4, RootFields: 1, Cost: 100 + 20*10 + 10*(1+1+1)}},
		{"introductions at the cap", `{ introductions(actorId: "a", first: 100) { actor { id } } }`, nil,
			limits.Measure{Depth: 3, RootFields: 1, Cost: 100 + 20*100 + 100*1}},
		{"aliases and distinct roots", `{ a: actor(id: "a") { id } b: actor(id: "b") { id } actor(id: "c") { n: name } }`, nil,
			limits.Measure{Depth: 2, Aliases: 3, RootFields: 3, Cost: 3}},
		{"mutations", `mutation { a: deleteActor(id: "x") b: upsertActor(input: {name: "n", kind: COMPANY, sector: PRIVATE}) { id } importGraph(input: {}) { nodesCreated } }`, nil,
			limits.Measure{Depth: 2, Aliases: 2, RootFields: 3, Cost: 0 + limits.MutationCost + limits.ImportCost}},
		// Fragments are expanded where they are spread.
		{"fragments", `query { actors(first: 2) { edges { node { ...A } } } } fragment A on Actor { projects { project { id } } }`, nil,
			limits.Measure{Depth: 6, RootFields: 1, Cost: 1 + 1 + 2*(1+1+10*1)}},
		{"introspection is not deep", `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }`, nil,
			limits.Measure{Depth: 0, RootFields: 1, Cost: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := measure(t, c.query, "", c.vars); got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

// A fragment spread many times at many levels is measured once per
// context: the walk stays fast and the numbers saturate instead of
// overflowing.
func TestMeasureFragmentFanOut(t *testing.T) {
	q := `{ actors(first: 100) { edges { node { ...F1 } } } }
fragment F1 on Actor { a: projects { project { participants { actor { ...F2 } } } } b: projects { project { participants { actor { ...F2 } } } } }
fragment F2 on Actor { a: projects { project { participants { actor { ...F3 } } } } b: projects { project { participants { actor { ...F3 } } } } }
fragment F3 on Actor { a: projects { project { participants { actor { ...F4 } } } } b: projects { project { participants { actor { ...F4 } } } } }
fragment F4 on Actor { a: projects { project { participants { actor { id } } } } b: projects { project { participants { actor { id } } } } }`
	m := measure(t, q, "", nil)
	// 3 levels to node, 4 per fragment, the leaf; each fragment has two
	// aliases and spreads the next twice: 2 + 2·(2 + 2·(2 + 2·2)) = 30.
	if m.Depth != 20 || m.Aliases != 30 {
		t.Errorf("depth %d aliases %d, want 20 and 30", m.Depth, m.Aliases)
	}
	if m.Cost <= limits.Defaults().MaxCost {
		t.Errorf("a fan-out bomb passes the cost limit: %+v", m)
	}
}
