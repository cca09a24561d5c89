package kg

import (
	"cmp"
	"context"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// parallelBlocks runs the work over [0, n) on up to GOMAXPROCS workers:
// each worker gets its own function from newWorker (so that its scratch
// space is its own) and is handed blocks of 64 indices in turn. It stops
// handing out blocks once ctx ends and then answers ErrTimeout. Whatever
// a block computes must depend only on its indices, never on which worker
// ran it, so that the same input always gives the same output.
func parallelBlocks(ctx context.Context, n int, newWorker func() func(lo, hi int)) error {
	const block = 64
	workers := max(1, min(runtime.GOMAXPROCS(0), (n+block-1)/block))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn := newWorker()
			for ctx.Err() == nil {
				lo := int(next.Add(block)) - block
				if lo >= n {
					return
				}
				fn(lo, min(n, lo+block))
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return timeoutErr(err)
	}
	return nil
}

// localMeasures are Burt's structural-hole measures of every actor, as
// NetworkX's constraint and effective_size define them on an unweighted
// undirected graph: with p_uv = 1/deg(u) for a collaborator v,
//
//	constraint(u)     = Σ_v (p_uv + Σ_w p_uw p_wv)²   (w a collaborator of both)
//	effective_size(u) = deg(u) − 2·t(u)/deg(u)        (t: ties among u's collaborators)
//
// both NaN for an actor without collaborators.
type localMeasures struct {
	constraint, effectiveSize []float64
}

// structuralHoles computes both measures for every actor. With f(w) =
// 1/deg(w) and, per collaborator pair u–j, S_uj = Σ f(w) and T_uj = Σ 1 over
// their common collaborators w:
//
//	constraint(u)     = Σ_j (1 + S_uj)² / deg(u)²
//	effective_size(u) = deg(u) − Σ_j T_uj / deg(u)
//
// S and T are symmetric, so each pair is evaluated once, at one end, and
// its (1 + S)² and T are added to both ends. Evaluating the pair at u
// (u's collaborators marked) costs j's projects, direct links and
// multiply-joined pairs:
//
//   - the base: per project Q of a collaborator of u, the sum of f and the
//     count of u's collaborators in it; for j the sums over j's projects
//     less j's own share. This counts a w in several projects with j once
//     per project and misses a w joined to j by a direct link only;
//   - the correction: j's direct links and multiply-joined pairs among u's
//     collaborators (j's fix row) set that right. The rows are read once
//     per block of 64 actors, not once per pair (holesInOrder).
//
// So the pair is evaluated at the end whose partner is the cheaper to read
// (the cost, then the index, decides): the hubs of many overlapping
// projects are read by nobody, they read everyone else.
//
// What each end receives is summed in 64.64 fixed point (exact, so the
// same whichever worker evaluated which pair and in which order), once per
// worker and then over the workers; T is an integer.
func structuralHoles(ctx context.Context, g *collabGraph) (*localMeasures, error) {
	order := holesOrder(g)
	r, err := holesInOrder(ctx, relabel(g, order))
	if err != nil {
		return nil, err
	}
	res := &localMeasures{constraint: make([]float64, len(order)), effectiveSize: make([]float64, len(order))}
	for i, old := range order {
		res.constraint[old], res.effectiveSize[old] = r.constraint[i], r.effectiveSize[i]
	}
	return res, nil
}

// holesOrder orders the actors for structuralHoles' pass: by their
// projects, biggest first, compared as lists. The members of the same big
// projects and of their overlaps are then neighbours in the order, so the
// pass's reads of its marks (the multiply-joined pairs above all) fall
// near each other in memory, and consecutive actors share most of their
// collaborators.
func holesOrder(g *collabGraph) []int32 {
	n := len(g.actors)
	np := len(g.partOff) - 1
	// rank[p]: p's place among the projects, biggest first.
	byRank := make([]int32, np)
	for p := range byRank {
		byRank[p] = int32(p)
	}
	size := func(p int32) int32 { return g.partOff[p+1] - g.partOff[p] }
	slices.SortFunc(byRank, func(a, b int32) int { return cmp.Or(cmp.Compare(size(b), size(a)), cmp.Compare(a, b)) })
	rank := make([]int32, np)
	for r, p := range byRank {
		rank[p] = int32(r)
	}
	keys := make([]int32, len(g.actProj))
	for i, p := range g.actProj {
		keys[i] = rank[p]
	}
	for a := range n {
		slices.Sort(keys[g.actOff[a]:g.actOff[a+1]])
	}
	key := func(a int32) []int32 { return keys[g.actOff[a]:g.actOff[a+1]] }
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		ka, kb := key(a), key(b)
		if (len(ka) == 0) != (len(kb) == 0) { // actors without projects last
			return cmp.Compare(len(kb), len(ka))
		}
		return cmp.Or(slices.Compare(ka, kb), cmp.Compare(a, b))
	})
	return order
}

// relabel returns g's structure with actor order[i] as actor i, each
// actor's direct links sorted in the new order and its multiply-joined
// pairs merged with them into its fix row (fixEntry); the graph's own
// lists of those pairs are left out (its actors are g's, unchanged: only
// their number is read).
func relabel(g *collabGraph, order []int32) *holesGraph {
	n := len(order)
	pos := make([]int32, n)
	for i, old := range order {
		pos[old] = int32(i)
	}
	r := &collabGraph{actors: g.actors, partOff: g.partOff, degree: make([]int32, n),
		actOff: make([]int32, n+1), dirOff: make([]int32, n+1),
		actProj: make([]int32, 0, len(g.actProj)),
		partAct: make([]int32, len(g.partAct)),
		dirAct:  make([]int32, 0, len(g.dirAct))}
	h := &holesGraph{collabGraph: r, fixOff: make([]int32, n+1), fix: make([]fixEntry, 0, len(g.dirAct)+len(g.multiAct))}
	for i, w := range g.partAct {
		r.partAct[i] = pos[w]
	}
	var multi []fixEntry // an actor's multiply-joined pairs, −surplus each
	listed := getMarks(int32(n))
	defer listed.release()
	for i, old := range order {
		r.degree[i] = g.degree[old]
		r.actProj = append(r.actProj, g.actProj[g.actOff[old]:g.actOff[old+1]]...)
		r.actOff[i+1] = int32(len(r.actProj))
		start := len(r.dirAct)
		for _, w := range g.dirAct[g.dirOff[old]:g.dirOff[old+1]] {
			r.dirAct = append(r.dirAct, pos[w])
		}
		dir := r.dirAct[start:]
		slices.Sort(dir)
		r.dirOff[i+1] = int32(len(r.dirAct))
		multi = multi[:0]
		g.eachSurplus(old, listed, int32(i), func(w, extra int32) {
			multi = append(multi, fixEntry{pos[w], -extra})
		})
		slices.SortFunc(multi, func(a, b fixEntry) int { return cmp.Compare(a.w, b.w) })
		h.fix = appendFix(h.fix, dir, multi)
		h.fixOff[i+1] = int32(len(h.fix))
	}
	return h
}

// holesGraph is a collaboration graph for holesInOrder: without its lists
// of multiply-joined pairs, which are in the fix rows instead, actor j's
// fix[fixOff[j]:fixOff[j+1]], sorted by collaborator.
type holesGraph struct {
	*collabGraph
	fixOff []int32
	fix    []fixEntry
}

// holesBlockPairs bounds the pairs holesInOrder keeps for one block of
// actors (24 bytes each, and 16 for their corrections): a block of hubs
// is split.
var holesBlockPairs = 1 << 20

// holesInOrder is structuralHoles on g as relabel orders it.
//
// The correction of a pair u–j sums, over j's fix row (its direct links,
// +1, and multiply-joined pairs, −surplus), the entries whose actor is a
// collaborator of u. Nearly all are (three in four at M), and reading
// the row once per pair was most of the time at ORGANISATIONS, so the
// pass takes the actors 64 at a time: it marks, per actor w, which of
// the 64 it collaborates with (a bit each), reads each fix row once per
// 64 and takes from the row's whole sum the entries that miss, for each
// of the 64 that evaluates a pair with j. Every pair's value depends only
// on its two actors, whatever block it is evaluated in.
func holesInOrder(ctx context.Context, h *holesGraph) (*localMeasures, error) {
	g, fixOff, fix := h.collabGraph, h.fixOff, h.fix
	n := len(g.actors)
	res := &localMeasures{constraint: make([]float64, n), effectiveSize: make([]float64, n)}
	inv := make([]float64, n)
	for i, d := range g.degree {
		if d > 0 {
			inv[i] = 1 / float64(d)
		}
	}
	// each fix row's whole sum
	fullS, fullT := make([]float64, n), make([]int64, n)
	for j := range n {
		for _, e := range fix[fixOff[j]:fixOff[j+1]] {
			fullS[j] += float64(e.coef) * inv[e.w]
			fullT[j] += int64(e.coef)
		}
	}
	// cost[j] is what evaluating a pair u–j at u reads of j.
	cost := make([]int32, n)
	for j := range n {
		cost[j] = (g.actOff[j+1] - g.actOff[j]) + (fixOff[j+1] - fixOff[j])
	}
	// cheaper reports whether the pair u–j is evaluated at u.
	cheaper := func(j, u int32) bool { return cost[j] < cost[u] || (cost[j] == cost[u] && j < u) }
	np := len(g.partOff) - 1
	// Per project, each member followed by the count and the list of its
	// projects: the passes below read them in order rather than jumping to
	// each collaborator's row.
	rowOff := make([]int, np+1)
	for p := range np {
		k := 0
		for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
			k += 2 + int(g.actOff[w+1]-g.actOff[w])
		}
		rowOff[p+1] = rowOff[p] + k
	}
	rows := make([]int32, rowOff[np])
	for p := range np {
		r := rows[rowOff[p]:rowOff[p]]
		for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
			ps := g.actProj[g.actOff[w]:g.actOff[w+1]]
			r = append(append(r, w, int32(len(ps))), ps...)
		}
	}
	type sums struct {
		c []fixed128 // Σ (1 + S)² received
		t []int64    // Σ T received
	}
	var (
		mu  sync.Mutex
		all []sums
	)
	// A block keeps the pairs of at most 64 actors, and stops at
	// holesBlockPairs or one actor past it.
	maxDegree := 0
	for _, d := range g.degree {
		maxDegree = max(maxDegree, int(d))
	}
	pairsCap := min(64*maxDegree, holesBlockPairs+maxDegree)
	err := parallelBlocks(ctx, n, func() func(lo, hi int) {
		own := sums{c: make([]fixed128, n), t: make([]int64, n)}
		mu.Lock()
		all = append(all, own)
		mu.Unlock()
		// in holds u's collaborators, a bit each: small enough to stay in
		// the nearest cache, where each tests it.
		in := make(bitset, (n+63)/64)
		done := make(bitset, len(in)) // u's collaborators whose pair is evaluated
		// per project: the sum of f and the count of u's collaborators in it
		// (valid when tag is u's).
		type projAcc struct {
			sum      float64
			tag, cnt int32
		}
		acc := make([]projAcc, np)
		// For the block's actors lo+i: mask[w] has bit i when w is a
		// collaborator of lo+i, want[j] when the pair lo+i–j is evaluated
		// at lo+i. The block's evaluated j in js, the first time first;
		// their corrections from slot[j] on, one per bit of want[j].
		mask, want := make([]uint64, n), make([]uint64, n)
		slot := make([]int32, n)
		var js, touched []int32 // touched: the w with mask[w] set
		// the pairs' bases, in the order evaluated
		type pairBase struct {
			j, i int32
			t    int64
			s    float64
		}
		bases := make([]pairBase, 0, pairsCap)
		corrS, corrT := make([]float64, 0, pairsCap), make([]int64, 0, pairsCap)
		var missS [64]float64
		var missT [64]int64
		// each calls fn once for every collaborator of u with its projects,
		// in the same order every time (seen keeps it once); only
		// for those keep accepts, when keep is set.
		each := func(u int32, seen bitset, keep func(w int32) bool, fn func(w int32, ps []int32)) {
			visit := func(w int32) bool {
				if seen.has(w) || (keep != nil && !keep(w)) {
					return false
				}
				seen.set(w)
				return true
			}
			for _, w := range g.dirAct[g.dirOff[u]:g.dirOff[u+1]] {
				if visit(w) {
					fn(w, g.actProj[g.actOff[w]:g.actOff[w+1]])
				}
			}
			for _, p := range g.actProj[g.actOff[u]:g.actOff[u+1]] {
				r := rows[rowOff[p]:rowOff[p+1]]
				for i := 0; i < len(r); {
					w, k := r[i], int(r[i+1])
					if w != u && visit(w) {
						fn(w, r[i+2:i+2+k])
					}
					i += 2 + k
				}
			}
		}
		// run takes the actors from lo on, up to hi and no further once
		// the bases reach holesBlockPairs, and returns where it stopped.
		run := func(lo, hi int) int {
			js, bases, touched = js[:0], bases[:0], touched[:0]
			// The bases, the masks and the pairs wanted.
			end := lo
			for ; end < hi && len(bases) < holesBlockPairs; end++ {
				u, tag, i := int32(end), int32(end+1), int32(end-lo)
				if g.degree[u] == 0 {
					continue
				}
				bit := uint64(1) << uint(i)
				each(u, in, nil, func(w int32, ps []int32) {
					if mask[w] == 0 {
						touched = append(touched, w)
					}
					mask[w] |= bit
					f := inv[w]
					for _, p := range ps {
						a := &acc[p]
						if a.tag != tag {
							*a = projAcc{tag: tag}
						}
						a.sum += f
						a.cnt++
					}
				})
				each(u, done, func(j int32) bool { return cheaper(j, u) }, func(j int32, ps []int32) {
					s, t := 0.0, int64(0)
					f := inv[j]
					for _, p := range ps {
						a := &acc[p]
						s += a.sum - f
						t += int64(a.cnt - 1)
					}
					if want[j] == 0 {
						js = append(js, j)
					}
					want[j] |= bit
					bases = append(bases, pairBase{j: j, i: i, t: t, s: s})
				})
				clear(in)
				clear(done)
			}
			// The corrections: each fix row once.
			k := int32(0)
			for _, j := range js {
				slot[j] = k
				k += int32(bits.OnesCount64(want[j]))
			}
			corrS, corrT = slices.Grow(corrS[:0], int(k))[:k], slices.Grow(corrT[:0], int(k))[:k]
			for _, j := range js {
				wj := want[j]
				for _, e := range fix[fixOff[j]:fixOff[j+1]] {
					x := wj &^ mask[e.w]
					if x == 0 {
						continue
					}
					cf := float64(e.coef) * inv[e.w]
					for ; x != 0; x &= x - 1 {
						i := bits.TrailingZeros64(x)
						missS[i] += cf
						missT[i] += int64(e.coef)
					}
				}
				r := slot[j]
				for x := wj; x != 0; x &= x - 1 {
					i := bits.TrailingZeros64(x)
					corrS[r], corrT[r] = fullS[j]-missS[i], fullT[j]-missT[i]
					missS[i], missT[i] = 0, 0
					r++
				}
			}
			for _, b := range bases {
				u := int32(lo) + b.i
				r := slot[b.j] + int32(bits.OnesCount64(want[b.j]&(1<<uint(b.i)-1)))
				x := 1 + b.s + corrS[r]
				x *= x
				t := b.t + corrT[r]
				own.c[u].add(x)
				own.c[b.j].add(x)
				own.t[u] += t
				own.t[b.j] += t
			}
			for _, j := range js {
				want[j] = 0
			}
			for _, w := range touched {
				mask[w] = 0
			}
			return end
		}
		return func(lo, hi int) {
			for lo < hi {
				lo = run(lo, hi)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	for u := range n {
		d := g.degree[u]
		if d == 0 {
			res.constraint[u], res.effectiveSize[u] = math.NaN(), math.NaN()
			continue
		}
		var c fixed128
		var t int64
		for _, s := range all {
			c.addFixed(s.c[u])
			t += s.t[u]
		}
		res.constraint[u] = c.float() * inv[u] * inv[u]
		res.effectiveSize[u] = float64(d) - float64(t)/float64(d)
	}
	return res, nil
}

// fixEntry is one entry of a fix row: a collaborator w of the row's actor
// j and how many times fewer than the projects count it a common
// collaborator of j with anyone: +1 for a direct link, −surplus for a
// pair joined more than once (a direct link and one project: 0, left out).
type fixEntry struct{ w, coef int32 }

// appendFix appends to fix the fix row of an actor with direct links dir
// and multiply-joined pairs multi (both sorted by collaborator; a pair
// both a direct link and joined more than once gets 1 − surplus).
func appendFix(fix []fixEntry, dir []int32, multi []fixEntry) []fixEntry {
	for len(dir) > 0 || len(multi) > 0 {
		var e fixEntry
		switch {
		case len(multi) == 0 || (len(dir) > 0 && dir[0] < multi[0].w):
			e, dir = fixEntry{dir[0], 1}, dir[1:]
		case len(dir) == 0 || multi[0].w < dir[0]:
			e, multi = multi[0], multi[1:]
		default:
			e = fixEntry{dir[0], 1 + multi[0].coef}
			dir, multi = dir[1:], multi[1:]
		}
		if e.coef != 0 {
			fix = append(fix, e)
		}
	}
	return fix
}

// fixed128 is a non-negative number in 64.64 fixed point: hi the integer
// part, lo the fraction. Sums of float64 values of at least 2⁻¹² (and
// below 2⁶³) are exact in it, whatever their order.
type fixed128 struct{ hi, lo uint64 }

// add adds x ≥ 0 (below 2⁶³); digits below 2⁻⁶⁴ are dropped.
func (a *fixed128) add(x float64) {
	if x <= 0 {
		return
	}
	b := math.Float64bits(x)
	exp := int(b >> 52 & 0x7ff)
	mant := b & (1<<52 - 1)
	if exp == 0 {
		exp = 1 // subnormal
	} else {
		mant |= 1 << 52
	}
	// x = mant·2^(exp−1075), so x·2⁶⁴ = mant·2^(exp−1011)
	var hi, lo uint64
	switch sh := exp - 1011; {
	case sh < 0:
		lo = mant >> uint(-sh)
	case sh < 64:
		lo, hi = mant<<uint(sh), mant>>uint(64-sh)
	default:
		hi = mant << uint(sh-64)
	}
	var c uint64
	a.lo, c = bits.Add64(a.lo, lo, 0)
	a.hi += hi + c
}

func (a *fixed128) addFixed(b fixed128) {
	var c uint64
	a.lo, c = bits.Add64(a.lo, b.lo, 0)
	a.hi += b.hi + c
}

func (a fixed128) float() float64 { return float64(a.hi) + math.Ldexp(float64(a.lo), -64) }

// ReachBitsetMaxBytes bounds the memory of reach's per-project balls;
// above it reach searches from every actor instead (exact, but at L far
// slower).
const ReachBitsetMaxBytes = 1 << 30

// reach is, per actor, the share of the other actors within two steps of
// it on the collaboration graph ((|ball of radius 2| − 1)/(n − 1); 0
// when n < 2).
//
// The ball of radius 2 of u is the union, over u's projects P, of P's
// ball R(P) = ∪_{w∈P} N[w] (N[w]: w and its collaborators), and of N[w]
// for u's direct links w. So R(P) is computed once per project, as a
// bitset, and each actor ORs its projects' balls and its direct links'
// neighbourhoods into one bitset and counts it: per actor a few thousand
// words instead of its collaborators' collaborators. A project larger than
// a bitset's words is ORed as its members' bitset; an actor whose
// neighbourhood is dearer to list than a bitset (many direct links, big
// projects) and that is someone's direct link keeps its own N[w] bitset.
func reach(ctx context.Context, g *collabGraph) ([]float64, error) {
	n := len(g.actors)
	if n < 2 {
		return make([]float64, n), nil
	}
	words := (n + 63) / 64
	np := len(g.partOff) - 1
	if float64(np)*float64(words)*8 > ReachBitsetMaxBytes {
		return reachSearch(ctx, g)
	}
	return reachBitsets(ctx, g)
}

type bitset []uint64

func (b bitset) set(i int32)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) or(c bitset) {
	for k, w := range c {
		b[k] |= w
	}
}
func (b bitset) count() int {
	c := 0
	for _, w := range b {
		c += bits.OnesCount64(w)
	}
	return c
}

func reachBitsets(ctx context.Context, g *collabGraph) ([]float64, error) {
	n := len(g.actors)
	words := (n + 63) / 64
	np := len(g.partOff) - 1
	size := func(p int32) int { return int(g.partOff[p+1] - g.partOff[p]) }
	// The members of each project larger than a bitset's words.
	members := make([]bitset, np)
	for p := range int32(np) {
		if size(p) > words {
			b := make(bitset, words)
			for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
				b.set(w)
			}
			members[p] = b
		}
	}
	// cost[w] is the price of listing N[w] entry by entry.
	cost := func(w int32) int {
		c := int(g.dirOff[w+1] - g.dirOff[w])
		for _, p := range g.actProj[g.actOff[w]:g.actOff[w+1]] {
			c += min(size(p), words)
		}
		return c
	}
	// addNeighbourhood ORs N[w] into b (each project once per tag).
	addNeighbourhood := func(b bitset, w int32, seen []int32, tag int32) {
		b.set(w)
		for _, x := range g.dirAct[g.dirOff[w]:g.dirOff[w+1]] {
			b.set(x)
		}
		for _, p := range g.actProj[g.actOff[w]:g.actOff[w+1]] {
			if seen[p] == tag {
				continue
			}
			seen[p] = tag
			if members[p] != nil {
				b.or(members[p])
				continue
			}
			for _, x := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
				b.set(x)
			}
		}
	}
	// N[w] of the dear actors that are the direct link of many, the
	// dearest first (what they save: links × listing), within the memory
	// the projects' balls leave.
	own := make([]bitset, n)
	var dear []int32
	saving := func(w int32) int { return int(g.dirOff[w+1]-g.dirOff[w]) * cost(w) }
	for w := range int32(n) {
		if g.dirOff[w+1]-g.dirOff[w] >= 32 && cost(w) > 2*words {
			dear = append(dear, w)
		}
	}
	slices.SortFunc(dear, func(x, y int32) int { return cmp.Or(cmp.Compare(saving(y), saving(x)), cmp.Compare(x, y)) })
	dear = dear[:min(len(dear), max(0, ReachBitsetMaxBytes/(8*words)-np))]
	balls := make([]bitset, np)
	err := parallelBlocks(ctx, len(dear), func() func(lo, hi int) {
		seen := make([]int32, np)
		return func(lo, hi int) {
			for k := lo; k < hi; k++ {
				w := dear[k]
				b := make(bitset, words)
				addNeighbourhood(b, w, seen, int32(k+1))
				own[w] = b
			}
		}
	})
	if err != nil {
		return nil, err
	}
	err = parallelBlocks(ctx, np, func() func(lo, hi int) {
		seen := make([]int32, np)
		return func(lo, hi int) {
			for p := lo; p < hi; p++ {
				b := make(bitset, words)
				for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
					addNeighbourhood(b, w, seen, int32(p+1))
				}
				balls[p] = b
			}
		}
	})
	if err != nil {
		return nil, err
	}
	out := make([]float64, n)
	err = parallelBlocks(ctx, n, func() func(lo, hi int) {
		seen := make([]int32, np)
		b := make(bitset, words)
		stamp := int32(0)
		return func(lo, hi int) {
			for u := lo; u < hi; u++ {
				clear(b)
				b.set(int32(u))
				for _, p := range g.actProj[g.actOff[u]:g.actOff[u+1]] {
					b.or(balls[p])
				}
				for _, w := range g.dirAct[g.dirOff[u]:g.dirOff[u+1]] {
					if own[w] != nil {
						b.or(own[w])
						continue
					}
					stamp--
					addNeighbourhood(b, w, seen, stamp)
				}
				out[u] = float64(b.count()-1) / float64(n-1)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// reachSearch is reach by a two-level search from every actor over the
// actor–project structure with per-worker visit stamps, each project
// expanded once per actor: exact in little memory, but it reads the
// collaborators' collaborators.
func reachSearch(ctx context.Context, g *collabGraph) ([]float64, error) {
	n := len(g.actors)
	out := make([]float64, n)
	if n < 2 {
		return out, nil
	}
	err := parallelBlocks(ctx, n, func() func(lo, hi int) {
		seen := make([]int32, n)
		pSeen := make([]int32, len(g.partOff)-1)
		var level []int32
		return func(lo, hi int) {
			for u := lo; u < hi; u++ {
				tag := int32(u + 1)
				seen[u] = tag
				count := 0
				level = level[:0]
				expand := func(v int32, keep bool) {
					visit := func(j int32) {
						if seen[j] != tag {
							seen[j] = tag
							count++
							if keep {
								level = append(level, j)
							}
						}
					}
					for _, j := range g.dirAct[g.dirOff[v]:g.dirOff[v+1]] {
						visit(j)
					}
					for _, p := range g.actProj[g.actOff[v]:g.actOff[v+1]] {
						if pSeen[p] == tag {
							continue
						}
						pSeen[p] = tag
						for _, j := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
							visit(j)
						}
					}
				}
				expand(int32(u), true)
				for k := 0; k < len(level); k++ {
					expand(level[k], false)
				}
				out[u] = float64(count) / float64(n-1)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
