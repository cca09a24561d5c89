package kg

import (
	"context"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

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

// structuralHoles computes both measures for every actor. Per actor u it
// marks u's collaborators and multiplies, restricted to them, by the
// adjacency matrix without expanding projects: per project of a
// collaborator the sum of 1/deg and the count of u's collaborators in it,
// then per collaborator j its projects' sums less its own, its direct
// links and the pairs joined more than once. So S_uj = Σ_w 1/deg(w) and
// the shared count of u and j come out together, at the cost of the
// incidences of u's collaborators. The actors are split over the cores
// in blocks handed out in turn; each actor's values are its own worker's.
func structuralHoles(ctx context.Context, g *collabGraph) (*localMeasures, error) {
	n := len(g.actors)
	res := &localMeasures{constraint: make([]float64, n), effectiveSize: make([]float64, n)}
	inv := make([]float64, n)
	for i, d := range g.degree {
		if d > 0 {
			inv[i] = 1 / float64(d)
		}
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), n/64))
	var next atomic.Int64
	var failed atomic.Bool
	const block = 64
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			np := len(g.partOff) - 1
			in := make([]int32, n) // u+1 when a collaborator of u
			pTag := make([]int32, np)
			pSum := make([]float64, np)
			pCnt := make([]float64, np)
			var nb []int32
			for {
				lo := int(next.Add(block)) - block
				if lo >= n || failed.Load() {
					return
				}
				if err := ctx.Err(); err != nil {
					errs[wk] = timeoutErr(err)
					failed.Store(true)
					return
				}
				for u := lo; u < min(n, lo+block); u++ {
					tag := int32(u + 1)
					d := g.degree[u]
					if d == 0 {
						res.constraint[u], res.effectiveSize[u] = math.NaN(), math.NaN()
						continue
					}
					nb = nb[:0]
					mark := func(j int32) {
						if j != int32(u) && in[j] != tag {
							in[j] = tag
							nb = append(nb, j)
						}
					}
					for _, j := range g.dirAct[g.dirOff[u]:g.dirOff[u+1]] {
						mark(j)
					}
					for _, p := range g.actProj[g.actOff[u]:g.actOff[u+1]] {
						for _, j := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
							mark(j)
						}
					}
					for _, w := range nb {
						for _, p := range g.actProj[g.actOff[w]:g.actOff[w+1]] {
							if pTag[p] != tag {
								pTag[p], pSum[p], pCnt[p] = tag, 0, 0
							}
							pSum[p] += inv[w]
							pCnt[p]++
						}
					}
					c, shared := 0.0, 0.0
					for _, j := range nb {
						s, t := 0.0, 0.0
						for _, w := range g.dirAct[g.dirOff[j]:g.dirOff[j+1]] {
							if in[w] == tag {
								s += inv[w]
								t++
							}
						}
						for _, p := range g.actProj[g.actOff[j]:g.actOff[j+1]] {
							s += pSum[p] - inv[j]
							t += pCnt[p] - 1
						}
						for m := g.multiOff[j]; m < g.multiOff[j+1]; m++ {
							if w := g.multiAct[m]; in[w] == tag {
								s -= g.multiExtra[m] * inv[w]
								t -= g.multiExtra[m]
							}
						}
						x := (1 + s) * inv[u]
						c += x * x
						shared += t
					}
					res.constraint[u] = c
					res.effectiveSize[u] = float64(d) - shared/float64(d)
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, timeoutErr(err)
	}
	return res, nil
}

// reach is, per actor, the share of the other actors within two steps of
// it on the collaboration graph ((|ball of radius 2| − 1)/(n − 1); 0
// when n < 2), by a two-level search over the actor–project structure
// with per-worker visit stamps, each project expanded once per actor.
func reach(ctx context.Context, g *collabGraph) ([]float64, error) {
	n := len(g.actors)
	out := make([]float64, n)
	if n < 2 {
		return out, nil
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), n/64))
	var next atomic.Int64
	var failed atomic.Bool
	const block = 64
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seen := make([]int32, n)
			pSeen := make([]int32, len(g.partOff)-1)
			var level []int32
			for {
				lo := int(next.Add(block)) - block
				if lo >= n || failed.Load() {
					return
				}
				if err := ctx.Err(); err != nil {
					errs[wk] = timeoutErr(err)
					failed.Store(true)
					return
				}
				for u := lo; u < min(n, lo+block); u++ {
					tag := int32(u + 1)
					seen[u] = tag
					count := 0
					level = level[:0]
					expand := func(v int32, keep bool) {
						for _, j := range g.dirAct[g.dirOff[v]:g.dirOff[v+1]] {
							if seen[j] != tag {
								seen[j] = tag
								count++
								if keep {
									level = append(level, j)
								}
							}
						}
						for _, p := range g.actProj[g.actOff[v]:g.actOff[v+1]] {
							if pSeen[p] == tag {
								continue
							}
							pSeen[p] = tag
							for _, j := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
								if seen[j] != tag {
									seen[j] = tag
									count++
									if keep {
										level = append(level, j)
									}
								}
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
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
