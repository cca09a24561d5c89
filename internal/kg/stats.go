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
	w, err := a.projection(ctx)
	if err != nil {
		return Stats{}, err
	}
	g := a.collab(w)
	st := w.stats.must(func() Stats { return computeStats(w.proj, g) })
	// The cached value is shared: hand out copies of its slices.
	st.Labels = slices.Clone(st.Labels)
	st.Kinds = slices.Clone(st.Kinds)
	st.Sectors = slices.Clone(st.Sectors)
	st.Countries = slices.Clone(st.Countries)
	st.Relationships = slices.Clone(st.Relationships)
	return st, nil
}

// collabGraph is the collaboration graph of a projection with dense ids:
// actor i is actors[i] (sorted by id), adj[i] its neighbours ascending.
// Each collaborator pair is one undirected edge, whatever the number of
// reasons (shared projects, membership, partnership) joining it.
type collabGraph struct {
	actors []ProjectedActor
	index  map[string]int32
	adj    [][]int32
	edges  int
}

// collab returns the collaboration graph of w, built once per version.
func (a *Analytics) collab(w *wholeGraph) *collabGraph {
	return w.collab.must(func() *collabGraph { return buildCollab(w.proj) })
}

func buildCollab(p *Projection) *collabGraph {
	actors := slices.Clone(p.Actors)
	slices.SortFunc(actors, func(x, y ProjectedActor) int { return cmp.Compare(x.ID, y.ID) })
	actors = slices.CompactFunc(actors, func(x, y ProjectedActor) bool { return x.ID == y.ID })
	g := &collabGraph{actors: actors, index: make(map[string]int32, len(actors)), adj: make([][]int32, len(actors))}
	for i, ac := range actors {
		g.index[ac.ID] = int32(i)
	}

	// Pairs (i<j) packed into one integer, so that sorting and compacting
	// them merges parallel reasons into one edge.
	var pairs []uint64
	pair := func(i, j int32) {
		if i == j {
			return
		}
		if i > j {
			i, j = j, i
		}
		pairs = append(pairs, uint64(i)<<32|uint64(j))
	}
	participants := map[string][]int32{} // project → actors
	for _, l := range p.Links {
		from, okFrom := g.index[l.From]
		switch l.Type {
		case RelParticipatesIn:
			if okFrom {
				participants[l.To] = append(participants[l.To], from)
			}
		case RelMemberOf, RelPartnersWith:
			if to, okTo := g.index[l.To]; okFrom && okTo {
				pair(from, to)
			}
		}
	}
	for _, ps := range participants {
		for x := range ps {
			for y := x + 1; y < len(ps); y++ {
				pair(ps[x], ps[y])
			}
		}
	}
	slices.Sort(pairs)
	pairs = slices.Compact(pairs)
	g.edges = len(pairs)
	deg := make([]int32, len(actors))
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

func computeStats(p *Projection, g *collabGraph) Stats {
	st := Stats{Version: p.Version, Actors: len(g.actors), CollaborationEdges: g.edges}
	for _, l := range Labels {
		st.Labels = append(st.Labels, Count{Key: string(l), Count: p.NodeCounts[l]})
	}
	for _, t := range RelTypes {
		st.Relationships = append(st.Relationships, Count{Key: string(t), Count: p.RelCounts[t]})
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
	for s := range n {
		if seen[s] {
			continue
		}
		st.Components++
		seen[s] = true
		queue = append(queue[:0], int32(s))
		for h := 0; h < len(queue); h++ {
			for _, v := range g.adj[queue[h]] {
				if !seen[v] {
					seen[v] = true
					queue = append(queue, v)
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

	st.Projects = p.NodeCounts[LabelProject]
	public, private := map[string]bool{}, map[string]bool{}
	for _, l := range p.Links {
		if l.Type != RelParticipatesIn {
			continue
		}
		i, ok := g.index[l.From]
		if !ok {
			continue
		}
		switch g.actors[i].Sector {
		case SectorPublic:
			public[l.To] = true
		case SectorPrivate:
			private[l.To] = true
		}
	}
	for proj := range public {
		if private[proj] {
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
