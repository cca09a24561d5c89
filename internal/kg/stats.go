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

// collabGraph is the collaboration graph of a snapshot with dense ids:
// actor i is actors[i] (sorted by id), adj[i] its neighbours ascending.
// Each collaborator pair is one undirected edge, whatever the number of
// reasons (shared projects, membership, partnership) joining it.
type collabGraph struct {
	actors []ProjectedActor
	of     []int32 // snapshot id → actor index, -1 for other nodes
	adj    [][]int32
	edges  int
}

// collab returns the collaboration graph of w, built once per version.
func (a *Analytics) collab(w *wholeGraph) *collabGraph {
	return w.collab.must(func() *collabGraph { return buildCollab(w.view) })
}

func buildCollab(v view) *collabGraph {
	s := v.s
	actor, project := LabelCode(LabelActor), LabelCode(LabelProject)
	var xs, projects []int32
	for x := range s.Slots() {
		switch n := s.Node(x); {
		case !n.Alive:
		case n.Label == actor:
			xs = append(xs, x)
		case n.Label == project:
			projects = append(projects, x)
		}
	}
	v.byID(xs)
	g := &collabGraph{actors: make([]ProjectedActor, len(xs)), of: make([]int32, s.Slots()), adj: make([][]int32, len(xs))}
	for i := range g.of {
		g.of[i] = -1
	}
	for i, x := range xs {
		n := s.Node(x)
		g.actors[i] = ProjectedActor{ID: s.ID(x), Kind: KindOfCode(n.Kind), Sector: SectorOfCode(n.Sector), Country: n.Country}
		g.of[x] = int32(i)
	}

	// Pairs (i<j) packed into one integer, so that sorting and compacting
	// them merges parallel reasons into one edge.
	var pairs []uint64
	pair := func(i, j int32) {
		if i == j || i < 0 || j < 0 {
			return
		}
		if i > j {
			i, j = j, i
		}
		pairs = append(pairs, uint64(i)<<32|uint64(j))
	}
	part, member, partner := TypeCode(RelParticipatesIn), TypeCode(RelMemberOf), TypeCode(RelPartnersWith)
	for i, x := range xs {
		for _, e := range s.Edges(x) {
			if e.Out && (e.Type == member || e.Type == partner) {
				pair(int32(i), g.of[e.To])
			}
		}
	}
	var ps []int32
	for _, p := range projects {
		ps = ps[:0]
		for _, e := range s.Edges(p) {
			if e.Type == part && !e.Out {
				ps = append(ps, g.of[e.To])
			}
		}
		for a := range ps {
			for b := a + 1; b < len(ps); b++ {
				pair(ps[a], ps[b])
			}
		}
	}
	slices.Sort(pairs)
	pairs = slices.Compact(pairs)
	g.edges = len(pairs)
	deg := make([]int32, len(xs))
	for _, pr := range pairs {
		deg[pr>>32]++
		deg[uint32(pr)]++
	}
	for i := range g.adj {
		g.adj[i] = make([]int32, 0, deg[i])
	}
	// Sorted pairs fill every adjacency list in ascending order.
	for _, pr := range pairs {
		i, j := int32(pr>>32), int32(uint32(pr))
		g.adj[i] = append(g.adj[i], j)
		g.adj[j] = append(g.adj[j], i)
	}
	return g
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

	// Connected components by breadth-first search; an isolated actor is
	// one on its own.
	n := len(g.actors)
	seen := make([]bool, n)
	var queue []int32
	for src := range n {
		if seen[src] {
			continue
		}
		st.Components++
		seen[src] = true
		queue = append(queue[:0], int32(src))
		for h := 0; h < len(queue); h++ {
			for _, w := range g.adj[queue[h]] {
				if !seen[w] {
					seen[w] = true
					queue = append(queue, w)
				}
			}
		}
		st.LargestComponent = max(st.LargestComponent, len(queue))
	}
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
