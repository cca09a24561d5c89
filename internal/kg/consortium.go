package kg

import "context"

// Consortium suggests a small team that together meets a need (DESIGN.md
// §2): a greedy weighted set cover over every need-matching candidate
// (with the defaults maxHops = DefaultMatchMaxHops, minLevel =
// DefaultMatchMinLevel). Each round adds the candidate that covers the most
// still-missing importance, the earlier one in the need-matching order on
// a tie; it stops when everything is covered, MaxSize members are chosen,
// or nobody adds anything. The need's owners' own people and organisations
// are not candidates, and once an actor is chosen neither are its own
// (DESIGN.md §2.1).
func (a *Analytics) Consortium(ctx context.Context, q ConsortiumQuery) (Consortium, error) {
	res := Consortium{Members: []ConsortiumMember{}, Missing: []RequiredCompetency{}}
	if err := CheckID("needId", q.NeedID); err != nil {
		return res, err
	}
	if q.MaxSize < 1 || q.MaxSize > MaxConsortiumMaxSize {
		return res, Invalid("maxSize", "%d is outside 1–%d", q.MaxSize, MaxConsortiumMaxSize)
	}
	v, err := a.topologyAt(ctx, q.AsOf)
	if err != nil {
		return res, err
	}
	nd, err := v.need(q.NeedID)
	if err != nil {
		return res, err
	}
	cands, err := v.matches(ctx, nd, DefaultMatchMaxHops, DefaultMatchMinLevel, 0, false)
	if err != nil {
		return res, err
	}
	missing := make(map[string]bool, len(nd.required))
	for _, rc := range nd.required {
		missing[rc.CompetencyID] = true
	}
	// A member's own people and organisations are never chosen after it
	// (DESIGN.md §2.1: the first chosen wins).
	barred := map[string]bool{}
	covered := 0
	for len(res.Members) < q.MaxSize && covered < nd.total {
		best, bestGain := -1, 0
		for i, c := range cands {
			if barred[c.ActorID] {
				continue
			}
			gain := 0
			for _, cc := range c.Covered {
				if missing[cc.CompetencyID] {
					gain += cc.Importance
				}
			}
			if gain > bestGain { // strictly: the earlier candidate wins a tie
				best, bestGain = i, gain
			}
		}
		if best < 0 {
			break
		}
		m := ConsortiumMember{ActorID: cands[best].ActorID, Adds: []CoveredCompetency{}}
		for _, cc := range cands[best].Covered { // already by competency id
			if missing[cc.CompetencyID] {
				m.Adds = append(m.Adds, cc)
				delete(missing, cc.CompetencyID)
			}
		}
		covered += bestGain
		res.Members = append(res.Members, m)
		if x, ok := v.s.Lookup(m.ActorID); ok {
			for _, y := range v.own(x) {
				barred[v.s.ID(y)] = true
			}
		}
	}
	for _, rc := range nd.required { // by competency id
		if missing[rc.CompetencyID] {
			res.Missing = append(res.Missing, rc)
		}
	}
	if nd.total > 0 {
		res.Coverage = float64(covered) / float64(nd.total)
	}
	return res, nil
}
