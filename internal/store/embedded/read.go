package embedded

import (
	"cmp"
	"context"
	"slices"
	"strings"

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
// direction dir, ordered by the other endpoint's id (then by From, for the
// rare pair joined both ways by the same type).
func (s *Store) RelsOf(ctx context.Context, t kg.RelType, dir kg.Direction, ids []string) (map[string][]kg.Rel, error) {
	if !t.Valid() {
		return nil, kg.Invalid("type", "%q is not a relationship type", t)
	}
	if dir != kg.Outgoing && dir != kg.Incoming && dir != kg.Both {
		return nil, kg.Invalid("direction", "%d is not a direction", dir)
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
		slices.SortFunc(rels, func(x, y kg.Rel) int {
			return cmp.Or(strings.Compare(x.Other(id), y.Other(id)), strings.Compare(x.From, y.From))
		})
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
	// The same order as kg.Less, with each key computed once.
	slices.SortFunc(after, func(a, b entry) int {
		c := cmp.Or(strings.Compare(a.key, b.key), strings.Compare(a.n.Base().ID, b.n.Base().ID))
		if o.Desc {
			return -c
		}
		return c
	})
	page := kg.Page{TotalCount: total, HasNextPage: len(after) > q.First}
	for _, e := range after[:min(len(after), q.First)] {
		page.Nodes = append(page.Nodes, kg.Clone(e.n))
	}
	return page, nil
}

// Search ranks the nodes that match q's text by kg.Query.Score, then folded
// name, then id.
func (s *Store) Search(ctx context.Context, q kg.SearchQuery) ([]kg.SearchHit, error) {
	query, err := kg.CheckSearchQuery(q)
	if err != nil {
		return nil, err
	}
	if err := s.beginRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	type hit struct {
		n     kg.Node
		score int
		key   string
	}
	var hits []hit
	for _, n := range s.nodes {
		if len(q.Labels) > 0 && !slices.Contains(q.Labels, n.NodeLabel()) {
			continue
		}
		if sc := query.Score(n); sc > 0 {
			hits = append(hits, hit{n: n, score: sc, key: kg.SortKey(n, kg.OrderByName)})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(b.score, a.score), strings.Compare(a.key, b.key),
			strings.Compare(a.n.Base().ID, b.n.Base().ID))
	})
	out := make([]kg.SearchHit, 0, min(len(hits), q.First))
	for _, h := range hits[:min(len(hits), q.First)] {
		out = append(out, kg.SearchHit{Node: kg.Clone(h.n), Score: float64(h.score)})
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
