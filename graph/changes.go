package graph

import (
	"context"
	"strings"

	"github.com/samverkan/samverkan/graph/model"
	"github.com/samverkan/samverkan/internal/kg"
)

// This file serves the change feed (Query.changes) and converts its
// entries for the subscription too.

// changesPage reads one page of the feed for Query.changes.
func (r *Resolver) changesPage(ctx context.Context, after *string, first *int) (*model.ChangeConnection, error) {
	n := orDefault(first, kg.DefaultPageSize)
	if n < 1 || n > kg.MaxPageSize {
		return nil, kg.Invalid("first", "%d is outside 1–%d", n, kg.MaxPageSize)
	}
	var from *kg.ChangeCursor
	if after != nil {
		c, err := kg.DecodeChangeCursor("after", *after)
		if err != nil {
			return nil, err
		}
		from = &c
	}
	p, err := kg.ReadChanges(ctx, r.Store, from, n)
	if err != nil {
		return nil, err
	}
	conn := &model.ChangeConnection{Edges: make([]*model.ChangeEdge, 0, len(p.Entries)), GraphVersion: int(p.Version),
		PageInfo: &model.PageInfo{HasNextPage: p.HasNextPage, HasPreviousPage: after != nil, EndCursor: after}}
	for i, e := range p.Entries {
		cursor := kg.ChangeCursor{Version: e.Version, Seq: e.Seq}.Encode()
		if i == 0 {
			conn.PageInfo.StartCursor = &cursor
		}
		conn.PageInfo.EndCursor = &cursor
		conn.Edges = append(conn.Edges, &model.ChangeEdge{Cursor: cursor, Node: changeOf(e)})
	}
	return conn, nil
}

// changeOf is the API's form of a feed entry.
func changeOf(e kg.ChangeEntry) *model.Change {
	c := &model.Change{Version: int(e.Version), At: e.At, Kind: model.ChangeKind(e.Kind)}
	if e.ID != "" {
		id, label := e.ID, model.NodeType(strings.ToUpper(string(e.Label)))
		c.ID, c.Label = &id, &label
	} else {
		t, from, to := e.Type, e.From, e.To
		c.Type, c.From, c.To = &t, &from, &to
	}
	return c
}
