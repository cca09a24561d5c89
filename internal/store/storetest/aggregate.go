package storetest

import (
	"fmt"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// Store.Aggregate: counts per group (by count, then value, nodes without a
// value last), the filter as List applies it, and the statistics of
// priorities, levels and importances.
func testAggregate(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	kind := func(k kg.ActorKind, sec kg.Sector, country string) func(*kg.Actor) {
		return func(a *kg.Actor) { a.Kind, a.Sector, a.Country = k, sec, country }
	}
	prio := func(p int, st kg.NeedStatus) func(*kg.Need) {
		return func(n *kg.Need) { n.Priority, n.Status = p, st }
	}
	load(t, s, []kg.Node{
		actor("karlstad", "Karlstads kommun", kind(kg.KindMunicipality, kg.SectorPublic, "SE")),
		actor("nacka", "Nacka kommun", kind(kg.KindMunicipality, kg.SectorPublic, "SE")),
		actor("oslo", "Oslo kommune", kind(kg.KindMunicipality, kg.SectorPublic, "NO")),
		actor("compare", "Compare", kind(kg.KindCluster, kg.SectorPrivate, "SE")),
		actor("netrel", "NetRelations", kind(kg.KindCompany, kg.SectorPrivate, "")),
		project("ndhc", "NDHC", func(p *kg.Project) { p.Type = kg.ProjectTypeProject }),
		project("or17", "Offentliga Rummet 2017", func(p *kg.Project) { p.Type = kg.ProjectTypeEvent; p.Status = kg.ProjectCompleted }),
		project("sol", "SOL"),
		need("n1", "Larm", prio(5, kg.NeedOpen)),
		need("n2", "Design", prio(2, kg.NeedOpen)),
		need("n3", "Data", prio(4, kg.NeedMet)),
		competency("c1", "Tjänstedesign", func(c *kg.Competency) { c.Category = kg.CategoryDesign }),
		competency("c2", "Upphandling", func(c *kg.Competency) { c.Category = kg.CategoryProcurement }),
		competency("c3", "Juridik", func(c *kg.Competency) { c.Category = kg.CategoryLegal }),
	}, []kg.Rel{
		{Type: kg.RelHasCompetency, From: "compare", To: "c1", Level: 4},
		{Type: kg.RelHasCompetency, From: "netrel", To: "c1", Level: 2},
		{Type: kg.RelHasCompetency, From: "karlstad", To: "c2", Level: 5},
		{Type: kg.RelRequires, From: "n1", To: "c1", Importance: 5},
		{Type: kg.RelRequires, From: "n1", To: "c2", Importance: 3},
		{Type: kg.RelRequires, From: "n2", To: "c1", Importance: 1},
	})
	groups := func(a kg.Aggregate) string { return fmt.Sprint(a.Groups) }
	stats := func(st kg.IntStats) string { return fmt.Sprintf("n%d min%d max%d sum%d", st.N, st.Min, st.Max, st.Sum) }
	for _, c := range []struct {
		name                           string
		q                              kg.AggregateQuery
		count                          int
		groups                         string
		priorities, levels, importance string
	}{
		{"actors by kind", kg.AggregateQuery{Label: kg.LabelActor, GroupBy: kg.GroupKind}, 5,
			"[{MUNICIPALITY 3} {CLUSTER 1} {COMPANY 1}]", "", "", ""},
		{"actors by country, one without", kg.AggregateQuery{Label: kg.LabelActor, GroupBy: kg.GroupCountry}, 5,
			"[{SE 3} {NO 1} { 1}]", "", "", ""},
		{"public actors by country", kg.AggregateQuery{Label: kg.LabelActor, GroupBy: kg.GroupCountry,
			Filter: kg.Filter{Sectors: []kg.Sector{kg.SectorPublic}}}, 3, "[{SE 2} {NO 1}]", "", "", ""},
		{"actors by name, ungrouped", kg.AggregateQuery{Label: kg.LabelActor, Filter: kg.Filter{NameContains: "KOMMUN"}}, 3,
			"[{ 3}]", "", "", ""},
		{"nothing matches", kg.AggregateQuery{Label: kg.LabelActor, Filter: kg.Filter{IDs: []string{"none"}}, GroupBy: kg.GroupKind}, 0,
			"[]", "", "", ""},
		{"projects by type", kg.AggregateQuery{Label: kg.LabelProject, GroupBy: kg.GroupType}, 3,
			"[{PROJECT 2} {EVENT 1}]", "", "", ""},
		{"projects by status", kg.AggregateQuery{Label: kg.LabelProject, GroupBy: kg.GroupStatus}, 3,
			"[{ACTIVE 2} {COMPLETED 1}]", "", "", ""},
		{"needs by status", kg.AggregateQuery{Label: kg.LabelNeed, GroupBy: kg.GroupStatus}, 3,
			"[{OPEN 2} {MET 1}]", "n3 min2 max5 sum11", "", "n3 min1 max5 sum9"},
		{"needs of priority 4 and up", kg.AggregateQuery{Label: kg.LabelNeed, GroupBy: kg.GroupPriority, Filter: kg.Filter{MinPriority: 4}}, 2,
			"[{4 1} {5 1}]", "n2 min4 max5 sum9", "", "n2 min3 max5 sum8"},
		{"competencies by category", kg.AggregateQuery{Label: kg.LabelCompetency, GroupBy: kg.GroupCategory}, 3,
			"[{DESIGN 1} {LEGAL 1} {PROCUREMENT 1}]", "", "n3 min2 max5 sum11", "n3 min1 max5 sum9"},
		{"a competency without holders", kg.AggregateQuery{Label: kg.LabelCompetency, Filter: kg.Filter{IDs: []string{"c3"}}}, 1,
			"[{ 1}]", "", "", ""},
	} {
		a, err := s.Aggregate(t.Context(), c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if a.Groups == nil {
			a.Groups = []kg.GroupCount{}
		}
		want := func(s string) string {
			if s == "" {
				return stats(kg.IntStats{})
			}
			return s
		}
		if a.Count != c.count || groups(a) != c.groups || stats(a.Priorities) != want(c.priorities) ||
			stats(a.Levels) != want(c.levels) || stats(a.Importances) != want(c.importance) {
			t.Errorf("%s: count %d groups %s priorities %s levels %s importances %s\nwant count %d groups %s priorities %s levels %s importances %s",
				c.name, a.Count, groups(a), stats(a.Priorities), stats(a.Levels), stats(a.Importances),
				c.count, c.groups, want(c.priorities), want(c.levels), want(c.importance))
		}
	}
	for _, c := range []struct {
		q     kg.AggregateQuery
		field string
	}{
		{kg.AggregateQuery{Label: kg.LabelNeed, GroupBy: kg.GroupKind}, "groupBy"},
		{kg.AggregateQuery{Label: kg.LabelActor, Filter: kg.Filter{Statuses: []string{"OPEN"}}}, "filter.statuses"},
		{kg.AggregateQuery{Label: "Thing"}, "label"},
	} {
		_, err := s.Aggregate(t.Context(), c.q)
		checkErr(t, err, kg.ErrInvalid, c.field)
	}
}
