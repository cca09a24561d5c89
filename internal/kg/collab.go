package kg

// The collaboration graph (DESIGN.md §2) joins two actors that share a
// project or a MEMBER_OF / PARTNERS_WITH link. Expanding every project into
// the pairs of its participants makes it dense (a project of 2,000
// participants is two million pairs), so it is never built: whole-graph
// analytics walk the actor–project structure instead, where a project's
// participants are one step from each other, and count each collaborator
// pair once with the help of the few pairs joined for several reasons
// (two shared projects, or a project and a link), which are listed with
// their surplus. This is exact: the same distances, the same numbers of
// shortest paths and the same pair counts as the expanded graph.

// collabGraph is the collaboration graph of a snapshot, by dense actor
// index (actors sorted by id), in compressed rows.
type collabGraph struct {
	actors []ProjectedActor
	of     []int32 // snapshot id → actor index, -1 for other nodes
	snap   []int32 // actor index → snapshot id

	// actor i's projects are actProj[actOff[i]:actOff[i+1]]; project j's
	// participants partAct[partOff[j]:partOff[j+1]] (projects of fewer than
	// two participants are left out: they join nobody).
	actOff, actProj  []int32
	partOff, partAct []int32
	// direct collaborators (MEMBER_OF, PARTNERS_WITH either way), each once.
	dirOff, dirAct []int32
	// pairs counted more than once through the above: multi[i] holds
	// (collaborator, surplus = reasons − 1).
	multiOff, multiAct []int32
	multiExtra         []float64

	degree []int32 // distinct collaborators per actor
	edges  int     // collaborator pairs
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
	part, member, partner, partOf := TypeCode(RelParticipatesIn), TypeCode(RelMemberOf), TypeCode(RelPartnersWith), TypeCode(RelPartOf)

	// Projects and their participants.
	var ps []int32
	actDeg := make([]int32, n+1)
	g.partOff = append(g.partOff, 0)
	for _, p := range projects {
		ps = ps[:0]
		for _, e := range s.Edges(p) {
			if e.Type == part && !e.Out && g.of[e.To] >= 0 {
				ps = append(ps, g.of[e.To])
			}
		}
		if len(ps) < 2 {
			continue
		}
		for _, a := range ps {
			actDeg[a+1]++
		}
		g.partAct = append(g.partAct, ps...)
		g.partOff = append(g.partOff, int32(len(g.partAct)))
	}
	g.actOff = make([]int32, n+1)
	for i := range n {
		g.actOff[i+1] = g.actOff[i] + actDeg[i+1]
	}
	g.actProj = make([]int32, g.actOff[n])
	fill := append([]int32(nil), g.actOff[:n]...)
	for j := range len(g.partOff) - 1 {
		for _, a := range g.partAct[g.partOff[j]:g.partOff[j+1]] {
			g.actProj[fill[a]] = int32(j)
			fill[a]++
		}
	}

	// Direct links, each neighbour once, and then per actor the count of
	// reasons joining it to every collaborator.
	direct := make([][]int32, n)
	for i, x := range xs {
		for _, e := range s.Edges(x) {
			if (e.Type == member || e.Type == partner || e.Type == partOf) && g.of[e.To] >= 0 && g.of[e.To] != int32(i) {
				direct[i] = append(direct[i], g.of[e.To])
			}
		}
	}
	g.dirOff = make([]int32, n+1)
	g.multiOff = make([]int32, n+1)
	g.degree = make([]int32, n)
	count := make([]int32, n)
	var touched []int32
	total := 0
	for i := range n {
		touched = touched[:0]
		bump := func(w int32) {
			if count[w] == 0 {
				touched = append(touched, w)
			}
			count[w]++
		}
		d := direct[i]
		for _, w := range d {
			if count[w] == 0 { // several links to one actor are one reason
				bump(w)
				g.dirAct = append(g.dirAct, w)
			}
		}
		g.dirOff[i+1] = int32(len(g.dirAct))
		for _, p := range g.actProj[g.actOff[i]:g.actOff[i+1]] {
			for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
				if w != int32(i) {
					bump(w)
				}
			}
		}
		for _, w := range touched {
			if count[w] > 1 {
				g.multiAct = append(g.multiAct, w)
				g.multiExtra = append(g.multiExtra, float64(count[w]-1))
			}
			count[w] = 0
		}
		g.multiOff[i+1] = int32(len(g.multiAct))
		g.degree[i] = int32(len(touched))
		total += len(touched)
	}
	g.edges = total / 2
	return g
}

// components returns the number of connected components of the
// collaboration graph and the size of the largest; an isolated actor is a
// component of its own.
func (g *collabGraph) components() (count, largest int) {
	n := len(g.actors)
	seen := make([]bool, n)
	done := make([]bool, len(g.partOff))
	var queue []int32
	for src := range n {
		if seen[src] {
			continue
		}
		count++
		seen[src] = true
		queue = append(queue[:0], int32(src))
		for h := 0; h < len(queue); h++ {
			v := queue[h]
			visit := func(w int32) {
				if !seen[w] {
					seen[w] = true
					queue = append(queue, w)
				}
			}
			for _, w := range g.dirAct[g.dirOff[v]:g.dirOff[v+1]] {
				visit(w)
			}
			for _, p := range g.actProj[g.actOff[v]:g.actOff[v+1]] {
				if !done[p] {
					done[p] = true
					for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
						visit(w)
					}
				}
			}
		}
		largest = max(largest, len(queue))
	}
	return count, largest
}
