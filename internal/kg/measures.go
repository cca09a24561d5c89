package kg

import (
	"cmp"
	"context"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
)

// Measure is a centrality or brokerage measure of the collaboration graph
// (DESIGN.md §2.1, Measures).
type Measure string

const (
	MeasureDegree        Measure = "DEGREE"
	MeasureCloseness     Measure = "CLOSENESS"
	MeasureBetweenness   Measure = "BETWEENNESS"
	MeasurePageRank      Measure = "PAGERANK"
	MeasureEigenvector   Measure = "EIGENVECTOR"
	MeasureConstraint    Measure = "CONSTRAINT"
	MeasureEffectiveSize Measure = "EFFECTIVE_SIZE"
	MeasureReach         Measure = "REACH"
)

// Measures lists the measures in the order of the schema's enum.
var Measures = []Measure{MeasureDegree, MeasureCloseness, MeasureBetweenness, MeasurePageRank,
	MeasureEigenvector, MeasureConstraint, MeasureEffectiveSize, MeasureReach}

func (m Measure) Valid() bool { return oneOf(m, Measures) }

func (m Measure) index() int { return slices.Index(Measures, m) }

const (
	DefaultMeasuresFirst = 10
	MaxMeasuresFirst     = 100

	// PageRank as NetworkX's pagerank defaults it, with the tolerance of
	// DESIGN.md §2.1.
	PageRankAlpha     = 0.85
	PageRankTolerance = 1e-10
	PageRankMaxIter   = 1000 // NetworkX's default 100 does not reach 1e-10
)

// MeasureQuery asks for the actors ranked by one measure.
type MeasureQuery struct {
	By    Measure
	First int         // 1..MaxMeasuresFirst
	Scope Scope       // "" is ALL
	Kinds []ActorKind // the graph keeps only these kinds (all when empty)
	AsOf  Date        // only the ties active then (asof.go); "" every tie
}

// MeasureRanking is one measure of one collaboration graph, ranked.
type MeasureRanking struct {
	Measure    Measure
	Scope      Scope
	Exact      bool // false: estimated from Samples source actors (closeness, betweenness above ExactBetweennessMaxActors)
	Samples    int
	ActorCount int
	Version    uint64
	Rows       []MeasureRow
}

// MeasureRow is an actor's value of the measure and its rank: 1 + the
// number of actors ranked strictly before it by value (actors of equal
// value share a rank). Value is nil where the measure is undefined
// (NetworkX's NaN: constraint and effective size of an actor without
// collaborators); those rank last.
type MeasureRow struct {
	ActorID string
	Value   *float64
	Rank    int
	Exact   bool
	Samples int
}

// measureResult is one measure of one graph, by dense actor index, with
// the actors in ranking order.
type measureResult struct {
	values  []float64 // NaN: undefined
	exact   bool
	samples int
	order   []int32 // actor indices, best first
	rank    []int32 // by position in order
}

// Measures ranks the actors of the collaboration graph (scope and kinds
// as for brokers, DESIGN.md §2.1) by q.By, each value as NetworkX 3
// computes it on that graph: see the README for the exact definitions
// and for when closeness and betweenness are estimates. A measure is
// computed once per graph version; a request whose deadline passes first
// answers ErrTimeout while the computation goes on for the next request.
func (a *Analytics) Measures(ctx context.Context, q MeasureQuery) (MeasureRanking, error) {
	if _, err := parseAsOf(q.AsOf); err != nil {
		return MeasureRanking{}, err
	}
	if !q.By.Valid() {
		return MeasureRanking{}, Invalid("by", "%q is not a measure", clip(string(q.By)))
	}
	if q.First < 1 || q.First > MaxMeasuresFirst {
		return MeasureRanking{}, Invalid("first", "%d is outside 1–%d", q.First, MaxMeasuresFirst)
	}
	key, err := graphKey(q.Scope, q.Kinds)
	if err != nil {
		return MeasureRanking{}, err
	}
	w, day, err := a.wholeAt(ctx, q.AsOf)
	if err != nil {
		return MeasureRanking{}, err
	}
	key.day = day
	if q.By == MeasureConstraint || q.By == MeasureEffectiveSize || q.By == MeasureReach {
		// Refused at once rather than left to run past every deadline on
		// both cores for the compute limit and give nothing.
		if work := a.collabRows(w, key).pairWork; work > structuralMaxPairWork {
			return MeasureRanking{}, Invalid("by", "%s on this graph would read about %.1e collaborator pairs, more than the %.0e it is computed for; ask for fewer actors (kinds, scope or asOf) or another measure",
				q.By, float64(work), float64(structuralMaxPairWork))
		}
	}
	cells := w.of(key)
	r, err := cells.measures[q.By.index()].getDetached(ctx, cells.ctx, WholeGraphComputeLimit, func(cctx context.Context) (*measureResult, error) {
		// the graph built here, so that a request past its deadline
		// answers while it is built
		return a.computeMeasure(cctx, w, key, a.collab(w, key), q.By)
	})
	if err != nil {
		return MeasureRanking{}, err
	}
	g := a.collab(w, key) // built by now
	res := MeasureRanking{Measure: q.By, Scope: key.scope, Exact: r.exact, Samples: r.samples, ActorCount: len(g.actors), Version: w.version, Rows: []MeasureRow{}}
	for k, i := range r.order[:min(q.First, len(r.order))] {
		row := MeasureRow{ActorID: g.actors[i].ID, Rank: int(r.rank[k]), Exact: r.exact, Samples: r.samples}
		if v := r.values[i]; !math.IsNaN(v) {
			row.Value = &v
		}
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

// structuralMaxPairWork is StructuralMeasuresMaxPairWork (a variable for
// the tests).
var structuralMaxPairWork = StructuralMeasuresMaxPairWork

// computeMeasure computes measure m of g and ranks it.
func (a *Analytics) computeMeasure(ctx context.Context, w *wholeGraph, key collabKey, g *collabGraph, m Measure) (*measureResult, error) {
	var r *measureResult
	switch m {
	case MeasureDegree:
		vals := make([]float64, len(g.actors))
		for i, d := range g.degree {
			vals[i] = float64(d)
		}
		r = &measureResult{values: vals, exact: true}
	case MeasurePageRank:
		vals, err := pageRank(ctx, g)
		if err != nil {
			return nil, err
		}
		r = &measureResult{values: vals, exact: true}
	case MeasureEigenvector:
		vals, err := eigenvector(ctx, g)
		if err != nil {
			return nil, err
		}
		r = &measureResult{values: vals, exact: true}
	case MeasureBetweenness, MeasureCloseness:
		bc, err := w.of(key).betweenness.getDetached(ctx, w.of(key).ctx, WholeGraphComputeLimit, func(cctx context.Context) (*betweennessResult, error) {
			return betweenness(cctx, g)
		})
		if err != nil {
			return nil, err
		}
		if m == MeasureBetweenness {
			r = &measureResult{values: bc.scores, exact: bc.exact, samples: bc.samples}
		} else {
			vals, err := closeness(ctx, g, bc)
			if err != nil {
				return nil, err
			}
			r = &measureResult{values: vals, exact: bc.exact, samples: bc.samples}
		}
	case MeasureConstraint, MeasureEffectiveSize:
		l, err := w.of(key).local.getDetached(ctx, w.of(key).ctx, WholeGraphComputeLimit, func(cctx context.Context) (*localMeasures, error) {
			return structuralHoles(cctx, g)
		})
		if err != nil {
			return nil, err
		}
		vals := l.effectiveSize
		if m == MeasureConstraint {
			vals = l.constraint
		}
		r = &measureResult{values: vals, exact: true}
	case MeasureReach:
		vals, err := reach(ctx, g)
		if err != nil {
			return nil, err
		}
		r = &measureResult{values: vals, exact: true}
	}
	r.rankBy(g, m == MeasureConstraint)
	return r, nil
}

// rankBy orders the actors by value desc (asc when ascending), then id
// (the actors are numbered in id order), undefined values last, and
// assigns competition ranks.
func (r *measureResult) rankBy(g *collabGraph, ascending bool) {
	n := len(r.values)
	r.order = make([]int32, n)
	for i := range r.order {
		r.order[i] = int32(i)
	}
	v := r.values
	slices.SortFunc(r.order, func(x, y int32) int {
		nx, ny := math.IsNaN(v[x]), math.IsNaN(v[y])
		switch {
		case nx && ny:
			return cmp.Compare(x, y)
		case nx:
			return 1
		case ny:
			return -1
		}
		c := cmp.Compare(v[y], v[x])
		if ascending {
			c = -c
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	r.rank = make([]int32, n)
	for k, i := range r.order {
		if k > 0 {
			p := r.order[k-1]
			if v[p] == v[i] || math.IsNaN(v[p]) && math.IsNaN(v[i]) {
				r.rank[k] = r.rank[k-1]
				continue
			}
		}
		r.rank[k] = int32(k + 1)
	}
}

// adjacency multiplies by the collaboration graph's adjacency matrix
// without expanding its projects: out[v] = Σ over v's collaborators w of
// x[w], as the direct links, each project's sum less v's own share, and
// the pairs joined more than once taken off their surplus. It uses both
// cores, each output summed by one worker in a fixed order, so the same
// input always gives the same output.
type adjacency struct {
	g       *collabGraph
	f       *flagships
	sums    []float64 // per project
	class   []float64 // per flagship class: the sum over its actors
	near    []float64 // per flagship class: what its actors' shared flagships count twice
	workers int
}

func newAdjacency(g *collabGraph) *adjacency {
	f := g.flagships()
	return &adjacency{g: g, f: f, sums: make([]float64, len(g.partOff)-1),
		class: make([]float64, len(f.classMask)), near: make([]float64, len(f.classMask)),
		workers: max(1, min(runtime.GOMAXPROCS(0), len(g.actors)/4096))}
}

// parallel runs fn over [0, n) split into the workers' contiguous ranges.
func parallel(workers, n int, fn func(lo, hi int)) {
	if workers <= 1 || n < 2 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for k := range workers {
		lo, hi := n*k/workers, n*(k+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}

func (a *adjacency) mul(x, out []float64) {
	g := a.g
	parallel(a.workers, len(a.sums), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			t := 0.0
			for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
				t += x[w]
			}
			a.sums[p] = t
		}
	})
	// The pairs joined by shared flagships alone are not listed: an actor
	// of class c takes off, per class d sharing k ≥ 2 of its flagships,
	// (k − 1) times the sum over d (itself, in c, excepted below).
	f := a.f
	for c := range a.class {
		t := 0.0
		for _, w := range f.class(int32(c)) {
			t += x[w]
		}
		a.class[c] = t
	}
	for c := range a.near {
		t := 0.0
		for _, tie := range f.ties(int32(c)) {
			t += float64(tie.extra) * a.class[tie.class]
		}
		a.near[c] = t
	}
	parallel(a.workers, len(g.actors), func(lo, hi int) {
		for v := lo; v < hi; v++ {
			t := 0.0
			for _, w := range g.dirAct[g.dirOff[v]:g.dirOff[v+1]] {
				t += x[w]
			}
			for _, p := range g.actProj[g.actOff[v]:g.actOff[v+1]] {
				t += a.sums[p] - x[v]
			}
			for m := g.multiOff[v]; m < g.multiOff[v+1]; m++ {
				t -= float64(g.multiExtra[m]) * x[g.multiAct[m]]
			}
			if f.classOf != nil {
				if c := f.classOf[v]; c >= 0 {
					t -= a.near[c] - float64(bits.OnesCount64(f.classMask[c])-1)*x[v]
				}
			}
			out[v] = t
		}
	})
}

// pageRank is NetworkX's pagerank (the SciPy power iteration) with alpha
// PageRankAlpha, uniform personalisation and dangling weights, stopping
// when the L1 change is below n·PageRankTolerance, at most PageRankMaxIter
// iterations (NetworkX then raises; this returns the last iterate).
func pageRank(ctx context.Context, g *collabGraph) ([]float64, error) {
	n := len(g.actors)
	if n == 0 {
		return nil, nil
	}
	adj := newAdjacency(g)
	x := make([]float64, n)
	y := make([]float64, n)
	next := make([]float64, n)
	for i := range x {
		x[i] = 1 / float64(n)
	}
	p := 1 / float64(n)
	for range PageRankMaxIter {
		if err := ctx.Err(); err != nil {
			return nil, timeoutErr(err)
		}
		dangling := 0.0
		for i, d := range g.degree {
			if d == 0 {
				dangling += x[i]
				y[i] = 0
			} else {
				y[i] = x[i] / float64(d)
			}
		}
		adj.mul(y, next)
		errSum := 0.0
		for i := range next {
			v := PageRankAlpha*(next[i]+dangling*p) + (1-PageRankAlpha)*p
			errSum += math.Abs(v - x[i])
			next[i] = v
		}
		x, next = next, x
		if errSum < float64(n)*PageRankTolerance {
			break
		}
	}
	return x, nil
}

// eigenvector is the principal eigenvector of the adjacency matrix with
// unit Euclidean norm and a positive sum, as NetworkX's
// eigenvector_centrality_numpy gives it (up to sign), by power iteration
// on A + I (the same eigenvectors; the shift keeps a bipartite component
// from oscillating) until no entry moves by more than 1e-13.
func eigenvector(ctx context.Context, g *collabGraph) ([]float64, error) {
	n := len(g.actors)
	if n == 0 {
		return nil, nil
	}
	adj := newAdjacency(g)
	x := make([]float64, n)
	next := make([]float64, n)
	// Start from the degrees (+1): closer to the answer than a constant.
	for i, d := range g.degree {
		x[i] = float64(d) + 1
	}
	normalise := func(v []float64) {
		s := 0.0
		for _, e := range v {
			s += e * e
		}
		s = math.Sqrt(s)
		if s == 0 {
			return
		}
		for i := range v {
			v[i] /= s
		}
	}
	normalise(x)
	const maxIter = 1_000_000
	for it := range maxIter {
		if it%16 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, timeoutErr(err)
			}
		}
		adj.mul(x, next)
		for i := range next {
			next[i] += x[i]
		}
		normalise(next)
		diff := 0.0
		for i := range next {
			diff = max(diff, math.Abs(next[i]-x[i]))
		}
		x, next = next, x
		if diff < 1e-13 {
			break
		}
	}
	return x, nil
}
