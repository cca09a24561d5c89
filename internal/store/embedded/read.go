package embedded

import (
	"context"
	"slices"

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
	out := make(map[string][]kg.Rel)
	for _, id := range ids {
		a := s.adj[id]
		if a == nil {
			continue
		}
		if _, done := out[id]; done {
			continue
		}
		var rels []kg.Rel
		if dir != kg.Incoming {
			for k := range a.out[t] {
				rels = append(rels, kg.CloneRel(*s.rels[k]))
			}
		}
		if dir != kg.Outgoing {
			for k := range a.in[t] {
				rels = append(rels, kg.CloneRel(*s.rels[k]))
			}
		}
		if len(rels) == 0 {
			continue
		}
		kg.SortRelsOf(id, rels)
		out[id] = rels
	}
	return out, nil
}

// List returns one page of nodes of a label. It scans the label's nodes
// per request, which is cheap at the intended scale (tens of thousands).
func (s *Store) List(ctx context.Context, q kg.ListQuery) (kg.Page, error) {
	o, err := kg.CheckListQuery(q)
	if err != nil {
		return kg.Page{}, err
	}
	if err := s.beginRead(ctx); err != nil {
		return kg.Page{}, err
	}
	defer s.mu.RUnlock()
	type entry struct {
		n   kg.Node
		key string
	}
	var total int
	var after []entry
	for _, n := range s.nodes {
		if n.NodeLabel() != q.Label || !q.Filter.Match(n) {
			continue
		}
		total++
		e := entry{n: n, key: kg.SortKey(n, o.Field)}
		if q.After == nil || q.After.After(e.key, n.Base().ID) {
			after = append(after, e)
		}
	}
	// kg.Less's order, with each key computed once.
	slices.SortFunc(after, func(a, b entry) int {
		return kg.CompareKeys(a.key, a.n.Base().ID, b.key, b.n.Base().ID, o.Desc)
	})
	page := kg.Page{TotalCount: total, HasNextPage: len(after) > q.First}
	for _, e := range after[:min(len(after), q.First)] {
		page.Nodes = append(page.Nodes, kg.Clone(e.n))
	}
	return page, nil
}

// Search ranks the nodes that match q's text with kg.RankHits.
func (s *Store) Search(ctx context.Context, q kg.SearchQuery) ([]kg.SearchHit, error) {
	query, err := kg.CheckSearchQuery(q)
	if err != nil {
		return nil, err
	}
	if err := s.beginRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	var hits []kg.SearchHit
	for _, n := range s.nodes {
		if len(q.Labels) > 0 && !slices.Contains(q.Labels, n.NodeLabel()) {
			continue
		}
		if sc := query.Score(n); sc > 0 {
			hits = append(hits, kg.SearchHit{Node: n, Score: float64(sc)})
		}
	}
	hits = kg.RankHits(hits, q.First)
	out := make([]kg.SearchHit, len(hits))
	for i, h := range hits {
		out[i] = kg.SearchHit{Node: kg.Clone(h.Node), Score: h.Score}
	}
	return out, nil
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
