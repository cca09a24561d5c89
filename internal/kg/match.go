package kg

import (
	"cmp"
	"context"
	"slices"
)

// MatchNeed ranks the actors that could meet a need (DESIGN.md §2, need
// matching): who holds its required competencies at level ≥ MinLevel, how
// much of the required importance they cover, and how close they are to
// the actors that expressed the need.
func (a *Analytics) MatchNeed(ctx context.Context, q MatchQuery) ([]Match, error) {
	if err := CheckID("needId", q.NeedID); err != nil {
		return nil, err
	}
	if q.First < 1 || q.First > MaxMatchFirst {
		return nil, Invalid("first", "%d is outside 1–%d", q.First, MaxMatchFirst)
	}
	if q.MaxHops < 1 || q.MaxHops > MaxMatchMaxHops {
		return nil, Invalid("maxHops", "%d is outside 1–%d", q.MaxHops, MaxMatchMaxHops)
	}
	if q.MinLevel < 1 || q.MinLevel > MaxScale {
		return nil, Invalid("minLevel", "%d is outside 1–%d", q.MinLevel, MaxScale)
	}
	nd, err := a.loadNeed(ctx, q.NeedID)
	if err != nil {
		return nil, err
	}
	ms, err := a.matches(ctx, nd, q.MaxHops, q.MinLevel)
	if err != nil {
		return nil, err
	}
	if len(ms) > q.First {
		ms = ms[:q.First]
	}
	return ms, nil
}

// needInfo is what matching needs to know of a need.
type needInfo struct {
	id       string
	required []RequiredCompetency // by competency id
	total    int                  // sum of required importance
	owners   []string             // HAS_NEED sources, sorted
}

// loadNeed checks that id is a Need and reads its requirements and owners.
func (a *Analytics) loadNeed(ctx context.Context, id string) (*needInfo, error) {
	nodes, err := a.store.GetNodes(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(nodes) != 1 || IsNil(nodes[0]) {
		return nil, WithField(NotFound(id), "needId")
	}
	if l := nodes[0].NodeLabel(); l != LabelNeed {
		return nil, Invalid("needId", "%q is a %s, not a Need", id, l)
	}
	rels, err := a.store.Incident(ctx, []RelType{RelHasNeed, RelRequires}, []string{id})
	if err != nil {
		return nil, err
	}
	nd := &needInfo{id: id}
	for _, r := range rels {
		switch {
		case r.Type == RelRequires && r.From == id:
			nd.required = append(nd.required, RequiredCompetency{CompetencyID: r.To, Importance: r.Importance})
			nd.total += r.Importance
		case r.Type == RelHasNeed && r.To == id:
			nd.owners = append(nd.owners, r.From)
		}
	}
	slices.SortFunc(nd.required, func(x, y RequiredCompetency) int { return cmp.Compare(x.CompetencyID, y.CompetencyID) })
	slices.Sort(nd.owners)
	nd.owners = slices.Compact(nd.owners)
	return nd, nil
}

// matches returns every candidate for the need, in the need-matching
// order: covered importance desc, distance asc (none last), level sum
// desc, id.
func (a *Analytics) matches(ctx context.Context, nd *needInfo, maxHops, minLevel int) ([]Match, error) {
	out := []Match{}
	if len(nd.required) == 0 {
		return out, nil
	}
	importance := make(map[string]int, len(nd.required))
	compIDs := make([]string, len(nd.required))
	for i, rc := range nd.required {
		importance[rc.CompetencyID] = rc.Importance
		compIDs[i] = rc.CompetencyID
	}
	owner := make(map[string]bool, len(nd.owners))
	for _, o := range nd.owners {
		owner[o] = true
	}

	// Holders of the required competencies, one hop out from them.
	ex := newExpander(a.store, []RelType{RelHasCompetency})
	if err := ex.expand(ctx, compIDs); err != nil {
		return nil, err
	}
	held := map[string]map[string]int{} // actor → competency → level
	for _, c := range compIDs {
		for _, r := range ex.rels(c) {
			if r.To != c || r.Level < minLevel || owner[r.From] {
				continue
			}
			if held[r.From] == nil {
				held[r.From] = map[string]int{}
			}
			held[r.From][c] = r.Level
		}
	}
	if len(held) == 0 {
		return out, nil
	}

	dist, err := a.ownerDistances(ctx, nd.owners, held, maxHops)
	if err != nil {
		return nil, err
	}

	type scored struct {
		Match
		covered int // covered importance: compared exactly, not as a float
	}
	cands := make([]scored, 0, len(held))
	for id, levels := range held {
		s := scored{Match: Match{ActorID: id, Covered: []CoveredCompetency{}, Missing: []RequiredCompetency{}}}
		for _, rc := range nd.required {
			lvl, ok := levels[rc.CompetencyID]
			if !ok {
				s.Missing = append(s.Missing, rc)
				continue
			}
			s.Covered = append(s.Covered, CoveredCompetency{CompetencyID: rc.CompetencyID, Importance: rc.Importance, Level: lvl})
			s.covered += rc.Importance
			s.LevelSum += lvl
		}
		s.Coverage = float64(s.covered) / float64(nd.total)
		if d, ok := dist[id]; ok {
			s.Distance = &d
		}
		cands = append(cands, s)
	}
	slices.SortFunc(cands, func(x, y scored) int {
		if c := cmp.Compare(y.covered, x.covered); c != 0 {
			return c
		}
		if c := compareDistance(x.Distance, y.Distance); c != 0 {
			return c
		}
		if c := cmp.Compare(y.LevelSum, x.LevelSum); c != 0 {
			return c
		}
		return cmp.Compare(x.ActorID, y.ActorID)
	})
	for _, c := range cands {
		out = append(out, c.Match)
	}
	return out, nil
}

// compareDistance orders known distances ascending, unknown ones last.
func compareDistance(x, y *int) int {
	switch {
	case x == nil && y == nil:
		return 0
	case x == nil:
		return 1
	case y == nil:
		return -1
	}
	return cmp.Compare(*x, *y)
}

// ownerDistances runs a breadth-first search over the default via from
// all owners at once, up to maxHops, through any nodes, and returns the
// distance of every candidate it reached. It stops as soon as every
// candidate has its distance, so that it loads no more than it must.
func (a *Analytics) ownerDistances(ctx context.Context, owners []string, cands map[string]map[string]int, maxHops int) (map[string]int, error) {
	found := map[string]int{}
	if len(owners) == 0 {
		return found, nil
	}
	ex := newExpander(a.store, RelTypesOf(DefaultVia))
	seen := make(map[string]bool, len(owners))
	frontier := append([]string(nil), owners...) // sorted, distinct
	for _, o := range owners {
		seen[o] = true
	}
	for d := 1; d <= maxHops && len(frontier) > 0 && len(found) < len(cands); d++ {
		if err := ex.expand(ctx, frontier); err != nil {
			return nil, err
		}
		var next []string
		for _, id := range frontier {
			for _, r := range ex.rels(id) {
				o := r.Other(id)
				if seen[o] {
					continue
				}
				seen[o] = true
				next = append(next, o)
				if _, ok := cands[o]; ok {
					found[o] = d
				}
			}
		}
		slices.Sort(next)
		frontier = next
	}
	return found, nil
}
