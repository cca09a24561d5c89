package kg

import (
	"cmp"
	"context"
	"iter"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/samverkan/samverkan/internal/engine"
)

// The collaboration graph (DESIGN.md §2) joins two actors that share a
// project or a MEMBER_OF / PARTNERS_WITH link. Expanding every project into
// the pairs of its participants makes it dense (a project of 2,000
// participants is two million pairs), so it is never built: whole-graph
// analytics walk the actor–project structure instead, where a project's
// participants are one step from each other, and count each collaborator
// pair once with the help of the few pairs joined for several reasons
// (two shared projects, or a project and a link), which are listed with
// their surplus, but for those joined by the largest projects alone, whose
// surplus comes from each actor's set of them (flagships). This is exact: the same distances, the same numbers of
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
	// (collaborator, surplus = reasons − 1), less what shared flagships
	// give (flagships.implicit); the pairs joined by flagships alone are
	// not listed (eachSurplus lists both, eachImplicit the latter).
	multiOff, multiAct []int32
	multiExtra         []int32

	degree []int32 // distinct collaborators per actor
	edges  int     // collaborator pairs

	// pairWork is what listing every actor's collaborators reads: the sum
	// over actors of their projects' sizes and direct links (withPairs
	// reads less: not a project that outweighs the rest of an actor's).
	pairWork int

	// known[i] is actor i's degree plus one once some request counted it
	// (0: not yet), for the graphs without degree (collabRows).
	known []atomic.Int32

	// in is participates' test, and flag the flagship projects, made once
	// for the requests that count around one actor (similar, degreeOf).
	inOnce   sync.Once
	in       func(w, p int32) bool
	flagOnce sync.Once
	flag     *flagships
}

// flagships are the largest projects of a collaboration graph, those whose
// participants participates keeps as a bitset (at most 64 of them, the
// largest), with each actor's set of them as the bits of a mask: counting
// around an actor takes a collaborator's flagships in bulk, once per
// request, instead of reading them once per member (at XL the three
// flagship programmes have 100,000, 50,000 and 25,000 participants).
//
// The pairs joined by two or more shared flagships and nothing else are
// not listed with their surplus (withPairs): a pair's shared flagships
// give it a surplus of their number less one, read from the masks. Those
// pairs are most of the ones joined for several reasons (at XL at
// ORGANISATIONS 519 million of 631 million, four gigabytes). The actors in
// two or more flagships are grouped by their mask into classes, so that
// the consumers find an actor's such pairs class by class (eachImplicit).
type flagships struct {
	bit     []int8           // per project: its bit, −1 for the others
	mask    []uint64         // per actor: its flagships
	members []int32          // the actors of some flagship, by index
	exact   map[uint64]int32 // actors per mask (not 0)
	unions  sync.Map         // mask → union(mask), as asked: once per set, not per collaborator

	// class c is the actors classAct[classOff[c]:classOff[c+1]] of the
	// two or more flagships classMask[c]; classOf[i] is actor i's class
	// (−1: in fewer than two; nil without classes). near[nearOff[c]:
	// nearOff[c+1]] are the classes sharing two or more flagships with c,
	// c itself among them, with the surplus of a pair across them.
	classMask          []uint64
	classOf            []int32
	classOff, classAct []int32
	nearOff            []int32
	near               []classTie
}

type classTie struct{ class, extra int32 }

// maxFlagshipClasses bounds the classes, whose ties are counted pairwise:
// the smallest flagships are dropped until there are no more (a handful
// on the generator's graphs: 26 at XL at ORGANISATIONS, 909 at L).
const maxFlagshipClasses = 2048

// flagships returns g's flagships, found on first use.
func (g *collabGraph) flagships() *flagships {
	g.flagOnce.Do(func() { g.flag = findFlagships(g) })
	return g.flag
}

func findFlagships(g *collabGraph) *flagships {
	n := len(g.actors)
	np := len(g.partOff) - 1
	size := func(p int32) int { return int(g.partOff[p+1] - g.partOff[p]) }
	var big []int32
	for p := range int32(np) {
		if size(p) >= participantBitsetMin && 64*size(p) >= n {
			big = append(big, p)
		}
	}
	slices.SortStableFunc(big, func(a, b int32) int { return cmp.Compare(size(b), size(a)) })
	if len(big) > 64 {
		big = big[:64]
	}
	for {
		f := &flagships{bit: make([]int8, np), exact: map[uint64]int32{}}
		for p := range f.bit {
			f.bit[p] = -1
		}
		if len(big) > 0 {
			f.mask = make([]uint64, n)
		}
		for b, p := range big {
			f.bit[p] = int8(b)
			for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
				if f.mask[w] == 0 {
					f.members = append(f.members, w)
				}
				f.mask[w] |= 1 << b
			}
		}
		classes := 0
		for _, w := range f.members {
			if f.exact[f.mask[w]]++; f.exact[f.mask[w]] == 1 && bits.OnesCount64(f.mask[w]) >= 2 {
				classes++
			}
		}
		if classes <= maxFlagshipClasses {
			f.sortClasses(n)
			return f
		}
		big = big[:len(big)-1]
	}
}

// sortClasses groups the actors of two or more flagships by their mask,
// the classes in the order of their masks, and ties the classes.
func (f *flagships) sortClasses(n int) {
	for m := range f.exact {
		if bits.OnesCount64(m) >= 2 {
			f.classMask = append(f.classMask, m)
		}
	}
	if len(f.classMask) == 0 {
		return
	}
	slices.Sort(f.classMask)
	f.classOf = make([]int32, n)
	for i := range f.classOf {
		f.classOf[i] = -1
	}
	f.classOff = make([]int32, len(f.classMask)+1)
	for c, m := range f.classMask {
		f.classOff[c+1] = f.classOff[c] + f.exact[m]
	}
	f.classAct = make([]int32, f.classOff[len(f.classMask)])
	fill := slices.Clone(f.classOff)
	slices.Sort(f.members)
	for _, w := range f.members {
		if bits.OnesCount64(f.mask[w]) >= 2 {
			c, _ := slices.BinarySearch(f.classMask, f.mask[w])
			f.classOf[w] = int32(c)
			f.classAct[fill[c]] = w
			fill[c]++
		}
	}
	f.nearOff = make([]int32, len(f.classMask)+1)
	for c, m := range f.classMask {
		for d, y := range f.classMask {
			if k := bits.OnesCount64(m & y); k >= 2 {
				f.near = append(f.near, classTie{int32(d), int32(k - 1)})
			}
		}
		f.nearOff[c+1] = int32(len(f.near))
	}
}

// of is actor i's flagships.
func (f *flagships) of(i int32) uint64 {
	if f.mask == nil {
		return 0
	}
	return f.mask[i]
}

// union is the number of actors in some flagship of m.
func (f *flagships) union(m uint64) int32 {
	if u, ok := f.unions.Load(m); ok {
		return u.(int32)
	}
	var u int32
	for y, k := range f.exact {
		if y&m != 0 {
			u += k
		}
	}
	f.unions.Store(m, u)
	return u
}

// implicit is the surplus that shared flagships give the pair i–w: their
// number less one, 0 for fewer than two.
func (f *flagships) implicit(i, w int32) int32 {
	if f.classOf == nil {
		return 0
	}
	return max(int32(bits.OnesCount64(f.mask[i]&f.mask[w]))-1, 0)
}

// ties is class c's near classes.
func (f *flagships) ties(c int32) []classTie { return f.near[f.nearOff[c]:f.nearOff[c+1]] }

// class is class c's actors.
func (f *flagships) class(c int32) []int32 { return f.classAct[f.classOff[c]:f.classOff[c+1]] }

// eachImplicit calls fn for each actor w sharing two or more flagships
// with actor i (not i), with the surplus they give the pair (implicit).
func (g *collabGraph) eachImplicit(i int32, fn func(w, extra int32)) {
	f := g.flagships()
	if f.classOf == nil || f.classOf[i] < 0 {
		return
	}
	for _, t := range f.ties(f.classOf[i]) {
		for _, w := range f.class(t.class) {
			if w != i {
				fn(w, t.extra)
			}
		}
	}
}

// eachSurplus calls fn once for each collaborator w of actor i joined to
// it for several reasons, with the pair's surplus (reasons − 1): the
// listed pairs and those joined by shared flagships alone. seen is tagged
// tag for the listed ones.
func (g *collabGraph) eachSurplus(i int32, seen *marks, tag int32, fn func(w, extra int32)) {
	f := g.flagships()
	for m := g.multiOff[i]; m < g.multiOff[i+1]; m++ {
		w := g.multiAct[m]
		seen.set(w, tag)
		fn(w, g.multiExtra[m]+f.implicit(i, w))
	}
	g.eachImplicit(i, func(w, extra int32) {
		if seen.get(w) != tag {
			fn(w, extra)
		}
	})
}

// collabKey names one collaboration graph of a version: its scope, the
// actor kinds it keeps (a bit per kind code; 0 keeps every kind) and the
// day it is seen at (asof.go; 0: every tie).
type collabKey struct {
	scope Scope
	kinds uint32
	day   int32
}

// kindBits is the kinds filter as bits of kind codes; 0 for none given.
func kindBits(kinds []ActorKind) uint32 {
	var b uint32
	for _, k := range kinds {
		b |= 1 << kindCode(k)
	}
	return b
}

// graphKey checks a scope and a kinds filter and names their graph.
func graphKey(scope Scope, kinds []ActorKind) (collabKey, error) {
	sc, err := checkScope(scope)
	if err != nil {
		return collabKey{}, err
	}
	for _, k := range kinds {
		if !k.Valid() {
			return collabKey{}, Invalid("kinds", "%q is not an actor kind", clip(string(k)))
		}
	}
	return collabKey{scope: sc, kinds: kindBits(kinds)}, nil
}

// wholeGraphs holds, per collaboration graph of one version, the graph and
// what is derived from it, each computed once on first use.
type wholeGraphs struct {
	// ctx is the context of background work on the entry: it ends when a
	// newer version replaces w, or when the entry (a dated one) is dropped.
	ctx    context.Context
	cancel context.CancelFunc

	rows        cell[*collabGraph] // the graph without degrees and surplus pairs (collabRows)
	collab      cell[*collabGraph]
	stats       cell[Stats]
	betweenness cell[*betweennessResult]
	measures    [8]cell[*measureResult] // by Measure index
	local       cell[*localMeasures]    // constraint and effective size
	communities communityCells
	cross       cell[[]CrossSector] // only in crossKey(day)'s entry
}

// of returns the cells of the graph k of w. Of the dated entries (k.day
// set) at most maxDatedGraphs are kept, the least recently used dropped
// first, its background work cancelled.
func (w *wholeGraph) of(k collabKey) *wholeGraphs {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.graphs == nil {
		w.graphs = map[collabKey]*wholeGraphs{}
	}
	if k.day != 0 {
		if i := slices.Index(w.dated, k); i >= 0 {
			w.dated = append(slices.Delete(w.dated, i, i+1), k)
		} else {
			if len(w.dated) >= maxDatedGraphs {
				old := w.dated[0]
				w.dated = slices.Delete(w.dated, 0, 1)
				w.graphs[old].cancel()
				delete(w.graphs, old)
			}
			w.dated = append(w.dated, k)
		}
	}
	c := w.graphs[k]
	if c == nil {
		c = &wholeGraphs{}
		c.ctx, c.cancel = context.WithCancel(w.ctx)
		w.graphs[k] = c
	}
	return c
}

// crossKey names the entry that holds the cross-sector projects seen at
// day.
func crossKey(day int32) collabKey { return collabKey{scope: ScopeAll, day: day} }

// collab returns the collaboration graph of w for scope, kinds and day,
// built once per version.
func (a *Analytics) collab(w *wholeGraph, k collabKey) *collabGraph {
	return w.of(k).collab.must(func() *collabGraph {
		if collabBuildHook != nil {
			collabBuildHook()
		}
		return a.collabRows(w, k).withPairs()
	})
}

// collabBuildHook, when set (by tests), runs at the start of each build of
// a collaboration graph.
var collabBuildHook func()

// collabRows returns the collaboration graph of w for scope, kinds and day
// without what needs every collaborator pair counted: its degree, multi
// and edges are not filled in (degreeOf counts a degree when asked). It is
// linear in the relationships to build, where the pairs are the sum of the
// squares of the projects' sizes (8 billion at XL). Built once per
// version; collab shares its rows.
func (a *Analytics) collabRows(w *wholeGraph, k collabKey) *collabGraph {
	return w.of(k).rows.must(func() *collabGraph { return buildCollabRows(w.at(k.day), k) })
}

// buildCollab derives the collaboration graph k from the snapshot.
//
// At ALL scope its nodes are the actors (of the kinds) and a project's
// participants are one group. At ORGANISATIONS (DESIGN.md §2.1) the nodes
// are the non-PERSON actors, X–Y an edge when X and Y collaborate or some
// person affiliated with X collaborates with Y or with a person affiliated
// with Y: a person stands, in its projects and its links, for the
// organisations it is affiliated with. In a project it stands for those it
// is MEMBER_OF (any two of them are joined through it anyway); the wholes
// above them it reaches only through PART_OF are joined by explicit pairs
// to what its collaborators stand for, never to each other through it,
// which the definition does not say.
func buildCollab(v view, k collabKey) *collabGraph { return buildCollabRows(v, k).withPairs() }

// buildCollabRows is buildCollab without the pairs: see collabRows.
func buildCollabRows(v view, k collabKey) *collabGraph {
	s := v.s
	actor, project := LabelCode(LabelActor), LabelCode(LabelProject)
	person := kindCode(KindPerson)
	keep := func(nd engine.Node) bool {
		if k.scope == ScopeOrganisations && nd.Kind == person {
			return false
		}
		return k.kinds == 0 || k.kinds&(1<<nd.Kind) != 0
	}
	var xs, projects, people []int32
	for x := range s.Slots() {
		switch n := s.Node(x); {
		case !n.Alive:
		case n.Label == actor && keep(n):
			xs = append(xs, x)
		case n.Label == actor && k.scope == ScopeOrganisations && n.Kind == person:
			people = append(people, x)
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

	// whole[x] is what person x stands for at ORGANISATIONS (its
	// organisations, PART_OF upwards included), reach[x] those of them it is
	// not MEMBER_OF itself.
	var whole, reach map[int32][]int32
	if k.scope == ScopeOrganisations {
		whole, reach = map[int32][]int32{}, map[int32][]int32{}
		member := TypeCode(RelMemberOf)
		for _, p := range people {
			var direct []int32
			for _, e := range s.Edges(p) {
				if e.Type == member && e.Out && g.of[e.To] >= 0 && v.sees(p, e) {
					direct = append(direct, g.of[e.To])
				}
			}
			var all []int32
			for _, o := range v.organisations(p) {
				if g.of[o] >= 0 {
					all = append(all, g.of[o])
				}
			}
			whole[p] = all
			for _, o := range all {
				if !slices.Contains(direct, o) {
					reach[p] = append(reach[p], o)
				}
			}
		}
	}
	// standFor is what actor x stands for: itself if it is a node of g
	// (in one's own array, to allocate nothing), else its wholes.
	standFor := func(x int32, one *[1]int32) []int32 {
		if i := g.of[x]; i >= 0 {
			one[0] = i
			return one[:]
		}
		return whole[x]
	}
	var one, other [1]int32

	direct := make([][]int32, n)
	pair := func(i, j int32) {
		if i != j {
			direct[i] = append(direct[i], j)
			direct[j] = append(direct[j], i)
		}
	}
	part, member, partner, partOf := TypeCode(RelParticipatesIn), TypeCode(RelMemberOf), TypeCode(RelPartnersWith), TypeCode(RelPartOf)

	// Projects: each a group of what its participants stand for, each
	// once. At ORGANISATIONS the project joins X and Y when a participant
	// stands for X and another for Y (DESIGN.md §2.1), so two wholes that
	// one person alone reaches by PART_OF only are not joined by it: such a
	// person keeps the first of them in the group and the others are paired
	// explicitly with the rest. Any other two of one person's organisations
	// are joined by its MEMBER_OF link anyway (below).
	seen := getMarks(int32(n))
	defer seen.release()
	const several, apart = -1, -2
	holder := make([]int32, n) // while seen: the one participant standing for it, several, or apart
	var ps, participants, alone []int32
	g.partOff = append(g.partOff, 0)
	for j, p := range projects {
		participants = participants[:0]
		for _, e := range s.Edges(p) {
			if e.Type == part && !e.Out && s.Node(e.To).Label == actor && v.sees(p, e) {
				participants = append(participants, e.To)
			}
		}
		if len(participants) < 2 {
			continue // joins nobody
		}
		ps = ps[:0]
		tag := int32(j)
		for _, a := range participants {
			for _, i := range standFor(a, &one) {
				switch {
				case seen.get(i) != tag:
					seen.set(i, tag)
					holder[i] = a
					ps = append(ps, i)
				case holder[i] != a:
					holder[i] = several
				}
			}
		}
		for _, a := range participants {
			alone = alone[:0]
			for _, o := range reach[a] {
				if holder[o] == a {
					alone = append(alone, o)
				}
			}
			for _, o := range alone[min(1, len(alone)):] {
				holder[o] = apart
				for _, i := range ps {
					if !slices.Contains(alone, i) {
						pair(o, i)
					}
				}
			}
		}
		ps = slices.DeleteFunc(ps, func(i int32) bool { return holder[i] == apart })
		if len(ps) < 2 {
			continue
		}
		g.partAct = append(g.partAct, ps...)
		g.partOff = append(g.partOff, int32(len(g.partAct)))
	}

	// Links (MEMBER_OF, PARTNERS_WITH, PART_OF between actors), from the
	// side that stores them: each end stands for its wholes.
	for x := range s.Slots() {
		if nd := s.Node(x); !nd.Alive || nd.Label != actor {
			continue
		}
		for _, e := range s.Edges(x) {
			if !e.Out || (e.Type != member && e.Type != partner && e.Type != partOf) || s.Node(e.To).Label != actor || !v.sees(x, e) {
				continue
			}
			for _, i := range standFor(x, &one) {
				for _, j := range standFor(e.To, &other) {
					pair(i, j)
				}
			}
		}
	}
	return g.index(direct)
}

// index fills in the per-actor rows of g from its groups (partOff,
// partAct) and each actor's direct collaborators (repeats allowed): the
// projects of each actor and the direct links each once. The pairs joined
// for several reasons, the degrees and the edge count are withPairs' job.
func (g *collabGraph) index(direct [][]int32) *collabGraph {
	n := len(g.actors)
	actDeg := make([]int32, n+1)
	for _, a := range g.partAct {
		actDeg[a+1]++
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
	// Direct links, each neighbour once: several links to one actor are
	// one reason.
	g.dirOff = make([]int32, n+1)
	last := make([]int32, n) // i+1 when i last listed the actor
	for i := range n {
		for _, w := range direct[i] {
			if last[w] != int32(i)+1 {
				last[w] = int32(i) + 1
				g.dirAct = append(g.dirAct, w)
			}
		}
		g.dirOff[i+1] = int32(len(g.dirAct))
	}
	g.known = make([]atomic.Int32, n)
	g.pairWork = len(g.dirAct)
	for j := range len(g.partOff) - 1 {
		size := int(g.partOff[j+1] - g.partOff[j])
		g.pairWork += size * size
	}
	return g
}

// withPairs returns g with, per actor, the count of reasons joining it to
// every collaborator: the pairs joined for several reasons with their
// surplus, the degrees and the edge count. The rows and the flagships are
// g's, shared. An actor's flagships are not read (their pairs' surplus is
// in the masks, and a pair joined by them and something else is listed
// with the surplus beyond theirs), nor the project that outweighs the rest
// of the ties of an actor of no flagship (outweighing), as edgeCount does
// not.
func (g *collabGraph) withPairs() *collabGraph {
	n := len(g.actors)
	f := g.flagships()
	full := &collabGraph{actors: g.actors, of: g.of, snap: g.snap, actOff: g.actOff, actProj: g.actProj,
		partOff: g.partOff, partAct: g.partAct, dirOff: g.dirOff, dirAct: g.dirAct, known: g.known, pairWork: g.pairWork}
	full.flagOnce.Do(func() { full.flag = f })
	g = full
	g.multiOff = make([]int32, n+1)
	g.degree = make([]int32, n)

	// The actors are cut into ranges of about equal work, a few per core,
	// taken in turn by the cores; each range's rows are appended in actor
	// order, so the result does not depend on the number of cores.
	in := g.participates()
	outweighs := make([]int32, n) // outweighing(i), computed once
	work := make([]int, n+1)      // work[i+1]: what actors 0..i read
	for i := range n {
		big := int32(-1)
		if f.of(int32(i)) == 0 {
			big = g.outweighing(int32(i))
		}
		outweighs[i] = big
		w := 1 + int(g.dirOff[i+1]-g.dirOff[i])
		for _, p := range g.actProj[g.actOff[i]:g.actOff[i+1]] {
			if p != big && f.bit[p] < 0 {
				w += int(g.partOff[p+1] - g.partOff[p])
			}
		}
		work[i+1] = work[i] + w
	}
	cuts := cutByWork(work)
	parts := len(cuts) - 1
	// Each range's rows go to chunks of fixed size, copied once into the
	// graph's lists when all are done: growing one slice per range and
	// then the lists allocated about seven times their size (at L at
	// ORGANISATIONS 1.2 GB for 160 MB of pairs).
	type rows struct {
		act   chunks[int32]
		extra chunks[int32]
		total int
	}
	out := make([]rows, parts)
	eachRange(cuts, func() func(c, lo, hi int) {
		count := make([]int32, n)
		var touched []int32
		return func(c, lo, hi int) {
			r := &out[c]
			for i := lo; i < hi; i++ {
				touched = touched[:0]
				bump := func(w int32) {
					if count[w] == 0 {
						touched = append(touched, w)
					}
					count[w]++
				}
				for _, w := range g.dirAct[g.dirOff[i]:g.dirOff[i+1]] {
					bump(w)
				}
				if m := f.of(int32(i)); m != 0 {
					// Beside i's flagships: a collaborator sharing one
					// has their reasons and those of the rest listed
					// beyond the flagships' surplus (implicit).
					for _, p := range g.actProj[g.actOff[i]:g.actOff[i+1]] {
						if f.bit[p] < 0 {
							for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
								if w != int32(i) {
									bump(w)
								}
							}
						}
					}
					degree := int(f.union(m)) - 1
					for _, w := range touched {
						k := count[w] - 1
						if f.mask[w]&m != 0 {
							k++
						} else {
							degree++
						}
						if k > 0 {
							r.act.add(w)
							r.extra.add(k)
						}
						count[w] = 0
					}
					g.multiOff[i+1] = int32(r.act.len())
					g.degree[i] = int32(degree)
					r.total += degree
					continue
				}
				// A project that outweighs the rest of i's ties is not
				// read: each of its participants counts once, and those
				// the rest touched are looked up in it.
				big := outweighs[i]
				for _, p := range g.actProj[g.actOff[i]:g.actOff[i+1]] {
					if p == big {
						continue
					}
					for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
						if w != int32(i) {
							bump(w)
						}
					}
				}
				degree := len(touched)
				if big >= 0 {
					degree += int(g.partOff[big+1]-g.partOff[big]) - 1
				}
				for _, w := range touched {
					k := count[w]
					if big >= 0 && in(w, big) {
						k++
						degree--
					}
					if k > 1 {
						r.act.add(w)
						r.extra.add(k - 1)
					}
					count[w] = 0
				}
				g.multiOff[i+1] = int32(r.act.len()) // within the range, fixed below
				g.degree[i] = int32(degree)
				r.total += degree
			}
		}
	})
	total, base := 0, int32(0)
	for c := range out {
		for i := cuts[c]; i < cuts[c+1]; i++ {
			g.multiOff[i+1] += base
		}
		base += int32(out[c].act.len())
		total += out[c].total
	}
	g.multiAct = concat(parts, func(c int) *chunks[int32] { return &out[c].act })
	g.multiExtra = concat(parts, func(c int) *chunks[int32] { return &out[c].extra })
	g.edges = total / 2
	return g
}

// cutByWork cuts the indices 0..len(work)−2 into ranges of about equal
// work (work[i+1] is what indices 0..i take), a few per core when there
// is much of it; ranges c is cuts[c]..cuts[c+1]−1.
func cutByWork(work []int) []int {
	n := len(work) - 1
	parts := 1
	if work[n] >= rangeWorkMin {
		parts = min(n, 16*runtime.GOMAXPROCS(0))
	}
	cuts := make([]int, parts+1)
	cuts[parts] = n
	for i, c := 0, 1; i < n && c < parts; i++ {
		for c < parts && work[i+1] >= c*work[n]/parts {
			cuts[c] = i + 1
			c++
		}
	}
	for c := 1; c <= parts; c++ {
		cuts[c] = max(cuts[c], cuts[c-1])
	}
	return cuts
}

// rangeWorkMin is the least work cutByWork cuts (a variable for the
// tests, which cut every graph).
var rangeWorkMin = 1 << 20

// eachRange runs fn(c, lo, hi) for each range of cuts on every core, the
// ranges taken in turn; each worker has its own fn from newWorker (its own
// scratch space). What a range computes must depend only on the range.
func eachRange(cuts []int, newWorker func() func(c, lo, hi int)) {
	parts := len(cuts) - 1
	var wg sync.WaitGroup
	var next atomic.Int32
	for range min(parts, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			fn := newWorker()
			for {
				c := int(next.Add(1)) - 1
				if c >= parts {
					return
				}
				fn(c, cuts[c], cuts[c+1])
			}
		})
	}
	wg.Wait()
}

// chunks is a list appended to in fixed-size chunks, so that growing it
// never copies nor leaves garbage behind.
type chunks[T any] struct {
	done [][]T
	cur  []T
	n    int
}

const chunkLen = 1 << 16

func (c *chunks[T]) add(v T) {
	if len(c.cur) == cap(c.cur) {
		if c.cur != nil {
			c.done = append(c.done, c.cur)
		}
		c.cur = make([]T, 0, chunkLen)
	}
	c.cur = append(c.cur, v)
	c.n++
}

func (c *chunks[T]) len() int { return c.n }

// concat returns lists 0..n−1 (list(c)) one after the other, copied on
// every core and dropped: at XL at ORGANISATIONS the copy of a billion
// bytes, and the first touch of their pages, took 3 s on one.
func concat[T any](n int, list func(c int) *chunks[T]) []T {
	at := make([]int, n+1)
	for c := range n {
		at[c+1] = at[c] + list(c).len()
	}
	dst := make([]T, at[n])
	cuts := make([]int, n+1)
	for c := range cuts {
		cuts[c] = c
	}
	eachRange(cuts, func() func(c, lo, hi int) {
		return func(c, _, _ int) {
			list(c).appendTo(dst[at[c]:at[c]])
		}
	})
	return dst
}

// appendTo appends the list to dst and drops the chunks.
func (c *chunks[T]) appendTo(dst []T) []T {
	for _, ch := range c.done {
		dst = append(dst, ch...)
	}
	dst = append(dst, c.cur...)
	*c = chunks[T]{}
	return dst
}

// edgeCount returns the number of collaborator pairs of g, on every core,
// and keeps each actor's degree in known for degreeOf. Unlike withPairs it
// lists nothing (at XL the pairs joined for several reasons take
// gigabytes). An actor whose largest project outweighs the rest of its
// ties counts that project's other participants by its size and looks up
// only the collaborators of the rest (a binary search of their sorted
// projects): a member of a flagship project of 100,000 participants and a
// few small ones costs the small ones, where withPairs reads the whole
// flagship for each of its members.
func (g *collabGraph) edgeCount(ctx context.Context) (int, error) {
	if g.degree != nil {
		return g.edges, nil
	}
	n := len(g.actors)
	deg := make([]int32, n)
	in := g.participates()
	err := parallelBlocks(ctx, n, func() func(lo, hi int) {
		seen := make([]int32, n) // i+1 once actor i's count saw the collaborator
		return func(lo, hi int) {
			for i := lo; i < hi; i++ {
				deg[i] = g.countDegree(int32(i), seen, in)
			}
		}
	})
	if err != nil {
		return 0, err
	}
	total := 0
	for i, d := range deg {
		g.known[i].Store(d + 1)
		total += int(d)
	}
	return total / 2, nil
}

// participantBitsetMin is the fewest participants for which participates
// keeps a project's participants as a bitset (a variable for the tests).
var participantBitsetMin = 1024

// participates returns a test of whether actor w participates in project
// p: a bitset of the participants of each project of at least n/64 of them
// (participantBitsetMin or more; its n bits cost at most twice its list of
// members), a binary search of w's sorted projects for the others. The
// projects that outweigh the rest of their members' ties are mostly the
// big ones, whose members are looked up for every collaborator of theirs.
func (g *collabGraph) participates() func(w, p int32) bool {
	n := len(g.actors)
	np := len(g.partOff) - 1
	var members []bitset
	for p := range np {
		if size := int(g.partOff[p+1] - g.partOff[p]); size >= participantBitsetMin && 64*size >= n {
			if members == nil {
				members = make([]bitset, np)
			}
			b := make(bitset, (n+63)/64)
			for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
				b.set(w)
			}
			members[p] = b
		}
	}
	return func(w, p int32) bool {
		if members != nil && members[p] != nil {
			return members[p].has(w)
		}
		_, in := slices.BinarySearch(g.actProj[g.actOff[w]:g.actOff[w+1]], p)
		return in
	}
}

// outweighing is actor i's largest project when it outweighs the rest of
// i's ties (more than outweighFactor times their participants and direct links), so
// that counting i's collaborators takes it by its size and looks up in it
// only the others' (participates); −1 when reading it costs less.
func (g *collabGraph) outweighing(i int32) int32 {
	projects := g.actProj[g.actOff[i]:g.actOff[i+1]]
	if len(projects) == 0 {
		return -1
	}
	size := func(p int32) int { return int(g.partOff[p+1] - g.partOff[p]) }
	big := projects[0]
	for _, p := range projects[1:] {
		if size(p) > size(big) {
			big = p
		}
	}
	rest := int(g.dirOff[i+1] - g.dirOff[i])
	for _, p := range projects {
		if p != big {
			rest += size(p)
		}
	}
	if size(big) <= outweighFactor*rest {
		return -1
	}
	return big
}

// outweighFactor is how many times the rest of an actor's ties its largest
// project must exceed to outweigh them (a variable for the tests, which
// take every largest project as outweighing).
var outweighFactor = 4

// countDegree is actor i's number of distinct collaborators, as edgeCount
// counts it; seen is the caller's, tagged i+1, in g's participation test
// (participates).
func (g *collabGraph) countDegree(i int32, seen []int32, in func(w, p int32) bool) int32 {
	big := g.outweighing(i)
	var d int32
	if big >= 0 {
		d = g.partOff[big+1] - g.partOff[big] - 1
	}
	tag := i + 1
	for w := range g.tiesBeside(i, big) {
		if w == i || seen[w] == tag {
			continue
		}
		seen[w] = tag
		if big < 0 || !in(w, big) {
			d++
		}
	}
	return d
}

// tiesBeside yields the participants of actor i's projects but skip (−1:
// none), and its direct collaborators, as often as they come (i too).
func (g *collabGraph) tiesBeside(i, skip int32) iter.Seq[int32] {
	return func(yield func(int32) bool) {
		for _, p := range g.actProj[g.actOff[i]:g.actOff[i+1]] {
			if p != skip {
				for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
					if !yield(w) {
						return
					}
				}
			}
		}
		for _, w := range g.dirAct[g.dirOff[i]:g.dirOff[i+1]] {
			if !yield(w) {
				return
			}
		}
	}
}

// degreeOf is actor i's number of distinct collaborators: from degree when
// g has it, else counted (with seen, each call a tag of its own) and kept
// in known for the next request.
func (g *collabGraph) degreeOf(i int32, seen *marks, tag int32) int32 {
	if g.degree != nil {
		return g.degree[i]
	}
	if d := g.known[i].Load(); d > 0 {
		return d - 1
	}
	if m := g.flagships().of(i); m != 0 {
		return g.eachBesideFlagships(i, m, seen, tag, nil)
	}
	_, d := g.eachBeside(i, seen, tag, nil)
	return d
}

// eachBesideFlagships calls fn (when not nil) once for each collaborator
// of actor i outside m, i's flagships, and returns i's degree, which it
// records in known: the participants of its flagships other than i, and
// the others. seen is tagged tag for the collaborators read.
func (g *collabGraph) eachBesideFlagships(i int32, m uint64, seen *marks, tag int32, fn func(w int32)) int32 {
	f := g.flagships()
	d := f.union(m) - 1
	visit := func(w int32) {
		if w == i || seen.get(w) == tag {
			return
		}
		seen.set(w, tag)
		if f.mask[w]&m != 0 {
			return
		}
		d++
		if fn != nil {
			fn(w)
		}
	}
	for _, p := range g.actProj[g.actOff[i]:g.actOff[i+1]] {
		if f.bit[p] < 0 {
			for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
				visit(w)
			}
		}
	}
	for _, w := range g.dirAct[g.dirOff[i]:g.dirOff[i+1]] {
		visit(w)
	}
	g.known[i].Store(d + 1)
	return d
}

// participation is participates' test, made on first use and kept.
func (g *collabGraph) participation() func(w, p int32) bool {
	g.inOnce.Do(func() { g.in = g.participates() })
	return g.in
}

// eachBeside calls fn (when not nil) once for each collaborator of actor
// i that is not in big, i's outweighing project (or for every collaborator
// when big is −1), and returns big and i's degree, which it records in
// known: big's participants other than i, and the others. So counting
// around an actor of a flagship project reads the flagship once per
// request, not once per member: the caller gives each of big's
// participants its share in bulk. seen is tagged tag for the collaborators
// read.
func (g *collabGraph) eachBeside(i int32, seen *marks, tag int32, fn func(w int32)) (big, d int32) {
	big = g.outweighing(i)
	in := g.participation()
	if big >= 0 {
		d = g.partOff[big+1] - g.partOff[big] - 1
	}
	for w := range g.tiesBeside(i, big) {
		if w == i || seen.get(w) == tag {
			continue
		}
		seen.set(w, tag)
		if big >= 0 && in(w, big) {
			continue
		}
		d++
		if fn != nil {
			fn(w)
		}
	}
	g.known[i].Store(d + 1)
	return big, d
}

// eachNeighbour calls fn once for each collaborator of actor index i in g.
func (g *collabGraph) eachNeighbour(i int32, seen *marks, tag int32, fn func(j int32)) {
	visit := func(j int32) {
		if j != i && seen.get(j) != tag {
			seen.set(j, tag)
			fn(j)
		}
	}
	for _, j := range g.dirAct[g.dirOff[i]:g.dirOff[i+1]] {
		visit(j)
	}
	for _, p := range g.actProj[g.actOff[i]:g.actOff[i+1]] {
		for _, j := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
			visit(j)
		}
	}
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
