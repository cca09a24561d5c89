package storetest

import (
	"fmt"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// bigGraph returns 40 actors and 25 competencies joined by 1,000
// HAS_COMPETENCY relationships, plus "pre-existing", an actor the store
// already holds, used by the last relationship.
func bigGraph() kg.Graph {
	var g kg.Graph
	for i := range 40 {
		g.Actors = append(g.Actors, actor(fmt.Sprintf("imp-actor-%02d", i), fmt.Sprintf("Importerad aktör %d", i), func(a *kg.Actor) {
			a.Country, a.Sources = "SE", []string{"import"}
		}))
	}
	for j := range 25 {
		g.Competencies = append(g.Competencies, competency(fmt.Sprintf("imp-comp-%02d", j), fmt.Sprintf("Kompetens %d", j)))
	}
	for i := range 40 {
		for j := range 25 {
			if i == 39 && j == 24 {
				continue
			}
			g.Rels = append(g.Rels, kg.Rel{Type: kg.RelHasCompetency, From: fmt.Sprintf("imp-actor-%02d", i),
				To: fmt.Sprintf("imp-comp-%02d", j), Level: 1 + (i+j)%5, Sources: []string{"import"}})
		}
	}
	g.Rels = append(g.Rels, hasCompetency("pre-existing", "imp-comp-00", 2))
	return g
}

func testImport(t *testing.T, newStore func(*testing.T) kg.Store) {
	preload := func(t *testing.T, s kg.Store) {
		load(t, s, []kg.Node{
			actor("pre-existing", "Finns redan"), actor("imp-actor-00", "Old name of actor 00"),
			project("p", "Projekt"),
		}, []kg.Rel{participates("pre-existing", "p", kg.RoleLead)})
	}

	t.Run("AllOrNothing", func(t *testing.T) {
		s := newStore(t)
		preload(t, s)
		g := bigGraph()
		if len(g.Rels) != 1000 {
			t.Fatalf("fixture has %d relationships", len(g.Rels))
		}
		g.Rels[999] = hasCompetency("pre-existing", "imp-comp-24", 7)
		before := snapshot(t, s)
		_, err := s.Import(t.Context(), g)
		checkErr(t, err, kg.ErrInvalid, "relationships[999].level")
		assertUnchanged(t, s, before)

		// A bad node late in the import refuses it too.
		g = bigGraph()
		g.Competencies[24].Category = "MAGIC"
		_, err = s.Import(t.Context(), g)
		checkErr(t, err, kg.ErrInvalid, "competencies[24].category")
		assertUnchanged(t, s, before)
	})

	t.Run("CreateThenRepeat", func(t *testing.T) {
		s := newStore(t)
		preload(t, s)
		g := bigGraph()
		pre := snapshot(t, s)
		v := pre.version
		res, err := s.Import(t.Context(), g)
		if err != nil {
			t.Fatalf("Import: %v", err)
		}
		// imp-actor-00 existed; the other 64 nodes are new.
		want := kg.ImportResult{NodesCreated: 64, NodesUpdated: 1, RelsCreated: 1000}
		if res != want {
			t.Errorf("Import = %+v, want %+v", res, want)
		}
		if nv := version(t, s); nv <= v {
			t.Errorf("Import did not bump the version (%d → %d)", v, nv)
		}
		first := snapshot(t, s)
		if len(first.nodes) != 67 || len(first.rels) != 1001 {
			t.Errorf("after import the store holds %d nodes and %d relationships, want 67 and 1001", len(first.nodes), len(first.rels))
		}
		for _, n := range g.Nodes() {
			got := getNode(t, s, n.Base().ID)
			if nodeContent(got) != nodeContent(n) {
				t.Errorf("imported node is\n %s\nwant\n %s", nodeContent(got), nodeContent(n))
			}
		}
		m := relsOf(t, s, kg.RelHasCompetency, kg.Outgoing, "imp-actor-07")
		if len(m["imp-actor-07"]) != 25 || m["imp-actor-07"][3].Level != 1+(7+3)%5 || m["imp-actor-07"][3].Sources[0] != "import" {
			t.Errorf("imp-actor-07's competencies = %+v", m["imp-actor-07"])
		}
		if got := nodeState(getNode(t, s, "pre-existing")); got != pre.nodes["pre-existing"] {
			t.Errorf("an import that only refers to a node changed it: %s", got)
		}

		res, err = s.Import(t.Context(), bigGraph())
		if err != nil {
			t.Fatalf("repeated Import: %v", err)
		}
		want = kg.ImportResult{NodesUpdated: 65, RelsUpdated: 1000}
		if res != want {
			t.Errorf("repeated Import = %+v, want %+v", res, want)
		}
		if d := contentFromSnap(first).diff(contentOf(t, s)); len(d) > 0 {
			t.Errorf("repeating the import changed content: %v", d[:min(5, len(d))])
		}
	})

	t.Run("MixedLabelsAndReferences", func(t *testing.T) {
		s := newStore(t)
		load(t, s, []kg.Node{actor("karlstads-kommun", "Karlstads kommun"), actor("compare", "Compare")},
			[]kg.Rel{{Type: kg.RelPartnersWith, From: "compare", To: "karlstads-kommun", Start: "2015-01-01"}})
		g := kg.Graph{
			Actors:       []*kg.Actor{actor("dwa", "DigitalWell Arena")},
			Projects:     []*kg.Project{project("ndhc", "NDHC")},
			Needs:        []*kg.Need{need("larm", "Trygghetslarm")},
			Competencies: []*kg.Competency{competency("design", "Design")},
			Rels: []kg.Rel{
				participates("dwa", "ndhc", kg.RoleLead), participates("karlstads-kommun", "ndhc", kg.RolePartner),
				hasCompetency("dwa", "design", 4), hasNeed("karlstads-kommun", "larm"), requires("larm", "design", 5),
				addresses("ndhc", "larm"), memberOf("dwa", "compare", "member"),
				// The reverse of the stored partnership updates it.
				{Type: kg.RelPartnersWith, From: "karlstads-kommun", To: "compare", Start: "2016-01-01"},
			},
		}
		res, err := s.Import(t.Context(), g)
		if err != nil {
			t.Fatalf("Import: %v", err)
		}
		if want := (kg.ImportResult{NodesCreated: 4, RelsCreated: 7, RelsUpdated: 1}); res != want {
			t.Errorf("Import = %+v, want %+v", res, want)
		}
		sn := snapshot(t, s)
		if len(sn.nodes) != 6 || len(sn.rels) != 8 {
			t.Errorf("store holds %d nodes, %d relationships; want 6, 8", len(sn.nodes), len(sn.rels))
		}
		m := relsOf(t, s, kg.RelPartnersWith, kg.Both, "compare")
		if len(m["compare"]) != 1 || m["compare"][0].From != "compare" || m["compare"][0].Begin() != "2016-01-01" {
			t.Errorf("partnership after import = %+v, want one, compare→karlstads-kommun since 2016-01-01", m["compare"])
		}
		for _, r := range g.Rels[:7] {
			m := relsOf(t, s, r.Type, kg.Outgoing, r.From)
			found := false
			for _, x := range m[r.From] {
				found = found || relContent(x) == relContent(r)
			}
			if !found {
				t.Errorf("imported %s %s→%s missing: %v", r.Type, r.From, r.To, m[r.From])
			}
		}
		if res, err := s.Import(t.Context(), kg.Graph{}); err != nil || res != (kg.ImportResult{}) {
			t.Errorf("empty Import = %+v, %v", res, err)
		}
	})
}
