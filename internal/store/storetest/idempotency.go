package storetest

import (
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

func testIdempotency(t *testing.T, newStore func(*testing.T) kg.Store) {
	// Every write, repeated with the same input, leaves one node or one
	// relationship with the same content (only UpdatedAt may move).
	writes := []struct {
		name string
		node kg.Node
		rel  *kg.Rel
	}{
		{name: "Actor", node: actor("new-actor", "Ny aktör", func(a *kg.Actor) {
			a.Kind, a.Sector, a.Country, a.City, a.Aliases = kg.KindArena, kg.SectorPublic, "SE", "Karlstad", []string{"NA"}
		})},
		{name: "Project", node: project("new-project", "Nytt projekt", func(p *kg.Project) { p.StartDate, p.Programme = "2020-01-01", "Vinnova" })},
		{name: "Need", node: need("new-need", "Nytt behov", func(n *kg.Need) { n.Priority = 5 })},
		{name: "Competency", node: competency("new-competency", "Ny kompetens", func(c *kg.Competency) { c.Category = kg.CategoryDataAI })},
		{name: "ExistingActor", node: actor("a", "Alfa omdöpt")},
		{name: "PARTICIPATES_IN", rel: &kg.Rel{Type: kg.RelParticipatesIn, From: "b", To: "p", Role: "PARTNER", Start: "2020-01-01", Sources: []string{"s"}}},
		{name: "HAS_COMPETENCY", rel: &kg.Rel{Type: kg.RelHasCompetency, From: "b", To: "c", Level: 5, Evidence: "e"}},
		{name: "HAS_NEED", rel: &kg.Rel{Type: kg.RelHasNeed, From: "a", To: "n"}},
		{name: "REQUIRES", rel: &kg.Rel{Type: kg.RelRequires, From: "n", To: "c", Importance: 1}},
		{name: "ADDRESSES", rel: &kg.Rel{Type: kg.RelAddresses, From: "p", To: "n", Sources: []string{"x", "y"}}},
		{name: "MEMBER_OF", rel: &kg.Rel{Type: kg.RelMemberOf, From: "b", To: "a", Role: "chair"}},
		{name: "PARTNERS_WITH", rel: &kg.Rel{Type: kg.RelPartnersWith, From: "b", To: "a", Start: "2010-10-10"}},
		{name: "ExistingRel", rel: &kg.Rel{Type: kg.RelHasCompetency, From: "a", To: "c", Level: 1}},
	}
	s := newStore(t)
	validationFixture(t, s)
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			do := func() {
				t.Helper()
				if w.node != nil {
					upsert(t, s, w.node)
				} else {
					setRel(t, s, *w.rel)
				}
			}
			do()
			once := contentOf(t, s)
			v := version(t, s)
			do()
			twice := contentOf(t, s)
			if d := once.diff(twice); len(d) > 0 {
				t.Errorf("repeating the write changed the store:\n%v", d)
			}
			if nv := version(t, s); nv <= v {
				t.Errorf("the repeated write did not bump the version (%d → %d)", v, nv)
			}
		})
	}
	// The reverse of a partnership is the same partnership.
	t.Run("PARTNERS_WITH reversed", func(t *testing.T) {
		before := contentOf(t, s)
		setRel(t, s, kg.Rel{Type: kg.RelPartnersWith, From: "a", To: "b", Start: "2010-10-10"})
		if d := before.diff(contentOf(t, s)); len(d) > 0 {
			t.Errorf("setting the reverse partnership changed the store:\n%v", d)
		}
	})
}
