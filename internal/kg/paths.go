package kg

import (
	"context"
	"slices"
	"sort"
	"strings"
)

// maxPathWork bounds the partial paths one Paths call may try, so that a
// dense graph with a high maxHops is refused deterministically instead of
// running into the deadline.
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
// The search deepens one length at a time: a breadth-first search from q.To
// (grown one level per length, so a short answer loads little) gives every
// node's distance to q.To, and a depth-first search from q.From visits
// neighbours in id order and only those still close enough to q.To. Each
// length is thus enumerated in the answer's order, and the search stops at
// the K-th path.
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
	excluded := map[string]bool{}
	for _, id := range q.Exclude {
		if err := CheckID("excludeIds", id); err != nil {
			return nil, err
		}
		if id == q.From || id == q.To {
			return nil, Invalid("excludeIds", "%q is an end of the path and cannot be excluded", id)
		}
		excluded[id] = true
	}
	ends, err := a.store.GetNodes(ctx, []string{q.From, q.To})
	if err != nil {
		return nil, err
	}
	if ends[0] == nil {
		return nil, WithField(NotFound(q.From), "from")
	}
	if ends[1] == nil {
		return nil, WithField(NotFound(q.To), "to")
	}

	s := &pathSearch{
		ctx: ctx, e: newExpander(a.store, RelTypesOf(q.Via)), from: q.From, to: q.To, k: q.K,
		skip:   excluded,
		dist:   map[string]int{q.To: 0},
		front:  []string{q.To},
		nbrs:   map[string][]pathStep{},
		onPath: map[string]bool{},
	}
	if err := s.run(q.MaxHops); err != nil {
		return nil, err
	}
	return a.loadPaths(ctx, s.found, ends)
}

// pathStep is a neighbour of a node with the relationship used to reach it.
type pathStep struct {
	id  string
	rel Rel
}

type pathSearch struct {
	ctx      context.Context
	e        *expander
	from, to string
	k        int
	skip     map[string]bool

	dist  map[string]int // distance to `to`, avoiding `from` and skipped nodes
	depth int            // dist is complete up to this distance
	front []string       // the nodes at distance depth

	nbrs   map[string][]pathStep // cached neighbour lists, by id
	onPath map[string]bool
	nodes  []string
	steps  []Rel
	found  []foundPath
	work   int
}

type foundPath struct {
	nodes []string
	steps []Rel
}

func (s *pathSearch) run(maxHops int) error {
	if err := s.e.expand(s.ctx, []string{s.from}); err != nil {
		return err
	}
	for l := 1; l <= maxHops && len(s.found) < s.k; l++ {
		// A path of length l needs the distances up to l-1 and every node
		// at distance ≤ l-2 expanded (both done by growing); the neighbours
		// of `from` that may come next are expanded here.
		for s.depth < l-1 && len(s.front) > 0 {
			if err := s.grow(); err != nil {
				return err
			}
		}
		var next []string
		for _, r := range s.e.rels(s.from) {
			o := r.Other(s.from)
			if d, ok := s.dist[o]; ok && d <= l-1 && !s.skip[o] {
				next = append(next, o)
			}
		}
		if err := s.e.expand(s.ctx, next); err != nil {
			return err
		}
		s.onPath[s.from] = true
		s.nodes = append(s.nodes[:0], s.from)
		s.steps = s.steps[:0]
		if err := s.dfs(s.from, l); err != nil {
			return err
		}
		delete(s.onPath, s.from)
	}
	return nil
}

// grow extends the distances to `to` by one level. It never enters `from`:
// a path cannot come back to its start, so distances that avoid it are
// tighter and still never overestimate what is left of a path.
func (s *pathSearch) grow() error {
	if err := s.e.expand(s.ctx, s.front); err != nil {
		return err
	}
	var next []string
	for _, id := range s.front {
		for _, r := range s.e.rels(id) {
			o := r.Other(id)
			if _, ok := s.dist[o]; ok || s.skip[o] || o == s.from {
				continue
			}
			s.dist[o] = s.depth + 1
			next = append(next, o)
		}
	}
	sort.Strings(next)
	s.front = next
	s.depth++
	return nil
}

// dfs extends the current path from u, which needs exactly rem more steps.
func (s *pathSearch) dfs(u string, rem int) error {
	if rem == 0 {
		// Only `to` is at distance 0.
		s.found = append(s.found, foundPath{nodes: slices.Clone(s.nodes), steps: slices.Clone(s.steps)})
		return nil
	}
	s.work++
	if s.work%1024 == 0 {
		if err := s.ctx.Err(); err != nil {
			return timeoutErr(err)
		}
	}
	if s.work > maxPathWork {
		return Invalid("maxHops", "the search needs more than %d partial paths; lower maxHops, narrow via, or exclude hub nodes", maxPathWork)
	}
	if !s.e.expanded[u] { // not expected (see run), but never read a partial list
		if err := s.e.expand(s.ctx, []string{u}); err != nil {
			return err
		}
	}
	for _, st := range s.neighbours(u) {
		if s.onPath[st.id] {
			continue
		}
		d, ok := s.dist[st.id]
		if !ok || d > rem-1 || (st.id == s.to && rem != 1) {
			continue
		}
		s.onPath[st.id] = true
		s.nodes = append(s.nodes, st.id)
		s.steps = append(s.steps, st.rel)
		err := s.dfs(st.id, rem-1)
		s.nodes = s.nodes[:len(s.nodes)-1]
		s.steps = s.steps[:len(s.steps)-1]
		delete(s.onPath, st.id)
		if err != nil || len(s.found) >= s.k {
			return err
		}
	}
	return nil
}

// neighbours returns u's neighbours that are not skipped, by id, each with
// the first joining relationship by (type, from, to).
func (s *pathSearch) neighbours(u string) []pathStep {
	if n, ok := s.nbrs[u]; ok {
		return n
	}
	best := map[string]Rel{}
	for _, r := range s.e.rels(u) {
		o := r.Other(u)
		if s.skip[o] {
			continue
		}
		if b, ok := best[o]; !ok || relBefore(r, b) {
			best[o] = r
		}
	}
	out := make([]pathStep, 0, len(best))
	for id, r := range best {
		out = append(out, pathStep{id: id, rel: r})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	s.nbrs[u] = out
	return out
}

// relBefore orders relationships by (type in RelTypes order, from, to).
func relBefore(a, b Rel) bool {
	ia, ib := slices.Index(RelTypes, a.Type), slices.Index(RelTypes, b.Type)
	if ia != ib {
		return ia < ib
	}
	if a.From != b.From {
		return a.From < b.From
	}
	return a.To < b.To
}

// loadPaths turns the found id lists into paths with one GetNodes call.
// A node deleted since it was traversed drops its path rather than
// returning a hole.
func (a *Analytics) loadPaths(ctx context.Context, found []foundPath, ends []Node) ([]Path, error) {
	byID := map[string]Node{ends[0].Base().ID: ends[0], ends[1].Base().ID: ends[1]}
	var want []string
	for _, f := range found {
		for _, id := range f.nodes {
			if _, ok := byID[id]; !ok {
				byID[id] = nil
				want = append(want, id)
			}
		}
	}
	if len(want) > 0 {
		sort.Strings(want)
		got, err := a.store.GetNodes(ctx, want)
		if err != nil {
			return nil, err
		}
		for i, id := range want {
			byID[id] = got[i]
		}
	}
	out := []Path{}
next:
	for _, f := range found {
		p := Path{Nodes: make([]Node, len(f.nodes)), Steps: make([]Rel, len(f.steps))}
		for i, id := range f.nodes {
			if byID[id] == nil {
				continue next
			}
			p.Nodes[i] = byID[id]
		}
		for i, r := range f.steps {
			p.Steps[i] = CloneRel(r)
		}
		out = append(out, p)
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
	}
	return strings.ToLower(strings.ReplaceAll(string(r.Type), "_", " "))
}

func phraseIf(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}
