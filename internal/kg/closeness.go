package kg

import "context"

// closeness is NetworkX's closeness_centrality with wf_improved (the
// Wasserman–Faust scaling for a disconnected graph): for an actor u whose
// component has c actors and whose distances to the others of it sum to
// D, (c−1)/D · (c−1)/(n−1), 0 when D is 0.
//
// It comes from the brokers' pass (bc): with every actor a source the
// sums are exact. Above ExactBetweennessMaxActors the pass has only the
// sampled sources, and D is estimated as (c−1) times u's mean distance to
// the sampled sources of its component other than itself (c exact, from
// the components); the actors of a component holding fewer than two
// sampled sources get their exact value by a search from each of them.
func closeness(ctx context.Context, g *collabGraph, bc *betweennessResult) ([]float64, error) {
	n := len(g.actors)
	out := make([]float64, n)
	if n < 2 {
		return out, nil
	}
	scale := func(c, d float64) float64 {
		if d <= 0 {
			return 0
		}
		return (c - 1) / d * (c - 1) / float64(n-1)
	}
	if bc.exact {
		for u := range out {
			out[u] = scale(float64(bc.reached[u]), bc.distSum[u])
		}
		return out, nil
	}
	comp, size := g.componentLabels()
	srcIn := make([]int32, len(size))
	isSrc := make([]bool, n)
	for _, s := range bc.sources {
		srcIn[comp[s]]++
		isSrc[s] = true
	}
	var small []int32
	for u := range out {
		c := comp[u]
		if srcIn[c] < 2 {
			small = append(small, int32(u))
			continue
		}
		k := float64(bc.reached[u])
		if isSrc[u] {
			k--
		}
		mean := bc.distSum[u] / k
		out[u] = scale(float64(size[c]), mean*float64(size[c]-1))
	}
	dist := make([]int32, n)
	for i := range dist {
		dist[i] = -1
	}
	pDone := make([]bool, len(g.partOff)-1)
	var queue []int32
	var projs []int32
	for k, u := range small {
		if k%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, timeoutErr(err)
			}
		}
		queue = append(queue[:0], u)
		projs = projs[:0]
		dist[u] = 0
		sum := 0.0
		for h := 0; h < len(queue); h++ {
			v := queue[h]
			dv := dist[v] + 1
			visit := func(w int32) {
				if dist[w] < 0 {
					dist[w] = dv
					sum += float64(dv)
					queue = append(queue, w)
				}
			}
			for _, w := range g.dirAct[g.dirOff[v]:g.dirOff[v+1]] {
				visit(w)
			}
			for _, p := range g.actProj[g.actOff[v]:g.actOff[v+1]] {
				if !pDone[p] {
					pDone[p] = true
					projs = append(projs, p)
					for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
						visit(w)
					}
				}
			}
		}
		out[u] = scale(float64(len(queue)), sum)
		for _, v := range queue {
			dist[v] = -1
		}
		for _, p := range projs {
			pDone[p] = false
		}
	}
	return out, nil
}

// componentLabels numbers the connected components of g: comp[i] is actor
// i's, size[c] the actors of component c.
func (g *collabGraph) componentLabels() (comp []int32, size []int32) {
	n := len(g.actors)
	comp = make([]int32, n)
	for i := range comp {
		comp[i] = -1
	}
	done := make([]bool, len(g.partOff))
	var queue []int32
	for src := range n {
		if comp[src] >= 0 {
			continue
		}
		c := int32(len(size))
		comp[src] = c
		queue = append(queue[:0], int32(src))
		for h := 0; h < len(queue); h++ {
			v := queue[h]
			visit := func(w int32) {
				if comp[w] < 0 {
					comp[w] = c
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
		size = append(size, int32(len(queue)))
	}
	return comp, size
}
