package kg

import (
	"cmp"
	"context"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Brokers ranks actors by betweenness centrality on the collaboration
// graph (DESIGN.md §2): unweighted, undirected, by Brandes' algorithm.
//
// The raw score of actor v is the sum over unordered pairs {s, t} of the
// share of shortest s–t paths through v (NetworkX's betweenness_centrality
// with normalized=False); Normalized divides it by (n−1)(n−2)/2, the
// number of pairs that could pass through v (0 when n < 3).
//
// Up to ExactBetweennessMaxActors actors the scores are exact. Above, they
// are estimated from k source actors: with the actors sorted by id and
// numbered 0..n−1, the sources are
// rand.New(rand.NewPCG(BetweennessSeed, BetweennessSeed)).Perm(n)[:k]
// (math/rand/v2), and the sums are scaled by n/k. k is
// BetweennessSamples, or fewer on a graph so large that so many sources
// would not finish within the request timeout (betweennessSampleCount:
// at XL 50–52). So the same graph always gives the same estimate, and the
// answer says how many sources made it.
//
// Scores are rounded to 1e-9, so that floating-point noise cannot split a
// tie between actors in symmetric positions; the order is score desc, then
// id. Scope and kinds choose the graph before anything is computed
// (DESIGN.md §2.1): at ORGANISATIONS the non-PERSON actors joined through
// their people, and with kinds only the actors of those kinds, so the
// scores and n are those of that graph.
//
// The scores are computed once per graph version. A request whose
// deadline passes first answers ErrTimeout, but the computation goes on
// (up to WholeGraphComputeLimit, and only while no newer version has been
// seen), so that a request after it ends is answered at once.
func (a *Analytics) Brokers(ctx context.Context, q BrokerQuery) (BrokerRanking, error) {
	if q.First < 1 || q.First > MaxBrokersFirst {
		return BrokerRanking{}, Invalid("first", "%d is outside 1–%d", q.First, MaxBrokersFirst)
	}
	key, err := graphKey(q.Scope, q.Kinds)
	if err != nil {
		return BrokerRanking{}, err
	}
	w, day, err := a.wholeAt(ctx, q.AsOf)
	if err != nil {
		return BrokerRanking{}, err
	}
	key.day = day
	// The graph is built in the detached computation too: a request past
	// its deadline while it is built answers then, not when it is done.
	c := w.of(key)
	bc, err := c.betweenness.getDetached(ctx, c.ctx, WholeGraphComputeLimit, func(cctx context.Context) (*betweennessResult, error) {
		return betweenness(cctx, a.collab(w, key))
	})
	if err != nil {
		return BrokerRanking{}, err
	}
	g := a.collab(w, key) // built by now

	n := len(g.actors)
	res := BrokerRanking{Scope: key.scope, Exact: bc.exact, Samples: bc.samples, ActorCount: n, Version: w.version, Brokers: []Broker{}}
	pairs := float64(n-1) * float64(n-2) / 2
	for i, ac := range g.actors {
		b := Broker{ActorID: ac.ID, Score: bc.scores[i]}
		if n >= 3 {
			b.Normalized = b.Score / pairs
		}
		res.Brokers = append(res.Brokers, b)
	}
	slices.SortFunc(res.Brokers, func(x, y Broker) int {
		if c := cmp.Compare(y.Score, x.Score); c != 0 {
			return c
		}
		return cmp.Compare(x.ActorID, y.ActorID)
	})
	if len(res.Brokers) > q.First {
		res.Brokers = res.Brokers[:q.First]
	}
	return res, nil
}

// betweennessResult is the cached outcome of one betweenness computation.
type betweennessResult struct {
	scores  []float64 // raw, by dense actor index
	exact   bool
	samples int // source actors used when not exact
	// per actor, the sum of its distances to the sources that reach it
	// and their number (itself included when a source): closeness
	// comes from the same pass.
	distSum []float64
	reached []int32
	sources []int32 // dense actor indices, sorted
}

// betweenness runs Brandes' algorithm from every actor, or from the
// documented sample of them, checking ctx every few hundred sources.
func betweenness(ctx context.Context, g *collabGraph) (*betweennessResult, error) {
	n := len(g.actors)
	res := &betweennessResult{scores: make([]float64, n), exact: true, distSum: make([]float64, n), reached: make([]int32, n)}

	b := newBrokerGraph(g)
	sources := make([]int32, 0, n)
	scale := 0.5 // each unordered pair is counted from both ends
	if n > ExactBetweennessMaxActors {
		k := betweennessSampleCount(n, b.work())
		res.exact, res.samples = false, k
		rng := rand.New(rand.NewPCG(BetweennessSeed, BetweennessSeed))
		for _, s := range rng.Perm(n)[:k] {
			sources = append(sources, int32(s))
		}
		slices.Sort(sources)
		scale *= float64(n) / float64(k)
	} else {
		for s := range n {
			sources = append(sources, int32(s))
		}
	}
	res.sources = slices.Clone(sources)
	// The sources are cut into chunks by their number alone; each chunk is
	// summed by one worker in source order, and the chunks' sums are added
	// in chunk order, so the scores are the same for any number of cores
	// (distances and reach counts are integers: their order is free).
	for k, src := range sources {
		sources[k] = b.pos[src]
	}
	chunks := min(len(sources), brandesChunks)
	workers := max(1, min(runtime.GOMAXPROCS(0), chunks))
	var (
		mu      sync.Mutex
		next    atomic.Int32 // the next chunk to take
		merged  int          // chunks added to scores so far
		pending = make([][]float64, chunks)
		free    [][]float64
	)
	scores := make([]float64, n) // by brokerGraph index
	finish := func(c int, part []float64) {
		mu.Lock()
		defer mu.Unlock()
		pending[c] = part
		for merged < chunks && pending[merged] != nil {
			for i, x := range pending[merged] {
				scores[i] += x
			}
			free = append(free, pending[merged])
			pending[merged] = nil
			merged++
		}
	}
	buffer := func() []float64 {
		mu.Lock()
		defer mu.Unlock()
		if k := len(free); k > 0 {
			s := free[k-1]
			free = free[:k-1]
			clear(s)
			return s
		}
		return make([]float64, n)
	}
	dists := make([][]int64, workers)
	reach := make([][]int32, workers)
	errs := make([]error, workers)
	small := b.maxDist < math.MaxInt8
	var wg sync.WaitGroup
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dists[wk], reach[wk] = make([]int64, n), make([]int32, n)
			var run func(src int32, scores []float64)
			if small {
				run = newBrandesWorker[int8](b, dists[wk], reach[wk]).source
			} else {
				run = newBrandesWorker[int32](b, dists[wk], reach[wk]).source
			}
			for {
				c := int(next.Add(1)) - 1
				if c >= chunks {
					return
				}
				part := buffer()
				for k := c * len(sources) / chunks; k < (c+1)*len(sources)/chunks; k++ {
					if k%16 == 0 {
						if err := ctx.Err(); err != nil {
							errs[wk] = timeoutErr(err)
							next.Store(int32(chunks))
							return
						}
					}
					run(sources[k], part)
				}
				finish(c, part)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for i := range res.scores {
		p := b.pos[i]
		res.scores[i] = scores[p]
		var d int64
		var r int32
		for wk := range workers {
			d += dists[wk][p]
			r += reach[wk][p]
		}
		res.distSum[i], res.reached[i] = float64(d), r
	}
	for i, s := range res.scores {
		res.scores[i] = roundScore(s * scale)
	}
	return res, nil
}

// betweennessSampleWork is the most work, in actors (brokerGraph.work),
// for which a sampled betweenness pass takes BetweennessSamples sources. A
// source's pass reads the whole broker graph, so on a larger graph the
// sources are fewer, as many as keep sources × work within
// BetweennessSamples × betweennessSampleWork: at L 500 at both scopes
// (work 129,000 at ALL, 128,000 at ORGANISATIONS; 20 and 29 ms a source
// on one core), at XL 52 at ALL (work 1.30 million, about 380 ms a
// source) and 50 at ORGANISATIONS (1.67 million, 470 ms; by actors alone
// it took 83, past the request timeout).
var betweennessSampleWork = 135_000

// brokerEntriesPerActor is how many entries of the broker graph's lists
// (hub and overlap memberships, direct links, surplus pairs) a source's
// pass reads in the time it spends on one actor of its own: measured at
// XL, about 300 ns an actor (its level, path count and dependency, most
// of them cache misses) and 5–6 ns an entry (read in order).
const brokerEntriesPerActor = 50

// work is what a source's pass over b costs, in actors: its actors and
// its lists' entries, brokerEntriesPerActor of them to an actor.
func (b *brokerGraph) work() int {
	entries := len(b.partAct) + len(b.ovAct) + len(b.dirAct) + len(b.surAct)
	return b.n + entries/brokerEntriesPerActor
}

// classTies is class c's ties.
func (b *brokerGraph) classTies(c int32) []brokerTie { return b.ties[b.tieOff[c]:b.tieOff[c+1]] }

// betweennessSampleCount is the number of sources of a sampled pass over
// n actors whose broker graph costs work: BetweennessSamples up to
// betweennessSampleWork, fewer above, never below BetweennessMinSamples
// (and at most n).
func betweennessSampleCount(n, work int) int {
	k := BetweennessSamples
	if work > betweennessSampleWork {
		k = max(BetweennessMinSamples, BetweennessSamples*betweennessSampleWork/work)
	}
	return min(k, n)
}

// brokerGraph is a collabGraph rewritten for Brandes' algorithm with fewer
// pairs to correct. The collaborator pairs stay the same; what changes is
// how each is counted once:
//
//   - hubs: the collabGraph's projects (each a clique of collaborators)
//     count +1 for each pair of their participants;
//   - overlaps: where two projects p < q share at least minOverlap
//     participants, the shared ones form a hub counting −1, so that a pair
//     in both is counted once without listing it (the flagship
//     programmes share hundreds of participants: tens of thousands of
//     pairs, one short list);
//   - direct links only between actors that share no project (a link
//     between project partners adds no pair);
//   - the pairs still counted other than once, with their surplus (a
//     pair in three projects, or in two that share fewer than
//     minOverlap participants);
//   - but not those across two classes of flagships' actors sharing
//     nothing else, all of which have the same surplus: their classes'
//     ties, added per class and level (acrossClasses).
//
// An overlap's participants are in p and q, so their levels from any
// source lie on L_p, L_p+1 and on L_q, L_q+1; the overlap joins two levels
// only when L_p = L_q, and then on those of p.
type brokerGraph struct {
	n                int
	actOff, actProj  []int32 // as in collabGraph
	partOff, partAct []int32
	// project p's overlaps are ovFirst[p]..ovFirst[p+1]−1; overlap o is
	// with project ovOther[o], its participants ovAct[ovOff[o]:ovOff[o+1]].
	ovFirst, ovOther []int32
	ovOff, ovAct     []int32
	dirOff, dirAct   []int32
	// surplus[i] holds (collaborator, times counted − 1), which may be −1.
	surOff, surAct []int32
	surplus        []float64
	// The pairs across two classes of flagships' actors (flagships.near)
	// that share nothing but their flagships and are counted other than
	// once are not listed: cls[i] is actor i's class (−1: none), and
	// class c's ties ties[tieOff[c]:tieOff[c+1]] give, per class, the
	// surplus of every pair across them (with c itself too), which a
	// source's pass adds per class and level. A listed pair across them
	// has that surplus taken off its own.
	cls    []int32
	tieOff []int32
	ties   []brokerTie
	// pos[i] is collabGraph actor i's index here: the actors are numbered
	// in breadth-first order, so that collaborators sit near each other
	// in the per-source arrays.
	pos []int32
	// maxDist bounds every distance: twice the largest depth of the
	// breadth-first searches that numbered the components.
	maxDist int32
}

// brokerTie is a class tie of the broker graph: every pair across the two
// classes has the surplus.
type brokerTie struct {
	class   int32
	surplus float64
}

// minOverlap is the smallest overlap kept as a hub: below it listing the
// k(k−1) directed pairs is about as cheap as walking the k participants
// twice per source.
const minOverlap = 3

func newBrokerGraph(g *collabGraph) *brokerGraph {
	n := len(g.actors)
	np := len(g.partOff) - 1
	b := &brokerGraph{n: n, actOff: g.actOff, actProj: g.actProj, partOff: g.partOff, partAct: g.partAct}
	members := func(p int32) []int32 { return g.partAct[g.partOff[p]:g.partOff[p+1]] }
	projects := func(a int32) []int32 { return g.actProj[g.actOff[a]:g.actOff[a+1]] }

	// Overlaps of at least minOverlap participants, by their first
	// project, on every core in ranges of projects.
	pwork := make([]int, np+1)
	for p := range int32(np) {
		w := 1
		for _, a := range members(p) {
			w += int(g.actOff[a+1] - g.actOff[a])
		}
		pwork[p+1] = pwork[p] + w
	}
	pcuts := cutByWork(pwork)
	type overlapRows struct {
		other, size, act chunks[int32] // per overlap its other project and size; the actors
	}
	ovOut := make([]overlapRows, len(pcuts)-1)
	b.ovFirst = make([]int32, np+1)
	eachRange(pcuts, func() func(c, lo, hi int) {
		shared := make([]int32, np)
		stamp := make([]int32, n)
		for i := range stamp {
			stamp[i] = -1
		}
		var touched []int32
		return func(c, lo, hi int) {
			r := &ovOut[c]
			for p := int32(lo); p < int32(hi); p++ {
				touched = touched[:0]
				for _, a := range members(p) {
					stamp[a] = p
					for _, q := range projects(a) {
						if q > p {
							if shared[q] == 0 {
								touched = append(touched, q)
							}
							shared[q]++
						}
					}
				}
				slices.Sort(touched)
				kept := 0
				for _, q := range touched {
					if shared[q] >= minOverlap {
						k := r.act.len()
						if len(members(q)) < len(members(p)) {
							for _, a := range members(q) {
								if stamp[a] == p {
									r.act.add(a)
								}
							}
						} else {
							for _, a := range members(p) {
								if slices.Contains(projects(a), q) {
									r.act.add(a)
								}
							}
						}
						r.other.add(q)
						r.size.add(int32(r.act.len() - k))
						kept++
					}
					shared[q] = 0
				}
				b.ovFirst[p+1] = int32(kept)
			}
		}
	})
	for p := range np {
		b.ovFirst[p+1] += b.ovFirst[p]
	}
	nov := int(b.ovFirst[np])
	b.ovOther, b.ovOff = make([]int32, 0, nov), make([]int32, 1, nov+1)
	var sizes []int32
	for c := range ovOut {
		r := &ovOut[c]
		b.ovOther = r.other.appendTo(b.ovOther)
		b.ovAct = r.act.appendTo(b.ovAct)
		sizes = r.size.appendTo(sizes[:0])
		for _, k := range sizes {
			b.ovOff = append(b.ovOff, b.ovOff[len(b.ovOff)-1]+k)
		}
	}

	// Each actor's overlaps, to count the pairs they take off.
	ovOfOff := make([]int32, n+1)
	for _, a := range b.ovAct {
		ovOfOff[a+1]++
	}
	for i := range n {
		ovOfOff[i+1] += ovOfOff[i]
	}
	ovOf := make([]int32, len(b.ovAct))
	fill := slices.Clone(ovOfOff[:n])
	for o := range len(b.ovOther) {
		for _, a := range b.ovAct[b.ovOff[o]:b.ovOff[o+1]] {
			ovOf[fill[a]] = int32(o)
			fill[a]++
		}
	}

	// A pair counted more than once in g shares a project (a direct link
	// counts once); its new count is its projects less its overlaps.
	f := g.flagships()
	classOf := func(i int32) int32 {
		if f.classOf == nil {
			return -1
		}
		return f.classOf[i]
	}
	overlaps := flagshipOverlaps(f)
	nearCount := flagshipCounts(f, overlaps)
	b.tieOff = make([]int32, len(f.classMask)+1)
	for c := range f.classMask {
		for x := f.nearOff[c]; x < f.nearOff[c+1]; x++ {
			if k := nearCount[x]; k != 1 {
				b.ties = append(b.ties, brokerTie{class: f.near[x].class, surplus: float64(k - 1)})
			}
		}
		b.tieOff[c+1] = int32(len(b.ties))
	}
	if len(b.ties) > 0 {
		b.cls = f.classOf // renumbered below
	}
	// An overlap of two flagships is counted from the masks (overlaps), not
	// by reading its actors for each of them.
	ovProject := make([]int32, len(b.ovOther)) // overlap → its first project
	for p := range int32(np) {
		for o := b.ovFirst[p]; o < b.ovFirst[p+1]; o++ {
			ovProject[o] = p
		}
	}
	byMasks := func(o int32) bool { return f.bit[ovProject[o]] >= 0 && f.bit[b.ovOther[o]] >= 0 }
	// On every core in ranges of actors, each range's rows in chunks (at
	// XL at ORGANISATIONS 31 million surplus entries), copied once at the
	// end in actor order.
	awork := make([]int, n+1)
	for i := range int32(n) {
		w := 1 + int(g.dirOff[i+1]-g.dirOff[i]) + int(g.multiOff[i+1]-g.multiOff[i])
		for _, o := range ovOf[ovOfOff[i]:ovOfOff[i+1]] {
			if !byMasks(o) {
				w += int(b.ovOff[o+1] - b.ovOff[o])
			}
		}
		awork[i+1] = awork[i] + w
	}
	acuts := cutByWork(awork)
	type pairRows struct {
		dirAct, surAct chunks[int32]
		surplus        chunks[float64]
	}
	rowOut := make([]pairRows, len(acuts)-1)
	b.dirOff = make([]int32, n+1)
	b.surOff = make([]int32, n+1)
	eachRange(acuts, func() func(c, lo, hi int) {
		taken := make([]int32, n) // overlaps holding both, for the actor at hand
		inMulti := make([]bool, n)
		direct := make([]bool, n)
		// the actor's listed collaborators joined for several reasons, and
		// the surplus of its class's ties per class
		var multi []int32
		tieSurplus := make([]float64, len(f.classMask))
		return func(c, lo, hi int) {
			r := &rowOut[c]
			for i := int32(lo); i < int32(hi); i++ {
				ci := classOf(i)
				if ci >= 0 {
					for _, t := range b.classTies(ci) {
						tieSurplus[t.class] = t.surplus
					}
				}
				for _, o := range ovOf[ovOfOff[i]:ovOfOff[i+1]] {
					if !byMasks(o) {
						for _, w := range b.ovAct[b.ovOff[o]:b.ovOff[o+1]] {
							taken[w]++
						}
					}
				}
				dir := g.dirAct[g.dirOff[i]:g.dirOff[i+1]]
				for _, w := range dir {
					direct[w] = true
				}
				multi = multi[:0]
				for m := g.multiOff[i]; m < g.multiOff[i+1]; m++ {
					w := g.multiAct[m]
					multi = append(multi, w)
					inMulti[w] = true
					count := 1 + float64(g.multiExtra[m]+f.implicit(i, w))
					if direct[w] {
						count-- // the link goes: the pair shares a project
					}
					t := taken[w]
					if f.mask != nil {
						t += overlaps(f.mask[i] & f.mask[w])
					}
					sur := count - float64(t) - 1
					if cw := classOf(w); ci >= 0 && cw >= 0 {
						sur -= tieSurplus[cw] // the pass adds it to every pair across the classes
					}
					if sur != 0 {
						r.surAct.add(w)
						r.surplus.add(sur)
					}
				}
				if ci >= 0 {
					for _, t := range b.classTies(ci) {
						tieSurplus[t.class] = 0
					}
				}
				for _, w := range dir {
					if !inMulti[w] {
						r.dirAct.add(w)
					}
					direct[w] = false
				}
				for _, w := range multi {
					inMulti[w] = false
				}
				for _, o := range ovOf[ovOfOff[i]:ovOfOff[i+1]] {
					if !byMasks(o) {
						for _, w := range b.ovAct[b.ovOff[o]:b.ovOff[o+1]] {
							taken[w] = 0
						}
					}
				}
				// within the range, shifted below
				b.dirOff[i+1] = int32(r.dirAct.len())
				b.surOff[i+1] = int32(r.surAct.len())
			}
		}
	})
	var dirBase, surBase int32
	for c := range rowOut {
		for i := acuts[c]; i < acuts[c+1]; i++ {
			b.dirOff[i+1] += dirBase
			b.surOff[i+1] += surBase
		}
		dirBase += int32(rowOut[c].dirAct.len())
		surBase += int32(rowOut[c].surAct.len())
	}
	parts := len(rowOut)
	b.dirAct = concat(parts, func(c int) *chunks[int32] { return &rowOut[c].dirAct })
	b.surAct = concat(parts, func(c int) *chunks[int32] { return &rowOut[c].surAct })
	b.surplus = concat(parts, func(c int) *chunks[float64] { return &rowOut[c].surplus })
	b.renumber()
	return b
}

// flagshipOverlaps returns, for a set of flagships, the number of the
// broker graph's overlaps among them: the pairs of them sharing at least
// minOverlap actors.
func flagshipOverlaps(f *flagships) func(s uint64) int32 {
	var both [64][64]int32 // actors in flagships a and b
	for m, k := range f.exact {
		for x := m; x != 0; x &= x - 1 {
			a := bits.TrailingZeros64(x)
			for y := x & (x - 1); y != 0; y &= y - 1 {
				both[a][bits.TrailingZeros64(y)] += k
			}
		}
	}
	return func(s uint64) int32 {
		k := int32(0)
		for x := s; x != 0 && x&(x-1) != 0; x &= x - 1 {
			a := bits.TrailingZeros64(x)
			for y := x & (x - 1); y != 0; y &= y - 1 {
				if both[a][bits.TrailingZeros64(y)] >= minOverlap {
					k++
				}
			}
		}
		return k
	}
}

// flagshipCounts is, for each tie of two classes of flagships' actors
// (flagships.near), how many times the broker graph counts a pair across
// them that shares nothing but their flagships: once per shared flagship,
// less once per overlap of two of those.
func flagshipCounts(f *flagships, overlaps func(s uint64) int32) []int32 {
	counts := make([]int32, len(f.near))
	for c := range f.classMask {
		for x := f.nearOff[c]; x < f.nearOff[c+1]; x++ {
			s := f.classMask[c] & f.classMask[f.near[x].class]
			counts[x] = int32(bits.OnesCount64(s)) - overlaps(s)
		}
	}
	return counts
}

// renumber numbers the actors in breadth-first order and rewrites every
// list in the new numbers.
func (b *brokerGraph) renumber() {
	n := b.n
	b.pos = make([]int32, n)
	for i := range b.pos {
		b.pos[i] = -1
	}
	at := make([]int32, 0, n) // new index → old
	done := make([]bool, len(b.partOff)-1)
	depth := make([]int32, 0, n) // by new index
	var d int32                  // the depth of the actor being expanded
	visit := func(w int32) {
		if b.pos[w] < 0 {
			b.pos[w] = int32(len(at))
			at = append(at, w)
			depth = append(depth, d+1)
			b.maxDist = max(b.maxDist, 2*(d+1))
		}
	}
	for root := range int32(n) {
		if b.pos[root] >= 0 {
			continue
		}
		d = -1
		visit(root)
		for h := len(at) - 1; h < len(at); h++ {
			v := at[h]
			d = depth[h]
			for _, w := range b.dirAct[b.dirOff[v]:b.dirOff[v+1]] {
				visit(w)
			}
			for _, p := range b.actProj[b.actOff[v]:b.actOff[v+1]] {
				if !done[p] {
					done[p] = true
					for _, w := range b.partAct[b.partOff[p]:b.partOff[p+1]] {
						visit(w)
					}
				}
			}
		}
	}
	// The rows are copied in the new order on every core, in ranges of
	// the new indices.
	cuts := make([]int, 16*runtime.GOMAXPROCS(0)+1)
	for c := range cuts {
		cuts[c] = c * n / (len(cuts) - 1)
	}
	newOff := func(off []int32) []int32 {
		no := make([]int32, n+1)
		for i, v := range at {
			no[i+1] = no[i] + off[v+1] - off[v]
		}
		return no
	}
	rows := func(off, vals []int32, mapVals bool) ([]int32, []int32) {
		no, nv := newOff(off), make([]int32, len(vals))
		eachRange(cuts, func() func(c, lo, hi int) {
			return func(_, lo, hi int) {
				for i := lo; i < hi; i++ {
					v, row := at[i], nv[no[i]:no[i+1]]
					copy(row, vals[off[v]:off[v+1]])
					if mapVals {
						for k, x := range row {
							row[k] = b.pos[x]
						}
					}
				}
			}
		})
		return no, nv
	}
	surOff, sur := newOff(b.surOff), make([]float64, len(b.surplus))
	eachRange(cuts, func() func(c, lo, hi int) {
		return func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				v := at[i]
				copy(sur[surOff[i]:surOff[i+1]], b.surplus[b.surOff[v]:b.surOff[v+1]])
			}
		}
	})
	b.surplus = sur
	if b.cls != nil {
		cls := make([]int32, n)
		for i, v := range at {
			cls[i] = b.cls[v]
		}
		b.cls = cls
	}
	b.actOff, b.actProj = rows(b.actOff, b.actProj, false)
	b.dirOff, b.dirAct = rows(b.dirOff, b.dirAct, true)
	b.surOff, b.surAct = rows(b.surOff, b.surAct, true)
	part := make([]int32, len(b.partAct))
	for k, a := range b.partAct {
		part[k] = b.pos[a]
	}
	b.partAct = part
	for k, a := range b.ovAct {
		b.ovAct[k] = b.pos[a]
	}
}

// brandesChunks is the number of chunks the sources are cut into: enough
// for the cores to stay busy to the end, few enough that the chunks' sums
// (one score per actor each, a few alive at a time) stay small.
const brandesChunks = 32

// hubRec is one hub (a project, or an overlap counting −1) that joined two
// levels in a source's search: its participants on the upper level are
// mem[up:mid], those one level down mem[mid:end].
type hubRec struct {
	up, mid, end int32
	neg          bool
}

// pairRec is a surplus pair that joined two levels: v on the upper one, w
// one level down, counted wt times more than once (wt is −surplus).
type pairRec struct {
	v, w int32
	wt   float64
}

// brandesWorker holds one worker's per-source state, reused from source to
// source: it allocates nothing per source once its buffers have grown.
// D is the type of a level: int8 when every distance fits, which keeps
// the array read for every incidence small enough for the core's cache.
type brandesWorker[D int8 | int32] struct {
	b       *brokerGraph
	dist    []D       // level, -1: not reached
	sigma   []float64 // shortest-path counts; float64 cannot overflow
	acc     []float64 // Σ (1+δ)/σ of the children, then (1+δ)/σ
	lp      []D       // a project's level, -1: not reached
	distSum []int64
	reached []int32

	order  []int32 // actors by level
	levels []int   // order[levels[l]:levels[l+1]] is level l
	// kids[kidOff[i]:kidOff[i+1]] are the direct collaborators one level
	// below order[i].
	kidOff, kids []int32
	projs        []int32 // projects by level reached
	mem          []int32
	hubs         []hubRec
	hubLevels    []int // hubs[hubLevels[l]:hubLevels[l+1]] join l and l+1
	pairs        []pairRec
	pairLevels   []int
	tmp          []int32
	// per class of flagships' actors: a level's sum, and what its ties
	// add to each actor of the class on the next (brokerGraph.cls)
	classSum, classAdd []float64
}

func newBrandesWorker[D int8 | int32](b *brokerGraph, distSum []int64, reached []int32) *brandesWorker[D] {
	n, np := b.n, len(b.partOff)-1
	w := &brandesWorker[D]{b: b, dist: make([]D, n), sigma: make([]float64, n), acc: make([]float64, n),
		lp: make([]D, np), distSum: distSum, reached: reached, order: make([]int32, 0, n), kidOff: make([]int32, 0, n+1)}
	if b.cls != nil {
		w.classSum, w.classAdd = make([]float64, len(b.tieOff)-1), make([]float64, len(b.tieOff)-1)
	}
	for i := range w.dist {
		w.dist[i] = -1
	}
	for i := range w.lp {
		w.lp[i] = -1
	}
	return w
}

// acrossClasses takes off each actor w of to the surplus of its pairs
// across the class ties with the actors of from, weighted by their value
// in x: y[w] −= Σ surplus·x[v]. Every such pair is adjacent (the two
// share two or more flagships), so it is the listed pairs' correction
// with a sum per class in place of the list.
func (s *brandesWorker[D]) acrossClasses(from, to []int32, x, y []float64) {
	b, sum, add := s.b, s.classSum, s.classAdd
	clear(sum)
	any := false
	for _, v := range from {
		if c := b.cls[v]; c >= 0 {
			sum[c] += x[v]
			any = true
		}
	}
	if !any {
		return
	}
	for c := range add {
		t := 0.0
		for _, tie := range b.classTies(int32(c)) {
			t += tie.surplus * sum[tie.class]
		}
		add[c] = t
	}
	for _, w := range to {
		if c := b.cls[w]; c >= 0 {
			y[w] -= add[c]
		}
	}
}

// source runs Brandes' accumulation from src and adds the dependencies to
// scores, the distances to distSum and the reach to reached.
//
// It goes level by level and never expands a project into its pairs: the
// actors of level l push their path counts to their direct collaborators
// one level down, each project first reached on level l (L_p = l; its
// participants lie on l and l+1) sums the path counts of its participants
// on l and adds the sum to those on l+1, its overlaps take theirs off, and
// the listed surplus pairs are corrected. What joined two levels (the
// children of each actor, each hub's participants on both levels, the
// surplus pairs) is recorded on the way down, so that the dependencies
// flow back over those records without looking at a level again.
func (s *brandesWorker[D]) source(src int32, scores []float64) {
	b := s.b
	dist, sigma, acc, lp := s.dist, s.sigma, s.acc, s.lp
	order := append(s.order[:0], src)
	levels := append(s.levels[:0], 0, 1)
	kidOff := append(s.kidOff[:0], 0)
	kids, projs, mem, hubs, pairs, tmp := s.kids[:0], s.projs[:0], s.mem[:0], s.hubs[:0], s.pairs[:0], s.tmp
	hubLevels := append(s.hubLevels[:0], 0)
	pairLevels := append(s.pairLevels[:0], 0)
	dist[src], sigma[src] = 0, 1

	// Path counts. When level l starts, its actors are all known and
	// their counts final.
	for l := int32(0); ; l++ {
		lo, hi := levels[l], levels[l+1]
		if lo == hi {
			break
		}
		dl, down := D(l), D(l+1)
		pl := len(projs)
		for _, v := range order[lo:hi] {
			sv := sigma[v]
			for _, w := range b.dirAct[b.dirOff[v]:b.dirOff[v+1]] {
				dw := dist[w]
				if dw < 0 {
					dist[w], dw = down, down
					order = append(order, w)
				}
				if dw == down {
					sigma[w] += sv
					kids = append(kids, w)
				}
			}
			kidOff = append(kidOff, int32(len(kids)))
			for _, p := range b.actProj[b.actOff[v]:b.actOff[v+1]] {
				if lp[p] < 0 {
					lp[p] = dl
					projs = append(projs, p)
				}
			}
		}
		for _, p := range projs[pl:] {
			up := len(mem)
			t := 0.0
			tmp = tmp[:0]
			ps := b.partAct[b.partOff[p]:b.partOff[p+1]]
			mem = slices.Grow(mem, len(ps))[:up+len(ps)]
			tmp = slices.Grow(tmp[:0], len(ps))[:len(ps)]
			nu, nd := up, 0
			for _, w := range ps {
				dw := dist[w]
				if dw < 0 {
					dist[w] = down
					order = append(order, w)
				}
				// Each participant goes to both lists; the one of its level
				// keeps it (no branch on the level).
				mem[nu], tmp[nd] = w, w
				var u int
				var f float64
				if dw == dl {
					u, f = 1, 1
				}
				nu, nd = nu+u, nd+1-u
				t += f * sigma[w]
			}
			mem, tmp = mem[:nu], tmp[:nd]
			if nd == 0 {
				mem = mem[:up]
				continue
			}
			mid := len(mem)
			for _, w := range tmp {
				sigma[w] += t
			}
			mem = append(mem, tmp...)
			hubs = append(hubs, hubRec{up: int32(up), mid: int32(mid), end: int32(len(mem))})
			for o := b.ovFirst[p]; o < b.ovFirst[p+1]; o++ {
				if lp[b.ovOther[o]] != dl {
					continue
				}
				up := len(mem)
				t := 0.0
				tmp = tmp[:0]
				os := b.ovAct[b.ovOff[o]:b.ovOff[o+1]]
				mem = slices.Grow(mem, len(os))[:up+len(os)]
				tmp = slices.Grow(tmp[:0], len(os))[:len(os)]
				nu, nd := up, 0
				for _, w := range os {
					mem[nu], tmp[nd] = w, w
					var u int
					var f float64
					if dist[w] == dl {
						u, f = 1, 1
					}
					nu, nd = nu+u, nd+1-u
					t += f * sigma[w]
				}
				mem, tmp = mem[:nu], tmp[:nd]
				if len(tmp) == 0 || len(mem) == up {
					mem = mem[:up]
					continue
				}
				mid := len(mem)
				for _, w := range tmp {
					sigma[w] -= t
				}
				mem = append(mem, tmp...)
				hubs = append(hubs, hubRec{up: int32(up), mid: int32(mid), end: int32(len(mem)), neg: true})
			}
		}
		hubLevels = append(hubLevels, len(hubs))
		levels = append(levels, len(order))
		for _, w := range order[hi:] {
			for m := b.surOff[w]; m < b.surOff[w+1]; m++ {
				if v := b.surAct[m]; dist[v] == dl {
					sigma[w] -= b.surplus[m] * sigma[v]
					pairs = append(pairs, pairRec{v: v, w: w, wt: -b.surplus[m]})
				}
			}
		}
		pairLevels = append(pairLevels, len(pairs))
		if b.cls != nil {
			s.acrossClasses(order[lo:hi], order[hi:], sigma, sigma)
		}
	}
	depth := len(levels) - 2 // levels 0..depth-1

	// Dependencies, from the deepest level back: acc gathers the children's
	// (1+δ)/σ, then becomes the actor's own.
	for l := depth - 1; l >= 0; l-- {
		for _, h := range hubs[hubLevels[l]:hubLevels[l+1]] {
			t := 0.0
			for _, w := range mem[h.mid:h.end] {
				t += acc[w]
			}
			if h.neg {
				t = -t
			}
			for _, v := range mem[h.up:h.mid] {
				acc[v] += t
			}
		}
		for _, pr := range pairs[pairLevels[l]:pairLevels[l+1]] {
			acc[pr.v] += pr.wt * acc[pr.w]
		}
		if b.cls != nil {
			s.acrossClasses(order[levels[l+1]:levels[l+2]], order[levels[l]:levels[l+1]], acc, acc)
		}
		for i := levels[l]; i < levels[l+1]; i++ {
			v := order[i]
			t := acc[v]
			for _, w := range kids[kidOff[i]:kidOff[i+1]] {
				t += acc[w]
			}
			d := sigma[v] * t
			acc[v] = (1 + d) / sigma[v]
			if v != src {
				scores[v] += d
			}
			s.distSum[v] += int64(l)
			s.reached[v]++
			dist[v], sigma[v] = -1, 0
		}
		if l+1 < depth { // the level below has given all it had to give
			for _, w := range order[levels[l+1]:levels[l+2]] {
				acc[w] = 0
			}
		}
	}
	acc[src] = 0
	for _, p := range projs {
		lp[p] = -1
	}
	s.order, s.levels, s.kidOff, s.kids, s.projs, s.mem = order, levels, kidOff, kids, projs, mem
	s.hubs, s.hubLevels, s.pairs, s.pairLevels, s.tmp = hubs, hubLevels, pairs, pairLevels, tmp
}

// roundScore rounds to 1e-9 where float64 can hold that precision.
func roundScore(x float64) float64 {
	if math.Abs(x) >= 1<<53/1e9 {
		return x
	}
	return math.Round(x*1e9) / 1e9
}
