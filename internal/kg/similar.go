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
	v, err := a.topology(ctx)
	if err != nil {
		return nil, err
	}
	x, err := v.node("id", q.ID, LabelActor, "an actor")
	if err != nil {
		return nil, err
	}
	return v.similar(ctx, x, want, q.First)
}

// similar scores every actor that shares a neighbour with x without
// building any candidate's neighbour sets: walking out from x's own
// neighbours counts, per candidate, the neighbours it shares (a project,
// competency or need held by both; a collaborator c of x shared by y when
// y is a collaborator of c). A candidate's score is bounded above by its
// shared count over x's set and the part of its own set that costs nothing
// to count (projects, competencies, needs, and at least the shared
// collaborators); candidates are scored exactly in the order of that bound
// until the bound falls below the first-th exact score, so a hub's
// collaborator set is only built when it could rank.
func (v view) similar(ctx context.Context, x int32, want map[Dimension]bool, first int) ([]Similar, error) {
	types := []RelType{}
	for _, d := range []Dimension{DimProjects, DimCompetencies, DimNeeds} {
		if want[d] {
			types = append(types, relOfDimension(d))
		}
	}
	var own []int32 // x's non-collaborator neighbours
	for _, t := range types {
		own = append(own, v.out(x, t)...)
	}
	var collab []int32
	if want[DimCollaborators] {
		collab = v.collaborators(x)
	}
	shared := getMarks(v.s.Slots())
	defer shared.release()
	sharedC := map[int32]int32{} // shared collaborators, when any
	bump := func(y int32) {
		if y != x {
			shared.set(y, max(shared.get(y), 0)+1)
		}
	}
	mask := maskOf(types)
	for _, n := range own {
		for _, e := range v.s.Edges(n) {
			if !e.Out && mask.has(e.Type) {
				bump(e.To)
			}
		}
	}
	stamp := getMarks(v.s.Slots())
	defer stamp.release()
	tag := int32(0)
	for i, c := range collab {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, timeoutErr(err)
			}
		}
		tag++
		v.eachCollaborator(c, stamp, tag, func(y int32) {
			if y != x {
				bump(y)
				sharedC[y]++
			}
		})
	}
	isCollab := func(y int32) bool { _, ok := slices.BinarySearch(collab, y); return ok }

	type scored struct {
		y                int32
		inter, union     int
		upInter, upUnion int // the bound, as a fraction
	}
	na := len(own) + len(collab)
	cands := make([]scored, 0, len(shared.touched))
	for _, y := range shared.touched {
		if !v.isActor(y) {
			continue
		}
		in := int(shared.get(y))
		nb := int(sharedC[y])
		for _, e := range v.s.Edges(y) {
			if e.Out && mask.has(e.Type) {
				nb++
			}
		}
		nax := na
		if isCollab(y) {
			nax--
		}
		cands = append(cands, scored{y: y, inter: in, upInter: in, upUnion: nax + nb - in})
	}
	// Fractions compare exactly: p/q > r/s ⇔ p·s > r·q.
	better := func(pi, pu, qi, qu int) int { return cmp.Compare(pi*qu, qi*pu) }
	slices.SortFunc(cands, func(a, b scored) int {
		if c := better(b.upInter, b.upUnion, a.upInter, a.upUnion); c != 0 {
			return c
		}
		return cmp.Compare(b.inter, a.inter)
	})
	order := func(a, b scored) int {
		if c := better(b.inter, b.union, a.inter, a.union); c != 0 {
			return c
		}
		if c := cmp.Compare(b.inter, a.inter); c != 0 {
			return c
		}
		return strings.Compare(v.s.ID(a.y), v.s.ID(b.y))
	}
	var top []scored
	for i, c := range cands {
		if len(top) >= first {
			k := top[first-1]
			if better(c.upInter, c.upUnion, k.inter, k.union) < 0 {
				break
			}
		}
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, timeoutErr(err)
			}
		}
		nb := 0
		for _, e := range v.s.Edges(c.y) {
			if e.Out && mask.has(e.Type) {
				nb++
			}
		}
		if want[DimCollaborators] {
			tag++
			v.eachCollaborator(c.y, stamp, tag, func(y int32) {
				if y != x {
					nb++
				}
			})
		}
		nax := na
		if isCollab(c.y) {
			nax--
		}
		c.union = nax + nb - c.inter
		top = append(top, c)
		slices.SortFunc(top, order)
		if len(top) > first {
			top = top[:first]
		}
	}

	mine := map[int32]bool{}
	for _, n := range own {
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
		if want[DimCollaborators] {
			for _, n := range v.collaborators(c.y) {
				if n != x && isCollab(n) {
					sh = append(sh, v.s.ID(n))
				}
			}
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
