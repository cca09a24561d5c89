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
		g = a.collab(w, key)
	}
	return v.similar(ctx, g, x, want, q.First, key.scope)
}

// similar scores every actor that shares a neighbour with x, exactly,
// without building any candidate's neighbour set.
//
// Walking out from x's own projects, competencies and needs counts, per
// candidate, those it shares. Collaborators come from the collaboration
// graph of the version (g, cached with the brokers' and statistics'):
// a collaborator c of x is shared with y when y collaborates with c, so
// every project p gets m_p, the number of x's collaborators in it, each
// participant y of p gains m_p (less one when y is itself one of them),
// direct links add one, and the pairs joined for several reasons give
// back their surplus. A candidate's own set size is its degree there plus
// its other neighbours. So a query costs the incidences around x's
// collaborators, not their collaborators' collaborators.
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
	degree := func(int32) int { return 0 }
	if g != nil {
		xi := g.of[x]
		seen := getMarks(int32(len(g.actors)))
		defer seen.release()
		for _, w := range g.dirAct[g.dirOff[xi]:g.dirOff[xi+1]] {
			if !seen.has(w) {
				seen.set(w, 1)
				collab = append(collab, w)
			}
		}
		for _, p := range g.actProj[g.actOff[xi]:g.actOff[xi+1]] {
			for _, w := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
				if w != xi && !seen.has(w) {
					seen.set(w, 1)
					collab = append(collab, w)
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, timeoutErr(err)
		}
		// m_p per project, then each participant's share.
		mp := getMarks(int32(len(g.partOff)))
		defer mp.release()
		for _, c := range collab {
			for _, p := range g.actProj[g.actOff[c]:g.actOff[c+1]] {
				mp.set(p, max(mp.get(p), 0)+1)
			}
		}
		add := getMarks(int32(len(g.actors)))
		defer add.release()
		for _, p := range mp.touched {
			m := mp.get(p)
			for _, y := range g.partAct[g.partOff[p]:g.partOff[p+1]] {
				by := m
				if seen.has(y) {
					by--
				}
				if by > 0 {
					add.set(y, max(add.get(y), 0)+by)
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
				add.set(w, max(add.get(w), 0)+1)
			}
			for m := g.multiOff[c]; m < g.multiOff[c+1]; m++ {
				w := g.multiAct[m]
				add.set(w, max(add.get(w), 0)-int32(g.multiExtra[m]))
			}
		}
		for _, i := range add.touched {
			if by := add.get(i); by > 0 && i != xi {
				bump(g.snap[i], by)
			}
		}
		isCollab = func(y int32) bool { i := g.of[y]; return i >= 0 && seen.has(i) }
		degree = func(y int32) int { return int(g.degree[g.of[y]]) }
	}

	na := len(nbrs) + len(collab)
	type scored struct {
		y            int32
		inter, union int
	}
	cands := make([]scored, 0, len(shared.touched))
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
		nax := na
		if g != nil {
			nb += degree(y)
			if isCollab(y) { // then x is one of y's too: each leaves the other out
				nax--
				nb--
			}
		}
		cands = append(cands, scored{y: y, inter: in, union: nax + nb - in})
	}
	// Fractions compare exactly: p/q > r/s ⇔ p·s > r·q. Only the first
	// places are kept, in order, as the candidates go by.
	order := func(a, b scored) int {
		if c := cmp.Compare(b.inter*a.union, a.inter*b.union); c != 0 {
			return c
		}
		if c := cmp.Compare(b.inter, a.inter); c != 0 {
			return c
		}
		return strings.Compare(v.s.ID(a.y), v.s.ID(b.y))
	}
	top := make([]scored, 0, first+1)
	for _, c := range cands {
		if len(top) == first && order(c, top[first-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, c, order)
		top = slices.Insert(top, i, c)
		if len(top) > first {
			top = top[:first]
		}
	}
	cands = top

	mine := map[int32]bool{}
	for _, n := range nbrs {
		mine[n] = true
	}
	var stamp *marks
	if g != nil {
		stamp = getMarks(int32(len(g.actors)))
		defer stamp.release()
	}
	out := make([]Similar, len(cands))
	for i, c := range cands {
		var sh []string
		for _, t := range types {
			for _, n := range v.out(c.y, t) {
				if mine[n] {
					sh = append(sh, v.s.ID(n))
				}
			}
		}
		if g != nil {
			g.eachNeighbour(g.of[c.y], stamp, int32(i+1), func(j int32) {
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
