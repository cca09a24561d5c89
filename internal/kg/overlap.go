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
	if err := a.requireActors(ctx, "actorIds", actorIDs); err != nil {
		return Overlap{}, err
	}
	e := newExpander(a.store, actorSetTypes(Dimensions))
	sets, err := loadActorSets(ctx, e, actorIDs, Dimensions)
	if err != nil {
		return Overlap{}, actorSetsGuard(err, "actorIds")
	}

	out := Overlap{ActorIDs: append([]string{}, actorIDs...)}
	all := make([]*actorSets, len(actorIDs))
	for i, id := range actorIDs {
		all[i] = sets[id]
	}
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

// requireActors refuses ids that name no node (NotFound) or a node that is
// not an actor (Invalid), naming field; one GetNodes call.
func (a *Analytics) requireActors(ctx context.Context, field string, ids []string) error {
	nodes, err := a.store.GetNodes(ctx, ids)
	if err != nil {
		return err
	}
	for i, n := range nodes {
		if n == nil {
			return WithField(NotFound(ids[i]), field)
		}
		if n.NodeLabel() != LabelActor {
			return Invalid(field, "%q is a %s, not an actor", ids[i], n.NodeLabel())
		}
	}
	return nil
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

// actorSetTypes returns the relationship types the sets of dims need.
func actorSetTypes(dims []Dimension) []RelType {
	want := map[RelType]bool{}
	for _, d := range dims {
		switch d {
		case DimProjects:
			want[RelParticipatesIn] = true
		case DimCompetencies:
			want[RelHasCompetency] = true
		case DimNeeds:
			want[RelHasNeed] = true
		case DimCollaborators:
			want[RelParticipatesIn], want[RelMemberOf], want[RelPartnersWith] = true, true, true
		}
	}
	var out []RelType
	for _, t := range RelTypes {
		if want[t] {
			out = append(out, t)
		}
	}
	return out
}

// loadActorSets expands the actors (and, for collaborators, their
// projects) with e, whose types must include actorSetTypes(dims), and
// returns their neighbour sets. It makes at most two store calls.
func loadActorSets(ctx context.Context, e *expander, ids []string, dims []Dimension) (map[string]*actorSets, error) {
	collab := false
	for _, d := range dims {
		collab = collab || d == DimCollaborators
	}
	if err := e.expand(ctx, ids); err != nil {
		return nil, err
	}
	out := make(map[string]*actorSets, len(ids))
	var projects []string
	for _, id := range ids {
		s := &actorSets{projects: idSet{}, competencies: idSet{}, needs: idSet{}, collaborators: idSet{}}
		for _, r := range e.rels(id) {
			switch {
			case r.Type == RelParticipatesIn && r.From == id:
				s.projects[r.To] = true
			case r.Type == RelHasCompetency && r.From == id:
				s.competencies[r.To] = true
			case r.Type == RelHasNeed && r.From == id:
				s.needs[r.To] = true
			case r.Type == RelMemberOf || r.Type == RelPartnersWith:
				s.collaborators[r.Other(id)] = true
			}
		}
		out[id] = s
		if collab {
			projects = append(projects, s.projects.sorted()...)
		}
	}
	if !collab {
		return out, nil
	}
	if err := e.expand(ctx, projects); err != nil {
		return nil, err
	}
	for _, id := range ids {
		s := out[id]
		for p := range s.projects {
			for _, r := range e.rels(p) {
				if r.Type == RelParticipatesIn && r.To == p && r.From != id {
					s.collaborators[r.From] = true
				}
			}
		}
	}
	return out, nil
}

// actorSetsGuard names field when the expander refuses to load more.
func actorSetsGuard(err error, field string) error {
	if e, ok := err.(*Error); ok && e.Kind == ErrInvalid && e.Field == "maxHops" {
		return Invalid(field, "comparing these actors needs more than %d relationships", MaxExpandedRels)
	}
	return err
}
