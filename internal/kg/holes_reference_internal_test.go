package kg

import (
	"context"
	"math"
)

// structuralHolesReference is the previous implementation of
// structuralHoles, kept as the reference the new one is checked against.
// It computes both measures for every actor, in one pass per actor u that marks u's collaborators and multiplies, restricted to them,
// by the adjacency matrix without expanding projects. With f(w) = 1/deg(w)
// and, per collaborator j of u, S_uj = Σ f(w) and T_uj = Σ 1 over the
// common collaborators w of u and j:
//
//   - the base: per project Q of a collaborator, the sum of f and the count
//     of u's collaborators in it; per collaborator j the sums over j's
//     projects less j's own share. This counts a w in several projects with
//     j once per project and misses a w joined to j by a direct link only.
//   - the correction: j's direct links and multiply-joined pairs among u's
//     collaborators set that right.
//
// The base costs the incidences of u's collaborators (at L about 2·10⁹
// reads in all, read in order from per-project rows); the correction the
// direct links and multiply-joined pairs of u's collaborators, which at L
// are 5·10¹⁰ and more: the part that keeps it from finishing there in the
// request's time. Each actor's values are computed by one worker alone.
func structuralHolesReference(ctx context.Context, g *collabGraph) (*localMeasures, error) {
	n := len(g.actors)
	res := &localMeasures{constraint: make([]float64, n), effectiveSize: make([]float64, n)}
	inv := make([]float64, n)
	for i, d := range g.degree {
		if d > 0 {
			inv[i] = 1 / float64(d)
		}
	}
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
	err := parallelBlocks(ctx, n, func() func(lo, hi int) {
		in := make([]int32, n)   // u+1 when a collaborator of u
		done := make([]int32, n) // u+1 once its base is taken
		// per project: the sum of f and the count of u's collaborators in it
		// (valid when tag is u's).
		type projAcc struct {
			sum      float64
			tag, cnt int32
		}
		acc := make([]projAcc, np)
		var nb []int32
		var bs, bt []float64 // the base of each collaborator, in nb's order
		// correction returns S_uj and T_uj less their base.
		correction := func(tag int32, j int32) (s, t float64) {
			for _, w := range g.dirAct[g.dirOff[j]:g.dirOff[j+1]] {
				if in[w] == tag {
					s += inv[w]
					t++
				}
			}
			for m := g.multiOff[j]; m < g.multiOff[j+1]; m++ {
				if w := g.multiAct[m]; in[w] == tag {
					s -= float64(g.multiExtra[m]) * inv[w]
					t -= float64(g.multiExtra[m])
				}
			}
			g.eachImplicit(j, func(w, extra int32) {
				if in[w] == tag {
					s -= float64(extra) * inv[w]
					t -= float64(extra)
				}
			})
			return s, t
		}
		// each calls fn once for every collaborator of u with its projects,
		// in the same order every time (seen and tag keep it once).
		each := func(u int32, seen []int32, tag int32, fn func(w int32, ps []int32)) {
			for _, w := range g.dirAct[g.dirOff[u]:g.dirOff[u+1]] {
				if seen[w] != tag {
					seen[w] = tag
					fn(w, g.actProj[g.actOff[w]:g.actOff[w+1]])
				}
			}
			for _, p := range g.actProj[g.actOff[u]:g.actOff[u+1]] {
				r := rows[rowOff[p]:rowOff[p+1]]
				for i := 0; i < len(r); {
					w, k := r[i], int(r[i+1])
					if w != u && seen[w] != tag {
						seen[w] = tag
						fn(w, r[i+2:i+2+k])
					}
					i += 2 + k
				}
			}
		}
		return func(lo, hi int) {
			for u := lo; u < hi; u++ {
				tag := int32(u + 1)
				d := g.degree[u]
				if d == 0 {
					res.constraint[u], res.effectiveSize[u] = math.NaN(), math.NaN()
					continue
				}
				nb = nb[:0]
				each(int32(u), in, tag, func(w int32, ps []int32) {
					nb = append(nb, w)
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
				bs, bt = bs[:0], bt[:0]
				each(int32(u), done, tag, func(j int32, ps []int32) {
					s, t := 0.0, int32(0)
					f := inv[j]
					for _, p := range ps {
						a := &acc[p]
						s += a.sum - f
						t += a.cnt - 1
					}
					bs, bt = append(bs, s), append(bt, float64(t))
				})
				c, shared := 0.0, 0.0
				for k, j := range nb {
					s, t := correction(tag, j)
					x := 1 + bs[k] + s
					c += x * x
					shared += bt[k] + t
				}
				res.constraint[u] = c * inv[u] * inv[u]
				res.effectiveSize[u] = float64(d) - shared/float64(d)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
