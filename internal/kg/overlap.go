package kg

import (
	"context"
	"sort"
)

// Overlap says what 2–10 actors share: per dimension the neighbours linked
// to every one of them (the given actors left out of the collaborators),
// for exactly two actors the Jaccard indices, and per actor the
// competencies none of the others has.
func (a *Analytics) Overlap(ctx context.Context, actorIDs []string) (Overlap, error) {
	return a.OverlapAt(ctx, actorIDs, "")
}

// OverlapAt is Overlap seen at asOf (asof.go): projects and collaborators
// by the ties active then.
func (a *Analytics) OverlapAt(ctx context.Context, actorIDs []string, asOf Date) (Overlap, error) {
	if n := len(actorIDs); n < MinOverlapActors || n > MaxOverlapActors {
		return Overlap{}, Invalid("actorIds", "has %d ids; give %d–%d actors", n, MinOverlapActors, MaxOverlapActors)
	}
	given := map[string]bool{}
	for _, id := range actorIDs {
		if err := CheckID("actorIds", id); err != nil {
			return Overlap{}, err
		}
		if given[id] {
			return Overlap{}, Invalid("actorIds", "%q is given twice", id)
		}
		given[id] = true
	}
	v, err := a.topologyAt(ctx, asOf)
	if err != nil {
		return Overlap{}, err
	}
	all := make([]*actorSets, len(actorIDs))
	for i, id := range actorIDs {
		if err := ctx.Err(); err != nil {
			return Overlap{}, timeoutErr(err)
		}
		x, err := v.node("actorIds", id, LabelActor, "an actor")
		if err != nil {
			return Overlap{}, err
		}
		all[i] = v.actorSets(x)
	}

	out := Overlap{ActorIDs: append([]string{}, actorIDs...)}
	out.Projects = intersectAll(all, func(s *actorSets) idSet { return s.projects }, nil)
	out.Competencies = intersectAll(all, func(s *actorSets) idSet { return s.competencies }, nil)
	out.Needs = intersectAll(all, func(s *actorSets) idSet { return s.needs }, nil)
	out.Collaborators = intersectAll(all, func(s *actorSets) idSet { return s.collaborators }, given)

	if len(actorIDs) == 2 {
		x, y := all[0], all[1]
		cx := x.collaborators.without(actorIDs[1])
		cy := y.collaborators.without(actorIDs[0])
		j := &OverlapJaccard{
			Projects:      jaccardOf(x.projects, y.projects),
			Competencies:  jaccardOf(x.competencies, y.competencies),
			Needs:         jaccardOf(x.needs, y.needs),
			Collaborators: jaccardOf(cx, cy),
			// Ids are unique across labels, so the union of the sets of
			// different dimensions never merges two different neighbours.
			Overall: jaccardOf(unionOf(x.competencies, x.projects, cx), unionOf(y.competencies, y.projects, cy)),
		}
		out.Jaccard = j
	}

	out.Complementary = make([]Complement, len(actorIDs))
	for i, id := range actorIDs {
		own := []string{}
		for c := range all[i].competencies {
			shared := false
			for j, o := range all {
				if j != i && o.competencies[c] {
					shared = true
					break
				}
			}
			if !shared {
				own = append(own, c)
			}
		}
		sort.Strings(own)
		out.Complementary[i] = Complement{ActorID: id, CompetencyIDs: own}
	}
	return out, nil
}

// idSet is a set of node ids.
type idSet map[string]bool

func (s idSet) sorted() []string {
	out := make([]string, 0, len(s))
	for id := range s {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// without returns s minus id, sharing s when id is not in it.
func (s idSet) without(id string) idSet {
	if !s[id] {
		return s
	}
	out := make(idSet, len(s))
	for k := range s {
		if k != id {
			out[k] = true
		}
	}
	return out
}

func unionOf(sets ...idSet) idSet {
	out := idSet{}
	for _, s := range sets {
		for k := range s {
			out[k] = true
		}
	}
	return out
}

func intersectionSize(x, y idSet) int {
	if len(y) < len(x) {
		x, y = y, x
	}
	n := 0
	for k := range x {
		if y[k] {
			n++
		}
	}
	return n
}

// jaccardOf is |x∩y| / |x∪y|, 0 when both are empty.
func jaccardOf(x, y idSet) float64 {
	i := intersectionSize(x, y)
	u := len(x) + len(y) - i
	if u == 0 {
		return 0
	}
	return float64(i) / float64(u)
}

// intersectAll returns the ids in every actor's set, minus leave, sorted.
func intersectAll(all []*actorSets, set func(*actorSets) idSet, leave map[string]bool) []string {
	out := []string{}
	for id := range set(all[0]) {
		if leave[id] {
			continue
		}
		in := true
		for _, s := range all[1:] {
			if !set(s)[id] {
				in = false
				break
			}
		}
		if in {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// actorSets are an actor's neighbours per dimension. Only the sets of the
// dimensions asked for are filled.
type actorSets struct {
	projects, competencies, needs, collaborators idSet
}

func (s *actorSets) of(d Dimension) idSet {
	switch d {
	case DimProjects:
		return s.projects
	case DimCompetencies:
		return s.competencies
	case DimNeeds:
		return s.needs
	case DimCollaborators:
		return s.collaborators
	}
	return nil
}

// actorSets returns an actor's neighbours per dimension.
func (v view) actorSets(x int32) *actorSets {
	set := func(xs []int32) idSet {
		out := make(idSet, len(xs))
		for _, y := range xs {
			out[v.s.ID(y)] = true
		}
		return out
	}
	return &actorSets{
		projects:      set(v.out(x, RelParticipatesIn)),
		competencies:  set(v.out(x, RelHasCompetency)),
		needs:         set(v.out(x, RelHasNeed)),
		collaborators: set(v.collaborators(x)),
	}
}
