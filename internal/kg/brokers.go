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
// id. Kinds only filters the answer: betweenness is always computed over
// all actors.
func (a *Analytics) Brokers(ctx context.Context, q BrokerQuery) (BrokerRanking, error) {
	if q.First < 1 || q.First > MaxBrokersFirst {
		return BrokerRanking{}, Invalid("first", "%d is outside 1–%d", q.First, MaxBrokersFirst)
	}
	kinds := map[ActorKind]bool{}
	for _, k := range q.Kinds {
		if !k.Valid() {
			return BrokerRanking{}, Invalid("kinds", "%q is not an actor kind", clip(string(k)))
		}
		kinds[k] = true
	}
	w, err := a.whole(ctx)
	if err != nil {
		return BrokerRanking{}, err
	}
	g := a.collab(w)
	bc, err := w.betweenness.get(ctx, func() (*betweennessResult, error) { return betweenness(ctx, g) })
	if err != nil {
		return BrokerRanking{}, err
	}

	n := len(g.actors)
	res := BrokerRanking{Exact: bc.exact, Samples: bc.samples, ActorCount: n, Version: w.version, Brokers: []Broker{}}
	pairs := float64(n-1) * float64(n-2) / 2
	for i, ac := range g.actors {
		if len(kinds) > 0 && !kinds[ac.Kind] {
			continue
		}
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
func brandes(ctx context.Context, g *collabGraph, sources []int32, wk, workers int) ([]float64, error) {
	n := len(g.actors)
	scores := make([]float64, n)
	dist := make([]int32, n)
	sigma := make([]float64, n) // shortest-path counts; float64 cannot overflow
	delta := make([]float64, n)
	for i := range dist {
		dist[i] = -1
	}
	order := make([]int32, 0, n) // BFS order; reversed, it is Brandes' stack
	for k := wk; k < len(sources); k += workers {
		if (k/workers)%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, timeoutErr(err)
			}
		}
		s := sources[k]
		order = append(order[:0], s)
		dist[s], sigma[s] = 0, 1
		for h := 0; h < len(order); h++ {
			v := order[h]
			for _, w := range g.adj[v] {
				if dist[w] < 0 {
					dist[w] = dist[v] + 1
					order = append(order, w)
				}
				if dist[w] == dist[v]+1 {
					sigma[w] += sigma[v]
				}
			}
		}
		// Back-propagate dependencies; the predecessors of w are its
		// neighbours one step closer to s (the graph is undirected).
		for h := len(order) - 1; h > 0; h-- {
			w := order[h]
			coeff := (1 + delta[w]) / sigma[w]
			for _, v := range g.adj[w] {
				if dist[v] == dist[w]-1 {
					delta[v] += sigma[v] * coeff
				}
			}
			scores[w] += delta[w]
		}
		for _, v := range order {
			dist[v], sigma[v], delta[v] = -1, 0, 0
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
