package kg

import (
	"context"
	"sort"
)

// Neighbourhood returns the nodes within q.Depth hops of q.ID over the
// relationship types of q.Via (ignoring direction), ordered by distance then
// id with the start node first at distance 0, cut at q.Limit; and every via
// relationship whose two endpoints are both returned, by (type in RelTypes
// order, from, to). Truncated says the limit left out nodes within depth.
func (a *Analytics) Neighbourhood(ctx context.Context, q NeighbourhoodQuery) (Subgraph, error) {
	if err := CheckID("id", q.ID); err != nil {
		return Subgraph{}, err
	}
	if q.Depth < 1 || q.Depth > MaxNeighbourhoodDepth {
		return Subgraph{}, Invalid("depth", "%d is outside 1–%d", q.Depth, MaxNeighbourhoodDepth)
	}
	if err := checkViaArg(q.Via); err != nil {
		return Subgraph{}, err
	}
	if q.Limit < 1 || q.Limit > MaxNeighbourhoodLimit {
		return Subgraph{}, Invalid("limit", "%d is outside 1–%d", q.Limit, MaxNeighbourhoodLimit)
	}
	start, err := a.store.GetNodes(ctx, []string{q.ID})
	if err != nil {
		return Subgraph{}, err
	}
	if start[0] == nil {
		return Subgraph{}, WithField(NotFound(q.ID), "id")
	}

	e := newExpander(a.store, RelTypesOf(q.Via))
	type hit struct {
		id   string
		dist int
	}
	hits := []hit{{q.ID, 0}} // by (distance, id): levels are appended sorted
	seen := map[string]bool{q.ID: true}
	front := []string{q.ID}
	for d := 0; d < q.Depth && len(front) > 0 && len(hits) <= q.Limit; d++ {
		// Once more nodes than the limit are known, the returned ones are
		// fixed (levels are complete), so the outer levels are not loaded.
		if err := e.expand(ctx, front); err != nil {
			return Subgraph{}, neighbourhoodGuard(err)
		}
		var next []string
		for _, id := range front {
			for _, r := range e.rels(id) {
				if o := r.Other(id); !seen[o] {
					seen[o] = true
					next = append(next, o)
				}
			}
		}
		sort.Strings(next)
		for _, id := range next {
			hits = append(hits, hit{id, d + 1})
		}
		front = next
	}
	sub := Subgraph{Nodes: []SubgraphNode{}, Edges: []Rel{}}
	if len(hits) > q.Limit {
		hits, sub.Truncated = hits[:q.Limit], true
	}

	// The relationships among the outermost returned nodes are not loaded
	// yet; expanding them (one call) completes the edge set.
	ids := make([]string, len(hits))
	in := make(map[string]bool, len(hits))
	for i, h := range hits {
		ids[i] = h.id
		in[h.id] = true
	}
	if err := e.expand(ctx, ids); err != nil {
		return Subgraph{}, neighbourhoodGuard(err)
	}
	done := map[RelKey]bool{}
	for _, id := range ids {
		for _, r := range e.rels(id) {
			if k := r.Key(); in[r.From] && in[r.To] && !done[k] {
				done[k] = true
				sub.Edges = append(sub.Edges, CloneRel(r))
			}
		}
	}
	sort.Slice(sub.Edges, func(i, j int) bool { return relBefore(sub.Edges[i], sub.Edges[j]) })

	nodes, err := a.store.GetNodes(ctx, ids)
	if err != nil {
		return Subgraph{}, err
	}
	for i, n := range nodes {
		// A node deleted meanwhile is left out, with its edges.
		if n == nil {
			in[ids[i]] = false
			continue
		}
		sub.Nodes = append(sub.Nodes, SubgraphNode{Node: n, Distance: hits[i].dist})
	}
	if len(sub.Nodes) < len(ids) {
		kept := sub.Edges[:0]
		for _, r := range sub.Edges {
			if in[r.From] && in[r.To] {
				kept = append(kept, r)
			}
		}
		sub.Edges = kept
	}
	return sub, nil
}

// neighbourhoodGuard names the arguments that bound a neighbourhood when
// the expander refuses to load more.
func neighbourhoodGuard(err error) error {
	if e, ok := err.(*Error); ok && e.Kind == ErrInvalid && e.Field == "maxHops" {
		return Invalid("depth", "the neighbourhood needs more than %d relationships; lower depth or limit, or narrow via", MaxExpandedRels)
	}
	return err
}
