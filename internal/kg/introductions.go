package kg

import (
	"cmp"
	"context"
	"slices"
	"strings"
)

// What a "lots" asks next (DESIGN.md §2.1): which open needs fit an actor
// (needsFor, need matching read the other way round) and whom an actor
// should meet, why, and through whom (introductions).

// Defaults and caps of needsFor and introductions.
const (
	DefaultNeedsForFirst      = 10
	MaxNeedsForFirst          = 100
	DefaultIntroductionsFirst = 10
	MaxIntroductionsFirst     = 100
	// IntroductionMaxHops bounds the warm path (DESIGN.md §2.1: "within 6
	// hops") and the distance an introduction is ordered by.
	IntroductionMaxHops = 6
)

// NeedsForQuery asks which open needs an actor could meet.
type NeedsForQuery struct {
	ActorID  string
	First    int  // 1..MaxNeedsForFirst
	MaxHops  int  // 1..MaxMatchMaxHops
	MinLevel int  // 1..5
	AsOf     Date // "": every tie; else only the ties active at that date
}

// NeedFit is a need an actor could meet, with the actor's coverage of it
// and its distance to the need's nearest owner (nil beyond MaxHops), as
// need matching gives them.
type NeedFit struct {
	NeedID   string
	Coverage float64
	Distance *int
	Priority int
	Covered  []CoveredCompetency // by competency id
	Missing  []RequiredCompetency
}

// IntroductionQuery asks whom an actor should meet.
type IntroductionQuery struct {
	ActorID string
	First   int  // 1..MaxIntroductionsFirst
	AsOf    Date // "": every tie; else only the ties active at that date
}

// IntroDirection says which side of an introduction has the need.
type IntroDirection string

const (
	CanMeetYourNeed  IntroDirection = "CAN_MEET_YOUR_NEED"  // the candidate could meet a need of the actor
	YouCanMeetTheirs IntroDirection = "YOU_CAN_MEET_THEIRS" // the actor could meet a need the candidate owns
)

var IntroDirections = []IntroDirection{CanMeetYourNeed, YouCanMeetTheirs}

// Introduction is an actor to meet with its best reason: the need, which
// side has it, the coverage and the competencies that cover it (the
// candidate's for CAN_MEET_YOUR_NEED, the asking actor's for
// YOU_CAN_MEET_THEIRS); Distance is the shortest default-via path between
// the two (nil beyond IntroductionMaxHops), Path the warm path (nil when
// none within IntroductionMaxHops).
type Introduction struct {
	ActorID      string
	NeedID       string
	Direction    IntroDirection
	Coverage     float64
	Distance     *int
	Competencies []CoveredCompetency
	Path         *Path
}

// NeedsFor lists the OPEN and IN_PROGRESS needs for which the actor is a
// need-matching candidate (DESIGN.md §2.1), never those owned by the actor
// or its organisations, in the order coverage desc, distance asc (none
// last), priority desc, id.
func (a *Analytics) NeedsFor(ctx context.Context, q NeedsForQuery) ([]NeedFit, error) {
	if err := CheckID("actorId", q.ActorID); err != nil {
		return nil, err
	}
	if q.First < 1 || q.First > MaxNeedsForFirst {
		return nil, Invalid("first", "%d is outside 1–%d", q.First, MaxNeedsForFirst)
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
	x, err := v.node("actorId", q.ActorID, LabelActor, "an actor")
	if err != nil {
		return nil, err
	}
	fits, err := a.needFits(ctx, v, x, q.MaxHops, q.MinLevel, q.First)
	if err != nil {
		return nil, err
	}
	out := make([]NeedFit, len(fits))
	for i, f := range fits {
		out[i] = NeedFit{NeedID: v.s.ID(f.nd.x), Coverage: f.coverage(), Priority: f.priority}
		out[i].Covered, out[i].Missing = coveredOf(f.nd, f.levels)
		if f.dist >= 0 {
			d := f.dist
			out[i].Distance = &d
		}
	}
	return out, nil
}

// fit is a need an actor is a candidate for.
type fit struct {
	nd       *needInfo
	covered  int   // importance the actor covers
	levels   []int // aligned with nd.required; 0: not held
	priority int
	dist     int // -1: no owner within maxHops (or not computed)
}

func (f *fit) coverage() float64 { return float64(f.covered) / float64(f.nd.total) }

// compareCoverage orders covered/total shares descending, exactly (cross
// multiplied, so 1/2 and 2/4 tie).
func compareCoverage(c1, t1, c2, t2 int) int { return cmp.Compare(c2*t1, c1*t2) }

// openNeeds reads the payloads of the needs xs and returns the status
// OPEN or IN_PROGRESS ones with their priorities. A need removed since the
// snapshot is left out.
func (a *Analytics) openNeeds(ctx context.Context, v view, xs []int32) (map[int32]int, error) {
	open := map[int32]int{}
	if len(xs) == 0 {
		return open, nil
	}
	ids := make([]string, len(xs))
	for i, x := range xs {
		ids[i] = v.s.ID(x)
	}
	nodes, err := a.store.GetNodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i, n := range nodes {
		if nd, ok := n.(*Need); ok && nd != nil && (nd.Status == NeedOpen || nd.Status == NeedInProgress) {
			open[xs[i]] = nd.Priority
		}
	}
	return open, nil
}

// needFits returns the open needs x is a candidate for, in the needsFor
// order, cut at first (0: all, without distances). Only the needs that
// can still make the cut need their distance: one breadth-first search
// from x, up to maxHops, stopping once every owner of those needs is
// reached.
func (a *Analytics) needFits(ctx context.Context, v view, x int32, maxHops, minLevel, first int) ([]*fit, error) {
	held := map[int32]int{}
	hc, req := TypeCode(RelHasCompetency), TypeCode(RelRequires)
	for _, e := range v.s.Edges(x) {
		if e.Type == hc && e.Out && int(e.W) >= minLevel && v.sees(x, e) {
			held[e.To] = int(e.W)
		}
	}
	var needs []int32
	for c := range held {
		for _, e := range v.s.Edges(c) {
			if e.Type == req && !e.Out && v.sees(c, e) {
				needs = append(needs, e.To)
			}
		}
	}
	slices.Sort(needs)
	needs = slices.Compact(needs)
	own := map[int32]bool{}
	for _, y := range v.own(x) {
		own[y] = true
	}
	var fits []*fit
	var keep []int32
	for _, n := range needs {
		nd := v.needAt(n)
		// The actor is no candidate for a need of its own, of its
		// organisations or of its people (own is symmetric: y is x's own
		// exactly when x is y's).
		if slices.ContainsFunc(nd.owners, func(o int32) bool { return own[o] }) {
			continue
		}
		f := &fit{nd: nd, levels: make([]int, len(nd.required)), dist: -1}
		for i, c := range nd.comps {
			if l, ok := held[c]; ok && f.levels[i] == 0 {
				f.levels[i] = l
				f.covered += nd.required[i].Importance
			}
		}
		fits = append(fits, f)
		keep = append(keep, n)
	}
	open, err := a.openNeeds(ctx, v, keep)
	if err != nil {
		return nil, err
	}
	fits = slices.DeleteFunc(fits, func(f *fit) bool {
		p, ok := open[f.nd.x]
		f.priority = p
		return !ok
	})
	slices.SortFunc(fits, func(f, g *fit) int { return compareCoverage(f.covered, f.nd.total, g.covered, g.nd.total) })
	if first == 0 {
		return fits, nil
	}
	need := len(fits)
	if first < len(fits) {
		cut := fits[first-1]
		need = first
		for need < len(fits) && compareCoverage(fits[need].covered, fits[need].nd.total, cut.covered, cut.nd.total) == 0 {
			need++
		}
	}
	fits = fits[:need]
	at := map[int32]*cand{}
	var wanted []*cand
	for _, f := range fits {
		for _, o := range f.nd.owners {
			if at[o] == nil {
				at[o] = &cand{y: o, dist: -1}
				wanted = append(wanted, at[o])
			}
		}
	}
	if err := v.ownerDistances(ctx, []int32{x}, wanted, maxHops); err != nil {
		return nil, err
	}
	for _, f := range fits {
		for _, o := range f.nd.owners {
			if d := at[o].dist; d >= 0 && (f.dist < 0 || d < f.dist) {
				f.dist = d
			}
		}
	}
	slices.SortFunc(fits, func(f, g *fit) int {
		if c := compareCoverage(f.covered, f.nd.total, g.covered, g.nd.total); c != 0 {
			return c
		}
		if c := compareDist(f.dist, g.dist); c != 0 {
			return c
		}
		if c := cmp.Compare(g.priority, f.priority); c != 0 {
			return c
		}
		return strings.Compare(v.s.ID(f.nd.x), v.s.ID(g.nd.x))
	})
	if len(fits) > first {
		fits = fits[:first]
	}
	return fits, nil
}

// reason is why an actor should meet a candidate.
type reason struct {
	y        int32
	nd       *needInfo
	dir      IntroDirection
	covered  int
	levels   []int
	priority int
	dist     int
}

// better orders the reasons for one candidate: coverage desc, the actor's
// own need before theirs, priority desc, need id.
func (v view) better(r, s *reason) int {
	if c := compareCoverage(r.covered, r.nd.total, s.covered, s.nd.total); c != 0 {
		return c
	}
	if r.dir != s.dir {
		if r.dir == CanMeetYourNeed {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(s.priority, r.priority); c != 0 {
		return c
	}
	return strings.Compare(v.s.ID(r.nd.x), v.s.ID(s.nd.x))
}

// Introductions lists whom the actor should meet (DESIGN.md §2.1): the
// need-matching candidates of its open needs and the owners of the needs
// in needsFor, never its collaborators, its own people or its
// organisations; each with its best reason, in the order coverage desc,
// distance asc (none last), id, and the warm path through a person.
func (a *Analytics) Introductions(ctx context.Context, q IntroductionQuery) ([]Introduction, error) {
	if err := CheckID("actorId", q.ActorID); err != nil {
		return nil, err
	}
	if q.First < 1 || q.First > MaxIntroductionsFirst {
		return nil, Invalid("first", "%d is outside 1–%d", q.First, MaxIntroductionsFirst)
	}
	v, err := a.topologyAt(ctx, q.AsOf)
	if err != nil {
		return nil, err
	}
	x, err := v.node("actorId", q.ActorID, LabelActor, "an actor")
	if err != nil {
		return nil, err
	}
	skip := map[int32]bool{x: true}
	for _, y := range v.own(x) {
		skip[y] = true
	}
	for _, y := range v.collaborators(x) {
		skip[y] = true
	}
	best := map[int32]*reason{}
	offer := func(r *reason) {
		if skip[r.y] {
			return
		}
		if b := best[r.y]; b == nil || v.better(r, b) < 0 {
			best[r.y] = r
		}
	}
	mine, err := a.openNeeds(ctx, v, v.out(x, RelHasNeed))
	if err != nil {
		return nil, err
	}
	for n, p := range mine {
		nd := v.needAt(n)
		for _, c := range v.candidates(nd, DefaultMatchMinLevel, false) {
			offer(&reason{y: c.y, nd: nd, dir: CanMeetYourNeed, covered: c.covered, levels: c.levels, priority: p})
		}
	}
	fits, err := a.needFits(ctx, v, x, DefaultMatchMaxHops, DefaultMatchMinLevel, 0)
	if err != nil {
		return nil, err
	}
	for _, f := range fits {
		for _, o := range f.nd.owners {
			offer(&reason{y: o, nd: f.nd, dir: YouCanMeetTheirs, covered: f.covered, levels: f.levels, priority: f.priority})
		}
	}
	rs := make([]*reason, 0, len(best))
	for _, r := range best {
		r.dist = -1
		rs = append(rs, r)
	}
	slices.SortFunc(rs, func(r, s *reason) int { return compareCoverage(r.covered, r.nd.total, s.covered, s.nd.total) })
	need := len(rs)
	if q.First < len(rs) {
		cut := rs[q.First-1]
		need = q.First
		for need < len(rs) && compareCoverage(rs[need].covered, rs[need].nd.total, cut.covered, cut.nd.total) == 0 {
			need++
		}
	}
	rs = rs[:need]
	wanted := make([]*cand, len(rs))
	for i, r := range rs {
		wanted[i] = &cand{y: r.y, dist: -1}
	}
	if err := v.ownerDistances(ctx, []int32{x}, wanted, IntroductionMaxHops); err != nil {
		return nil, err
	}
	for i, r := range rs {
		r.dist = wanted[i].dist
	}
	slices.SortFunc(rs, func(r, s *reason) int {
		if c := compareCoverage(r.covered, r.nd.total, s.covered, s.nd.total); c != 0 {
			return c
		}
		if c := compareDist(r.dist, s.dist); c != 0 {
			return c
		}
		return strings.Compare(v.s.ID(r.y), v.s.ID(s.y))
	})
	if len(rs) > q.First {
		rs = rs[:q.First]
	}
	var found []foundPath
	pathOf := make([]int, len(rs))
	for i, r := range rs {
		pathOf[i] = -1
		p, err := v.warmPath(ctx, x, r.y)
		if err != nil {
			return nil, err
		}
		if p != nil {
			pathOf[i] = len(found)
			found = append(found, *p)
		}
	}
	paths, err := a.loadPathsAt(ctx, v, found)
	if err != nil {
		return nil, err
	}
	out := make([]Introduction, len(rs))
	for i, r := range rs {
		in := Introduction{ActorID: v.s.ID(r.y), NeedID: v.s.ID(r.nd.x), Direction: r.dir,
			Coverage: float64(r.covered) / float64(r.nd.total)}
		in.Competencies, _ = coveredOf(r.nd, r.levels)
		if r.dist >= 0 {
			d := r.dist
			in.Distance = &d
		}
		if pathOf[i] >= 0 {
			in.Path = paths[pathOf[i]]
		}
		out[i] = in
	}
	return out, nil
}

// warmPath returns the first path, in the paths' order (length, then node
// ids element by element), of the simple default-via paths from x to y of
// at most IntroductionMaxHops steps with a PERSON strictly between them;
// nil when there is none.
//
// A breadth-first search from y over (node, person still to come) pairs,
// up to half the hops, gives lower bounds of what is left of such a path
// from any node: r1 the distance to y, r0 the length of the shortest walk
// to y through a person after the node; a node beyond the search's radius
// is at least one further. A depth-first search from x then tries each
// length from r0(x) up, visiting neighbours in id order and only those
// from which the rest can still fit, so the first path it completes is
// the answer. Half the radius keeps the search from y off most of a big
// graph; the steps from x it leaves unpruned are at most the first.
func (v view) warmPath(ctx context.Context, x, y int32) (*foundPath, error) {
	mask := maskOf(RelTypesOf(DefaultVia))
	n := v.s.Slots()
	r0, r1 := getMarks(n), getMarks(n)
	defer r0.release()
	defer r1.release()
	person := func(w int32) bool { return w != x && w != y && v.isPerson(w) }
	const radius = IntroductionMaxHops / 2
	r1.set(y, 0)
	f1, f0 := []int32{y}, []int32(nil)
	for d := int32(1); d <= radius && (len(f1) > 0 || len(f0) > 0); d++ {
		if err := ctx.Err(); err != nil {
			return nil, timeoutErr(err)
		}
		var n1, n0 []int32
		for _, w := range f1 {
			if w == x {
				continue // a path never comes back to x
			}
			pw := person(w)
			for _, e := range v.s.Edges(w) {
				if !mask.has(e.Type) || e.To == y || !v.sees(w, e) {
					continue
				}
				if !r1.has(e.To) {
					r1.set(e.To, d)
					n1 = append(n1, e.To)
				}
				if pw && !r0.has(e.To) {
					r0.set(e.To, d)
					n0 = append(n0, e.To)
				}
			}
		}
		for _, w := range f0 {
			if w == x {
				continue
			}
			for _, e := range v.s.Edges(w) {
				if !mask.has(e.Type) || e.To == y || r0.has(e.To) || !v.sees(w, e) {
					continue
				}
				r0.set(e.To, d)
				n0 = append(n0, e.To)
			}
		}
		f1, f0 = n1, n0
	}
	// Lower bounds of what is left from w, with a person still to come
	// (lb0) or not (lb1).
	lb1 := func(w int32) int {
		if r1.has(w) {
			return int(r1.get(w))
		}
		return radius + 1
	}
	lb0 := func(w int32) int {
		if r0.has(w) {
			return int(r0.get(w))
		}
		return max(radius+1, lb1(w))
	}
	s := &pathSearch{ctx: ctx, v: v, mask: mask}
	onPath := getMarks(n)
	defer onPath.release()
	var path []int32
	var steps []RelKey
	var dfs func(u int32, rem int, has bool) (bool, error)
	dfs = func(u int32, rem int, has bool) (bool, error) {
		if err := s.check(); err != nil {
			return false, err
		}
		for _, st := range s.next(u, func(w int32) bool {
			if w == y {
				return rem == 1 && has
			}
			if rem < 2 || onPath.has(w) {
				return false
			}
			if has || person(w) {
				return lb1(w) <= rem-1
			}
			return lb0(w) <= rem-1
		}) {
			path = append(path, st.to)
			steps = append(steps, st.key)
			if st.to == y {
				return true, nil
			}
			onPath.set(st.to, 1)
			ok, err := dfs(st.to, rem-1, has || person(st.to))
			onPath.val[st.to] = -1
			if ok || err != nil {
				return ok, err
			}
			path = path[:len(path)-1]
			steps = steps[:len(steps)-1]
		}
		return false, nil
	}
	onPath.set(x, 1)
	for l := lb0(x); l <= IntroductionMaxHops; l++ {
		path, steps = append(path[:0], x), steps[:0]
		ok, err := dfs(x, l, false)
		if err != nil {
			return nil, err
		}
		if ok {
			return &foundPath{nodes: slices.Clone(path), steps: slices.Clone(steps)}, nil
		}
	}
	return nil, nil
}
