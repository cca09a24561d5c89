package kg

import (
	"slices"

	"github.com/samverkan/samverkan/internal/engine"
)

// buildCollabRowsReference is the previous buildCollabRows, kept as the
// reference the new one is checked against: at ORGANISATIONS it paired
// every whole a person reaches by PART_OF only explicitly with the
// project's other participants (at L 4.3 million direct pairs), where the
// new one puts those wholes in the project's group.
func buildCollabRowsReference(v view, k collabKey) *collabGraph {
	s := v.s
	actor, project := LabelCode(LabelActor), LabelCode(LabelProject)
	person := kindCode(KindPerson)
	keep := func(nd engine.Node) bool {
		if k.scope == ScopeOrganisations && nd.Kind == person {
			return false
		}
		return k.kinds == 0 || k.kinds&(1<<nd.Kind) != 0
	}
	var xs, projects, people []int32
	for x := range s.Slots() {
		switch n := s.Node(x); {
		case !n.Alive:
		case n.Label == actor && keep(n):
			xs = append(xs, x)
		case n.Label == actor && k.scope == ScopeOrganisations && n.Kind == person:
			people = append(people, x)
		case n.Label == project:
			projects = append(projects, x)
		}
	}
	v.byID(xs)
	n := len(xs)
	g := &collabGraph{actors: make([]ProjectedActor, n), of: make([]int32, s.Slots()), snap: xs}
	for i := range g.of {
		g.of[i] = -1
	}
	for i, x := range xs {
		nd := s.Node(x)
		g.actors[i] = ProjectedActor{ID: s.ID(x), Kind: KindOfCode(nd.Kind), Sector: SectorOfCode(nd.Sector), Country: nd.Country}
		g.of[x] = int32(i)
	}

	// stands[x] is what actor x stands for in a project (nil: itself),
	// whole[x] what it stands for in a link; reach[x] the wholes joined to
	// its collaborators by explicit pairs.
	var stands, whole, reach map[int32][]int32
	if k.scope == ScopeOrganisations {
		stands, whole, reach = map[int32][]int32{}, map[int32][]int32{}, map[int32][]int32{}
		member := TypeCode(RelMemberOf)
		for _, p := range people {
			var direct []int32
			for _, e := range s.Edges(p) {
				if e.Type == member && e.Out && g.of[e.To] >= 0 && v.sees(p, e) {
					direct = append(direct, g.of[e.To])
				}
			}
			var all []int32
			for _, o := range v.organisations(p) {
				if g.of[o] >= 0 {
					all = append(all, g.of[o])
				}
			}
			slices.Sort(direct)
			stands[p], whole[p] = slices.Compact(direct), all
			for _, o := range all {
				if !slices.Contains(direct, o) {
					reach[p] = append(reach[p], o)
				}
			}
		}
	}
	standFor := func(x int32, m map[int32][]int32) []int32 {
		if i := g.of[x]; i >= 0 {
			return []int32{i}
		}
		return m[x]
	}

	direct := make([][]int32, n)
	pair := func(i, j int32) {
		if i != j {
			direct[i] = append(direct[i], j)
			direct[j] = append(direct[j], i)
		}
	}
	part, member, partner, partOf := TypeCode(RelParticipatesIn), TypeCode(RelMemberOf), TypeCode(RelPartnersWith), TypeCode(RelPartOf)

	// Projects: each a group of what its participants stand for, each once.
	seen := getMarks(int32(n))
	defer seen.release()
	var ps, participants []int32
	g.partOff = append(g.partOff, 0)
	for j, p := range projects {
		ps, participants = ps[:0], participants[:0]
		tag := int32(j)
		for _, e := range s.Edges(p) {
			if e.Type != part || e.Out || s.Node(e.To).Label != actor || !v.sees(p, e) {
				continue
			}
			participants = append(participants, e.To)
			for _, i := range standFor(e.To, stands) {
				if seen.get(i) != tag {
					seen.set(i, tag)
					ps = append(ps, i)
				}
			}
		}
		for _, a := range participants { // a person's wholes reached by PART_OF only
			for _, o := range reach[a] {
				for _, b := range participants {
					if b != a {
						for _, i := range standFor(b, whole) {
							pair(o, i)
						}
					}
				}
			}
		}
		if len(ps) < 2 {
			continue
		}
		g.partAct = append(g.partAct, ps...)
		g.partOff = append(g.partOff, int32(len(g.partAct)))
	}

	// Links (MEMBER_OF, PARTNERS_WITH, PART_OF between actors), from the
	// side that stores them: each end stands for its wholes.
	for x := range s.Slots() {
		if nd := s.Node(x); !nd.Alive || nd.Label != actor {
			continue
		}
		for _, e := range s.Edges(x) {
			if !e.Out || (e.Type != member && e.Type != partner && e.Type != partOf) || s.Node(e.To).Label != actor || !v.sees(x, e) {
				continue
			}
			for _, i := range standFor(x, whole) {
				for _, j := range standFor(e.To, whole) {
					pair(i, j)
				}
			}
		}
	}
	return g.index(direct)
}
