package kg

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
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
// are estimated from BetweennessSamples source actors: with the actors
// sorted by id and numbered 0..n−1, the sources are
// rand.New(rand.NewPCG(BetweennessSeed, BetweennessSeed)).Perm(n)[:BetweennessSamples]
// (math/rand/v2), and the sums are scaled by n/BetweennessSamples. So the
// same graph always gives the same estimate.
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
	w, err := a.whole(ctx)
	if err != nil {
		return BrokerRanking{}, err
	}
	g := a.collab(w, key)
	bc, err := w.of(key).betweenness.getDetached(ctx, w.ctx, WholeGraphComputeLimit, func(cctx context.Context) (*betweennessResult, error) {
		return betweenness(cctx, g)
	})
	if err != nil {
		return BrokerRanking{}, err
	}

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
}

// betweenness runs Brandes' algorithm from every actor, or from the
// documented sample of them, checking ctx every few hundred sources.
func betweenness(ctx context.Context, g *collabGraph) (*betweennessResult, error) {
	n := len(g.actors)
	res := &betweennessResult{scores: make([]float64, n), exact: true}
	sources := make([]int32, 0, n)
	scale := 0.5 // each unordered pair is counted from both ends
	if n > ExactBetweennessMaxActors {
		res.exact, res.samples = false, BetweennessSamples
		rng := rand.New(rand.NewPCG(BetweennessSeed, BetweennessSeed))
		for _, s := range rng.Perm(n)[:BetweennessSamples] {
			sources = append(sources, int32(s))
		}
		slices.Sort(sources)
		scale *= float64(n) / float64(BetweennessSamples)
	} else {
		for s := range n {
			sources = append(sources, int32(s))
		}
	}

	// The sources are split over the cores in a fixed way (source k to
	// worker k mod workers), and the workers' sums are added in worker
	// order, so the same graph always gives the same scores.
	workers := min(runtime.GOMAXPROCS(0), max(1, len(sources)/16))
	parts := make([][]float64, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[wk], errs[wk] = brandes(ctx, g, sources, wk, workers)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, p := range parts {
		for i, x := range p {
			res.scores[i] += x
		}
	}
	for i, s := range res.scores {
		res.scores[i] = roundScore(s * scale)
	}
	return res, nil
}

// brandes runs Brandes' accumulation from sources[k] for every k ≡ wk
// (mod workers) and returns the summed dependencies.
//
// It walks the actor–project structure of collabGraph: a breadth-first
// search expands each project once (at the level L_p of its first
// participant reached; its participants then lie on levels L_p and
// L_p+1). A node's number of shortest paths is the sum over its direct
// collaborators one level up, plus, per project with L_p one level up, the
// project's sum over its participants on L_p, minus the surplus of the
// pairs counted through several reasons. Dependencies flow back the same
// way. So a source costs the actor–project incidences, not the pairs.
func brandes(ctx context.Context, g *collabGraph, sources []int32, wk, workers int) ([]float64, error) {
	n := len(g.actors)
	np := len(g.partOff) - 1
	scores := make([]float64, n)
	dist := make([]int32, n)
	sigma := make([]float64, n) // shortest-path counts; float64 cannot overflow
	delta := make([]float64, n)
	coef := make([]float64, n) // (1 + delta) / sigma
	lp := make([]int32, np)    // a project's level, -1: not reached
	sum := make([]float64, np) // per project: Σσ on L_p, then Σcoef on L_p+1
	for i := range dist {
		dist[i] = -1
	}
	for i := range lp {
		lp[i] = -1
	}
	order := make([]int32, 0, n) // BFS order, level by level
	var levels []int             // order[levels[l]:levels[l+1]] is level l
	var reached []int32          // projects in the order reached (L_p ascending)
	for k := wk; k < len(sources); k += workers {
		if (k/workers)%16 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, timeoutErr(err)
			}
		}
		src := sources[k]
		order = append(order[:0], src)
		reached = reached[:0]
		levels = append(levels[:0], 0)
		dist[src] = 0
		for h := 0; h < len(order); h++ {
			v := order[h]
			dv := dist[v]
			if int(dv) == len(levels) {
				levels = append(levels, h)
			}
			for _, w := range g.dirAct[g.dirOff[v]:g.dirOff[v+1]] {
				if dist[w] < 0 {
					dist[w] = dv + 1
					order = append(order, w)
				}
			}
			for _, p := range g.actProj[g.actOff[v]:g.actOff[v+1]] {
				if lp[p] >= 0 {
					continue
				}
				lp[p] = dv
				reached = append(reached, p)
				for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
					if dist[w] < 0 {
						dist[w] = dv + 1
						order = append(order, w)
					}
				}
			}
		}
		levels = append(levels, len(order))
		depth := len(levels) - 1 // levels 0..depth-1

		// Path counts, level by level.
		sigma[src] = 1
		pi := 0
		for l := 1; l < depth; l++ {
			up := int32(l - 1)
			for ; pi < len(reached) && lp[reached[pi]] == up; pi++ {
				p := reached[pi]
				t := 0.0
				for _, v := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
					if dist[v] == up {
						t += sigma[v]
					}
				}
				sum[p] = t
			}
			for _, w := range order[levels[l]:levels[l+1]] {
				t := 0.0
				for _, v := range g.dirAct[g.dirOff[w]:g.dirOff[w+1]] {
					if dist[v] == up {
						t += sigma[v]
					}
				}
				for _, p := range g.actProj[g.actOff[w]:g.actOff[w+1]] {
					if lp[p] == up {
						t += sum[p]
					}
				}
				for m := g.multiOff[w]; m < g.multiOff[w+1]; m++ {
					if dist[g.multiAct[m]] == up {
						t -= g.multiExtra[m] * sigma[g.multiAct[m]]
					}
				}
				sigma[w] = t
			}
		}

		// Dependencies, from the deepest level back.
		for _, w := range order[levels[depth-1]:levels[depth]] {
			coef[w] = 1 / sigma[w]
		}
		pi = len(reached) - 1
		for l := depth - 2; l >= 0; l-- {
			lv, down := int32(l), int32(l+1)
			for ; pi >= 0 && lp[reached[pi]] > lv; pi-- {
			}
			for q := pi; q >= 0 && lp[reached[q]] == lv; q-- {
				p := reached[q]
				t := 0.0
				for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
					if dist[w] == down {
						t += coef[w]
					}
				}
				sum[p] = t
			}
			for _, v := range order[levels[l]:levels[l+1]] {
				t := 0.0
				for _, w := range g.dirAct[g.dirOff[v]:g.dirOff[v+1]] {
					if dist[w] == down {
						t += coef[w]
					}
				}
				for _, p := range g.actProj[g.actOff[v]:g.actOff[v+1]] {
					if lp[p] == lv {
						t += sum[p]
					}
				}
				for m := g.multiOff[v]; m < g.multiOff[v+1]; m++ {
					if dist[g.multiAct[m]] == down {
						t -= g.multiExtra[m] * coef[g.multiAct[m]]
					}
				}
				delta[v] = sigma[v] * t
				coef[v] = (1 + delta[v]) / sigma[v]
				if v != src {
					scores[v] += delta[v]
				}
			}
		}
		for _, v := range order {
			dist[v], sigma[v], delta[v], coef[v] = -1, 0, 0, 0
		}
		for _, p := range reached {
			lp[p], sum[p] = -1, 0
		}
	}
	return scores, nil
}

// roundScore rounds to 1e-9 where float64 can hold that precision.
func roundScore(x float64) float64 {
	if math.Abs(x) >= 1<<53/1e9 {
		return x
	}
	return math.Round(x*1e9) / 1e9
}
