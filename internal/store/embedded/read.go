package embedded

import (
	"context"

	"go.etcd.io/bbolt"

	"github.com/samverkan/samverkan/internal/kg"
)

// beginRead checks ctx and the store's state and takes the read lock; on
// success the caller must call s.mu.RUnlock.
func (s *Store) beginRead(ctx context.Context) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return errClosed()
	}
	return nil
}

// GetNodes returns copies of the nodes with the given ids, nil where there
// is none.
func (s *Store) GetNodes(ctx context.Context, ids []string) ([]kg.Node, error) {
	if err := s.beginRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	out := make([]kg.Node, len(ids))
	for i, id := range ids {
		if n := s.nodes[id]; n != nil {
			out[i] = kg.Clone(n)
		}
	}
	return out, nil
}

// RelsOf returns, per id, copies of its relationships of type t in
// direction dir, in kg.SortRelsOf order.
func (s *Store) RelsOf(ctx context.Context, t kg.RelType, dir kg.Direction, ids []string) (map[string][]kg.Rel, error) {
	if err := kg.CheckRelsOf(t, dir); err != nil {
		return nil, err
	}
	if err := s.beginRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	return s.relsOf(t, dir, ids)
}

// relsOf is RelsOf under the read lock.
func (s *Store) relsOf(t kg.RelType, dir kg.Direction, ids []string) (map[string][]kg.Rel, error) {
	out := make(map[string][]kg.Rel, len(ids))
	snap, code := s.topo.Snapshot(), kg.TypeCode(t)
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketRels)
		for _, id := range ids {
			x, ok := snap.Lookup(id)
			if !ok {
				continue
			}
			if _, done := out[id]; done {
				continue
			}
			edges, n := snap.Edges(x), 0
			for _, e := range edges {
				if e.Type == code && !(e.Out && dir == kg.Incoming) && !(!e.Out && dir == kg.Outgoing) {
					n++
				}
			}
			if n == 0 {
				continue
			}
			rels := make([]kg.Rel, 0, n)
			for _, e := range edges {
				if e.Type != code || (e.Out && dir == kg.Incoming) || (!e.Out && dir == kg.Outgoing) {
					continue
				}
				from, to := id, snap.ID(e.To)
				if !e.Out {
					from, to = to, from
				}
				r, ok, err := s.relValue(b, kg.KeyOf(t, from, to))
				if err != nil {
					return err
				}
				if ok {
					rels = append(rels, r)
				}
			}
			if len(rels) == 0 {
				continue
			}
			kg.SortRelsOf(id, rels)
			out[id] = rels
		}
		return nil
	})
	if err != nil {
		return nil, unavailable("the embedded store could not read relationships", err)
	}
	return out, nil
}

// Aggregate counts the nodes of q's label that pass its filter, grouped,
// as kg.AggregateNodes does, under one read lock (one consistent state).
func (s *Store) Aggregate(ctx context.Context, q kg.AggregateQuery) (kg.Aggregate, error) {
	if err := kg.CheckAggregateQuery(q); err != nil {
		return kg.Aggregate{}, err
	}
	if err := s.beginRead(ctx); err != nil {
		return kg.Aggregate{}, err
	}
	defer s.mu.RUnlock()
	nodes := make([]kg.Node, 0, len(s.nodes))
	for _, n := range s.nodes {
		if n.NodeLabel() == q.Label {
			nodes = append(nodes, n)
		}
	}
	return kg.AggregateNodes(q, nodes, s.relsOf)
}

// List returns one page of nodes of a label, from the label's ordered
// indexes (index_list.go).
func (s *Store) List(ctx context.Context, q kg.ListQuery) (kg.Page, error) {
	o, err := kg.CheckListQuery(q)
	if err != nil {
		return kg.Page{}, err
	}
	if err := s.beginRead(ctx); err != nil {
		return kg.Page{}, err
	}
	defer s.mu.RUnlock()
	if q.Where != nil {
		return s.listWhere(q, o)
	}
	return s.index.list(q, o), nil
}

// Search ranks the nodes that match q's text as kg.Query.Score and
// kg.RankHits do, from the word index (index_search.go).
func (s *Store) Search(ctx context.Context, q kg.SearchQuery) ([]kg.SearchHit, error) {
	query, err := kg.CheckSearchQuery(q)
	if err != nil {
		return nil, err
	}
	if err := s.beginRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	return s.index.search(query, q.Labels, q.First, q.After), nil
}

// Version returns the graph version: the number of accepted writes since
// the file was created.
func (s *Store) Version(ctx context.Context) (uint64, error) {
	if err := s.beginRead(ctx); err != nil {
		return 0, err
	}
	defer s.mu.RUnlock()
	return s.version, nil
}

// Ping returns nil while the store is open.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.beginRead(ctx); err != nil {
		return err
	}
	s.mu.RUnlock()
	return nil
}
