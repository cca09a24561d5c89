package kg_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// oracleNeighbourhood is the definition: breadth-first distances over the
// plain relationship list, sorted by (distance, id), cut at the limit, and
// the relationships among the kept nodes.
func oracleNeighbourhood(tg travGraph, q kg.NeighbourhoodQuery) (nodes, edges []string, truncated bool) {
	types := kg.RelTypesOf(q.Via)
	dist := map[string]int{q.ID: 0}
	for d := 0; d < q.Depth; d++ {
		for _, r := range tg.rels {
			if !slices.Contains(types, r.Type) {
				continue
			}
			for _, e := range [][2]string{{r.From, r.To}, {r.To, r.From}} {
				if du, ok := dist[e[0]]; ok && du == d {
					if _, seen := dist[e[1]]; !seen {
						dist[e[1]] = d + 1
					}
				}
			}
		}
	}
	type hit struct {
		id string
		d  int
	}
	var hits []hit
	for id, d := range dist {
		hits = append(hits, hit{id, d})
	}
	slices.SortFunc(hits, func(a, b hit) int { return cmp.Or(a.d-b.d, cmp.Compare(a.id, b.id)) })
	if len(hits) > q.Limit {
		hits, truncated = hits[:q.Limit], true
	}
	in := map[string]bool{}
	nodes = []string{}
	for _, h := range hits {
		in[h.id] = true
		nodes = append(nodes, fmt.Sprintf("%s:%d", h.id, h.d))
	}
	var rels []kg.Rel
	for _, r := range tg.rels {
		if slices.Contains(types, r.Type) && in[r.From] && in[r.To] {
			rels = append(rels, r)
		}
	}
	slices.SortFunc(rels, relCmp)
	edges = []string{}
	for _, r := range rels {
		edges = append(edges, stepString(r))
	}
	return nodes, edges, truncated
}

func TestNeighbourhoodAgainstOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for g := range 8 {
		tg := genTravGraph(rng, 10, 4, 3, 4, 0.08+0.04*float64(g%3))
		an := kg.NewAnalytics(openAnalyticsStore(t, tg.g))
		for range 40 {
			q := kg.NeighbourhoodQuery{ID: tg.ids[rng.IntN(len(tg.ids))], Depth: 1 + rng.IntN(kg.MaxNeighbourhoodDepth),
				Via: randomVia(rng), Limit: 1 + rng.IntN(len(tg.ids)+2)}
			got, err := an.Neighbourhood(t.Context(), q)
			if err != nil {
				t.Fatalf("graph %d: Neighbourhood(%+v): %v", g, q, err)
			}
			gn, ge := []string{}, []string{}
			for _, n := range got.Nodes {
				gn = append(gn, fmt.Sprintf("%s:%d", n.Node.Base().ID, n.Distance))
				if n.Node.Base().Name == "" {
					t.Errorf("node %s comes without its fields", n.Node.Base().ID)
				}
			}
			for _, r := range got.Edges {
				ge = append(ge, stepString(r))
			}
			wn, we, wt := oracleNeighbourhood(tg, q)
			if !slices.Equal(gn, wn) || !slices.Equal(ge, we) || got.Truncated != wt {
				t.Fatalf("graph %d: Neighbourhood(%+v)\n got  %q %q %v\n want %q %q %v", g, q, gn, ge, got.Truncated, wn, we, wt)
			}
		}
	}
}

// TestNeighbourhoodStopsAtLimit checks that once the limit is exceeded by
// complete levels, the levels beyond are left out, with three store calls.
func TestNeighbourhoodStopsAtLimit(t *testing.T) {
	cs := newTravSpyStore(openAnalyticsStore(t, chainGraph(20)))
	an := kg.NewAnalytics(cs)
	got, err := an.Neighbourhood(t.Context(), kg.NeighbourhoodQuery{ID: "x10", Depth: 3, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, n := range got.Nodes {
		ids = append(ids, fmt.Sprintf("%s:%d", n.Node.Base().ID, n.Distance))
	}
	if !slices.Equal(ids, []string{"x10:0", "x09:1"}) || !got.Truncated || len(got.Edges) != 1 {
		t.Errorf("got %v truncated=%v edges=%v", ids, got.Truncated, got.Edges)
	}
	if cs.topologies != 1 || cs.getNodes != 1 || cs.getRels != 1 {
		t.Errorf("store calls: %d Topology, %d GetNodes, %d GetRels; want one each", cs.topologies, cs.getNodes, cs.getRels)
	}
}
