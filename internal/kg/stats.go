package kg

import (
	"cmp"
	"context"
	"slices"
)

// Stats describes the whole ecosystem (DESIGN.md §2, ecosystem
// statistics; §2.1 for scope and the cross-sector rule), computed from the
// store's projection and cached until the graph version changes. The
// catalogue counts (labels, relationships, projects) are the store's; the
// actor breakdowns and the graph measures are those of the scope's
// collaboration graph.
func (a *Analytics) Stats(ctx context.Context, scope Scope) (Stats, error) {
	return a.StatsAt(ctx, scope, "")
}

// StatsAt is Stats seen at asOf (asof.go): the relationship counts, the
// collaboration graph and the cross-sector projects of the ties active
// then; the node counts stay those of every node.
func (a *Analytics) StatsAt(ctx context.Context, scope Scope, asOf Date) (Stats, error) {
	key, err := graphKey(scope, nil)
	if err != nil {
		return Stats{}, err
	}
	w, day, err := a.wholeAt(ctx, asOf)
	if err != nil {
		return Stats{}, err
	}
	key.day = day
	// The rows alone (linear in the relationships): the pair count is
	// edgeCount's, on every core, without listing the pairs joined for
	// several reasons, which at XL would hold gigabytes. A request past its
	// deadline leaves the computation going for the next one, as brokers do.
	c := w.of(key)
	st, err := c.stats.getDetached(ctx, c.ctx, WholeGraphComputeLimit, func(cctx context.Context) (Stats, error) {
		g := a.collabRows(w, key)
		edges, err := g.edgeCount(cctx)
		if err != nil {
			return Stats{}, err
		}
		return computeStats(w.at(day), g, edges, key.scope, a.crossSector(w, day)), nil
	})
	if err != nil {
		return Stats{}, err
	}
	// The cached value is shared: hand out copies of its slices.
	st.Labels = slices.Clone(st.Labels)
	st.Kinds = slices.Clone(st.Kinds)
	st.Sectors = slices.Clone(st.Sectors)
	st.Countries = slices.Clone(st.Countries)
	st.Relationships = slices.Clone(st.Relationships)
	st.ProjectTypes = slices.Clone(st.ProjectTypes)
	return st, nil
}

func computeStats(v view, g *collabGraph, edges int, scope Scope, cross []CrossSector) Stats {
	s := v.s
	st := Stats{Version: s.Version(), Scope: scope, Actors: len(g.actors), CollaborationEdges: edges}
	for _, l := range Labels {
		st.Labels = append(st.Labels, Count{Key: string(l), Count: s.Count(LabelCode(l))})
	}
	for _, t := range RelTypes {
		st.Relationships = append(st.Relationships, Count{Key: string(t), Count: v.relCount(t)})
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
	m := float64(edges)
	if n >= 2 {
		st.Density = 2 * m / (float64(n) * float64(n-1))
	}
	if n > 0 {
		st.AverageDegree = 2 * m / float64(n)
	}

	st.Projects = s.Count(LabelCode(LabelProject))
	types := make([]int, len(ProjectTypes))
	project := LabelCode(LabelProject)
	for x := range s.Slots() {
		if nd := s.Node(x); nd.Alive && nd.Label == project {
			types[slices.Index(ProjectTypes, ProjectTypeOfCode(nd.Kind))]++
		}
	}
	for i, t := range ProjectTypes {
		st.ProjectTypes = append(st.ProjectTypes, Count{Key: string(t), Count: types[i]})
	}
	st.CrossSectorProjects = len(cross)
	if eligible := st.Projects - types[slices.Index(ProjectTypes, ProjectTypeEvent)]; eligible > 0 {
		st.CrossSectorShare = float64(st.CrossSectorProjects) / float64(eligible)
	}
	return st
}

// CrossSector is a cross-sector project (DESIGN.md §2.1) with the
// organisations that make it one: the actors of each sector among those
// that collaborate in it, a person standing for its organisations.
type CrossSector struct {
	ProjectID string
	Public    []string // actor ids, sorted
	Private   []string
}

// CrossSectorPage is one page of the cross-sector projects, by project id.
type CrossSectorPage struct {
	Projects    []CrossSector
	HasNextPage bool
	TotalCount  int
}

// CrossSectorProjects pages the cross-sector projects by id, first after
// the project id after ("" from the start).
func (a *Analytics) CrossSectorProjects(ctx context.Context, first int, after string) (CrossSectorPage, error) {
	return a.CrossSectorProjectsAt(ctx, first, after, "")
}

// CrossSectorProjectsAt is CrossSectorProjects seen at asOf (asof.go): the
// participations active then make a project cross-sector.
func (a *Analytics) CrossSectorProjectsAt(ctx context.Context, first int, after string, asOf Date) (CrossSectorPage, error) {
	if first < 1 || first > MaxPageSize {
		return CrossSectorPage{}, Invalid("first", "%d is outside 1–%d", first, MaxPageSize)
	}
	w, day, err := a.wholeAt(ctx, asOf)
	if err != nil {
		return CrossSectorPage{}, err
	}
	all := a.crossSector(w, day)
	i, _ := slices.BinarySearchFunc(all, after, func(c CrossSector, id string) int { return cmp.Compare(c.ProjectID, id) })
	if i < len(all) && after != "" && all[i].ProjectID == after {
		i++
	}
	page := CrossSectorPage{TotalCount: len(all)}
	j := min(len(all), i+first)
	page.Projects = slices.Clone(all[i:j])
	page.HasNextPage = j < len(all)
	return page, nil
}

// crossSector returns the version's cross-sector projects seen at day, by
// id, computed once.
func (a *Analytics) crossSector(w *wholeGraph, day int32) []CrossSector {
	return w.of(crossKey(day)).cross.must(func() []CrossSector { return w.at(day).crossSector() })
}

// crossSector applies the rule of DESIGN.md §2.1: a project (not an
// EVENT) in which at least one PUBLIC and one PRIVATE actor take part as
// LEAD, PARTNER, PARTICIPANT or FUNDER; a person counts by the sectors of
// its organisations (a person without one counts for none).
func (v view) crossSector() []CrossSector {
	s := v.s
	project, part := LabelCode(LabelProject), TypeCode(RelParticipatesIn)
	event := projectTypeCode(ProjectTypeEvent)
	orgs := map[int32][]int32{}
	var out []CrossSector
	var public, private []int32
	for x := range s.Slots() {
		if nd := s.Node(x); !nd.Alive || nd.Label != project || nd.Kind == event {
			continue
		}
		public, private = public[:0], private[:0]
		count := func(a int32) {
			switch SectorOfCode(s.Node(a).Sector) {
			case SectorPublic:
				public = append(public, a)
			case SectorPrivate:
				private = append(private, a)
			}
		}
		for _, e := range s.Edges(x) {
			if e.Type != part || e.Out || !RoleOfCode(e.W).Collaborating() || !v.sees(x, e) {
				continue
			}
			if !v.isPerson(e.To) {
				count(e.To)
				continue
			}
			os, ok := orgs[e.To]
			if !ok {
				os = slices.DeleteFunc(v.organisations(e.To), v.isPerson)
				orgs[e.To] = os
			}
			for _, o := range os {
				count(o)
			}
		}
		if len(public) > 0 && len(private) > 0 {
			out = append(out, CrossSector{ProjectID: s.ID(x), Public: slices.Compact(v.ids(public)), Private: slices.Compact(v.ids(private))})
		}
	}
	slices.SortFunc(out, func(a, b CrossSector) int { return cmp.Compare(a.ProjectID, b.ProjectID) })
	return out
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
