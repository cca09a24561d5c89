package kg

import (
	"cmp"
	"context"
	"slices"
)

// Stats describes the whole ecosystem (DESIGN.md §2, ecosystem
// statistics), computed from the store's projection and cached until the
// graph version changes.
func (a *Analytics) Stats(ctx context.Context) (Stats, error) {
	w, err := a.whole(ctx)
	if err != nil {
		return Stats{}, err
	}
	g := a.collab(w)
	st := w.stats.must(func() Stats { return computeStats(w.view, g) })
	// The cached value is shared: hand out copies of its slices.
	st.Labels = slices.Clone(st.Labels)
	st.Kinds = slices.Clone(st.Kinds)
	st.Sectors = slices.Clone(st.Sectors)
	st.Countries = slices.Clone(st.Countries)
	st.Relationships = slices.Clone(st.Relationships)
	return st, nil
}

func computeStats(v view, g *collabGraph) Stats {
	s := v.s
	st := Stats{Version: s.Version(), Actors: len(g.actors), CollaborationEdges: g.edges}
	for _, l := range Labels {
		st.Labels = append(st.Labels, Count{Key: string(l), Count: s.Count(LabelCode(l))})
	}
	for _, t := range RelTypes {
		st.Relationships = append(st.Relationships, Count{Key: string(t), Count: s.RelCount(TypeCode(t))})
	}
	kinds, sectors, countries := map[string]int{}, map[string]int{}, map[string]int{}
	for _, ac := range g.actors {
		kinds[string(ac.Kind)]++
		sectors[string(ac.Sector)]++
		if ac.Country != "" {
			countries[ac.Country]++
		}
	}
	st.Kinds, st.Sectors, st.Countries = breakdown(kinds), breakdown(sectors), breakdown(countries)

	st.Components, st.LargestComponent = g.components()
	n := len(g.actors)
	m := float64(g.edges)
	if n >= 2 {
		st.Density = 2 * m / (float64(n) * float64(n-1))
	}
	if n > 0 {
		st.AverageDegree = 2 * m / float64(n)
	}

	st.Projects = s.Count(LabelCode(LabelProject))
	part, project := TypeCode(RelParticipatesIn), LabelCode(LabelProject)
	for x := range s.Slots() {
		if nd := s.Node(x); !nd.Alive || nd.Label != project {
			continue
		}
		public, private := false, false
		for _, e := range s.Edges(x) {
			if e.Type != part || e.Out {
				continue
			}
			switch SectorOfCode(s.Node(e.To).Sector) {
			case SectorPublic:
				public = true
			case SectorPrivate:
				private = true
			}
		}
		if public && private {
			st.CrossSectorProjects++
		}
	}
	if st.Projects > 0 {
		st.CrossSectorShare = float64(st.CrossSectorProjects) / float64(st.Projects)
	}
	return st
}

// breakdown orders counts by count desc, then key.
func breakdown(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, c := range m {
		out = append(out, Count{Key: k, Count: c})
	}
	slices.SortFunc(out, func(x, y Count) int {
		if c := cmp.Compare(y.Count, x.Count); c != 0 {
			return c
		}
		return cmp.Compare(x.Key, y.Key)
	})
	return out
}
