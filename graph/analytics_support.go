package graph

import (
	"context"
	"fmt"

	"github.com/samverkan/samverkan/graph/model"
	"github.com/samverkan/samverkan/internal/kg"
)

// orDefault applies an argument's default when a client sent an explicit
// null; the schema's defaults cover an argument left out.
func orDefault(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

// endpoints loads the nodes with ids as Ts, in order; every id must exist.
func endpoints[T kg.Node](ctx context.Context, r *Resolver, ids []string) ([]T, error) {
	nodes, err := r.loaders(ctx).Nodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(ids))
	for i, n := range nodes {
		t, ok := n.(T)
		if !ok {
			return nil, fmt.Errorf("node %q is missing or has another label", ids[i])
		}
		out[i] = t
	}
	return out, nil
}

func properties(rel kg.Rel) *model.RelationshipProperties {
	p := &model.RelationshipProperties{
		From: optional(rel.Start), To: optional(rel.End), Level: optional(rel.Level), Evidence: optional(rel.Evidence),
		Importance: optional(rel.Importance), Since: optional(rel.Since), Description: optional(rel.Description),
		Role: optional(rel.Role),
	}
	return p
}

func edgeOf(rel kg.Rel) *model.Edge {
	sources := rel.Sources
	if sources == nil {
		sources = []string{}
	}
	return &model.Edge{Type: rel.Type, FromID: rel.From, ToID: rel.To, Properties: properties(rel), Sources: sources}
}

func ptrs[T any](in []T) []*T {
	out := make([]*T, len(in))
	for i := range in {
		out[i] = &in[i]
	}
	return out
}
