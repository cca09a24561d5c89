package kg

import (
	"context"
	"sort"
)

// Similar returns the actors most like q.ID: every other actor sharing at
// least one neighbour in the dimensions q.By, scored by the Jaccard index of
// the two actors' neighbour sets (the union over those dimensions, each
// actor left out of the other's collaborators), ordered by score desc,
// shared count desc, id, and cut at q.First.
//
// Candidates are found by expanding from the actor's own neighbours (two
// hops; for collaborators, the collaborators' collaborators), never by
// scanning every actor.
func (a *Analytics) Similar(ctx context.Context, q SimilarQuery) ([]Similar, error) {
	if err := CheckID("id", q.ID); err != nil {
		return nil, err
	}
	by := q.By
	if len(by) == 0 {
		by = DefaultSimilarBy
	}
	want := map[Dimension]bool{}
	for _, d := range by {
		if !d.Valid() {
			return nil, Invalid("by", "%q is not a dimension (PROJECTS, COMPETENCIES, NEEDS, COLLABORATORS)", clip(string(d)))
		}
		want[d] = true
	}
	var dims []Dimension // each once, in Dimensions order
	for _, d := range Dimensions {
		if want[d] {
			dims = append(dims, d)
		}
	}
	if q.First < 1 || q.First > MaxSimilarFirst {
		return nil, Invalid("first", "%d is outside 1–%d", q.First, MaxSimilarFirst)
	}
	nodes, err := a.store.GetNodes(ctx, []string{q.ID})
	if err != nil {
		return nil, err
	}
	if nodes[0] == nil {
		return nil, WithField(NotFound(q.ID), "id")
	}
	if l := nodes[0].NodeLabel(); l != LabelActor {
		return nil, Invalid("id", "%q is a %s, not an actor", q.ID, l)
	}

	e := newExpander(a.store, actorSetTypes(dims))
	guard := func(err error) error { return actorSetsGuard(err, "id") }
	setsA, err := loadActorSets(ctx, e, []string{q.ID}, dims)
	if err != nil {
		return nil, guard(err)
	}
	sa := setsA[q.ID]

	// Who shares a neighbour with A: the other actors linked to A's
	// projects, competencies and needs, and the collaborators of A's
	// collaborators.
	var hop []string
	for _, d := range dims {
		if d != DimCollaborators {
			hop = append(hop, sa.of(d).sorted()...)
		}
	}
	if err := e.expand(ctx, hop); err != nil {
		return nil, guard(err)
	}
	cands := idSet{}
	for _, d := range dims {
		if d == DimCollaborators {
			continue
		}
		for n := range sa.of(d) {
			for _, r := range e.rels(n) {
				if r.To == n && r.From != q.ID && dimensionOfRel(r.Type) == d {
					cands[r.From] = true
				}
			}
		}
	}
	if want[DimCollaborators] && len(sa.collaborators) > 0 {
		cs, err := loadActorSets(ctx, e, sa.collaborators.sorted(), []Dimension{DimCollaborators})
		if err != nil {
			return nil, guard(err)
		}
		for _, s := range cs {
			for b := range s.collaborators {
				cands[b] = true
			}
		}
	}
	delete(cands, q.ID)
	if len(cands) == 0 {
		return []Similar{}, nil
	}

	setsB, err := loadActorSets(ctx, e, cands.sorted(), dims)
	if err != nil {
		return nil, guard(err)
	}
	type scored struct {
		Similar
		inter, union int
	}
	var res []scored
	for b, sb := range setsB {
		na, nb := idSet{}, idSet{}
		for _, d := range dims {
			xa, xb := sa.of(d), sb.of(d)
			if d == DimCollaborators {
				xa, xb = xa.without(b), xb.without(q.ID)
			}
			for k := range xa {
				na[k] = true
			}
			for k := range xb {
				nb[k] = true
			}
		}
		shared := []string{}
		for k := range na {
			if nb[k] {
				shared = append(shared, k)
			}
		}
		if len(shared) == 0 {
			continue // e.g. a direct collaborator with nothing else in common
		}
		sort.Strings(shared)
		u := len(na) + len(nb) - len(shared)
		res = append(res, scored{Similar{ActorID: b, Score: float64(len(shared)) / float64(u), Shared: shared}, len(shared), u})
	}
	// Scores are compared as fractions, so that equal ratios tie exactly.
	sort.Slice(res, func(i, j int) bool {
		x, y := res[i], res[j]
		if l, r := x.inter*y.union, y.inter*x.union; l != r {
			return l > r
		}
		if x.inter != y.inter {
			return x.inter > y.inter
		}
		return x.ActorID < y.ActorID
	})
	if len(res) > q.First {
		res = res[:q.First]
	}
	out := make([]Similar, len(res))
	for i, r := range res {
		out[i] = r.Similar
	}
	return out, nil
}

// dimensionOfRel is the dimension an actor's relationship of type t links
// to, for the types whose other end is not an actor.
func dimensionOfRel(t RelType) Dimension {
	switch t {
	case RelParticipatesIn:
		return DimProjects
	case RelHasCompetency:
		return DimCompetencies
	case RelHasNeed:
		return DimNeeds
	}
	return ""
}
