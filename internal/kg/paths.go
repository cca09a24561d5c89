package kg

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
)

// maxPathWork bounds the partial paths one Paths call may try beyond the
// shortest length, so that a dense graph with a high maxHops is refused
// deterministically instead of running into the deadline.
const maxPathWork = 2_000_000

// Paths returns the first q.K simple paths from q.From to q.To in the order
// (length, node ids element by element), over the relationship types of
// q.Via, ignoring direction and never entering an excluded node.
//
// A path is identified by its node list. When several relationships join
// two consecutive nodes (say MEMBER_OF and PARTNERS_WITH between two
// actors), the path is given once, and its step is the first of them by
// (type in RelTypes order, from, to).
//
// The search runs on the topology in three phases. A bidirectional
// breadth-first search (always growing the side whose frontier has fewer
// ties) finds the shortest length d and the distances of each ball. The
// paths of length d are then enumerated in the answer's order by a
// depth-first search from q.From that only steps onto nodes of the
// shortest-path layers (distance i from q.From and d−i to q.To), marking
// dead ends, so it costs about the two balls. Only when fewer than K paths
// have length d does it deepen one length at a time: the ball around q.To
// grows to that length, and a depth-first search visits neighbours in id
// order, only those still close enough to q.To, until the K-th path.
func (a *Analytics) Paths(ctx context.Context, q PathQuery) ([]Path, error) {
	if err := CheckID("from", q.From); err != nil {
		return nil, err
	}
	if err := CheckID("to", q.To); err != nil {
		return nil, err
	}
	if q.From == q.To {
		return nil, Invalid("to", "must differ from from (%q)", q.From)
	}
	if q.K < 1 || q.K > MaxPathK {
		return nil, Invalid("k", "%d is outside 1–%d", q.K, MaxPathK)
	}
	if q.MaxHops < 1 || q.MaxHops > MaxPathMaxHops {
		return nil, Invalid("maxHops", "%d is outside 1–%d", q.MaxHops, MaxPathMaxHops)
	}
	if err := checkViaArg(q.Via); err != nil {
		return nil, err
	}
	for _, id := range q.Exclude {
		if err := CheckID("excludeIds", id); err != nil {
			return nil, err
		}
		if id == q.From || id == q.To {
			return nil, Invalid("excludeIds", "%q is an end of the path and cannot be excluded", id)
		}
	}
	v, err := a.topologyAt(ctx, q.AsOf)
	if err != nil {
		return nil, err
	}
	from, err := v.node("from", q.From, "", "")
	if err != nil {
		return nil, err
	}
	to, err := v.node("to", q.To, "", "")
	if err != nil {
		return nil, err
	}
	s := &pathSearch{ctx: ctx, v: v, mask: maskOf(RelTypesOf(q.Via)), from: from, to: to, k: q.K,
		skip: map[int32]bool{}}
	for _, id := range q.Exclude {
		if x, ok := v.s.Lookup(id); ok {
			s.skip[x] = true
		}
	}
	n := v.s.Slots()
	s.df, s.dt, s.mark = getMarks(n), getMarks(n), getMarks(n)
	defer s.df.release()
	defer s.dt.release()
	defer s.mark.release()
	if err := s.run(q.MaxHops); err != nil {
		return nil, err
	}
	return a.loadPaths(ctx, v, s.found)
}

// pathStep is a neighbour of a node with the relationship used to reach it.
type pathStep struct {
	to  int32
	key RelKey
}

type pathSearch struct {
	ctx      context.Context
	v        view
	mask     typeMask
	from, to int32
	k        int
	skip     map[int32]bool

	// df: distance from `from` avoiding `to`; dt: distance to `to`
	// avoiding `from`; both avoid skipped nodes, complete up to ra / rb.
	df, dt         *marks
	ra, rb         int
	frontA, frontB []int32
	d              int    // the shortest length; 0 when none within maxHops
	mark           *marks // dead ends (shortest phase), nodes on the path (deeper phase)

	path  []int32
	steps []RelKey
	found []foundPath
	work  int
	tick  int
}

type foundPath struct {
	nodes []int32
	steps []RelKey
}

func (s *pathSearch) run(maxHops int) error {
	s.df.set(s.from, 0)
	s.dt.set(s.to, 0)
	s.frontA, s.frontB = []int32{s.from}, []int32{s.to}
	if err := s.shortest(maxHops); err != nil || s.d == 0 {
		return err
	}
	s.path = append(s.path[:0], s.from)
	if _, err := s.layered(s.from, 0); err != nil {
		return err
	}
	fanout := -1
	for l := s.d + 1; l <= maxHops && len(s.found) < s.k; l++ {
		// Exact distances to `to` up to l-1 prune every step of the search
		// below; each missing level leaves one more step from `from`
		// unpruned instead. On a big graph the last levels of the ball are
		// most of the graph, so it stops growing (at most two levels short)
		// once a level would cost more than the two steps from `from`.
		for s.rb < l-1 && len(s.frontB) > 0 {
			if s.rb >= l-3 {
				if fanout < 0 {
					fanout = s.fanout()
				}
				if s.cost(s.frontB) > fanout {
					break
				}
			}
			if err := s.growB(); err != nil {
				return err
			}
		}
		for _, x := range s.mark.touched { // dead-end marks are of no use now
			s.mark.val[x] = -1
		}
		s.mark.touched = s.mark.touched[:0]
		s.mark.set(s.from, 1)
		s.path, s.steps = append(s.path[:0], s.from), s.steps[:0]
		if err := s.deeper(s.from, l); err != nil {
			return err
		}
	}
	return nil
}

// check looks at the deadline every few thousand steps.
func (s *pathSearch) check() error {
	s.tick++
	if s.tick&4095 == 0 {
		if err := s.ctx.Err(); err != nil {
			return timeoutErr(err)
		}
	}
	return nil
}

// cost is what expanding a frontier reads: the ties of its nodes.
func (s *pathSearch) cost(front []int32) int {
	c := 0
	for _, x := range front {
		c += len(s.v.s.Edges(x))
	}
	return c
}

// shortest grows the two balls until they meet (s.d) or their radii sum
// to maxHops.
func (s *pathSearch) shortest(maxHops int) error {
	for s.ra+s.rb < maxHops && len(s.frontA) > 0 && len(s.frontB) > 0 {
		growA := s.cost(s.frontA) <= s.cost(s.frontB)
		var best int
		var err error
		if growA {
			best, err = s.growA()
		} else {
			best, err = s.meetB()
		}
		if err != nil {
			return err
		}
		if best > 0 {
			s.d = best
			return nil
		}
	}
	return nil
}

// growA extends df by one level and returns the shortest length through a
// node of the other ball met on the way (0: none).
func (s *pathSearch) growA() (int, error) {
	next, best, err := s.expand(s.frontA, s.df, s.dt, s.ra, s.to)
	s.frontA = next
	s.ra++
	return best, err
}

// meetB is growB for the shortest phase: it also reports meetings.
func (s *pathSearch) meetB() (int, error) {
	next, best, err := s.expand(s.frontB, s.dt, s.df, s.rb, s.from)
	s.frontB = next
	s.rb++
	return best, err
}

// expand grows one ball by a level: front is its outer level at radius r,
// mine its distances, other the other ball's. It never enters avoid (the
// other end). It returns the new level and the shortest length through a
// node of the other ball met on the way (0: none).
func (s *pathSearch) expand(front []int32, mine, other *marks, r int, avoid int32) ([]int32, int, error) {
	var next []int32
	best := 0
	for _, x := range front {
		for _, e := range s.v.s.Edges(x) {
			if !s.mask.has(e.Type) || s.skip[e.To] || !s.v.sees(x, e) {
				continue
			}
			if err := s.check(); err != nil {
				return nil, 0, err
			}
			w := e.To
			if other.has(w) {
				if c := r + 1 + int(other.get(w)); best == 0 || c < best {
					best = c
				}
			}
			if w != avoid && !mine.has(w) {
				mine.set(w, int32(r+1))
				next = append(next, w)
			}
		}
	}
	return next, best, nil
}

// growB extends dt by one level. It never enters `from`: a path cannot
// come back to its start, so distances that avoid it are tighter and still
// never overestimate what is left of a path.
func (s *pathSearch) growB() error {
	_, err := s.meetB()
	return err
}

// next returns u's neighbours that pass keep, by id, each once with the
// first joining relationship by (type, from, to).
func (s *pathSearch) next(u int32, keep func(w int32) bool) []pathStep {
	var out []pathStep
	for _, e := range s.v.s.Edges(u) {
		if !s.mask.has(e.Type) || s.skip[e.To] || !s.v.sees(u, e) || !keep(e.To) {
			continue
		}
		out = append(out, pathStep{to: e.To, key: s.v.relKey(u, e)})
	}
	if len(out) > 1 {
		slices.SortFunc(out, func(a, b pathStep) int {
			if a.to != b.to {
				return cmp.Compare(a.to, b.to)
			}
			return CompareLinks(a.key.Type, a.key.From, a.key.To, b.key.Type, b.key.From, b.key.To)
		})
		out = slices.CompactFunc(out, func(a, b pathStep) bool { return a.to == b.to })
		slices.SortFunc(out, func(a, b pathStep) int { return strings.Compare(s.v.s.ID(a.to), s.v.s.ID(b.to)) })
	}
	return out
}

// layered enumerates the paths of the shortest length d from u, which is
// at position i, in the answer's order. It reports whether any path went
// through u; a node through which none goes is marked dead (its position
// on any shortest path is its distance from `from`, so the mark holds).
func (s *pathSearch) layered(u int32, i int) (bool, error) {
	if err := s.check(); err != nil {
		return false, err
	}
	d := s.d
	nxt := s.next(u, func(w int32) bool {
		if i+1 == d {
			return w == s.to
		}
		if w == s.to || s.mark.has(w) {
			return false
		}
		rem := int32(d - i - 1)
		if i+1 <= s.ra && s.df.get(w) != int32(i+1) {
			return false
		}
		if int(rem) <= s.rb {
			return s.dt.get(w) == rem
		}
		return true
	})
	any := false
	for _, st := range nxt {
		s.path = append(s.path, st.to)
		s.steps = append(s.steps, st.key)
		if st.to == s.to {
			s.found = append(s.found, foundPath{nodes: slices.Clone(s.path), steps: slices.Clone(s.steps)})
			any = true
		} else {
			ok, err := s.layered(st.to, i+1)
			if err != nil {
				return any, err
			}
			if ok {
				any = true
			} else {
				s.mark.set(st.to, 1)
			}
		}
		s.path = s.path[:len(s.path)-1]
		s.steps = s.steps[:len(s.steps)-1]
		if len(s.found) >= s.k {
			return true, nil
		}
	}
	return any, nil
}

// lowerBound is a lower bound of w's distance to `to` avoiding `from`:
// exact inside the ball, one more than its radius outside it, and no path
// at all when the ball is the whole component.
func (s *pathSearch) lowerBound(w int32) int {
	if s.dt.has(w) {
		return int(s.dt.get(w))
	}
	if len(s.frontB) == 0 {
		return math.MaxInt32
	}
	return s.rb + 1
}

// fanout is the cost of the first two steps from `from`: the ties of its
// neighbours.
func (s *pathSearch) fanout() int {
	c := 0
	for _, e := range s.v.s.Edges(s.from) {
		if s.mask.has(e.Type) {
			c += len(s.v.s.Edges(e.To))
		}
	}
	return c
}

// deeper extends the current path from u, which needs exactly rem more
// steps, visiting neighbours in id order and only those whose distance to
// `to` leaves a path of that length possible.
func (s *pathSearch) deeper(u int32, rem int) error {
	s.work++
	if err := s.check(); err != nil {
		return err
	}
	if s.work > maxPathWork {
		return Invalid("maxHops", "the search needs more than %d partial paths; lower maxHops, narrow via, or exclude hub nodes", maxPathWork)
	}
	for _, st := range s.next(u, func(w int32) bool {
		if s.mark.has(w) {
			return false
		}
		if w == s.to {
			return rem == 1
		}
		return s.lowerBound(w) <= rem-1
	}) {
		if st.to == s.to {
			s.found = append(s.found, foundPath{nodes: append(slices.Clone(s.path), s.to), steps: append(slices.Clone(s.steps), st.key)})
		} else {
			s.mark.set(st.to, 1)
			s.path = append(s.path, st.to)
			s.steps = append(s.steps, st.key)
			err := s.deeper(st.to, rem-1)
			s.path = s.path[:len(s.path)-1]
			s.steps = s.steps[:len(s.steps)-1]
			s.mark.val[st.to] = -1
			if err != nil {
				return err
			}
		}
		if len(s.found) >= s.k {
			return nil
		}
	}
	return nil
}

// loadPaths turns the found paths into answers with one GetNodes and one
// GetRels call. A node or relationship removed since the snapshot drops
// its path rather than returning a hole.
func (a *Analytics) loadPaths(ctx context.Context, v view, found []foundPath) ([]Path, error) {
	out := []Path{}
	loaded, err := a.loadPathsAt(ctx, v, found)
	for _, p := range loaded {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out, err
}

// loadPathsAt is loadPaths with the answers aligned with found: nil where
// a node or relationship was removed since the snapshot.
func (a *Analytics) loadPathsAt(ctx context.Context, v view, found []foundPath) ([]*Path, error) {
	out := make([]*Path, len(found))
	if len(found) == 0 {
		return out, nil
	}
	nodeAt, relAt := map[int32]int{}, map[RelKey]int{}
	var ids []string
	var keys []RelKey
	for _, f := range found {
		for _, x := range f.nodes {
			if _, ok := nodeAt[x]; !ok {
				nodeAt[x] = len(ids)
				ids = append(ids, v.s.ID(x))
			}
		}
		for _, k := range f.steps {
			if _, ok := relAt[k]; !ok {
				relAt[k] = len(keys)
				keys = append(keys, k)
			}
		}
	}
	nodes, err := a.store.GetNodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	var rels []*Rel
	if len(keys) > 0 {
		if rels, err = a.store.GetRels(ctx, keys); err != nil {
			return nil, err
		}
	}
next:
	for j, f := range found {
		p := Path{Nodes: make([]Node, len(f.nodes)), Steps: make([]Rel, len(f.steps))}
		for i, x := range f.nodes {
			n := nodes[nodeAt[x]]
			if IsNil(n) {
				continue next
			}
			p.Nodes[i] = n
		}
		for i, k := range f.steps {
			r := rels[relAt[k]]
			if r == nil {
				continue next
			}
			p.Steps[i] = CloneRel(*r)
		}
		out[j] = &p
	}
	return out, nil
}

// checkViaArg refuses unknown relationship groups.
func checkViaArg(via []Via) error {
	for _, v := range via {
		if !v.Valid() {
			return Invalid("via", "%q is not a relationship group (PARTICIPATION, MEMBERSHIP, PARTNERSHIP, COMPETENCY, NEED)", clip(string(v)))
		}
	}
	return nil
}

// Summary reads the path as one line: the node names joined by " — ", each
// step said from the node before it, e.g.
// "Kunnskapsbyen Lillestrøm — partner in SOL — with lead Karlstads kommun".
func (p Path) Summary() string {
	if len(p.Nodes) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(nodeTitle(p.Nodes[0]))
	for i, r := range p.Steps {
		if i+1 >= len(p.Nodes) {
			break
		}
		prev := ""
		if p.Nodes[i] != nil {
			prev = p.Nodes[i].Base().ID
		}
		b.WriteString(" — ")
		if ph := stepPhrase(r, r.From == prev); ph != "" {
			b.WriteString(ph)
			b.WriteByte(' ')
		}
		b.WriteString(nodeTitle(p.Nodes[i+1]))
	}
	return b.String()
}

func nodeTitle(n Node) string {
	if n == nil {
		return "?"
	}
	if m := n.Base(); m.Name != "" {
		return m.Name
	}
	return n.Base().ID
}

// stepPhrase says what the next node is to the previous one; forward is
// true when the path follows the relationship's stored direction.
func stepPhrase(r Rel, forward bool) string {
	switch r.Type {
	case RelParticipatesIn:
		role := "participant"
		if r.Role != "" {
			role = strings.ToLower(r.Role)
		}
		if !forward {
			return "with " + role
		}
		switch ParticipationRole(r.Role) {
		case RoleFunder:
			return "funder of"
		case RoleAdvisor:
			return "advisor to"
		case RoleOrganiser, RoleHost:
			return role + " of"
		}
		return role + " in"
	case RelHasCompetency:
		return phraseIf(forward, "has competency", "held by")
	case RelHasNeed:
		return phraseIf(forward, "has need", "need of")
	case RelRequires:
		return phraseIf(forward, "requires", "required by")
	case RelAddresses:
		return phraseIf(forward, "addresses", "addressed by")
	case RelMemberOf:
		return phraseIf(forward, "member of", "with member")
	case RelPartnersWith:
		return "partner of"
	case RelPartOf:
		return phraseIf(forward, "part of", "includes")
	case RelSupplies:
		return phraseIf(forward, "supplier to", "client of")
	}
	return strings.ToLower(strings.ReplaceAll(string(r.Type), "_", " "))
}

func phraseIf(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}
