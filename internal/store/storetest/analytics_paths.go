package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// pathsFixture is a small graph whose paths are worked out by hand. Ignoring
// direction, the default-via edges are
//
//	a–b (MEMBER_OF b→a and PARTNERS_WITH a→b), a–c (MEMBER_OF a→c),
//	b–c, b–d, c–d (PARTNERS_WITH b→c, b→d, d→c), a–p and e–p (PARTICIPATES_IN),
//	e–d (PARTNERS_WITH e→d)
//
// so the simple paths from a to d are, in answer order:
//
//	a b d · a c d · a b c d · a c b d · a p e d
//
// z has no relationship. k1 and n1 are joined only through the COMPETENCY
// and NEED groups: a HAS_COMPETENCY k1, n1 REQUIRES k1, e HAS_NEED n1,
// p ADDRESSES n1.
func pathsFixture() ([]kg.Node, []kg.Rel) {
	nodes := []kg.Node{
		actor("a", "Kunnskapsbyen Lillestrøm"),
		actor("b", "Bravo"),
		actor("c", "Charlie"),
		actor("d", "Delta"),
		actor("e", "Karlstads kommun"),
		actor("z", "Zulu"),
		project("p", "SOL"),
		competency("k1", "Tjenestedesign"),
		need("n1", "Trygghetslarm"),
	}
	rels := []kg.Rel{
		partners("a", "b"),
		memberOf("b", "a", "medlem"),
		memberOf("a", "c", ""),
		partners("b", "c"),
		partners("b", "d"),
		partners("d", "c"),
		participates("a", "p", kg.RolePartner),
		participates("e", "p", kg.RoleLead),
		partners("e", "d"),
		hasCompetency("a", "k1", 4),
		requires("n1", "k1", 5),
		hasNeed("e", "n1"),
		addresses("p", "n1"),
	}
	return nodes, rels
}

// pathString renders a path as its node ids and its steps as stored, e.g.
// "a p | PARTICIPATES_IN a→p".
func pathString(p kg.Path) string {
	var b strings.Builder
	for i, n := range p.Nodes {
		if i > 0 {
			b.WriteByte(' ')
		}
		if n == nil {
			b.WriteString("<nil>")
			continue
		}
		b.WriteString(n.Base().ID)
	}
	b.WriteString(" |")
	for _, r := range p.Steps {
		fmt.Fprintf(&b, " %s %s→%s", r.Type, r.From, r.To)
	}
	return b.String()
}

func testAnalyticsPaths(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	nodes, rels := pathsFixture()
	load(t, s, nodes, rels)
	an := kg.NewAnalytics(s)

	const (
		abd  = "a b d | MEMBER_OF b→a PARTNERS_WITH b→d"
		acd  = "a c d | MEMBER_OF a→c PARTNERS_WITH d→c"
		abcd = "a b c d | MEMBER_OF b→a PARTNERS_WITH b→c PARTNERS_WITH d→c"
		acbd = "a c b d | MEMBER_OF a→c PARTNERS_WITH b→c PARTNERS_WITH b→d"
		aped = "a p e d | PARTICIPATES_IN a→p PARTICIPATES_IN e→p PARTNERS_WITH e→d"
	)
	all := []kg.Via{kg.ViaParticipation, kg.ViaMembership, kg.ViaPartnership, kg.ViaCompetency, kg.ViaNeed}
	cases := []struct {
		name     string
		q        kg.PathQuery
		want     []string
		summary0 string // Summary of the first path, when given
	}{
		{"ties broken by ids, cut inside a length", kg.PathQuery{From: "a", To: "d", K: 3, MaxHops: 6},
			[]string{abd, acd, abcd}, "Kunnskapsbyen Lillestrøm — with member Bravo — partner of Delta"},
		{"k larger than the number of paths", kg.PathQuery{From: "a", To: "d", K: 10, MaxHops: 8},
			[]string{abd, acd, abcd, acbd, aped}, ""},
		{"reverse direction keeps stored steps", kg.PathQuery{From: "d", To: "a", K: 2, MaxHops: 6},
			[]string{"d b a | PARTNERS_WITH b→d MEMBER_OF b→a", "d c a | PARTNERS_WITH d→c MEMBER_OF a→c"},
			"Delta — partner of Bravo — member of Kunnskapsbyen Lillestrøm"},
		{"k = 1", kg.PathQuery{From: "a", To: "d", K: 1, MaxHops: 6}, []string{abd}, ""},
		{"maxHops cuts longer paths", kg.PathQuery{From: "a", To: "d", K: 10, MaxHops: 2}, []string{abd, acd}, ""},
		{"maxHops 1 and no direct link", kg.PathQuery{From: "a", To: "d", K: 10, MaxHops: 1}, []string{}, ""},
		{"exclusion", kg.PathQuery{From: "a", To: "d", K: 10, MaxHops: 6, Exclude: []string{"b"}},
			[]string{acd, aped}, ""},
		{"exclusion forces a longer path of exactly maxHops", kg.PathQuery{From: "a", To: "d", K: 3, MaxHops: 3, Exclude: []string{"c", "b"}},
			[]string{aped}, "Kunnskapsbyen Lillestrøm — partner in SOL — with lead Karlstads kommun — partner of Delta"},
		{"one hop less finds none", kg.PathQuery{From: "a", To: "d", K: 3, MaxHops: 2, Exclude: []string{"b", "c"}},
			[]string{}, ""},
		{"unknown excluded ids are ignored", kg.PathQuery{From: "a", To: "d", K: 1, MaxHops: 6, Exclude: []string{"nobody"}},
			[]string{abd}, ""},
		{"unreachable pair", kg.PathQuery{From: "a", To: "z", K: 3, MaxHops: 8}, []string{}, ""},
		{"from a project", kg.PathQuery{From: "p", To: "d", K: 3, MaxHops: 6},
			[]string{"p e d | PARTICIPATES_IN e→p PARTNERS_WITH e→d",
				"p a b d | PARTICIPATES_IN a→p MEMBER_OF b→a PARTNERS_WITH b→d",
				"p a c d | PARTICIPATES_IN a→p MEMBER_OF a→c PARTNERS_WITH d→c"},
			"SOL — with lead Karlstads kommun — partner of Delta"},
		{"partnership only", kg.PathQuery{From: "a", To: "d", K: 10, MaxHops: 6, Via: []kg.Via{kg.ViaPartnership}},
			[]string{"a b d | PARTNERS_WITH a→b PARTNERS_WITH b→d", "a b c d | PARTNERS_WITH a→b PARTNERS_WITH b→c PARTNERS_WITH d→c"},
			"Kunnskapsbyen Lillestrøm — partner of Bravo — partner of Delta"},
		{"competency and need groups", kg.PathQuery{From: "a", To: "e", K: 10, MaxHops: 6, Via: []kg.Via{kg.ViaCompetency, kg.ViaNeed}},
			[]string{"a k1 n1 e | HAS_COMPETENCY a→k1 REQUIRES n1→k1 HAS_NEED e→n1"},
			"Kunnskapsbyen Lillestrøm — has competency Tjenestedesign — required by Trygghetslarm — need of Karlstads kommun"},
		{"participation and need groups", kg.PathQuery{From: "e", To: "a", K: 10, MaxHops: 6, Via: []kg.Via{kg.ViaNeed, kg.ViaParticipation}},
			[]string{"e p a | PARTICIPATES_IN e→p PARTICIPATES_IN a→p", "e n1 p a | HAS_NEED e→n1 ADDRESSES p→n1 PARTICIPATES_IN a→p"},
			"Karlstads kommun — lead in SOL — with partner Kunnskapsbyen Lillestrøm"},
		{"every group, between a need and a competency", kg.PathQuery{From: "n1", To: "k1", K: 2, MaxHops: 3, Via: all},
			[]string{"n1 k1 | REQUIRES n1→k1", "n1 p a k1 | ADDRESSES p→n1 PARTICIPATES_IN a→p HAS_COMPETENCY a→k1"},
			"Trygghetslarm — requires Tjenestedesign"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := an.Paths(t.Context(), c.q)
			if err != nil {
				t.Fatalf("Paths(%+v): %v", c.q, err)
			}
			gs := make([]string, len(got))
			for i, p := range got {
				gs[i] = pathString(p)
				if p.Length() != len(p.Nodes)-1 {
					t.Errorf("path %d: Length %d with %d nodes", i, p.Length(), len(p.Nodes))
				}
			}
			if !slices.Equal(gs, c.want) {
				t.Errorf("Paths(%+v)\n got  %q\n want %q", c.q, gs, c.want)
			}
			if c.summary0 != "" && len(got) > 0 {
				if sum := got[0].Summary(); sum != c.summary0 {
					t.Errorf("Summary() = %q, want %q", sum, c.summary0)
				}
			}
		})
	}

	t.Run("steps keep their properties and nodes are whole", func(t *testing.T) {
		got, err := an.Paths(t.Context(), kg.PathQuery{From: "a", To: "d", K: 1, MaxHops: 3, Exclude: []string{"b", "c"}})
		if err != nil || len(got) != 1 {
			t.Fatalf("Paths: %v, %d paths", err, len(got))
		}
		if r := got[0].Steps[1]; r.Role != string(kg.RoleLead) {
			t.Errorf("step e→p has role %q, want LEAD", r.Role)
		}
		if p, ok := got[0].Nodes[1].(*kg.Project); !ok || p.Name != "SOL" || p.Status != kg.ProjectActive {
			t.Errorf("node 1 is %#v, want the project SOL", got[0].Nodes[1])
		}
		got, err = an.Paths(t.Context(), kg.PathQuery{From: "a", To: "c", K: 1, MaxHops: 1})
		if err != nil || len(got) != 1 {
			t.Fatalf("Paths a→c: %v, %d paths", err, len(got))
		}
		if r := got[0].Steps[0]; r.Type != kg.RelMemberOf || r.From != "a" || r.To != "c" {
			t.Errorf("step a–c is %s %s→%s", r.Type, r.From, r.To)
		}
		got, err = an.Paths(t.Context(), kg.PathQuery{From: "b", To: "a", K: 1, MaxHops: 1})
		if err != nil || len(got) != 1 {
			t.Fatalf("Paths b→a: %v, %d paths", err, len(got))
		}
		if r := got[0].Steps[0]; r.Type != kg.RelMemberOf || r.Role != "medlem" {
			t.Errorf("step b–a is %s role %q, want MEMBER_OF role medlem (first by type order)", r.Type, r.Role)
		}
	})

	t.Run("errors", func(t *testing.T) {
		ok := kg.PathQuery{From: "a", To: "d", K: 3, MaxHops: 6}
		with := func(f func(*kg.PathQuery)) kg.PathQuery { q := ok; f(&q); return q }
		errs := []struct {
			name  string
			q     kg.PathQuery
			kind  error
			field string
		}{
			{"same ends", with(func(q *kg.PathQuery) { q.To = "a" }), kg.ErrInvalid, "to"},
			{"bad from id", with(func(q *kg.PathQuery) { q.From = "Not An Id" }), kg.ErrInvalid, "from"},
			{"unknown from", with(func(q *kg.PathQuery) { q.From = "nobody" }), kg.ErrNotFound, "from"},
			{"unknown to", with(func(q *kg.PathQuery) { q.To = "nobody" }), kg.ErrNotFound, "to"},
			{"k 0", with(func(q *kg.PathQuery) { q.K = 0 }), kg.ErrInvalid, "k"},
			{"k 11", with(func(q *kg.PathQuery) { q.K = 11 }), kg.ErrInvalid, "k"},
			{"maxHops 0", with(func(q *kg.PathQuery) { q.MaxHops = 0 }), kg.ErrInvalid, "maxHops"},
			{"maxHops 9", with(func(q *kg.PathQuery) { q.MaxHops = 9 }), kg.ErrInvalid, "maxHops"},
			{"bad via", with(func(q *kg.PathQuery) { q.Via = []kg.Via{kg.ViaMembership, "FRIENDSHIP"} }), kg.ErrInvalid, "via"},
			{"from excluded", with(func(q *kg.PathQuery) { q.Exclude = []string{"b", "a"} }), kg.ErrInvalid, "excludeIds"},
			{"to excluded", with(func(q *kg.PathQuery) { q.Exclude = []string{"d"} }), kg.ErrInvalid, "excludeIds"},
			{"bad excluded id", with(func(q *kg.PathQuery) { q.Exclude = []string{"B C"} }), kg.ErrInvalid, "excludeIds"},
		}
		for _, c := range errs {
			t.Run(c.name, func(t *testing.T) {
				got, err := an.Paths(t.Context(), c.q)
				checkErr(t, err, c.kind, c.field)
				if got != nil {
					t.Errorf("an error came with %d paths", len(got))
				}
			})
		}
	})
}

// neighbourhoodString renders a subgraph as "id:distance" nodes and
// "TYPE from→to" edges.
func neighbourhoodString(g kg.Subgraph) (nodes, edges []string) {
	nodes, edges = []string{}, []string{}
	for _, n := range g.Nodes {
		nodes = append(nodes, fmt.Sprintf("%s:%d", n.Node.Base().ID, n.Distance))
	}
	for _, r := range g.Edges {
		edges = append(edges, fmt.Sprintf("%s %s→%s", r.Type, r.From, r.To))
	}
	return nodes, edges
}

func testAnalyticsNeighbourhood(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	nodes, rels := pathsFixture()
	load(t, s, nodes, rels)
	an := kg.NewAnalytics(s)

	const (
		pa  = "PARTICIPATES_IN a→p"
		pe  = "PARTICIPATES_IN e→p"
		mac = "MEMBER_OF a→c"
		mba = "MEMBER_OF b→a"
		wab = "PARTNERS_WITH a→b"
		wbc = "PARTNERS_WITH b→c"
		wbd = "PARTNERS_WITH b→d"
		wdc = "PARTNERS_WITH d→c"
		wed = "PARTNERS_WITH e→d"
	)
	cases := []struct {
		name      string
		q         kg.NeighbourhoodQuery
		nodes     []string
		edges     []string
		truncated bool
	}{
		{"depth 1, with the edge between two outer nodes", kg.NeighbourhoodQuery{ID: "a", Depth: 1, Limit: 100},
			[]string{"a:0", "b:1", "c:1", "p:1"}, []string{pa, mac, mba, wab, wbc}, false},
		{"limit equal to the node count", kg.NeighbourhoodQuery{ID: "a", Depth: 1, Limit: 4},
			[]string{"a:0", "b:1", "c:1", "p:1"}, []string{pa, mac, mba, wab, wbc}, false},
		{"truncated by id within a distance", kg.NeighbourhoodQuery{ID: "a", Depth: 1, Limit: 3},
			[]string{"a:0", "b:1", "c:1"}, []string{mac, mba, wab, wbc}, true},
		{"limit 1 keeps the start", kg.NeighbourhoodQuery{ID: "a", Depth: 3, Limit: 1},
			[]string{"a:0"}, []string{}, true},
		{"depth 2", kg.NeighbourhoodQuery{ID: "a", Depth: 2, Limit: 100},
			[]string{"a:0", "b:1", "c:1", "p:1", "d:2", "e:2"}, []string{pa, pe, mac, mba, wab, wbc, wbd, wdc, wed}, false},
		{"depth 2 truncated", kg.NeighbourhoodQuery{ID: "a", Depth: 2, Limit: 5},
			[]string{"a:0", "b:1", "c:1", "p:1", "d:2"}, []string{pa, mac, mba, wab, wbc, wbd, wdc}, true},
		{"depth 3 adds nothing", kg.NeighbourhoodQuery{ID: "a", Depth: 3, Limit: 6},
			[]string{"a:0", "b:1", "c:1", "p:1", "d:2", "e:2"}, []string{pa, pe, mac, mba, wab, wbc, wbd, wdc, wed}, false},
		{"from a project", kg.NeighbourhoodQuery{ID: "p", Depth: 1, Limit: 10},
			[]string{"p:0", "a:1", "e:1"}, []string{pa, pe}, false},
		{"via competency and need", kg.NeighbourhoodQuery{ID: "a", Depth: 2, Limit: 10, Via: []kg.Via{kg.ViaCompetency, kg.ViaNeed}},
			[]string{"a:0", "k1:1", "n1:2"}, []string{"HAS_COMPETENCY a→k1", "REQUIRES n1→k1"}, false},
		{"membership only", kg.NeighbourhoodQuery{ID: "c", Depth: 3, Limit: 10, Via: []kg.Via{kg.ViaMembership}},
			[]string{"c:0", "a:1", "b:2"}, []string{mac, mba}, false},
		{"isolated node", kg.NeighbourhoodQuery{ID: "z", Depth: 3, Limit: 10},
			[]string{"z:0"}, []string{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := an.Neighbourhood(t.Context(), c.q)
			if err != nil {
				t.Fatalf("Neighbourhood(%+v): %v", c.q, err)
			}
			gn, ge := neighbourhoodString(got)
			if !slices.Equal(gn, c.nodes) {
				t.Errorf("nodes %q, want %q", gn, c.nodes)
			}
			if !slices.Equal(ge, c.edges) {
				t.Errorf("edges %q, want %q", ge, c.edges)
			}
			if got.Truncated != c.truncated {
				t.Errorf("truncated %v, want %v", got.Truncated, c.truncated)
			}
		})
	}

	t.Run("nodes and edges are whole", func(t *testing.T) {
		got, err := an.Neighbourhood(t.Context(), kg.NeighbourhoodQuery{ID: "b", Depth: 1, Limit: 10, Via: []kg.Via{kg.ViaMembership}})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Nodes) != 2 || got.Nodes[1].Node.Base().Name != "Kunnskapsbyen Lillestrøm" || got.Nodes[1].Node.NodeLabel() != kg.LabelActor {
			t.Errorf("nodes %+v", got.Nodes)
		}
		if len(got.Edges) != 1 || got.Edges[0].Role != "medlem" {
			t.Errorf("edges %+v, want MEMBER_OF b→a with role medlem", got.Edges)
		}
	})

	t.Run("errors", func(t *testing.T) {
		ok := kg.NeighbourhoodQuery{ID: "a", Depth: 1, Limit: 10}
		with := func(f func(*kg.NeighbourhoodQuery)) kg.NeighbourhoodQuery { q := ok; f(&q); return q }
		errs := []struct {
			name  string
			q     kg.NeighbourhoodQuery
			kind  error
			field string
		}{
			{"unknown id", with(func(q *kg.NeighbourhoodQuery) { q.ID = "nobody" }), kg.ErrNotFound, "id"},
			{"bad id", with(func(q *kg.NeighbourhoodQuery) { q.ID = "A!" }), kg.ErrInvalid, "id"},
			{"depth 0", with(func(q *kg.NeighbourhoodQuery) { q.Depth = 0 }), kg.ErrInvalid, "depth"},
			{"depth 4", with(func(q *kg.NeighbourhoodQuery) { q.Depth = 4 }), kg.ErrInvalid, "depth"},
			{"limit 0", with(func(q *kg.NeighbourhoodQuery) { q.Limit = 0 }), kg.ErrInvalid, "limit"},
			{"limit 2001", with(func(q *kg.NeighbourhoodQuery) { q.Limit = 2001 }), kg.ErrInvalid, "limit"},
			{"bad via", with(func(q *kg.NeighbourhoodQuery) { q.Via = []kg.Via{"ALL"} }), kg.ErrInvalid, "via"},
		}
		for _, c := range errs {
			t.Run(c.name, func(t *testing.T) {
				_, err := an.Neighbourhood(t.Context(), c.q)
				checkErr(t, err, c.kind, c.field)
			})
		}
	})
}
