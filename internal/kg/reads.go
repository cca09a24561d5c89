package kg

import (
	"cmp"
	"context"
	"slices"
	"strings"
)

// The rules of the Store reads, one function each, which every store calls
// on what it read, so that the stores order, deduplicate and fill in
// exactly alike. A store owns only how it finds the data.

// CheckRelsOf validates the arguments of Store.RelsOf.
func CheckRelsOf(t RelType, dir Direction) error {
	if !t.Valid() {
		return Invalid("type", "%q is not a relationship type", t)
	}
	if dir != Outgoing && dir != Incoming && dir != Both {
		return Invalid("direction", "%d is not a direction", dir)
	}
	return nil
}

// SortRelsOf puts the relationships of node id in the order of
// Store.RelsOf: by the other endpoint's id, then by From (for the rare pair
// joined both ways by the same type).
func SortRelsOf(id string, rels []Rel) {
	slices.SortFunc(rels, func(x, y Rel) int {
		return cmp.Or(strings.Compare(x.Other(id), y.Other(id)), strings.Compare(x.From, y.From))
	})
}

// SortIncident puts relationships in CompareLinks order (RelsFrom's): each
// key once (a relationship between two of the ids is found from both ends;
// the first copy stays), sorted by CompareLinks. It reuses rels' array and
// returns the result; nil stays nil.
func SortIncident(rels []Rel) []Rel {
	seen := make(map[RelKey]struct{}, len(rels))
	out := rels[:0]
	for _, r := range rels {
		if _, dup := seen[r.Key()]; dup {
			continue
		}
		seen[r.Key()] = struct{}{}
		out = append(out, r)
	}
	slices.SortFunc(out, func(x, y Rel) int { return CompareLinks(x.Type, x.From, x.To, y.Type, y.From, y.To) })
	return out
}

// RankHits puts search hits in the order of Store.Search (Score
// descending, then folded name, then id) and returns the best first of
// them. It reorders hits in place.
func RankHits(hits []SearchHit, first int) []SearchHit {
	type ranked struct {
		SearchHit
		key string // SortKey by name, computed once per hit
	}
	rs := make([]ranked, len(hits))
	for i, h := range hits {
		rs[i] = ranked{SearchHit: h, key: SortKey(h.Node, OrderByName)}
	}
	slices.SortFunc(rs, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.key, b.key),
			strings.Compare(a.Node.Base().ID, b.Node.Base().ID))
	})
	for i, r := range rs {
		hits[i] = r.SearchHit
	}
	return hits[:min(len(hits), max(first, 0))]
}

// RelsFrom reads every relationship that leaves one of ids, with one
// RelsOf call per type, sorted by CompareLinks: how tools and tests read a
// whole graph back through the Store interface.
func RelsFrom(ctx context.Context, s Store, ids []string) ([]Rel, error) {
	var out []Rel
	for _, t := range RelTypes {
		for start := 0; start < len(ids); start += MaxBatchIDs {
			byID, err := s.RelsOf(ctx, t, Outgoing, ids[start:min(start+MaxBatchIDs, len(ids))])
			if err != nil {
				return nil, err
			}
			for _, rels := range byID {
				out = append(out, rels...)
			}
		}
	}
	return SortIncident(out), nil
}
