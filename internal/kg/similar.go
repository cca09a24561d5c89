package kg

import (
	"cmp"
	"context"
	"slices"
	"strings"
)

// Similar returns the actors most like q.ID: every other actor sharing at
// least one neighbour in the dimensions q.By, scored by the Jaccard index of
// the two actors' neighbour sets (the union over those dimensions, each
// actor left out of the other's collaborators), ordered by score desc,
// shared count desc, id, and cut at q.First.
//
// Candidates are found by expanding from the actor's own neighbours (two
// hops; for collaborators, the collaborators' collaborators), never by
// scanning every actor.
func (a *Analytics) Similar(ctx context.Context, q SimilarQuery) ([]Similar, error) {
	if err := CheckID("id", q.ID); err != nil {
		return nil, err
	}
	by := q.By
	if len(by) == 0 {
		by = DefaultSimilarBy
	}
	want := map[Dimension]bool{}
	for _, d := range by {
		if !d.Valid() {
			return nil, Invalid("by", "%q is not a dimension (PROJECTS, COMPETENCIES, NEEDS, COLLABORATORS)", clip(string(d)))
		}
		want[d] = true
	}
	if q.First < 1 || q.First > MaxSimilarFirst {
		return nil, Invalid("first", "%d is outside 1–%d", q.First, MaxSimilarFirst)
	}
	key, err := graphKey(q.Scope, nil)
	if err != nil {
		return nil, err
	}
	var v view
	var g *collabGraph // only when collaborators count
	var w *wholeGraph
	if want[DimCollaborators] {
		if w, key.day, err = a.wholeAt(ctx, q.AsOf); err != nil {
			return nil, err
		}
		v = w.at(key.day)
	} else if v, err = a.topologyAt(ctx, q.AsOf); err != nil {
		return nil, err
	}
	x, err := v.node("id", q.ID, LabelActor, "an actor")
	if err != nil {
		return nil, err
	}
	if key.scope == ScopeOrganisations && v.isPerson(x) {
		return nil, Invalid("id", "%q is a PERSON; at ORGANISATIONS scope similar actors are asked of an organisation", q.ID)
	}
	if w != nil {
		// The whole graph's pairs when they are few enough to count (at
		// L, 0.2 billion), else the rows only (XL: 8 billion).
		if g = a.collabRows(w, key); g.pairWork <= similarWholeGraphWork {
			g = a.collab(w, key)
		}
	}
	return v.similar(ctx, g, x, want, q.First, key.scope)
}

// similarWholeGraphWork is the most collaborator pairs to count
// (collabGraph.pairWork) for which similar uses the whole collaboration
// graph, built once per version with the brokers' and statistics', instead
// of counting around each request's actor.
var similarWholeGraphWork = 1_000_000_000

// similar scores every actor that shares a neighbour with x, exactly,
// without building the whole collaboration graph's pairs.
//
// Walking out from x's own projects, competencies and needs counts, per
// candidate, those it shares. Collaborators come from the rows of the
// collaboration graph of the version (g: actor–project incidence and
// direct links, linear to build, cached with the brokers' and statistics'
// graph): a collaborator c of x is shared with y when y collaborates with
// c, so each of x's collaborators gives one to each of its own
// collaborators, counted once each (the projects of x's collaborators and
// their members: the work is bounded by those, not by the graph). A
// candidate's own set size needs its degree, counted only for the
// candidates that can still make the first places: candidates go in the
// order of their best possible score (with the least degree their rows
// allow), and the walk stops when that cannot beat the last place kept.
func (v view) similar(ctx context.Context, g *collabGraph, x int32, want map[Dimension]bool, first int, scope Scope) ([]Similar, error) {
	// Never x's own people or organisations (DESIGN.md §2.1), and at
	// ORGANISATIONS scope no person.
	own := v.own(x)
	excluded := func(y int32) bool {
		_, mine := slices.BinarySearch(own, y)
		return mine || (scope == ScopeOrganisations && v.isPerson(y))
	}
	types := []RelType{}
	for _, d := range []Dimension{DimProjects, DimCompetencies, DimNeeds} {
		if want[d] {
			types = append(types, relOfDimension(d))
		}
	}
	mask := maskOf(types)
	var nbrs []int32 // x's non-collaborator neighbours
	for _, t := range types {
		nbrs = append(nbrs, v.out(x, t)...)
	}
	shared := getMarks(v.s.Slots()) // by snapshot id: shared neighbours
	defer shared.release()
	bump := func(y int32, by int32) {
		if y != x && by != 0 {
			shared.set(y, max(shared.get(y), 0)+by)
		}
	}
	for _, n := range nbrs {
		for _, e := range v.s.Edges(n) {
			if !e.Out && mask.has(e.Type) && v.sees(n, e) {
				bump(e.To, 1)
			}
		}
	}

	// Collaborators, in the collaboration graph's actor indices.
	var collab []int32 // x's, by actor index
	isCollab := func(int32) bool { return false }
	var seen, stamp, count *marks
	tag := int32(0)
	if g != nil {
		xi := g.of[x]
		seen = getMarks(int32(len(g.actors)))
		defer seen.release()
		g.eachNeighbour(xi, seen, 0, func(w int32) { collab = append(collab, w) })
		if err := ctx.Err(); err != nil {
			return nil, timeoutErr(err)
		}
		// Each collaborator's collaborators, each once (a tag per walk);
		// its degree comes for free.
		stamp = getMarks(int32(len(g.actors)))
		defer stamp.release()
		count = getMarks(int32(len(g.actors)))
		defer count.release()
		if g.degree != nil {
			// The whole graph: every project p gets m_p, the number of
			// x's collaborators in it, each participant y of p gains m_p
			// (less one when y is itself one of them), direct links add
			// one, and the pairs joined for several reasons give back
			// their surplus.
			mp := getMarks(int32(len(g.partOff)))
			defer mp.release()
			for _, c := range collab {
				for _, p := range g.actProj[g.actOff[c]:g.actOff[c+1]] {
					mp.set(p, max(mp.get(p), 0)+1)
				}
			}
			for _, p := range mp.touched {
				m := mp.get(p)
				for _, y := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
					by := m
					if seen.has(y) {
						by--
					}
					if by > 0 && y != xi {
						count.set(y, max(count.get(y), 0)+by)
					}
				}
			}
			for i, c := range collab {
				if i%256 == 0 {
					if err := ctx.Err(); err != nil {
						return nil, timeoutErr(err)
					}
				}
				for _, w := range g.dirAct[g.dirOff[c]:g.dirOff[c+1]] {
					if w != xi {
						count.set(w, max(count.get(w), 0)+1)
					}
				}
				for m := g.multiOff[c]; m < g.multiOff[c+1]; m++ {
					if w := g.multiAct[m]; w != xi {
						count.set(w, max(count.get(w), 0)-g.multiExtra[m])
					}
				}
				g.eachImplicit(c, func(w, extra int32) {
					if w != xi {
						count.set(w, max(count.get(w), 0)-extra)
					}
				})
			}
		} else {
			// Each collaborator c gives one to each of its own
			// collaborators: those outside its flagships (or, without
			// any, outside its outweighing project) one by one, those in
			// them in bulk, once per request. byMask counts x's
			// collaborators per set of flagships: an actor y of
			// flagships Y collaborates with those of every mask meeting
			// Y. bulk counts them per outweighing project, bulkOf says
			// whose it is (c is not its own collaborator).
			f := g.flagships()
			byMask := map[uint64]int32{}
			bulk := getMarks(int32(len(g.partOff)))
			defer bulk.release()
			bulkOf := getMarks(int32(len(g.actors)))
			defer bulkOf.release()
			give := func(w int32) {
				if w != xi {
					count.set(w, max(count.get(w), 0)+1)
				}
			}
			for _, c := range collab {
				if tag++; tag%64 == 0 {
					if err := ctx.Err(); err != nil {
						return nil, timeoutErr(err)
					}
				}
				if m := f.of(c); m != 0 {
					byMask[m]++
					g.eachBesideFlagships(c, m, stamp, tag, give)
				} else if big, _ := g.eachBeside(c, stamp, tag, give); big >= 0 {
					bulk.set(big, max(bulk.get(big), 0)+1)
					bulkOf.set(c, big)
				}
			}
			if len(byMask) > 0 {
				meets := map[uint64]int32{} // by an actor's flagships: x's collaborators it meets there
				for i, y := range f.members {
					if i%4096 == 0 {
						if err := ctx.Err(); err != nil {
							return nil, timeoutErr(err)
						}
					}
					ym := f.mask[y]
					k, ok := meets[ym]
					if !ok {
						for m, n := range byMask {
							if m&ym != 0 {
								k += n
							}
						}
						meets[ym] = k
					}
					if seen.has(y) {
						k-- // y is one of them
					}
					if k > 0 && y != xi {
						count.set(y, max(count.get(y), 0)+k)
					}
				}
			}
			for _, p := range bulk.touched {
				if err := ctx.Err(); err != nil {
					return nil, timeoutErr(err)
				}
				k := bulk.get(p)
				for _, y := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
					by := k
					if bulkOf.get(y) == p {
						by--
					}
					if by > 0 && y != xi {
						count.set(y, max(count.get(y), 0)+by)
					}
				}
			}
		}
		for _, i := range count.touched {
			bump(g.snap[i], count.get(i))
		}
		isCollab = func(y int32) bool { i := g.of[y]; return i >= 0 && seen.has(i) }
	}

	na := len(nbrs) + len(collab)
	type scored struct {
		y            int32
		inter, union int
	}
	// The union with the least degree y's rows allow, and what adds the
	// degree to it: its projects' sizes less itself, its direct links,
	// and the collaborators it shares with x (and x, when a collaborator)
	// are all among its collaborators.
	type candidate struct {
		scored
		lo int // the least degree; exact when counted
	}
	cands := make([]candidate, 0, len(shared.touched))
	for _, y := range shared.touched {
		in := int(shared.get(y))
		if in <= 0 || !v.isActor(y) || excluded(y) {
			continue
		}
		nb := 0
		for _, e := range v.s.Edges(y) {
			if e.Out && mask.has(e.Type) && v.sees(y, e) {
				nb++
			}
		}
		nax, lo := na, 0
		if g != nil {
			if i := g.of[y]; i >= 0 {
				if g.degree != nil {
					lo = int(g.degree[i])
				} else if d := g.known[i].Load(); d > 0 {
					lo = int(d - 1)
				} else {
					lo = int(g.dirOff[i+1] - g.dirOff[i])
					for _, p := range g.actProj[g.actOff[i]:g.actOff[i+1]] {
						lo = max(lo, int(g.partOff[p+1]-g.partOff[p])-1)
					}
					if count.has(i) {
						sh := int(count.get(i))
						if seen.has(i) {
							sh++
						}
						lo = max(lo, sh)
					}
					lo = -1 - lo // not exact yet
				}
			}
			if isCollab(y) { // then x is one of y's too: each leaves the other out
				nax--
				nb--
			}
		}
		cands = append(cands, candidate{scored: scored{y: y, inter: in, union: nax + nb - in}, lo: lo})
	}
	least := func(c candidate) int {
		if c.lo < 0 {
			return -1 - c.lo
		}
		return c.lo
	}
	// Fractions compare exactly: p/q > r/s ⇔ p·s > r·q.
	order := func(a, b scored) int {
		if c := cmp.Compare(b.inter*a.union, a.inter*b.union); c != 0 {
			return c
		}
		if c := cmp.Compare(b.inter, a.inter); c != 0 {
			return c
		}
		return strings.Compare(v.s.ID(a.y), v.s.ID(b.y))
	}
	best := func(c candidate) scored { return scored{y: c.y, inter: c.inter, union: c.union + least(c)} }
	slices.SortFunc(cands, func(a, b candidate) int { return order(best(a), best(b)) })
	// Only the first places are kept, in order; a candidate whose best
	// cannot beat the last of them ends the walk (those after it cannot
	// either).
	top := make([]scored, 0, first+1)
	for k, c := range cands {
		if len(top) == first && order(best(c), top[first-1]) >= 0 {
			break
		}
		sc := best(c)
		if c.lo < 0 {
			if tag++; k%64 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, timeoutErr(err)
				}
			}
			sc.union = c.union + int(g.degreeOf(g.of[c.y], stamp, tag))
			if len(top) == first && order(sc, top[first-1]) >= 0 {
				continue
			}
		}
		i, _ := slices.BinarySearchFunc(top, sc, order)
		top = slices.Insert(top, i, sc)
		if len(top) > first {
			top = top[:first]
		}
	}

	mine := map[int32]bool{}
	for _, n := range nbrs {
		mine[n] = true
	}
	out := make([]Similar, len(top))
	for i, c := range top {
		var sh []string
		for _, t := range types {
			for _, n := range v.out(c.y, t) {
				if mine[n] {
					sh = append(sh, v.s.ID(n))
				}
			}
		}
		if g != nil {
			tag++
			g.eachNeighbour(g.of[c.y], stamp, tag, func(j int32) {
				if n := g.snap[j]; n != x && isCollab(n) {
					sh = append(sh, v.s.ID(n))
				}
			})
		}
		slices.Sort(sh)
		out[i] = Similar{ActorID: v.s.ID(c.y), Score: float64(c.inter) / float64(c.union), Shared: sh}
	}
	return out, nil
}

// relOfDimension is the relationship type from an actor to its neighbours
// of dimension d (not for collaborators).
func relOfDimension(d Dimension) RelType {
	switch d {
	case DimProjects:
		return RelParticipatesIn
	case DimCompetencies:
		return RelHasCompetency
	case DimNeeds:
		return RelHasNeed
	}
	return ""
}
