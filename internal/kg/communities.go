package kg

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
)

const (
	DefaultCommunityResolution = 1.0
	MaxCommunityResolution     = 100.0
	DefaultCommunitySeed       = 1
	// LouvainThreshold is the modularity gain below which Louvain stops
	// adding levels (NetworkX's default), and below which a pass of local
	// moves ends its level.
	LouvainThreshold = 1e-7
)

// CommunityQuery asks for the Louvain communities of a collaboration graph.
type CommunityQuery struct {
	Scope      Scope
	Resolution float64 // (0, MaxCommunityResolution]
	Seed       int64   // ≥ 0
	AsOf       Date    // only the ties active then (asof.go); "" every tie
}

// Communities is a Louvain partition of the collaboration graph.
type Communities struct {
	Scope       Scope
	Resolution  float64
	Seed        int
	Modularity  float64
	ActorCount  int
	Version     uint64
	Communities []Community // size desc, then first member id
}

// Community is one part of the partition.
type Community struct {
	Members         []string // ids, sorted
	Size            int
	DominantSector  *Sector
	DominantCountry *string
}

// communityKey names one partition of one collaboration graph.
type communityKey struct {
	resolution float64
	seed       int64
}

// communityCells holds the partitions of one graph, per resolution and seed.
type communityCells struct {
	mu    sync.Mutex
	cells map[communityKey]*cell[*Communities]
}

func (c *communityCells) of(k communityKey) *cell[*Communities] {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cells == nil {
		c.cells = map[communityKey]*cell[*Communities]{}
	}
	x := c.cells[k]
	if x == nil {
		x = &cell[*Communities]{}
		c.cells[k] = x
	}
	return x
}

// Communities partitions the collaboration graph of the scope by the
// Louvain method (DESIGN.md §2.1): levels of local moves, each actor (then
// each community of the level below) moved to the neighbouring community
// of the largest modularity gain at the resolution, visited in an order
// shuffled with the seed, in passes until one moves none or gains less than
// LouvainThreshold, and levels until one gains less than that.
// The same graph, resolution and seed always give the same partition. It
// is computed once per graph version, resolution and seed.
func (a *Analytics) Communities(ctx context.Context, q CommunityQuery) (Communities, error) {
	if _, err := parseAsOf(q.AsOf); err != nil {
		return Communities{}, err
	}
	if !(q.Resolution > 0 && q.Resolution <= MaxCommunityResolution) {
		return Communities{}, Invalid("resolution", "%v is outside (0, %v]", q.Resolution, MaxCommunityResolution)
	}
	if q.Seed < 0 || q.Seed > math.MaxInt32 {
		return Communities{}, Invalid("seed", "%d is outside 0–%d", q.Seed, math.MaxInt32)
	}
	key, err := graphKey(q.Scope, nil)
	if err != nil {
		return Communities{}, err
	}
	w, day, err := a.wholeAt(ctx, q.AsOf)
	if err != nil {
		return Communities{}, err
	}
	key.day = day
	cells := w.of(key)
	c := cells.communities.of(communityKey{q.Resolution, q.Seed})
	r, err := c.getDetached(ctx, cells.ctx, WholeGraphComputeLimit, func(cctx context.Context) (*Communities, error) {
		g := a.collab(w, key) // here, so that a request past its deadline answers while it is built
		comm, mod, err := louvain(cctx, g, q.Resolution, q.Seed)
		if err != nil {
			return nil, err
		}
		res := describeCommunities(g, comm)
		res.Scope, res.Resolution, res.Seed, res.Modularity, res.ActorCount, res.Version = key.scope, q.Resolution, int(q.Seed), mod, len(g.actors), w.version
		return res, nil
	})
	if err != nil {
		return Communities{}, err
	}
	out := *r
	out.Communities = slices.Clone(r.Communities)
	return out, nil
}

// describeCommunities lists the parts of comm with their members and
// dominant sector and country.
func describeCommunities(g *collabGraph, comm []int32) *Communities {
	parts := map[int32][]int32{}
	for i, c := range comm {
		parts[c] = append(parts[c], int32(i))
	}
	res := &Communities{}
	for _, ms := range parts {
		c := Community{Size: len(ms)}
		sectors, countries := map[string]int{}, map[string]int{}
		for _, i := range ms { // actors are numbered in id order
			ac := g.actors[i]
			c.Members = append(c.Members, ac.ID)
			if ac.Sector != "" {
				sectors[string(ac.Sector)]++
			}
			if ac.Country != "" {
				countries[ac.Country]++
			}
		}
		if s, ok := dominant(sectors); ok {
			sec := Sector(s)
			c.DominantSector = &sec
		}
		if s, ok := dominant(countries); ok {
			c.DominantCountry = &s
		}
		res.Communities = append(res.Communities, c)
	}
	slices.SortFunc(res.Communities, func(x, y Community) int {
		if c := cmp.Compare(y.Size, x.Size); c != 0 {
			return c
		}
		return cmp.Compare(x.Members[0], y.Members[0])
	})
	return res
}

// dominant is the key of the highest count, ties to the smallest key.
func dominant(m map[string]int) (string, bool) {
	best, n := "", 0
	for k, c := range m {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	return best, n > 0
}

// wgraph is a weighted graph of communities: node i's neighbours
// adj[off[i]:off[i+1]] with weights wt, its self-loop weight self[i]
// (the edges inside it) and its degree k[i] (self-loops counted twice).
type wgraph struct {
	off, adj []int32
	wt       []float64
	self, k  []float64
}

// louvain returns each actor's community and the partition's modularity.
// The first level moves actors on the collaboration graph without
// expanding projects (an actor's weight to each community counted through
// its direct links, its projects and the pairs joined more than once); the
// levels above work on the aggregated weighted graph.
func louvain(ctx context.Context, g *collabGraph, gamma float64, seed int64) ([]int32, float64, error) {
	n := len(g.actors)
	comm := make([]int32, n)
	for i := range comm {
		comm[i] = int32(i)
	}
	m := float64(g.edges)
	if n == 0 || m == 0 {
		return comm, 0, nil
	}
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(seed)))

	// Level 0 on the collaboration graph itself.
	k := make([]float64, n)
	tot := make([]float64, n)
	for i, d := range g.degree {
		k[i], tot[i] = float64(d), float64(d)
	}
	improved, err := moveLevel0(ctx, g, comm, k, tot, m, gamma, rng)
	if err != nil {
		return nil, 0, err
	}
	if !improved {
		return comm, modularityOf(aggregate0(g, comm), m, gamma), nil
	}
	comm = renumberComm(comm)
	wg := aggregate0(g, comm)
	q := modularityOf(wg, m, gamma)
	// Levels above, while they gain.
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, timeoutErr(err)
		}
		up, moved := moveLevel(wg, m, gamma, rng)
		if !moved {
			break
		}
		up = renumberComm(up)
		next := aggregate(wg, up)
		nq := modularityOf(next, m, gamma)
		if nq-q <= LouvainThreshold {
			break
		}
		for i := range comm {
			comm[i] = up[comm[i]]
		}
		wg, q = next, nq
	}
	return comm, q, nil
}

// bigProject is the size above which a project's participants are read
// through its count of members per community (commCounts) rather than one
// by one.
const bigProject = 16

// markProject is the largest project whose participants a move marks for
// the next pass of local moves (moveLevel0): the members of bigger ones,
// whose counts per community change by one in thousands, wait for the
// pass of every actor that ends the level.
const markProject = 4096

// moveLevel0 runs local moves of actors on the collaboration graph until a
// pass moves none or gains less than LouvainThreshold (the rule of Blondel
// et al.'s own implementation; NetworkX goes on while any moves), and says
// whether any moved. An actor's weight to a community
// is the number of its collaborators there (the unweighted expanded graph):
// through its direct links, plus through each project the project's members
// in the community (not itself), less the surplus of the pairs joined more
// than once. The gain of joining a community of one collaborator j is
// 1 − γ·k_i·k_j/2m whatever the route, so of those only the one of the
// smallest degree (then index) is a candidate.
//
// A big project's members are not read one by one: the project keeps its
// count of members per community of two or more, updated on every move, and
// its members in order of degree with a pointer before which none is alone,
// so that reading it costs the number of such communities among its members
// (few once actors gather) and finding its alone member of smallest degree
// a step or two.
func moveLevel0(ctx context.Context, g *collabGraph, comm []int32, k, tot []float64, m, gamma float64, rng *rand.Rand) (bool, error) {
	n := len(comm)
	nproj := len(g.partOff) - 1
	big := make([]int32, nproj)
	var bps []bigProj
	for p := range nproj {
		ms := g.partAct[g.partOff[p]:g.partOff[p+1]]
		if len(ms) <= bigProject {
			big[p] = -1
			continue
		}
		big[p] = int32(len(bps))
		byDeg := slices.Clone(ms)
		slices.SortFunc(byDeg, func(x, y int32) int {
			if c := cmp.Compare(g.degree[x], g.degree[y]); c != 0 {
				return c
			}
			return cmp.Compare(x, y)
		})
		bps = append(bps, bigProj{byDeg: byDeg})
	}
	// pos[x]: the place of actor i in the order of its x-th project
	// (actProj[x]) when that is big.
	pos := make([]int32, len(g.actProj))
	for p, b := range big {
		if b < 0 {
			continue
		}
		for x, j := range bps[b].byDeg {
			for y := g.actOff[j]; y < g.actOff[j+1]; y++ {
				if g.actProj[y] == int32(p) {
					pos[y] = int32(x)
					break
				}
			}
		}
	}
	size := make([]int32, n) // members per community
	sum := make([]int64, n)  // the sum of their indices: the member of a community of one
	for i := range n {
		size[comm[i]]++
		sum[comm[i]] += int64(i)
	}
	// less orders the candidates of one collaborator: degree, then index.
	less := func(a, b int32) bool { return g.degree[a] < g.degree[b] || g.degree[a] == g.degree[b] && a < b }
	wc := make([]float64, n)
	var touched []int32
	order := rng.Perm(n)
	improved := false
	// Passes after the first visit only the actors whose collaborators
	// moved since their last visit (through direct links and projects of
	// at most markProject participants): the others would mostly stay. A
	// pass of all actors ends the level (see the loop's end), so it still
	// ends where no actor gains by moving.
	stale := make([]bool, n)
	for i := range stale {
		stale[i] = true
	}
	full := true
	for {
		moved, passGain := 0, 0.0
		for c, i := range order {
			if c%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return false, timeoutErr(err)
				}
			}
			if !stale[i] {
				continue
			}
			stale[i] = false
			if k[i] == 0 {
				continue
			}
			own := comm[i]
			touched = touched[:0]
			alone := int32(-1) // the best collaborator alone in its community
			add := func(j int32, x float64) {
				c := comm[j]
				if size[c] == 1 {
					if alone < 0 || less(j, alone) {
						alone = j
					}
					return
				}
				if wc[c] == 0 {
					touched = append(touched, c)
				}
				wc[c] += x
			}
			for _, j := range g.dirAct[g.dirOff[i]:g.dirOff[i+1]] {
				add(j, 1)
			}
			self := 0.0 // i itself, counted in its big projects
			for _, p := range g.actProj[g.actOff[i]:g.actOff[i+1]] {
				if b := big[p]; b >= 0 {
					bp := &bps[b]
					for _, e := range bp.cc.ents {
						if e.n > 0 {
							if wc[e.c] == 0 {
								touched = append(touched, e.c)
							}
							wc[e.c] += float64(e.n)
						}
					}
					if size[own] > 1 {
						self++
					}
					if j := bp.firstAlone(int32(i), comm, size); j >= 0 && (alone < 0 || less(j, alone)) {
						alone = j
					}
					continue
				}
				for _, j := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
					if j != int32(i) {
						add(j, 1)
					}
				}
			}
			wc[own] -= self
			for x := g.multiOff[i]; x < g.multiOff[i+1]; x++ {
				if c := comm[g.multiAct[x]]; size[c] > 1 {
					wc[c] -= float64(g.multiExtra[x])
				}
			}
			g.eachImplicit(int32(i), func(w, extra int32) {
				if c := comm[w]; size[c] > 1 {
					wc[c] -= float64(extra)
				}
			})
			best, up := bestMove(int32(i), comm, wc, touched, tot, k[i], m, gamma)
			if alone >= 0 {
				// joining alone's community rather than staying
				c := comm[alone]
				if x := 1 - gamma*tot[c]*k[i]/(2*m) - (wc[own] - gamma*(tot[own]-k[i])*k[i]/(2*m)); x > up+1e-12 {
					best, up = c, x
				}
			}
			if best != own {
				passGain += up / m
				tot[own] -= k[i]
				tot[best] += k[i]
				comm[i] = best
				moved++
				leaving := size[own] > 1
				size[own]--
				sum[own] -= int64(i)
				size[best]++
				sum[best] += int64(i)
				for _, p := range g.actProj[g.actOff[i]:g.actOff[i+1]] {
					if b := big[p]; b >= 0 && leaving {
						bps[b].cc.dec(own)
					}
				}
				if size[own] == 1 { // its last member is now alone
					l := int32(sum[own])
					for x := g.actOff[l]; x < g.actOff[l+1]; x++ {
						if b := big[g.actProj[x]]; b >= 0 {
							bps[b].cc.dec(own)
							bps[b].ptr = min(bps[b].ptr, pos[x])
						}
					}
				}
				if size[best] == 2 { // the collaborator it joined is no longer alone
					j := int32(sum[best] - int64(i))
					for x := g.actOff[j]; x < g.actOff[j+1]; x++ {
						if b := big[g.actProj[x]]; b >= 0 {
							bps[b].cc.inc(best)
						}
					}
				}
				for _, p := range g.actProj[g.actOff[i]:g.actOff[i+1]] {
					if b := big[p]; b >= 0 {
						bps[b].cc.inc(best)
					}
				}
				// Its collaborators outside best see one more there and
				// one less in own.
				for _, j := range g.dirAct[g.dirOff[i]:g.dirOff[i+1]] {
					stale[j] = stale[j] || comm[j] != best
				}
				for _, p := range g.actProj[g.actOff[i]:g.actOff[i+1]] {
					if ms := g.partAct[g.partOff[p]:g.partOff[p+1]]; len(ms) <= markProject {
						for _, j := range ms {
							stale[j] = stale[j] || comm[j] != best
						}
					}
				}
			}
			for _, c := range touched {
				wc[c] = 0
			}
		}
		if moved > 0 {
			improved = true
		}
		if moved == 0 || passGain < LouvainThreshold {
			if full {
				break
			}
			// A last pass of every actor: the level ends on it, or goes
			// on if it still gains.
			for i := range stale {
				stale[i] = true
			}
			full = true
			continue
		}
		full = false
	}
	return improved, nil
}

// bigProj is what moveLevel0 keeps of a big project: its members per
// community of two or more, and its members in order of degree (then
// index), none of byDeg[:ptr] alone in its community.
type bigProj struct {
	cc    commCounts
	byDeg []int32
	ptr   int32
}

// firstAlone is the first member in the order, other than i, alone in its
// community; -1 if none.
func (bp *bigProj) firstAlone(i int32, comm, size []int32) int32 {
	for int(bp.ptr) < len(bp.byDeg) && size[comm[bp.byDeg[bp.ptr]]] > 1 {
		bp.ptr++
	}
	for _, j := range bp.byDeg[bp.ptr:] {
		if j != i && size[comm[j]] == 1 {
			return j
		}
	}
	return -1
}

// commCounts is a project's count of members per community: the entries
// (some of count 0, dropped when they are half), and an open-addressing
// table from community to entry index + 1.
type commCounts struct {
	ents  []commCount
	table []int32
	zeros int
}

type commCount struct{ c, n int32 }

func (cc *commCounts) slot(c int32) int {
	mask := len(cc.table) - 1
	h := int(uint32(c)*0x9E3779B1) & mask
	for {
		x := cc.table[h]
		if x == 0 || cc.ents[x-1].c == c {
			return h
		}
		h = (h + 1) & mask
	}
}

// rebuild drops the entries of count 0 and sizes the table for twice the
// rest.
func (cc *commCounts) rebuild() {
	live := cc.ents[:0]
	for _, e := range cc.ents {
		if e.n > 0 {
			live = append(live, e)
		}
	}
	cc.ents, cc.zeros = live, 0
	size := 16
	for size < 4*len(live) {
		size *= 2
	}
	cc.table = make([]int32, size)
	for x, e := range live {
		cc.table[cc.slot(e.c)] = int32(x + 1)
	}
}

func (cc *commCounts) inc(c int32) {
	if 2*(len(cc.ents)+1) > len(cc.table) {
		cc.rebuild()
	}
	h := cc.slot(c)
	if x := cc.table[h]; x != 0 {
		if cc.ents[x-1].n == 0 {
			cc.zeros--
		}
		cc.ents[x-1].n++
		return
	}
	cc.ents = append(cc.ents, commCount{c, 1})
	cc.table[h] = int32(len(cc.ents))
}

func (cc *commCounts) dec(c int32) {
	x := cc.table[cc.slot(c)]
	cc.ents[x-1].n--
	if cc.ents[x-1].n == 0 {
		cc.zeros++
		if cc.zeros > 8 && 2*cc.zeros > len(cc.ents) {
			cc.rebuild()
		}
	}
}

// bestMove is the community of the largest gain for node i (its own,
// unless another gains strictly more) and m times the modularity the move
// gains: wc[c] its weight to community c, tot[c] the degrees in c.
func bestMove(i int32, comm []int32, wc []float64, touched []int32, tot []float64, ki, m, gamma float64) (int32, float64) {
	own := comm[i]
	base := wc[own] - gamma*(tot[own]-ki)*ki/(2*m)
	best, bestGain := own, base
	for _, c := range touched {
		if c == own {
			continue
		}
		if gain := wc[c] - gamma*tot[c]*ki/(2*m); gain > bestGain+1e-12 {
			best, bestGain = c, gain
		}
	}
	return best, bestGain - base
}

// moveLevel runs local moves on wg until a pass moves none or gains less
// than LouvainThreshold, and returns each node's community and whether any
// moved.
func moveLevel(wg *wgraph, m, gamma float64, rng *rand.Rand) ([]int32, bool) {
	n := len(wg.k)
	comm := make([]int32, n)
	tot := make([]float64, n)
	for i := range comm {
		comm[i] = int32(i)
		tot[i] = wg.k[i]
	}
	wc := make([]float64, n)
	var touched []int32
	order := rng.Perm(n)
	any := false
	for {
		moved, passGain := 0, 0.0
		for _, i := range order {
			touched = touched[:0]
			for x := wg.off[i]; x < wg.off[i+1]; x++ {
				c := comm[wg.adj[x]]
				if wc[c] == 0 {
					touched = append(touched, c)
				}
				wc[c] += wg.wt[x]
			}
			if best, up := bestMove(int32(i), comm, wc, touched, tot, wg.k[i], m, gamma); best != comm[i] {
				passGain += up / m
				tot[comm[i]] -= wg.k[i]
				tot[best] += wg.k[i]
				comm[i] = best
				moved++
			}
			for _, c := range touched {
				wc[c] = 0
			}
		}
		if moved > 0 {
			any = true
		}
		if moved == 0 || passGain < LouvainThreshold {
			break
		}
	}
	return comm, any
}

// renumberComm numbers communities 0.. in order of first appearance.
func renumberComm(comm []int32) []int32 {
	num := map[int32]int32{}
	out := make([]int32, len(comm))
	for i, c := range comm {
		x, ok := num[c]
		if !ok {
			x = int32(len(num))
			num[c] = x
		}
		out[i] = x
	}
	return out
}

// aggregate0 is the weighted graph of comm's communities on the
// collaboration graph: per project the pairs between (and inside) the
// communities of its participants, the direct links, less the surplus of
// the pairs joined more than once.
func aggregate0(g *collabGraph, comm []int32) *wgraph {
	nc := int32(0)
	for _, c := range comm {
		nc = max(nc, c+1)
	}
	w := map[[2]int32]float64{}
	add := func(a, b int32, x float64) {
		if a > b {
			a, b = b, a
		}
		w[[2]int32{a, b}] += x
	}
	cnt := map[int32]float64{}
	for p := range len(g.partOff) - 1 {
		clear(cnt)
		for _, j := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
			cnt[comm[j]]++
		}
		cs := make([]int32, 0, len(cnt))
		for c := range cnt {
			cs = append(cs, c)
		}
		slices.Sort(cs)
		for x, a := range cs {
			add(a, a, cnt[a]*(cnt[a]-1)/2)
			for _, b := range cs[x+1:] {
				add(a, b, cnt[a]*cnt[b])
			}
		}
	}
	for i := range int32(len(comm)) {
		for _, j := range g.dirAct[g.dirOff[i]:g.dirOff[i+1]] {
			if i < j {
				add(comm[i], comm[j], 1)
			}
		}
		for x := g.multiOff[i]; x < g.multiOff[i+1]; x++ {
			if j := g.multiAct[x]; i < j {
				add(comm[i], comm[j], -float64(g.multiExtra[x]))
			}
		}
	}
	// The pairs joined by shared flagships alone, class by class: per
	// class its actors per community, so that each two classes sharing k
	// flagships take k − 1 off each pair of communities per pair of their
	// actors.
	f := g.flagships()
	type commCount struct {
		c int32
		n float64
	}
	byClass := make([][]commCount, len(f.classMask))
	for c := range byClass {
		clear(cnt)
		for _, j := range f.class(int32(c)) {
			cnt[comm[j]]++
		}
		for x, k := range cnt {
			byClass[c] = append(byClass[c], commCount{x, k})
		}
		slices.SortFunc(byClass[c], func(a, b commCount) int { return cmp.Compare(a.c, b.c) })
	}
	for c := range int32(len(byClass)) {
		for _, t := range f.ties(c) {
			switch e := float64(t.extra); {
			case t.class > c:
				for _, a := range byClass[c] {
					for _, b := range byClass[t.class] {
						add(a.c, b.c, -e*a.n*b.n)
					}
				}
			case t.class == c:
				for x, a := range byClass[c] {
					add(a.c, a.c, -e*a.n*(a.n-1)/2)
					for _, b := range byClass[c][x+1:] {
						add(a.c, b.c, -e*a.n*b.n)
					}
				}
			}
		}
	}
	return buildW(nc, w)
}

// aggregate is the weighted graph of up's communities of wg's nodes.
func aggregate(wg *wgraph, up []int32) *wgraph {
	nc := int32(0)
	for _, c := range up {
		nc = max(nc, c+1)
	}
	w := map[[2]int32]float64{}
	for i := range int32(len(up)) {
		a := up[i]
		w[[2]int32{a, a}] += wg.self[i]
		for x := wg.off[i]; x < wg.off[i+1]; x++ {
			j := wg.adj[x]
			if i < j {
				b := up[j]
				if a > b {
					w[[2]int32{b, a}] += wg.wt[x]
				} else {
					w[[2]int32{a, b}] += wg.wt[x]
				}
			}
		}
	}
	return buildW(nc, w)
}

func buildW(nc int32, w map[[2]int32]float64) *wgraph {
	keys := make([][2]int32, 0, len(w))
	for key, x := range w {
		if x != 0 {
			keys = append(keys, key)
		}
	}
	slices.SortFunc(keys, func(a, b [2]int32) int {
		if c := cmp.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return cmp.Compare(a[1], b[1])
	})
	out := &wgraph{off: make([]int32, nc+1), self: make([]float64, nc), k: make([]float64, nc)}
	deg := make([]int32, nc+1)
	for _, key := range keys {
		if key[0] == key[1] {
			out.self[key[0]] = w[key]
			out.k[key[0]] += 2 * w[key]
			continue
		}
		deg[key[0]+1]++
		deg[key[1]+1]++
		out.k[key[0]] += w[key]
		out.k[key[1]] += w[key]
	}
	for i := range nc {
		out.off[i+1] = out.off[i] + deg[i+1]
	}
	out.adj = make([]int32, out.off[nc])
	out.wt = make([]float64, out.off[nc])
	fill := slices.Clone(out.off[:nc])
	for _, key := range keys {
		if key[0] == key[1] {
			continue
		}
		a, b, x := key[0], key[1], w[key]
		out.adj[fill[a]], out.wt[fill[a]] = b, x
		fill[a]++
		out.adj[fill[b]], out.wt[fill[b]] = a, x
		fill[b]++
	}
	return out
}

// modularityOf is NetworkX's modularity of the partition whose
// communities are wg's nodes: Σ_c L_c/m − γ (d_c/2m)².
func modularityOf(wg *wgraph, m, gamma float64) float64 {
	q := 0.0
	for c := range wg.k {
		q += wg.self[c]/m - gamma*(wg.k[c]/(2*m))*(wg.k[c]/(2*m))
	}
	return q
}
