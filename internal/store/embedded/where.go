package embedded

import (
	"slices"

	"go.etcd.io/bbolt"

	"github.com/samverkan/samverkan/internal/engine"
	"github.com/samverkan/samverkan/internal/kg"
)

// listWhere answers Store.List for a q with a where, whose order o
// kg.CheckListQuery returned: the AND of q.Filter (as kg.FilterWhere) and
// q.Where is evaluated by kg.Where.Match on each candidate. The candidates
// are the ids an eq or in on id at the top level names (looked up in the
// id index), else the label's nodes in the order's index; relationship
// filters read the candidate's ties from the topology and their
// properties from the file. The caller holds the read lock.
func (s *Store) listWhere(q kg.ListQuery, o kg.Order) (kg.Page, error) {
	ix := &s.index
	ix.sync()
	w := kg.AndWhere(kg.FilterWhere(q.Label, q.Filter), q.Where)
	l, f := labelIndex(q.Label), orderIndex(o.Field)

	var cands []int32
	if ids, ok := w.SeedIDs(); ok {
		for _, id := range ids {
			if sl, ok := ix.slot[id]; ok && ix.labels[sl] == l {
				cands = append(cands, sl)
			}
		}
		slices.SortFunc(cands, func(a, b int32) int { return ix.compare(f, a, b) })
	} else {
		cands = ix.order[l][f]
	}

	snap := s.topo.Snapshot()
	var page kg.Page
	err := s.db.View(func(tx *bbolt.Tx) error {
		var readErr error
		ties := func(id string) kg.TieReader {
			if !w.HasRelations() {
				return nil
			}
			return func(t kg.RelType, dir kg.Direction) []kg.Tie {
				list, err := s.tiesOf(snap, tx.Bucket(bucketRels), id, t, dir)
				if err != nil && readErr == nil {
					readErr = err
				}
				return list
			}
		}
		var matched []int32
		for _, sl := range cands {
			if w.Match(ix.snap[sl], ties(ix.ids[sl])) {
				matched = append(matched, sl)
			}
			if readErr != nil {
				return readErr
			}
		}
		page.TotalCount = len(matched)
		if o.Desc {
			slices.Reverse(matched)
		}
		for _, sl := range matched {
			if q.After != nil && !q.After.After(ix.sortKey(f, sl), ix.ids[sl]) {
				continue
			}
			if len(page.Nodes) == q.First {
				page.HasNextPage = true
				break
			}
			page.Nodes = append(page.Nodes, kg.Clone(ix.snap[sl]))
		}
		return nil
	})
	if err != nil {
		return kg.Page{}, unavailable("the embedded store could not read relationships", err)
	}
	return page, nil
}

// tiesOf returns node id's ties of type t in direction dir with both
// endpoints, for a relationship filter.
func (s *Store) tiesOf(snap *engine.Snapshot, b *bbolt.Bucket, id string, t kg.RelType, dir kg.Direction) ([]kg.Tie, error) {
	code := kg.TypeCode(t)
	x, ok := snap.Lookup(id)
	if !ok {
		return nil, nil
	}
	var out []kg.Tie
	for _, e := range snap.Edges(x) {
		if e.Type != code || (e.Out && dir == kg.Incoming) || (!e.Out && dir == kg.Outgoing) {
			continue
		}
		from, to := id, snap.ID(e.To)
		if !e.Out {
			from, to = to, from
		}
		r, err := s.rel(b, kg.KeyOf(t, from, to))
		if err != nil {
			return nil, err
		}
		if r != nil {
			out = append(out, kg.Tie{Rel: r, From: s.nodes[r.From], To: s.nodes[r.To]})
		}
	}
	return out, nil
}
