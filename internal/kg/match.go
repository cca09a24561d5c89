package kg

import (
	"cmp"
	"context"
	"slices"
	"strings"
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
	v, err := a.topologyAt(ctx, q.AsOf)
	if err != nil {
		return nil, err
	}
	nd, err := v.need(q.NeedID)
	if err != nil {
		return nil, err
	}
	return v.matches(ctx, nd, q.MaxHops, q.MinLevel, q.First, q.ExcludeEngaged)
}

// needInfo is what matching needs to know of a need.
type needInfo struct {
	x        int32
	required []RequiredCompetency // by competency id
	comps    []int32              // aligned with required
	total    int                  // sum of required importance
	owners   []int32              // HAS_NEED sources
}

// need checks that id is a Need and reads its requirements and owners.
func (v view) need(id string) (*needInfo, error) {
	x, err := v.node("needId", id, LabelNeed, "a Need")
	if err != nil {
		return nil, err
	}
	return v.needAt(x), nil
}

// needAt reads the requirements and owners of the need x.
func (v view) needAt(x int32) *needInfo {
	nd := &needInfo{x: x}
	req, has := TypeCode(RelRequires), TypeCode(RelHasNeed)
	type rc struct {
		c  int32
		im int
	}
	var reqs []rc
	for _, e := range v.s.Edges(x) {
		if !v.sees(x, e) {
			continue
		}
		switch {
		case e.Type == req && e.Out:
			reqs = append(reqs, rc{e.To, int(e.W)})
		case e.Type == has && !e.Out:
			nd.owners = append(nd.owners, e.To)
		}
	}
	slices.SortFunc(reqs, func(a, b rc) int { return strings.Compare(v.s.ID(a.c), v.s.ID(b.c)) })
	for _, r := range reqs {
		nd.required = append(nd.required, RequiredCompetency{CompetencyID: v.s.ID(r.c), Importance: r.im})
		nd.comps = append(nd.comps, r.c)
		nd.total += r.im
	}
	slices.Sort(nd.owners)
	nd.owners = slices.Compact(nd.owners)
	return nd
}

// matches returns the candidates for the need in the need-matching order
// (covered importance desc, distance asc with none last, level sum desc,
// id), cut at first (0: all of them).
//
// Distances come from one breadth-first search over the default via from
// all owners at once. Only the candidates that can still make the cut
// need theirs: candidates are grouped by covered importance, and the
// search stops once every candidate of the groups that fill the first
// places is reached, or at maxHops.
//
// The owners, their own people and their organisations are never
// candidates (DESIGN.md §2.1); with excludeEngaged neither are the actors
// that take part in a project that ADDRESSES the need.
func (v view) matches(ctx context.Context, nd *needInfo, maxHops, minLevel, first int, excludeEngaged bool) ([]Match, error) {
	out := []Match{}
	cands := v.candidates(nd, minLevel, excludeEngaged)
	if len(cands) == 0 {
		return out, nil
	}
	slices.SortFunc(cands, func(a, b *cand) int { return cmp.Compare(b.covered, a.covered) })
	need := len(cands) // the candidates whose distance can matter
	if first > 0 && first < len(cands) {
		cut := cands[first-1].covered
		need = first
		for need < len(cands) && cands[need].covered == cut {
			need++
		}
	}
	if err := v.ownerDistances(ctx, nd.owners, cands[:need], maxHops); err != nil {
		return nil, err
	}
	cands = cands[:need]
	slices.SortFunc(cands, func(x, y *cand) int {
		if c := cmp.Compare(y.covered, x.covered); c != 0 {
			return c
		}
		if c := compareDist(x.dist, y.dist); c != 0 {
			return c
		}
		if c := cmp.Compare(y.levelSum, x.levelSum); c != 0 {
			return c
		}
		return strings.Compare(v.s.ID(x.y), v.s.ID(y.y))
	})
	if first > 0 && len(cands) > first {
		cands = cands[:first]
	}
	for _, c := range cands {
		m := Match{ActorID: v.s.ID(c.y), LevelSum: c.levelSum, Coverage: float64(c.covered) / float64(nd.total)}
		m.Covered, m.Missing = coveredOf(nd, c.levels)
		if c.dist >= 0 {
			d := c.dist
			m.Distance = &d
		}
		out = append(out, m)
	}
	return out, nil
}

// candidates returns the need-matching candidates of nd (DESIGN.md §2,
// §2.1) with their coverage, in no particular order and without distances:
// the holders of a required competency at level ≥ minLevel, never an
// owner's own, and with excludeEngaged never an actor taking part in a
// project that ADDRESSES the need.
func (v view) candidates(nd *needInfo, minLevel int, excludeEngaged bool) []*cand {
	if len(nd.required) == 0 {
		return nil
	}
	owner := map[int32]bool{}
	for _, o := range nd.owners {
		for _, y := range v.own(o) {
			owner[y] = true
		}
	}
	if excludeEngaged {
		addr, part := TypeCode(RelAddresses), TypeCode(RelParticipatesIn)
		for _, e := range v.s.Edges(nd.x) {
			if e.Type != addr || e.Out || !v.sees(nd.x, e) {
				continue
			}
			for _, f := range v.s.Edges(e.To) {
				if f.Type == part && !f.Out && v.sees(e.To, f) {
					owner[f.To] = true
				}
			}
		}
	}
	idx := map[int32]int{}
	var cands []*cand
	hc := TypeCode(RelHasCompetency)
	for i, c := range nd.comps {
		for _, e := range v.s.Edges(c) {
			if e.Type != hc || e.Out || int(e.W) < minLevel || owner[e.To] || !v.sees(c, e) {
				continue
			}
			j, ok := idx[e.To]
			if !ok {
				j = len(cands)
				idx[e.To] = j
				cands = append(cands, &cand{y: e.To, levels: make([]int, len(nd.required)), dist: -1})
			}
			cd := cands[j]
			if cd.levels[i] == 0 {
				cd.levels[i] = int(e.W)
				cd.covered += nd.required[i].Importance
				cd.levelSum += int(e.W)
			}
		}
	}
	return cands
}

// coveredOf lists what a candidate covers of nd and what it misses.
func coveredOf(nd *needInfo, levels []int) ([]CoveredCompetency, []RequiredCompetency) {
	covered, missing := []CoveredCompetency{}, []RequiredCompetency{}
	for i, rc := range nd.required {
		if levels[i] == 0 {
			missing = append(missing, rc)
			continue
		}
		covered = append(covered, CoveredCompetency{CompetencyID: rc.CompetencyID, Importance: rc.Importance, Level: levels[i]})
	}
	return covered, missing
}

// cand is a need-matching candidate.
type cand struct {
	y        int32
	covered  int
	levelSum int
	levels   []int // aligned with needInfo.required; 0: not held
	dist     int   // -1: none within maxHops
}

// compareDist orders distances ascending, none (-1) last.
func compareDist(x, y int) int {
	switch {
	case x == y:
		return 0
	case x < 0:
		return 1
	case y < 0:
		return -1
	}
	return cmp.Compare(x, y)
}

// ownerDistances runs a breadth-first search over the default via from
// all owners at once, up to maxHops, through any nodes, and sets the
// distance of every wanted candidate it reaches. It stops as soon as every
// wanted candidate has its distance.
func (v view) ownerDistances(ctx context.Context, owners []int32, wanted []*cand, maxHops int) error {
	if len(owners) == 0 {
		return nil
	}
	mask := maskOf(RelTypesOf(DefaultVia))
	seen, want := getMarks(v.s.Slots()), getMarks(v.s.Slots())
	defer seen.release()
	defer want.release()
	for i, c := range wanted {
		want.set(c.y, int32(i))
	}
	frontier := slices.Clone(owners)
	for _, o := range owners {
		seen.set(o, 0)
	}
	found := 0
	for d := 1; d <= maxHops && len(frontier) > 0 && found < len(wanted); d++ {
		if err := ctx.Err(); err != nil {
			return timeoutErr(err)
		}
		var next []int32
		for _, x := range frontier {
			for _, e := range v.s.Edges(x) {
				if !mask.has(e.Type) || seen.has(e.To) || !v.sees(x, e) {
					continue
				}
				seen.set(e.To, int32(d))
				next = append(next, e.To)
				if want.has(e.To) {
					wanted[want.get(e.To)].dist = d
					found++
				}
			}
		}
		frontier = next
	}
	return nil
}
