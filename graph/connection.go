package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"

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
	where map[string]any // the where argument as received; see kg.ParseWhere
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
	w, err := kg.ParseWhere(l.label, "where", l.where)
	if err != nil {
		return zero, err
	}
	p, err := r.Store.List(ctx, kg.ListQuery{Label: l.label, Filter: l.f, Where: w, Order: l.o, First: n, After: after})
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

// relOrder is the order of every nested connection: by the other
// endpoint's id, the order RelsOf gives the plain lists.
var relOrder = kg.Order{Field: kg.OrderByID}

// relConnection pages node id's relationships of type t in direction dir
// (Actor.projectsConnection and the like). The relationships come from the
// operation's loaders, the same batch as the plain list's, so a page costs
// no store call of its own; the cursor is a keyset on the other endpoint's
// id, so a page after a cursor stays right when relationships before it
// are added or removed.
func (r *Resolver) relConnection(ctx context.Context, t kg.RelType, dir kg.Direction, id string,
	first *int, after *string) (*model.RelConnection, error) {
	n, cur, err := pageArgs(first, after, relOrder)
	if err != nil {
		return nil, err
	}
	list, err := r.loaders(ctx).Rels(ctx, t, dir, id)
	if err != nil {
		return nil, err
	}
	others := make([]string, len(list))
	idx := make([]int, len(list))
	for i := range list {
		others[i] = list[i].Other(id)
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return strings.Compare(others[a], others[b]) })
	conn := &model.RelConnection{Edges: []*model.RelEdge{}, TotalCount: len(list),
		PageInfo: &model.PageInfo{HasPreviousPage: cur != nil}}
	for _, i := range idx {
		if cur != nil && !cur.After(others[i], others[i]) {
			continue
		}
		if len(conn.Edges) == n {
			conn.PageInfo.HasNextPage = true
			break
		}
		rel := list[i]
		seenFrom(&rel, ownEnd(rel, t, dir, id))
		c := kg.Cursor{Field: relOrder.Field, Key: others[i], ID: others[i]}.Encode()
		if conn.PageInfo.StartCursor == nil {
			conn.PageInfo.StartCursor = &c
		}
		conn.PageInfo.EndCursor = &c
		conn.Edges = append(conn.Edges, &model.RelEdge{Cursor: c, Properties: &rel, Other: others[i]})
	}
	return conn, nil
}

// ownEnd is the end of rel that a symmetric relationship is seen from
// (a partnership's actor is the node whose connection it is); for other
// types it is the stored From, so that nothing is turned around.
func ownEnd(rel kg.Rel, t kg.RelType, dir kg.Direction, id string) string {
	if t.Symmetric() && dir == kg.Both {
		return id
	}
	return rel.From
}
