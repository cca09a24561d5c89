package graph_test

import (
	"fmt"
	"strings"
	"testing"
)

// The aggregations through the API: counts grouped by a field over the
// lists' filter, statistics of priorities, levels and importances, and the
// nested ones beside the lists they summarise.
func TestAggregationsThroughTheAPI(t *testing.T) {
	h := handler(t, newStore(t), nil)
	mustPost(t, h, `mutation {
		a: upsertActor(input: {id: "karlstad", name: "Karlstads kommun", kind: MUNICIPALITY, sector: PUBLIC, country: "SE"}) { id }
		b: upsertActor(input: {id: "oslo", name: "Oslo kommune", kind: MUNICIPALITY, sector: PUBLIC, country: "NO"}) { id }
		c: upsertActor(input: {id: "compare", name: "Compare", kind: CLUSTER, sector: PRIVATE, country: "SE"}) { id }
		d: upsertActor(input: {id: "netrel", name: "NetRelations", kind: COMPANY, sector: PRIVATE}) { id }
		n1: upsertNeed(input: {id: "n1", name: "Larm", priority: 5}) { id }
		n2: upsertNeed(input: {id: "n2", name: "Design", priority: 2, status: MET}) { id }
		c1: upsertCompetency(input: {id: "c1", name: "Tjänstedesign", category: DESIGN}) { id }
		c2: upsertCompetency(input: {id: "c2", name: "Upphandling", category: PROCUREMENT}) { id }
		h1: setCompetency(actorId: "compare", competencyId: "c1", level: 4) { level }
		h2: setCompetency(actorId: "netrel", competencyId: "c1", level: 1) { level }
		r1: setRequirement(needId: "n1", competencyId: "c1", importance: 5) { importance }
		r2: setRequirement(needId: "n1", competencyId: "c2", importance: 2) { importance } }`, &map[string]any{}, nil)
	type stats struct {
		Count    int
		Min, Max *int
		Avg      *float64
	}
	type group struct {
		Value *string
		Count int
	}
	var resp struct {
		ActorsAggregate struct {
			Count     int
			ByKind    []group
			ByCountry []group
		}
		Public struct {
			Count int
		}
		NeedsAggregate struct {
			Count      int
			ByStatus   []group
			Priority   stats
			Importance stats
		}
		CompetenciesAggregate struct {
			Count int
			Level stats
		}
		Competency struct {
			HoldersAggregate struct {
				Count int
				Level stats
			}
			RequiredByAggregate struct {
				Count      int
				Importance stats
			}
		}
		Need struct {
			RequiresAggregate struct {
				Count      int
				Importance stats
			}
		}
		Empty struct {
			HoldersAggregate struct {
				Count int
				Level stats
			}
		}
	}
	mustPost(t, h, `{
		actorsAggregate { count byKind: groupBy(field: KIND) { value count } byCountry: groupBy(field: COUNTRY) { value count } }
		public: actorsAggregate(filter: {sectors: [PUBLIC]}) { count }
		needsAggregate { count byStatus: groupBy(field: STATUS) { value count } priority { count min max avg } importance { count min max avg } }
		competenciesAggregate(filter: {categories: [DESIGN]}) { count level { count min max avg } }
		competency(id: "c1") { holdersAggregate { count level { count min max avg } } requiredByAggregate { count importance { count min max avg } } }
		need(id: "n1") { requiresAggregate { count importance { count min max avg } } }
		empty: competency(id: "c2") { holdersAggregate { count level { count min max avg } } } }`, &resp, nil)
	str := func(gs []group) string {
		var b strings.Builder
		for _, g := range gs {
			v := "null"
			if g.Value != nil {
				v = *g.Value
			}
			fmt.Fprintf(&b, "%s:%d ", v, g.Count)
		}
		return b.String()
	}
	st := func(s stats) string {
		if s.Min == nil || s.Max == nil || s.Avg == nil {
			return fmt.Sprintf("%d none", s.Count)
		}
		return fmt.Sprintf("%d %d-%d avg %g", s.Count, *s.Min, *s.Max, *s.Avg)
	}
	a := resp.ActorsAggregate
	if a.Count != 4 || str(a.ByKind) != "MUNICIPALITY:2 CLUSTER:1 COMPANY:1 " || str(a.ByCountry) != "SE:2 NO:1 null:1 " || resp.Public.Count != 2 {
		t.Fatalf("actors: %d %s / %s, public %d", a.Count, str(a.ByKind), str(a.ByCountry), resp.Public.Count)
	}
	n := resp.NeedsAggregate
	if n.Count != 2 || str(n.ByStatus) != "MET:1 OPEN:1 " || st(n.Priority) != "2 2-5 avg 3.5" || st(n.Importance) != "2 2-5 avg 3.5" {
		t.Fatalf("needs: %d %s priority %s importance %s", n.Count, str(n.ByStatus), st(n.Priority), st(n.Importance))
	}
	if c := resp.CompetenciesAggregate; c.Count != 1 || st(c.Level) != "2 1-4 avg 2.5" {
		t.Fatalf("competencies: %d level %s", c.Count, st(c.Level))
	}
	if c := resp.Competency; c.HoldersAggregate.Count != 2 || st(c.HoldersAggregate.Level) != "2 1-4 avg 2.5" ||
		c.RequiredByAggregate.Count != 1 || st(c.RequiredByAggregate.Importance) != "1 5-5 avg 5" {
		t.Fatalf("c1: %+v", c)
	}
	if r := resp.Need.RequiresAggregate; r.Count != 2 || st(r.Importance) != "2 2-5 avg 3.5" {
		t.Fatalf("n1 requires: %+v", r)
	}
	if e := resp.Empty.HoldersAggregate; e.Count != 0 || st(e.Level) != "0 none" {
		t.Fatalf("c2 holders: %+v", e)
	}
	// A filter field of another label is refused, naming it.
	r := post(t, h, `{ needsAggregate(filter: {minPriority: 9}) { count } }`, nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "minPriority") {
		t.Fatalf("minPriority 9: %+v", r.Errors)
	}
}
