package kg_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// oracleSets returns an actor's neighbours per dimension, read from the
// plain relationship list by the definitions of DESIGN.md §2.
func oracleSets(tg travGraph, id string) map[kg.Dimension]map[string]bool {
	out := map[kg.Dimension]map[string]bool{}
	for _, d := range kg.Dimensions {
		out[d] = map[string]bool{}
	}
	for _, r := range tg.rels {
		switch {
		case r.Type == kg.RelParticipatesIn && r.From == id:
			out[kg.DimProjects][r.To] = true
		case r.Type == kg.RelHasCompetency && r.From == id:
			out[kg.DimCompetencies][r.To] = true
		case r.Type == kg.RelHasNeed && r.From == id:
			out[kg.DimNeeds][r.To] = true
		case (r.Type == kg.RelMemberOf || r.Type == kg.RelPartnersWith ||
			r.Type == kg.RelPartOf && tg.labels[r.From] == kg.LabelActor) && (r.From == id || r.To == id):
			out[kg.DimCollaborators][r.Other(id)] = true
		}
	}
	for _, r := range tg.rels {
		if r.Type == kg.RelParticipatesIn && out[kg.DimProjects][r.To] && r.From != id {
			out[kg.DimCollaborators][r.From] = true
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := []string{}
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func jaccardSets(a, b map[string]bool) float64 {
	i, u := 0, len(b)
	for k := range a {
		if b[k] {
			i++
		} else {
			u++
		}
	}
	if u == 0 {
		return 0
	}
	return float64(i) / float64(u)
}

func without(m map[string]bool, id string) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		if k != id {
			out[k] = true
		}
	}
	return out
}

func union(ms ...map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, m := range ms {
		for k := range m {
			out[k] = true
		}
	}
	return out
}

func oracleOverlap(tg travGraph, ids []string) string {
	sets := make([]map[kg.Dimension]map[string]bool, len(ids))
	for i, id := range ids {
		sets[i] = oracleSets(tg, id)
	}
	shared := func(d kg.Dimension) []string {
		out := []string{}
		for _, k := range sortedKeys(sets[0][d]) {
			in := !(d == kg.DimCollaborators && slices.Contains(ids, k))
			for _, s := range sets[1:] {
				in = in && s[d][k]
			}
			if in {
				out = append(out, k)
			}
		}
		return out
	}
	o := kg.Overlap{ActorIDs: ids, Projects: shared(kg.DimProjects), Competencies: shared(kg.DimCompetencies),
		Needs: shared(kg.DimNeeds), Collaborators: shared(kg.DimCollaborators)}
	if len(ids) == 2 {
		a, b := sets[0], sets[1]
		ca, cb := without(a[kg.DimCollaborators], ids[1]), without(b[kg.DimCollaborators], ids[0])
		o.Jaccard = &kg.OverlapJaccard{
			Projects:      jaccardSets(a[kg.DimProjects], b[kg.DimProjects]),
			Competencies:  jaccardSets(a[kg.DimCompetencies], b[kg.DimCompetencies]),
			Needs:         jaccardSets(a[kg.DimNeeds], b[kg.DimNeeds]),
			Collaborators: jaccardSets(ca, cb),
			Overall: jaccardSets(union(a[kg.DimCompetencies], a[kg.DimProjects], ca),
				union(b[kg.DimCompetencies], b[kg.DimProjects], cb)),
		}
	}
	for i, id := range ids {
		var own []string
		for _, c := range sortedKeys(sets[i][kg.DimCompetencies]) {
			alone := true
			for j := range ids {
				alone = alone && (j == i || !sets[j][kg.DimCompetencies][c])
			}
			if alone {
				own = append(own, c)
			}
		}
		o.Complementary = append(o.Complementary, kg.Complement{ActorID: id, CompetencyIDs: own})
	}
	return fmtOverlap(o)
}

func fmtOverlap(o kg.Overlap) string {
	l := func(s []string) string { return fmt.Sprintf("%q", append([]string{}, s...)) }
	s := fmt.Sprintf("ids=%s p=%s c=%s n=%s col=%s", l(o.ActorIDs), l(o.Projects), l(o.Competencies), l(o.Needs), l(o.Collaborators))
	if j := o.Jaccard; j != nil {
		s += fmt.Sprintf(" J{%.9f %.9f %.9f %.9f %.9f}", j.Projects, j.Competencies, j.Needs, j.Collaborators, j.Overall)
	}
	for _, c := range o.Complementary {
		s += " " + c.ActorID + ":" + l(c.CompetencyIDs)
	}
	return s
}

func TestOverlapAgainstOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	for g := range 8 {
		tg := genTravGraph(rng, 10, 4, 3, 5, 0.1+0.05*float64(g%4))
		an := kg.NewAnalytics(openAnalyticsStore(t, tg.g))
		for range 30 {
			n := 2 + rng.IntN(3)
			if rng.IntN(2) == 0 {
				n = 2 // Jaccard only comes with two
			}
			perm := rng.Perm(len(tg.actors))[:n]
			ids := make([]string, n)
			for i, p := range perm {
				ids[i] = tg.actors[p]
			}
			got, err := an.Overlap(t.Context(), ids)
			if err != nil {
				t.Fatalf("graph %d: Overlap(%q): %v", g, ids, err)
			}
			if gs, ws := fmtOverlap(got), oracleOverlap(tg, ids); gs != ws {
				t.Fatalf("graph %d: Overlap(%q)\n got  %s\n want %s", g, ids, gs, ws)
			}
		}
	}
}

// TestOverlapKeepsInputUnchanged checks that the answer does not alias the
// caller's slice.
func TestOverlapKeepsInputUnchanged(t *testing.T) {
	tg := genTravGraph(rand.New(rand.NewPCG(9, 9)), 4, 2, 1, 2, 0.5)
	an := kg.NewAnalytics(openAnalyticsStore(t, tg.g))
	ids := []string{"a02", "a00"}
	got, err := an.Overlap(t.Context(), ids)
	if err != nil {
		t.Fatal(err)
	}
	got.ActorIDs[0] = "changed"
	if ids[0] != "a02" {
		t.Errorf("changing the answer changed the caller's ids: %q", ids)
	}
	if got.Complementary[0].ActorID != "a02" || got.Complementary[1].ActorID != "a00" {
		t.Errorf("complementary not in the given order: %+v", got.Complementary)
	}
}
