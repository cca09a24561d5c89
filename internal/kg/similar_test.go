package kg_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// oracleSimilar compares the actor with every other actor (the scan the
// implementation must avoid) by the definition of DESIGN.md §2.
func oracleSimilar(tg travGraph, q kg.SimilarQuery) []string {
	by := q.By
	if len(by) == 0 {
		by = kg.DefaultSimilarBy
	}
	of := func(x, other string) map[string]bool {
		s := oracleSets(tg, x)
		out := map[string]bool{}
		for _, d := range by {
			for k := range s[d] {
				if !(d == kg.DimCollaborators && k == other) {
					out[k] = true
				}
			}
		}
		return out
	}
	type res struct {
		id          string
		inter, uni  int
		score       float64
		sharedNodes []string
	}
	var all []res
	own := oracleOwn(tg, q.ID)
	for _, b := range tg.actors {
		if own[b] {
			continue
		}
		na, nb := of(q.ID, b), of(b, q.ID)
		var shared []string
		for _, k := range sortedKeys(na) {
			if nb[k] {
				shared = append(shared, k)
			}
		}
		if len(shared) == 0 {
			continue
		}
		u := len(union(na, nb))
		all = append(all, res{b, len(shared), u, float64(len(shared)) / float64(u), shared})
	}
	slices.SortFunc(all, func(x, y res) int {
		return cmp.Or(cmp.Compare(y.inter*x.uni, x.inter*y.uni), cmp.Compare(y.inter, x.inter), cmp.Compare(x.id, y.id))
	})
	out := []string{}
	for i := 0; i < len(all) && i < q.First; i++ {
		out = append(out, fmt.Sprintf("%s %.9f %q", all[i].id, all[i].score, all[i].sharedNodes))
	}
	return out
}

func randomDimensions(rng *rand.Rand) []kg.Dimension {
	var by []kg.Dimension
	for _, d := range kg.Dimensions {
		if rng.IntN(2) == 0 {
			by = append(by, d)
		}
	}
	return by // may be empty: the default dimensions
}

// Both ways of counting shared collaborators: with the whole
// collaboration graph's pairs (small graphs) and around the actor only
// (big graphs, such as XL), each on fresh analytics.
func TestSimilarAgainstOracle(t *testing.T) {
	t.Run("whole graph", func(t *testing.T) { testSimilarAgainstOracle(t) })
	t.Run("around the actor", func(t *testing.T) {
		defer kg.SetSimilarWholeGraphWork(0)()
		testSimilarAgainstOracle(t)
	})
	// Around the actor, with every actor's largest project counted in
	// bulk (at XL the flagships' members), not only those that outweigh
	// the rest of its ties four times.
	t.Run("around the actor, largest projects in bulk", func(t *testing.T) {
		defer kg.SetSimilarWholeGraphWork(0)()
		defer kg.SetOutweighFactor(0)()
		testSimilarAgainstOracle(t)
	})
	// Around the actor, with every project of two or more participants a
	// flagship (at XL the programmes of 25,000 to 100,000), so that
	// collaborators in several of them are counted in bulk by their sets;
	// and with flagships and outweighing projects both.
	for _, factor := range []int{4, 0} {
		t.Run(fmt.Sprintf("around the actor, projects as flagships, outweighing factor %d", factor), func(t *testing.T) {
			defer kg.SetSimilarWholeGraphWork(0)()
			defer kg.SetParticipantBitsetMin(3)()
			defer kg.SetOutweighFactor(factor)()
			testSimilarAgainstOracle(t)
		})
	}
}

func testSimilarAgainstOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 17))
	for g := range 8 {
		tg := genTravGraph(rng, 12, 4, 3, 5, 0.08+0.04*float64(g%4))
		an := kg.NewAnalytics(openAnalyticsStore(t, tg.g))
		for range 30 {
			q := kg.SimilarQuery{ID: tg.actors[rng.IntN(len(tg.actors))], By: randomDimensions(rng), First: 1 + rng.IntN(12)}
			got, err := an.Similar(t.Context(), q)
			if err != nil {
				t.Fatalf("graph %d: Similar(%+v): %v", g, q, err)
			}
			gs := []string{}
			for _, s := range got {
				gs = append(gs, fmt.Sprintf("%s %.9f %q", s.ActorID, s.Score, s.Shared))
			}
			if want := oracleSimilar(tg, q); !slices.Equal(gs, want) {
				t.Fatalf("graph %d: Similar(%+v)\n got  %q\n want %q", g, q, gs, want)
			}
		}
	}
}

// TestSimilarDoesNotScan checks that candidates are found from the actor's
// neighbours: actors with nothing in common within two hops are never
// loaded, however many there are.
func TestSimilarDoesNotScan(t *testing.T) {
	var g kg.Graph
	act := func(id string) {
		g.Actors = append(g.Actors, &kg.Actor{Meta: kg.Meta{ID: id, Name: id}, Kind: kg.KindCompany, Sector: kg.SectorPrivate})
	}
	for _, id := range []string{"me", "peer", "friend", "far"} {
		act(id)
	}
	g.Projects = append(g.Projects, &kg.Project{Meta: kg.Meta{ID: "proj", Name: "Proj"}, Status: kg.ProjectActive})
	g.Competencies = append(g.Competencies, &kg.Competency{Meta: kg.Meta{ID: "skill", Name: "Skill"}, Category: kg.CategoryOther})
	g.Rels = []kg.Rel{
		{Type: kg.RelParticipatesIn, From: "me", To: "proj", Role: "LEAD"},
		{Type: kg.RelParticipatesIn, From: "peer", To: "proj", Role: "PARTNER"},
		{Type: kg.RelHasCompetency, From: "peer", To: "skill", Level: 2},
		{Type: kg.RelPartnersWith, From: "peer", To: "friend"},
		{Type: kg.RelPartnersWith, From: "friend", To: "far"}, // far is three hops from me
	}
	for i := range 50 {
		id := fmt.Sprintf("other%02d", i)
		act(id)
		g.Rels = append(g.Rels, kg.Rel{Type: kg.RelHasCompetency, From: id, To: "skill", Level: 1})
	}
	cs := newTravSpyStore(openAnalyticsStore(t, g))
	got, err := kg.NewAnalytics(cs).Similar(t.Context(), kg.SimilarQuery{ID: "me", First: 10})
	if err != nil {
		t.Fatal(err)
	}
	// me {proj peer} vs friend {peer far}: 1/3; me {proj} vs peer {proj skill
	// friend}: 1/3 (each leaves the other out of its collaborators); a tie
	// on score and shared count, so by id.
	var gs []string
	for _, s := range got {
		gs = append(gs, fmt.Sprintf("%s %.2f %q", s.ActorID, s.Score, s.Shared))
	}
	if want := []string{`friend 0.33 ["peer"]`, `peer 0.33 ["proj"]`}; !slices.Equal(gs, want) {
		t.Errorf("got %q, want %q", gs, want)
	}
	if cs.topologies != 1 || cs.getNodes != 0 || cs.getRels != 0 {
		t.Errorf("store calls: %d Topology, %d GetNodes, %d GetRels; want only the topology", cs.topologies, cs.getNodes, cs.getRels)
	}
}

// oracleOwn is x's own people and organisations by DESIGN.md §1.1 read
// from the relationships: what x is affiliated with (a person's MEMBER_OF
// organisations, then PART_OF upwards, transitively) and what is
// affiliated with x, x included.
func oracleOwn(tg travGraph, x string) map[string]bool {
	person := map[string]bool{}
	for _, a := range tg.g.Actors {
		person[a.ID] = a.Kind == kg.KindPerson
	}
	up := func(start []string) map[string]bool {
		seen := map[string]bool{}
		for len(start) > 0 {
			y := start[0]
			start = start[1:]
			if seen[y] {
				continue
			}
			seen[y] = true
			for _, r := range tg.rels {
				if r.Type == kg.RelPartOf && r.From == y && tg.labels[r.To] == kg.LabelActor {
					start = append(start, r.To)
				}
			}
		}
		return seen
	}
	orgsOf := func(y string) map[string]bool {
		start := []string{y}
		if person[y] {
			for _, r := range tg.rels {
				if r.Type == kg.RelMemberOf && r.From == y && !person[r.To] {
					start = append(start, r.To)
				}
			}
		}
		return up(start)
	}
	own := orgsOf(x)
	for _, y := range tg.actors {
		if orgsOf(y)[x] {
			own[y] = true
		}
	}
	return own
}
