package graph

import (
	"context"
	"fmt"

	"github.com/samverkan/samverkan/graph/model"
	"github.com/samverkan/samverkan/internal/kg"
)

// This file pages the node lists (actors, projects, needs, competencies)
// as Relay connections.

// list is what a connection field asks for: the label, filter and order of
// the list, and the page (first, after) as the client sent it.
type list struct {
	label kg.Label
	f     kg.Filter
	o     kg.Order
	first *int
	after *string
}

// connection fetches one page of a list of Ns and returns it as a
// connection: edge makes one edge from a node and its cursor, conn the
// connection from the edges (never nil), the page info and the total count
// over all pages.
func connection[N kg.Node, E, C any](ctx context.Context, r *Resolver, l list,
	edge func(node N, cursor string) E, conn func(edges []E, info *model.PageInfo, total int) C) (C, error) {
	var zero C
	n, after, err := pageArgs(l.first, l.after, l.o)
	if err != nil {
		return zero, err
	}
	p, err := r.Store.List(ctx, kg.ListQuery{Label: l.label, Filter: l.f, Order: l.o, First: n, After: after})
	if err != nil {
		return zero, err
	}
	edges := make([]E, 0, len(p.Nodes))
	info := &model.PageInfo{HasNextPage: p.HasNextPage, HasPreviousPage: after != nil}
	for i, node := range p.Nodes {
		t, ok := node.(N)
		if !ok {
			return zero, fmt.Errorf("store listed a %T among the %s nodes", node, l.label)
		}
		cursor := kg.CursorOf(node, l.o).Encode()
		if i == 0 {
			info.StartCursor = &cursor
		}
		info.EndCursor = &cursor
		edges = append(edges, edge(t, cursor))
	}
	return conn(edges, info, p.TotalCount), nil
}

// pageArgs checks first and after. first has a schema default, so nil only
// comes from an explicit null.
func pageArgs(first *int, after *string, o kg.Order) (int, *kg.Cursor, error) {
	n := orDefault(first, kg.DefaultPageSize)
	if n < 1 || n > kg.MaxPageSize {
		return 0, nil, kg.Invalid("first", "%d is outside 1–%d", n, kg.MaxPageSize)
	}
	if after == nil {
		return n, nil, nil
	}
	c, err := kg.DecodeCursor("after", *after, o)
	return n, c, err
}
