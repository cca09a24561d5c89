package kg

import (
	"context"
	"slices"
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
	v, err := a.topologyAt(ctx, q.AsOf)
	if err != nil {
		return Subgraph{}, err
	}
	start, err := v.node("id", q.ID, "", "")
	if err != nil {
		return Subgraph{}, err
	}
	mask := maskOf(RelTypesOf(q.Via))
	seen := getMarks(v.s.Slots())
	defer seen.release()
	seen.set(start, 0)
	hits := []int32{start} // by (distance, id): levels are appended sorted
	dist := []int{0}
	front := []int32{start}
	for d := 0; d < q.Depth && len(front) > 0 && len(hits) <= q.Limit; d++ {
		// Once more nodes than the limit are known, the returned ones are
		// fixed (levels are complete), so the outer levels are not visited.
		if err := ctx.Err(); err != nil {
			return Subgraph{}, timeoutErr(err)
		}
		var next []int32
		for _, x := range front {
			for _, e := range v.s.Edges(x) {
				if mask.has(e.Type) && !seen.has(e.To) && v.sees(x, e) {
					seen.set(e.To, int32(d+1))
					next = append(next, e.To)
				}
			}
		}
		v.byID(next)
		hits = append(hits, next...)
		for range next {
			dist = append(dist, d+1)
		}
		front = next
	}
	sub := Subgraph{Nodes: []SubgraphNode{}, Edges: []Rel{}}
	if len(hits) > q.Limit {
		hits, dist, sub.Truncated = hits[:q.Limit], dist[:q.Limit], true
	}
	in := getMarks(v.s.Slots())
	defer in.release()
	ids := make([]string, len(hits))
	for i, x := range hits {
		in.set(x, 1)
		ids[i] = v.s.ID(x)
	}
	// Each relationship once: from the side it leaves.
	var keys []RelKey
	for _, x := range hits {
		for _, e := range v.s.Edges(x) {
			if e.Out && mask.has(e.Type) && in.has(e.To) && v.sees(x, e) {
				keys = append(keys, v.relKey(x, e))
			}
		}
	}
	slices.SortFunc(keys, func(a, b RelKey) int { return CompareLinks(a.Type, a.From, a.To, b.Type, b.From, b.To) })

	nodes, err := a.store.GetNodes(ctx, ids)
	if err != nil {
		return Subgraph{}, err
	}
	rels, err := a.store.GetRels(ctx, keys)
	if err != nil {
		return Subgraph{}, err
	}
	kept := map[string]bool{}
	for i, n := range nodes {
		// A node deleted since the snapshot is left out, with its edges.
		if IsNil(n) {
			continue
		}
		kept[ids[i]] = true
		sub.Nodes = append(sub.Nodes, SubgraphNode{Node: n, Distance: dist[i]})
	}
	for _, r := range rels {
		if r != nil && kept[r.From] && kept[r.To] {
			sub.Edges = append(sub.Edges, CloneRel(*r))
		}
	}
	return sub, nil
}
